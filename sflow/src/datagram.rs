//! The sFlow v5 datagram: header (version 5, agent address, sub-agent id, sequence number,
//! uptime) and samples.

use alloc::vec::Vec;
use core::fmt;

use crate::error::{Error, Result};
use crate::record::check_count;
use crate::sample::{decode_samples, Sample, Samples};
use crate::text::named;
use crate::xdr::{impl_encode, Address, Reader, Wire, Writer};

/// Zero-copy view of an sFlow v5 datagram.
///
/// [`DatagramView::parse`] checks the header (version 5, a known address type, a sample count
/// the datagram can hold); [`samples`](DatagramView::samples) then walks the samples and each
/// sample's `records()` its records, every length checked against the datagram as it goes.
/// Nothing is allocated. [`validate`](DatagramView::validate) walks everything at once.
#[derive(Clone, Copy, Debug)]
pub struct DatagramView<'a> {
    agent: Address,
    sub_agent_id: u32,
    sequence: u32,
    uptime: u32,
    count: u32,
    samples: &'a [u8],
    samples_offset: usize,
    bytes: &'a [u8],
}

impl<'a> DatagramView<'a> {
    /// The datagram in `buf` (a UDP payload).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let mut r = Reader::new(buf, 0);
        let version = r.u32("datagram version")?;
        if version != 5 {
            return Err(Error::BadValue {
                offset: 0,
                what: "datagram version",
                value: version,
                expected: "5",
            });
        }
        let agent = r.address("agent address")?;
        let sub_agent_id = r.u32("sub-agent id")?;
        let sequence = r.u32("datagram sequence number")?;
        let uptime = r.u32("uptime")?;
        let at = r.offset();
        let count = r.u32("sample count")?;
        check_count(count, r.remaining(), at, "sample count")?;
        Ok(DatagramView {
            agent,
            sub_agent_id,
            sequence,
            uptime,
            count,
            samples: r.rest(),
            samples_offset: r.offset(),
            bytes: buf,
        })
    }

    /// The datagram's version (always 5 for a parsed datagram).
    pub fn version(&self) -> u32 {
        5
    }
    /// The agent's address.
    pub fn agent_address(&self) -> Address {
        self.agent
    }
    /// Sub-agent id (distinguishes several agents sharing one address).
    pub fn sub_agent_id(&self) -> u32 {
        self.sub_agent_id
    }
    /// Incremented with each datagram of this (sub-)agent.
    pub fn sequence_number(&self) -> u32 {
        self.sequence
    }
    /// Milliseconds since the agent started (a smaller value than last time: it restarted).
    pub fn uptime(&self) -> u32 {
        self.uptime
    }
    /// Number of samples the header announces.
    pub fn sample_count(&self) -> u32 {
        self.count
    }
    /// The samples.
    pub fn samples(&self) -> Samples<'a> {
        Samples::new(Reader::new(self.samples, self.samples_offset), self.count)
    }
    /// The datagram's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Walks every sample and record, checking every length; allocates nothing.
    pub fn validate(&self) -> Result<()> {
        for s in self.samples() {
            s?.validate()?;
        }
        Ok(())
    }
    /// The owned datagram: fails with the first error of the walk of its samples and records
    /// (the error [`validate`](DatagramView::validate) returns).
    pub fn decode(&self) -> Result<Datagram> {
        // The walk in one pass with no error values; where it stops, the views' walk (which
        // makes the same checks) gives the error.
        match decode_samples(self.samples, self.samples_offset, self.count) {
            Some(samples) => Ok(Datagram {
                agent_address: self.agent,
                sub_agent_id: self.sub_agent_id,
                sequence_number: self.sequence,
                uptime: self.uptime,
                samples,
            }),
            None => self.decode_by_views(),
        }
    }

    /// The owned datagram through the views' walk, decoding each sample as it goes: where the
    /// one-pass walk stops, this gives the error (the same checks, with their error values).
    /// Out of line, as it runs only for datagrams that are refused.
    #[cold]
    #[inline(never)]
    pub(crate) fn decode_by_views(&self) -> Result<Datagram> {
        let mut samples = Vec::with_capacity(self.count as usize);
        for s in self.samples() {
            s?.decode_into(&mut samples)?;
        }
        Ok(Datagram {
            agent_address: self.agent,
            sub_agent_id: self.sub_agent_id,
            sequence_number: self.sequence,
            uptime: self.uptime,
            samples,
        })
    }
}

