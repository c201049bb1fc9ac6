//! Interface metrics from counter samples: rates per second from counter deltas, named as
//! sFlow-RT names them (`ifinoctets`, `eth_fcserrors`, ...).
//!
//! A rate is `(counter now − counter before) / (seconds between the two samples)`. The
//! differences are taken modulo the counter's width (32 bits for packet and error counters,
//! 64 for octets), so a counter that wraps gives the right rate; a difference of more than half
//! the width is not a wrap but a reset, and gives no value. Neither does a rate the interface
//! could not carry (more than 1.5 × `ifspeed` bits per second, or packets per second for
//! minimum-size frames), nor a sample whose sequence number went backwards (the source
//! restarted), nor any sample of an agent whose datagram sequence number or uptime went
//! backwards ([`Event::AgentRestarted`](super::Event::AgentRestarted)): the counters are taken as
//! the new baseline and the next sample gives rates again. No reset ever shows up as a spike.
//!
//! Counters an agent marks as unknown (all ones) give no value. Gauges (`ifspeed`,
//! `ifadminstatus`, ...) are the last value received; `ifadminstatus` and `ifoperstatus` read 1
//! for up and 0 for down.

use core::net::IpAddr;

use sdnwire_sflow::{EthernetCounters, GenericInterface};

/// What the engine needs of one counter sample.
#[derive(Debug, Clone, Copy)]
pub struct CounterSampleInput {
    /// The agent that sent the sample.
    pub agent: IpAddr,
    /// The data source's index (the ifIndex for an interface); used when the sample has no
    /// generic interface counters.
    pub source_index: u32,
    /// The sample's sequence number (incremented by the source for every counter sample).
    pub sequence: u32,
    /// The generic interface counters, if the sample has them.
    pub generic: Option<GenericInterface>,
    /// The Ethernet counters, if the sample has them.
    pub ethernet: Option<EthernetCounters>,
}

macro_rules! metrics {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal; )*) => {
        /// An interface metric, named as sFlow-RT names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Metric {
            $( $(#[$doc])* $variant, )*
        }

        impl Metric {
            /// Every metric, in declaration order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant),*];

            /// The metric's name (`ifinoctets`).
            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* }
            }

            /// The metric named `name`, if any.
            pub fn from_name(name: &str) -> Option<Metric> {
                match name { $($name => Some(Metric::$variant),)* _ => None }
            }
        }
    };
}

