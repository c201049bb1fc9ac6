//! The messages of the Ryu book's switching hub, built, framed and decoded with `openflow`,
//! without a switch: the table-miss flow, a PACKET_IN carrying a real ping, the learned flow and
//! the PACKET_OUT that answers it. Each is encoded, cut from a byte stream by the `Framer` (one
//! byte at a time, as a slow socket might deliver it), decoded again, and printed in ovs-ofctl
//! notation.
//!
//! Run with `cargo run -p sdnwire-openflow --example switching_hub_messages`.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_openflow::action::Action;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketIn;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, Encode, Framer, Message, MessageView, PortNo, OFPCML_NO_BUFFER};
use sdnwire_packet::{Ethernet, MacAddr, Packet};

fn main() -> Result<(), sdnwire_openflow::Error> {
    let ping: &[u8] = include_bytes!("../../packet/testdata/ping_echo_request.bin");
    let eth = Packet::parse(ping)
        .expect("a real frame")
        .get::<Ethernet>()
        .cloned()
        .expect("ethernet");
    let h2 = MacAddr::new(0, 0, 0, 0, 0, 2);

    // What the switching hub sends and receives, in order.
    let table_miss = FlowMod::add()
        .priority(0)
        .matching(Match::new())
        .apply_actions([Action::output_to_controller(OFPCML_NO_BUFFER)]);
    let packet_in = PacketIn::new(1u32, ping.to_vec());
    let learned = FlowMod::add()
        .priority(1)
        .matching(Match::new().in_port(2u32).eth_dst(eth.src))
        .apply_actions([Action::output(1u32)]);
    let packet_out = PacketOut::from_packet_in(&packet_in, vec![Action::output(PortNo::FLOOD)]);
    let messages = [
        Message::new(1, Body::FlowMod(table_miss)),
        Message::new(0, Body::PacketIn(packet_in)),
        Message::new(2, Body::FlowMod(learned)),
        Message::new(3, Body::PacketOut(packet_out)),
    ];

    // Encode them into one stream, then feed it to the framer a byte at a time.
    let mut stream = Vec::new();
    for m in &messages {
        m.encode_append(&mut stream)?;
    }
    let mut framer = Framer::new();
    let mut decoded = Vec::new();
    for b in &stream {
        framer.push(core::slice::from_ref(b));
        while let Some(frame) = framer.next_frame()? {
            // The zero-copy view first (what a controller's hot path uses)...
            let view = MessageView::parse(&frame.bytes)?;
            if let sdnwire_openflow::BodyView::PacketIn(pin) = &view.body {
                let pkt = pin.packet().expect("the packet-in's data is a frame");
                let dst = pkt.ethernet().map(|e| e.dst());
                println!(
                    "packet-in on port {:?}: {} bytes to {:?}",
                    pin.in_port(),
                    pin.data.len(),
                    dst
                );
                assert_eq!(dst, Some(h2));
            }
            // ...then the owned message.
            decoded.push(Message::parse(&frame.bytes)?);
        }
    }
    assert_eq!(decoded, messages);
    for m in &decoded {
        println!("{m}");
    }
    println!(
        "{} messages, {} bytes, round-tripped through the framer",
        decoded.len(),
        stream.len()
    );
    Ok(())
}
