//! The one walk over a frame's layers: Ethernet, VLAN tags, IPv4 or IPv6 (extension headers
//! included), the transport header and what this crate decodes above it.
//!
//! [`Packet::parse`](crate::Packet::parse), [`PacketView::parse`](crate::PacketView::parse) and
//! [`FlowKey::parse`](crate::FlowKey::parse) all sit on [`Walker`], and so do the snooper of
//! `sdnwire-igmp`, the frame classification of `sdnwire-lacp` and the flow keys of the sFlow
//! analytics engine: one place decides where a layer starts, where its length fields say it
//! ends, what comes after it, and what a fragment carries.
//!
//! ```text
//! Ethernet ── 802.1Q / 802.1ad tags ... ─┬─ IPv4 ──────────────────────┬─ TCP, UDP, ICMP, IGMP
//!                                        ├─ IPv6 + extension headers ──┴─ ICMPv6, IP in IP
//!                                        └─ ARP, LLDP, LACP, marker
//! ```
//!
//! Two modes:
//!
//! * [`Mode::Strict`], for whole frames (what [`Packet::parse`](crate::Packet::parse) does): a
//!   header cut short or a length field larger than the bytes is an error, with its layer and
//!   its offset from the frame's first byte.
//! * [`Mode::Prefix`], for the first bytes of a frame (an sFlow sampled header, a capture with a
//!   snap length, the datagram quoted in an ICMP error): the IPv4 total length, the IPv6
//!   payload length and the UDP length are bounded by the bytes present, and a header the bytes
//!   end inside stops the walk without an error. [`Walker::cut`] says what was cut: which
//!   layer, where it starts, how many bytes it declared and how many are present. A field
//!   that is wrong whatever the length (an IPv4 version of 5, an IHL of 4) is still an error.
//!
//! Fragments, as Open vSwitch reads them ([`Fragment`], its `nw_frag`): the payload of a
//! fragment is never walked as a layer, since its transport length describes the whole
//! datagram. A first fragment (offset 0, more-fragments set) starts with the transport header,
//! so its ports are read ([`transport_ports`]); a later fragment (non-zero offset) carries no
//! header and has no ports. For IPv6 the fragment header is found in the extension-header chain
//! (after hop-by-hop, routing or destination options); an atomic fragment (offset 0,
//! more-fragments clear, RFC 6946) is a whole datagram.
//!
//! ```
//! use sdnwire_packet::walk::{Fragment, Mode, Walker};
//! use sdnwire_packet::{Encode, Ethernet, Ipv4, LayerKind, MacAddr, Udp};
//! let frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(2, 0, 0, 0, 0, 1))
//!     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
//!     / Udp::new(5353, 5353))
//!     .with_payload(vec![0; 1000])
//!     .to_vec()?;
//! // The first 128 bytes, as a sampler sends them: the strict walk refuses the IPv4 header...
//! let mut w = Walker::new(&frame[..128]);
//! assert!(w.nth(1).unwrap().is_err());
//! // ...the prefix walk bounds its length and says what was cut.
//! let mut w = Walker::with(&frame[..128], LayerKind::Ethernet, Mode::Prefix);
//! let kinds: Vec<LayerKind> = w.by_ref().map(|s| s.unwrap().kind).collect();
//! assert_eq!(kinds, [LayerKind::Ethernet, LayerKind::Ipv4, LayerKind::Udp]);
//! let cut = w.cut().unwrap();
//! assert_eq!((cut.layer, cut.offset, cut.declared, cut.present), (LayerKind::Udp, 34, 1008, 94));
//! assert_eq!(w.fragment(), Fragment::No);
//! # Ok::<(), sdnwire_packet::Error>(())
//! ```

use core::iter::FusedIterator;

use crate::arp::step_arp;
use crate::bytes::{be16, slice, tail};
use crate::error::{CodecError, Error, ErrorKind, LayerKind, Result};
use crate::ethernet::{step_ethernet, step_vlan, EtherType};
use crate::icmp::step_icmp;
use crate::icmpv6::step_icmpv6;
use crate::igmp::step_igmp;
use crate::ip::IpProtocol;
use crate::ipv4::Ipv4View;
use crate::ipv6::{ext_len, Ipv6View};
use crate::layer::{Next, Step};
use crate::lldp::step_lldp;
use crate::slow::{step_lacp, step_marker, SUBTYPE_LACP, SUBTYPE_MARKER};
use crate::stack::Span;
use crate::tcp::step_tcp;
use crate::udp::step_udp;

/// How a [`Walker`] treats length fields larger than the bytes it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// A whole frame: a header cut short or a length past the end of the bytes is an error.
    Strict,
    /// The first bytes of a frame: lengths are bounded by the bytes present, a header the bytes
    /// end inside stops the walk without an error, and [`Walker::cut`] reports it.
    Prefix,
}

/// What the bytes of a [`Mode::Prefix`] walk did not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cut {
    /// The layer whose bytes are missing.
    pub layer: LayerKind,
    /// Offset of the layer's first byte in the frame.
    pub offset: usize,
    /// Bytes the layer declares from its first byte: the IPv4 total length, 40 + the IPv6
    /// payload length, the UDP length, or, for a header cut short, the bytes its header needs.
    pub declared: usize,
    /// Bytes present from the layer's first byte.
    pub present: usize,
    /// The layer's header was whole and the walk went on past it with its length bounded
    /// (`false`: the header itself was cut, and the walk stopped in front of it).
    pub walked: bool,
}

/// Whether the last IP header walked is a fragment, as Open vSwitch's `nw_frag` tells
/// (`ovs-ofctl`'s `nw_frag=no|first|later`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Fragment {
    /// A whole datagram (an IPv6 atomic fragment is one).
    #[default]
    No,
    /// The first fragment (offset 0, more-fragments set): it starts with the transport
    /// header, whose ports Open vSwitch reads.
    First,
    /// A later fragment (non-zero offset): no transport header, no ports.
    Later,
}

/// A walk over the layers of a frame: an iterator of the [`Span`] of each layer, outermost
/// first, each checked by its view type's `parse` before it is yielded.
///
/// A user who needs only some layers stops early: [`peek`](Walker::peek) says what comes next
/// without checking it, [`rest`](Walker::rest) gives its bytes. After an error the walk is
/// over (the iterator is fused); [`offset`](Walker::offset) is then the failed layer's start.
///
/// Cost: no allocation; each step is one match on the layer kind and the checks of that
/// layer's view (`#[inline]` throughout, so a caller that stops after IP pays for nothing
/// above it).
#[derive(Debug, Clone)]
pub struct Walker<'a> {
    frame: &'a [u8],
    off: usize,
    end: usize,
    next: Option<LayerKind>,
    mode: Mode,
    found: Found,
}

/// What the walk learned besides the spans. Kept apart from the walk's position so that the
/// cold paths (prefix mode, errors), which write it through a pointer, leave the hot fields
/// in registers.
#[derive(Debug, Clone, Copy)]
struct Found {
    cut: Option<Cut>,
    fragment: Fragment,
    ip_protocol: Option<IpProtocol>,
    /// The walk's end is the end of the bytes present with no length field that fit ending
    /// it there: no IP header walked yet, or the last IP length was bounded to the bytes.
    bounded: bool,
}

impl<'a> Walker<'a> {
    /// A strict walk of an Ethernet frame.
    #[inline]
    pub fn new(frame: &'a [u8]) -> Self {
        Self::with(frame, LayerKind::Ethernet, Mode::Strict)
    }

    /// A prefix walk of the first bytes of an Ethernet frame.
    #[inline]
    pub fn prefix(frame: &'a [u8]) -> Self {
        Self::with(frame, LayerKind::Ethernet, Mode::Prefix)
    }