/// An owned sFlow v5 datagram: what an agent builds and encodes.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Datagram {
    /// The agent's address.
    pub agent_address: Address,
    /// Sub-agent id.
    pub sub_agent_id: u32,
    /// Incremented with each datagram.
    pub sequence_number: u32,
    /// Milliseconds since the agent started.
    pub uptime: u32,
    /// The samples.
    pub samples: Vec<Sample>,
}

impl Datagram {
    /// Decodes a datagram into owned values: [`DatagramView::parse`] then
    /// [`DatagramView::decode`]. It succeeds exactly when the walk of the views does, and the
    /// value re-encodes to the bytes it came from (padding bytes included).
    ///
    /// Memory: each sample takes `size_of::<Sample>()` bytes (832 on 64-bit targets: a flow
    /// sample holds its first records inline), and a sample of more records than it keeps
    /// inline puts them on the heap, `size_of::<FlowRecord>()` or `size_of::<CounterRecord>()`
    /// (176, 160) each, whatever their size on the wire. As each sample and record takes at
    /// least 8 bytes of the datagram, a datagram of `n` bytes takes at most
    /// `n / 8 * size_of::<Sample>()` (6.8 MB for 65,500 bytes of empty samples). Where datagrams come from untrusted
    /// agents, the views ([`DatagramView`]) allocate nothing.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        DatagramView::parse(buf)?.decode()
    }
}

/// The datagram: version 5, the header, the sample count and the samples. Counts and lengths
/// are computed; a value that does not fit its field is [`Error::Unencodable`].
impl Wire for Datagram {
    fn wire_len(&self) -> usize {
        4 + self.agent_address.wire_len()
            + 16
            + self.samples.iter().map(Sample::wire_len).sum::<usize>()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(5)?;
        self.agent_address.write(w)?;
        w.u32(self.sub_agent_id)?;
        w.u32(self.sequence_number)?;
        w.u32(self.uptime)?;
        w.len(self.samples.len(), "sample count")?;
        for s in &self.samples {
            s.write(w)?;
        }
        Ok(())
    }
}
impl_encode!(Datagram);

/// sflowtool's text: `startDatagram`, the header (`datagramVersion`, `agent`, `agentSubId`,
/// `packetSequenceNo`, `sysUpTime`, `samplesInPacket`), each sample, `endDatagram`.
impl fmt::Display for Datagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("startDatagram =================================\n")?;
        named(f, "datagramVersion", 5)?;
        named(f, "agent", self.agent_address)?;
        named(f, "agentSubId", self.sub_agent_id)?;
        named(f, "packetSequenceNo", self.sequence_number)?;
        named(f, "sysUpTime", self.uptime)?;
        named(f, "samplesInPacket", self.samples.len())?;
        for s in &self.samples {
            fmt::Display::fmt(s, f)?;
        }
        f.write_str("endDatagram   =================================\n")
    }
}

