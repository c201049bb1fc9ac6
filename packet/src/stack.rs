//! The layered packet, as Ryu's `packet.Packet`: decode a frame into a stack of layers, look a
//! layer up by type, build a stack layer by layer and encode it ([`Encode`]) with lengths and
//! checksums filled in. [`PacketView`] is the zero-copy, allocation-free counterpart for hot
//! paths; [`PacketView::decode`] gives the [`Packet`] it views.
//!
//! Contract (smoltcp's `new_checked` contract, for a whole frame): once [`PacketView::parse`]
//! succeeds, every layer it recorded has been checked, so no accessor panics and its typed views'
//! accessors cannot fail; [`Packet::parse`] and [`PacketView::parse`] never panic on any bytes.
//! [`Encode::encode`] never panics: a buffer shorter than [`encoded_len`](Encode::encoded_len) is
//! [`ErrorKind::ShortBuffer`](crate::ErrorKind), a value that does not fit its field (a payload
//! past a 16-bit length) is [`ErrorKind::Unencodable`](crate::ErrorKind).

use alloc::boxed::Box;
use core::fmt;
use core::ops::Div;

use crate::arp::{Arp, ArpView};
use crate::encode::{room, Encode};
use crate::error::{CodecError, Error, LayerKind, Result};
use crate::ethernet::{EtherType, Ethernet, EthernetView, Vlan, VlanView};
use crate::icmp::{Icmp, IcmpData, IcmpType, IcmpView};
use crate::icmpv6::{Icmpv6, Icmpv6View};
use crate::igmp::{Igmp, IgmpView};
use crate::ip::IpProtocol;
use crate::ipv4::{Ipv4, Ipv4View};
use crate::ipv6::{Ipv6, Ipv6View};
use crate::layer::{EmitContext, IpPair, Protocol};
use crate::lldp::{Lldp, LldpView};
use crate::notation::PyBytes;
use crate::slow::{Lacp, LacpView, Marker, MarkerView};
use crate::small::{Layers, SmallBytes};
use crate::tcp::{Tcp, TcpView};
use crate::udp::{Udp, UdpView};
use crate::walk::Walker;

/// One decoded protocol layer of a [`Packet`].
///
/// JSON (feature `serde`): os-ken's `to_jsondict()`, one object keyed by os-ken's class name
/// (`ethernet`, `vlan`, `svlan` for an 802.1ad S-tag, `ipv4`, ...).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(from = "crate::json::LayerJson")
)]
#[non_exhaustive]
pub enum Layer {
    /// Ethernet II header.
    Ethernet(Ethernet),
    /// 802.1Q / 802.1ad tag.
    Vlan(Vlan),
    /// ARP message.
    Arp(Arp),
    /// IPv4 header (options included).
    Ipv4(Ipv4),
    /// IPv6 header with its extension headers.
    Ipv6(Ipv6),
    /// ICMP message.
    Icmp(Icmp),
    /// ICMPv6 message (MLD included).
    Icmpv6(Icmpv6),
    /// IGMP message.
    Igmp(Igmp),
    /// UDP header.
    Udp(Udp),
    /// TCP header (options included).
    Tcp(Tcp),
    /// LACPDU. Boxed, as the marker PDU: both are over 100 bytes, and every [`Layer`] is as
    /// large as its largest variant (a [`Packet`] keeps eight inline).
    Lacp(Box<Lacp>),
    /// Marker PDU (boxed, as LACP).
    Marker(Box<Marker>),
    /// LLDPDU.
    Lldp(Lldp),
}

macro_rules! for_each_layer {
    ($self:expr, $v:ident => $e:expr) => {
        match $self {
            Layer::Ethernet($v) => $e,
            Layer::Vlan($v) => $e,
            Layer::Arp($v) => $e,
            Layer::Ipv4($v) => $e,
            Layer::Ipv6($v) => $e,
            Layer::Icmp($v) => $e,
            Layer::Icmpv6($v) => $e,
            Layer::Igmp($v) => $e,
            Layer::Udp($v) => $e,
            Layer::Tcp($v) => $e,
            Layer::Lacp($v) => {
                let $v = &**$v;
                $e
            }
            Layer::Marker($v) => {
                let $v = &**$v;
                $e
            }
            Layer::Lldp($v) => $e,
        }
    };
}

macro_rules! boxed_layer_from {
    ($($t:ident),*) => {$(
        impl From<$t> for Layer {
            fn from(v: $t) -> Self {
                Layer::$t(Box::new(v))
            }
        }

        impl From<Box<$t>> for Layer {
            fn from(v: Box<$t>) -> Self {
                Layer::$t(v)
            }
        }

        impl<R: Into<Layer>> Div<R> for $t {
            type Output = Packet;
            /// Stacks `rhs` on top of this layer, as Ryu and scapy write `eth / ip / udp`.
            fn div(self, rhs: R) -> Packet {
                Packet::new().push(self).push(rhs)
            }
        }
    )*};
}

macro_rules! layer_from {
    ($($t:ident),*) => {$(
        impl From<$t> for Layer {
            fn from(v: $t) -> Self {
                Layer::$t(v)
            }
        }

        impl<R: Into<Layer>> Div<R> for $t {
            type Output = Packet;
            /// Stacks `rhs` on top of this layer, as Ryu and scapy write `eth / ip / udp`.
            fn div(self, rhs: R) -> Packet {
                Packet::new().push(self).push(rhs)
            }
        }
    )*};
}
layer_from!(Ethernet, Vlan, Arp, Ipv4, Ipv6, Icmp, Icmpv6, Igmp, Udp, Tcp, Lldp);
boxed_layer_from!(Lacp, Marker);

impl Layer {
    /// Which protocol this layer is.
    pub fn kind(&self) -> LayerKind {
        match self {
            Layer::Ethernet(_) => LayerKind::Ethernet,
            Layer::Vlan(_) => LayerKind::Vlan,
            Layer::Arp(_) => LayerKind::Arp,
            Layer::Ipv4(_) => LayerKind::Ipv4,
            Layer::Ipv6(_) => LayerKind::Ipv6,
            Layer::Icmp(_) => LayerKind::Icmp,
            Layer::Icmpv6(_) => LayerKind::Icmpv6,
            Layer::Igmp(_) => LayerKind::Igmp,
            Layer::Udp(_) => LayerKind::Udp,
            Layer::Tcp(_) => LayerKind::Tcp,
            Layer::Lacp(_) => LayerKind::Lacp,
            Layer::Marker(_) => LayerKind::Marker,
            Layer::Lldp(_) => LayerKind::Lldp,
        }
    }

    /// Bytes the layer occupies in front of its payload.
    pub fn header_len(&self) -> usize {
        for_each_layer!(self, v => v.header_len())
    }

    /// Emits the layer (see [`Protocol::emit`]).
    pub fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        for_each_layer!(self, v => v.emit(buf, ctx))
    }

    /// The layer as `T`, if it is one.
    pub fn get<T: Protocol>(&self) -> Option<&T> {
        T::from_layer(self)
    }

    /// True when dropping this layer may free heap memory; false for the layers that own none:
    /// Ethernet, VLAN, UDP, ARP of Ethernet and IPv4 addresses, and IPv4, TCP and ICMP echo
    /// with their bytes inline. Checked when this compiles: Ethernet, VLAN and UDP have no
    /// drop glue; the patterns of the others name every field (a field added is an error here
    /// until it is accounted for) and every field but the one tested is `Copy` (a field whose
    /// type comes to own heap memory is an error here too). Not checked: a `Drop`
    /// implementation of these types themselves or of `SmallBytes` (none has one; one added
    /// must be accounted for here).
    #[inline(always)]
    pub(crate) fn owns_heap(&self) -> bool {
        /// Compiles only for fields whose types are `Copy` (so without drop glue).
        macro_rules! copy {
            ($($field:ident),*) => {{
                fn copy<T: Copy>(_: &T) {}
                $(copy($field);)*
            }};
        }
        const _: () = assert!(
            !core::mem::needs_drop::<Ethernet>()
                && !core::mem::needs_drop::<Vlan>()
                && !core::mem::needs_drop::<Udp>()
        );
        match self {
            Layer::Ethernet(_) | Layer::Vlan(_) | Layer::Udp(_) => false,
            Layer::Arp(Arp {
                hwtype,
                proto,
                opcode,
                src_mac,
                src_ip,
                dst_mac,
                dst_ip,
                raw_addrs,
            }) => {
                copy!(hwtype, proto, opcode, src_mac, src_ip, dst_mac, dst_ip);
                raw_addrs.is_some()
            }
            Layer::Ipv4(Ipv4 {
                header_length,
                tos,
                total_length,
                identification,
                flags,
                offset,
                ttl,
                proto,
                csum,
                src,
                dst,
                option,
            }) => {
                copy!(
                    header_length,
                    tos,
                    total_length,
                    identification,
                    flags,
                    offset
                );
                copy!(ttl, proto, csum, src, dst);
                !option.is_inline()
            }
            Layer::Tcp(Tcp {
                src_port,
                dst_port,
                seq,
                ack,
                offset,
                bits,
                window_size,
                csum,
                urgent,
                option,
            }) => {
                copy!(
                    src_port,
                    dst_port,
                    seq,
                    ack,
                    offset,
                    bits,
                    window_size,
                    csum,
                    urgent
                );
                !option.is_inline()
            }
            Layer::Icmp(Icmp {
                type_,
                code,
                csum,
                data: IcmpData::Echo { id, seq, data },
            }) => {
                copy!(type_, code, csum, id, seq);
                !data.is_inline()
            }
            _ => true,
        }
    }

    /// The EtherType that announces this layer (`following` is the layer after it, which
    /// decides between a C-tag and an S-tag TPID).
    fn ethertype(&self, following: Option<&Layer>) -> Option<EtherType> {
        Some(match self {
            Layer::Vlan(v) => v.tpid_or_default(matches!(following, Some(Layer::Vlan(_)))),
            Layer::Arp(_) => EtherType::ARP,
            Layer::Ipv4(_) => EtherType::IPV4,
            Layer::Ipv6(_) => EtherType::IPV6,
            Layer::Lacp(_) | Layer::Marker(_) => EtherType::SLOW,
            Layer::Lldp(_) => EtherType::LLDP,
            _ => return None,
        })
    }

    /// The IP protocol number that announces this layer.
    fn ip_protocol(&self) -> Option<IpProtocol> {
        Some(match self {
            Layer::Icmp(_) => IpProtocol::ICMP,
            Layer::Igmp(_) => IpProtocol::IGMP,
            Layer::Tcp(_) => IpProtocol::TCP,
            Layer::Udp(_) => IpProtocol::UDP,
            Layer::Icmpv6(_) => IpProtocol::ICMPV6,
            Layer::Ipv4(_) => IpProtocol(4),
            Layer::Ipv6(_) => IpProtocol::IPV6,
            _ => return None,
        })
    }

    /// The addresses a pseudo-header above this layer uses, if it is an IP layer.
    fn ip_pair(&self) -> Option<IpPair> {
        match self {
            Layer::Ipv4(v) => Some(IpPair::V4(v.src, v.dst)),
            Layer::Ipv6(v) => Some(v.pseudo_header_addrs()),
            _ => None,
        }
    }
}

/// A layer on its own, as its protocol's type encodes it: its header as if it carried
/// nothing.
impl Encode for Layer {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.header_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        for_each_layer!(self, v => Encode::encode(v, buf))
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for_each_layer!(self, v => fmt::Display::fmt(v, f))
    }
}

/// Decodes the layer of `kind` in `buf` onto the end of `layers`, from bytes the walk already
/// checked (`buf` is a span [`Walker`] yielded): the views' `checked` constructors read the
/// fixed header without checking again, so each layer is checked once, by the walk. Each arm
/// pushes its own variant, so that the value is built where it goes. `frame` is the whole
/// frame and `start` where the layer starts in it (a VLAN tag's TPID is the two bytes before
/// it). Should a checked constructor ever refuse (not reached: the walk's step accepts only
/// what the view's `parse` accepts, as the tests check), the layer's own `parse` gives the
/// error. The layers decoded by their own `parse` (IPv6, ICMPv6, IGMP, LACP, LLDP) and that
/// fallback run out of line, so that their error paths (and the constants they build) stay
/// out of the caller's loop: a fat-LTO build otherwise inlines them all into `Packet::parse`
/// and sets up their constants on every call.
#[inline(always)]
fn parse_onto(
    layers: &mut Layers,
    kind: LayerKind,
    buf: &[u8],
    frame: &[u8],
    start: usize,
) -> Result<()> {
    macro_rules! checked {
        ($view:ident, $owned:ident) => {
            match $view::checked(buf) {
                Ok(v) => v.decode(),
                Err(_) => parse_refused(buf, $owned::parse)?,
            }
        };
    }
    match kind {
        LayerKind::Ethernet => layers.push_fast(Layer::Ethernet(checked!(EthernetView, Ethernet))),
        LayerKind::Vlan => {
            let mut v = checked!(VlanView, Vlan);
            v.tpid = start
                .checked_sub(2)
                .and_then(|at| crate::wire::be16(frame, at))
                .map(EtherType);
            layers.push_fast(Layer::Vlan(v));
        }
        LayerKind::Arp => layers.push_fast(Layer::Arp(checked!(ArpView, Arp))),
        LayerKind::Ipv4 => layers.push_fast(Layer::Ipv4(checked!(Ipv4View, Ipv4))),
        LayerKind::Ipv6 => layers.push_fast(Layer::Ipv6(parse_apart(buf, Ipv6::parse)?)),
        LayerKind::Icmp => match IcmpView::checked(buf) {
            Ok(v) => push_icmp(layers, &v),
            Err(_) => layers.push_fast(Layer::Icmp(parse_refused(buf, Icmp::parse)?)),
        },
        LayerKind::Icmpv6 => layers.push_fast(Layer::Icmpv6(parse_apart(buf, Icmpv6::parse)?)),
        LayerKind::Igmp => layers.push_fast(Layer::Igmp(parse_apart(buf, Igmp::parse)?)),
        LayerKind::Udp => layers.push_fast(Layer::Udp(checked!(UdpView, Udp))),
        LayerKind::Tcp => match TcpView::checked(buf) {
            Ok(v) => push_tcp(layers, &v),
            Err(_) => layers.push_fast(Layer::Tcp(parse_refused(buf, Tcp::parse)?)),
        },
        LayerKind::Lacp => layers.push_fast(Layer::Lacp(Box::new(parse_apart(buf, Lacp::parse)?))),
        LayerKind::Marker => {
            layers.push_fast(Layer::Marker(Box::new(checked!(MarkerView, Marker))))
        }
        LayerKind::Lldp => layers.push_fast(Layer::Lldp(parse_apart(buf, Lldp::parse)?)),
        LayerKind::Packet => return Err(not_a_layer()),
    }
    Ok(())
}

