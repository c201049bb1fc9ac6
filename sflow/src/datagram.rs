//! The sFlow v5 datagram: header (version 5, agent address, sub-agent id, sequence number,
//! uptime) and samples.

use alloc::vec::Vec;
use bytes::BufMut;

use crate::error::{Error, Result};
use crate::record::check_count;
use crate::sample::{Sample, Samples};
use crate::xdr::{Address, Reader};

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
    /// The owned datagram.
    pub fn to_owned(&self) -> Result<Datagram> {
        let mut samples = Vec::with_capacity(self.count as usize);
        for s in self.samples() {
            samples.push(s?.to_owned()?);
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
    /// Decodes a datagram into owned values.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        DatagramView::parse(buf)?.to_owned()
    }

    /// Bytes on the wire.
    pub fn encoded_len(&self) -> usize {
        4 + self.agent_address.encoded_len()
            + 16
            + self.samples.iter().map(Sample::encoded_len).sum::<usize>()
    }

    /// Writes the datagram.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(5);
        self.agent_address.encode(buf);
        buf.put_u32(self.sub_agent_id);
        buf.put_u32(self.sequence_number);
        buf.put_u32(self.uptime);
        buf.put_u32(u32::try_from(self.samples.len()).unwrap_or(u32::MAX));
        for s in &self.samples {
            s.encode(buf);
        }
    }

    /// The datagram's bytes, in a vector of exactly [`encoded_len`](Self::encoded_len) bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }
}
