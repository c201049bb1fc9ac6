//! The snooper's counters.

/// Counters, from [`Snooper::stats`](crate::Snooper::stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Frames handed to `handle_frame`.
    pub frames: u64,
    /// Frames that were neither IGMP nor PIM (ignored).
    pub ignored: u64,
    /// Frames refused as bad (`handle_frame` returned [`Error::Parse`](crate::Error::Parse),
    /// [`Error::NotMulticast`](crate::Error::NotMulticast) or
    /// [`Error::ForeignSource`](crate::Error::ForeignSource)).
    pub bad_frames: u64,
    /// Queries received.
    pub queries: u64,
    /// Reports received (v1, v2, v3).
    pub reports: u64,
    /// Group records handled (one per v1/v2 report or leave, one per v3 record).
    pub records: u64,
    /// Leaves received.
    pub leaves: u64,
    /// Inputs (group records, new VLANs) refused by a bound ([`Error::Limit`](crate::Error::Limit)),
    /// and the querier VLANs of the configuration that [`Config::max_vlans`](crate::Config::max_vlans)
    /// kept from starting.
    pub limit_refusals: u64,
    /// Queries we built.
    pub queries_sent: u64,
    /// Frames dropped because the transmit queue was full
    /// ([`Config::max_queued_transmits`](crate::Config::max_queued_transmits)).
    pub transmits_dropped: u64,
    /// Events dropped because the event queue overflowed (each overflow is followed by an
    /// [`Event::Resync`](crate::Event::Resync)).
    pub events_dropped: u64,
    /// [`Event::Resync`](crate::Event::Resync)s delivered.
    pub resyncs: u64,
}
