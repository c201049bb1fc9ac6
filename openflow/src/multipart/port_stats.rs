//! OFPMP_PORT_STATS replies: port statistics (`ofp_port_stats`).

use super::*;

/// One port's statistics (`ofp_port_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PortStats {
    /// The port.
    pub port_no: PortNo,
    /// Packets received.
    pub rx_packets: u64,
    /// Packets transmitted.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
    /// Packets dropped by RX.
    pub rx_dropped: u64,
    /// Packets dropped by TX.
    pub tx_dropped: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Transmit errors.
    pub tx_errors: u64,
    /// Frame alignment errors.
    pub rx_frame_err: u64,
    /// Packets with RX overrun.
    pub rx_over_err: u64,
    /// CRC errors.
    pub rx_crc_err: u64,
    /// Collisions.
    pub collisions: u64,
    /// Seconds the port has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

impl PortStats {
    /// Encoded length.
    pub const LEN: usize = PORT_STATS_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<PortStats> {
        let port_no = PortNo(r.u32("ofp_port_stats.port_no")?);
        r.pad(4, "ofp_port_stats.pad")?;
        Ok(PortStats {
            port_no,
            rx_packets: r.u64("ofp_port_stats.rx_packets")?,
            tx_packets: r.u64("ofp_port_stats.tx_packets")?,
            rx_bytes: r.u64("ofp_port_stats.rx_bytes")?,
            tx_bytes: r.u64("ofp_port_stats.tx_bytes")?,
            rx_dropped: r.u64("ofp_port_stats.rx_dropped")?,
            tx_dropped: r.u64("ofp_port_stats.tx_dropped")?,
            rx_errors: r.u64("ofp_port_stats.rx_errors")?,
            tx_errors: r.u64("ofp_port_stats.tx_errors")?,
            rx_frame_err: r.u64("ofp_port_stats.rx_frame_err")?,
            rx_over_err: r.u64("ofp_port_stats.rx_over_err")?,
            rx_crc_err: r.u64("ofp_port_stats.rx_crc_err")?,
            collisions: r.u64("ofp_port_stats.collisions")?,
            duration_sec: r.u32("ofp_port_stats.duration_sec")?,
            duration_nsec: r.u32("ofp_port_stats.duration_nsec")?,
        })
    }
}

crate::codec::impl_encode!(PortStats);

impl WireWrite for PortStats {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port_no.0);
        put_zeros(out, 4);
        for v in [
            self.rx_packets,
            self.tx_packets,
            self.rx_bytes,
            self.tx_bytes,
            self.rx_dropped,
            self.tx_dropped,
            self.rx_errors,
            self.tx_errors,
            self.rx_frame_err,
            self.rx_over_err,
            self.rx_crc_err,
            self.collisions,
        ] {
            out.put_u64(v);
        }
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        Ok(())
    }
}

impl fmt::Display for PortStats {
    /// ovs-ofctl's lines on one: `port 7: rx pkts=0, bytes=0, drop=0, errs=0, frame=0,
    /// over=0, crc=0 tx pkts=4, bytes=336, drop=0, errs=0, coll=0 duration=0s`; counters that
    /// are all ones (not available) print as `?`, and the duration is left out when
    /// `duration_sec` is all ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "port {}: rx pkts={}, bytes={}, drop={}, errs={}, frame={}, over={}, crc={} \
             tx pkts={}, bytes={}, drop={}, errs={}, coll={}",
            self.port_no,
            Counter(self.rx_packets),
            Counter(self.rx_bytes),
            Counter(self.rx_dropped),
            Counter(self.rx_errors),
            Counter(self.rx_frame_err),
            Counter(self.rx_over_err),
            Counter(self.rx_crc_err),
            Counter(self.tx_packets),
            Counter(self.tx_bytes),
            Counter(self.tx_dropped),
            Counter(self.tx_errors),
            Counter(self.collisions),
        )?;
        if self.duration_sec != u32::MAX {
            write!(
                f,
                " duration={}",
                DisplayDuration {
                    sec: self.duration_sec,
                    nsec: self.duration_nsec
                }
            )?;
        }
        Ok(())
    }
}