metrics! {
    /// ifType (gauge).
    IfType = "iftype";
    /// ifSpeed, bits per second (gauge).
    IfSpeed = "ifspeed";
    /// ifDirection: 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out (gauge).
    IfDirection = "ifdirection";
    /// ifAdminStatus: 1 up, 0 down (gauge).
    IfAdminStatus = "ifadminstatus";
    /// ifOperStatus: 1 up, 0 down (gauge).
    IfOperStatus = "ifoperstatus";
    /// ifPromiscuousMode: 1 true, 0 false (the agent sends 1 true, 2 false) (gauge).
    IfPromiscuousMode = "ifpromiscuousmode";
    /// ifInOctets per second.
    IfInOctets = "ifinoctets";
    /// ifInUcastPkts per second.
    IfInUcastPkts = "ifinucastpkts";
    /// ifInMulticastPkts per second.
    IfInMulticastPkts = "ifinmulticastpkts";
    /// ifInBroadcastPkts per second.
    IfInBroadcastPkts = "ifinbroadcastpkts";
    /// ifInDiscards per second.
    IfInDiscards = "ifindiscards";
    /// ifInErrors per second.
    IfInErrors = "ifinerrors";
    /// ifInUnknownProtos per second.
    IfInUnknownProtos = "ifinunknownprotos";
    /// ifOutOctets per second.
    IfOutOctets = "ifoutoctets";
    /// ifOutUcastPkts per second.
    IfOutUcastPkts = "ifoutucastpkts";
    /// ifOutMulticastPkts per second.
    IfOutMulticastPkts = "ifoutmulticastpkts";
    /// ifOutBroadcastPkts per second.
    IfOutBroadcastPkts = "ifoutbroadcastpkts";
    /// ifOutDiscards per second.
    IfOutDiscards = "ifoutdiscards";
    /// ifOutErrors per second.
    IfOutErrors = "ifouterrors";
    /// Unicast + multicast + broadcast packets in, per second (those the agent knows).
    IfInPkts = "ifinpkts";
    /// Unicast + multicast + broadcast packets out, per second (those the agent knows).
    IfOutPkts = "ifoutpkts";
    /// ifinoctets × 800 / ifspeed: percent of the line rate.
    IfInUtilization = "ifinutilization";
    /// ifoutoctets × 800 / ifspeed: percent of the line rate.
    IfOutUtilization = "ifoututilization";
    /// dot3StatsAlignmentErrors per second.
    EthAlignmentErrors = "eth_alignmenterrors";
    /// dot3StatsFCSErrors per second.
    EthFcsErrors = "eth_fcserrors";
    /// dot3StatsSingleCollisionFrames per second.
    EthSingleCollisions = "eth_singlecollisions";
    /// dot3StatsMultipleCollisionFrames per second.
    EthMultipleCollisions = "eth_multiplecollisions";
    /// dot3StatsSQETestErrors per second.
    EthSqeTestErrors = "eth_sqetesterrors";
    /// dot3StatsDeferredTransmissions per second.
    EthDeferredTx = "eth_deferredtx";
    /// dot3StatsLateCollisions per second.
    EthLateCollisions = "eth_latecollision";
    /// dot3StatsExcessiveCollisions per second.
    EthExcessiveCollisions = "eth_excessivecollisions";
    /// dot3StatsInternalMacTransmitErrors per second.
    EthInternalMacTransmitErrors = "eth_internalmactransmiterrors";
    /// dot3StatsCarrierSenseErrors per second.
    EthCarrierSenseErrors = "eth_carriersenseerrors";
    /// dot3StatsFrameTooLongs per second.
    EthFrameTooLongs = "eth_frametoolongs";
    /// dot3StatsInternalMacReceiveErrors per second.
    EthInternalMacReceiveErrors = "eth_internalmacreceiveerrors";
    /// dot3StatsSymbolErrors per second.
    EthSymbolErrors = "eth_symbolerrors";
}

impl core::fmt::Display for Metric {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

const NUM_METRICS: usize = Metric::EthSymbolErrors as usize + 1;
// The valid-metric set is a u64 bitmask.
const _: () = assert!(NUM_METRICS <= 64);

/// The raw counters kept between samples, in this order.
const NUM_COUNTERS: usize = 13 + 13;
/// The first rate metric; counter `i` gives metric `FIRST_RATE + i` for the generic counters.
const GENERIC_RATES: [Metric; 13] = [
    Metric::IfInOctets,
    Metric::IfInUcastPkts,
    Metric::IfInMulticastPkts,
    Metric::IfInBroadcastPkts,
    Metric::IfInDiscards,
    Metric::IfInErrors,
    Metric::IfInUnknownProtos,
    Metric::IfOutOctets,
    Metric::IfOutUcastPkts,
    Metric::IfOutMulticastPkts,
    Metric::IfOutBroadcastPkts,
    Metric::IfOutDiscards,
    Metric::IfOutErrors,
];
const ETH_RATES: [Metric; 13] = [
    Metric::EthAlignmentErrors,
    Metric::EthFcsErrors,
    Metric::EthSingleCollisions,
    Metric::EthMultipleCollisions,
    Metric::EthSqeTestErrors,
    Metric::EthDeferredTx,
    Metric::EthLateCollisions,
    Metric::EthExcessiveCollisions,
    Metric::EthInternalMacTransmitErrors,
    Metric::EthCarrierSenseErrors,
    Metric::EthFrameTooLongs,
    Metric::EthInternalMacReceiveErrors,
    Metric::EthSymbolErrors,
];

/// Shortest interval between two samples that gives rates (a repeated sample is ignored).
const MIN_INTERVAL: f64 = 0.05;

/// A sample whose sequence number is at most this much behind the last one is a late
/// (reordered) sample and ignored; further behind, the source restarted.
const STALE_WINDOW: u32 = 16;

/// A counter reading: value and width in bits (0: unknown).
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    value: u64,
    bits: u8,
    /// 1: octets (bits/s bound), 2: packets (minimum-frame bound), 0: no bound.
    class: u8,
}

