//! One port's membership of one group: the RFC 3376 §6 router state (filter mode, group timer,
//! source timers, older-host-present timers and the group (-and-source) specific queries in
//! progress, with the transitions of §6.4.1 and §6.4.2), and the read-only snapshots of it the
//! snooper hands out ([`MembershipRef`], [`SourceRef`], [`FilterMode`]).

use core::cmp::Ordering;
use core::fmt;

use crate::family::Address;
use core::time::Duration;

use alloc::vec::Vec;
use sdnwire_packet::time::Instant;

use crate::vlan::VlanId;

/// A group record as the state machine sees it (after host compatibility translation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Record {
    IsIn,
    IsEx,
    ToIn,
    ToEx,
    Allow,
    Block,
}

/// Timer values the transitions need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) now: Instant,
    pub(crate) gmi: Duration,
    pub(crate) lmqt: Duration,
    pub(crate) lmqc: u8,
    pub(crate) lmqi: Duration,
    /// Whether "Send Q(..)" actions are carried out (we query this port).
    pub(crate) querying: bool,
}

/// `now + d`, saturating at [`Instant::MAX`].
pub(crate) fn add(now: Instant, d: Duration) -> Instant {
    now + d
}

/// What a transition or a timer asks of the snooper.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Outcome {
    /// The forwarding decision of this port changed (mode, source set, or a source's
    /// forwarded-ness).
    pub(crate) changed: bool,
    /// Queries are due now on this port (see [`PortState::due_queries`]).
    pub(crate) query_now: bool,
    /// The record was refused: it would exceed the source limit.
    pub(crate) refused: bool,
    /// Timers were only raised (a refresh): no deadline moved earlier, nothing to drop.
    pub(crate) raised_only: bool,
}

/// One port's membership of one group.
#[derive(Debug, Clone)]
pub(crate) struct PortState<A> {
    pub(crate) port: u32,
    pub(crate) mode: FilterMode,
    pub(crate) group_timer: Option<Instant>,
    /// Sorted by address. INCLUDE: every source has a timer. EXCLUDE: `Some` = requested list
    /// (X), `None` = exclude list (Y).
    pub(crate) sources: Vec<SourceRef<A>>,
    pub(crate) v1_host: Option<Instant>,
    pub(crate) v2_host: Option<Instant>,
    /// Group-specific query retransmissions left.
    pub(crate) gq_left: u8,
    /// Group-and-source-specific query retransmissions left per source, sorted.
    pub(crate) sq: Vec<(A, u8)>,
    /// When the next query of this port is due.
    pub(crate) next_query: Option<Instant>,
}

/// A query to build for a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DueQuery<A> {
    /// Sources (empty: a group-specific query).
    pub(crate) sources: Vec<A>,
    pub(crate) s_flag: bool,
}

impl<A: Address> PortState<A> {
    pub(crate) fn new(port: u32) -> Self {
        PortState {
            port,
            mode: FilterMode::Include,
            group_timer: None,
            sources: Vec::new(),
            v1_host: None,
            v2_host: None,
            gq_left: 0,
            sq: Vec::new(),
            next_query: None,
        }
    }

