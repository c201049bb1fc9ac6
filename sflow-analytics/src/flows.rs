//! Flow definitions and the table of active flows of each, with smoothed rates.
//!
//! A flow's rate is an exponentially decaying sum: a sample worth `v` (frames or bytes, already
//! scaled by the sampling rate) seen at `tᵢ` adds `v·e^{-(t-tᵢ)/τ}/τ` to the rate at `t`, so a
//! steady stream of `R` units per second reads `R` once a few `τ` have passed. The table keeps
//! the sum in *forward-decay* form, `Σ vᵢ·e^{(tᵢ-L)/τ}` for a landmark `L`, so that adding a
//! sample is one multiply-add (the factor `e^{(t-L)/τ}` is computed once per distinct `t`) and
//! the order of flows never changes between samples; the landmark moves forward (every score
//! rescaled) long before the factor could overflow.
//!
//! Memory: at most [`FlowDefinition::max_flows`] flows per definition. A new flow beyond it
//! first makes the table drop its idle flows; if the table is still full it either evicts its
//! smallest eighth in one pass (amortised constant time per new flow, the default) or refuses
//! the new flow ([`Overflow`]); both are counted and reported by
//! [`Event::FlowTableFull`](super::Event::FlowTableFull).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::hash::{Hash, Hasher};
use core::time::Duration;
use std::collections::HashMap;

use super::filter::Filter;
use super::keys::{write_value, Fields, Key, KeyKind};
use super::DefinitionError;

/// Most bytes a flow's compact key holds (the sum of its keys' [`Key::width`]).
pub const MAX_KEY_BYTES: usize = 64;

/// Rescale the scores when the forward-decay factor passes this (e^{±200} stays far inside f64).
const RESCALE_EXPONENT: f64 = 200.0;

/// What a flow counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowValue {
    /// Packets (each sample counts `sampling_rate` frames).
    Frames,
    /// Bytes (each sample counts `frame_length × sampling_rate`).
    Bytes,
    /// A numeric key's value times the sampling rate (`framelength`, `ipttl`, ...).
    Key(Key),
}

impl FlowValue {
    /// Parses `frames`, `bytes` or the name of a numeric key.
    pub fn parse(s: &str) -> Result<FlowValue, DefinitionError> {
        match s.trim() {
            "frames" => Ok(FlowValue::Frames),
            "bytes" => Ok(FlowValue::Bytes),
            name => match Key::from_name(name) {
                Some(k) if matches!(k.kind(), KeyKind::Number | KeyKind::Bool) => {
                    Ok(FlowValue::Key(k))
                }
                _ => Err(DefinitionError::BadValueName {
                    value: name.to_string(),
                }),
            },
        }
    }

    /// The value's name.
    pub fn name(&self) -> &'static str {
        match self {
            FlowValue::Frames => "frames",
            FlowValue::Bytes => "bytes",
            FlowValue::Key(k) => k.name(),
        }
    }
}

/// What a full flow table does with a new flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// Evict the smallest eighth of the flows (by current rate), then add the new one.
    #[default]
    EvictSmallest,
    /// Refuse the new flow; the flows in the table stay.
    Refuse,
}

/// A flow definition: which keys tell flows apart, which samples count, and what they count.
///
/// ```
/// use sdnwire_sflow_analytics::FlowDefinition;
/// let def = FlowDefinition::new("web", "ipsource,ipdestination", "bytes")?
///     .with_filter("ipprotocol=6&tcpdestinationport=80,443")?;
/// assert_eq!(def.keys().len(), 2);
/// # Ok::<(), sdnwire_sflow_analytics::DefinitionError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FlowDefinition {
    name: String,
    keys: Vec<Key>,
    value: FlowValue,
    filter: Option<Filter>,
    time_constant: Duration,
    idle_timeout: Duration,
    max_flows: usize,
    overflow: Overflow,
}

impl FlowDefinition {
    /// Default smoothing time constant τ.
    pub const DEFAULT_TIME_CONSTANT: Duration = Duration::from_secs(10);
    /// Default idle timeout: a flow without samples for this long is dropped.
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
    /// Default bound on the active flows of the definition.
    pub const DEFAULT_MAX_FLOWS: usize = 10_000;

