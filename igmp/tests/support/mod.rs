//! Shared by the scenario tests: frame builders (with `packet`), a virtual clock that jumps from
//! one wake-up to the next, and readers of what the snooper sent.
#![allow(dead_code, missing_docs, unreachable_pub)]

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{
    Config, Egress, Event, FilterMode, Instant, Snooper, Tag, TransmitKind, VlanId,
};
use sdnwire_packet::igmp::{GroupRecord, IgmpType, IgmpV2, IgmpV3Query, IgmpV3Report, RecordType};
use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr, Packet};

pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

pub fn host_mac(n: u8) -> MacAddr {
    MacAddr::new(0x02, 0, 0, 0, 0, n)
}

fn mcast_mac(g: Ipv4Addr) -> MacAddr {
    let o = g.octets();
    MacAddr::new(0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3])
}

/// IPv4 header of an IGMP message: TTL 1, Router Alert.
fn ip_hdr(src: Ipv4Addr, dst: Ipv4Addr) -> Ipv4 {
    let mut h = Ipv4::new(src, dst);
    h.ttl = 1;
    h.tos = 0xc0;
    h.option = vec![0x94, 0x04, 0, 0].into();
    h
}

fn frame(src: Ipv4Addr, dst: Ipv4Addr, igmp: Igmp) -> Vec<u8> {
    let last = src.octets()[3];
    (Ethernet::new(mcast_mac(dst), host_mac(last)) / ip_hdr(src, dst) / igmp)
        .with_min_len(60)
        .to_vec()
        .unwrap()
}

pub fn v1_report(host: Ipv4Addr, group: Ipv4Addr) -> Vec<u8> {
    frame(
        host,
        group,
        Igmp::V2(IgmpV2::new(IgmpType::REPORT_V1, 0, group)),
    )
}

pub fn v2_report(host: Ipv4Addr, group: Ipv4Addr) -> Vec<u8> {
    frame(
        host,
        group,
        Igmp::V2(IgmpV2::new(IgmpType::REPORT_V2, 0, group)),
    )
}

pub fn v2_leave(host: Ipv4Addr, group: Ipv4Addr) -> Vec<u8> {
    frame(
        host,
        ip("224.0.0.2"),
        Igmp::V2(IgmpV2::new(IgmpType::LEAVE, 0, group)),
    )
}

/// An IGMPv3 report with one record.
pub fn v3_report(host: Ipv4Addr, rtype: RecordType, group: Ipv4Addr, srcs: &[&str]) -> Vec<u8> {
    v3_report_records(host, &[(rtype, group, srcs)])
}

pub fn v3_report_records(host: Ipv4Addr, recs: &[(RecordType, Ipv4Addr, &[&str])]) -> Vec<u8> {
    let records = recs
        .iter()
        .map(|(t, g, s)| GroupRecord::new(*t, *g, s.iter().map(|a| ip(a)).collect()))
        .collect();
    frame(
        host,
        ip("224.0.0.22"),
        Igmp::V3Report(IgmpV3Report::new(records)),
    )
}

/// An IGMPv2 general query (Max Resp Time in seconds).
pub fn v2_query(src: Ipv4Addr, group: Option<Ipv4Addr>, max_resp_s: u8) -> Vec<u8> {
    let g = group.unwrap_or(Ipv4Addr::UNSPECIFIED);
    frame(
        src,
        group.unwrap_or(ip("224.0.0.1")),
        Igmp::V2(IgmpV2::new(IgmpType::QUERY, max_resp_s * 10, g)),
    )
}

/// An IGMPv3 query.
pub fn v3_query(
    src: Ipv4Addr,
    group: Option<Ipv4Addr>,
    srcs: &[&str],
    max_resp: Duration,
) -> Vec<u8> {
    let g = group.unwrap_or(Ipv4Addr::UNSPECIFIED);
    frame(
        src,
        group.unwrap_or(ip("224.0.0.1")),
        Igmp::V3Query(
            IgmpV3Query::new(g, srcs.iter().map(|a| ip(a)).collect()).with_max_resp(max_resp),
        ),
    )
}

/// Where the simulations start their virtual clock.
pub const T0: Instant = Instant::ZERO;

/// A snooper running from [`T0`].
pub fn snooper(config: Config) -> Snooper {
    Snooper::new(config, T0)
}

/// The ports a frame went out of, resolved when it was polled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// Every port of the VLAN but `except`.
    Flood { except: Option<u32> },
    /// These ports, sorted.
    Ports(Vec<u32>),
}

/// A frame the snooper sent: its bytes (the buffer `poll_transmit` filled) and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub frame: Vec<u8>,
    pub kind: TransmitKind,
    pub vlan: VlanId,
    pub tag: Tag,
    pub egress: Out,
}

/// Drains `poll_transmit` with one reused buffer, resolving router-port egress as a runtime
/// does.
pub fn drain_transmits(sn: &mut Snooper, buf: &mut Vec<u8>, out: &mut Vec<Sent>) {
    while let Some(tx) = sn.poll_transmit(buf) {
        let egress = match tx.egress {
            Egress::Flood { except } => Out::Flood { except },
            Egress::Port(p) => Out::Ports(vec![p]),
            Egress::RouterPorts { except } => Out::Ports(
                sn.router_ports(tx.vlan)
                    .iter()
                    .copied()
                    .filter(|&p| Some(p) != except)
                    .collect(),
            ),
            other => panic!("an egress the tests do not know: {other}"),
        };
        out.push(Sent {
            frame: buf.clone(),
            kind: tx.kind,
            vlan: tx.vlan,
            tag: tx.tag,
            egress,
        });
    }
    assert!(
        buf.is_empty(),
        "poll_transmit clears the buffer when it has nothing"
    );
}