fn c32(v: u32, class: u8) -> Reading {
    Reading {
        value: u64::from(v),
        bits: if v == u32::MAX { 0 } else { 32 },
        class,
    }
}

fn c64(v: u64) -> Reading {
    Reading {
        value: v,
        bits: if v == u64::MAX { 0 } else { 64 },
        class: 1,
    }
}

/// The state of one interface of one agent.
#[derive(Debug, Clone)]
pub(crate) struct Interface {
    /// Engine time of the baseline.
    base_t: f64,
    base: [Reading; NUM_COUNTERS],
    have_base: bool,
    sequence: Option<u32>,
    values: [f64; NUM_METRICS],
    valid: u64,
    /// The last ifSpeed (0: unknown).
    speed: u64,
    /// Engine time of the last sample.
    pub(crate) updated: f64,
}

impl Interface {
    pub(crate) fn new() -> Interface {
        Interface {
            base_t: 0.0,
            base: [Reading::default(); NUM_COUNTERS],
            have_base: false,
            sequence: None,
            values: [0.0; NUM_METRICS],
            valid: 0,
            speed: 0,
            updated: 0.0,
        }
    }

    /// Forgets the baseline and the sample sequence number (the source restarted): the next
    /// sample only sets a new baseline.
    pub(crate) fn rebaseline(&mut self) {
        self.have_base = false;
        self.sequence = None;
    }

    fn set(&mut self, m: Metric, v: f64) {
        if let Some(slot) = self.values.get_mut(m as usize) {
            *slot = v;
            self.valid |= 1 << (m as u64);
        }
    }

    fn clear(&mut self, m: Metric) {
        self.valid &= !(1 << (m as u64));
    }

    /// The metric's value, if known.
    pub(crate) fn get(&self, m: Metric) -> Option<f64> {
        if self.valid & (1 << (m as u64)) == 0 {
            return None;
        }
        self.values.get(m as usize).copied()
    }