    /// A definition named `name` with comma-separated `keys` (`"ipsource,ipdestination"`) and
    /// `value` (`frames`, `bytes` or a numeric key), no filter, and the default time constant,
    /// idle timeout and bound.
    pub fn new(name: &str, keys: &str, value: &str) -> Result<FlowDefinition, DefinitionError> {
        let mut parsed = Vec::new();
        let mut offset = 0;
        for part in keys.split(',') {
            let name_at = offset + (part.len() - part.trim_start().len());
            let k = Key::from_name(part.trim()).ok_or_else(|| DefinitionError::UnknownKey {
                name: part.trim().to_string(),
                offset: name_at,
            })?;
            parsed.push(k);
            offset += part.len() + 1;
        }
        let width: usize = parsed.iter().map(|k| k.width()).sum();
        if width > MAX_KEY_BYTES {
            return Err(DefinitionError::KeyTooWide {
                width,
                max: MAX_KEY_BYTES,
            });
        }
        Ok(FlowDefinition {
            name: name.to_string(),
            keys: parsed,
            value: FlowValue::parse(value)?,
            filter: None,
            time_constant: Self::DEFAULT_TIME_CONSTANT,
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
            max_flows: Self::DEFAULT_MAX_FLOWS,
            overflow: Overflow::default(),
        })
    }

    /// Counts only the samples that pass `filter` (sFlow-RT syntax, see [`Filter`]).
    pub fn with_filter(mut self, filter: &str) -> Result<FlowDefinition, DefinitionError> {
        self.filter = Some(Filter::parse(filter)?);
        Ok(self)
    }

    /// Sets the smoothing time constant τ (at least 1 ms).
    pub fn with_time_constant(mut self, tau: Duration) -> FlowDefinition {
        self.time_constant = tau.max(Duration::from_millis(1));
        self
    }

    /// Sets the idle timeout.
    pub fn with_idle_timeout(mut self, timeout: Duration) -> FlowDefinition {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the bound on active flows (at least 1) and what happens beyond it.
    pub fn with_max_flows(mut self, max: usize, overflow: Overflow) -> FlowDefinition {
        self.max_flows = max.max(1);
        self.overflow = overflow;
        self
    }

    /// The definition's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The keys, in order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }
    /// What the flows count.
    pub fn value(&self) -> FlowValue {
        self.value
    }
    /// The filter, if any.
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }
    /// The smoothing time constant.
    pub fn time_constant(&self) -> Duration {
        self.time_constant
    }
    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }
    /// The bound on active flows.
    pub fn max_flows(&self) -> usize {
        self.max_flows
    }
    /// What happens beyond the bound.
    pub fn overflow(&self) -> Overflow {
        self.overflow
    }
}

/// A flow's compact key: the keys' bytes back to back.
#[derive(Clone, Copy)]
pub(crate) struct KeyBytes {
    len: u8,
    b: [u8; MAX_KEY_BYTES],
}

impl KeyBytes {
    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        self.b.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl PartialEq for KeyBytes {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for KeyBytes {}

impl Hash for KeyBytes {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write(self.bytes());
    }
}

/// The flow tables' hasher: a folded 64×64→128-bit multiply per 8 bytes of key (the
/// construction of foldhash), keyed per table with random seeds from the standard library's
/// `RandomState`, so that an attacker who does not know the seeds cannot aim keys at one
/// bucket. About a quarter of SipHash-1-3's cost on an 8-byte key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SeededState {
    k0: u64,
    k1: u64,
}

impl SeededState {
    pub(crate) fn new() -> SeededState {
        use core::hash::BuildHasher;
        let rs = std::collections::hash_map::RandomState::new();
        SeededState {
            k0: rs.hash_one(0x5eed_u64) | 1,
            k1: rs.hash_one(0x5eed_5eed_u64),
        }
    }
}

impl core::hash::BuildHasher for SeededState {
    type Hasher = FoldHasher;
    #[inline]
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher {
            s: self.k1,
            k: self.k0,
        }
    }
}

/// See [`SeededState`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct FoldHasher {
    s: u64,
    k: u64,
}

#[inline(always)]
#[allow(clippy::cast_possible_truncation)] // the two halves of the 128-bit product
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            self.s = fold_mul(self.s ^ w, self.k ^ 0x9e37_79b9_7f4a_7c15);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.s = fold_mul(
                self.s ^ u64::from_le_bytes(w),
                self.k ^ 0x243f_6a88_85a3_08d3,
            );
        }
        self.s = self.s.wrapping_add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold_mul(self.s, self.k).rotate_left(23)
    }
}