    /// The public description of this port's membership.
    pub(crate) fn as_ref(&self, vlan: VlanId, group: A) -> MembershipRef<'_, A> {
        MembershipRef {
            vlan,
            group,
            port: self.port,
            mode: self.mode,
            group_timer: self.group_timer,
            sources: &self.sources,
            compat_version: A::shown_version(self.compat()),
            compat_timer: self.v1_host.or(self.v2_host),
        }
    }

    /// Group compatibility mode (§7.3.2).
    pub(crate) fn compat(&self) -> u8 {
        if self.v1_host.is_some() {
            1
        } else if self.v2_host.is_some() {
            2
        } else {
            3
        }
    }

    /// An INCLUDE entry with no sources: nothing left, delete the record.
    pub(crate) fn is_empty(&self) -> bool {
        self.mode == FilterMode::Include && self.sources.is_empty()
    }

    /// The earliest timer.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        let mut d = self.group_timer;
        let mut take = |t: Option<Instant>| {
            if let Some(t) = t {
                d = Some(d.map_or(t, |d| d.min(t)));
            }
        };
        take(self.v1_host);
        take(self.v2_host);
        take(self.next_query);
        for s in &self.sources {
            take(s.timer);
        }
        d
    }

    /// Whether traffic from `source` goes to this port (§6.3).
    #[cfg(test)]
    pub(crate) fn forwards(&self, source: A) -> bool {
        let found = self.sources.binary_search_by(|s| s.addr.cmp(&source));
        match self.mode {
            FilterMode::Include => found.is_ok(),
            FilterMode::Exclude => match found {
                Ok(i) => self.sources.get(i).is_some_and(|s| s.timer.is_some()),
                Err(_) => true,
            },
        }
    }

    /// Applies a record (sources sorted, without duplicates) as §6.4.1 / §6.4.2 say.
    /// `scratch` is reused for the new source list. Refuses (changing nothing) when the result
    /// would hold more than `max_sources` sources.
    pub(crate) fn apply(
        &mut self,
        rec: Record,
        b: &[A],
        t: &Timing,
        max_sources: usize,
        scratch: &mut Vec<SourceRef<A>>,
        queries: &mut Vec<A>,
    ) -> Outcome {
        let gmi = Some(add(t.now, t.gmi));
        let mut out = Outcome::default();
        if self.refresh(rec, b, gmi) {
            out.raised_only = true;
            return out;
        }
        scratch.clear();
        queries.clear();
        let send_qg = rec == Record::ToIn && self.mode == FilterMode::Exclude;
        let (new_mode, new_group_timer) = match rec {
            Record::IsEx | Record::ToEx => (FilterMode::Exclude, gmi),
            _ => (self.mode, self.group_timer),
        };
        // Merge the current list (A, or X and Y) with the record's list (B).
        let mut i = 0;
        let mut j = 0;
        loop {
            let a = self.sources.get(i);
            let bb = b.get(j);
            let (cur, in_b, addr) = match (a, bb) {
                (None, None) => break,
                (Some(a), None) => {
                    i += 1;
                    (Some(*a), false, a.addr)
                }
                (None, Some(&x)) => {
                    j += 1;
                    (None, true, x)
                }
                (Some(a), Some(&x)) => match a.addr.cmp(&x) {
                    Ordering::Less => {
                        i += 1;
                        (Some(*a), false, a.addr)
                    }
                    Ordering::Greater => {
                        j += 1;
                        (None, true, x)
                    }
                    Ordering::Equal => {
                        i += 1;
                        j += 1;
                        (Some(*a), true, x)
                    }
                },
            };
            // What the source becomes: None = deleted, Some(timer).
            let keep = |timer: Option<Instant>| Some(SourceRef { addr, timer });
            let next: Option<SourceRef<A>> = match (self.mode, rec) {
                (FilterMode::Include, Record::IsIn | Record::Allow | Record::ToIn) => {
                    if in_b {
                        keep(gmi)
                    } else {
                        if rec == Record::ToIn {
                            queries.push(addr); // Q(G, A-B)
                        }
                        cur
                    }
                }
                (FilterMode::Include, Record::Block) => {
                    if in_b && cur.is_some() {
                        queries.push(addr); // Q(G, A*B)
                    }
                    cur
                }
                (FilterMode::Include, Record::IsEx | Record::ToEx) => {
                    match (cur, in_b) {
                        (Some(c), true) => {
                            if rec == Record::ToEx {
                                queries.push(addr); // Q(G, A*B)
                            }
                            Some(c) // A*B keeps its timer (X)
                        }
                        (None, true) => keep(None), // B-A excluded
                        _ => None,                  // A-B deleted
                    }
                }
                (FilterMode::Exclude, Record::IsIn | Record::Allow | Record::ToIn) => {
                    if in_b {
                        keep(gmi) // (A)=GMI, leaves Y
                    } else {
                        if rec == Record::ToIn && cur.is_some_and(|c| c.timer.is_some()) {
                            queries.push(addr); // Q(G, X-A)
                        }
                        cur
                    }
                }
                (FilterMode::Exclude, Record::Block) => match cur {
                    Some(c) => {
                        if in_b && c.timer.is_some() {
                            queries.push(addr); // Q(G, A-Y), the X part
                        }
                        Some(c)
                    }
                    None => {
                        queries.push(addr); // Q(G, A-Y), the new part
                        keep(self.group_timer) // (A-X-Y)=Group Timer
                    }
                },
                (FilterMode::Exclude, Record::IsEx | Record::ToEx) => {
                    if !in_b {
                        None // X-A and Y-A deleted
                    } else {
                        match cur {
                            Some(c) => {
                                if rec == Record::ToEx && c.timer.is_some() {
                                    queries.push(addr); // Q(G, A-Y), the X part
                                }
                                Some(c)
                            }
                            None => {
                                if rec == Record::ToEx {
                                    queries.push(addr); // Q(G, A-Y), the new part
                                    keep(self.group_timer) // (A-X-Y)=Group Timer
                                } else {
                                    keep(gmi) // (A-X-Y)=GMI
                                }
                            }
                        }
                    }
                }
            };
            match (cur, next) {
                (None, Some(_)) | (Some(_), None) => out.changed = true,
                (Some(c), Some(n)) if c.timer.is_some() != n.timer.is_some() => out.changed = true,
                _ => {}
            }
            if let Some(n) = next {
                scratch.push(n);
            }
        }
        if scratch.len() > max_sources && scratch.len() > self.sources.len() {
            scratch.clear();
            queries.clear();
            out.changed = false;
            out.refused = true;
            return out;
        }
        if new_mode != self.mode {
            out.changed = true;
        }
        self.mode = new_mode;
        self.group_timer = if new_mode == FilterMode::Exclude {
            new_group_timer
        } else {
            None
        };
        core::mem::swap(&mut self.sources, scratch);
        if t.querying {
            if send_qg {
                out.query_now |= self.start_group_query(t);
            }
            if !queries.is_empty() {
                out.query_now |= self.start_source_query(queries, t);
            }
        }
        out
    }

    /// The steady state, without rebuilding the list: hosts answering queries with what the
    /// port already has. IS_IN / ALLOW of sources that all have a running timer set them to
    /// GMI (both modes); IS_EX of exactly the current list in EXCLUDE mode sets the group timer
    /// to GMI. Returns false (nothing done) for anything else.
    fn refresh(&mut self, rec: Record, b: &[A], gmi: Option<Instant>) -> bool {
        match rec {
            Record::IsIn | Record::Allow => {
                if b.is_empty() || b.len() > self.sources.len() {
                    return false;
                }
                // Every b must be listed with a running timer; both lists are sorted.
                let mut i = 0;
                for &x in b {
                    loop {
                        match self.sources.get(i) {
                            Some(s) if s.addr < x => i += 1,
                            // A running timer that GMI does not lower (set_config may have
                            // shortened GMI: then the slow path reschedules).
                            Some(s) if s.addr == x && s.timer.is_some() && s.timer <= gmi => break,
                            _ => return false,
                        }
                    }
                    i += 1;
                }
                let mut i = 0;
                for &x in b {
                    while let Some(s) = self.sources.get_mut(i) {
                        i += 1;
                        if s.addr == x {
                            s.timer = gmi;
                            break;
                        }
                    }
                }
                true
            }
            Record::IsEx => {
                // IS_EX(A) in EXCLUDE(X, Y) with A = X + Y: A-Y = X keeps its timers, Y*A = Y,
                // nothing deleted, nothing new: only the group timer.
                if self.mode != FilterMode::Exclude
                    || self.group_timer > gmi
                    || b.len() != self.sources.len()
                    || !self.sources.iter().zip(b).all(|(s, &x)| s.addr == x)
                {
                    return false;
                }
                self.group_timer = gmi;
                true
            }
            _ => false,
        }
    }

    /// "Send Q(G)" (§6.6.3.1): lower the group timer to LMQT, query now and LMQC-1 more times.
    fn start_group_query(&mut self, t: &Timing) -> bool {
        let lmqt = add(t.now, t.lmqt);
        if let Some(g) = self.group_timer.as_mut() {
            if *g > lmqt {
                *g = lmqt;
            }
        }
        if self.gq_left > 0 {
            return false; // already in progress
        }
        self.gq_left = t.lmqc;
        self.next_query = Some(t.now);
        true
    }

    /// "Send Q(G,X)" (§6.6.3.2): sources of X whose timer is above LMQT get it lowered to LMQT
    /// and LMQC retransmissions.
    fn start_source_query(&mut self, x: &[A], t: &Timing) -> bool {
        let lmqt = add(t.now, t.lmqt);
        let mut any = false;
        for &addr in x {
            let Ok(i) = self.sources.binary_search_by(|s| s.addr.cmp(&addr)) else {
                continue;
            };
            let Some(s) = self.sources.get_mut(i) else {
                continue;
            };
            match s.timer {
                Some(tm) if tm > lmqt => s.timer = Some(lmqt),
                _ => continue,
            }
            match self.sq.binary_search_by(|(a, _)| a.cmp(&addr)) {
                Ok(k) => {
                    if let Some(e) = self.sq.get_mut(k) {
                        e.1 = t.lmqc;
                    }
                }
                Err(k) => self.sq.insert(k, (addr, t.lmqc)),
            }
            any = true;
        }
        if any && self.next_query.is_none_or(|n| n > t.now) {
            self.next_query = Some(t.now);
        }
        any
    }

    /// The queries due at `now` (§6.6.3): a group-specific one if retransmissions are left
    /// (S flag when the group timer is above LMQT), and group-and-source-specific ones split
    /// by source timer (above LMQT: S flag set). Schedules the next retransmission.
    pub(crate) fn due_queries(&mut self, t: &Timing, out: &mut Vec<DueQuery<A>>) {
        match self.next_query {
            Some(n) if n <= t.now => {}
            _ => return,
        }
        let lmqt = add(t.now, t.lmqt);
        if self.gq_left > 0 {
            self.gq_left -= 1;
            let s_flag = self.group_timer.is_some_and(|g| g > lmqt);
            out.push(DueQuery {
                sources: Vec::new(),
                s_flag,
            });
        }
        if !self.sq.is_empty() {
            let mut with_s = Vec::new();
            let mut without_s = Vec::new();
            for (addr, left) in &mut self.sq {
                let timer = self
                    .sources
                    .binary_search_by(|s| s.addr.cmp(addr))
                    .ok()
                    .and_then(|i| self.sources.get(i))
                    .and_then(|s| s.timer);
                match timer {
                    Some(tm) if *left > 0 => {
                        *left -= 1;
                        if tm > lmqt {
                            with_s.push(*addr);
                        } else {
                            without_s.push(*addr);
                        }
                    }
                    _ => *left = 0,
                }
            }
            self.sq.retain(|(_, left)| *left > 0);
            if !with_s.is_empty() {
                out.push(DueQuery {
                    sources: with_s,
                    s_flag: true,
                });
            }
            if !without_s.is_empty() {
                out.push(DueQuery {
                    sources: without_s,
                    s_flag: false,
                });
            }
        }
        self.next_query = if self.gq_left > 0 || !self.sq.is_empty() {
            Some(add(t.now, t.lmqi))
        } else {
            None
        };
    }

    /// Timers that ran out by `now`: older-host-present timers, source timers (§6.3: INCLUDE
    /// deletes the source, EXCLUDE moves it to the exclude list), the group timer (§6.5:
    /// EXCLUDE falls back to INCLUDE with the running sources). Queries are left to
    /// [`due_queries`](Self::due_queries).
    pub(crate) fn expire(&mut self, now: Instant) -> Outcome {
        let mut out = Outcome::default();
        if self.v1_host.is_some_and(|t| t <= now) {
            self.v1_host = None;
        }
        if self.v2_host.is_some_and(|t| t <= now) {
            self.v2_host = None;
        }
        let before = self.sources.len();
        match self.mode {
            FilterMode::Include => {
                self.sources.retain(|s| s.timer.is_some_and(|t| t > now));
                if self.sources.len() != before {
                    out.changed = true;
                }
            }
            FilterMode::Exclude => {
                for s in &mut self.sources {
                    if s.timer.is_some_and(|t| t <= now) {
                        s.timer = None;
                        out.changed = true;
                    }
                }
                if self.group_timer.is_some_and(|g| g <= now) {
                    self.mode = FilterMode::Include;
                    self.group_timer = None;
                    self.sources.retain(|s| s.timer.is_some());
                    self.gq_left = 0;
                    out.changed = true;
                }
            }
        }
        if self.next_query.is_some_and(|n| n <= now) {
            out.query_now = true;
        }
        out
    }

    /// A group-specific query (S flag clear) was seen: lower the group timer to `lmqt` (§6.6.1).
    pub(crate) fn lower_group_timer(&mut self, until: Instant) {
        if let Some(g) = self.group_timer.as_mut() {
            if *g > until {
                *g = until;
            }
        }
    }

    /// A group-and-source-specific query (S flag clear) was seen: lower those source timers.
    pub(crate) fn lower_source_timers(&mut self, sources: &[A], until: Instant) {
        for s in &mut self.sources {
            if sources.binary_search(&s.addr).is_ok() {
                if let Some(t) = s.timer.as_mut() {
                    if *t > until {
                        *t = until;
                    }
                }
            }
        }
    }

    /// Ryu's igmplib's strict aging: every timer lowered to `until` (a general query's deadline).
    pub(crate) fn lower_all(&mut self, until: Instant) {
        self.lower_group_timer(until);
        for s in &mut self.sources {
            if let Some(t) = s.timer.as_mut() {
                if *t > until {
                    *t = until;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn ip(n: u8) -> core::net::Ipv4Addr {
        core::net::Ipv4Addr::new(10, 0, 0, n)
    }

    #[test]
    fn include_to_exclude_and_back() {
        let now = Instant::from_secs(5);
        let t = Timing {
            now,
            gmi: Duration::from_secs(260),
            lmqt: Duration::from_secs(2),
            lmqc: 2,
            lmqi: Duration::from_secs(1),
            querying: true,
        };
        let mut p = PortState::new(1);
        let mut scratch = Vec::new();
        let mut q = Vec::new();
        let o = p.apply(Record::Allow, &[ip(1), ip(2)], &t, 8, &mut scratch, &mut q);
        assert!(o.changed);
        assert!(p.forwards(ip(1)) && !p.forwards(ip(3)));
        let o = p.apply(Record::ToEx, &[ip(2), ip(3)], &t, 8, &mut scratch, &mut q);
        assert!(o.changed && o.query_now);
        assert_eq!(p.mode, FilterMode::Exclude);
        assert_eq!(q, vec![ip(2)]);
        assert!(!p.forwards(ip(3)) && p.forwards(ip(2)) && p.forwards(ip(9)));
        assert!(!p.forwards(ip(1)) || p.mode == FilterMode::Exclude);
        let o = p.apply(Record::Allow, &[], &t, 1, &mut scratch, &mut q);
        assert!(!o.changed && !o.refused);
        let o = p.apply(
            Record::IsEx,
            &[ip(4), ip(5), ip(6)],
            &t,
            2,
            &mut scratch,
            &mut q,
        );
        assert!(o.refused);
        assert_eq!(p.sources.len(), 2);
    }
}

/// Filter mode of a port's membership (RFC 3376 §6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FilterMode {
    /// Traffic from the listed sources only.
    Include,
    /// Traffic from every source except the excluded ones.
    Exclude,
}

impl fmt::Display for FilterMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FilterMode::Include => "include",
            FilterMode::Exclude => "exclude",
        })
    }
}