/// Pushes [`IcmpView::decode`] onto `layers`, with an echo request or reply (what `ping`
/// sends) built here, as `decode` builds it, without its out-of-line call that matches every
/// ICMP type. The echo's data is copied into the pushed layer where it lies (built first and
/// moved in, its 64-byte inline buffer was zeroed, filled and copied twice).
#[inline(always)]
fn push_icmp(layers: &mut Layers, v: &IcmpView<&[u8]>) {
    let type_ = v.msg_type();
    if type_ != IcmpType::ECHO_REQUEST && type_ != IcmpType::ECHO_REPLY {
        layers.push_fast(Layer::Icmp(v.decode()));
        return;
    }
    let [r0, r1, r2, r3] = v.rest_of_header();
    let bytes = v.data();
    layers.push_fast_fill(
        Layer::Icmp(Icmp {
            type_,
            code: v.code(),
            csum: Some(v.checksum()),
            data: IcmpData::Echo {
                id: u16::from_be_bytes([r0, r1]),
                seq: u16::from_be_bytes([r2, r3]),
                data: SmallBytes::new(),
            },
        }),
        // Always the layer just pushed.
        |last| {
            if let Layer::Icmp(Icmp {
                data: IcmpData::Echo { data, .. },
                ..
            }) = last
            {
                data.assign(bytes);
            }
        },
    );
}

/// Pushes [`TcpView::decode`] onto `layers`, its options copied into the pushed layer where
/// it lies (built first and moved in, the options' inline buffer was filled in a stack
/// temporary and read back in pieces, which wait on the copy's wide stores).
#[inline(always)]
fn push_tcp(layers: &mut Layers, v: &TcpView<&[u8]>) {
    let options = v.options();
    layers.push_fast_fill(
        Layer::Tcp(v.decode_without_options()),
        // Always the layer just pushed.
        |last| {
            if let Layer::Tcp(t) = last {
                t.option.assign(options);
            }
        },
    );
}

/// `parse(buf)`, out of line (see [`parse_onto`]).
#[inline(never)]
fn parse_apart<T>(buf: &[u8], parse: fn(&[u8]) -> Result<T>) -> Result<T> {
    parse(buf)
}

/// `parse(buf)` for bytes a checked constructor refused: not reached (see [`parse_onto`]).
#[cold]
#[inline(never)]
fn parse_refused<T>(buf: &[u8], parse: fn(&[u8]) -> Result<T>) -> Result<T> {
    parse(buf)
}

fn not_a_layer() -> Error {
    Error::BadValue {
        layer: LayerKind::Packet,
        offset: 0,
        field: "layer kind",
        value: 0,
        expected: "a protocol layer",
    }
}

/// Where one layer sits in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The protocol.
    pub kind: LayerKind,
    /// Offset of the layer's first byte in the frame.
    pub start: usize,
    /// Bytes of the layer's own header (the whole message for a protocol that ends the stack).
    pub header_len: usize,
    /// Offset just past what the layer's length fields cover (padding excluded); for a layer
    /// with no length field of its own (Ethernet, a VLAN tag), the end of the bytes it sits
    /// in (for Ethernet, the frame's end, padding included).
    pub end: usize,
}

/// A frame decoded into owned layers, a payload and a trailer (Ryu's `packet.Packet`).
///
/// * `layers`: the protocols this crate understood, outermost first.
/// * `payload`: the bytes after the last understood header, up to where its length fields end.
/// * `trailer`: the bytes after that (Ethernet padding after an IPv4, ARP, IGMP or LACP message,
///   or anything a length field did not cover). It is never taken for payload, and it is written
///   back as it was, so that parse → encode gives back the same bytes.
/// * `min_len`: the smallest encoding (0: no padding; [`Packet::ETHERNET_MIN_LEN`] for a frame
///   that goes on an Ethernet link), the one way to pad a frame.
///
/// Encode it with [`Encode`]: `packet.to_vec()`, `packet.encode(&mut buf)`, or
/// `packet.encode_append(&mut reused_vec)`.
///
/// ```
/// use sdnwire_packet::{Encode, Ethernet, Arp, MacAddr, Packet};
/// let me = MacAddr::new(2, 0, 0, 0, 0, 1);
/// let request = Ethernet::new(MacAddr::BROADCAST, me)
///     / Arp::request(me, "10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
/// assert_eq!(request.to_vec()?.len(), 42);
/// let frame = request.with_min_len(Packet::ETHERNET_MIN_LEN).to_vec()?;
/// assert_eq!(frame.len(), 60); // 18 bytes of zeros after the ARP message
/// assert_eq!(Packet::parse(&frame)?.trailer, [0; 18]);
/// # Ok::<(), sdnwire_packet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Packet {
    /// The decoded layers, outermost first (the first [`Layers::INLINE`] stored inline).
    pub layers: Layers,
    /// Bytes after the last decoded header that its length fields cover (stored inline up to
    /// [`SmallBytes::INLINE`] bytes).
    pub payload: SmallBytes,
    /// Bytes past the end of every length field (padding; stored inline up to
    /// [`SmallBytes::INLINE`] bytes, which Ethernet padding never exceeds).
    pub trailer: SmallBytes,
    /// The smallest encoding [`Encode::encode`] writes: when the layers, the payload and the
    /// trailer take fewer bytes, zeros follow them up to `min_len` (covered by no length
    /// field; parsing the frame again puts them in `trailer`). Set it to
    /// [`Packet::ETHERNET_MIN_LEN`] to send a frame on Ethernet, whose minimum frame is 60
    /// bytes without the FCS. 0, the default and what [`Packet::parse`] gives, pads nothing.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub min_len: usize,
}

#[cfg(feature = "serde")]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Packet {
    /// The Ethernet minimum frame without its FCS (IEEE 802.3 §4.4.2: 64 bytes with it): the
    /// [`min_len`](Packet::min_len) to give a frame that goes on an Ethernet link.
    pub const ETHERNET_MIN_LEN: usize = 60;

    /// An empty packet, to be built with [`push`](Packet::push) or `/`.
    pub fn new() -> Self {
        Packet::default()
    }

    /// Decodes an Ethernet frame as far as this crate understands it.
    ///
    /// A protocol this crate does not decode (an unknown EtherType, a UDP payload) ends the
    /// stack; its bytes become the payload. A protocol it does decode but that is malformed (a
    /// truncated header, a length field larger than the frame) is an error, with the offset
    /// counted from the frame's first byte. The options of IPv4 and TCP headers are checked for
    /// framing (every option's length fits, and the bytes after an end-of-list option are zero
    /// padding), which the views alone do not check (Ryu does not check them either);
    /// [`parse_partial`](Packet::parse_partial) keeps such a header, and what follows it, as
    /// payload. The payload of a fragment is not decoded
    /// (its transport length describes the whole datagram). Checksums are not verified here.
    pub fn parse(frame: &[u8]) -> Result<Packet> {
        // Built in place (a `Packet` with its inline layers is about 1 KB: moving it costs).
        let mut p = Packet::new();
        match p.fill(frame) {
            None => Ok(p),
            Some(e) => Err(e),
        }
    }

    /// Decodes `frame` into this packet, in place of what it held: the same result as
    /// [`parse`](Packet::parse) without moving a `Packet` (about 1 KB with its inline layers)
    /// out of a function, for a loop that decodes frame after frame into one packet it reads
    /// where it is. Heap storage the packet already has (more than [`Layers::INLINE`] layers, a
    /// payload or trailer over [`SmallBytes::INLINE`] bytes) is kept for the next frame.
    ///
    /// On `Ok`, `*self` equals `Packet::parse(frame)?` (its [`min_len`](Packet::min_len) is 0);
    /// on `Err`, the error is the one `parse` gives and the packet is empty (no layers, no
    /// payload, no trailer, `min_len` 0).
    ///
    /// ```
    /// use sdnwire_packet::{Ethernet, Packet, Udp};
    /// let mut p = Packet::new();
    /// for frame in [[0u8; 14], [0xff; 14]] {
    ///     p.parse_into(&frame)?;
    ///     assert!(p.get::<Ethernet>().is_some() && p.get::<Udp>().is_none());
    /// }
    /// assert!(p.parse_into(&[0; 3]).is_err() && p.layers.is_empty());
    /// # Ok::<(), sdnwire_packet::Error>(())
    /// ```
    pub fn parse_into(&mut self, frame: &[u8]) -> Result<()> {
        self.layers.truncate(0);
        self.min_len = 0;
        let (range, err) = Self::decode_layers(frame, &mut self.layers);
        match err {
            None => {
                let (start, end) = range;
                self.payload.assign(frame.get(start..end).unwrap_or(&[]));
                self.trailer.assign(frame.get(end..).unwrap_or(&[]));
                Ok(())
            }
            Some(e) => {
                self.layers.truncate(0);
                self.payload.clear();
                self.trailer.clear();
                Err(e)
            }
        }
    }

    /// Decodes `frame` into this empty packet; the error that stopped the walk, if any.
    fn fill(&mut self, frame: &[u8]) -> Option<Error> {
        let (range, err) = Self::decode_layers(frame, &mut self.layers);
        if err.is_none() {
            self.set_rest(frame, range);
        }
        err
    }

    /// Like [`parse`](Packet::parse), but never fails: decoding stops at the first malformed
    /// layer, whose bytes (and everything after) become the payload, as Ryu does. The error
    /// that stopped it is returned beside the packet.
    pub fn parse_partial(frame: &[u8]) -> (Packet, Option<Error>) {
        let mut p = Packet::new();
        let (range, err) = Self::decode_layers(frame, &mut p.layers);
        p.set_rest(frame, range);
        (p, err)
    }

    /// The walk shared by [`parse`](Packet::parse) and [`parse_partial`](Packet::parse_partial):
    /// the layers, the payload's range, the error that stopped the walk.
    #[inline(always)]
    fn decode_layers(frame: &[u8], layers: &mut Layers) -> ((usize, usize), Option<Error>) {
        let mut w = Walker::new(frame);
        loop {
            let before = (w.offset(), w.end());
            match w.next_with_bytes() {
                None => return ((w.offset(), w.end()), None),
                Some(Err(e)) => return ((w.offset(), w.end()), Some(e)),
                Some(Ok((span, buf))) => {
                    if let Err(e) = parse_onto(layers, span.kind, buf, frame, span.start) {
                        // Not reached: a layer's decoder accepts what its walk step accepted.
                        return (before, Some(e.add_offset(span.start)));
                    }
                }
            }
        }
    }

    /// Sets the payload and the trailer (copied into the storage they have: inline in a new
    /// packet, so no 64-byte value is built and moved for each).
    #[inline(always)]
    fn set_rest(&mut self, frame: &[u8], (start, end): (usize, usize)) {
        self.payload.assign(frame.get(start..end).unwrap_or(&[]));
        self.trailer.assign(frame.get(end..).unwrap_or(&[]));
    }

    /// Adds a layer on top of the stack.
    #[must_use]
    pub fn push(mut self, layer: impl Into<Layer>) -> Self {
        self.layers.push(layer.into());
        self
    }

    /// Sets the payload carried by the innermost layer.
    #[must_use]
    pub fn with_payload(mut self, payload: impl Into<SmallBytes>) -> Self {
        self.payload = payload.into();
        self
    }

    /// The first layer of type `T` (`pkt.get::<Ipv4>()`).
    pub fn get<T: Protocol>(&self) -> Option<&T> {
        self.layers.iter().find_map(T::from_layer)
    }

    /// The first layer of type `T`, mutably.
    pub fn get_mut<T: Protocol>(&mut self) -> Option<&mut T> {
        self.layers.iter_mut().find_map(T::from_layer_mut)
    }

    /// The `n`th layer of type `T`, counting from 0 outermost first: `nth::<Vlan>(1)` is the
    /// inner tag of a QinQ frame, `nth::<Ipv4>(1)` the inner header of IP in IP. `nth::<T>(0)`
    /// is [`get::<T>()`](Packet::get).
    pub fn nth<T: Protocol>(&self, n: usize) -> Option<&T> {
        self.layers.iter().filter_map(T::from_layer).nth(n)
    }

    /// The `n`th layer of type `T` (0-based, outermost first), mutably.
    pub fn nth_mut<T: Protocol>(&mut self, n: usize) -> Option<&mut T> {
        self.layers.iter_mut().filter_map(T::from_layer_mut).nth(n)
    }

    /// Every layer of type `T`, outermost first (all the VLAN tags of a QinQ frame, say).
    pub fn get_all<'a, T: Protocol + 'a>(&'a self) -> impl Iterator<Item = &'a T> + 'a {
        self.layers.iter().filter_map(T::from_layer)
    }

    /// The layers, outermost first.
    pub fn iter(&self) -> core::slice::Iter<'_, Layer> {
        self.layers.iter()
    }

    /// Sets [`min_len`](Packet::min_len): the encoding is padded with zeros to at least
    /// `min_len` bytes ([`Packet::ETHERNET_MIN_LEN`] for the Ethernet minimum frame).
    #[must_use]
    pub fn with_min_len(mut self, min_len: usize) -> Self {
        self.min_len = min_len;
        self
    }

    /// Bytes of the layers, the payload and the trailer, before any `min_len` padding.
    fn content_len(&self, lens: &HeaderLens) -> usize {
        lens.total + self.payload.len() + self.trailer.len()
    }

    /// Emits into `buf` (exactly the encoded length), with the layers' header lengths in `lens`.
    fn emit_with(&self, lens: &HeaderLens, buf: &mut [u8]) -> Result<()> {
        let headers = lens.total;
        let body_end = headers + self.payload.len();
        crate::bytes::put_bytes(buf, headers, &self.payload);
        crate::bytes::put_bytes(buf, body_end, &self.trailer);
        // Emit innermost first: a layer's checksum covers the layers above it.
        let mut start = headers;
        for (i, layer) in self.layers.iter().enumerate().rev() {
            start -= lens.get(i, layer);
            let next = self.layers.get(i + 1);
            let ctx = EmitContext {
                ip: self
                    .layers
                    .get(..i)
                    .and_then(|below| below.iter().rev().find_map(Layer::ip_pair)),
                next_ethertype: next.and_then(|n| n.ethertype(self.layers.get(i + 2))),
                next_ip_protocol: next.and_then(Layer::ip_protocol),
            };
            let region = buf.get_mut(start..body_end).unwrap_or(&mut []);
            layer.emit(region, &ctx)?;
        }
        Ok(())
    }
}