/// A query the snooper sent, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentQuery {
    pub version: u8,
    pub group: Ipv4Addr,
    pub sources: Vec<Ipv4Addr>,
    pub s_flag: bool,
    pub src_ip: Ipv4Addr,
    pub dst_ip: Ipv4Addr,
    pub ttl: u8,
    pub router_alert: bool,
    pub egress: Out,
}

pub fn decode_query(tx: &Sent) -> Option<SentQuery> {
    let pkt = Packet::parse(&tx.frame).ok()?;
    let ipv4 = pkt.get::<Ipv4>()?;
    match pkt.get::<Igmp>()? {
        Igmp::V2(q) if q.msgtype == IgmpType::QUERY => Some(SentQuery {
            version: 2,
            group: q.address,
            sources: vec![],
            s_flag: false,
            src_ip: ipv4.src,
            dst_ip: ipv4.dst,
            ttl: ipv4.ttl,
            router_alert: ipv4.option.starts_with(&[0x94, 0x04, 0, 0]),
            egress: tx.egress.clone(),
        }),
        Igmp::V3Query(q) => Some(SentQuery {
            version: 3,
            group: q.address,
            sources: q.srcs.clone(),
            s_flag: q.s_flg,
            src_ip: ipv4.src,
            dst_ip: ipv4.dst,
            ttl: ipv4.ttl,
            router_alert: ipv4.option.starts_with(&[0x94, 0x04, 0, 0]),
            egress: tx.egress.clone(),
        }),
        _ => None,
    }
}

/// A membership as the tests compare it: mode, sources with their timer (seconds from t0,
/// `None` when excluded), group timer.
pub type State = (FilterMode, Vec<(Ipv4Addr, Option<f64>)>, Option<f64>);

/// A snooper on a virtual clock.
pub struct Sim {
    pub sn: Snooper,
    pub t0: Instant,
    pub now: Instant,
    pub sent: Vec<Sent>,
    pub events: Vec<Event>,
    /// `Err`s of `handle_frame`.
    pub errors: Vec<sdnwire_igmp::Error>,
    pub buf: Vec<u8>,
}

impl Sim {
    /// A simulation of `sn`, which runs from [`T0`] (made by [`snooper`]).
    pub fn new(sn: Snooper) -> Sim {
        let mut s = Sim {
            sn,
            t0: T0,
            now: T0,
            sent: vec![],
            events: vec![],
            errors: vec![],
            buf: Vec::new(),
        };
        s.drain();
        s
    }

    pub fn drain(&mut self) {
        drain_transmits(&mut self.sn, &mut self.buf, &mut self.sent);
        while let Some(ev) = self.sn.poll_event() {
            self.events.push(ev);
        }
    }

    /// `secs` after t0.
    pub fn at(&self, secs: f64) -> Instant {
        self.t0 + Duration::from_secs_f64(secs)
    }

    /// Runs every wake-up up to `t0 + secs`, then stays there.
    pub fn run_until(&mut self, secs: f64) {
        let end = self.at(secs);
        while let Some(t) = self.sn.poll_timeout() {
            if t > end {
                break;
            }
            let t = t.max(self.now);
            self.now = t;
            self.sn.handle_timeout(t);
            self.drain();
        }
        self.now = end;
        self.sn.handle_timeout(end);
        self.drain();
    }

    pub fn frame(&mut self, port: u32, frame: &[u8]) {
        let now = self.now;
        if let Err(e) = self.sn.handle_frame(now, port, None, frame) {
            self.errors.push(e);
        }
        self.drain();
    }

    pub fn take_errors(&mut self) -> Vec<sdnwire_igmp::Error> {
        core::mem::take(&mut self.errors)
    }

    pub fn take_sent(&mut self) -> Vec<Sent> {
        core::mem::take(&mut self.sent)
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    pub fn take_queries(&mut self) -> Vec<SentQuery> {
        self.take_sent().iter().filter_map(decode_query).collect()
    }

    /// Seconds from t0 to an instant (rounded to ms).
    pub fn secs(&self, t: Instant) -> f64 {
        ((t - self.t0).as_millis() as f64) / 1000.0
    }

    /// (mode, [(source, timer in s from t0 or None)], group timer) of a port's membership.
    pub fn state(&self, group: Ipv4Addr, port: u32) -> Option<State> {
        let m = self.sn.membership(VlanId::UNTAGGED, group, port)?;
        Some((
            m.mode,
            m.sources
                .iter()
                .map(|s| (s.addr, s.timer.map(|t| self.secs(t))))
                .collect(),
            m.group_timer.map(|t| self.secs(t)),
        ))
    }

    /// Whether traffic from `source` to `group` reaches `port`.
    pub fn forwards(&self, group: Ipv4Addr, source: &str, port: u32) -> bool {
        // Traffic from a source on a port no test uses.
        match self
            .sn
            .forward_ports(VlanId::UNTAGGED, group, ip(source), 9999)
        {
            sdnwire_igmp::Forward::Flood => true,
            sdnwire_igmp::Forward::Ports(p) => p.contains(port),
            sdnwire_igmp::Forward::Drop => false,
            other => panic!("a forwarding the tests do not know: {other:?}"),
        }
    }
}