    /// A walk of `bytes` that start with a layer of `first` (`LayerKind::Ipv4` for an sFlow
    /// header of protocol IPv4, say), in `mode`.
    #[inline]
    pub fn with(bytes: &'a [u8], first: LayerKind, mode: Mode) -> Self {
        Walker {
            frame: bytes,
            off: 0,
            end: bytes.len(),
            next: if first == LayerKind::Packet {
                None
            } else {
                Some(first)
            },
            mode,
            found: Found {
                cut: None,
                fragment: Fragment::No,
                ip_protocol: None,
                bounded: true,
            },
        }
    }

    /// The kind of the layer the next step will check, from what the layer before announced;
    /// `None` once the walk is over (an unknown protocol, a fragment's payload, an error, a
    /// cut).
    #[inline]
    pub fn peek(&self) -> Option<LayerKind> {
        self.next
    }

    /// Offset in the frame of the next layer, or of the payload once the walk is over.
    #[inline]
    pub fn offset(&self) -> usize {
        self.off
    }

    /// Where the length fields of the layers walked say their content ends (padding after).
    #[inline]
    pub fn end(&self) -> usize {
        self.end
    }

    /// The bytes from [`offset`](Walker::offset) to [`end`](Walker::end): the next layer and
    /// what it carries, or the payload once the walk is over.
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        slice(self.frame, self.off, self.end)
    }

    /// The bytes walked.
    #[inline]
    pub fn frame(&self) -> &'a [u8] {
        self.frame
    }

    /// The walk's mode.
    #[inline]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// What the bytes did not hold ([`Mode::Prefix`] only): the last layer whose length was
    /// bounded, or whose header was cut (then the walk stopped there).
    #[inline]
    pub fn cut(&self) -> Option<Cut> {
        self.found.cut
    }

    /// Whether the last IP header walked is a fragment.
    #[inline]
    pub fn fragment(&self) -> Fragment {
        self.found.fragment
    }

    /// The protocol the last IP header walked announces: the IPv4 protocol, or the IPv6 next
    /// header where the extension-header chain ends (for a later fragment, the protocol of the
    /// fragmented datagram; in a prefix walk whose chain is cut, the type of the extension
    /// header cut short). `None` before an IP header.
    #[inline]
    pub fn ip_protocol(&self) -> Option<IpProtocol> {
        self.found.ip_protocol
    }

    /// Checks the next layer and moves past its header.
    ///
    /// The common headers (Ethernet, a VLAN tag, IPv4 without options, UDP, TCP, ICMP) take
    /// [`fast_step`], inlined into the caller's loop; every other layer, and every header the
    /// fast step does not accept, takes [`general_step`] (out of line), which decides the same
    /// headers the same way and gives the errors.
    #[inline(always)]
    fn step(&mut self) -> Option<Result<Span>> {
        Some(self.step_with_bytes()?.map(|(span, _)| span))
    }

    /// [`next`](Iterator::next), with the bytes of the layer's span (`frame[start..end]`),
    /// taken from the bytes the step checked rather than sliced from the frame again.
    #[inline(always)]
    pub(crate) fn next_with_bytes(&mut self) -> Option<Result<(Span, &'a [u8])>> {
        self.step_with_bytes()
    }

    /// The step (see [`step`](Self::step)), with the span's bytes.
    #[inline(always)]
    fn step_with_bytes(&mut self) -> Option<Result<(Span, &'a [u8])>> {
        let kind = self.next.take()?;
        let off = self.off;
        let buf = slice(self.frame, off, self.end);
        let (header_len, end, next) = match fast_step(&mut self.found, kind, buf) {
            Some(st) => st,
            None => match general_step(self.frame, self.mode, &mut self.found, kind, off, buf) {
                Ok(Some(st)) => st,
                // Cut: the walk stops in front of the layer.
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            },
        };
        let span = Span {
            kind,
            start: off,
            header_len,
            end: off + end,
        };
        self.end = span.end;
        self.off = off + header_len;
        self.next = next;
        Some(Ok((span, slice(buf, 0, end))))
    }

    /// A layer other than IP: its own step; in a prefix walk a header cut short stops the walk
    /// and a UDP length past the bytes is bounded.
    #[inline(always)]
    fn step_other(&mut self, kind: LayerKind, off: usize, buf: &[u8]) -> Result<Option<Step>> {
        match step_for(kind, buf) {
            Ok(st) => Ok(Some(st)),
            Err(e) if self.mode == Mode::Prefix => {
                prefix_other(&mut self.found, self.frame.len(), kind, off, buf, e)
            }
            Err(e) => Err(e),
        }
    }

    #[inline(always)]
    fn step_ipv4(&mut self, off: usize, buf: &[u8]) -> Result<Option<Step>> {
        let (header_len, end) = match Ipv4View::parse(buf) {
            Ok(v) => {
                self.found.bounded = false;
                (v.header_len(), usize::from(v.total_len()))
            }
            Err(e) if self.mode == Mode::Prefix => {
                match prefix_ipv4(&mut self.found, self.frame.len(), off, buf, e)? {
                    Some(bounds) => bounds,
                    None => return Ok(None),
                }
            }
            Err(e) => return Err(e),
        };
        if header_len > 20 {
            check_options(LayerKind::Ipv4, slice(buf, 20, header_len), 20)?;
        }
        // Past the checks: 20 bytes or more are there.
        let frag = be16(buf, 6);
        let protocol = IpProtocol(buf.get(9).copied().unwrap_or(0));
        self.found.ip_protocol = Some(protocol);
        self.found.fragment = if frag & 0x1fff != 0 {
            Fragment::Later
        } else if frag & 0x2000 != 0 {
            Fragment::First
        } else {
            Fragment::No
        };
        Ok(Some(Step {
            header_len,
            end,
            next: if self.found.fragment == Fragment::No {
                Next::IpProtocol(protocol)
            } else {
                Next::Payload
            },
        }))
    }

    #[inline(always)]
    fn step_ipv6(&mut self, off: usize, buf: &[u8]) -> Result<Option<Step>> {
        let v = match Ipv6View::parse(buf) {
            Ok(v) => {
                self.found.bounded = false;
                v
            }
            Err(e) if self.mode == Mode::Prefix => {
                return prefix_ipv6(&mut self.found, self.frame.len(), off, buf, e)
            }
            Err(e) => return Err(e),
        };
        let up = v.upper_layer();
        self.found.ip_protocol = Some(up.next_header);
        self.found.fragment = if up.non_first_fragment {
            Fragment::Later
        } else if up.offset > Ipv6View::<&[u8]>::HEADER_LEN && first_fragment_v6(&v) {
            Fragment::First
        } else {
            Fragment::No
        };
        Ok(Some(Step {
            header_len: up.offset,
            end: v.end(),
            next: if self.found.fragment == Fragment::No {
                Next::IpProtocol(up.next_header)
            } else {
                Next::Payload
            },
        }))
    }
}

impl Found {
    /// Records that `layer` at `offset` declares `declared` bytes where `present` are.
    #[cold]
    fn set_cut(
        &mut self,
        layer: LayerKind,
        offset: usize,
        declared: usize,
        present: usize,
        walked: bool,
    ) {
        self.cut = Some(Cut {
            layer,
            offset,
            declared,
            present,
            walked,
        });
        self.bounded |= walked;
    }
}

