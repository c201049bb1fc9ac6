//! An application of one's own on the framework, beside the Ryu book's traffic monitor: a hub
//! that floods every packet and logs, every 10 s, how many PACKET_INs each switch sent it.
//!
//! ```text
//! cargo run -p sdnwire-controller --example counting_hub -- 127.0.0.1:6653
//! ovs-vsctl set-controller br0 tcp:127.0.0.1:6653
//! ```

use core::time::Duration;
use std::collections::BTreeMap;

use sdnwire_controller::apps::SimpleMonitor13;
use sdnwire_controller::{App, Ctx, Handlers, Manager, ManagerConfig, OfEvent, State};
use sdnwire_openflow::{action::Action, packet_out::PacketOut, Body, MsgType, PortNo};

/// Floods every packet; counts them per switch.
#[derive(Default)]
struct CountingHub {
    seen: BTreeMap<u64, u64>,
}

impl CountingHub {
    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let Some(Ok(pin)) = ev.packet_in() else {
            return;
        };
        *self.seen.entry(ev.dpid().0).or_default() += 1;
        let out = PacketOut::from_packet_in(&pin, vec![Action::output(PortNo::FLOOD)]);
        if let Err(e) = ev.datapath.send(Body::PacketOut(out)) {
            cx.warn(e);
        }
    }

    fn tick(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.log(format_args!("packet-ins per switch: {:?}", self.seen));
        cx.after(Duration::from_secs(10), Self::tick);
    }
}

impl App for CountingHub {
    const NAME: &'static str = "counting_hub";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change(State::Main, |_app, cx, ev| {
            if let Err(e) = ev.datapath.add_table_miss_flow() {
                cx.warn(e);
            }
        });
        h.on_message(MsgType::PACKET_IN, State::Main, Self::packet_in);
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.after(Duration::from_secs(10), Self::tick);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn core::error::Error>> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:6653".into());
    let mut builder = Manager::builder(ManagerConfig::default());
    builder.add(CountingHub::default())?;
    builder.add(SimpleMonitor13::new(Duration::from_secs(10), false))?;
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("listening on {}", listener.local_addr()?);
    let queues = builder
        .build()
        .run(listener, sdnwire_controller::shutdown_signal())
        .await?;
    eprintln!("stopped: {queues:?}");
    Ok(())
}