/// One active flow.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Σ v·e^{(t−L)/τ}.
    score: f64,
    /// Last sample, seconds on the engine's clock.
    last: f64,
}

/// One flow of a [`top`](super::Engine::top) query.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The key values joined by `,` as sFlow-RT writes them (`10.0.0.1,10.0.0.2`).
    pub key: String,
    /// The smoothed rate, units (frames, bytes, ...) per second.
    pub value: f64,
    /// How long before the engine's latest `now` the flow's last sample was counted
    /// (sFlow-RT's `lastUpdate`, there in milliseconds).
    pub last_update: Duration,
}

impl Flow {
    /// The key's values, one per key of the definition.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.key.split(',')
    }
}

/// Counters of one flow table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowTableStats {
    /// Active flows now.
    pub active: usize,
    /// Samples counted.
    pub counted: u64,
    /// Samples the filter refused.
    pub filtered: u64,
    /// Samples without one of the keys (or the value's key).
    pub missing_key: u64,
    /// Flows evicted because the table was full.
    pub evicted: u64,
    /// New flows refused because the table was full.
    pub refused: u64,
    /// Flows dropped after the idle timeout.
    pub expired: u64,
}

/// The active flows of one definition.
#[derive(Debug)]
pub(crate) struct FlowTable {
    pub(crate) def: FlowDefinition,
    flows: HashMap<KeyBytes, Entry, SeededState>,
    inv_tau: f64,
    landmark: f64,
    cached_t: f64,
    cached_boost: f64,
    pub(crate) stats: FlowTableStats,
    /// `(evicted, refused)` when last reported in an event.
    pub(crate) reported_overflow: (u64, u64),
}

impl core::fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries(self.b.get(..usize::from(self.len)).unwrap_or_default())
            .finish()
    }
}

impl FlowTable {
    pub(crate) fn new(def: FlowDefinition) -> FlowTable {
        let inv_tau = 1.0 / def.time_constant.as_secs_f64();
        FlowTable {
            def,
            flows: HashMap::with_hasher(SeededState::new()),
            inv_tau,
            landmark: 0.0,
            cached_t: 0.0,
            cached_boost: 1.0,
            stats: FlowTableStats::default(),
            reported_overflow: (0, 0),
        }
    }

    /// e^{(t−L)/τ} for the current `t`, rescaling every score first if it grew too large.
    #[inline]
    fn boost(&mut self, t: f64) -> f64 {
        if t != self.cached_t {
            let x = (t - self.landmark) * self.inv_tau;
            if x > RESCALE_EXPONENT {
                let k = (-x).exp();
                for e in self.flows.values_mut() {
                    e.score *= k;
                }
                self.landmark = t;
                self.cached_boost = 1.0;
            } else {
                self.cached_boost = x.exp();
            }
            self.cached_t = t;
        }
        self.cached_boost
    }

    /// Counts one sample at `t` (seconds on the engine's clock).
    #[inline]
    pub(crate) fn add(&mut self, t: f64, f: &Fields, sampling_rate: u32) {
        if let Some(filter) = &self.def.filter {
            if !filter.matches(f) {
                self.stats.filtered += 1;
                return;
            }
        }
        let scale = f64::from(sampling_rate.max(1));
        let v = match self.def.value {
            FlowValue::Frames => scale,
            FlowValue::Bytes => f64::from(f.frame_length_value()) * scale,
            FlowValue::Key(k) => match f.number(k) {
                Some(n) => n as f64 * scale,
                None => {
                    self.stats.missing_key += 1;
                    return;
                }
            },
        };
        let mut key = KeyBytes {
            len: 0,
            b: [0; MAX_KEY_BYTES],
        };
        let mut off = 0;
        for &k in &self.def.keys {
            let Some(dst) = key.b.get_mut(off..) else {
                return;
            };
            if !f.write(k, dst) {
                self.stats.missing_key += 1;
                return;
            }
            off += k.width();
        }
        key.len = u8::try_from(off).unwrap_or(u8::MAX);
        let add = v * self.boost(t);
        self.stats.counted += 1;
        if let Some(e) = self.flows.get_mut(&key) {
            e.score += add;
            e.last = t;
            return;
        }
        if self.flows.len() >= self.def.max_flows && !self.make_room(t) {
            self.stats.refused += 1;
            return;
        }
        self.flows.insert(
            key,
            Entry {
                score: add,
                last: t,
            },
        );
        self.stats.active = self.flows.len();
    }

