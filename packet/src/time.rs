//! The one time type of the workspace's state machines.
//!
//! `sdnwire-openflow`'s `Connection`, `sdnwire-lacp`'s `Bond`, `sdnwire-igmp`'s `Snooper` and
//! the sFlow analytics engine read time only as an [`Instant`] handed to them by the runtime.
//! An [`Instant`] is a count of nanoseconds since an origin the runtime picks: a simulation
//! starts its virtual clock at [`Instant::ZERO`] (no made-up base), a real runtime uses a
//! [`Clock`] (with the `std` feature) that counts from its own creation. The type works
//! without `std`, so the machines do too.
//!
//! Arithmetic saturates: no `Instant + Duration` or `Instant - Instant` can panic, whatever the
//! values (quinn-proto's issue #290 was a panic in `std::time::Instant` arithmetic).
//!
//! ```
//! use core::time::Duration;
//! use sdnwire_packet::time::Instant;
//!
//! let t0 = Instant::ZERO;
//! let t1 = t0 + Duration::from_secs(3);
//! assert_eq!(t1 - t0, Duration::from_secs(3));
//! assert_eq!(t0 - t1, Duration::ZERO); // saturates
//! assert_eq!(t1.as_millis(), 3_000);
//! ```

use core::fmt;
use core::ops::{Add, AddAssign, Sub};
use core::time::Duration;

/// A point in time: nanoseconds since an origin the runtime chose. `Copy`, ordered, 8 bytes.
///
/// Two instants compare meaningfully only when they come from the same clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Instant(u64);

impl Instant {
    /// The clock's origin.
    pub const ZERO: Instant = Instant(0);
    /// The latest representable instant (about 584 years after the origin).
    pub const MAX: Instant = Instant(u64::MAX);

    /// The instant `nanos` nanoseconds after the origin.
    pub const fn from_nanos(nanos: u64) -> Instant {
        Instant(nanos)
    }

    /// The instant `micros` microseconds after the origin (saturating).
    pub const fn from_micros(micros: u64) -> Instant {
        Instant(micros.saturating_mul(1_000))
    }

    /// The instant `millis` milliseconds after the origin (saturating).
    pub const fn from_millis(millis: u64) -> Instant {
        Instant(millis.saturating_mul(1_000_000))
    }

    /// The instant `secs` seconds after the origin (saturating).
    pub const fn from_secs(secs: u64) -> Instant {
        Instant(secs.saturating_mul(1_000_000_000))
    }

    /// The instant `d` after the origin (saturating).
    pub fn from_duration(d: Duration) -> Instant {
        Instant(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }

    /// Nanoseconds since the origin.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Whole microseconds since the origin.
    pub const fn as_micros(self) -> u64 {
        self.0 / 1_000
    }

    /// Whole milliseconds since the origin.
    pub const fn as_millis(self) -> u64 {
        self.0 / 1_000_000
    }

    /// Whole seconds since the origin.
    pub const fn as_secs(self) -> u64 {
        self.0 / 1_000_000_000
    }

    /// Time since the origin.
    pub const fn since_origin(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// `self + d`, or `None` past [`Instant::MAX`].
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        let n = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_add(n).map(Instant)
    }

    /// `self - d`, or `None` before the origin.
    pub fn checked_sub(self, d: Duration) -> Option<Instant> {
        let n = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_sub(n).map(Instant)
    }

    /// `self + d`, [`Instant::MAX`] at most.
    pub fn saturating_add(self, d: Duration) -> Instant {
        self.checked_add(d).unwrap_or(Instant::MAX)
    }

    /// `self - d`, [`Instant::ZERO`] at least.
    pub fn saturating_sub(self, d: Duration) -> Instant {
        self.checked_sub(d).unwrap_or(Instant::ZERO)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    /// Saturating: never panics.
    fn add(self, d: Duration) -> Instant {
        self.saturating_add(d)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = self.saturating_add(d);
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    /// Saturating: never panics.
    fn sub(self, d: Duration) -> Instant {
        self.saturating_sub(d)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    /// [`Instant::saturating_duration_since`]: zero when `earlier` is later.
    fn sub(self, earlier: Instant) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

impl fmt::Display for Instant {
    /// Seconds since the origin with nanosecond precision: `12.000000500`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:09}",
            self.0 / 1_000_000_000,
            self.0 % 1_000_000_000
        )
    }
}

/// A real clock for a runtime with `std`: [`Clock::now`] is the time since the clock was made,
/// read from the monotonic `std::time::Instant`.
///
/// ```
/// use sdnwire_packet::time::Clock;
/// let clock = Clock::new();
/// let a = clock.now();
/// let b = clock.now();
/// assert!(b >= a);
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    origin: std::time::Instant,
}

#[cfg(feature = "std")]
impl Clock {
    /// A clock whose origin is now.
    pub fn new() -> Clock {
        Clock {
            origin: std::time::Instant::now(),
        }
    }

    /// A clock whose origin is `origin`.
    pub fn with_origin(origin: std::time::Instant) -> Clock {
        Clock { origin }
    }

    /// The current time on this clock.
    pub fn now(&self) -> Instant {
        self.at(std::time::Instant::now())
    }

    /// `t` on this clock ([`Instant::ZERO`] for a `t` before the origin).
    pub fn at(&self, t: std::time::Instant) -> Instant {
        Instant::from_duration(t.saturating_duration_since(self.origin))
    }

    /// The `std::time::Instant` of `t` on this clock: what a runtime sleeps until.
    pub fn to_std(&self, t: Instant) -> std::time::Instant {
        self.origin
            .checked_add(t.since_origin())
            .unwrap_or(self.origin + Duration::from_secs(86_400 * 365 * 100))
    }
}

#[cfg(feature = "std")]
impl Default for Clock {
    fn default() -> Clock {
        Clock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(Instant::ZERO - Duration::from_secs(1), Instant::ZERO);
        assert_eq!(Instant::ZERO - Instant::MAX, Duration::ZERO);
        assert_eq!(Instant::from_secs(u64::MAX), Instant::MAX);
        assert_eq!(Instant::from_duration(Duration::MAX), Instant::MAX);
        assert_eq!(Instant::ZERO.checked_add(Duration::MAX), None);
        assert_eq!(
            Instant::from_secs(1).checked_sub(Duration::from_secs(2)),
            None
        );
    }

    #[test]
    fn units() {
        let t = Instant::from_millis(1_500);
        assert_eq!(t.as_nanos(), 1_500_000_000);
        assert_eq!(t.as_micros(), 1_500_000);
        assert_eq!(t.as_secs(), 1);
        assert_eq!(t.since_origin(), Duration::from_millis(1_500));
        assert_eq!(t.to_string(), "1.500000000");
        let mut u = t;
        u += Duration::from_nanos(1);
        assert_eq!(u - t, Duration::from_nanos(1));
    }

    #[cfg(feature = "std")]
    #[test]
    fn clock_round_trips() {
        let c = Clock::new();
        let s = std::time::Instant::now();
        let t = c.at(s);
        assert_eq!(c.to_std(t), s);
        assert_eq!(c.at(c.to_std(Instant::ZERO)), Instant::ZERO);
    }
}