/// A source of a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SourceRef<A = core::net::Ipv4Addr> {
    /// The source address.
    pub addr: A,
    /// When its source timer runs out. `None` in EXCLUDE mode: the source is excluded (its
    /// timer is zero, the RFC's "exclude list"); in INCLUDE mode every source has a timer.
    pub timer: Option<Instant>,
}

impl<A> SourceRef<A> {
    /// Whether traffic from this source is forwarded to the port (RFC 3376 §6.3): a running
    /// timer.
    pub fn forwarded(&self) -> bool {
        self.timer.is_some()
    }
}

/// One port's membership of one group: the RFC 3376 §6 router state, kept per port as the
/// Linux bridge keeps it. [`Snooper::memberships`](crate::Snooper::memberships) lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MembershipRef<'a, A = core::net::Ipv4Addr> {
    /// VLAN.
    pub vlan: VlanId,
    /// Group address.
    pub group: A,
    /// Port.
    pub port: u32,
    /// Filter mode.
    pub mode: FilterMode,
    /// Group timer: when an EXCLUDE-mode membership falls back to INCLUDE (`None` in INCLUDE
    /// mode).
    pub group_timer: Option<Instant>,
    /// Sources, sorted by address: the include list (INCLUDE), or the requested and excluded
    /// lists (EXCLUDE; excluded ones have no timer).
    pub sources: &'a [SourceRef<A>],
    /// Group compatibility mode (RFC 3376 §7.3.2): 1, 2 or 3; for MLD (RFC 3810 §8.3.2): 1 or 2.
    pub compat_version: u8,
    /// When the compatibility mode goes up again: the older host present timer of
    /// `compat_version` (`None` in IGMPv3 and MLDv2 mode).
    pub compat_timer: Option<Instant>,
}