/// Encodes the packet, computing every length, checksum and next-protocol field left unset
/// (`None`); fields that are set are written as they are, so a parsed packet encodes to the
/// bytes it came from. The layers, the payload and the trailer are followed by zeros up to
/// [`min_len`](Packet::min_len), when it is larger.
impl Encode for Packet {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.content_len(&HeaderLens::of(&self.layers))
            .max(self.min_len)
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let lens = HeaderLens::of(&self.layers);
        let len = self.content_len(&lens);
        let total = len.max(self.min_len);
        let out = room::<Error>(buf, total)?;
        if let Some(pad) = out.get_mut(len..) {
            pad.fill(0);
        }
        self.emit_with(&lens, out.get_mut(..len).unwrap_or(&mut []))?;
        Ok(total)
    }
}

/// Layers whose header lengths [`HeaderLens`] keeps; deeper stacks compute the rest again.
const LENS_KEPT: usize = 8;

/// The header length of each layer, computed once per encoding (a TCP header's length
/// walks its options).
struct HeaderLens {
    kept: [usize; LENS_KEPT],
    total: usize,
}

impl HeaderLens {
    fn of(layers: &[Layer]) -> Self {
        let mut kept = [0; LENS_KEPT];
        let mut total = 0;
        for (i, l) in layers.iter().enumerate() {
            let n = l.header_len();
            if let Some(k) = kept.get_mut(i) {
                *k = n;
            }
            total += n;
        }
        HeaderLens { kept, total }
    }

    /// The header length of `layer`, the `i`th.
    fn get(&self, i: usize, layer: &Layer) -> usize {
        match self.kept.get(i) {
            Some(&n) => n,
            None => layer.header_len(),
        }
    }
}

impl<R: Into<Layer>> Div<R> for Packet {
    type Output = Packet;
    /// Stacks `rhs` on top of the packet.
    fn div(self, rhs: R) -> Packet {
        self.push(rhs)
    }
}

impl<'a> IntoIterator for &'a Packet {
    type Item = &'a Layer;
    type IntoIter = core::slice::Iter<'a, Layer>;
    fn into_iter(self) -> Self::IntoIter {
        self.layers.iter()
    }
}

impl fmt::Display for Packet {
    /// `ethernet(...), ipv4(...), icmp(...)` as the Ryu book's logs print a packet; a payload
    /// and a trailer, when there are any, follow as Python bytes literals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            let r = if first { Ok(()) } else { f.write_str(", ") };
            first = false;
            r
        };
        for l in &self.layers {
            sep(f)?;
            l.fmt(f)?;
        }
        if !self.payload.is_empty() {
            sep(f)?;
            PyBytes(&self.payload).fmt(f)?;
        }
        if !self.trailer.is_empty() {
            sep(f)?;
            PyBytes(&self.trailer).fmt(f)?;
        }
        Ok(())
    }
}

/// What the decoded packet prints: `ethernet(...), ipv4(...), udp(...)`, as [`Packet`] does.
impl fmt::Display for PacketView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// Layers a [`PacketView`] keeps in place; the layers past them are found again by walking
/// the frame when asked for (no allocation, but each such lookup walks from the frame's start).
///
/// Eight covers Ethernet, two VLAN tags, an IP-in-IP tunnel (two IP headers) and a transport
/// header with room to spare; the limit keeps a `PacketView` small (it is returned by value).
/// A view still sees every layer of a deeper frame: [`PacketView::spans`] yields them all,
/// the accessors find them, and [`PacketView::payload`] is what follows the last one.
pub const MAX_VIEW_LAYERS: usize = 8;

/// A zero-copy, allocation-free decoding of a frame: where each layer starts and ends.
///
/// Typed views of each layer come from the accessors (`ipv4()`, `udp()`, ...), found among
/// the kept layers without walking again; `nth_vlan(1)`, `nth_ipv4(1)`, ... give the `n`th layer of a kind (0-based,
/// outermost first). Building one validates every layer once, so the typed views' accessors
/// cannot fail. Any number of layers: the first [`MAX_VIEW_LAYERS`] are kept in place, the
/// ones after them (a frame with a dozen VLAN tags) are found by walking the frame again.
///
/// For the flow key alone (addresses, protocol, ports), [`FlowKey::parse`] is faster: it walks
/// only Ethernet, VLAN tags, IP and the transport ports, with no per-layer dispatch.
///
/// The kept layers are stored as 16-bit offsets (a view is about 170 bytes, returned by value).
/// A frame longer than 65,535 bytes, whose offsets would not fit, keeps none: every layer of it
/// is found by walking the frame again, as the layers past [`MAX_VIEW_LAYERS`] are. Such frames
/// are rare on a wire (jumbo frames stop near 9,000 bytes) but not in captures taken on a
/// host with segmentation or receive offload (TSO, GRO): an Ethernet frame carrying a whole
/// 65,535-byte IPv4 datagram is 65,549 bytes. The answers are the same; each lookup costs a
/// walk.
///
/// [`FlowKey::parse`]: crate::flow::FlowKey::parse
#[derive(Debug, Clone, Copy)]
pub struct PacketView<'a> {
    frame: &'a [u8],
    payload: (usize, usize),
    /// Layers after the kept ones (0 for all but deep frames).
    more: u32,
    /// Spans kept (at most [`MAX_VIEW_LAYERS`]).
    len: u8,
    /// The kind of each kept span.
    kinds: [LayerKind; MAX_VIEW_LAYERS],
    /// Where each kept span's header ends, which is where the next layer starts (the first
    /// starts at 0).
    header_ends: [u16; MAX_VIEW_LAYERS],
    /// Where each kept span's length fields end.
    ends: [u16; MAX_VIEW_LAYERS],
    /// For each [`LayerKind`] (by its index), its first kept span: start, header end, end. None
    /// kept: an end of 0 after a start above 0, so that both readers tell it, `span` by the end
    /// and the typed accessors (`first_bytes`) by the range test alone (the header end is not
    /// read). The typed accessors read it at a constant index, so that a view built by an
    /// inlined `parse` and read by inlined accessors stays in registers (no array indexed by a
    /// loaded value on that path).
    first: [[u16; 3]; LAYER_KINDS],
}

/// How many [`LayerKind`]s there are (the length of [`PacketView`]'s first-of-kind index).
const LAYER_KINDS: usize = LayerKind::Packet as usize + 1;

/// The rest of a [`PacketView`]'s walk once its kept spans are full (or none are kept):
/// `span` is the first layer past them. Counts the layers from it on and gives the count and
/// the payload's bounds; the spans are found again by walking when asked for. (By value in
/// and out, so that the view never leaves registers for it on the common path.)
#[cold]
#[inline(never)]
fn walk_deep(mut w: Walker<'_>) -> Result<(u32, (usize, usize))> {
    let mut more = 1u32;
    loop {
        match w.next() {
            None => return Ok((more, (w.offset(), w.end()))),
            Some(Err(e)) => return Err(e),
            Some(Ok(_)) => more = more.saturating_add(1),
        }
    }
}

