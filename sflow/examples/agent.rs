//! A minimal sFlow agent: builds one datagram with a flow sample (a sampled Ethernet frame
//! and its switch data) and a counters sample (generic interface and Ethernet counters, port
//! name), prints its size and hex, and checks that it decodes back to what was built.
//! Send the bytes to a collector on UDP port 6343 (sflowtool, sFlow-RT, Wireshark).
//!
//! `cargo run -p sdnwire-sflow --example agent`

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_sflow::*;

fn main() {
    let frame: Vec<u8> = [
        &[0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00][..],
        &[
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ],
        &[0x13, 0x88, 0x00, 0x35, 0, 8, 0, 0],
    ]
    .concat();
    let dgram = Datagram {
        agent_address: Address::V4("192.0.2.1".parse().expect("address")),
        sub_agent_id: 0,
        sequence_number: 1,
        uptime: 12_000,
        samples: vec![
            Sample::Flow(FlowSample {
                sequence_number: 1,
                source_id: DataSource { class: 0, index: 1 },
                sampling_rate: 256,
                sample_pool: 256,
                drops: 0,
                input: Interface::if_index(1),
                output: Interface::if_index(2),
                records: vec![
                    FlowRecord::RawHeader(RawPacketHeader {
                        header_protocol: HeaderProtocol::ETHERNET,
                        frame_length: u32::try_from(frame.len()).expect("short frame") + 4,
                        stripped: 4,
                        header: frame.into(),
                    }),
                    FlowRecord::ExtendedSwitch(ExtendedSwitch {
                        src_vlan: 10,
                        dst_vlan: 10,
                        ..Default::default()
                    }),
                ]
                .into(),
            }),
            Sample::Counters(CountersSample {
                sequence_number: 1,
                source_id: DataSource { class: 0, index: 1 },
                records: vec![
                    CounterRecord::GenericInterface(GenericInterface {
                        if_index: 1,
                        if_type: 6,
                        if_speed: 1_000_000_000,
                        if_direction: 1,
                        if_status: 3,
                        if_in_octets: 123_456,
                        if_in_ucast_pkts: 789,
                        if_out_octets: 654_321,
                        if_out_ucast_pkts: 987,
                        ..Default::default()
                    }),
                    CounterRecord::Ethernet(EthernetCounters::default()),
                    CounterRecord::PortName(PortName {
                        name: "eth1".into(),
                    }),
                ]
                .into(),
            }),
        ],
    };
    let bytes = dgram.to_vec().expect("every value fits its field");
    println!("{} bytes:", bytes.len());
    for chunk in bytes.chunks(16) {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        println!("  {}", hex.join(" "));
    }
    let back = Datagram::parse(&bytes).expect("our own datagram decodes");
    assert_eq!(back, dgram);
    println!("decodes back to the same datagram; as sflowtool prints it:");
    print!("{back}");
}