/// Whether the bytes of the layer at `off` (`buf`) end where the bytes walked end with no
/// length field ending them there: no IP header before it, or the last IP (or UDP) length was
/// bounded to the bytes present. Only then can a check that wants more bytes be a cut; a
/// header that runs past a length field that fit is wrong whatever the bytes present.
#[cold]
fn ran_out(found: &Found, frame_len: usize, off: usize, buf: &[u8]) -> bool {
    off + buf.len() == frame_len && found.bounded
}

#[cold]
#[inline(never)]
fn prefix_other(
    found: &mut Found,
    frame_len: usize,
    kind: LayerKind,
    off: usize,
    buf: &[u8],
    e: Error,
) -> Result<Option<Step>> {
    if !ran_out(found, frame_len, off, buf) {
        return Err(e);
    }
    if let Error::Truncated {
        offset,
        needed,
        available,
        ..
    } = e
    {
        found.set_cut(kind, off, offset + needed, offset + available, false);
        return Ok(None);
    }
    // Bytes that a bounded length (an IPv4 or IPv6 header's) cut short.
    let Some(c) = found.cut.filter(|c| c.walked) else {
        return Err(e);
    };
    let udp_len = usize::from(be16(buf, 4));
    if kind == LayerKind::Udp && udp_len > buf.len() {
        found.set_cut(kind, off, udp_len, buf.len(), true);
        return Ok(Some(Step {
            header_len: crate::udp::Udp::LEN,
            end: buf.len(),
            next: Next::Payload,
        }));
    }
    // A message that ends the stack, cut short that way, cannot be checked whole: a length or
    // checksum it fails is the cut's doing. (A UDP length below 8 or a TCP data offset below
    // 5 is wrong whatever follows: still an error.)
    if matches!(kind, LayerKind::Icmp | LayerKind::Icmpv6 | LayerKind::Igmp)
        && matches!(e.kind(), ErrorKind::BadLength | ErrorKind::BadChecksum)
    {
        let declared = (c.offset + c.declared).saturating_sub(off);
        found.set_cut(kind, off, declared, buf.len(), false);
        return Ok(None);
    }
    Err(e)
}

/// The bounds of an IPv4 header `Ipv4View::parse` refused in a prefix walk: `None` (and a
/// cut) when the header is cut short, the header length and the bytes present when only
/// the total length runs past them, the error otherwise.
#[cold]
#[inline(never)]
fn prefix_ipv4(
    found: &mut Found,
    frame_len: usize,
    off: usize,
    buf: &[u8],
    e: Error,
) -> Result<Option<(usize, usize)>> {
    if !ran_out(found, frame_len, off, buf) {
        return Err(e);
    }
    if let Error::Truncated {
        offset,
        needed,
        available,
        ..
    } = e
    {
        found.set_cut(
            LayerKind::Ipv4,
            off,
            offset + needed,
            offset + available,
            false,
        );
        return Ok(None);
    }
    // Truncated comes before the total-length checks: the header is whole here.
    let hl = usize::from(buf.first().copied().unwrap_or(0) & 0x0f) * 4;
    let total = usize::from(be16(buf, 2));
    let version = buf.first().copied().unwrap_or(0) >> 4;
    if version == 4 && hl >= 20 && hl <= buf.len() && total >= hl && total > buf.len() {
        found.set_cut(LayerKind::Ipv4, off, total, buf.len(), true);
        return Ok(Some((hl, buf.len())));
    }
    Err(e)
}

/// An IPv6 header `Ipv6View::parse` refused in a prefix walk: a fixed header cut short
/// stops the walk; a payload length past the bytes is bounded, and the extension headers
/// are walked over the bytes present, up to the first one cut short.
#[cold]
#[inline(never)]
fn prefix_ipv6(
    found: &mut Found,
    frame_len: usize,
    off: usize,
    buf: &[u8],
    e: Error,
) -> Result<Option<Step>> {
    const FIXED: usize = Ipv6View::<&[u8]>::HEADER_LEN;
    if !ran_out(found, frame_len, off, buf) {
        return Err(e);
    }
    // Only the fixed header can be cut here: an extension header that runs past a payload
    // length that fits is wrong whatever the bytes present.
    if let (
        &Error::Truncated {
            offset,
            needed,
            available,
            ..
        },
        true,
    ) = (&e, buf.len() < FIXED)
    {
        found.set_cut(
            LayerKind::Ipv6,
            off,
            offset + needed,
            offset + available,
            false,
        );
        return Ok(None);
    }
    let declared = FIXED + usize::from(be16(buf, 4));
    let version = buf.first().copied().unwrap_or(0) >> 4;
    if version != 6 || buf.len() < FIXED || declared <= buf.len() {
        // Wrong whatever the length: still an error.
        return Err(e);
    }
    found.set_cut(LayerKind::Ipv6, off, declared, buf.len(), true);
    let mut nxt = IpProtocol(buf.get(6).copied().unwrap_or(0));
    let mut at = FIXED;
    let mut fragment = Fragment::No;
    loop {
        match ext_len(nxt, buf, at) {
            Ok(None) => break,
            Ok(Some(len)) => {
                let h = slice(buf, at, at + len);
                let kind = nxt;
                nxt = IpProtocol(h.first().copied().unwrap_or(0));
                at += len;
                if kind == IpProtocol::IPV6_FRAG {
                    let fo = be16(h, 2);
                    if fo >> 3 != 0 {
                        fragment = Fragment::Later;
                        break;
                    }
                    if fo & 1 != 0 {
                        fragment = Fragment::First;
                    }
                }
            }
            // An extension header the bytes end inside. Anything else (an authentication
            // header of length 0, options with a wrong framing) is wrong whatever the bytes
            // present.
            Err(e) if !extension_header_cut(&e) => return Err(e),
            Err(_) => {
                // The extension header at `at` is cut: the walk ends in front of it, and
                // the protocol is its type.
                found.ip_protocol = Some(nxt);
                found.fragment = fragment;
                return Ok(Some(Step {
                    header_len: at,
                    end: buf.len(),
                    next: Next::Payload,
                }));
            }
        }
    }
    found.ip_protocol = Some(nxt);
    found.fragment = fragment;
    Ok(Some(Step {
        header_len: at,
        end: buf.len(),
        next: if fragment == Fragment::No {
            Next::IpProtocol(nxt)
        } else {
            Next::Payload
        },
    }))
}

/// Whether an error of `ext_len` in a prefix walk (over the bytes present) says the bytes end
/// inside the extension header: its first bytes are missing, or its length runs past them.
/// Anything else (an authentication header of length 0, options or a routing header whose
/// framing is wrong) is wrong whatever the bytes present.
#[cold]
fn extension_header_cut(e: &Error) -> bool {
    match e {
        Error::Truncated { what, .. } => matches!(
            *what,
            "extension header" | "fragment header" | "authentication header"
        ),
        Error::BadLength { field, .. } => *field == "hdr_ext_len",
        _ => false,
    }
}