/// What the decoded datagram prints, or the error that stops its decoding.
impl fmt::Display for DatagramView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(d) => fmt::Display::fmt(&d, f),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    /// The one-pass walk and the views' walk on `bytes`: the same value, or the one-pass walk
    /// stops (and the views give the error). A datagram the one-pass walk refused but the
    /// views accept would decode right but slowly, through the views: this catches that too.
    fn same_walk(bytes: &[u8]) -> bool {
        let Ok(v) = DatagramView::parse(bytes) else {
            return false;
        };
        let fast = decode_samples(v.samples, v.samples_offset, v.count);
        let views = v.decode_by_views();
        match (fast, views) {
            (Some(s), Ok(d)) => assert_eq!(s, d.samples),
            (None, Err(_)) => {}
            (fast, views) => panic!("one-pass {:?}, views {views:?}", fast.map(|s| s.len())),
        }
        true
    }

    /// Every fixture, every bit flip and every truncation of it.
    #[test]
    fn the_one_pass_walk_accepts_what_the_views_accept() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
        let mut parsed = 0usize;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "bin") {
                continue;
            }
            let fx = std::fs::read(&path).unwrap();
            assert!(same_walk(&fx));
            let mut bytes = fx.clone();
            for i in 0..bytes.len() {
                for k in 0..8 {
                    bytes[i] ^= 1 << k;
                    parsed += usize::from(same_walk(&bytes));
                    bytes[i] ^= 1 << k;
                }
            }
            for n in 0..fx.len() {
                same_walk(&fx[..n]);
            }
        }
        assert!(parsed > 10_000, "{parsed}");
    }

    /// Every sample kind the one-pass walk decodes (flow, counters, their expanded forms,
    /// discarded packets), holding known records with arbitrary contents (mostly zeros, where
    /// hand-written fast paths tend to slip) and sampled headers of every length up to past
    /// the inline room, with arbitrary padding: the one-pass walk accepts what the views
    /// accept, to the same samples. (The proptests of `Datagram::parse` against the views
    /// cannot see a one-pass walk that gives up where it should not: the views then decode.)
    #[test]
    #[allow(clippy::cast_possible_truncation)] // lengths of a few hundred bytes
    fn the_one_pass_walk_accepts_what_the_views_accept_on_generated_samples() {
        use alloc::vec;
        use alloc::vec::Vec;
        use proptest::collection::vec as vec_of;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        const FLOW: &[u32] = &[
            1, 2, 3, 4, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012,
            1013, 1014, 1015, 1016, 1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029,
            1030, 1036, 1038, 1039, 1040, 2100, 2101, 2102, 2103, 2209, 2210,
        ];
        const CTR: &[u32] = &[
            1, 2, 3, 4, 5, 6, 7, 1001, 1002, 1004, 1005, 2000, 2001, 2002, 2003, 2004, 2005, 2006,
            2007, 2008, 2009, 2010, 2100, 2101, 2102, 2103, 2104, 2203, 2207,
        ];
        fn byte() -> impl Strategy<Value = u8> {
            prop_oneof![3 => Just(0u8), 1 => any::<u8>()]
        }
        fn word() -> impl Strategy<Value = u32> {
            prop_oneof![2 => Just(0u32), 1 => 0u32..4, 1 => any::<u32>()]
        }
        // A record: (format index, arbitrary contents) or a sampled header (protocol, frame
        // length, stripped, header, padding).
        let record = prop_oneof![
            (any::<usize>(), vec_of(byte(), 0..100)).prop_map(|(f, d)| (Some(f), d)),
            (
                word(),
                word(),
                word(),
                vec_of(any::<u8>(), 0..300),
                any::<[u8; 3]>()
            )
                .prop_map(|(p, l, s, h, pad)| {
                    let mut d: Vec<u8> = vec![];
                    for w in [p, l, s, h.len() as u32] {
                        d.extend_from_slice(&w.to_be_bytes());
                    }
                    d.extend_from_slice(&h);
                    d.extend(pad.iter().take(crate::xdr::pad_len(h.len())));
                    (None, d)
                }),
        ];
        let samples = vec_of(
            (1u32..=5, vec_of(word(), 0..11), vec_of(record, 0..7)),
            1..4,
        );
        let mut runner = TestRunner::new(Config {
            cases: 512,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&samples, |samples| {
                let mut body = vec![];
                for (kind, words, records) in &samples {
                    // The sample's fixed words before the record count.
                    let n = match kind {
                        1 | 5 => 7,
                        2 => 2,
                        3 => 10,
                        _ => 3,
                    };
                    let mut data = vec![];
                    for i in 0..n {
                        let w = words.get(i).copied().unwrap_or(0);
                        data.extend_from_slice(&w.to_be_bytes());
                    }
                    data.extend_from_slice(&(records.len() as u32).to_be_bytes());
                    let counters = matches!(kind, 2 | 4);
                    for (f, d) in records {
                        let format: u32 = match f {
                            Some(f) if counters => CTR[f % CTR.len()],
                            Some(f) => FLOW[f % FLOW.len()],
                            None if counters => 2003,
                            None => 1,
                        };
                        data.extend_from_slice(&format.to_be_bytes());
                        data.extend_from_slice(&(d.len() as u32).to_be_bytes());
                        data.extend_from_slice(d);
                        data.resize(data.len() + crate::xdr::pad_len(d.len()), 0);
                    }
                    body.extend_from_slice(&kind.to_be_bytes());
                    body.extend_from_slice(&(data.len() as u32).to_be_bytes());
                    body.extend_from_slice(&data);
                }
                let mut d = vec![];
                for w in [5, 1, 0x0a00_0001, 0, 1, 9, samples.len() as u32] {
                    d.extend_from_slice(&w.to_be_bytes());
                }
                d.extend_from_slice(&body);
                assert!(same_walk(&d));
                Ok(())
            })
            .unwrap();
    }
}

/// Hand-made datagrams the fixtures and their mutations do not reach: every sample kind with a
/// record count of 2^32-1, unknown samples (standard and enterprise formats) with odd lengths
/// and non-zero padding, unknown records, bytes left in a sample or after the last one,
/// lengths near 2^32, and a datagram of as many empty samples as it holds. The one-pass walk
/// and the views' walk give the same samples or both refuse.
#[cfg(test)]
mod hand_made {
    extern crate std;
    use super::*;
    use alloc::vec;
    use sdnwire_packet::Encode;

    fn be(v: u32) -> [u8; 4] {
        v.to_be_bytes()
    }