impl<'a> PacketView<'a> {
    /// Walks the layers of `frame`. Errors as [`Packet::parse`] does.
    ///
    /// The frames most traffic is made of (Ethernet, up to two VLAN tags, IPv4 that is not a
    /// fragment, then UDP, TCP or ICMP, every header accepted by its view) take a straight walk
    /// inlined into the caller; any other frame, and any header that walk does not accept, takes
    /// the general walk, which gives the same view (debug builds check so) and the errors.
    #[inline(always)]
    pub fn parse(frame: &'a [u8]) -> Result<Self> {
        match Self::parse_fast(frame) {
            Some(v) => {
                #[cfg(debug_assertions)]
                v.agrees_with_general();
                Ok(v)
            }
            // The general walk fills a view of its own, copied out here with the caller's
            // frame (the same slice): the view returned stays one that LLVM can keep in
            // registers where `parse` and the accessors are inlined, where a view written by
            // the out-of-line walk in the caller's place would live in memory.
            None => {
                let mut v = Self::empty(frame);
                match v.walk_general() {
                    Ok(()) => Ok(PacketView {
                        frame,
                        payload: v.payload,
                        more: v.more,
                        len: v.len,
                        kinds: v.kinds,
                        header_ends: v.header_ends,
                        ends: v.ends,
                        // Entry by entry (the same values): measured 2 instructions fewer on
                        // the five-tuple rows than a copy of the array as a whole.
                        first: v.first.map(|entry| entry),
                    }),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// The general walk ([`parse`](PacketView::parse) of a frame the straight walk does not
    /// take).
    #[cfg(any(test, debug_assertions))]
    fn parse_general(frame: &'a [u8]) -> Result<Self> {
        let mut v = Self::empty(frame);
        v.walk_general()?;
        Ok(v)
    }

    /// The general walk into this empty view.
    #[cold]
    #[inline(never)]
    fn walk_general(&mut self) -> Result<()> {
        self.walk_keeping(u16::try_from(self.frame.len()).is_ok())
    }

    /// An empty view of `frame`.
    #[inline(always)]
    fn empty(frame: &'a [u8]) -> Self {
        PacketView {
            frame,
            payload: (0, 0),
            more: 0,
            len: 0,
            kinds: [LayerKind::Ethernet; MAX_VIEW_LAYERS],
            header_ends: [0; MAX_VIEW_LAYERS],
            ends: [0; MAX_VIEW_LAYERS],
            // None of any kind: an end of 0 after a start past it (see `first_bytes`).
            first: [[u16::MAX, 0, 0]; LAYER_KINDS],
        }
    }

    /// The straight walk of Ethernet / up to two VLAN tags / IPv4 (not a fragment) / UDP, TCP or
    /// ICMP, with the checks of the walker's fast step (which are those of the views' `parse`);
    /// `None` for any other frame, or a header it does not accept. Every store has a constant
    /// index (one arm per number of tags; the tag's and each transport's first-of-kind entries
    /// written whether found or not), so that where the view does not escape the caller it
    /// lives in registers.
    #[inline(always)]
    fn parse_fast(frame: &'a [u8]) -> Option<Self> {
        let flen = u16::try_from(frame.len()).ok()?;
        let eth = frame.first_chunk::<14>()?;
        let t = EtherType(u16::from_be_bytes([eth[12], eth[13]]));
        // The tags before IPv4, where IPv4 starts and the EtherType before it. Offsets below
        // fit in u16: each is checked against the frame's length first.
        // IPv4 is tested first (one comparison on the untagged frames most traffic is), then
        // the three TPIDs; anything else goes to the general walk.
        let (tags, off) = if t == EtherType::IPV4 {
            (0u8, 14u16)
        } else if t.is_vlan() {
            let tag = frame.get(14..)?.first_chunk::<4>()?;
            let t = EtherType(u16::from_be_bytes([tag[2], tag[3]]));
            if t == EtherType::IPV4 {
                (1, 18)
            } else if t.is_vlan() {
                let tag = frame.get(18..)?.first_chunk::<4>()?;
                if EtherType(u16::from_be_bytes([tag[2], tag[3]])) != EtherType::IPV4 {
                    return None;
                }
                (2, 22)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let ip = frame.get(usize::from(off)..)?;
        let h = ip.first_chunk::<20>()?;
        let total = u16::from_be_bytes([h[2], h[3]]);
        // Version 4, IHL 5 (no options), the total length within the bytes, not a fragment.
        if h[0] != 0x45
            || total < 20
            || usize::from(total) > ip.len()
            || u16::from_be_bytes([h[6], h[7]]) & 0x3fff != 0
        {
            return None;
        }
        // Within the frame (checked above), so within u16.
        let l4 = off + 20;
        let ip_end = off + total;
        // Within the frame (the total length was checked against it).
        let seg = frame.get(usize::from(l4)..usize::from(ip_end))?;
        let (kind, header_end, end) = match IpProtocol(h[9]) {
            IpProtocol::UDP => {
                let u = seg.first_chunk::<8>()?;
                let len = u16::from_be_bytes([u[4], u[5]]);
                if len < 8 || usize::from(len) > seg.len() {
                    return None;
                }
                (LayerKind::Udp, l4 + 8, l4 + len)
            }
            IpProtocol::TCP => {
                let t = seg.first_chunk::<20>()?;
                let hl = u16::from(t[12] >> 4) * 4;
                if hl < 20 || usize::from(hl) > seg.len() {
                    return None;
                }
                if hl > 20 && !crate::walk::options_framed(seg.get(20..usize::from(hl))?) {
                    return None;
                }
                (LayerKind::Tcp, l4 + hl, ip_end)
            }
            IpProtocol::ICMP => {
                seg.first_chunk::<8>()?;
                (LayerKind::Icmp, ip_end, ip_end)
            }
            _ => return None,
        };
        let mut v = Self::empty(frame);
        v.put_first(LayerKind::Ethernet, [0, 14, flen]);
        v.put_first(LayerKind::Ipv4, [off, l4, ip_end]);
        // Each store at a constant index. The transports not found get the found one's start
        // and header end with an end of 0 (none: only the end is read for a kind not found),
        // so that the three entries differ only in their ends.
        let end_if = |k: LayerKind| if kind == k { end } else { 0 };
        v.put_first(LayerKind::Udp, [l4, header_end, end_if(LayerKind::Udp)]);
        v.put_first(LayerKind::Tcp, [l4, header_end, end_if(LayerKind::Tcp)]);
        v.put_first(LayerKind::Icmp, [l4, header_end, end_if(LayerKind::Icmp)]);
        // The same for the tag: its start and header end whether there is one or not.
        v.put_first(LayerKind::Vlan, [14, 18, if tags > 0 { flen } else { 0 }]);
        let ip_span = (LayerKind::Ipv4, l4, ip_end);
        let l4_span = (kind, header_end, end);
        match tags {
            0 => v.put_spans([(LayerKind::Ethernet, 14, flen), ip_span, l4_span]),
            1 => {
                v.put_spans([
                    (LayerKind::Ethernet, 14, flen),
                    (LayerKind::Vlan, 18, flen),
                    ip_span,
                    l4_span,
                ]);
            }
            _ => {
                v.put_spans([
                    (LayerKind::Ethernet, 14, flen),
                    (LayerKind::Vlan, 18, flen),
                    (LayerKind::Vlan, 22, flen),
                    ip_span,
                    l4_span,
                ]);
            }
        }
        v.payload = (usize::from(header_end), usize::from(end));
        Some(v)
    }

    /// The first-of-kind index as the lookups read it, to compare two views: `None` for an
    /// entry that both readers take for "no layer of that kind" (an end of 0, which
    /// [`span`](PacketView::span) tests, after a start above 0, so that the range test of
    /// `first_bytes` fails too), whatever start and header end it holds; any other entry as it
    /// is (an end of 0 after a start of 0 included: `first_bytes` reads it as an empty layer).
    #[cfg(any(test, debug_assertions))]
    fn found(&self) -> [Option<[u16; 3]>; LAYER_KINDS] {
        self.first.map(|[start, header_end, end]| {
            if end == 0 && start > 0 {
                None
            } else {
                Some([start, header_end, end])
            }
        })
    }

    /// Records the first kept span of `kind` (a constant where it is inlined).
    #[inline(always)]
    fn put_first(&mut self, kind: LayerKind, span: [u16; 3]) {
        if let Some(f) = self.first.get_mut(kind as usize) {
            *f = span;
        }
    }

    /// Keeps `N` spans (kind, header end, end) from the first, each at a constant index.
    #[inline(always)]
    fn put_spans<const N: usize>(&mut self, spans: [(LayerKind, u16, u16); N]) {
        for (i, (kind, header_end, end)) in spans.into_iter().enumerate() {
            if let (Some(k), Some(h), Some(e)) = (
                self.kinds.get_mut(i),
                self.header_ends.get_mut(i),
                self.ends.get_mut(i),
            ) {
                (*k, *h, *e) = (kind, header_end, end);
            }
        }
        // N is at most 5 (below MAX_VIEW_LAYERS): lossless.
        #[allow(clippy::cast_possible_truncation)]
        {
            self.len = N as u8;
        }
    }

    /// Debug builds: the general walk gives the view the straight walk gave.
    #[cfg(debug_assertions)]
    #[allow(clippy::panic)]
    fn agrees_with_general(&self) {
        let g = Self::parse_general(self.frame);
        let same = g.as_ref().is_ok_and(|g| {
            (
                g.payload,
                g.more,
                g.len,
                g.kinds,
                g.header_ends,
                g.ends,
                g.found(),
            ) == (
                self.payload,
                self.more,
                self.len,
                self.kinds,
                self.header_ends,
                self.ends,
                self.found(),
            )
        });
        if !same {
            panic!(
                "the straight walk {self:?} disagrees with the general walk {g:?} on {:02x?}",
                self.frame
            );
        }
    }

    /// [`parse`](PacketView::parse), keeping the first spans in place only when `keep` (the
    /// frame's offsets fit in 16 bits).
    #[inline(always)]
    #[cfg(test)]
    fn parse_keeping(frame: &'a [u8], keep: bool) -> Result<Self> {
        let mut v = Self::empty(frame);
        v.walk_keeping(keep)?;
        Ok(v)
    }

    /// The general walk into this empty view, keeping the first spans only when `keep`.
    #[inline(always)]
    fn walk_keeping(&mut self, keep: bool) -> Result<()> {
        let mut w = Walker::new(self.frame);
        loop {
            match w.next() {
                None => {
                    self.payload = (w.offset(), w.end());
                    return Ok(());
                }
                Some(Err(e)) => return Err(e),
                Some(Ok(span)) => {
                    if !keep || !self.record(span) {
                        (self.more, self.payload) = walk_deep(w)?;
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Appends `span`; false when the view is full (the walk stops there).
    #[inline(always)]
    fn record(&mut self, span: Span) -> bool {
        let i = usize::from(self.len);
        let (Some(kind), Some(header_end), Some(end)) = (
            self.kinds.get_mut(i),
            self.header_ends.get_mut(i),
            self.ends.get_mut(i),
        ) else {
            return false;
        };
        *kind = span.kind;
        // Lossless: spans are kept only for a frame of at most u16::MAX bytes (`parse`), and
        // a span lies inside the frame.
        #[allow(clippy::cast_possible_truncation)]
        let (start, he, e) = (
            span.start as u16,
            (span.start + span.header_len) as u16,
            span.end as u16,
        );
        (*header_end, *end) = (he, e);
        self.len += 1;
        if let Some(f) = self.first.get_mut(span.kind as usize) {
            if f[2] == 0 {
                *f = [start, he, e];
            }
        }
        true
    }

    /// The `i`th kept span.
    #[inline]
    fn kept_span(&self, i: usize) -> Option<Span> {
        let (Some(&kind), Some(&header_end), Some(&end)) =
            (self.kinds.get(i), self.header_ends.get(i), self.ends.get(i))
        else {
            return None;
        };
        if i >= usize::from(self.len) {
            return None;
        }
        // The first layer starts at 0, the others where the one before ends its header.
        let start = self
            .header_ends
            .get(i.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        Some(Span {
            kind,
            start: usize::from(start),
            header_len: usize::from(header_end.saturating_sub(start)),
            end: usize::from(end),
        })
    }

    /// The owned packet: every layer decoded, the payload and the trailer copied, so that
    /// `PacketView::parse(f)?.decode()` equals `Packet::parse(f)?` for any frame. Every layer
    /// was checked when the view was built: this cannot fail.
    pub fn decode(&self) -> Packet {
        let mut layers = Layers::new();
        let mut payload_start = self.payload.0;
        for s in self.spans() {
            let bytes = self.frame.get(s.start..s.end).unwrap_or(&[]);
            if parse_onto(&mut layers, s.kind, bytes, self.frame, s.start).is_err() {
                // Not reachable: a layer's decoder accepts what its walk step accepted. Should
                // it ever refuse, the bytes from that layer on stay undecoded, as payload.
                payload_start = s.start;
                break;
            }
        }
        Packet {
            layers,
            payload: SmallBytes::from_slice(
                self.frame.get(payload_start..self.payload.1).unwrap_or(&[]),
            ),
            trailer: SmallBytes::from_slice(self.trailer()),
            min_len: 0,
        }
    }

    /// The frame.
    pub fn frame(&self) -> &'a [u8] {
        self.frame
    }

    /// Every layer found, outermost first: the kept ones, then (for a frame of more than
    /// [`MAX_VIEW_LAYERS`] layers) the others, found by walking the frame again.
    pub fn spans(&self) -> Spans<'_, 'a> {
        Spans {
            view: self,
            i: 0,
            deep: None,
        }
    }

    /// How many layers the view found.
    pub fn layer_count(&self) -> usize {
        usize::from(self.len) + self.more as usize
    }

    /// The first layer of `kind`.
    #[inline]
    pub fn span(&self, kind: LayerKind) -> Option<Span> {
        let [start, header_end, end] = self.first.get(kind as usize).copied().unwrap_or([0; 3]);
        if end != 0 {
            Some(Span {
                kind,
                start: usize::from(start),
                header_len: usize::from(header_end.saturating_sub(start)),
                end: usize::from(end),
            })
        } else if self.more > 0 {
            // Past the kept spans: found by walking.
            deep_span(self.frame, self.len, kind)
        } else {
            None
        }
    }

    /// The bytes of the first layer of `kind` (from its first byte to the end of its length
    /// fields), for the typed accessors.
    #[inline(always)]
    fn first_bytes(&self, kind: LayerKind) -> Option<&'a [u8]> {
        // A kind not found has an end of 0 after a start past it (`empty`, and the straight
        // walk's entries for the transports and the tag not found, whose starts are 14 or
        // more), so the range test alone tells it: no separate test of the end.
        let [start, _, end] = self
            .first
            .get(kind as usize)
            .copied()
            .unwrap_or([u16::MAX, 0, 0]);
        match self.frame.get(usize::from(start)..usize::from(end)) {
            Some(b) => Some(b),
            None if self.more > 0 => {
                let s = deep_span(self.frame, self.len, kind)?;
                self.frame.get(s.start..s.end)
            }
            None => None,
        }
    }

    /// The `n`th layer of `kind`, counting from 0 outermost first (`nth_span(kind, 0)` is
    /// [`span(kind)`](PacketView::span)).
    pub fn nth_span(&self, kind: LayerKind, n: usize) -> Option<Span> {
        self.spans_of(kind).nth(n)
    }

    /// Every layer of `kind`, outermost first (the tags of a QinQ frame, the headers of IP in
    /// IP).
    pub fn spans_of(&self, kind: LayerKind) -> impl Iterator<Item = Span> + '_ {
        self.spans().filter(move |s| s.kind == kind)
    }

    /// The bytes of the `n`th layer of `kind` (0-based, outermost first), from its first byte
    /// to the end its length fields give.
    pub fn nth_bytes(&self, kind: LayerKind, n: usize) -> Option<&'a [u8]> {
        let s = self.nth_span(kind, n)?;
        self.frame.get(s.start..s.end)
    }

    /// The `n`th VLAN tag (0-based, outermost first): `nth_vlan(1)` is the customer tag of a
    /// QinQ frame.
    pub fn nth_vlan(&self, n: usize) -> Option<VlanView<&'a [u8]>> {
        VlanView::checked(self.nth_bytes(LayerKind::Vlan, n)?).ok()
    }

    /// Every VLAN tag, outermost first.
    pub fn vlans(&self) -> impl Iterator<Item = VlanView<&'a [u8]>> + '_ {
        let frame = self.frame;
        self.spans_of(LayerKind::Vlan)
            .filter_map(move |s| VlanView::checked(frame.get(s.start..s.end)?).ok())
    }

    /// The `n`th IPv4 header (0-based, outermost first): `nth_ipv4(1)` is the inner header of
    /// IP in IP.
    pub fn nth_ipv4(&self, n: usize) -> Option<Ipv4View<&'a [u8]>> {
        Ipv4View::checked(self.nth_bytes(LayerKind::Ipv4, n)?).ok()
    }

    /// The `n`th IPv6 header (0-based, outermost first), with its extension headers.
    pub fn nth_ipv6(&self, n: usize) -> Option<Ipv6View<&'a [u8]>> {
        Ipv6View::parse(self.nth_bytes(LayerKind::Ipv6, n)?).ok()
    }

    /// The bytes of the first layer of `kind`, from its first byte to the end its length
    /// fields give (its payload included, padding excluded). A layer with no length field of
    /// its own (Ethernet, a VLAN tag) ends where the frame does: Ethernet's bytes are the whole
    /// frame, padding included, as [`ethernet()`](PacketView::ethernet) wraps it.
    ///
    /// ```
    /// use sdnwire_packet::{Encode, Ethernet, Ipv4, LayerKind, MacAddr, Packet, PacketView, Udp};
    /// let frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(2, 0, 0, 0, 0, 1))
    ///     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
    ///     / Udp::new(68, 67))
    ///     .with_min_len(Packet::ETHERNET_MIN_LEN)
    ///     .to_vec()?;
    /// let v = PacketView::parse(&frame)?;
    /// assert_eq!(v.bytes(LayerKind::Ethernet), Some(&frame[..])); // 60 bytes
    /// assert_eq!(v.ethernet().unwrap().payload().len(), 46); // padding included
    /// assert_eq!(v.bytes(LayerKind::Ipv4), Some(&frame[14..42])); // the total length's 28
    /// assert_eq!(v.trailer(), [0; 18]);
    /// assert_eq!(v.bytes(LayerKind::Tcp), None);
    /// # Ok::<(), sdnwire_packet::Error>(())
    /// ```
    #[inline]
    pub fn bytes(&self, kind: LayerKind) -> Option<&'a [u8]> {
        self.first_bytes(kind)
    }

    /// The undecoded payload after the last layer.
    pub fn payload(&self) -> &'a [u8] {
        self.frame
            .get(self.payload.0..self.payload.1)
            .unwrap_or(&[])
    }

    /// The bytes after every length field's end (Ethernet padding).
    pub fn trailer(&self) -> &'a [u8] {
        self.frame.get(self.payload.1..).unwrap_or(&[])
    }

    /// The Ethernet header, over the whole frame (its `payload()` is everything after the
    /// 14-byte header, padding included).
    #[inline]
    pub fn ethernet(&self) -> Option<EthernetView<&'a [u8]>> {
        // Every walk starts with Ethernet, whose span is the whole frame (kept or, for a frame
        // past 65,535 bytes, found by walking): the frame itself, with no span to look up.
        EthernetView::checked(self.frame).ok()
    }

    /// The outermost VLAN tag.
    #[inline]
    pub fn vlan(&self) -> Option<VlanView<&'a [u8]>> {
        VlanView::checked(self.first_bytes(LayerKind::Vlan)?).ok()
    }