/// The step of the headers most frames are made of, checked as their views check them, on
/// the bytes directly: an Ethernet header, a VLAN tag, an IPv4 header without options, a UDP
/// header, a TCP header, an ICMP message. `Some((header_len, end, next))` for a header the view accepts,
/// exactly what [`general_step`] gives for it (debug builds assert so); `None` for any other
/// layer or header (options, a header the view refuses), which [`general_step`] then decides
/// (its error included). Bounds hold by construction: `header_len <= end <= buf.len()`.
#[inline(always)]
fn fast_step(
    found: &mut Found,
    kind: LayerKind,
    buf: &[u8],
) -> Option<(usize, usize, Option<LayerKind>)> {
    let st = match kind {
        LayerKind::Ethernet => {
            let h = buf.first_chunk::<14>()?;
            let t = EtherType(u16::from_be_bytes([h[12], h[13]]));
            (14, buf.len(), kind_for(Next::Ethertype(t), tail(buf, 14)))
        }
        LayerKind::Vlan => {
            let h = buf.first_chunk::<4>()?;
            let t = EtherType(u16::from_be_bytes([h[2], h[3]]));
            (4, buf.len(), kind_for(Next::Ethertype(t), tail(buf, 4)))
        }
        LayerKind::Ipv4 => {
            let h = buf.first_chunk::<20>()?;
            let total = usize::from(u16::from_be_bytes([h[2], h[3]]));
            // Version 4, IHL 5 (no options), the total length within the bytes.
            if h[0] != 0x45 || total < 20 || total > buf.len() {
                return None;
            }
            let frag = u16::from_be_bytes([h[6], h[7]]);
            let protocol = IpProtocol(h[9]);
            found.bounded = false;
            found.ip_protocol = Some(protocol);
            found.fragment = if frag & 0x1fff != 0 {
                Fragment::Later
            } else if frag & 0x2000 != 0 {
                Fragment::First
            } else {
                Fragment::No
            };
            let next = if found.fragment == Fragment::No {
                kind_for(Next::IpProtocol(protocol), &[])
            } else {
                None
            };
            (20, total, next)
        }
        LayerKind::Udp => {
            let h = buf.first_chunk::<8>()?;
            let len = usize::from(u16::from_be_bytes([h[4], h[5]]));
            if len < 8 || len > buf.len() {
                return None;
            }
            (8, len, None)
        }
        LayerKind::Tcp => {
            let h = buf.first_chunk::<20>()?;
            let hl = usize::from(h[12] >> 4) * 4;
            if hl < 20 || hl > buf.len() {
                return None;
            }
            if hl > 20 && !options_framed(slice(buf, 20, hl)) {
                return None;
            }
            (hl, buf.len(), None)
        }
        LayerKind::Icmp => {
            // The 8-byte header; the message is the rest of the IP payload.
            buf.first_chunk::<8>()?;
            (buf.len(), buf.len(), None)
        }
        _ => return None,
    };
    #[cfg(debug_assertions)]
    fast_step_agrees(found, kind, buf, st);
    Some(st)
}

/// Debug builds: the general step gives what the fast step gave.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn fast_step_agrees(
    found: &Found,
    kind: LayerKind,
    buf: &[u8],
    fast: (usize, usize, Option<LayerKind>),
) {
    let mut f = *found;
    let general = general_step(buf, Mode::Strict, &mut f, kind, 0, buf);
    if general.as_ref().ok() != Some(&Some(fast))
        || (f.fragment, f.ip_protocol) != (found.fragment, found.ip_protocol)
    {
        panic!(
            "fast step {fast:?} disagrees with the general step {general:?} on {kind:?} {buf:02x?}"
        );
    }
}

/// The step of any layer in any mode: the layer's own step (the IP steps above, the others'
/// in their modules), the bounds it reports checked, and the next layer's kind. `off` is where
/// `buf` starts in `frame`; errors are counted from the frame's first byte. Out of line: the
/// common headers take [`fast_step`].
#[inline(never)]
fn general_step(
    frame: &[u8],
    mode: Mode,
    found: &mut Found,
    kind: LayerKind,
    off: usize,
    buf: &[u8],
) -> Result<Option<(usize, usize, Option<LayerKind>)>> {
    let mut w = Walker {
        frame,
        off,
        end: off + buf.len(),
        next: None,
        mode,
        found: *found,
    };
    let st = match kind {
        LayerKind::Ipv4 => w.step_ipv4(off, buf),
        LayerKind::Ipv6 => w.step_ipv6(off, buf),
        _ => w.step_other(kind, off, buf),
    };
    *found = w.found;
    match st {
        Ok(Some(st)) if st.header_len <= st.end && st.end <= buf.len() => Ok(Some((
            st.header_len,
            st.end,
            kind_for(st.next, slice(buf, st.header_len, st.end)),
        ))),
        Ok(Some(_)) => Err(Error::BadLength {
            layer: kind,
            offset: off,
            field: "layer bounds",
            value: buf.len(),
            reason: "the layer's decoder reported bounds outside its buffer",
        }),
        Ok(None) => Ok(None),
        Err(e) => Err(e.add_offset(off)),
    }
}

impl Iterator for Walker<'_> {
    type Item = Result<Span>;

    #[inline(always)]
    fn next(&mut self) -> Option<Result<Span>> {
        self.step()
    }
}

impl FusedIterator for Walker<'_> {}

/// Checks the framing of the options of an IPv4 or TCP header (`opts`, which start `at` bytes
/// into the header): every option before end-of-list has a length that fits, and the bytes
/// after end-of-list are zeros (the padding RFC 791 and RFC 9293 §3.1 describe). The error
/// names the option's offset from the header's first byte.
#[inline]
pub(crate) fn check_options(layer: LayerKind, opts: &[u8], at: usize) -> Result<()> {
    if options_framed(opts) {
        return Ok(());
    }
    check_options_apart(layer, opts, at)
}

/// Whether [`check_options`] accepts `opts`: the same walk without the errors, small enough to
/// inline into the straight walks (a refused list goes to the general walk for its error). The
/// two layouts Linux writes are recognised first, by their kind and length bytes
/// ([`linux_layout`]); any other list is walked option by option.
#[inline(always)]
pub(crate) fn options_framed(opts: &[u8]) -> bool {
    if linux_layout(opts) {
        return true;
    }
    let mut pos = 0;
    while let Some(&kind) = opts.get(pos) {
        match kind {
            0 => return opts.iter().skip(pos + 1).all(|&b| b == 0),
            1 => pos += 1,
            _ => match opts.get(pos + 1) {
                Some(&len) if len >= 2 && usize::from(len) <= opts.len() - pos => {
                    pos += usize::from(len);
                }
                _ => return false,
            },
        }
    }
    true
}

/// Whether `opts` is one of the two option lists Linux's TCP writes (`tcp_options_write`), told
/// by their kind and length bytes alone, as Linux's `tcp_fast_parse_options` tells the
/// timestamp-only layout that RFC 7323 (appendix A) recommends for header prediction:
///
/// * NOP, NOP, timestamps (kind 8, length 10): 12 bytes, on the segments after the handshake
///   once timestamps are agreed (a segment with SACK blocks or an MD5 signature has more);
/// * MSS (2, 4), SACK permitted (4, 2), timestamps (8, 10), NOP, window scale (3, 3): 20 bytes,
///   on SYN and SYN-ACK segments with SACK, timestamps and window scaling all on (Linux's
///   defaults).
///
/// Each is a well-framed list (every length is at least 2 and the last option ends at the
/// list's end), so `true` here is the option walk's answer; `false` says only that the list
/// has to be walked. The test is a few masked loads and compares instead of a walk of three or
/// five options.
#[inline(always)]
fn linux_layout(opts: &[u8]) -> bool {
    match opts.len() {
        12 => opts
            .first_chunk::<4>()
            .is_some_and(|o| u32::from_be_bytes(*o) == 0x0101_080a),
        20 => match (opts.first_chunk::<8>(), opts.last_chunk::<4>()) {
            (Some(head), Some(tail)) => {
                u64::from_be_bytes(*head) & 0xffff_0000_ffff_ffff == 0x0204_0000_0402_080a
                    && u32::from_be_bytes(*tail) & 0xffff_ff00 == 0x0103_0300
            }
            _ => false,
        },
        _ => false,
    }
}

