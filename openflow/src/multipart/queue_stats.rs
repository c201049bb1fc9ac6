//! OFPMP_QUEUE replies: queue statistics (`ofp_queue_stats`).

use super::*;

/// One queue's statistics (`ofp_queue_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct QueueStats {
    /// The port.
    pub port_no: PortNo,
    /// The queue.
    pub queue_id: u32,
    /// Bytes transmitted.
    pub tx_bytes: u64,
    /// Packets transmitted.
    pub tx_packets: u64,
    /// Packets dropped for overrun.
    pub tx_errors: u64,
    /// Seconds the queue has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

impl QueueStats {
    /// Encoded length.
    pub const LEN: usize = QUEUE_STATS_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<QueueStats> {
        Ok(QueueStats {
            port_no: PortNo(r.u32("ofp_queue_stats.port_no")?),
            queue_id: r.u32("ofp_queue_stats.queue_id")?,
            tx_bytes: r.u64("ofp_queue_stats.tx_bytes")?,
            tx_packets: r.u64("ofp_queue_stats.tx_packets")?,
            tx_errors: r.u64("ofp_queue_stats.tx_errors")?,
            duration_sec: r.u32("ofp_queue_stats.duration_sec")?,
            duration_nsec: r.u32("ofp_queue_stats.duration_nsec")?,
        })
    }
}

crate::codec::impl_encode!(QueueStats);

impl WireWrite for QueueStats {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port_no.0);
        out.put_u32(self.queue_id);
        out.put_u64(self.tx_bytes);
        out.put_u64(self.tx_packets);
        out.put_u64(self.tx_errors);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        Ok(())
    }
}

impl fmt::Display for QueueStats {
    /// As ovs-ofctl: `port 7 queue 1: bytes=0, pkts=0, errors=0, duration=0s` (`?` for
    /// counters that are all ones, and for the duration when `duration_sec` is).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "port {} queue {}: bytes={}, pkts={}, errors={}, duration=",
            self.port_no,
            self.queue_id,
            Counter(self.tx_bytes),
            Counter(self.tx_packets),
            Counter(self.tx_errors),
        )?;
        if self.duration_sec == u32::MAX {
            f.write_str("?")
        } else {
            DisplayDuration {
                sec: self.duration_sec,
                nsec: self.duration_nsec,
            }
            .fmt(f)
        }
    }
}
