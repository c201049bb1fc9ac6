//! OFPMP_DESC: the switch description (`ofp_desc`).

use super::*;

// ---------------------------------------------------------------------------------------------
// Reply entries
// ---------------------------------------------------------------------------------------------

/// Builds an `N`-byte NUL-padded string field from `s`, truncated (at a character boundary)
/// to `N - 1` bytes so that a NUL always ends it.
pub fn desc_str<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let mut end = s.len().min(N.saturating_sub(1));
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    for (o, b) in out.iter_mut().zip(s.as_bytes().iter().take(end)) {
        *o = *b;
    }
    out
}

/// The switch description (`ofp_desc`), owned. The fields are kept exactly as on the wire
/// (NUL-padded, possibly with bytes after the NUL); the accessors give them as `&str`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Desc {
    /// Manufacturer description.
    pub mfr_desc: [u8; DESC_STR_LEN],
    /// Hardware description.
    pub hw_desc: [u8; DESC_STR_LEN],
    /// Software description.
    pub sw_desc: [u8; DESC_STR_LEN],
    /// Serial number.
    pub serial_num: [u8; SERIAL_NUM_LEN],
    /// Human-readable description of the datapath.
    pub dp_desc: [u8; DESC_STR_LEN],
}

impl Default for Desc {
    fn default() -> Self {
        Desc {
            mfr_desc: [0; DESC_STR_LEN],
            hw_desc: [0; DESC_STR_LEN],
            sw_desc: [0; DESC_STR_LEN],
            serial_num: [0; SERIAL_NUM_LEN],
            dp_desc: [0; DESC_STR_LEN],
        }
    }
}

impl Desc {
    /// A description from strings (each truncated to fit its field with a final NUL).
    pub fn new(mfr: &str, hw: &str, sw: &str, serial: &str, dp: &str) -> Desc {
        Desc {
            mfr_desc: desc_str(mfr),
            hw_desc: desc_str(hw),
            sw_desc: desc_str(sw),
            serial_num: desc_str(serial),
            dp_desc: desc_str(dp),
        }
    }

    /// The borrowed form.
    pub fn as_ref(&self) -> DescView<'_> {
        DescView {
            mfr_desc: &self.mfr_desc,
            hw_desc: &self.hw_desc,
            sw_desc: &self.sw_desc,
            serial_num: &self.serial_num,
            dp_desc: &self.dp_desc,
        }
    }

    /// Parses an `ofp_desc`.
    pub fn parse(r: &mut Reader<'_>) -> Result<Desc> {
        Ok(DescView::parse(r)?.decode())
    }
}

impl fmt::Debug for Desc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

crate::codec::impl_encode!(Desc);

impl WireWrite for Desc {
    fn encoded_len(&self) -> usize {
        DESC_LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_slice(&self.mfr_desc);
        out.put_slice(&self.hw_desc);
        out.put_slice(&self.sw_desc);
        out.put_slice(&self.serial_num);
        out.put_slice(&self.dp_desc);
        Ok(())
    }
}

impl fmt::Display for Desc {
    /// See [`DescView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

/// The switch description, borrowed from a reply.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DescView<'a> {
    /// Manufacturer description.
    pub mfr_desc: &'a [u8; DESC_STR_LEN],
    /// Hardware description.
    pub hw_desc: &'a [u8; DESC_STR_LEN],
    /// Software description.
    pub sw_desc: &'a [u8; DESC_STR_LEN],
    /// Serial number.
    pub serial_num: &'a [u8; SERIAL_NUM_LEN],
    /// Datapath description.
    pub dp_desc: &'a [u8; DESC_STR_LEN],
}

fn fixed<'a, const N: usize>(r: &mut Reader<'a>, what: &'static str) -> Result<&'a [u8; N]> {
    let offset = r.offset();
    let available = r.remaining();
    <&[u8; N]>::try_from(r.bytes(N, what)?).map_err(|_| Error::Truncated {
        what,
        offset,
        needed: N,
        available,
    })
}

impl<'a> DescView<'a> {
    /// Reads an `ofp_desc` (1056 bytes).
    pub fn parse(r: &mut Reader<'a>) -> Result<DescView<'a>> {
        need(r, DESC_LEN, "ofp_desc")?;
        Ok(DescView {
            mfr_desc: fixed(r, "ofp_desc.mfr_desc")?,
            hw_desc: fixed(r, "ofp_desc.hw_desc")?,
            sw_desc: fixed(r, "ofp_desc.sw_desc")?,
            serial_num: fixed(r, "ofp_desc.serial_num")?,
            dp_desc: fixed(r, "ofp_desc.dp_desc")?,
        })
    }

    /// The manufacturer (the bytes before the first NUL, valid UTF-8 prefix).
    pub fn mfr(&self) -> &'a str {
        nul_terminated_str(self.mfr_desc)
    }

    /// The hardware description.
    pub fn hw(&self) -> &'a str {
        nul_terminated_str(self.hw_desc)
    }

    /// The software description.
    pub fn sw(&self) -> &'a str {
        nul_terminated_str(self.sw_desc)
    }

    /// The serial number.
    pub fn serial(&self) -> &'a str {
        nul_terminated_str(self.serial_num)
    }

    /// The datapath description.
    pub fn dp(&self) -> &'a str {
        nul_terminated_str(self.dp_desc)
    }

    /// The owned description.
    pub fn decode(&self) -> Desc {
        Desc {
            mfr_desc: *self.mfr_desc,
            hw_desc: *self.hw_desc,
            sw_desc: *self.sw_desc,
            serial_num: *self.serial_num,
            dp_desc: *self.dp_desc,
        }
    }
}

impl fmt::Debug for DescView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Desc")
            .field("mfr_desc", &self.mfr())
            .field("hw_desc", &self.hw())
            .field("sw_desc", &self.sw())
            .field("serial_num", &self.serial())
            .field("dp_desc", &self.dp())
            .finish()
    }
}

impl fmt::Display for DescView<'_> {
    /// ovs-ofctl's lines joined with `, `: `Manufacturer: Nicira, Inc., Hardware: Open
    /// vSwitch, Software: 3.1.0, Serial Num: None, DP Description: None`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Manufacturer: {}, Hardware: {}, Software: {}, Serial Num: {}, DP Description: {}",
            self.mfr(),
            self.hw(),
            self.sw(),
            self.serial(),
            self.dp()
        )
    }
}