    /// The ARP message.
    #[inline]
    pub fn arp(&self) -> Option<ArpView<&'a [u8]>> {
        ArpView::checked(self.first_bytes(LayerKind::Arp)?).ok()
    }

    /// The outermost IPv4 header.
    #[inline]
    pub fn ipv4(&self) -> Option<Ipv4View<&'a [u8]>> {
        Ipv4View::checked(self.first_bytes(LayerKind::Ipv4)?).ok()
    }

    /// The ICMP message.
    #[inline]
    pub fn icmp(&self) -> Option<IcmpView<&'a [u8]>> {
        IcmpView::checked(self.first_bytes(LayerKind::Icmp)?).ok()
    }

    /// The UDP datagram.
    #[inline]
    pub fn udp(&self) -> Option<UdpView<&'a [u8]>> {
        UdpView::checked(self.first_bytes(LayerKind::Udp)?).ok()
    }

    /// The TCP segment.
    #[inline]
    pub fn tcp(&self) -> Option<TcpView<&'a [u8]>> {
        TcpView::checked(self.first_bytes(LayerKind::Tcp)?).ok()
    }

    /// The outermost IPv6 header (with its extension headers).
    #[inline]
    pub fn ipv6(&self) -> Option<Ipv6View<&'a [u8]>> {
        Ipv6View::parse(self.first_bytes(LayerKind::Ipv6)?).ok()
    }

    /// The ICMPv6 message.
    #[inline]
    pub fn icmpv6(&self) -> Option<Icmpv6View<&'a [u8]>> {
        Icmpv6View::checked(self.first_bytes(LayerKind::Icmpv6)?).ok()
    }

    /// The IGMP message.
    #[inline]
    pub fn igmp(&self) -> Option<IgmpView<&'a [u8]>> {
        IgmpView::parse(self.first_bytes(LayerKind::Igmp)?).ok()
    }

    /// The LACPDU.
    #[inline]
    pub fn lacp(&self) -> Option<LacpView<&'a [u8]>> {
        LacpView::parse(self.first_bytes(LayerKind::Lacp)?).ok()
    }

    /// The marker PDU.
    #[inline]
    pub fn marker(&self) -> Option<MarkerView<&'a [u8]>> {
        MarkerView::checked(self.first_bytes(LayerKind::Marker)?).ok()
    }

    /// The LLDPDU.
    #[inline]
    pub fn lldp(&self) -> Option<LldpView<&'a [u8]>> {
        LldpView::parse(self.first_bytes(LayerKind::Lldp)?).ok()
    }
}

/// The layers of a [`PacketView`], outermost first ([`PacketView::spans`]): the kept spans,
/// then, past [`MAX_VIEW_LAYERS`], the rest found by walking the frame again (once per
/// iterator, no allocation).
#[derive(Debug, Clone)]
pub struct Spans<'v, 'a> {
    view: &'v PacketView<'a>,
    i: usize,
    deep: Option<Walker<'a>>,
}

/// The first layer of `kind` past the `kept` spans of a view of `frame`, found by walking the
/// frame again. By value (not `&PacketView`), so that the accessors that may call it leave the
/// view where the caller keeps it (registers, when it does not escape).
#[cold]
#[inline(never)]
fn deep_span(frame: &[u8], kept: u8, kind: LayerKind) -> Option<Span> {
    Walker::new(frame)
        .skip(usize::from(kept))
        .map_while(core::result::Result::ok)
        .find(|s| s.kind == kind)
}

impl Spans<'_, '_> {
    #[cold]
    #[inline(never)]
    fn next_deep(&mut self) -> Option<Span> {
        let kept = usize::from(self.view.len);
        if self.i >= self.view.layer_count() {
            return None;
        }
        let w = self.deep.get_or_insert_with(|| {
            let mut w = Walker::new(self.view.frame);
            // The kept layers again: a walk of a frame the view accepted.
            for _ in 0..kept {
                let _ = w.next();
            }
            w
        });
        match w.next() {
            Some(Ok(s)) => {
                self.i += 1;
                Some(s)
            }
            // Not reached: the walk accepted these layers when the view was built.
            _ => {
                self.i = usize::MAX;
                None
            }
        }
    }
}

impl Iterator for Spans<'_, '_> {
    type Item = Span;

    #[inline]
    fn next(&mut self) -> Option<Span> {
        match self.view.kept_span(self.i) {
            Some(s) => {
                self.i += 1;
                Some(s)
            }
            None => self.next_deep(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.view.layer_count().saturating_sub(self.i);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Spans<'_, '_> {}
impl core::iter::FusedIterator for Spans<'_, '_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcp::TcpOption;
    use crate::{MacAddr, Tcp};
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    fn eth() -> Ethernet {
        Ethernet::new(
            MacAddr::new(0, 0, 0, 0, 0, 2),
            MacAddr::new(0, 0, 0, 0, 0, 1),
        )
    }

    fn ip() -> Ipv4 {
        Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())
    }

    /// A stack deeper than the header lengths kept on the stack and than a view records.
    fn deep() -> Packet {
        let mut p = Packet::new().push(eth());
        for vid in 1..=12 {
            p = p.push(Vlan::new(vid));
        }
        p.push(ip()).push(Udp::new(1, 2)).with_payload(&b"deep"[..])
    }

    #[test]
    fn deep_stacks_serialize_and_parse() {
        let p = deep();
        let bytes = p.to_vec().unwrap();
        assert_eq!(bytes.len(), p.encoded_len());
        let back = Packet::parse(&bytes).unwrap();
        assert_eq!(back.layers.len(), 15);
        assert_eq!(back.payload, b"deep");
        assert_eq!(back.to_vec().unwrap(), bytes);
        let mut again = vec![0; bytes.len()];
        assert_eq!(back.encode(&mut again).unwrap(), bytes.len());
        assert_eq!(again, bytes);
        // The view keeps MAX_VIEW_LAYERS layers in place and finds the others by walking.
        let v = PacketView::parse(&bytes).unwrap();
        assert_eq!(usize::from(v.len), MAX_VIEW_LAYERS);
        assert_eq!((v.spans().len(), v.layer_count()), (15, 15));
        let kinds: Vec<LayerKind> = v.spans().map(|s| s.kind).collect();
        let owned: Vec<LayerKind> = back.layers.iter().map(Layer::kind).collect();
        assert_eq!(kinds, owned);
        assert_eq!(v.vlan().unwrap().vid(), 1);
        let vids: Vec<u16> = v.vlans().map(|t| t.vid()).collect();
        assert_eq!(vids, (1..=12).collect::<Vec<u16>>());
        assert_eq!(v.nth_vlan(11).unwrap().vid(), 12);
        assert!(v.nth_vlan(12).is_none());
        assert_eq!(v.ipv4().unwrap().dst(), ip().dst);
        assert_eq!(v.span(LayerKind::Ipv4).unwrap().start, 14 + 48);
        assert_eq!(v.udp().unwrap().dst_port(), 2);
        assert_eq!(v.payload(), b"deep");
        assert_eq!(v.decode(), back);
        assert_eq!(v.to_string(), back.to_string());
        // A spans iterator is exact and fused.
        let mut it = v.spans();
        assert_eq!(it.by_ref().skip(14).count(), 1);
        assert_eq!((it.next(), it.len()), (None, 0));
    }

    /// A frame whose offsets do not fit the view's 16-bit records (longer than 65,535 bytes)
    /// keeps no span in place: every accessor walks again and answers as a view that kept them
    /// does.
    #[test]
    fn views_that_keep_no_span_answer_the_same() {
        use crate::ipv6::Ipv6ExtHeader;
        let v6 = Ipv6::new(
            [0xfe80, 0, 0, 0, 0, 0, 0, 1].into(),
            [0xff02, 0, 0, 0, 0, 0, 0, 1].into(),
        )
        .with_ext_header(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]));
        let frames = [
            deep().to_vec().unwrap(),
            (eth() / ip() / Udp::new(1, 2))
                .with_payload(&b"x"[..])
                .with_min_len(60)
                .to_vec()
                .unwrap(),
            (eth() / Vlan::new(3) / v6 / Udp::new(5, 6))
                .to_vec()
                .unwrap(),
            (eth() / Vlan::new(3) / ip() / ip() / Tcp::new(1, 2, crate::tcp::TcpFlags::SYN))
                .to_vec()
                .unwrap(),
        ];
        for f in &frames {
            let kept = PacketView::parse(f).unwrap();
            let walked = PacketView::parse_keeping(f, false).unwrap();
            assert_eq!(walked.len, 0);
            assert!(kept.len > 0);
            let spans: Vec<Span> = kept.spans().collect();
            assert_eq!(walked.spans().collect::<Vec<Span>>(), spans);
            assert_eq!(walked.layer_count(), kept.layer_count());
            assert_eq!(kept.layer_count(), spans.len());
            for kind in [
                LayerKind::Ethernet,
                LayerKind::Vlan,
                LayerKind::Ipv4,
                LayerKind::Ipv6,
                LayerKind::Udp,
                LayerKind::Tcp,
                LayerKind::Arp,
            ] {
                assert_eq!(walked.span(kind), kept.span(kind), "{kind:?}");
                assert_eq!(
                    kept.span(kind),
                    spans.iter().find(|s| s.kind == kind).copied()
                );
                for n in 0..3 {
                    assert_eq!(walked.nth_span(kind, n), kept.nth_span(kind, n));
                }
            }
            assert_eq!(
                (walked.payload(), walked.trailer()),
                (kept.payload(), kept.trailer())
            );
            assert_eq!(walked.decode(), Packet::parse(f).unwrap());
            assert_eq!(kept.decode(), Packet::parse(f).unwrap());
        }
        // A frame past 65,535 bytes (70,000 bytes of trailer after a UDP datagram) keeps none
        // and answers as the walk does.
        let mut big = (eth() / Vlan::new(3) / ip() / Udp::new(1, 2))
            .with_payload(&b"x"[..])
            .to_vec()
            .unwrap();
        big.resize(big.len() + 70_000, 0);
        let v = PacketView::parse(&big).unwrap();
        assert_eq!((v.len, v.layer_count()), (0, 4));
        let spans: Vec<Span> = Walker::new(&big).map(|s| s.unwrap()).collect();
        assert_eq!(v.spans().collect::<Vec<Span>>(), spans);
        for s in &spans {
            assert_eq!(v.span(s.kind), Some(*s));
            assert_eq!(v.bytes(s.kind), big.get(s.start..s.end));
        }
        assert_eq!(v.udp().unwrap().payload(), b"x");
        assert_eq!((v.payload(), v.trailer().len()), (&b"x"[..], 70_000));
        assert_eq!(v.decode(), Packet::parse(&big).unwrap());
    }

    /// The size the type's documentation gives ("about 170 bytes"), on 64-bit targets.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_view_is_the_size_its_documentation_says() {
        assert_eq!(core::mem::size_of::<PacketView<'_>>(), 168);
    }

    /// A malformed layer past the kept ones is an error, as Packet::parse gives.
    #[test]
    fn deep_views_check_every_layer() {
        let mut bytes = deep().to_vec().unwrap();
        // The UDP length of the 15th layer, past the frame.
        let udp = 14 + 48 + 20;
        bytes[udp + 4..udp + 6].copy_from_slice(&[0xff, 0xff]);
        let strict = Packet::parse(&bytes).unwrap_err();
        assert_eq!(PacketView::parse(&bytes).unwrap_err(), strict);
    }

