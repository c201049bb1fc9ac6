//! What the service tests share: a collector on loopback, datagrams built with
//! `sdnwire-sflow`, and a tiny HTTP/1.1 client over `TcpStream` (no second HTTP stack).

#![allow(dead_code, unreachable_pub, clippy::std_instead_of_core)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

use sdnwire_collector::config::Config;
use sdnwire_collector::server::{Running, Service};
use sdnwire_sflow::*;
use serde_json::Value;

/// A service on 127.0.0.1 ports chosen by the system.
pub fn start(mut config: Config) -> Running {
    config.sflow_listen = vec!["127.0.0.1:0".parse().unwrap()];
    config.http_listen = "127.0.0.1:0".parse().unwrap();
    Service::bind(config).unwrap().spawn().unwrap()
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes, reads until the server closes, parses the answer.
pub fn raw(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer (413) and close before it has read everything.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse_answer(&out)
}

pub fn parse_answer(out: &[u8]) -> Answer {
    let end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(out)));
    let head = std::str::from_utf8(&out[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect();
    let mut body = out[end + 4..].to_vec();
    if let Some((_, n)) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        body.truncate(n.parse().unwrap());
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// One request with `Connection: close`.
pub fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Answer {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
            b.len()
        ));
    } else {
        req.push_str("\r\n");
    }
    raw(addr, req.as_bytes())
}

pub fn get(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "GET", path, None)
}

/// An Ethernet/IPv4/TCP frame of `len` bytes on the wire (the header is what is sampled).
pub fn tcp_frame(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00];
    f.extend_from_slice(&[0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0]);
    f
}

/// A flow sample of `frame` (reported as `frame_length` bytes) on input `ifindex`.
pub fn flow_sample(seq: u32, ifindex: u32, rate: u32, frame: &[u8], frame_length: u32) -> Sample {
    Sample::Flow(FlowSample {
        sequence_number: seq,
        source_id: DataSource {
            class: 0,
            index: ifindex,
        },
        sampling_rate: rate,
        sample_pool: rate * seq,
        drops: 0,
        input: Interface::if_index(ifindex),
        output: Interface::if_index(99),
        records: vec![FlowRecord::RawHeader(RawPacketHeader {
            header_protocol: HeaderProtocol::ETHERNET,
            frame_length,
            stripped: 4,
            header: frame.to_vec().into(),
        })]
        .into(),
    })
}

/// A counter sample of interface `ifindex`.
pub fn counter_sample(
    seq: u32,
    ifindex: u32,
    in_octets: u64,
    in_pkts: u32,
    in_errors: u32,
) -> Sample {
    Sample::Counters(CountersSample {
        sequence_number: seq,
        source_id: DataSource {
            class: 0,
            index: ifindex,
        },
        records: vec![CounterRecord::GenericInterface(GenericInterface {
            if_index: ifindex,
            if_type: 6,
            if_speed: 1_000_000_000,
            if_direction: 1,
            if_status: 3,
            if_in_octets: in_octets,
            if_in_ucast_pkts: in_pkts,
            if_in_errors: in_errors,
            ..Default::default()
        })]
        .into(),
    })
}

/// A datagram of `agent` with `samples`.
pub fn datagram(agent: &str, seq: u32, uptime: u32, samples: Vec<Sample>) -> Vec<u8> {
    Datagram {
        agent_address: Address::V4(agent.parse().unwrap()),
        sub_agent_id: 0,
        sequence_number: seq,
        uptime,
        samples,
    }
    .to_vec()
    .unwrap()
}

/// A UDP socket on loopback that sends to the collector.
pub fn agent_socket() -> UdpSocket {
    UdpSocket::bind("127.0.0.1:0").unwrap()
}
