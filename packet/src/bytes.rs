//! Crate-internal byte helpers for buffers whose lengths a view's `parse` (or an encoder's room
//! check) has already checked: lenient reads and writes that never panic, and the
//! `wire_struct!` macro this crate declares its fixed headers with.
//!
//! Nothing here is public: the public, checked counterparts are in [`crate::wire`] (reads that
//! return `None` out of range, [`FixedLayout`](crate::wire::FixedLayout)). The lenient forms
//! exist because a checked view's accessors "can only be wrong through a length the check
//! already refused" (smoltcp's `new_checked` contract). The macro's reads are checked: a view
//! copies its fixed header once, in its fallible constructor, and its accessors read that copy.
//!
//! Every wire struct is `#[repr(C)]` over unaligned network-endian fields and derives zerocopy's
//! `FromBytes`/`IntoBytes`, so a header is read or written through a reference with no
//! hand-written `unsafe` and no alignment trap. The structs stay private to the crate: the public
//! API is the views' accessors.

pub(crate) use zerocopy::network_endian::{U16, U32};

/// Declares a wire struct: `#[repr(C)]`, zerocopy derives, and checked constructors over a
/// byte slice.
///
/// The fields must be `u8`, byte arrays or [`U16`](crate::bytes::U16)/`U32`/`U64`; the crate that
/// uses the macro needs `zerocopy` (with its `derive` feature) as a dependency. The struct and its
/// fields are `pub(crate)`: wire layouts stay private, accessors are the API.
///
/// Every read is checked: [`at`](#method.at) and [`read`](#method.read) answer
/// [`Error::Truncated`](crate::Error::Truncated) (with the layer, what and offset the caller
/// names) on a slice too short for the struct. Nothing reads zeros in place of missing bytes. A
/// view calls `read` once in its constructor and keeps the copy, so its accessors read the copy
/// and cannot see a short buffer (see the views' `hdr` fields).
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub(crate) struct $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            zerocopy::FromBytes,
            zerocopy::IntoBytes,
            zerocopy::KnownLayout,
            zerocopy::Immutable,
            zerocopy::Unaligned,
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
        )]
        #[repr(C)]
        pub(crate) struct $name { $( $(#[$fmeta])* pub(crate) $field: $ty ),* }

        #[allow(dead_code)]
        impl $name {
            /// Size of the struct on the wire.
            pub(crate) const LEN: usize = core::mem::size_of::<Self>();

            /// The struct at byte `offset` of `buf`; `Truncated` (`layer`, `what`, `offset`)
            /// if it does not fit.
            #[inline]
            pub(crate) fn at<'b>(
                layer: $crate::error::LayerKind,
                buf: &'b [u8],
                offset: usize,
                what: &'static str,
            ) -> $crate::error::Result<&'b Self> {
                match buf.get(offset..).map(<Self as zerocopy::FromBytes>::ref_from_prefix) {
                    Some(Ok((h, _))) => Ok(h),
                    _ => Err($crate::error::Error::truncated(
                        layer,
                        offset,
                        what,
                        Self::LEN,
                        buf.len().saturating_sub(offset),
                    )),
                }
            }

            /// A copy of the struct at the front of `buf`; `Truncated` (`layer`, `what`,
            /// offset 0) if it does not fit.
            #[inline]
            pub(crate) fn read(
                layer: $crate::error::LayerKind,
                buf: &[u8],
                what: &'static str,
            ) -> $crate::error::Result<Self> {
                Self::at(layer, buf, 0, what).copied()
            }

            /// The struct at the front of `buf`, mutably; `None` if `buf` is too short.
            #[inline]
            pub(crate) fn view_mut(buf: &mut [u8]) -> Option<&mut Self> {
                <Self as zerocopy::FromBytes>::mut_from_prefix(buf).ok().map(|(h, _)| h)
            }

            /// Writes the struct to the front of `buf`; returns `false` if `buf` is too short.
            #[inline]
            pub(crate) fn write_to(&self, buf: &mut [u8]) -> bool {
                zerocopy::IntoBytes::write_to_prefix(self, buf).is_ok()
            }
        }
    };
}
pub(crate) use wire_struct;