    /// Stacks deeper than MAX_VIEW_LAYERS through IPv6 extension headers and tunnels: the view
    /// finds every layer, and the n-th accessors count outermost first on both types.
    #[test]
    fn nth_layers_of_a_kind() {
        use crate::ipv6::Ipv6ExtHeader;
        let v6 = |a: u8| {
            let mut h = Ipv6::new(
                [0xfe80, 0, 0, 0, 0, 0, 0, u16::from(a)].into(),
                [0xfe80, 0, 0, 0, 0, 0, 0, 9].into(),
            );
            for _ in 0..6 {
                h.ext_hdrs.push(Ipv6ExtHeader::new(
                    IpProtocol::IPV6_OPTS,
                    alloc::vec![1, 4, 0, 0, 0, 0],
                ));
            }
            h
        };
        // Ethernet / QinQ / IPv4 / 6in4 (IPv6 with 6 extension headers) / IPv6 in IPv6 / IPv4
        // in IPv6 / IPv4 in IPv4 / UDP: 2 VLANs, 3 IPv4, 2 IPv6, 9 layers.
        let inner4 = Ipv4::new([192, 168, 0, 1].into(), [192, 168, 0, 2].into());
        let p = eth()
            / Vlan::new(100).with_tpid(EtherType::QINQ)
            / Vlan::new(200)
            / ip()
            / v6(1)
            / v6(2)
            / inner4.clone()
            / ip()
            / Udp::new(53, 53);
        let p = p.with_payload(&b"x"[..]);
        let bytes = p.to_vec().unwrap();
        let back = Packet::parse(&bytes).unwrap();
        assert_eq!(back.layers.len(), 8 + 1);
        assert_eq!(back.nth::<Vlan>(0).unwrap().vid, 100);
        assert_eq!(back.nth::<Vlan>(1).unwrap().vid, 200);
        assert_eq!(back.nth::<Vlan>(0).unwrap().tpid, Some(EtherType::QINQ));
        assert!(back.nth::<Vlan>(2).is_none());
        assert_eq!(back.nth::<Ipv4>(0).unwrap().dst, ip().dst);
        assert_eq!(back.nth::<Ipv4>(1).unwrap().dst, inner4.dst);
        assert_eq!(back.nth::<Ipv6>(1).unwrap().src, v6(2).src);
        assert_eq!(back.nth::<Ipv6>(0), back.get::<Ipv6>());
        let mut m = back.clone();
        m.nth_mut::<Vlan>(1).unwrap().vid = 300;
        assert_eq!(
            m.get_all::<Vlan>().map(|t| t.vid).collect::<Vec<_>>(),
            [100, 300]
        );

        let v = PacketView::parse(&bytes).unwrap();
        assert_eq!(v.layer_count(), 9);
        assert_eq!(v.nth_vlan(0).unwrap().vid(), 100);
        assert_eq!(v.nth_vlan(1).unwrap().vid(), 200);
        assert!(v.nth_vlan(2).is_none());
        assert_eq!(v.nth_ipv4(0).unwrap().dst(), ip().dst);
        assert_eq!(v.nth_ipv4(1).unwrap().dst(), inner4.dst);
        assert_eq!(v.nth_ipv4(2).unwrap().dst(), ip().dst);
        assert!(v.nth_ipv4(3).is_none());
        assert_eq!(v.nth_ipv6(0).unwrap().src(), v6(1).src);
        assert_eq!(v.nth_ipv6(1).unwrap().src(), v6(2).src);
        assert_eq!(v.nth_ipv6(1).unwrap().ext_headers().count(), 6);
        // The 9th layer, past the kept ones.
        assert_eq!(v.udp().unwrap().src_port(), 53);
        assert_eq!(v.spans_of(LayerKind::Ipv4).count(), 3);
        assert_eq!(v.nth_span(LayerKind::Udp, 0), v.span(LayerKind::Udp));
        assert_eq!(v.payload(), b"x");
        assert_eq!(v.decode(), back);
        assert_eq!(back.to_vec().unwrap(), bytes);
    }

    /// Whether `parse` of the view type for `kind` accepts `bytes`: what
    /// `PacketView`'s typed accessors assume of their spans when they skip the check.
    fn accepted(kind: LayerKind, bytes: &[u8]) -> bool {
        match kind {
            LayerKind::Ethernet => EthernetView::parse(bytes).is_ok(),
            LayerKind::Vlan => VlanView::parse(bytes).is_ok(),
            LayerKind::Arp => ArpView::parse(bytes).is_ok(),
            LayerKind::Ipv4 => Ipv4View::parse(bytes).is_ok(),
            LayerKind::Icmp => IcmpView::parse(bytes).is_ok(),
            LayerKind::Udp => UdpView::parse(bytes).is_ok(),
            LayerKind::Tcp => TcpView::parse(bytes).is_ok(),
            LayerKind::Icmpv6 => Icmpv6View::parse(bytes).is_ok(),
            LayerKind::Marker => MarkerView::parse(bytes).is_ok(),
            // The other accessors still run parse.
            _ => true,
        }
    }

    /// What a view holds, to compare two views.
    #[allow(clippy::type_complexity)]
    fn raw(
        v: &PacketView<'_>,
    ) -> (
        (usize, usize),
        u32,
        u8,
        [LayerKind; MAX_VIEW_LAYERS],
        [u16; MAX_VIEW_LAYERS],
        [u16; MAX_VIEW_LAYERS],
        [Option<[u16; 3]>; LAYER_KINDS],
    ) {
        (
            v.payload,
            v.more,
            v.len,
            v.kinds,
            v.header_ends,
            v.ends,
            v.found(),
        )
    }

    /// Every [`LayerKind`] (as many as the first-of-kind index has entries).
    const KINDS: [LayerKind; LAYER_KINDS] = [
        LayerKind::Ethernet,
        LayerKind::Vlan,
        LayerKind::Arp,
        LayerKind::Ipv4,
        LayerKind::Ipv6,
        LayerKind::Icmp,
        LayerKind::Icmpv6,
        LayerKind::Igmp,
        LayerKind::Udp,
        LayerKind::Tcp,
        LayerKind::Lacp,
        LayerKind::Marker,
        LayerKind::Lldp,
        LayerKind::Packet,
    ];

    /// What the first-of-kind lookups answer for every kind: `span` and `bytes`.
    fn first_answers(v: &PacketView<'_>) -> Vec<(Option<Span>, Option<Vec<u8>>)> {
        KINDS
            .iter()
            .map(|&k| (v.span(k), v.bytes(k).map(<[u8]>::to_vec)))
            .collect()
    }

    /// Two views that `raw` finds equal answer every first-of-kind lookup the same: an entry
    /// of the index that one reader (`span`, by its end) takes for "none" and the other
    /// (`first_bytes`, by its range) for a layer is not hidden by the comparison. Here the
    /// straight walk's view of a UDP frame with the TCP entry written all zeros (an end of 0
    /// with a start of 0, which the range test reads as an empty layer).
    #[test]
    fn equal_views_answer_every_lookup_the_same() {
        let f = include_bytes!("../testdata/udp_request.bin");
        let general = PacketView::parse_general(f).unwrap();
        let mut v = PacketView::parse_fast(f).unwrap();
        assert_eq!(first_answers(&v), first_answers(&general));
        v.put_first(LayerKind::Tcp, [0; 3]);
        assert_eq!(v.bytes(LayerKind::Tcp), Some(&[][..]));
        assert_ne!(first_answers(&v), first_answers(&general));
        assert_ne!(raw(&v), raw(&general));
    }

