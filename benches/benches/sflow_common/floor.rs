//! The hand-written owned floor of `Datagram::parse`: straight off the bytes into the same
//! owned `Datagram` (the same types, the same one allocation of the list of samples, each
//! record in the sample's inline list), with the same checks `Datagram::parse` makes on what
//! the benchmark's datagrams contain: version 5, the lengths of every sample and record
//! against what encloses it (XDR padding included), the counts against the bytes left (8 per
//! sample or record at least), each fixed-layout record's exact length, nothing left over
//! after the last record of a sample or the last sample of the datagram.
//!
//! It accepts only what the groups hold (an IPv4 agent, compact flow and counters samples,
//! and their record formats: sampled header, extended switch, IPv4 data; generic interface,
//! Ethernet, LAG, OpenFlow port, port name, application resources, Open vSwitch datapath):
//! anything else fails it. It is a floor to measure the library against, not a decoder; it
//! gives no error, only `None`. Checked equal (value) to `Datagram::parse` on every datagram
//! of the groups before timing and in `tests/sflow_agree.rs`.

use core::net::Ipv4Addr;

use sdnwire_packet::MacAddr;
use sdnwire_sflow::{
    Address, AppResources, CounterRecord, CountersSample, DataSource, Datagram, EthernetCounters,
    ExtendedSwitch, FlowRecord, FlowSample, GenericInterface, HeaderProtocol, Interface, Ipv4Data,
    LagPortStats, Opaque, OpenFlowPort, OvsDpStats, PaddedMac, PortName, RawPacketHeader, Sample,
    XdrString,
};

/// The next `n` bytes.
#[inline(always)]
fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (x, rest) = b.split_at_checked(n)?;
    *b = rest;
    Some(x)
}

#[inline(always)]
fn u32_(b: &mut &[u8]) -> Option<u32> {
    let (x, rest) = b.split_first_chunk::<4>()?;
    *b = rest;
    Some(u32::from_be_bytes(*x))
}

/// An XDR opaque: the data and its padding (at most 3 bytes, to the next multiple of 4), both
/// within `b`.
#[inline(always)]
fn opaque<'a>(b: &mut &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
    let len = u32_(b)? as usize;
    let all = take(b, len.checked_add((4 - len % 4) % 4)?)?;
    Some(all.split_at(len))
}

/// A count of items of 8 bytes at least that `left` bytes can hold.
#[inline(always)]
fn count(c: u32, left: usize) -> Option<usize> {
    ((c as usize).saturating_mul(8) <= left).then_some(c as usize)
}

/// The first three bytes of `pad`, zero past its end.
#[inline(always)]
fn pad3(pad: &[u8]) -> [u8; 3] {
    let at = |i: usize| pad.get(i).copied().unwrap_or(0);
    [at(0), at(1), at(2)]
}

#[inline(always)]
fn w32<const N: usize>(d: &[u8; N], at: usize) -> u32 {
    u32::from_be_bytes(d[at..at + 4].try_into().unwrap())
}

#[inline(always)]
fn w64<const N: usize>(d: &[u8; N], at: usize) -> u64 {
    u64::from_be_bytes(d[at..at + 8].try_into().unwrap())
}

#[inline(always)]
fn mac8<const N: usize>(d: &[u8; N], at: usize) -> PaddedMac {
    PaddedMac {
        mac: MacAddr(d[at..at + 6].try_into().unwrap()),
        padding: [d[at + 6], d[at + 7]],
    }
}

/// A record's data as a fixed-size array: its length must be exactly `N`.
#[inline(always)]
fn fixed<const N: usize>(data: &[u8]) -> Option<&[u8; N]> {
    data.try_into().ok()
}

