//! Replays sFlow datagrams (raw UDP payloads, one per file) through the analytics engine on a
//! virtual clock, each at its agent's uptime, and prints the top flows, the interface metrics
//! and the Graphite lines a collector would send:
//! `cargo run -p sdnwire-sflow-analytics --example replay [FILE...]` (default: the Open vSwitch
//! datagrams in sflow-analytics/testdata, in the order the agent sent them).
use core::time::Duration;

use sdnwire_sflow_analytics::sdnwire_sflow::DatagramView;
use sdnwire_sflow_analytics::{Config, Engine, Event, FlowDefinition, Instant};

const OVS: &[&str] = &[
    "ovs-counters-0.bin",
    "ovs-counters-1.bin",
    "ovs-flow-0.bin",
    "ovs-flow-1.bin",
    "ovs-counters-2.bin",
    "ovs-counters-3.bin",
    "ovs-counters-4.bin",
];

fn main() -> Result<(), Box<dyn core::error::Error>> {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
        files = OVS.iter().map(|f| format!("{dir}/{f}")).collect();
    }

    let mut engine = Engine::new(Config::default(), Instant::ZERO);
    engine.add_flow(FlowDefinition::new(
        "pairs",
        "ipsource,ipdestination,ipprotocol",
        "frames",
    )?)?;
    engine.add_flow(
        FlowDefinition::new("arp", "arpipsender,arpiptarget", "frames")?
            .with_filter("ethernetprotocol=0x0806")?,
    )?;

    for file in &files {
        let bytes = std::fs::read(file)?;
        // The agent's uptime (milliseconds) is the virtual clock: the datagrams are replayed
        // as far apart as the agent sent them.
        let now = match DatagramView::parse(&bytes) {
            Ok(d) => Instant::ZERO + Duration::from_millis(u64::from(d.uptime())),
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        match engine.handle_datagram(now, &bytes) {
            Ok(status) => println!("{now} {file}: {status:?}"),
            Err(e) => eprintln!("{file}: {e}"),
        }
        // Interface rates (bytes per second) as the counter samples come in.
        for r in engine.metric("ALL", "ifinoctets,ifoutoctets")? {
            if let (Some(agent), Some(ifindex), Some(value)) = (r.agent, r.ifindex, r.value) {
                if value > 0.0 {
                    println!("  {agent} ifIndex {ifindex} {} {value:.1}", r.metric_name);
                }
            }
        }
        while let Some(event) = engine.poll_event() {
            if event == Event::Resync {
                println!("events were dropped: {:?}", engine.stats());
            } else {
                println!("event: {event:?}");
            }
        }
    }

    for name in ["pairs", "arp"] {
        println!("\ntop flows of `{name}` (frames per second):");
        for flow in engine.top(name, 10).unwrap_or_default() {
            println!("  {:<40} {:>10.3}", flow.key, flow.value);
        }
    }

    let mut lines = String::new();
    engine.write_graphite_metrics(&mut lines, "sflow", 1_700_000_000);
    println!("\nGraphite:\n{lines}");
    println!("{:?}", engine.stats());
    Ok(())
}
