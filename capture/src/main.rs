//! `sdnwire-decode`: prints the OpenFlow, sFlow, LACP and IGMP/MLD messages of a pcap or
//! pcapng capture. See the crate's README.

// The options' doc comments are the `--help` text, written for a terminal, not rustdoc.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use clap::Parser;
use sdnwire_capture::decode::{Config, Content, Decoder, Item, Protocol};
use sdnwire_capture::output::{self, Notation};
use sdnwire_capture::read::CaptureReader;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "sdnwire-decode",
    version,
    about = "Prints the OpenFlow 1.3 messages (TCP reassembled), sFlow datagrams, LACPDUs and \
             IGMP/MLD messages of a pcap or pcapng capture: OpenFlow as `ovs-ofctl ofp-print` \
             prints it (or in Ryu's notation), sFlow as sflowtool does, LACP and IGMP in Ryu's \
             notation; or JSON."
)]
struct Options {
    /// Capture to read (pcap or pcapng; - for stdin)
    #[arg(value_name = "FILE", default_value = "-")]
    file: String,
    /// One JSON object per line (OpenFlow in os-ken's to_jsondict() shape)
    #[arg(long)]
    json: bool,
    /// How OpenFlow messages are printed: ofctl (as `ovs-ofctl ofp-print` prints them) or ryu
    /// (as os-ken prints str(msg), one line each) [default: ofctl]
    #[arg(long, short = 'n', value_name = "NOTATION", conflicts_with = "json")]
    notation: Option<Notation>,
    /// Protocols to print, comma-separated: openflow, sflow, lacp (with marker), igmp (with
    /// MLD) [default: all]
    #[arg(long, short = 'p', value_name = "LIST", value_delimiter = ',')]
    protocol: Vec<Protocol>,
    /// Another TCP port that carries OpenFlow (repeatable; 6653 and 6633 always do)
    #[arg(long = "of-port", value_name = "PORT")]
    of_port: Vec<u16>,
    /// Another UDP port that receives sFlow (repeatable; 6343 always does)
    #[arg(long = "sflow-port", value_name = "PORT")]
    sflow_port: Vec<u16>,
    /// Bytes of out-of-order TCP segments held per direction while a missing one is awaited;
    /// past it the missing bytes are reported as a gap [default: 262144]
    #[arg(long, value_name = "BYTES")]
    max_held: Option<usize>,
    /// Text times in seconds since the Unix epoch (default: since the first frame)
    #[arg(long)]
    absolute_time: bool,
    /// No summary on stderr at the end
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn main() -> ExitCode {
    let opts = Options::parse();
    let mut config = Config::default();
    config.openflow_ports.extend(&opts.of_port);
    config.sflow_ports.extend(&opts.sflow_port);
    if !opts.protocol.is_empty() {
        config.protocols = opts.protocol.clone();
    }
    if let Some(max) = opts.max_held {
        config.limits.max_pending = max;
    }
    let input: Box<dyn Read> = if opts.file == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&opts.file) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("sdnwire-decode: {}: {e}", opts.file);
                return ExitCode::FAILURE;
            }
        }
    };
    let reader = match CaptureReader::new(io::BufReader::new(input)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sdnwire-decode: {}: {e}", opts.file);
            return ExitCode::FAILURE;
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut run = Run {
        opts: &opts,
        origin: None,
        counts: Counts::default(),
    };
    let mut decoder = Decoder::new(config);
    let mut items = Vec::new();
    let mut status = ExitCode::SUCCESS;
    let mut number = 0u64;
    for record in reader {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                eprintln!("sdnwire-decode: {}: {e}", opts.file);
                status = ExitCode::FAILURE;
                break;
            }
        };
        number += 1;
        run.origin.get_or_insert(record.time);
        decoder.frame(number, &record, &mut items);
        if run.print(&mut out, &mut items).is_err() {
            // stdout closed (`| head`): nothing more to say.
            return status;
        }
    }
    decoder.finish(&mut items);
    if run.print(&mut out, &mut items).is_err() || out.flush().is_err() {
        return status;
    }
    if !opts.quiet {
        let s = decoder.stats();
        let c = &run.counts;
        eprintln!(
            "sdnwire-decode: {number} frames; openflow {}, sflow {}, lacp {}, igmp {} messages; \
             {} errors; tcp: {} directions, {} retransmissions, {} out of order, {} gaps \
             ({} bytes), {} bytes skipped; {} frames of other link types, {} IP fragments",
            c.messages[0],
            c.messages[1],
            c.messages[2],
            c.messages[3],
            c.errors,
            s.streams,
            s.tcp.retransmissions,
            s.tcp.out_of_order,
            s.tcp.gaps,
            s.tcp.missing_bytes,
            c.skipped,
            s.unsupported_link,
            s.fragments,
        );
    }
    status
}

#[derive(Debug, Default)]
struct Counts {
    /// Messages decoded, by protocol (in `Protocol::ALL`'s order).
    messages: [u64; 4],
    errors: u64,
    skipped: u64,
}

struct Run<'a> {
    opts: &'a Options,
    origin: Option<core::time::Duration>,
    counts: Counts,
}

impl Run<'_> {
    fn print(&mut self, out: &mut impl Write, items: &mut Vec<Item>) -> io::Result<()> {
        for item in items.drain(..) {
            self.count(&item);
            if self.opts.json {
                writeln!(out, "{}", output::json(&item))?;
            } else {
                let origin = if self.opts.absolute_time {
                    core::time::Duration::ZERO
                } else {
                    self.origin.unwrap_or_default()
                };
                let notation = self.opts.notation.unwrap_or_default();
                out.write_all(output::text_in(&item, origin, notation).as_bytes())?;
            }
        }
        Ok(())
    }

    fn count(&mut self, item: &Item) {
        let ok = match &item.content {
            Content::OpenFlow { message, .. } => message.is_ok(),
            Content::Sflow(d) => d.is_ok(),
            Content::Lacp(_) | Content::Marker(_) | Content::Igmp(_) | Content::Mld(_) => true,
            Content::Gap { .. } => return,
            Content::Skipped { len, .. } => {
                self.counts.skipped += len;
                return;
            }
            _ => false,
        };
        if ok {
            let i = Protocol::ALL
                .iter()
                .position(|p| *p == item.protocol)
                .unwrap_or(0);
            if let Some(n) = self.counts.messages.get_mut(i) {
                *n += 1;
            }
        } else {
            self.counts.errors += 1;
        }
    }
}
