//! Decodes sFlow datagrams (raw UDP payloads, one per file) and prints every sample and
//! record: `cargo run -p sdnwire-sflow --example decode [FILE...]` (default: the Open vSwitch
//! fixtures in sflow/testdata).
use sdnwire_sflow::{CounterRecordView, DatagramView, FlowRecordView, SampleView};

fn main() {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path().display().to_string())
                    .filter(|p| p.ends_with(".bin"))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        files = found;
    }
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        println!("== {file} ({} bytes)", bytes.len());
        if let Err(e) = print_datagram(&bytes) {
            println!("   error: {e}");
        }
    }
}

fn print_datagram(bytes: &[u8]) -> sdnwire_sflow::Result<()> {
    let d = DatagramView::parse(bytes)?;
    println!(
        "datagram v{} agent={} sub_agent={} seq={} uptime={}ms samples={}",
        d.version(),
        d.agent_address(),
        d.sub_agent_id(),
        d.sequence_number(),
        d.uptime(),
        d.sample_count()
    );
    for sample in d.samples() {
        match sample? {
            SampleView::Flow(s) | SampleView::ExpandedFlow(s) => {
                println!(
                    "  flow sample seq={} source={} rate={} pool={} drops={} in={:?} out={:?}",
                    s.sequence_number(),
                    s.source_id(),
                    s.sampling_rate(),
                    s.sample_pool(),
                    s.drops(),
                    s.input(),
                    s.output()
                );
                for r in s.records() {
                    match r? {
                        FlowRecordView::RawHeader(h) => {
                            let key = sdnwire_packet::FlowKey::parse(h.header()).ok();
                            println!(
                                "    raw header proto={} frame_length={} stripped={} header={}B padding={:02x?} key={:?}",
                                h.header_protocol(),
                                h.frame_length(),
                                h.stripped(),
                                h.header().len(),
                                h.padding(),
                                key
                            );
                        }
                        other => println!("    {other:?}"),
                    }
                }
            }
            SampleView::Counters(s) | SampleView::ExpandedCounters(s) => {
                println!(
                    "  counters sample seq={} source={}",
                    s.sequence_number(),
                    s.source_id()
                );
                for r in s.records() {
                    match r? {
                        CounterRecordView::GenericInterface(g) => {
                            println!(
                                "    generic interface ifIndex={} in={} out={}",
                                g.if_index(),
                                g.if_in_octets(),
                                g.if_out_octets()
                            )
                        }
                        CounterRecordView::PortName(p) => {
                            println!("    port name {}", String::from_utf8_lossy(p.name()))
                        }
                        other => println!("    {other:?}"),
                    }
                }
            }
            other => println!("  {other:?}"),
        }
    }
    Ok(())
}