    /// `PacketView::parse` (the straight walk where it applies) gives exactly what the general
    /// walk gives, view or error, and every lookup answers the same, on the captured frames
    /// behind 0 to 3 VLAN tags (802.1Q, and 802.1ad QinQ), on every one-byte change of them
    /// (every position, every value) and on every truncation.
    #[test]
    fn the_straight_walk_equals_the_general_walk() {
        let check = |f: &[u8]| {
            // The owned decode's walk: the spans of the strict walk, each with its bytes.
            let walked: Vec<_> = crate::walk::Walker::new(f).collect();
            let mut w = crate::walk::Walker::new(f);
            assert!(
                crate::walk::tests::spans_with_bytes_agree(&mut w, f, &walked),
                "{f:02x?}"
            );
            let fast = PacketView::parse(f);
            let general = PacketView::parse_general(f);
            match (&fast, &general) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(raw(a), raw(b), "{f:02x?}");
                    // Every kind's lookups, those of the kinds not found included.
                    assert_eq!(first_answers(a), first_answers(b), "{f:02x?}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{f:02x?}"),
                _ => panic!("{fast:?} / {general:?} on {f:02x?}"),
            }
            // The first-of-kind lookup finds what a search of the spans finds, and the typed
            // accessors' bytes are that span's: for every kind, found or not.
            if let Ok(v) = &fast {
                for k in KINDS {
                    let first = v.spans().find(|t| t.kind == k);
                    assert_eq!(v.span(k), first, "{k:?} {f:02x?}");
                    let bytes = first.and_then(|t| f.get(t.start..t.end));
                    assert_eq!(v.bytes(k), bytes, "{k:?} {f:02x?}");
                }
            }
            u32::from(fast.is_ok())
        };
        let mut accepted = 0u32;
        let mut straight = 0u32;
        for seed in SEEDS {
            // Outermost first: none, one 802.1Q tag, 802.1ad QinQ (an S-tag 0x88a8 over a
            // C-tag, which no one-byte change of a 0x8100 tag gives), two 802.1Q tags, three.
            let stacks: [&[u16]; 5] = [
                &[],
                &[0x8100],
                &[0x88a8, 0x8100],
                &[0x8100, 0x8100],
                &[0x88a8, 0x8100, 0x8100],
            ];
            for tpids in stacks {
                let mut f = seed.to_vec();
                for tpid in tpids.iter().rev() {
                    let [a, b] = tpid.to_be_bytes();
                    f.splice(12..12, [a, b, 0x00, 0x64]);
                }
                straight += u32::from(PacketView::parse_fast(&f).is_some());
                for cut in 0..=f.len() {
                    accepted += check(&f[..cut]);
                }
                for at in 0..f.len() {
                    let mut m = f.clone();
                    for b in 0..=255u8 {
                        m[at] = b;
                        accepted += check(&m);
                        straight += u32::from(PacketView::parse_fast(&m).is_some());
                    }
                }
            }
        }
        // Both walks were exercised: most mutations take the straight walk.
        assert!(
            accepted > 100_000 && straight > 100_000,
            "{accepted} {straight}"
        );
    }

    /// The one-pass checks that `Ipv4View::parse`, `UdpView::parse` and `TcpView::parse` inline
    /// (`accepted`) accept exactly what their checks written one by one (`check`) accept, and
    /// where they refuse, the out-of-line error (`refused`) and each view's `parse` give
    /// `check`'s error: on the IPv4 and
    /// transport headers of the captured frames, every truncation of them and every one-byte
    /// change of their first 64 bytes (every position, every value).
    #[test]
    fn the_views_one_pass_checks_equal_their_checks() {
        fn agree(b: &[u8]) -> u32 {
            let mut n = 0;
            match (crate::ipv4::accepted(b), crate::ipv4::check(b)) {
                (Some(_), Ok(())) => n += u32::from(Ipv4View::parse(b).is_ok()),
                (None, Err(e)) => {
                    assert_eq!(crate::ipv4::refused(b), e);
                    assert_eq!(Ipv4View::parse(b).err(), Some(e));
                }
                (a, c) => panic!("ipv4 {a:?} / {c:?} on {b:02x?}"),
            }
            match (crate::udp::accepted(b), crate::udp::check(b)) {
                (Some(_), Ok(())) => n += u32::from(UdpView::parse(b).is_ok()),
                (None, Err(e)) => {
                    assert_eq!(crate::udp::refused(b), e);
                    assert_eq!(UdpView::parse(b).err(), Some(e));
                }
                (a, c) => panic!("udp {a:?} / {c:?} on {b:02x?}"),
            }
            match (crate::tcp::accepted(b), crate::tcp::check(b)) {
                (Some(_), Ok(())) => n += u32::from(TcpView::parse(b).is_ok()),
                (None, Err(e)) => {
                    assert_eq!(crate::tcp::refused(b), e);
                    assert_eq!(TcpView::parse(b).err(), Some(e));
                }
                (a, c) => panic!("tcp {a:?} / {c:?} on {b:02x?}"),
            }
            n
        }
        let mut accepted = 0u32;
        for seed in SEEDS {
            // Every start: the IPv4 header at 14, the transport header at 34, and the bytes
            // around them as headers of every kind.
            for start in 0..seed.len() {
                let f = &seed[start..];
                for cut in 0..=f.len() {
                    accepted += agree(&f[..cut]);
                }
            }
            for start in [14, 34] {
                let mut m = seed.get(start..).unwrap_or(&[]).to_vec();
                for at in 0..m.len().min(64) {
                    let keep = m[at];
                    for b in 0..=255u8 {
                        m[at] = b;
                        accepted += agree(&m);
                    }
                    m[at] = keep;
                }
            }
        }
        assert!(accepted > 10_000, "{accepted}");
    }

    /// The same agreement on every value of the fields the checks read, at every buffer
    /// length around them, which bytes from captures and random bytes seldom reach: IPv4's
    /// version and IHL (options of every size) with every total length from 0 to past the
    /// buffer, fragments (the checks do not read the offset: any is accepted alike); UDP's
    /// length 0, below 8, 8, up to and past the buffer, 65535 (a jumbogram's 0 included);
    /// TCP's data offset 0 to 15 with every reserved/flag bit pattern of its byte.
    #[test]
    fn the_views_one_pass_checks_equal_their_checks_on_every_length_field() {
        fn agree(b: &[u8]) -> [bool; 3] {
            let ip = (crate::ipv4::accepted(b), crate::ipv4::check(b));
            let udp = (crate::udp::accepted(b), crate::udp::check(b));
            let tcp = (crate::tcp::accepted(b), crate::tcp::check(b));
            assert_eq!(ip.0.is_some(), ip.1.is_ok(), "ipv4 {b:02x?}");
            assert_eq!(udp.0.is_some(), udp.1.is_ok(), "udp {b:02x?}");
            assert_eq!(tcp.0.is_some(), tcp.1.is_ok(), "tcp {b:02x?}");
            assert_eq!(
                Ipv4View::parse(b).err(),
                ip.1.clone().err(),
                "ipv4 {b:02x?}"
            );
            assert_eq!(UdpView::parse(b).err(), udp.1.clone().err(), "udp {b:02x?}");
            assert_eq!(TcpView::parse(b).err(), tcp.1.clone().err(), "tcp {b:02x?}");
            if let Err(e) = ip.1.clone() {
                assert_eq!(crate::ipv4::refused(b), e);
            }
            if let Err(e) = udp.1.clone() {
                assert_eq!(crate::udp::refused(b), e);
            }
            if let Err(e) = tcp.1.clone() {
                assert_eq!(crate::tcp::refused(b), e);
            }
            [ip.1.is_ok(), udp.1.is_ok(), tcp.1.is_ok()]
        }
        let mut accepted = [0u32; 3];
        let mut count = |ok: [bool; 3]| {
            for (n, ok) in accepted.iter_mut().zip(ok) {
                *n += u32::from(ok);
            }
        };
        fn set(b: &mut [u8], at: &[(usize, u8)]) {
            for &(i, v) in at {
                if let Some(x) = b.get_mut(i) {
                    *x = v;
                }
            }
        }
        for len in 0..=68u16 {
            let mut b = vec![0u8; usize::from(len)];
            // IPv4: byte 0 (version, IHL), bytes 2-3 (total length), byte 6 (flags, offset).
            for vihl in 0..=255u8 {
                for total in (0..=len + 4).chain([0xffff]) {
                    let [hi, lo] = total.to_be_bytes();
                    for frag in [0x00u8, 0x20, 0x40, 0x1f] {
                        set(&mut b, &[(0, vihl), (2, hi), (3, lo), (6, frag)]);
                        count(agree(&b));
                    }
                }
            }
            // UDP: bytes 4-5 (length). TCP: byte 12 (data offset, reserved bits, NS).
            b.fill(0);
            for ulen in (0..=len + 4).chain([0xffff]) {
                let [hi, lo] = ulen.to_be_bytes();
                set(&mut b, &[(4, hi), (5, lo)]);
                count(agree(&b));
            }
            b.fill(0);
            for off in 0..=255u8 {
                set(&mut b, &[(12, off)]);
                count(agree(&b));
            }
        }
        // Each check accepted and refused many of these.
        assert!(accepted.iter().all(|n| *n > 1000), "{accepted:?}");
    }

    proptest::proptest! {
        /// The views' one-pass checks equal their checks one by one on any bytes.
        #[test]
        fn the_views_one_pass_checks_equal_their_checks_on_any_bytes(
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
        ) {
            proptest::prop_assert_eq!(crate::ipv4::accepted(&b).is_some(), crate::ipv4::check(&b).is_ok());
            proptest::prop_assert_eq!(crate::udp::accepted(&b).is_some(), crate::udp::check(&b).is_ok());
            proptest::prop_assert_eq!(crate::tcp::accepted(&b).is_some(), crate::tcp::check(&b).is_ok());
            proptest::prop_assert_eq!(Ipv4View::parse(&b[..]).err(), crate::ipv4::check(&b).err());
            proptest::prop_assert_eq!(UdpView::parse(&b[..]).err(), crate::udp::check(&b).err());
            proptest::prop_assert_eq!(TcpView::parse(&b[..]).err(), crate::tcp::check(&b).err());
        }
    }

    /// `Packet::parse_into` into one packet reused from frame to frame gives what
    /// `Packet::parse` gives (the packet or the error, and an empty packet after an error):
    /// on the captured frames behind 0 to 2 VLAN tags, every truncation, every one-byte change
    /// (every position, every value), with frames whose payload is on the heap in between.
    #[test]
    fn parse_into_equals_parse() {
        let mut reused = Packet::new();
        let mut check = |f: &[u8]| {
            let got = reused.parse_into(f);
            match Packet::parse(f) {
                Ok(p) => {
                    assert_eq!(got, Ok(()), "{f:02x?}");
                    assert_eq!(reused, p, "{f:02x?}");
                    1u32
                }
                Err(e) => {
                    assert_eq!(got, Err(e), "{f:02x?}");
                    assert_eq!(reused, Packet::new(), "{f:02x?}");
                    0
                }
            }
        };
        let mut accepted = 0u32;
        for seed in SEEDS {
            for tags in 0..3 {
                let mut f = seed.to_vec();
                for _ in 0..tags {
                    f.splice(12..12, [0x81, 0x00, 0x00, 0x64]);
                }
                // A payload on the heap (an unknown EtherType's 200 bytes), then this frame.
                let mut big = f.clone();
                big[12..14].copy_from_slice(&[0x88, 0xb6]);
                big.extend_from_slice(&[7; 200]);
                check(&big);
                for cut in 0..=f.len() {
                    accepted += check(&f[..cut]);
                }
                for at in 0..f.len() {
                    let mut m = f.clone();
                    for b in 0..=255u8 {
                        m[at] = b;
                        accepted += check(&m);
                    }
                }
            }
        }
        assert!(accepted > 100_000, "{accepted}");
    }

    /// The TCP layer `Packet::parse` builds (its options copied into the pushed layer) equals
    /// `TcpView::decode` of its bytes: on the SYN, SYN-ACK and data captures and every
    /// one-byte change of them (every data offset, so every options length, among them).
    #[test]
    fn tcp_layers_equal_the_views_decode() {
        let check = |f: &[u8]| {
            let (Ok(p), Ok(v)) = (Packet::parse(f), PacketView::parse(f)) else {
                return 0u32;
            };
            let Some(span) = v.span(LayerKind::Tcp) else {
                return 0;
            };
            let view = TcpView::parse(&f[span.start..span.end]).unwrap();
            assert_eq!(p.get::<Tcp>(), Some(&view.decode()), "{f:02x?}");
            1
        };
        let mut with_options = 0;
        for seed in [
            &include_bytes!("../testdata/tcp_syn.bin")[..],
            include_bytes!("../testdata/tcp_syn_ack.bin"),
            include_bytes!("../testdata/tcp_data.bin"),
        ] {
            assert_eq!(check(seed), 1);
            assert!(!Packet::parse(seed)
                .unwrap()
                .get::<Tcp>()
                .unwrap()
                .option
                .is_empty());
            let mut checked = 0;
            for at in 0..seed.len() {
                let mut m = seed.to_vec();
                for b in 0..=255u8 {
                    m[at] = b;
                    checked += check(&m);
                    if let Ok(p) = Packet::parse(&m) {
                        with_options +=
                            u32::from(p.get::<Tcp>().is_some_and(|t| !t.option.is_empty()));
                    }
                }
            }
            assert!(checked > 10_000, "{checked}");
        }
        assert!(with_options > 10_000, "{with_options}");
    }

    /// The ICMP layer `Packet::parse` builds (echo built in line, the other types through
    /// `IcmpView::decode`) equals `IcmpView::decode` of its bytes: on the ping capture, every
    /// one-byte change of it (every ICMP type and code among them), and an echo reply with
    /// data past the inline room.
    #[test]
    fn icmp_layers_equal_the_views_decode() {
        let check = |f: &[u8]| {
            let (Ok(p), Ok(v)) = (Packet::parse(f), PacketView::parse(f)) else {
                return 0u32;
            };
            let Some(span) = v.span(LayerKind::Icmp) else {
                return 0;
            };
            let view = IcmpView::parse(&f[span.start..span.end]).unwrap();
            assert_eq!(p.get::<Icmp>(), Some(&view.decode()), "{f:02x?}");
            1
        };
        let ping = include_bytes!("../testdata/ping_echo_request.bin");
        let mut checked = 0;
        for at in 0..ping.len() {
            let mut m = ping.to_vec();
            for b in 0..=255u8 {
                m[at] = b;
                checked += check(&m);
            }
        }
        assert!(checked > 10_000, "{checked}");
        let big = (Ethernet::new(MacAddr::BROADCAST, MacAddr::BROADCAST)
            / crate::Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())
            / Icmp::echo_request(1, 2, alloc::vec![9u8; 300]))
        .to_vec()
        .unwrap();
        assert_eq!(check(&big), 1);
        let p = Packet::parse(&big).unwrap();
        assert!(matches!(
            &p.get::<Icmp>().unwrap().data,
            IcmpData::Echo { data, .. } if !data.is_inline() && data.len() == 300
        ));
    }

    proptest::proptest! {
        /// The ICMP layer `Packet::parse` builds, or its error, equals `Icmp::parse` of the
        /// message (through `IcmpView::decode`; its error counted from the frame's first byte)
        /// for any type (echo request and reply most often), code, rest of header and length,
        /// the data inline or on the heap, behind the ping capture's Ethernet and IPv4 headers.
        #[test]
        fn icmp_layers_equal_icmp_parse_on_any_message(
            ty in proptest::prop_oneof![
                proptest::strategy::Just(0u8),
                proptest::strategy::Just(8u8),
                proptest::prelude::any::<u8>(),
            ],
            rest in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..160),
        ) {
            let ping = include_bytes!("../testdata/ping_echo_request.bin");
            let mut msg = alloc::vec![ty];
            msg.extend_from_slice(&rest);
            let mut f = ping[..34].to_vec();
            let total = u16::try_from(20 + msg.len()).unwrap();
            f[16..18].copy_from_slice(&total.to_be_bytes());
            f.extend_from_slice(&msg);
            let got = Packet::parse(&f).map(|p| p.get::<Icmp>().cloned());
            let want = Icmp::parse(&msg).map(Some).map_err(|e| e.add_offset(34));
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        /// `parse_into` equals `parse` on any bytes, into a packet that held the last input.
        #[test]
        fn parse_into_equals_parse_on_any_bytes(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120),
        ) {
            let mut p = Packet::new();
            for f in [&a, &b] {
                let got = p.parse_into(f);
                match Packet::parse(f) {
                    Ok(q) => {
                        proptest::prop_assert_eq!(got, Ok(()));
                        proptest::prop_assert_eq!(&p, &q);
                    }
                    Err(e) => {
                        proptest::prop_assert_eq!(got, Err(e));
                        proptest::prop_assert_eq!(&p, &Packet::new());
                    }
                }
            }
        }
    }

    /// The captured frames of packet/testdata, as seeds for mutation.
    const SEEDS: &[&[u8]] = &[
        include_bytes!("../testdata/ping_arp_request.bin"),
        include_bytes!("../testdata/ping_echo_request.bin"),
        include_bytes!("../testdata/tcp_syn.bin"),
        include_bytes!("../testdata/tcp_data.bin"),
        include_bytes!("../testdata/udp_request.bin"),
        include_bytes!("../testdata/icmpv6_echo_request.bin"),
        include_bytes!("../testdata/igmpv3_report.bin"),
    ];

    proptest::proptest! {
        /// Every span of a parsed view is accepted by its view type's `parse`, so the
        /// accessors that only check the fixed header (`checked`) see only bytes it accepts: real
        /// frames with a few bytes changed, truncated, or behind VLAN tags.
        #[test]
        fn view_spans_pass_their_checks(
            seed in 0..SEEDS.len(),
            edits in proptest::collection::vec((0usize..200, proptest::prelude::any::<u8>()), 0..6),
            cut in 0usize..200,
            tags in 0usize..3,
        ) {
            let mut f = SEEDS[seed].to_vec();
            for _ in 0..tags {
                // insert an 802.1Q tag after the addresses
                f.splice(12..12, [0x81, 0x00, 0x00, 0x64]);
            }
            for (at, b) in edits {
                if let Some(x) = { let n = f.len(); f.get_mut(at % n) } {
                    *x = b;
                }
            }
            f.truncate(f.len() - cut % f.len());
            if let Ok(v) = PacketView::parse(&f) {
                for s in v.spans() {
                    proptest::prop_assert!(accepted(s.kind, &f[s.start..s.end]), "{:?}", s);
                }
                // The view decodes to what Packet::parse gives, and prints the same.
                let owned = Packet::parse(&f);
                proptest::prop_assert_eq!(owned.as_ref(), Ok(&v.decode()));
                proptest::prop_assert_eq!(v.to_string(), v.decode().to_string());
            }
        }
    }

    /// Every answer of a view (each accessor of every kind, `nth_*`, `spans`, `payload`,
    /// `trailer`, `decode`, Display) against the general walk's spans, and the error against
    /// `Packet::parse`'s.
    fn view_answers_as_the_walk(f: &[u8], display: bool) -> bool {
        let walked: Result<Vec<Span>> = Walker::new(f).collect();
        let view = PacketView::parse(f);
        let owned = Packet::parse(f);
        let (v, spans, p) = match (view, walked, owned) {
            (Ok(v), Ok(s), Ok(p)) => (v, s, p),
            (Err(a), Err(b), Err(c)) => {
                assert_eq!((&a, &a), (&b, &c), "{f:02x?}");
                return false;
            }
            (a, b, c) => panic!("{a:?} / {b:?} / {c:?} on {f:02x?}"),
        };
        let mut w = Walker::new(f);
        w.by_ref().for_each(drop);
        let (off, end) = (w.offset(), w.end());
        assert_eq!(v.spans().collect::<Vec<Span>>(), spans, "{f:02x?}");
        assert_eq!(
            (v.layer_count(), v.spans().len()),
            (spans.len(), spans.len())
        );
        assert_eq!(v.payload(), &f[off..end]);
        assert_eq!(v.trailer(), &f[end..]);
        assert_eq!(v.frame(), f);
        let nth = |k: LayerKind, n: usize| spans.iter().filter(|s| s.kind == k).nth(n).copied();
        let nth_bytes = |k: LayerKind, n: usize| nth(k, n).map(|s| &f[s.start..s.end]);
        for k in KINDS {
            assert_eq!(v.span(k), nth(k, 0), "{k:?} {f:02x?}");
            assert_eq!(v.bytes(k), nth_bytes(k, 0), "{k:?} {f:02x?}");
            let all: Vec<Span> = v.spans_of(k).collect();
            let want: Vec<Span> = spans.iter().filter(|s| s.kind == k).copied().collect();
            assert_eq!(all, want, "{k:?}");
            for n in 0..=want.len() {
                assert_eq!(v.nth_span(k, n), nth(k, n), "{k:?} {n}");
                assert_eq!(v.nth_bytes(k, n), nth_bytes(k, n), "{k:?} {n}");
            }
        }
        let b = |k| nth_bytes(k, 0);
        use LayerKind as K;
        assert_eq!(
            v.ethernet().map(|x| x.decode()),
            b(K::Ethernet).map(|x| EthernetView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.vlan().map(|x| x.decode()),
            b(K::Vlan).map(|x| VlanView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.arp().map(|x| x.decode()),
            b(K::Arp).map(|x| ArpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.ipv4().map(|x| x.decode()),
            b(K::Ipv4).map(|x| Ipv4View::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.icmp().map(|x| x.decode()),
            b(K::Icmp).map(|x| IcmpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.udp().map(|x| x.decode()),
            b(K::Udp).map(|x| UdpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.tcp().map(|x| x.decode()),
            b(K::Tcp).map(|x| TcpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.ipv6().map(|x| x.decode()),
            b(K::Ipv6).map(|x| Ipv6View::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.icmpv6().map(|x| x.decode()),
            b(K::Icmpv6).map(|x| Icmpv6View::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.igmp().map(|x| x.decode()),
            b(K::Igmp).map(|x| IgmpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.lacp().map(|x| x.decode()),
            b(K::Lacp).map(|x| LacpView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.marker().map(|x| x.decode()),
            b(K::Marker).map(|x| MarkerView::parse(x).unwrap().decode())
        );
        assert_eq!(
            v.lldp().map(|x| x.decode()),
            b(K::Lldp).map(|x| LldpView::parse(x).unwrap().decode())
        );
        // Each typed view wraps its span's bytes, no fewer and no more (its `payload()` and
        // the rest read them): `ethernet()` wraps the frame itself, which is Ethernet's span.
        assert_eq!(v.ethernet().map(|x| x.into_inner()), b(K::Ethernet));
        assert_eq!(v.vlan().map(|x| x.into_inner()), b(K::Vlan));
        assert_eq!(v.arp().map(|x| x.into_inner()), b(K::Arp));
        assert_eq!(v.ipv4().map(|x| x.into_inner()), b(K::Ipv4));
        assert_eq!(v.icmp().map(|x| x.into_inner()), b(K::Icmp));
        assert_eq!(v.udp().map(|x| x.into_inner()), b(K::Udp));
        assert_eq!(v.tcp().map(|x| x.into_inner()), b(K::Tcp));
        assert_eq!(v.ipv6().map(|x| x.into_inner()), b(K::Ipv6));
        assert_eq!(v.icmpv6().map(|x| x.into_inner()), b(K::Icmpv6));
        assert_eq!(v.igmp().map(|x| x.into_inner()), b(K::Igmp));
        assert_eq!(v.lacp().map(|x| x.into_inner()), b(K::Lacp));
        assert_eq!(v.marker().map(|x| x.into_inner()), b(K::Marker));
        assert_eq!(v.lldp().map(|x| x.into_inner()), b(K::Lldp));
        for n in 0..4 {
            assert_eq!(v.nth_vlan(n).map(|x| x.into_inner()), nth_bytes(K::Vlan, n));
            assert_eq!(v.nth_ipv4(n).map(|x| x.into_inner()), nth_bytes(K::Ipv4, n));
            assert_eq!(v.nth_ipv6(n).map(|x| x.into_inner()), nth_bytes(K::Ipv6, n));
        }
        for n in 0..4 {
            assert_eq!(
                v.nth_vlan(n).map(|x| x.decode()),
                nth_bytes(K::Vlan, n).map(|x| VlanView::parse(x).unwrap().decode())
            );
            assert_eq!(
                v.nth_ipv4(n).map(|x| x.decode()),
                nth_bytes(K::Ipv4, n).map(|x| Ipv4View::parse(x).unwrap().decode())
            );
            assert_eq!(
                v.nth_ipv6(n).map(|x| x.decode()),
                nth_bytes(K::Ipv6, n).map(|x| Ipv6View::parse(x).unwrap().decode())
            );
        }
        assert_eq!(
            v.vlans().map(|x| x.decode()).collect::<Vec<_>>(),
            (0..)
                .map_while(|n| nth_bytes(K::Vlan, n))
                .map(|x| VlanView::parse(x).unwrap().decode())
                .collect::<Vec<_>>()
        );
        assert_eq!(v.decode(), p, "{f:02x?}");
        if display {
            assert_eq!(v.to_string(), p.to_string());
        }
        true
    }

    /// Frames of every kind the walk knows (ARP, LLDP, LACP, IPv6 with extension headers,
    /// ICMPv6, IGMP, IPv4 options, fragments, IP in IP, QinQ and deeper tag stacks, padding),
    /// each whole, cut at every byte and changed at every byte to every value: every answer of
    /// the view is the general walk's.
    #[test]
    fn every_answer_of_the_view_is_the_walks() {
        use crate::ipv6::Ipv6ExtHeader;
        use crate::slow::Lacp;
        let v6 = Ipv6::new(
            [0xfe80, 0, 0, 0, 0, 0, 0, 1].into(),
            [0xff02, 0, 0, 0, 0, 0, 0, 1].into(),
        );
        let v6x = v6
            .clone()
            .with_ext_header(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]));
        let mut opts = ip();
        opts.option = SmallBytes::from_slice(&[7, 7, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
        let mut first_frag = ip();
        first_frag.flags = 1;
        let mut later_frag = ip();
        later_frag.offset = 10;
        let lldp = crate::Lldp::new(MacAddr::new(2, 0, 0, 0, 0, 1), &b"eth0"[..], 120);
        let tcp = Tcp::new(1, 2, crate::tcp::TcpFlags::SYN)
            .with_options(&TcpOption::parse_all(&[2, 4, 5, 180, 1, 3, 3, 7]))
            .unwrap();
        let mut frames: Vec<Vec<u8>> = SEEDS.iter().map(|s| s.to_vec()).collect();
        for b in [
            &include_bytes!("../testdata/mldv2_report.bin")[..],
            include_bytes!("../testdata/icmpv6_neighbor_solicitation.bin"),
            include_bytes!("../testdata/ping_arp_reply.bin"),
        ] {
            frames.push(b.to_vec());
        }
        let built = [
            eth() / lldp,
            eth() / Lacp::default(),
            eth() / Vlan::new(5) / v6x.clone() / Udp::new(5, 6),
            eth() / v6.clone() / v6x.clone() / Tcp::new(1, 2, crate::tcp::TcpFlags::ACK),
            eth() / opts.clone() / Udp::new(1, 2),
            eth() / first_frag / Udp::new(1, 2),
            eth() / later_frag / Udp::new(1, 2),
            eth() / ip() / ip() / tcp.clone(),
            eth() / Vlan::new(1) / Vlan::new(2) / Vlan::new(3) / ip() / tcp.clone(),
            (eth() / ip() / Udp::new(1, 2)).with_min_len(60),
            deep(),
        ];
        // Seven tags: IPv4 is the first layer past the kept ones.
        let mut seven = Packet::new().push(eth());
        for vid in 1..=7 {
            seven = seven.push(Vlan::new(vid));
        }
        let built = built
            .into_iter()
            .chain([seven.push(ip()).push(Udp::new(1, 2))]);
        for p in built {
            frames.push(p.with_payload(&b"xyz"[..]).to_vec().unwrap());
        }
        let mut accepted = 0u32;
        for f in &frames {
            assert!(view_answers_as_the_walk(f, true), "{f:02x?}");
            for cut in 0..f.len() {
                accepted += u32::from(view_answers_as_the_walk(&f[..cut], true));
            }
            let mut m = f.clone();
            for at in 0..f.len().min(120) {
                for x in 0..=255u8 {
                    m[at] = x;
                    accepted += u32::from(view_answers_as_the_walk(&m, false));
                }
                m[at] = f[at];
            }
        }
        assert!(accepted > 100_000, "{accepted}");
    }

    /// Frames around the 16-bit limit of the kept offsets: 65,535 bytes (spans kept, the last
    /// ending at the frame's last byte), 65,536 and 65,549 (a whole 65,535-byte datagram: none
    /// kept), behind 0 to 2 tags, with the IP
    /// datagram ending at the frame's end or followed by padding, and with the IPv4 total
    /// length and the UDP length one off either way.
    #[test]
    fn frames_at_the_limit_of_the_kept_offsets() {
        let mut kept = [0u32; 2];
        for tags in 0..3u16 {
            for len in [65_535usize, 65_536, 65_549] {
                for pad in [0usize, 1, 100] {
                    let mut p = Packet::new().push(eth());
                    for t in 0..tags {
                        p = p.push(Vlan::new(t + 1));
                    }
                    let ip_at = 14 + 4 * usize::from(tags);
                    // The IPv4 total length fits in 16 bits.
                    if len - pad - ip_at > 65_535 {
                        continue;
                    }
                    let body = vec![0x5a; len - pad - ip_at - 28];
                    let f = p
                        .push(ip())
                        .push(Udp::new(1, 2))
                        .with_payload(body)
                        .with_min_len(len)
                        .to_vec()
                        .unwrap();
                    assert_eq!(f.len(), len);
                    let v = PacketView::parse(&f).unwrap();
                    assert_eq!(v.len == 0, len > 65_535, "{len}");
                    kept[usize::from(len > 65_535)] += 1;
                    assert!(view_answers_as_the_walk(&f, false));
                    for at in [ip_at + 2, ip_at + 24] {
                        let was = u16::from_be_bytes([f[at], f[at + 1]]);
                        for now in [was.wrapping_sub(1), was.wrapping_add(1)] {
                            let mut m = f.clone();
                            m[at..at + 2].copy_from_slice(&now.to_be_bytes());
                            view_answers_as_the_walk(&m, false);
                        }
                    }
                }
            }
        }
        assert_eq!(kept, [9, 18]);
    }

    #[test]
    fn view_accessors_find_the_first_layer_of_each_kind() {
        // IP in IP: ipv4() is the outer header.
        let inner = Ipv4::new([192, 168, 0, 1].into(), [192, 168, 0, 2].into());
        let bytes = (eth() / ip() / inner / Udp::new(7, 9)).to_vec().unwrap();
        let v = PacketView::parse(&bytes).unwrap();
        let kinds: Vec<LayerKind> = v.spans().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                LayerKind::Ethernet,
                LayerKind::Ipv4,
                LayerKind::Ipv4,
                LayerKind::Udp
            ]
        );
        assert_eq!(v.ipv4().unwrap().src(), ip().src);
        assert_eq!(v.span(LayerKind::Ipv4).unwrap().start, 14);
        assert_eq!(v.udp().unwrap().dst_port(), 9);
        assert!(v.tcp().is_none() && v.vlan().is_none() && v.span(LayerKind::Packet).is_none());
    }

    #[test]
    fn encode_append_and_short_buffers() {
        // Appended to a reused vector (small and larger than a full-size frame), and refused.
        let mut out = vec![9u8];
        for n in [0usize, 1400, 3000] {
            let p = (eth() / ip() / Udp::new(1, 2)).with_payload(vec![7u8; n]);
            out.truncate(1);
            assert_eq!(p.encode_append(&mut out).unwrap(), p.encoded_len());
            assert_eq!(out[0], 9);
            assert_eq!(out[1..], p.to_vec().unwrap());
        }
        let p = (eth() / ip() / Udp::new(1, 2)).with_payload(vec![7u8; 20]);
        let mut small = [0u8; 40];
        assert_eq!(
            p.encode(&mut small),
            Err(Error::ShortBuffer {
                needed: 62,
                available: 40
            })
        );
        // A longer buffer is fine: the bytes past the encoding are left as they are.
        let mut longer = vec![0xaau8; p.encoded_len() + 1];
        assert_eq!(p.encode(&mut longer).unwrap(), 62);
        assert_eq!(longer[62], 0xaa);
        assert_eq!(longer[..62], p.to_vec().unwrap());
    }

    #[test]
    fn min_len_pads_with_zeros_and_parses_back_as_trailer() {
        let p = (eth() / ip() / Udp::new(1, 2)).with_payload(&b"hi"[..]);
        let bare = p.to_vec().unwrap();
        assert_eq!(bare.len(), 44);
        let padded = p.clone().with_min_len(Packet::ETHERNET_MIN_LEN);
        assert_eq!(padded.encoded_len(), 60);
        let mut buf = [0xffu8; 64];
        assert_eq!(padded.encode(&mut buf).unwrap(), 60);
        assert_eq!(buf[..44], bare[..]);
        assert!(buf[44..60].iter().all(|&b| b == 0));
        assert_eq!(buf[60..], [0xff; 4]);
        // The short-buffer check counts the padding.
        assert!(matches!(
            padded.encode(&mut buf[..59]),
            Err(Error::ShortBuffer {
                needed: 60,
                available: 59
            })
        ));
        // Parsed back, the padding is trailer and the frame encodes to the same 60 bytes.
        let back = Packet::parse(&buf[..60]).unwrap();
        assert_eq!(
            (back.payload.as_slice(), back.trailer.len()),
            (&b"hi"[..], 16)
        );
        assert_eq!(back.min_len, 0);
        assert_eq!(back.to_vec().unwrap(), &buf[..60]);
        // A frame already longer than min_len is not changed.
        assert_eq!(p.with_min_len(10).to_vec().unwrap(), bare);
    }

    #[test]
    fn tcp_options_allocate_once() {
        // MSS, SACK permitted, timestamps, NOP, window scale (a Linux SYN), then padding after
        // end-of-list and a truncated option.
        let syn = [
            2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
        ];
        let opts = TcpOption::parse_all(&syn);
        assert_eq!(opts.len(), 5);
        assert_eq!(opts.capacity(), 5);
        let odd = [1, 0, 9, 9, 3];
        let opts = TcpOption::parse_all(&odd);
        assert_eq!(
            opts,
            [
                TcpOption::NoOperation,
                TcpOption::EndOfList,
                TcpOption::Raw(vec![9, 9, 3])
            ]
        );
        assert_eq!(opts.capacity(), 3);
        let bad = [2, 4, 5];
        assert_eq!(TcpOption::parse_all(&bad), [TcpOption::Raw(vec![2, 4, 5])]);
        assert!(TcpOption::parse_all(&[]).is_empty());
        // Through a whole segment.
        let mut t = Tcp::new(1, 2, crate::tcp::TcpFlags::SYN);
        t = t.with_options(&TcpOption::parse_all(&syn)).unwrap();
        assert_eq!(t.option, syn);
        let bytes = (eth() / ip() / t).to_vec().unwrap();
        assert_eq!(Packet::parse(&bytes).unwrap().to_vec().unwrap(), bytes);
    }
}