    /// Takes a counter sample at engine time `t`; returns true if it was a discontinuity
    /// (the source restarted).
    pub(crate) fn update(&mut self, t: f64, s: &CounterSampleInput) -> bool {
        let mut restarted = false;
        if let Some(prev) = self.sequence {
            if s.sequence == prev {
                return false; // a repeated sample
            }
            let back = prev.wrapping_sub(s.sequence);
            if back <= STALE_WINDOW {
                return false; // a late (reordered) sample, older than the baseline
            }
            // Backwards by more (and not a wrap of the 32-bit sequence): the source restarted.
            if back < u32::MAX / 2 {
                self.have_base = false;
                restarted = true;
            }
        }
        let mut now = [Reading::default(); NUM_COUNTERS];
        let speed;
        if let Some(g) = &s.generic {
            speed = if g.if_speed == u64::MAX {
                0
            } else {
                g.if_speed
            };
            self.set(Metric::IfType, f64::from(g.if_type));
            self.set(Metric::IfSpeed, speed as f64);
            self.set(Metric::IfDirection, f64::from(g.if_direction));
            self.set(Metric::IfAdminStatus, f64::from(g.if_status & 1));
            self.set(Metric::IfOperStatus, f64::from((g.if_status >> 1) & 1));
            self.set(
                Metric::IfPromiscuousMode,
                f64::from(u8::from(g.if_promiscuous_mode == 1)),
            );
            let r = [
                c64(g.if_in_octets),
                c32(g.if_in_ucast_pkts, 2),
                c32(g.if_in_multicast_pkts, 2),
                c32(g.if_in_broadcast_pkts, 2),
                c32(g.if_in_discards, 2),
                c32(g.if_in_errors, 2),
                c32(g.if_in_unknown_protos, 2),
                c64(g.if_out_octets),
                c32(g.if_out_ucast_pkts, 2),
                c32(g.if_out_multicast_pkts, 2),
                c32(g.if_out_broadcast_pkts, 2),
                c32(g.if_out_discards, 2),
                c32(g.if_out_errors, 2),
            ];
            for (d, v) in now.iter_mut().zip(r) {
                *d = v;
            }
        } else {
            speed = self.speed;
        }
        self.speed = speed;
        if let Some(e) = &s.ethernet {
            let r = [
                e.dot3_stats_alignment_errors,
                e.dot3_stats_fcs_errors,
                e.dot3_stats_single_collision_frames,
                e.dot3_stats_multiple_collision_frames,
                e.dot3_stats_sqe_test_errors,
                e.dot3_stats_deferred_transmissions,
                e.dot3_stats_late_collisions,
                e.dot3_stats_excessive_collisions,
                e.dot3_stats_internal_mac_transmit_errors,
                e.dot3_stats_carrier_sense_errors,
                e.dot3_stats_frame_too_longs,
                e.dot3_stats_internal_mac_receive_errors,
                e.dot3_stats_symbol_errors,
            ];
            for (d, v) in now.iter_mut().skip(13).zip(r) {
                *d = c32(v, 2);
            }
        }
        let dt = t - self.base_t;
        if self.have_base && dt < MIN_INTERVAL {
            // Too close to the baseline for a rate: keep the baseline, take the next one.
            self.sequence = Some(s.sequence);
            self.updated = t;
            return restarted;
        }
        // Bounds on what the interface can carry: bytes/s and minimum-size frames/s.
        let max_octets = speed as f64 / 8.0 * 1.5;
        let max_pkts = speed as f64 / (8.0 * 64.0) * 1.5;
        if self.have_base {
            let metrics = GENERIC_RATES.iter().chain(ETH_RATES.iter());
            let base = self.base;
            for ((old, new), &m) in base.iter().zip(now.iter()).zip(metrics) {
                let rate = if old.bits == 0 || new.bits != old.bits {
                    None
                } else {
                    let range_mask = if new.bits >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << new.bits) - 1
                    };
                    let d = new.value.wrapping_sub(old.value) & range_mask;
                    if d > range_mask / 2 {
                        None // backwards: a reset, not a wrap
                    } else {
                        let r = d as f64 / dt;
                        let bound = match new.class {
                            1 => max_octets,
                            2 => max_pkts,
                            _ => 0.0,
                        };
                        (speed == 0 || r <= bound).then_some(r)
                    }
                };
                match rate {
                    Some(r) => self.set(m, r),
                    None if new.bits == 0 => self.clear(m),
                    None => {}
                }
            }
            self.derive(speed);
        }
        self.base = now;
        self.base_t = t;
        self.have_base = true;
        self.sequence = Some(s.sequence);
        self.updated = t;
        restarted
    }

    /// ifinpkts, ifoutpkts and the utilisations, from the rates.
    fn derive(&mut self, speed: u64) {
        // The packet counters an agent knows (OVS marks multicast and broadcast unknown).
        let sum = |me: &Self, ms: [Metric; 3]| -> Option<f64> {
            ms.iter()
                .filter_map(|&m| me.get(m))
                .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
        };
        match sum(
            self,
            [
                Metric::IfInUcastPkts,
                Metric::IfInMulticastPkts,
                Metric::IfInBroadcastPkts,
            ],
        ) {
            Some(v) => self.set(Metric::IfInPkts, v),
            None => self.clear(Metric::IfInPkts),
        }
        match sum(
            self,
            [
                Metric::IfOutUcastPkts,
                Metric::IfOutMulticastPkts,
                Metric::IfOutBroadcastPkts,
            ],
        ) {
            Some(v) => self.set(Metric::IfOutPkts, v),
            None => self.clear(Metric::IfOutPkts),
        }
        for (octets, util) in [
            (Metric::IfInOctets, Metric::IfInUtilization),
            (Metric::IfOutOctets, Metric::IfOutUtilization),
        ] {
            match self.get(octets) {
                Some(v) if speed > 0 => self.set(util, v * 800.0 / speed as f64),
                _ => self.clear(util),
            }
        }
    }

    /// Every known metric and its value.
    pub(crate) fn values(&self) -> impl Iterator<Item = (Metric, f64)> + '_ {
        Metric::ALL
            .iter()
            .filter_map(|&m| self.get(m).map(|v| (m, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seq: u32, octets: u64, pkts: u32) -> CounterSampleInput {
        CounterSampleInput {
            agent: "10.0.0.1".parse().unwrap(),
            source_index: 1,
            sequence: seq * 100,
            generic: Some(GenericInterface {
                if_index: 1,
                if_type: 6,
                if_speed: 1_000_000_000,
                if_direction: 1,
                if_status: 3,
                if_in_octets: octets,
                if_in_ucast_pkts: pkts,
                ..GenericInterface::default()
            }),
            ethernet: None,
        }
    }

    #[test]
    fn names_round_trip() {
        for &m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
    }

    #[test]
    fn rates_wraps_and_resets() {
        let mut i = Interface::new();
        i.update(0.0, &sample(1, 1000, 10));
        assert_eq!(i.get(Metric::IfInOctets), None);
        assert_eq!(i.get(Metric::IfAdminStatus), Some(1.0));
        i.update(10.0, &sample(2, 11_000, 110));
        assert_eq!(i.get(Metric::IfInOctets), Some(1000.0));
        assert_eq!(i.get(Metric::IfInUcastPkts), Some(10.0));
        assert_eq!(i.get(Metric::IfInUtilization), Some(1000.0 * 800.0 / 1e9));
        // 32-bit wrap of the packet counter: 100 packets in 10 s. The jump to near the top
        // is forward by more than half the range: a reset, no value.
        i.update(20.0, &sample(3, 21_000, u32::MAX - 50));
        assert_eq!(i.get(Metric::IfInUcastPkts), Some(10.0));
        i.update(30.0, &sample(4, 31_000, 49));
        assert_eq!(i.get(Metric::IfInUcastPkts), Some(10.0));
        i.update(40.0, &sample(5, 41_000, 249));
        assert_eq!(i.get(Metric::IfInUcastPkts), Some(20.0));
        // 64-bit wrap of the octets.
        i.update(50.0, &sample(6, u64::MAX - 4999, 249));
        i.update(60.0, &sample(7, 5000, 249));
        assert_eq!(i.get(Metric::IfInOctets), Some(1000.0));
        // A counter reset (64-bit octets back to 0): no spike, the old value stays.
        i.update(70.0, &sample(8, 5, 0));
        assert_eq!(i.get(Metric::IfInOctets), Some(1000.0));
        // 32-bit reset from a small value looks like a wrap, but the rate is impossible.
        assert!(i.get(Metric::IfInUcastPkts).unwrap() < 1e6);
        // Sequence number backwards: rebaselined, the sample gives no rates.
        assert!(i.update(80.0, &sample(1, 1_000_000_000_000, 5)));
        assert_eq!(i.get(Metric::IfInOctets), Some(1000.0));
        i.update(90.0, &sample(2, 1_000_000_010_000, 105));
        assert_eq!(i.get(Metric::IfInOctets), Some(1000.0));
        assert_eq!(i.get(Metric::IfInUcastPkts), Some(10.0));
    }
}
