//! PACKET_IN → PACKET_OUT round trips per second on loopback TCP, through the framework (an
//! application on its thread, reached through its queue, answering through its `Datapath`)
//! beside the bare sans-I/O connection driven by one tokio task, against `sdnwire-openflow`'s
//! fake switch (a switch simulator: the handshake answered, PACKET_INs sent with a window of
//! outstanding ones). Build with `--release`:
//!
//! ```text
//! cargo run --release -p sdnwire-controller --example packet_in_rtt [-- N]
//! ```

use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use sdnwire_controller::{App, Handlers, Level, Manager, ManagerConfig, State};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Config, Connection, Event};
use sdnwire_openflow::fake::{self, FakeSwitch};
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, MsgType, PortNo};
use sdnwire_packet::time::Clock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const FRAME: &[u8] = include_bytes!("../../packet/testdata/ping_arp_request.bin");

fn answer(pin: &sdnwire_openflow::packet_in::PacketInView<'_>) -> Body {
    Body::PacketOut(PacketOut::from_packet_in(
        pin,
        vec![Action::output(PortNo::FLOOD)],
    ))
}

/// The framework's application: every PACKET_IN answered at once.
struct Echo;

impl App for Echo {
    const NAME: &'static str = "echo";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |_app, cx, ev| {
            if let Some(Ok(pin)) = ev.packet_in() {
                if let Err(e) = ev.datapath.send(answer(&pin)) {
                    cx.warn(e);
                }
            }
        });
    }
}

/// The bare connection: one task, the connection's polling order, the same answer.
async fn bare(listener: TcpListener) -> std::io::Result<()> {
    let clock = Clock::new();
    let (mut s, _) = listener.accept().await?;
    s.set_nodelay(true)?;
    let mut conn = Connection::new(Config::default(), clock.now());
    let mut rx = bytes::BytesMut::with_capacity(65536);
    let mut tx = Vec::new();
    loop {
        while conn.poll_transmit(&mut tx).is_some() {
            s.write_all(&tx).await?;
        }
        while let Some(ev) = conn.poll_event() {
            if let Event::Message(f) = &ev {
                if let Some(Ok(pin)) = f.packet_in() {
                    let _ = conn.send(clock.now(), answer(&pin));
                }
            }
        }
        while conn.poll_transmit(&mut tx).is_some() {
            s.write_all(&tx).await?;
        }
        if s.read_buf(&mut rx).await? == 0 {
            return Ok(());
        }
        let _ = conn.handle_buf(clock.now(), rx.split().freeze());
        rx.reserve(65536);
    }
}

/// The switch: `n` PACKET_INs, at most `window` unanswered; the round trips per second.
async fn switch(addr: core::net::SocketAddr, n: usize, window: usize) -> std::io::Result<f64> {
    let mut s = TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    let mut sw = FakeSwitch::new(fake::Config::default());
    let (mut buf, mut rd) = (Vec::new(), vec![0u8; 65536]);
    // The handshake, then a moment for the controller to reach MAIN.
    let until = Instant::now() + Duration::from_millis(300);
    while Instant::now() < until {
        while sw.poll_transmit(&mut buf).is_some() {
            s.write_all(&buf).await?;
        }
        if let Ok(r) = tokio::time::timeout(Duration::from_millis(20), s.read(&mut rd)).await {
            let k = r?;
            let _ = sw.handle_bytes(rd.get(..k).unwrap_or_default());
        }
    }
    let (mut sent, mut done) = (0usize, 0usize);
    let t0 = Instant::now();
    while done < n {
        while sent < n && sent - done < window {
            let _ = sw.packet_in(1u32, FRAME.to_vec());
            sent += 1;
        }
        while sw.poll_transmit(&mut buf).is_some() {
            s.write_all(&buf).await?;
        }
        let k = s.read(&mut rd).await?;
        if k == 0 {
            break;
        }
        let _ = sw.handle_bytes(rd.get(..k).unwrap_or_default());
        done += sw.take_packet_outs().len();
        let _ = sw.take_received();
    }
    Ok(done as f64 / t0.elapsed().as_secs_f64())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn core::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(20_000), |a| a.parse())?;
    println!("PACKET_IN -> PACKET_OUT on loopback, {n} per run (round trips per second)");
    for window in [1usize, 64] {
        let l = TcpListener::bind("127.0.0.1:0").await?;
        let addr = l.local_addr()?;
        let ctl = tokio::spawn(bare(l));
        let bare_rate = switch(addr, n, window).await?;
        ctl.abort();

        let mut c = ManagerConfig::default();
        c.level = Level::Error;
        let mut b = Manager::builder(c);
        b.add(Echo)?;
        let l = TcpListener::bind("127.0.0.1:0").await?;
        let addr = l.local_addr()?;
        let stop = Arc::new(tokio::sync::Notify::new());
        let s2 = Arc::clone(&stop);
        let mgr = tokio::spawn(b.build().run(l, async move { s2.notified().await }));
        let fw_rate = switch(addr, n, window).await?;
        stop.notify_one();
        let _ = mgr.await;
        println!(
            "  window {window:>3}: bare connection {bare_rate:>9.0}/s, framework {fw_rate:>9.0}/s ({:.2}x)",
            bare_rate / fw_rate
        );
    }
    Ok(())
}
