//! The Ryu book's ICMP responder, without the switch: take the ARP request and the ICMP echo
//! request of a real ping (captured from Linux, see scripts/capture-fixtures.sh), answer both as
//! the host 10.0.0.2 / 00:00:00:00:00:02, and print every frame in Ryu's notation.
//!
//! Run with `cargo run -p sdnwire-packet --example responder`, or give it frames of your own as hex:
//! `cargo run -p sdnwire-packet --example responder -- ffffffffffff0000000000010806...`.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::Ipv4Addr;
use sdnwire_packet::icmp::IcmpType;
use sdnwire_packet::{Arp, Encode, Ethernet, Icmp, Ipv4, MacAddr, Packet, PacketView};

const MY_MAC: MacAddr = MacAddr([0, 0, 0, 0, 0, 2]);
const MY_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

/// The answer to `frame`, if it is an ARP request or an ICMP echo request for us.
fn respond(frame: &[u8]) -> Result<Option<Vec<u8>>, sdnwire_packet::Error> {
    let pkt = Packet::parse(frame)?;
    let Some(eth) = pkt.get::<Ethernet>() else {
        return Ok(None);
    };
    if let Some(arp) = pkt.get::<Arp>() {
        if arp.opcode != sdnwire_packet::arp::ArpOp::REQUEST || arp.dst_ip != MY_IP {
            return Ok(None);
        }
        let reply = Ethernet::new(eth.src, MY_MAC) / Arp::reply_to(arp, MY_MAC);
        return reply.with_min_len(60).to_vec().map(Some);
    }
    if let (Some(ip), Some(icmp)) = (pkt.get::<Ipv4>(), pkt.get::<Icmp>()) {
        if ip.dst != MY_IP || icmp.type_ != IcmpType::ECHO_REQUEST {
            return Ok(None);
        }
        let Some(echo) = icmp.echo_reply() else {
            return Ok(None);
        };
        let reply = Ethernet::new(eth.src, MY_MAC) / ip.reply() / echo;
        return reply.to_vec().map(Some);
    }
    Ok(None)
}

fn hex(s: &str) -> Option<Vec<u8>> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let frames: Vec<Vec<u8>> = if args.is_empty() {
        vec![
            include_bytes!("../testdata/ping_arp_request.bin").to_vec(),
            include_bytes!("../testdata/ping_echo_request.bin").to_vec(),
        ]
    } else {
        args.iter()
            .map(|a| hex(a).unwrap_or_else(|| panic!("not a hex frame: {a}")))
            .collect()
    };
    for frame in frames {
        println!("received: {}", display(&frame));
        match respond(&frame) {
            Ok(Some(reply)) => {
                // Prove the reply is valid on the wire: checksums verify in the zero-copy view.
                let view = PacketView::parse(&reply).expect("our own reply parses");
                if let Some(ip) = view.ipv4() {
                    ip.verify_checksum().expect("IPv4 checksum");
                }
                if let Some(icmp) = view.icmp() {
                    icmp.verify_checksum().expect("ICMP checksum");
                }
                println!("sent:     {}", display(&reply));
            }
            Ok(None) => println!("sent:     nothing (not for {MY_IP})"),
            Err(e) => println!("sent:     nothing ({e})"),
        }
        println!();
    }
}

fn display(frame: &[u8]) -> String {
    match Packet::parse_partial(frame) {
        (pkt, None) => pkt.to_string(),
        (pkt, Some(e)) => format!("{pkt} [stopped: {e}]"),
    }
}