/// The crate-private constructors of a view `$view<T> { buffer: T, hdr: $hdr }` that keeps a
/// copy of its fixed header (read, checked, once): `checked` and `reload`.
macro_rules! header_view {
    ($view:ident, $hdr:ty, $layer:expr, $what:literal) => {
        #[allow(dead_code)]
        impl<T: AsRef<[u8]>> $view<T> {
            /// Wraps bytes that [`parse`](Self::parse) accepted before (the spans of
            /// [`PacketView`](crate::PacketView)), checking only that the fixed header is there
            /// (one length comparison, no other check); `Err` gives the buffer back when it is
            /// not.
            #[inline]
            pub(crate) fn checked(buffer: T) -> core::result::Result<Self, T> {
                match <$hdr>::read($layer, buffer.as_ref(), $what) {
                    Ok(hdr) => Ok($view { buffer, hdr }),
                    Err(_) => Err(buffer),
                }
            }

            /// Re-reads the header copy after a setter wrote the buffer.
            fn reload(&mut self) {
                if let Ok(h) = <$hdr>::read($layer, self.buffer.as_ref(), $what) {
                    self.hdr = h;
                }
            }
        }
    };
}
pub(crate) use header_view;

/// One step of an iterator over `remaining` counted records (IGMPv3 group records, MLDv2
/// address records): `None` once none remain; else `read`'s record, or its error, after
/// which none remain.
#[inline]
pub(crate) fn next_counted<T, E>(
    remaining: &mut u16,
    read: impl FnOnce() -> Result<T, E>,
) -> Option<Result<T, E>> {
    if *remaining == 0 {
        return None;
    }
    let r = read();
    *remaining = if r.is_ok() { *remaining - 1 } else { 0 };
    Some(r)
}

/// Reads a big-endian `u16` at `at`, or 0 past the end of `buf`.
#[inline]
pub(crate) fn be16(buf: &[u8], at: usize) -> u16 {
    match buf.get(at..).and_then(|b| b.first_chunk::<2>()) {
        Some(b) => u16::from_be_bytes(*b),
        None => 0,
    }
}

/// Reads a big-endian `u32` at `at`, or 0 past the end of `buf`.
#[inline]
pub(crate) fn be32(buf: &[u8], at: usize) -> u32 {
    match buf.get(at..).and_then(|b| b.first_chunk::<4>()) {
        Some(b) => u32::from_be_bytes(*b),
        None => 0,
    }
}

/// Writes a big-endian `u16` at `at`; does nothing past the end of `buf`.
#[inline]
pub(crate) fn put16(buf: &mut [u8], at: usize, v: u16) {
    if let Some(b) = buf.get_mut(at..).and_then(|b| b.first_chunk_mut::<2>()) {
        *b = v.to_be_bytes();
    }
}

/// Writes a big-endian `u32` at `at`; does nothing past the end of `buf`.
#[inline]
pub(crate) fn put32(buf: &mut [u8], at: usize, v: u32) {
    if let Some(b) = buf.get_mut(at..).and_then(|b| b.first_chunk_mut::<4>()) {
        *b = v.to_be_bytes();
    }
}

/// Copies `src` into `buf` at `at`; does nothing if it does not fit.
#[inline]
pub(crate) fn put_bytes(buf: &mut [u8], at: usize, src: &[u8]) {
    if let Some(dst) = at
        .checked_add(src.len())
        .and_then(|end| buf.get_mut(at..end))
    {
        dst.copy_from_slice(src);
    }
}

/// `buf[from..to]`, clamped to the buffer (never panics; empty when out of range).
#[inline]
pub(crate) fn slice(buf: &[u8], from: usize, to: usize) -> &[u8] {
    let to = to.min(buf.len());
    buf.get(from..to).unwrap_or(&[])
}