impl<A: Address> MembershipRef<'_, A> {
    /// Source addresses whose traffic is forwarded (timer running).
    pub fn forwarded_sources(&self) -> impl Iterator<Item = A> + '_ {
        self.sources
            .iter()
            .filter(|s| s.forwarded())
            .map(|s| s.addr)
    }

    /// Excluded source addresses (EXCLUDE mode, timer zero).
    pub fn excluded_sources(&self) -> impl Iterator<Item = A> + '_ {
        self.sources
            .iter()
            .filter(|s| !s.forwarded())
            .map(|s| s.addr)
    }
}

impl<A: Address> fmt::Display for MembershipRef<'_, A> {
    /// A row of `ovs-appctl mdb/show` (port, VLAN, group) followed by the RFC 3376 state:
    /// `    3    10  239.1.1.1        exclude v3 excluded 10.0.0.1` or
    /// `    3  untagged  239.1.1.1    include v3 sources 10.0.0.1,10.0.0.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>5}  {:>4}  {:<15}  {} v{}",
            self.port, self.vlan, self.group, self.mode, self.compat_version
        )?;
        let list = |f: &mut fmt::Formatter<'_>, word: &str, it: &mut dyn Iterator<Item = A>| {
            let mut first = true;
            for a in it {
                if first {
                    write!(f, " {word} {a}")?;
                    first = false;
                } else {
                    write!(f, ",{a}")?;
                }
            }
            Ok(())
        };
        list(f, "sources", &mut self.forwarded_sources())?;
        list(f, "excluded", &mut self.excluded_sources())
    }
}