/// [`check_options`]'s errors, one by one.
#[cold]
#[inline(never)]
fn check_options_apart(layer: LayerKind, opts: &[u8], at: usize) -> Result<()> {
    let mut pos = 0;
    while let Some(&kind) = opts.get(pos) {
        match kind {
            0 => {
                let pad = slice(opts, pos + 1, opts.len());
                return match pad.iter().position(|&b| b != 0) {
                    None => Ok(()),
                    Some(i) => Err(Error::BadValue {
                        layer,
                        offset: at + pos + 1 + i,
                        field: "option padding",
                        value: u64::from(pad.get(i).copied().unwrap_or(0)),
                        expected: "zeros after the end-of-list option",
                    }),
                };
            }
            1 => pos += 1,
            _ => {
                let Some(&len) = opts.get(pos + 1) else {
                    return Err(Error::option_without_length(layer, at + pos));
                };
                let len = usize::from(len);
                if len < 2 || len > opts.len() - pos {
                    return Err(Error::BadLength {
                        layer,
                        offset: at + pos + 1,
                        field: "option length",
                        value: len,
                        reason: if len < 2 {
                            "below 2"
                        } else {
                            "past the end of the options"
                        },
                    });
                }
                pos += len;
            }
        }
    }
    Ok(())
}

/// True if a fragment header of `ip` has offset 0 and more-fragments set (the walk of the
/// extension headers already stopped at one with a non-zero offset).
fn first_fragment_v6(ip: &Ipv6View<&[u8]>) -> bool {
    ip.ext_headers()
        .flatten()
        .any(|h| h.kind() == IpProtocol::IPV6_FRAG && be16(h.bytes(), 2) & 1 != 0)
}

/// The ports of a transport header at the start of `l4`, as Open vSwitch reads them from a
/// first fragment or a sampled header: TCP (20 bytes present), UDP (8), SCTP (12): source and
/// destination port; ICMP and ICMPv6 (8 bytes present): type and code. `None` for another
/// protocol or when the fixed header is not all there. Nothing past those bytes is checked.
#[inline]
pub fn transport_ports(protocol: IpProtocol, l4: &[u8]) -> Option<(u16, u16)> {
    let need = match protocol {
        IpProtocol::TCP => 20,
        IpProtocol::UDP | IpProtocol::ICMP | IpProtocol::ICMPV6 => 8,
        IpProtocol::SCTP => 12,
        _ => return None,
    };
    let h = l4.get(..need)?.first_chunk::<4>()?;
    Some(match protocol {
        IpProtocol::ICMP | IpProtocol::ICMPV6 => (u16::from(h[0]), u16::from(h[1])),
        _ => (
            u16::from_be_bytes([h[0], h[1]]),
            u16::from_be_bytes([h[2], h[3]]),
        ),
    })
}

/// Which protocol the bytes after a layer hold, from what that layer announced.
#[inline(always)]
pub(crate) fn kind_for(next: Next, rest: &[u8]) -> Option<LayerKind> {
    match next {
        Next::Ethertype(t) => match t {
            EtherType::IPV4 => Some(LayerKind::Ipv4),
            EtherType::ARP => Some(LayerKind::Arp),
            EtherType::IPV6 => Some(LayerKind::Ipv6),
            EtherType::LLDP => Some(LayerKind::Lldp),
            EtherType::SLOW => match rest.first() {
                Some(&SUBTYPE_LACP) => Some(LayerKind::Lacp),
                Some(&SUBTYPE_MARKER) => Some(LayerKind::Marker),
                // No subtype byte at all: LACP's parser refuses it (truncated), not payload.
                None => Some(LayerKind::Lacp),
                _ => None,
            },
            t if t.is_vlan() => Some(LayerKind::Vlan),
            _ => None,
        },
        Next::IpProtocol(p) => match p {
            IpProtocol::ICMP => Some(LayerKind::Icmp),
            IpProtocol::IGMP => Some(LayerKind::Igmp),
            IpProtocol::TCP => Some(LayerKind::Tcp),
            IpProtocol::UDP => Some(LayerKind::Udp),
            IpProtocol::ICMPV6 => Some(LayerKind::Icmpv6),
            // IP in IP (RFC 2003) and IPv6 in IP (RFC 4213, RFC 2473) tunnels.
            IpProtocol(4) => Some(LayerKind::Ipv4),
            IpProtocol::IPV6 => Some(LayerKind::Ipv6),
            _ => None,
        },
        Next::Payload => None,
    }
}

/// The strict step of a layer other than IP.
#[inline(always)]
fn step_for(kind: LayerKind, buf: &[u8]) -> Result<Step> {
    match kind {
        LayerKind::Ethernet => step_ethernet(buf),
        LayerKind::Vlan => step_vlan(buf),
        LayerKind::Arp => step_arp(buf),
        LayerKind::Icmp => step_icmp(buf),
        LayerKind::Icmpv6 => step_icmpv6(buf),
        LayerKind::Igmp => step_igmp(buf),
        LayerKind::Udp => step_udp(buf),
        LayerKind::Tcp => step_tcp(buf),
        LayerKind::Lacp => step_lacp(buf),
        LayerKind::Marker => step_marker(buf),
        LayerKind::Lldp => step_lldp(buf),
        // Walked by the walker itself; `Packet` is not a layer.
        LayerKind::Ipv4 | LayerKind::Ipv6 | LayerKind::Packet => Err(Error::BadValue {
            layer: LayerKind::Packet,
            offset: 0,
            field: "layer kind",
            value: 0,
            expected: "a protocol layer",
        }),
    }
}