    /// A datagram header (IPv4 agent) announcing `count` samples, then `body`.
    fn dgram(count: u32, body: &[u8]) -> Vec<u8> {
        let mut d = vec![];
        for w in [5, 1, 0x0a00_0001, 0, 1, 9, count] {
            d.extend_from_slice(&be(w));
        }
        d.extend_from_slice(body);
        d
    }

    fn sample(format: u32, data: &[u8], pad: &[u8]) -> Vec<u8> {
        let mut s = vec![];
        s.extend_from_slice(&be(format));
        s.extend_from_slice(&be(u32::try_from(data.len()).unwrap()));
        s.extend_from_slice(data);
        s.extend_from_slice(pad);
        s
    }

    /// `None`: the header is refused; else whether the one-pass walk accepts (and then gives
    /// the views' samples).
    fn same(bytes: &[u8]) -> Option<bool> {
        let v = DatagramView::parse(bytes).ok()?;
        let fast = decode_samples(v.samples, v.samples_offset, v.count);
        let views = v.decode_by_views();
        match (&fast, &views) {
            (Some(s), Ok(d)) => assert_eq!(s, &d.samples),
            (None, Err(_)) => {}
            _ => panic!("one-pass {:?} views {views:?}", fast.map(|s| s.len())),
        }
        Some(fast.is_some())
    }

    #[test]
    fn the_one_pass_walk_agrees_on_hand_made_datagrams() {
        // Huge sample count: refused by parse.
        assert!(DatagramView::parse(&dgram(u32::MAX, &[0; 64])).is_err());
        // Huge record counts in every sample kind (compact/expanded).
        for (f, hdr) in [(1u32, 7usize), (3, 10), (2, 2), (4, 3), (5, 8)] {
            let mut data = vec![0u8; hdr * 4];
            data.extend_from_slice(&be(u32::MAX));
            data.extend_from_slice(&[0; 32]);
            assert_eq!(same(&dgram(1, &sample(f, &data, &[]))), Some(false));
        }
        // Unknown sample (enterprise 0 format 9, and enterprise 1 format 1) with odd length and
        // non-zero padding, kept byte-exact.
        for f in [9u32, (1 << 12) | 1] {
            let d = dgram(1, &sample(f, &[1, 2, 3, 4, 5], &[7, 8, 9]));
            assert_eq!(same(&d), Some(true));
            let p = Datagram::parse(&d).unwrap();
            assert_eq!(p.to_vec().unwrap(), d);
        }
        // Flow sample with one unknown record with non-zero padding, then a trailing byte in
        // the sample, then after the datagram.
        let mut fs = vec![0u8; 28];
        fs.extend_from_slice(&be(1));
        fs.extend_from_slice(&be(4242));
        fs.extend_from_slice(&be(3));
        fs.extend_from_slice(&[1, 2, 3, 0xaa]);
        assert_eq!(same(&dgram(1, &sample(1, &fs, &[]))), Some(true));
        let mut fs2 = fs.clone();
        fs2.extend_from_slice(&[0; 4]);
        assert_eq!(same(&dgram(1, &sample(1, &fs2, &[]))), Some(false));
        let mut d = dgram(1, &sample(1, &fs, &[]));
        d.push(0);
        assert_eq!(same(&d), Some(false));
        // Record length u32::MAX and u32::MAX - 2 (padding overflow on 32-bit targets).
        for len in [u32::MAX, u32::MAX - 2, u32::MAX - 3] {
            let mut fs = vec![0u8; 28];
            fs.extend_from_slice(&be(1));
            fs.extend_from_slice(&be(1));
            fs.extend_from_slice(&be(len));
            fs.extend_from_slice(&[0; 8]);
            assert_eq!(same(&dgram(1, &sample(1, &fs, &[]))), Some(false));
            assert_eq!(same(&dgram(1, &sample(0x1001, &fs, &[]))), Some(true));
        }
        // A sample count the bytes hold in 8-byte empty unknown samples: accepted, same.
        let mut body = vec![];
        for _ in 0..1000 {
            body.extend_from_slice(&sample(77, &[], &[]));
        }
        assert_eq!(same(&dgram(1000, &body)), Some(true));
        // Sample length past the end, and the padding past the end.
        let mut d = dgram(1, &be(9));
        d.extend_from_slice(&be(5));
        d.extend_from_slice(&[1, 2, 3, 4, 5]);
        assert_eq!(same(&d), Some(false));
        d.extend_from_slice(&[0, 0]);
        assert_eq!(same(&d), Some(false));
        d.push(0);
        assert_eq!(same(&d), Some(true));
    }
}