/// The datagram, or `None` for anything `Datagram::parse` refuses or the groups do not hold.
#[inline(never)]
pub(crate) fn parse(bytes: &[u8]) -> Option<Datagram> {
    let mut b = bytes;
    let (h, rest) = b.split_first_chunk::<28>()?;
    b = rest;
    let h: &[u8; 28] = h;
    // Version 5, an IPv4 agent (address type 1).
    if w32(h, 0) != 5 || w32(h, 4) != 1 {
        return None;
    }
    let n = count(w32(h, 24), b.len())?;
    let mut samples: Vec<Sample> = Vec::with_capacity(n);
    for _ in 0..n {
        let format = u32_(&mut b)?;
        let (mut s, _pad) = opaque(&mut b)?;
        match format {
            1 => {
                let (h, rest) = s.split_first_chunk::<32>()?;
                s = rest;
                let records = count(w32(h, 28), s.len())?;
                let at = samples.len() + 1;
                samples.resize_with(at, || {
                    Sample::Flow(FlowSample {
                        sequence_number: w32(h, 0),
                        source_id: DataSource::from_compact(w32(h, 4)),
                        sampling_rate: w32(h, 8),
                        sample_pool: w32(h, 12),
                        drops: w32(h, 16),
                        input: Interface::from_compact(w32(h, 20)),
                        output: Interface::from_compact(w32(h, 24)),
                        records: Default::default(),
                    })
                });
                let Some(Sample::Flow(f)) = samples.last_mut() else {
                    return None;
                };
                let out = &mut f.records;
                if records > 4 {
                    out.reserve(records);
                }
                for _ in 0..records {
                    let format = u32_(&mut s)?;
                    let (data, _pad) = opaque(&mut s)?;
                    match format {
                        1 => {
                            let mut d = data;
                            let (h, rest) = d.split_first_chunk::<12>()?;
                            d = rest;
                            let (header, pad) = opaque(&mut d)?;
                            if !d.is_empty() {
                                return None;
                            }
                            out.push(FlowRecord::RawHeader(RawPacketHeader {
                                header_protocol: HeaderProtocol(w32(h, 0)),
                                frame_length: w32(h, 4),
                                stripped: w32(h, 8),
                                header: Opaque {
                                    data: sdnwire_sflow::InlineVec::from_slice(header),
                                    padding: pad3(pad),
                                },
                            }));
                        }
                        1001 => {
                            let d = fixed::<16>(data)?;
                            out.push(FlowRecord::ExtendedSwitch(ExtendedSwitch {
                                src_vlan: w32(d, 0),
                                src_priority: w32(d, 4),
                                dst_vlan: w32(d, 8),
                                dst_priority: w32(d, 12),
                            }));
                        }
                        3 => {
                            let d = fixed::<32>(data)?;
                            out.push(FlowRecord::Ipv4(Ipv4Data {
                                length: w32(d, 0),
                                protocol: w32(d, 4),
                                src_ip: Ipv4Addr::from(w32(d, 8)),
                                dst_ip: Ipv4Addr::from(w32(d, 12)),
                                src_port: w32(d, 16),
                                dst_port: w32(d, 20),
                                tcp_flags: w32(d, 24),
                                tos: w32(d, 28),
                            }));
                        }
                        _ => return None,
                    }
                }
            }
            2 => {
                let (h, rest) = s.split_first_chunk::<12>()?;
                s = rest;
                let records = count(w32(h, 8), s.len())?;
                let at = samples.len() + 1;
                samples.resize_with(at, || {
                    Sample::Counters(CountersSample {
                        sequence_number: w32(h, 0),
                        source_id: DataSource::from_compact(w32(h, 4)),
                        records: Default::default(),
                    })
                });
                let Some(Sample::Counters(c)) = samples.last_mut() else {
                    return None;
                };
                let out = &mut c.records;
                if records > 5 {
                    out.reserve(records);
                }
                for _ in 0..records {
                    let format = u32_(&mut s)?;
                    let (data, _pad) = opaque(&mut s)?;
                    match format {
                        1 => {
                            let d = fixed::<88>(data)?;
                            out.push(CounterRecord::GenericInterface(GenericInterface {
                                if_index: w32(d, 0),
                                if_type: w32(d, 4),
                                if_speed: w64(d, 8),
                                if_direction: w32(d, 16),
                                if_status: w32(d, 20),
                                if_in_octets: w64(d, 24),
                                if_in_ucast_pkts: w32(d, 32),
                                if_in_multicast_pkts: w32(d, 36),
                                if_in_broadcast_pkts: w32(d, 40),
                                if_in_discards: w32(d, 44),
                                if_in_errors: w32(d, 48),
                                if_in_unknown_protos: w32(d, 52),
                                if_out_octets: w64(d, 56),
                                if_out_ucast_pkts: w32(d, 64),
                                if_out_multicast_pkts: w32(d, 68),
                                if_out_broadcast_pkts: w32(d, 72),
                                if_out_discards: w32(d, 76),
                                if_out_errors: w32(d, 80),
                                if_promiscuous_mode: w32(d, 84),
                            }));
                        }
                        2 => {
                            let d = fixed::<52>(data)?;
                            out.push(CounterRecord::Ethernet(EthernetCounters {
                                dot3_stats_alignment_errors: w32(d, 0),
                                dot3_stats_fcs_errors: w32(d, 4),
                                dot3_stats_single_collision_frames: w32(d, 8),
                                dot3_stats_multiple_collision_frames: w32(d, 12),
                                dot3_stats_sqe_test_errors: w32(d, 16),
                                dot3_stats_deferred_transmissions: w32(d, 20),
                                dot3_stats_late_collisions: w32(d, 24),
                                dot3_stats_excessive_collisions: w32(d, 28),
                                dot3_stats_internal_mac_transmit_errors: w32(d, 32),
                                dot3_stats_carrier_sense_errors: w32(d, 36),
                                dot3_stats_frame_too_longs: w32(d, 40),
                                dot3_stats_internal_mac_receive_errors: w32(d, 44),
                                dot3_stats_symbol_errors: w32(d, 48),
                            }));
                        }
                        7 => {
                            let d = fixed::<56>(data)?;
                            out.push(CounterRecord::Lag(LagPortStats {
                                actor_system_id: mac8(d, 0),
                                partner_system_id: mac8(d, 8),
                                attached_agg_id: w32(d, 16),
                                actor_admin_state: d[20],
                                actor_oper_state: d[21],
                                partner_admin_state: d[22],
                                partner_oper_state: d[23],
                                lacpdus_rx: w32(d, 24),
                                marker_pdus_rx: w32(d, 28),
                                marker_response_pdus_rx: w32(d, 32),
                                unknown_rx: w32(d, 36),
                                illegal_rx: w32(d, 40),
                                lacpdus_tx: w32(d, 44),
                                marker_pdus_tx: w32(d, 48),
                                marker_response_pdus_tx: w32(d, 52),
                            }));
                        }
                        1004 => {
                            let d = fixed::<12>(data)?;
                            out.push(CounterRecord::OpenFlowPort(OpenFlowPort {
                                datapath_id: w64(d, 0),
                                port_no: w32(d, 8),
                            }));
                        }
                        1005 => {
                            let mut d = data;
                            let (name, pad) = opaque(&mut d)?;
                            if !d.is_empty() {
                                return None;
                            }
                            out.push(CounterRecord::PortName(PortName {
                                name: XdrString {
                                    data: sdnwire_sflow::InlineVec::from_slice(name),
                                    padding: pad3(pad),
                                },
                            }));
                        }
                        2203 => {
                            let d = fixed::<40>(data)?;
                            out.push(CounterRecord::AppResources(AppResources {
                                user_time: w32(d, 0),
                                system_time: w32(d, 4),
                                mem_used: w64(d, 8),
                                mem_max: w64(d, 16),
                                fd_open: w32(d, 24),
                                fd_max: w32(d, 28),
                                conn_open: w32(d, 32),
                                conn_max: w32(d, 36),
                            }));
                        }
                        2207 => {
                            let d = fixed::<24>(data)?;
                            out.push(CounterRecord::OvsDp(OvsDpStats {
                                n_hit: w32(d, 0),
                                n_missed: w32(d, 4),
                                n_lost: w32(d, 8),
                                n_mask_hit: w32(d, 12),
                                n_flows: w32(d, 16),
                                n_masks: w32(d, 20),
                            }));
                        }
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
        // Nothing after the sample's last record.
        if !s.is_empty() {
            return None;
        }
    }
    // Nothing after the datagram's last sample.
    if !b.is_empty() {
        return None;
    }
    Some(Datagram {
        agent_address: Address::V4(Ipv4Addr::from(w32(h, 8))),
        sub_agent_id: w32(h, 12),
        sequence_number: w32(h, 16),
        uptime: w32(h, 20),
        samples,
    })
}