    /// Frees room for one flow in a full table; false if the flow must be refused.
    #[cold]
    fn make_room(&mut self, t: f64) -> bool {
        self.expire(t);
        if self.flows.len() < self.def.max_flows {
            return true;
        }
        if self.def.overflow == Overflow::Refuse {
            return false;
        }
        let n = (self.flows.len() / 8).max(1);
        let mut scores: Vec<f64> = self.flows.values().map(|e| e.score).collect();
        let (_, &mut threshold, _) = scores.select_nth_unstable_by(n - 1, f64::total_cmp);
        let mut left = n;
        self.flows.retain(|_, e| {
            if left > 0 && e.score <= threshold {
                left -= 1;
                false
            } else {
                true
            }
        });
        self.stats.evicted += (n - left) as u64;
        self.stats.active = self.flows.len();
        true
    }

    /// Drops the flows idle for longer than the timeout.
    pub(crate) fn expire(&mut self, t: f64) {
        let limit = self.def.idle_timeout.as_secs_f64();
        let before = self.flows.len();
        self.flows.retain(|_, e| t - e.last <= limit);
        self.stats.expired += (before - self.flows.len()) as u64;
        self.stats.active = self.flows.len();
    }

    /// The rate of a flow at `t`.
    fn rate(&self, e: &Entry, t: f64) -> f64 {
        e.score * ((self.landmark - t) * self.inv_tau).exp() * self.inv_tau
    }

    /// The `n` largest flows at `t`, largest first.
    pub(crate) fn top(&self, n: usize, t: f64) -> Vec<Flow> {
        let mut all: Vec<(&KeyBytes, &Entry)> = self.flows.iter().collect();
        let n = n.min(all.len());
        if n == 0 {
            return Vec::new();
        }
        let by_score =
            |a: &(&KeyBytes, &Entry), b: &(&KeyBytes, &Entry)| b.1.score.total_cmp(&a.1.score);
        if n < all.len() {
            all.select_nth_unstable_by(n - 1, by_score);
            all.truncate(n);
        }
        all.sort_unstable_by(by_score);
        all.into_iter()
            .map(|(k, e)| Flow {
                key: self.key_string(k),
                value: self.rate(e, t),
                last_update: Duration::try_from_secs_f64((t - e.last).max(0.0))
                    .unwrap_or(Duration::ZERO),
            })
            .collect()
    }

    /// The sum of every flow's rate at `t`.
    pub(crate) fn total(&self, t: f64) -> f64 {
        self.flows.values().map(|e| self.rate(e, t)).sum()
    }

    fn key_string(&self, k: &KeyBytes) -> String {
        let mut s = String::new();
        let mut off = 0;
        for (i, &key) in self.def.keys.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let bytes = k.b.get(off..off + key.width()).unwrap_or_default();
            let _ = write_value(&mut s, key, bytes);
            off += key.width();
        }
        s
    }

    pub(crate) fn len(&self) -> usize {
        self.flows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_parse_with_offsets() {
        let d = FlowDefinition::new("x", "ipsource, ipdestination", "bytes").unwrap();
        assert_eq!(d.keys(), &[Key::IpSource, Key::IpDestination]);
        assert_eq!(
            FlowDefinition::new("x", "ipsource,ipdest", "bytes").unwrap_err(),
            DefinitionError::UnknownKey {
                name: "ipdest".into(),
                offset: 9
            }
        );
        assert_eq!(
            FlowDefinition::new("x", "ipsource", "packets").unwrap_err(),
            DefinitionError::BadValueName {
                value: "packets".into()
            }
        );
        assert!(FlowDefinition::new("x", "ipsource", "ipttl").is_ok());
        assert!(FlowDefinition::new("x", "ipsource", "macsource").is_err());
        let wide = "ipsource6,ipdestination6,agent,macsource,macdestination,inputifindex";
        assert!(FlowDefinition::new("x", wide, "frames").is_ok());
        let wide = "ipsource6,ipdestination6,agent,macsource,macdestination,inputifindex,vlan";
        assert!(matches!(
            FlowDefinition::new("x", wide, "frames"),
            Err(DefinitionError::KeyTooWide { width: 66, max: 64 })
        ));
    }
}