/// `buf[from..]`, or empty when `from` is past the end.
#[inline]
pub(crate) fn tail(buf: &[u8], from: usize) -> &[u8] {
    buf.get(from..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use crate::arp::ArpView;
    use crate::error::{Error, LayerKind};
    use crate::ethernet::{EtherType, EthernetView, VlanView};
    use crate::icmp::{IcmpType, IcmpView};
    use crate::icmpv6::Icmpv6View;
    use crate::ipv4::Ipv4View;
    use crate::ipv6::Ipv6View;
    use crate::mac::MacAddr;
    use crate::slow::{LacpState, LacpView, MarkerTlvType, MarkerView};
    use crate::tcp::TcpView;
    use crate::udp::{UdpHeader, UdpView};
    use crate::IpPair;
    use core::net::{Ipv4Addr, Ipv6Addr};
    use std::{format, vec::Vec};

    /// `slice` is `buf[from..to]` clamped to the buffer, empty when `from` is past `to` or the
    /// end: every range over buffers of 0 to 8 bytes, against the bytes at the positions `i`
    /// with `from <= i < to` (told one by one, not by the slice's own formula).
    #[test]
    fn slice_clamps_every_range() {
        let data = [1u8, 2, 3, 4, 5, 6, 7, 8];
        for n in 0..=data.len() {
            let buf = &data[..n];
            for from in 0..12 {
                for to in 0..12 {
                    let want: Vec<u8> = buf
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| from <= i && i < to)
                        .map(|(_, &b)| b)
                        .collect();
                    assert_eq!(super::slice(buf, from, to), want, "{n} {from} {to}");
                }
            }
        }
        assert_eq!(super::slice(&data, usize::MAX, usize::MAX), &[] as &[u8]);
        assert_eq!(super::slice(&data, 3, usize::MAX), &data[3..]);
    }

    /// The checked read answers `Truncated` with the caller's layer, what and offset, and
    /// counts from that offset: it never hands out a zero header.
    #[test]
    fn wire_struct_reads_are_checked() {
        let buf = [0u8; 11];
        assert!(UdpHeader::at(LayerKind::Udp, &buf, 3, "header").is_ok());
        assert_eq!(
            UdpHeader::at(LayerKind::Udp, &buf, 4, "header").err(),
            Some(Error::truncated(LayerKind::Udp, 4, "header", 8, 7))
        );
        assert_eq!(
            UdpHeader::at(LayerKind::Udp, &buf, 40, "header").err(),
            Some(Error::truncated(LayerKind::Udp, 40, "header", 8, 0))
        );
        assert_eq!(
            UdpHeader::read(LayerKind::Udp, &buf[..7], "header").err(),
            Some(Error::truncated(LayerKind::Udp, 0, "header", 8, 7))
        );
    }

    /// The crate-private constructor behind `PacketView`'s accessors refuses a buffer shorter
    /// than the fixed header (it used to give a view reading zeros) and gives the buffer back.
    #[test]
    fn checked_constructors_refuse_short_buffers() {
        let z = [0u8; 110];
        macro_rules! edge {
            ($view:ident, $len:expr) => {
                assert!($view::checked(&z[..$len]).is_ok(), stringify!($view));
                assert_eq!(
                    $view::checked(&z[..$len - 1]).err().map(<[u8]>::len),
                    Some($len - 1),
                    stringify!($view)
                );
            };
        }
        edge!(EthernetView, 14);
        edge!(VlanView, 4);
        edge!(ArpView, 8);
        edge!(Ipv4View, 20);
        edge!(IcmpView, 8);
        edge!(UdpView, 8);
        edge!(TcpView, 20);
        edge!(MarkerView, 110);
        edge!(Icmpv6View, 4);
    }

    fn frame(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/{name}.bin", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).unwrap()
    }

    /// Views keep a copy of their fixed header: every setter must leave the copy equal to the
    /// bytes, so what an accessor reads after a setter is what a fresh parse reads.
    #[test]
    fn setters_keep_the_header_copy_in_step() {
        let mut f = frame("udp_request");
        let (l2, rest) = f.split_at_mut(14);
        let mut eth = EthernetView::parse(&mut l2[..]).unwrap();
        eth.set_dst(MacAddr([1, 2, 3, 4, 5, 6]));
        eth.set_src(MacAddr([6, 5, 4, 3, 2, 1]));
        eth.set_ethertype(EtherType(0x1234));
        assert_eq!(
            (eth.dst(), eth.src(), eth.ethertype()),
            (
                MacAddr([1, 2, 3, 4, 5, 6]),
                MacAddr([6, 5, 4, 3, 2, 1]),
                EtherType(0x1234)
            )
        );
        let mut ip = Ipv4View::parse(&mut rest[..]).unwrap();
        let hl = ip.header_len();
        ip.set_ttl(7);
        ip.set_tos(0x2e);
        ip.set_ident(0xbeef);
        ip.set_src(Ipv4Addr::new(192, 0, 2, 1));
        ip.set_dst(Ipv4Addr::new(192, 0, 2, 2));
        let seen = (
            ip.ttl(),
            ip.tos(),
            ip.ident(),
            ip.src(),
            ip.dst(),
            ip.checksum(),
        );
        let again = Ipv4View::parse(&rest[..]).unwrap();
        assert_eq!(seen.0, 7);
        assert_eq!(
            seen,
            (
                again.ttl(),
                again.tos(),
                again.ident(),
                again.src(),
                again.dst(),
                again.checksum()
            )
        );
        again.verify_checksum().unwrap();
        let pair = IpPair::V4(again.src(), again.dst());
        let mut udp = UdpView::parse(&mut rest[hl..]).unwrap();
        udp.set_src_port(1111);
        udp.set_dst_port(2222);
        udp.fill_checksum(&pair);
        let seen = (udp.src_port(), udp.dst_port(), udp.checksum());
        let again = UdpView::parse(&rest[hl..]).unwrap();
        assert_eq!(seen, (again.src_port(), again.dst_port(), again.checksum()));
        assert_eq!(seen.0, 1111);

        let mut f = frame("tcp_syn");
        let mut tcp = TcpView::parse(&mut f[34..]).unwrap();
        tcp.set_src_port(1);
        tcp.set_dst_port(2);
        tcp.set_window(3);
        let seen = (tcp.src_port(), tcp.dst_port(), tcp.window(), tcp.checksum());
        let again = TcpView::parse(&f[34..]).unwrap();
        assert_eq!(
            seen,
            (
                again.src_port(),
                again.dst_port(),
                again.window(),
                again.checksum()
            )
        );
        assert_eq!(seen.0, 1);

        let mut f = frame("ping_echo_request");
        let mut icmp = IcmpView::parse(&mut f[34..]).unwrap();
        icmp.set_msg_type(IcmpType(0));
        assert_eq!(icmp.msg_type(), IcmpType(0));
        icmp.fill_checksum();
        let c = icmp.checksum();
        let again = IcmpView::parse(&f[34..]).unwrap();
        assert_eq!((again.msg_type(), again.checksum()), (IcmpType(0), c));

        let mut f = frame("icmpv6_echo_request");
        let mut ip6 = Ipv6View::parse(&mut f[14..]).unwrap();
        ip6.set_hop_limit(9);
        ip6.set_traffic_class(0xa5);
        ip6.set_flow_label(0x12345);
        ip6.set_src(Ipv6Addr::LOCALHOST);
        ip6.set_dst(Ipv6Addr::UNSPECIFIED);
        assert_eq!(
            (
                ip6.hop_limit(),
                ip6.traffic_class(),
                ip6.flow_label(),
                ip6.src(),
                ip6.dst()
            ),
            (9, 0xa5, 0x12345, Ipv6Addr::LOCALHOST, Ipv6Addr::UNSPECIFIED)
        );

        let mut m6 = [128, 0, 0, 0, 0, 1, 0, 2];
        let mut v6 = Icmpv6View::parse(&mut m6[..]).unwrap();
        v6.set_checksum(0xbeef);
        assert_eq!(v6.checksum(), 0xbeef);
        assert_eq!(m6[2..4], [0xbe, 0xef]);

        let mut tag = [0x20, 0x64, 0x08, 0x00];
        let mut v = VlanView::parse(&mut tag[..]).unwrap();
        v.set_vid(0x123);
        v.set_pcp(5);
        v.set_ethertype(EtherType::IPV6);
        assert_eq!(
            (v.vid(), v.pcp(), v.ethertype()),
            (0x123, 5, EtherType::IPV6)
        );
        assert_eq!(tag, [0xa1, 0x23, 0x86, 0xdd]);
    }

    /// The slow-protocol views copy their fixed part too.
    #[test]
    fn slow_setters_keep_the_copy_in_step() {
        let mut pdu = crate::Encode::to_vec(&crate::Lacp::default()).unwrap();
        let mut v = LacpView::parse(&mut pdu[..]).unwrap();
        v.set_version(3);
        v.set_actor_state(LacpState(0x3d));
        v.set_partner_state(LacpState(0x05));
        v.set_collector_max_delay(77);
        let seen = (
            v.version(),
            v.actor_state(),
            v.partner_state(),
            v.collector_max_delay(),
        );
        assert_eq!(seen, (3, LacpState(0x3d), LacpState(0x05), 77));
        let again = LacpView::parse(&pdu[..]).unwrap();
        assert_eq!(
            seen,
            (
                again.version(),
                again.actor_state(),
                again.partner_state(),
                again.collector_max_delay()
            )
        );

        let mut m = [0u8; 110];
        m[0] = 2;
        m[1] = 1;
        m[2] = 1;
        m[3] = 16;
        let mut v = MarkerView::parse(&mut m[..]).unwrap();
        v.set_tlv_type(MarkerTlvType(2));
        assert_eq!(v.tlv_type(), MarkerTlvType(2));
        assert_eq!(m[2], 2);
    }
}