/// The strict IPv6 step alone, for the tests of the IPv6 module.
#[cfg(test)]
pub(crate) fn step_ipv6(buf: &[u8]) -> Result<Step> {
    let mut w = Walker::with(buf, LayerKind::Ipv6, Mode::Strict);
    w.step_ipv6(0, buf)?.ok_or(Error::BadValue {
        layer: LayerKind::Ipv6,
        offset: 0,
        field: "mode",
        value: 0,
        expected: "a strict walk never stops without an error",
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ipv4::{Ipv4, FLAG_MF};
    use crate::ipv6::{Ipv6, Ipv6ExtHeader};
    use crate::tcp::{Tcp, TcpFlags};
    use crate::{Encode, Ethernet, Icmp, Icmpv6, Layer, MacAddr, Packet, Udp, Vlan};
    use alloc::format;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// `options_framed` (the straight walks' inline test) accepts exactly what
    /// `check_options`'s error-giving walk accepts: on six option lists (up to 20 bytes), every
    /// truncation and every one-byte change of them (below: every length up to 40, and any
    /// bytes).
    #[test]
    fn options_framed_equals_the_option_checks() {
        let seeds: [&[u8]; 6] = [
            &[
                2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7,
            ],
            &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
            &[0, 0, 0, 0],
            &[1, 0, 0, 5],
            &[3, 3, 7, 0],
            &[30, 2, 1, 1, 1, 9, 2],
        ];
        let mut n = 0u32;
        for seed in seeds {
            for cut in 0..=seed.len() {
                let o = &seed[..cut];
                assert_eq!(
                    options_framed(o),
                    check_options_apart(LayerKind::Tcp, o, 20).is_ok(),
                    "{o:?}"
                );
                assert_eq!(
                    check_options(LayerKind::Tcp, o, 20),
                    check_options_apart(LayerKind::Tcp, o, 20)
                );
            }
            for at in 0..seed.len() {
                let mut m = seed.to_vec();
                for b in 0..=255u8 {
                    m[at] = b;
                    assert_eq!(
                        options_framed(&m),
                        check_options_apart(LayerKind::Tcp, &m, 20).is_ok(),
                        "{m:?}"
                    );
                    assert_eq!(
                        check_options(LayerKind::Ipv4, &m, 20),
                        check_options_apart(LayerKind::Ipv4, &m, 20)
                    );
                    n += u32::from(options_framed(&m));
                }
            }
        }
        assert!(n > 1000, "{n}");
    }

    /// The two layouts `linux_layout` recognises are lists the option walk accepts: every list
    /// it recognises among every one- and two-byte change of both (each byte to each of 0, 1,
    /// 2, 3, 4, 8, 10, 255 and its own value) is accepted by the error-giving walk; and the
    /// captured SYN's and data segment's options take that test.
    #[test]
    fn linux_layouts_are_framed_lists() {
        let syn: [u8; 20] = [
            2, 4, 5, 180, 4, 2, 8, 10, 255, 107, 37, 158, 0, 0, 0, 0, 1, 3, 3, 10,
        ];
        let data: [u8; 12] = [1, 1, 8, 10, 255, 107, 37, 158, 63, 7, 209, 191];
        assert!(linux_layout(&syn) && linux_layout(&data));
        assert!(!linux_layout(&syn[..19]) && !linux_layout(&data[..11]));
        let values = [0u8, 1, 2, 3, 4, 8, 10, 255];
        let mut recognised = 0u32;
        for seed in [&syn[..], &data[..]] {
            for i in 0..seed.len() {
                for j in i..seed.len() {
                    for &a in &values {
                        for &b in &values {
                            let mut m = seed.to_vec();
                            m[i] = a;
                            m[j] = b;
                            if linux_layout(&m) {
                                recognised += 1;
                                assert_eq!(check_options_apart(LayerKind::Tcp, &m, 20), Ok(()));
                            }
                        }
                    }
                }
            }
        }
        assert!(recognised > 5_000, "{recognised}");
    }

    /// `options_framed` against the error-giving walk on option lists of every length from 0
    /// to 40 (the most a TCP or IPv4 header carries): every list of up to 6 bytes over the
    /// bytes that decide the framing (end-of-list, NOP, a kind, lengths 0-4, a large length);
    /// and, for every length, NOPs, then an option of every length byte (0-255) filled with
    /// zeros or not, then end-of-list with padding that is zeros or has one non-zero byte.
    #[test]
    fn options_framed_equals_the_option_checks_on_every_length() {
        let agree = |o: &[u8]| {
            let ok = check_options_apart(LayerKind::Tcp, o, 20);
            assert_eq!(options_framed(o), ok.is_ok(), "{o:?}");
            assert_eq!(check_options(LayerKind::Tcp, o, 20), ok, "{o:?}");
            u32::from(ok.is_ok())
        };
        let alphabet = [0u8, 1, 2, 3, 4, 30, 255];
        let mut framed = 0u32;
        for len in 0..=6u32 {
            for mut i in 0..7usize.pow(len) {
                let mut o = [0u8; 6];
                for b in o.iter_mut().take(len as usize) {
                    *b = alphabet[i % 7];
                    i /= 7;
                }
                framed += agree(&o[..len as usize]);
            }
        }
        let mut o = Vec::with_capacity(40);
        for len in 0..=40usize {
            for nops in 0..=len {
                for kind in [2u8, 8, 255] {
                    for olen in 0..=255u8 {
                        for fill in [0u8, 0xaa] {
                            o.clear();
                            o.resize(nops, 1);
                            o.extend([kind, olen]);
                            o.resize(o.len().max(nops + usize::from(olen)), fill);
                            // End-of-list and zeros to the length, or cut at it.
                            o.push(0);
                            o.resize(o.len().max(len), 0);
                            o.truncate(len);
                            framed += agree(&o);
                            if o.len() > nops + 2 {
                                if let Some(last) = o.last_mut() {
                                    *last = 0x10;
                                }
                                framed += agree(&o);
                            }
                        }
                    }
                }
            }
        }
        assert!(framed > 10_000, "{framed}");
    }

    fn hosts() -> Ethernet {
        Ethernet::new(
            MacAddr::new(0, 0, 0, 0, 0, 2),
            MacAddr::new(0, 0, 0, 0, 0, 1),
        )
    }

    fn ip4() -> Ipv4 {
        Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
    }

    fn ip6() -> Ipv6 {
        Ipv6::new("fd00::1".parse().unwrap(), "fd00::2".parse().unwrap())
    }

    fn kinds(w: &mut Walker<'_>) -> Vec<LayerKind> {
        w.map(|s| s.unwrap().kind).collect()
    }

    fn cut(layer: LayerKind, offset: usize, declared: usize, present: usize, walked: bool) -> Cut {
        Cut {
            layer,
            offset,
            declared,
            present,
            walked,
        }
    }

    #[test]
    fn prefix_walks_report_what_was_cut() {
        use LayerKind as K;
        let f = (hosts() / Vlan::new(7) / ip4() / Tcp::new(1, 2, TcpFlags::ACK))
            .with_payload(vec![0; 100])
            .to_vec()
            .unwrap();
        // Whole: as strict, no cut.
        let mut w = Walker::prefix(&f);
        assert_eq!(kinds(&mut w), [K::Ethernet, K::Vlan, K::Ipv4, K::Tcp]);
        assert_eq!((w.cut(), w.offset(), w.end()), (None, 58, f.len()));
        // Cut in the payload: IPv4's total length is bounded, the TCP header is whole.
        let mut w = Walker::prefix(&f[..80]);
        assert_eq!(kinds(&mut w), [K::Ethernet, K::Vlan, K::Ipv4, K::Tcp]);
        assert_eq!(w.cut(), Some(cut(K::Ipv4, 18, 140, 62, true)));
        assert_eq!(w.rest(), &f[58..80]);
        assert_eq!(w.ip_protocol(), Some(IpProtocol::TCP));
        // Cut in the TCP header: the walk stops in front of it, without an error.
        let mut w = Walker::prefix(&f[..50]);
        assert_eq!(kinds(&mut w), [K::Ethernet, K::Vlan, K::Ipv4]);
        assert_eq!(w.cut(), Some(cut(K::Tcp, 38, 20, 12, false)));
        assert_eq!((w.peek(), w.offset(), w.rest()), (None, 38, &f[38..50]));
        assert_eq!(transport_ports(IpProtocol::TCP, w.rest()), None);
        // In the IPv4 header, the VLAN tag, the Ethernet header.
        let mut w = Walker::prefix(&f[..30]);
        assert_eq!(kinds(&mut w), [K::Ethernet, K::Vlan]);
        assert_eq!(w.cut(), Some(cut(K::Ipv4, 18, 20, 12, false)));
        let mut w = Walker::prefix(&f[..16]);
        assert_eq!(kinds(&mut w), [K::Ethernet]);
        assert_eq!(w.cut(), Some(cut(K::Vlan, 14, 4, 2, false)));
        let mut w = Walker::prefix(&f[..5]);
        assert_eq!(kinds(&mut w), []);
        assert_eq!(w.cut(), Some(cut(K::Ethernet, 0, 14, 5, false)));
        // The strict walk refuses each of them where the prefix walk stopped.
        for (n, at) in [(80, 20), (50, 20), (30, 18), (16, 14), (5, 0)] {
            let e = Walker::new(&f[..n]).find_map(Result::err).unwrap();
            assert_eq!(e.offset(), Some(at), "{n}: {e}");
        }
        // Wrong whatever the length: still an error in a prefix walk.
        let mut bad = f[..80].to_vec();
        bad[18] = 0x44; // IHL 4
        let e = Walker::prefix(&bad).find_map(Result::err).unwrap();
        assert_eq!((e.offset(), e.field()), (Some(18), Some("ihl")));
    }

    #[test]
    fn prefix_walks_of_ipv6_bound_the_payload_and_stop_at_a_cut_extension_header() {
        use LayerKind as K;
        let ip = ip6()
            .with_ext_header(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]))
            .with_ext_header(Ipv6ExtHeader::new(
                IpProtocol::IPV6_ROUTE,
                [253, 0, 0, 0, 0, 0],
            ));
        let f = (hosts() / ip / Udp::new(53, 53))
            .with_payload(vec![0; 200])
            .to_vec()
            .unwrap();
        let whole = 14 + 40 + 16 + 8 + 200;
        assert_eq!(f.len(), whole);
        let mut w = Walker::prefix(&f[..128]);
        assert_eq!(kinds(&mut w), [K::Ethernet, K::Ipv6, K::Udp]);
        assert_eq!(w.cut(), Some(cut(K::Udp, 70, 208, 58, true)));
        assert_eq!(w.ip_protocol(), Some(IpProtocol::UDP));
        assert_eq!(
            transport_ports(IpProtocol::UDP, &f[70..128]),
            Some((53, 53))
        );
        // Cut inside the routing header: IPv6 ends in front of it, its type is the protocol.
        let mut w = Walker::prefix(&f[..14 + 40 + 12]);
        let spans: Vec<Span> = w.by_ref().map(Result::unwrap).collect();
        assert_eq!(spans.last().unwrap().header_len, 48);
        assert_eq!(w.cut(), Some(cut(K::Ipv6, 14, 40 + 224, 52, true)));
        assert_eq!(w.ip_protocol(), Some(IpProtocol::IPV6_ROUTE));
        assert_eq!(w.peek(), None);
        // Started at the IP header (an sFlow header of protocol IPv6).
        let mut w = Walker::with(&f[14..128], K::Ipv6, Mode::Prefix);
        assert_eq!(kinds(&mut w), [K::Ipv6, K::Udp]);
        assert_eq!(w.cut(), Some(cut(K::Udp, 56, 208, 58, true)));
    }

    /// An Ethernet frame of a shape the walk reads, from owned layers: tags, IPv4 (options,
    /// fragment flags) or IPv6 (extension headers, fragment headers), a transport header.
    pub(crate) fn arb_frame() -> impl Strategy<Value = Vec<u8>> {
        let ext = prop_oneof![
            Just(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0])),
            Just(Ipv6ExtHeader::new(
                IpProtocol::IPV6_OPTS,
                [1, 4, 0, 0, 0, 0]
            )),
            Just(Ipv6ExtHeader::new(
                IpProtocol::IPV6_ROUTE,
                [253, 0, 0, 0, 0, 0]
            )),
            (0u16..3, any::<bool>(), any::<u32>())
                .prop_map(|(o, m, id)| Ipv6ExtHeader::fragment(o, m, id)),
        ];
        let ip = prop_oneof![
            (0u8..8, prop_oneof![Just(0u16), 0u16..4], 0usize..3).prop_map(|(flags, offset, w)| {
                let mut h = ip4();
                h.flags = flags;
                h.offset = offset;
                h.option = vec![1; w * 4].into();
                Layer::Ipv4(h)
            }),
            proptest::collection::vec(ext, 0..3).prop_map(|exts| {
                let mut h = ip6();
                h.ext_hdrs = exts;
                Layer::Ipv6(h)
            }),
        ];
        let l4 = prop_oneof![
            (any::<u16>(), any::<u16>()).prop_map(|(s, d)| Layer::Udp(Udp::new(s, d))),
            (any::<u16>(), any::<u16>()).prop_map(|(s, d)| Layer::Tcp(Tcp::new(
                s,
                d,
                TcpFlags::ACK
            ))),
            Just(Layer::Icmp(Icmp::echo_request(1, 2, vec![0; 3]))),
            Just(Layer::Icmpv6(Icmpv6::echo_request(1, 2, vec![1; 2]))),
        ];
        (0u16..3, ip, l4, 0usize..200).prop_filter_map(
            "a stack the serializer refuses",
            |(tags, ip, l4, payload)| {
                let mut p = Packet::new().push(hosts());
                for vid in 0..tags {
                    p = p.push(Vlan::new(vid + 1));
                }
                p.push(ip)
                    .push(l4)
                    .with_payload(vec![0x5a; payload])
                    .to_vec()
                    .ok()
            },
        )
    }

    proptest! {
        /// Every prefix of a frame the strict walk accepts: the prefix walk gives no error,
        /// the same layers as far as the bytes reach (same starts and header lengths), the same
        /// protocol and fragment state once IP is walked, and a cut whenever it stopped early.
        #[test]
        fn every_prefix_walks_as_far_as_its_bytes(frame in arb_frame(), cut_at in any::<prop::sample::Index>()) {
            let strict: Vec<Span> = Walker::new(&frame).map(Result::unwrap).collect();
            let mut whole = Walker::new(&frame);
            whole.by_ref().for_each(drop);
            let n = cut_at.index(frame.len() + 1);
            let mut w = Walker::prefix(&frame[..n]);
            let spans: Vec<Span> = w.by_ref().map(|s| s.map_err(|e| TestCaseError::fail(format!("{e}")))).collect::<core::result::Result<_, _>>()?;
            prop_assert!(spans.len() <= strict.len());
            for (a, b) in spans.iter().zip(&strict) {
                prop_assert_eq!((a.kind, a.start), (b.kind, b.start));
                // An IPv6 header whose chain is cut ends early.
                // (A message that ends the stack, ICMP here, is its own header: bounded with it.)
                let ends_stack = matches!(a.kind, LayerKind::Icmp | LayerKind::Icmpv6);
                if !ends_stack && (a.kind != LayerKind::Ipv6 || w.cut().map(|c| c.layer) != Some(LayerKind::Ipv6)) {
                    prop_assert_eq!(a.header_len, b.header_len);
                }
                prop_assert!(a.end <= n && a.end <= b.end);
            }
            if n == frame.len() {
                prop_assert_eq!(&spans, &strict);
                prop_assert_eq!(w.cut(), None);
            } else if spans.len() < strict.len() || spans.last().map(|s| s.end) != strict.last().map(|s| s.end) {
                let c = w.cut();
                prop_assert!(c.is_some(), "{} of {}", n, frame.len());
                let c = c.unwrap();
                prop_assert!(c.present < c.declared && c.offset + c.present == n, "{:?}", c);
            }
            if spans.iter().any(|s| matches!(s.kind, LayerKind::Ipv4 | LayerKind::Ipv6))
                && w.cut().map(|c| c.layer) != Some(LayerKind::Ipv6)
            {
                prop_assert_eq!(w.ip_protocol(), whole.ip_protocol());
                prop_assert_eq!(w.fragment(), whole.fragment());
            }
        }

        /// `options_framed` equals the error-giving option walk on any bytes.
        #[test]
        fn options_framed_equals_the_option_checks_on_any_bytes(o in proptest::collection::vec(any::<u8>(), 0..44)) {
            prop_assert_eq!(options_framed(&o), check_options_apart(LayerKind::Tcp, &o, 20).is_ok());
            prop_assert_eq!(check_options(LayerKind::Tcp, &o, 20), check_options_apart(LayerKind::Tcp, &o, 20));
        }

        /// The two Linux layouts with any bytes in their values, then one byte anywhere set to
        /// any value: `options_framed` (which recognises the layouts first) equals the
        /// error-giving option walk.
        #[test]
        fn options_framed_equals_the_option_checks_near_linux_layouts(
            values in proptest::collection::vec(any::<u8>(), 20),
            syn in any::<bool>(),
            at in 0usize..20,
            b in any::<u8>(),
        ) {
            let mut o = values;
            if syn {
                let kinds = [(0, 2), (1, 4), (4, 4), (5, 2), (6, 8), (7, 10), (16, 1), (17, 3), (18, 3)];
                for (i, k) in kinds {
                    o[i] = k;
                }
            } else {
                o.truncate(12);
                o[..4].copy_from_slice(&[1, 1, 8, 10]);
            }
            prop_assert!(options_framed(&o));
            let at = at % o.len();
            o[at] = b;
            prop_assert_eq!(options_framed(&o), check_options_apart(LayerKind::Tcp, &o, 20).is_ok());
            prop_assert_eq!(check_options(LayerKind::Ipv4, &o, 20), check_options_apart(LayerKind::Ipv4, &o, 20));
        }

        /// Any bytes: neither walk panics, the strict one errs where the prefix one does (a
        /// prefix walk only turns cut headers and bounded lengths into cuts), and spans stay
        /// inside the bytes.
        #[test]
        fn any_bytes_walk_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..160), ip in any::<bool>()) {
            let mut f = bytes;
            if ip && f.len() > 14 {
                f[12] = 0x08;
                f[13] = 0x00;
                f[14] = 0x45;
            }
            let strict: Vec<Result<Span>> = Walker::new(&f).collect();
            let mut pw = Walker::prefix(&f);
            let prefix: Vec<Result<Span>> = pw.by_ref().collect();
            if let Some(Err(e)) = prefix.last() {
                prop_assert!(strict.iter().any(|s| s.as_ref().err() == Some(e)), "{}", e);
            }
            let strict_err = strict.iter().find_map(|s| s.as_ref().err());
            match (strict_err, prefix.last()) {
                // A whole frame walks the same in both modes, with nothing cut.
                (None, _) => {
                    prop_assert_eq!(&prefix, &strict);
                    prop_assert_eq!(pw.cut(), None);
                }
                // Refused by the strict walk, accepted by the prefix walk: only because the
                // bytes ran out, so the cut reaches the last byte.
                (Some(e), None | Some(Ok(_))) => {
                    let c = pw.cut();
                    prop_assert!(
                        c.is_some_and(|c| c.offset + c.present == f.len()),
                        "strict: {}; prefix: no error, cut {:?}", e, c
                    );
                }
                (Some(_), Some(Err(_))) => {}
            }
            for s in prefix.iter().chain(&strict).flatten() {
                prop_assert!(s.start + s.header_len <= s.end && s.end <= f.len());
            }
            for (mut w, walked) in [(Walker::new(&f), &strict), (Walker::prefix(&f), &prefix)] {
                prop_assert!(spans_with_bytes_agree(&mut w, &f, walked));
            }
        }
    }

    /// `next_with_bytes` gives what `next` gave (`walked`), each span with the frame's bytes
    /// `frame[start..end]`, and ends where `next` ended.
    pub(crate) fn spans_with_bytes_agree(
        w: &mut Walker<'_>,
        frame: &[u8],
        walked: &[Result<Span>],
    ) -> bool {
        let mut n = 0;
        while let Some(r) = w.next_with_bytes() {
            let expected = walked.get(n);
            n += 1;
            let same = match (r, expected) {
                (Ok((span, bytes)), Some(Ok(e))) => {
                    span == *e && frame.get(span.start..span.end) == Some(bytes)
                }
                (Err(a), Some(Err(b))) => a == *b,
                _ => false,
            };
            if !same {
                return false;
            }
        }
        n == walked.len()
    }

    /// Packet::parse and PacketView::parse check option framing (the views alone do not).
    #[test]
    fn ipv4_tcp_and_ipv6_option_framing_is_checked() {
        use crate::PacketView;
        let tcp = |raw: &[u8]| {
            let mut t = Tcp::new(1, 2, TcpFlags::SYN);
            t.option = raw.into();
            (hosts() / ip4() / t).to_vec().unwrap()
        };
        let ip = |raw: &[u8]| {
            let mut h = ip4();
            h.option = raw.into();
            (hosts() / h / Udp::new(1, 2)).to_vec().unwrap()
        };
        let ip6_opts = |raw: &[u8]| {
            let ip = ip6().with_ext_header(Ipv6ExtHeader::hop_by_hop(raw.to_vec()));
            (hosts() / ip / Udp::new(1, 2)).to_vec().unwrap()
        };
        // (frame, offset, field) of the error; None: accepted.
        type Case = (Vec<u8>, Option<(usize, &'static str)>);
        let cases: Vec<Case> = vec![
            // MSS, NOP, end of list, zero padding: fine.
            (tcp(&[2, 4, 5, 180, 1, 0, 0, 0]), None),
            // A malformed option after end-of-list is not padding.
            (tcp(&[1, 0, 9, 3]), Some((34 + 22, "option padding"))),
            // Lengths below 2 and past the end.
            (tcp(&[1, 9, 1, 0]), Some((34 + 22, "option length"))),
            (tcp(&[2, 8, 5, 180]), Some((34 + 21, "option length"))),
            (tcp(&[1, 1, 1, 2]), Some((34 + 23, "option"))),
            // IPv4: router alert, then end of list and padding; a bad length; bad padding.
            (ip(&[0x94, 4, 0, 0]), None),
            (ip(&[1, 0, 0, 0]), None),
            (ip(&[0x94, 1, 0, 0]), Some((14 + 21, "option length"))),
            (ip(&[0x94, 12, 0, 0]), Some((14 + 21, "option length"))),
            (ip(&[0, 0, 7, 0]), Some((14 + 22, "option padding"))),
            // IPv6 hop-by-hop: PadN of 4; PadN of 3, then a type byte with no length byte
            // (the field is "option" as for IPv4 and TCP); PadN running past the header.
            (ip6_opts(&[1, 4, 0, 0, 0, 0]), None),
            (ip6_opts(&[1, 3, 0, 0, 0, 5]), Some((14 + 40 + 7, "option"))),
            (
                ip6_opts(&[1, 5, 0, 0, 0, 0]),
                Some((14 + 40 + 3, "option length")),
            ),
        ];
        for (f, want) in cases {
            let got = Packet::parse(&f)
                .err()
                .map(|e| (e.offset().unwrap(), e.field().unwrap()));
            assert_eq!(got, want, "{f:02x?}");
            let view = PacketView::parse(&f)
                .err()
                .map(|e| (e.offset().unwrap(), e.field().unwrap()));
            assert_eq!(view, want, "{f:02x?}");
            if want.is_none() {
                assert_eq!(Packet::parse(&f).unwrap().to_vec().unwrap(), f);
            }
        }
    }

    #[test]
    fn fragments_are_read_as_open_vswitch_reads_them() {
        let mut first = ip4();
        first.flags = FLAG_MF;
        let f = (hosts() / first / Udp::new(7, 9)).to_vec().unwrap();
        let mut w = Walker::new(&f);
        assert_eq!(kinds(&mut w), [LayerKind::Ethernet, LayerKind::Ipv4]);
        assert_eq!(w.fragment(), Fragment::First);
        assert_eq!(
            transport_ports(w.ip_protocol().unwrap(), w.rest()),
            Some((7, 9))
        );
        let ip = ip6()
            .with_ext_header(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]))
            .with_ext_header(Ipv6ExtHeader::fragment(3, false, 1));
        let f = (hosts() / ip / Udp::new(7, 9)).to_vec().unwrap();
        let mut w = Walker::new(&f);
        assert_eq!(kinds(&mut w), [LayerKind::Ethernet, LayerKind::Ipv6]);
        assert_eq!(
            (w.fragment(), w.ip_protocol()),
            (Fragment::Later, Some(IpProtocol::UDP))
        );
        assert_eq!(w.offset(), 14 + 40 + 16);
    }
}
