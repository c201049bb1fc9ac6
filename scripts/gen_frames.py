#!/usr/bin/env python3
"""Generates varied Ethernet frames for the packet crate's differential test.

    gen_frames.py OUT.pcap [COUNT] [SEED]

Writes COUNT frames (default 3000) to OUT.pcap (classic pcap, linktype Ethernet), built with
scapy from a fixed seed (default 1), so the same arguments always give the same file. Every
protocol the `packet` crate decodes is covered: Ethernet, 802.1Q and QinQ (0x88a8 and 0x9100
outer), ARP (also odd hardware/protocol address lengths), IPv4 (random TOS, ID, flags, fragments,
TTL, options: router alert, record route, timestamps, source routes finished and in progress,
NOPs, unknown kinds), ICMP (echo, errors with RFC 4884 lengths, redirect, other types), UDP, TCP
(all flags, every option kind, unknown kinds, EOL padding), IGMP v1, v2 and v3 (queries,
reports, leaves; v3 records of all six types with sources; unknown types), IPv6 with extension
headers (hop-by-hop, routing types 0/2/4/unknown, fragments, destination options), ICMPv6 (echo,
errors, MLDv1, MLDv2, ND with options, other types), IP-in-IP and IPv6-in-IP tunnels, LACP and
marker, and LLDP (built TLV by TLV, End TLV sometimes left out). Short frames get Ethernet
padding to 60 bytes some of the time (zeros mostly), a few frames trailing bytes.

The frames are meant to be well formed (a few carry a wrong checksum on purpose, which every
decoder must report as found). The Rust test packet/tests/differential.rs runs this script,
dissects the pcap with tshark and compares every field the crate decodes.

All randomness comes from one `random.Random` seeded with SEED, and every scapy field that
would default to a random value is set explicitly, so the output is byte for byte the same for
the same arguments (the pcap timestamps are the frame numbers).
"""

import random
import struct
import sys

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether  # noqa: E402
from scapy.layers.inet import ICMP, IP, IPOption, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6DestUnreach,
    ICMPv6EchoReply,
    ICMPv6EchoRequest,
    ICMPv6MLDMultAddrRec,
    ICMPv6MLDone,
    ICMPv6MLQuery,
    ICMPv6MLQuery2,
    ICMPv6MLReport,
    ICMPv6MLReport2,
    ICMPv6ND_NA,
    ICMPv6ND_NS,
    ICMPv6ND_RA,
    ICMPv6ND_RS,
    ICMPv6NDOptDstLLAddr,
    ICMPv6NDOptMTU,
    ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptSrcLLAddr,
    ICMPv6PacketTooBig,
    ICMPv6ParamProblem,
    ICMPv6TimeExceeded,
    HBHOptUnknown,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    IPv6ExtHdrSegmentRouting,
    Jumbo,
    PadN,
    RouterAlert,
)
from scapy.layers.igmp import IGMP, IGMPv3_MQ, IGMPv3_MR, IGMPv3_MR_Group  # noqa: E402
from scapy.packet import Raw  # noqa: E402

from scapy.contrib.lacp import LACP, MarkerProtocol  # noqa: E402
from scapy.contrib.slowprot import SlowProtocol  # noqa: E402

R = random.Random()


# ---------------------------------------------------------------- small random helpers
def u8():
    return R.randrange(256)


def u16():
    return R.randrange(1 << 16)


def u32():
    return R.randrange(1 << 32)


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def mac(multicast=False):
    b = bytearray(rbytes(6))
    b[0] = (b[0] & 0xFC) | (1 if multicast else 0) | (2 if R.random() < 0.3 else 0)
    return ":".join("%02x" % x for x in b)


def ip4():
    return "%d.%d.%d.%d" % (R.choice([10, 172, 192, 100, 198, 203]), u8(), u8(), R.randrange(1, 255))


def mcast4():
    return "%d.%d.%d.%d" % (R.randrange(224, 240), u8(), u8(), u8())


def ip6():
    if R.random() < 0.3:
        return "fe80::%x:%x" % (u16(), u16())
    return "2001:db8:%x:%x::%x:%x" % (u16(), u16(), u16(), u16())


def mcast6():
    return "ff%02x::%x:%x" % (R.choice([2, 5, 0x0E, 0x15, 0x3E]), u16(), u16())


def maybe(p):
    return R.random() < p


def payload(lo=0, hi=64):
    return rbytes(R.randrange(lo, hi + 1))


def bad_or(value_none_p=0.9):
    """None (let scapy compute the checksum) most of the time, else a random wrong value."""
    return None if maybe(value_none_p) else u16()


# Ports with no well-known dissector attached in tshark 4.0 are not needed for the comparison
# (the test stops at UDP/TCP), but keeping most traffic on high ports keeps tshark fast.
def port():
    return R.choice([R.randrange(1024, 65536), R.randrange(1, 1024), 53, 80, 443, 5353, 6653])


# ---------------------------------------------------------------- layer 2 wrappers
def ether(dst=None, src=None):
    return Ether(dst=dst or (mac(multicast=maybe(0.2)) if maybe(0.9) else "ff:ff:ff:ff:ff:ff"), src=src or mac())


def l2(dst=None, src=None, tags_p=0.3):
    """Ethernet, then no tag, one 802.1Q tag, or two tags (0x88a8 or 0x8100 outer)."""
    e = ether(dst, src)
    if not maybe(tags_p):
        return e
    def tag(cls):
        return cls(prio=R.randrange(8), dei=R.randrange(2), vlan=R.randrange(4096))
    r = R.random()
    if r < 0.6:
        return e / tag(Dot1Q)
    if r < 0.85:
        return e / tag(Dot1AD) / tag(Dot1Q)
    if r < 0.95:
        return e / tag(Dot1Q) / tag(Dot1Q)
    e.type = 0x9100  # the pre-standard QinQ TPID
    return e / tag(Dot1Q) / tag(Dot1Q)


# ---------------------------------------------------------------- ARP
def gen_arp():
    e = l2(tags_p=0.2)
    op = R.choice([1, 2, 1, 2, 3, 4, 8, 9, u16()])
    if maybe(0.85):
        return e / ARP(
            op=op,
            hwsrc=mac(),
            psrc=ip4(),
            hwdst=R.choice(["00:00:00:00:00:00", mac()]),
            pdst=ip4(),
        )
    # odd hardware/protocol address lengths, built by hand
    hlen = R.choice([0, 1, 4, 8, 16, 20])
    plen = R.choice([0, 2, 4, 6, 16])
    htype = R.choice([1, 6, 32, 0x0101, 0xFFFE])  # not 19 (ATM), whose layout tshark reads differently
    ptype = R.choice([0x0800, 0x86DD, 0x1234])
    body = struct.pack("!HHBBH", htype, ptype, hlen, plen, op)
    body += rbytes(hlen) + rbytes(plen) + rbytes(hlen) + rbytes(plen)
    return _with_type(e, 0x0806) / Raw(body)


def _with_type(e, ethertype):
    """The innermost L2 header of `e` with its type field set to `ethertype`."""
    last = e
    while last.payload and not isinstance(last.payload, Raw) and last.payload.name != "NoPayload":
        last = last.payload
    last.type = ethertype
    return e


# ---------------------------------------------------------------- IPv4
def ipv4_options():
    """Raw IPv4 option chunks, at most 40 bytes in all."""
    opts = []
    room = 40
    for _ in range(R.randrange(1, 5)):
        kind = R.choice(["ra", "nop", "rr", "ts", "lsrr", "unknown", "eol"])
        if kind == "ra":
            c = b"\x94\x04" + struct.pack("!H", R.choice([0, 0, u16()]))
        elif kind == "nop":
            c = b"\x01"
        elif kind == "rr":
            n = R.randrange(1, 5)
            ptr = 4 + 4 * R.randrange(0, n + 1)
            c = bytes([7, 3 + 4 * n, ptr]) + b"".join(rbytes(4) for _ in range(n))
        elif kind == "ts":
            n = R.randrange(1, 4)
            c = bytes([68, 4 + 4 * n, 5 + 4 * R.randrange(0, n + 1), 0]) + rbytes(4 * n)
        elif kind == "lsrr":
            # loose or strict source route, finished (pointer past the end) or still in progress
            # (then tshark shows the route's last hop as ip.dst: see differential.rs)
            n = R.randrange(1, 4)
            ptr = 4 + 4 * n if maybe(0.5) else 4 + 4 * R.randrange(0, n)
            c = bytes([R.choice([131, 137]), 3 + 4 * n, ptr]) + rbytes(4 * n)
        elif kind == "unknown":
            d = rbytes(R.randrange(0, 6))
            c = bytes([R.choice([30, 94, 158, 222]), 2 + len(d)]) + d  # RFC 4727 experiments
        else:
            c = b"\x00"
        if len(c) > room:
            break
        opts.append(c)
        room -= len(c)
        if kind == "eol":
            break
    return opts


_ip_ids = set()


def ip_id():
    # Unique identifications, so that tshark's IP reassembly never joins two frames.
    while True:
        v = u16()
        if v not in _ip_ids:
            _ip_ids.add(v)
            return v


def ipv4(src=None, dst=None, frag_p=0.1, opt_p=0.15, **kw):
    flags = 0
    frag = 0
    if maybe(0.5):
        flags |= 2  # DF
    if maybe(frag_p):
        r = R.random()
        if r < 0.4:
            flags |= 1  # first fragment
        elif r < 0.8:
            frag = R.randrange(1, 8192)  # middle or last
            flags |= R.choice([0, 1])
        else:
            frag = R.randrange(1, 8192)
    if maybe(0.02):
        flags |= 4  # reserved ("evil") bit
    fields = dict(
        src=src or ip4(),
        dst=dst or ip4(),
        tos=u8() if maybe(0.5) else 0,
        id=ip_id(),
        flags=flags,
        frag=frag,
        ttl=R.choice([1, 64, 128, 255, u8()]),
        chksum=bad_or(0.93),
    )
    fields.update(kw)
    if maybe(opt_p) and "options" not in fields:
        fields["options"] = [IPOption(c) for c in ipv4_options()]
    return IP(**fields)


# ---------------------------------------------------------------- ICMP
def inner_ipv4():
    """The start of an invoking datagram, as ICMP errors quote it."""
    inner = IP(src=ip4(), dst=ip4(), id=u16(), ttl=u8()) / R.choice(
        [UDP(sport=port(), dport=port()) / payload(0, 20), TCP(sport=port(), dport=port(), seq=u32())]
    )
    b = bytes(inner)
    return b[: R.choice([28, 28, len(b)])]


def gen_icmp():
    t = R.random()
    if t < 0.35:
        msg = ICMP(type=R.choice([0, 8]), id=u16(), seq=u16(), chksum=bad_or()) / payload(0, 56)
    elif t < 0.55:
        code = R.choice([0, 1, 2, 3, 4, 4, 4, 9, 10, 13, R.randrange(16)])
        msg = ICMP(type=3, code=code, nexthopmtu=R.choice([0, 576, 1280, 1400, 1500, u16()]) if code == 4 else 0,
                   chksum=bad_or()) / inner_ipv4()
    elif t < 0.7:
        msg = ICMP(type=11, code=R.choice([0, 1]), chksum=bad_or()) / inner_ipv4()
        if maybe(0.2):
            msg.length = len(bytes(msg.payload)) // 4  # RFC 4884 length of the original datagram
    elif t < 0.77:
        msg = ICMP(type=5, code=R.randrange(4), gw=ip4(), chksum=bad_or()) / inner_ipv4()
    elif t < 0.87:
        return l2() / ipv4(proto=1) / Raw(icmp_structured())
    else:
        # types this crate keeps raw (timestamp, info, address mask, router adv/sol, unknown)
        ty = R.choice([9, 10, 13, 14, 15, 16, 17, 18, 42, 43, 100, 200, 253])
        body = rbytes(4) + payload(0, 24)
        raw = bytearray(bytes([ty, R.choice([0, 0, u8()]), 0, 0]) + body)
        raw[2:4] = struct.pack("!H", _cksum(bytes(raw)) if maybe(0.9) else u16())
        return l2() / ipv4(proto=1) / Raw(bytes(raw))
    return l2() / ipv4() / msg


def icmp_structured():
    """Router advertisement, parameter problem, timestamp, information, address mask, source
    quench: the layouts their RFCs give (and now and then one byte off, which stays raw)."""
    ty = R.choice([4, 9, 12, 13, 14, 15, 16, 17, 18])
    if ty == 9:
        n = R.randrange(0, 5)
        rest = bytes([n, 2]) + struct.pack("!H", u16())
        body = b"".join(ip4_bytes() + struct.pack("!i", R.randrange(-2**31, 2**31)) for _ in range(n))
    elif ty in (4, 12):
        rest = bytes([R.randrange(60) if ty == 12 else 0, 0, 0, 0])
        body = inner_ipv4()
    elif ty in (13, 14):
        rest = struct.pack("!HH", u16(), u16())
        body = struct.pack("!III", u32() % 86400000, u32() % 86400000, u32())
    elif ty in (15, 16):
        rest = struct.pack("!HH", u16(), u16())
        body = b""
    else:
        rest = struct.pack("!HH", u16(), u16())
        body = ip4_bytes()
    if maybe(0.1):
        body += rbytes(1)
    raw = bytearray(bytes([ty, 0, 0, 0]) + rest + body)
    raw[2:4] = struct.pack("!H", _cksum(bytes(raw)))
    return bytes(raw)


def ip4_bytes():
    return bytes(int(x) for x in ip4().split("."))


def _cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# ---------------------------------------------------------------- UDP / TCP
def gen_udp():
    ip = ipv4(frag_p=0.12)
    u = UDP(sport=port(), dport=port(), chksum=R.choice([None] * 8 + [0, u16()]))
    return l2() / ip / u / payload(0, 80)


def tcp_options():
    opts = []
    room = 40
    choices = ["mss", "ws", "sackok", "sack", "ts", "nop", "nop", "unknown", "eol"]
    for _ in range(R.randrange(0, 7)):
        k = R.choice(choices)
        if k == "mss":
            o, n = ("MSS", R.choice([536, 1220, 1460, u16()])), 4
        elif k == "ws":
            o, n = ("WScale", R.randrange(15)), 3
        elif k == "sackok":
            o, n = ("SAckOK", b""), 2
        elif k == "sack":
            blocks = R.randrange(1, 4)
            o, n = ("SAck", tuple(u32() for _ in range(2 * blocks))), 2 + 8 * blocks
        elif k == "ts":
            o, n = ("Timestamp", (u32(), u32())), 10
        elif k == "nop":
            o, n = ("NOP", None), 1
        elif k == "unknown":
            d = rbytes(R.randrange(0, 8))
            o, n = (R.choice([6, 7, 14, 19, 28, 29, 34, 253, 254, 99]), d), 2 + len(d)  # not 30: tshark dissects MPTCP on its own terms
        else:
            o, n = ("EOL", None), 1
        if n > room:
            break
        opts.append(o)
        room -= n
        if k == "eol":
            break
    return opts


def gen_tcp():
    ip = ipv4(frag_p=0.08)
    t = TCP(
        sport=port(),
        dport=port(),
        seq=u32(),
        ack=u32() if maybe(0.8) else 0,
        flags=R.randrange(512) if maybe(0.5) else R.choice([0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0xC2, 0x52]),
        reserved=R.randrange(8) if maybe(0.05) else 0,
        window=u16(),
        chksum=bad_or(),
        urgptr=u16() if maybe(0.2) else 0,
        options=tcp_options() if maybe(0.7) else [],
    )
    return l2() / ip / t / payload(0, 60)


# ---------------------------------------------------------------- IGMP
RA = IPOption(b"\x94\x04\x00\x00")


def igmp_ip(dst):
    return ipv4(src=ip4(), dst=dst, frag_p=0, opt_p=0, ttl=1, options=[RA] if maybe(0.8) else [], proto=2)


def gen_igmp():
    r = R.random()
    if r < 0.1:  # v1 query / report
        if maybe(0.5):
            m = IGMP(type=0x11, mrcode=0, gaddr="0.0.0.0", chksum=bad_or())
            dst = "224.0.0.1"
        else:
            g = mcast4()
            m = IGMP(type=0x12, mrcode=0, gaddr=g, chksum=bad_or())
            dst = g
    elif r < 0.35:  # v2 query (general, group-specific), report, leave
        ty = R.choice([0x11, 0x11, 0x16, 0x17])
        g = "0.0.0.0" if ty == 0x11 and maybe(0.5) else mcast4()
        m = IGMP(type=ty, mrcode=R.randrange(1, 256) if ty == 0x11 else R.choice([0, 0, u8()]), gaddr=g,
                 chksum=bad_or())
        dst = {0x11: "224.0.0.1" if g == "0.0.0.0" else g, 0x16: g, 0x17: "224.0.0.2"}[ty]
    elif r < 0.55:  # v3 query
        nsrc = R.choice([0, 0, 1, 2, 5])
        g = "0.0.0.0" if nsrc == 0 and maybe(0.5) else mcast4()
        m = IGMPv3_MQ(
            mrcode=u8(),
            gaddr=g,
            s=R.randrange(2),
            qrv=R.randrange(8),
            qqic=u8(),
            srcaddrs=[ip4() for _ in range(nsrc)],
            chksum=bad_or(),
        )
        if maybe(0.1):
            m.flags = R.randrange(16)  # the reserved bits
        dst = "224.0.0.1" if g == "0.0.0.0" else g
    elif r < 0.95:  # v3 report, records of every type
        recs = []
        for _ in range(R.randrange(0, 5)):
            recs.append(IGMPv3_MR_Group(rtype=R.randrange(1, 7), maddr=mcast4(),
                                        srcaddrs=[ip4() for _ in range(R.choice([0, 0, 1, 2, 3]))]))
        m = IGMPv3_MR(records=recs, chksum=bad_or())
        dst = "224.0.0.22"
    else:  # a type this crate keeps raw: an 8-byte message of an unassigned type
        ty = R.choice([0x18, 0x19, 0x1A, 0x20, 0x21, 0x23, 0x24, 0x25])
        m = IGMP(type=ty, mrcode=u8(), gaddr=ip4(), chksum=bad_or())
        dst = "224.0.0.1"
    return l2(dst="01:00:5e:00:00:01") / igmp_ip(dst) / m


# ---------------------------------------------------------------- IPv6
def ipv6(src=None, dst=None, **kw):
    f = dict(src=src or ip6(), dst=dst or ip6(), tc=u8() if maybe(0.4) else 0,
             fl=R.randrange(1 << 20) if maybe(0.5) else 0, hlim=R.choice([1, 64, 255, u8()]))
    f.update(kw)
    return IPv6(**f)


def hbh_or_dst(cls):
    opts = []
    r = R.random()
    if r < 0.3:
        opts = [RouterAlert(value=R.choice([0, 0, 1, 2]))]
    elif r < 0.6:
        opts = [PadN(optdata=rbytes(R.randrange(0, 6)))]
    elif r < 0.7:
        # a jumbo payload option (RFC 2675) beside a non-zero payload length: kept as found
        opts = [Jumbo(jumboplen=R.choice([65536, 70000, u32()]))]
    elif r < 0.8:
        # an unknown option whose top two bits say "skip it"
        d = rbytes(R.randrange(0, 10))
        opts = [HBHOptUnknown(otype=R.choice([0x1E, 0x3E, 0x11]), optdata=d)]
    h = cls(options=opts)
    return h


def ext_headers(upper_first_fragment_ok=True):
    """A random chain of extension headers, and whether it makes the payload a fragment."""
    hs = []
    frag_kind = None
    if maybe(0.3):
        hs.append(hbh_or_dst(IPv6ExtHdrHopByHop))
    if maybe(0.2):
        hs.append(hbh_or_dst(IPv6ExtHdrDestOpt))
    if maybe(0.2):
        rtype = R.choice([0, 0, 2, 4, 253])
        if rtype == 4:  # segment routing header: last entry, flags, tag, segments
            n = R.randrange(1, 4)
            hs.append(IPv6ExtHdrSegmentRouting(addresses=[ip6() for _ in range(n)], segleft=R.randrange(0, n),
                                               tag=R.choice([0, u16()])))
        else:  # type 0 (deprecated, any number of addresses), 2 (one home address), unknown
            n = 1 if rtype == 2 else R.randrange(0, 4)
            hs.append(IPv6ExtHdrRouting(type=rtype, addresses=[ip6() for _ in range(n)],
                                        segleft=R.randrange(0, n + 1)))
    if maybe(0.2):
        r = R.random()
        if r < 0.4:
            frag_kind = "atomic"
            hs.append(IPv6ExtHdrFragment(offset=0, m=0, id=u32()))
        elif r < 0.75 or not upper_first_fragment_ok:
            frag_kind = "later"
            hs.append(IPv6ExtHdrFragment(offset=R.randrange(1, 8192), m=R.randrange(2), id=u32()))
        else:
            frag_kind = "first"
            hs.append(IPv6ExtHdrFragment(offset=0, m=1, id=u32()))
    if maybe(0.1):
        hs.append(hbh_or_dst(IPv6ExtHdrDestOpt))
    chain = None
    for h in hs:
        chain = h if chain is None else chain / h
    return chain, frag_kind


def gen_ipv6():
    ext, frag = ext_headers()
    ip = ipv6()
    r = R.random()
    if r < 0.35:
        up = UDP(sport=port(), dport=port(), chksum=R.choice([None] * 9 + [u16()])) / payload(0, 60)
        if frag == "first":
            # the first fragment of a longer datagram: the UDP length covers all of it
            data = payload(8, 40)
            up = UDP(sport=port(), dport=port(), len=8 + len(data) + 8 * R.randrange(1, 100), chksum=u16()) / data
    elif r < 0.7:
        up = TCP(sport=port(), dport=port(), seq=u32(), ack=u32(), flags=R.randrange(512), window=u16(),
                 options=tcp_options() if maybe(0.5) else [], chksum=bad_or()) / payload(0, 40)
    elif r < 0.95:
        up = ICMPv6EchoRequest(id=u16(), seq=u16(), data=payload(0, 40)) if maybe(0.5) else \
            ICMPv6EchoReply(id=u16(), seq=u16(), data=payload(0, 40))
    else:
        ip.nh = 59  # no next header: whatever follows is payload
        up = Raw(payload(0, 20))
        if ext is not None:
            last = ext
            while last.payload and last.payload.name != "NoPayload":
                last = last.payload
            last.nh = 59
    pkt = ip / ext / up if ext is not None else ip / up
    return l2() / pkt


# ---------------------------------------------------------------- ICMPv6
def inner_ipv6():
    inner = IPv6(src=ip6(), dst=ip6(), hlim=u8()) / UDP(sport=port(), dport=port()) / payload(0, 40)
    return bytes(inner)


def nd_options(kinds):
    opts = []
    for _ in range(R.randrange(0, 3)):
        k = R.choice(kinds)
        if k == "src":
            opts.append(ICMPv6NDOptSrcLLAddr(lladdr=mac()))
        elif k == "dst":
            opts.append(ICMPv6NDOptDstLLAddr(lladdr=mac()))
        elif k == "mtu":
            opts.append(ICMPv6NDOptMTU(mtu=R.choice([1280, 1500, 9000, u32()])))
        elif k == "prefix":
            opts.append(ICMPv6NDOptPrefixInfo(prefixlen=R.choice([48, 64]), L=R.randrange(2), A=R.randrange(2),
                                              validlifetime=u32(), preferredlifetime=u32(),
                                              prefix="2001:db8:%x::" % u16()))
    chain = None
    for o in opts:
        chain = o if chain is None else chain / o
    return chain


def gen_icmpv6():
    r = R.random()
    src = ip6()
    dst = ip6()
    hbh = None
    if r < 0.15:
        m = (ICMPv6EchoRequest if maybe(0.5) else ICMPv6EchoReply)(id=u16(), seq=u16(), data=payload(0, 56),
                                                                     cksum=bad_or())
    elif r < 0.3:
        c = R.random()
        if c < 0.3:
            m = ICMPv6DestUnreach(code=R.randrange(7), cksum=bad_or()) / Raw(inner_ipv6())
        elif c < 0.55:
            m = ICMPv6PacketTooBig(mtu=R.choice([1280, 1400, 1500, u32()]), cksum=bad_or()) / Raw(inner_ipv6())
        elif c < 0.8:
            m = ICMPv6TimeExceeded(code=R.randrange(2), cksum=bad_or()) / Raw(inner_ipv6())
        else:
            m = ICMPv6ParamProblem(code=R.randrange(3), ptr=R.choice([6, 7, 40, u32()]), cksum=bad_or()) / \
                Raw(inner_ipv6())
    elif r < 0.45:  # MLDv1
        hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
        ty = R.random()
        g = mcast6()
        if ty < 0.4:
            gg = "::" if maybe(0.5) else g
            m = ICMPv6MLQuery(mrd=u16(), mladdr=gg, cksum=bad_or())
            dst = "ff02::1" if gg == "::" else g
        elif ty < 0.8:
            m = ICMPv6MLReport(mrd=0, mladdr=g, cksum=bad_or())
            dst = g
        else:
            m = ICMPv6MLDone(mrd=0, mladdr=g, cksum=bad_or())
            dst = "ff02::2"
        src = "fe80::%x" % u16()
    elif r < 0.6:  # MLDv2 query
        hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
        nsrc = R.choice([0, 0, 1, 2, 4])
        g = "::" if nsrc == 0 and maybe(0.5) else mcast6()
        m = ICMPv6MLQuery2(mrd=u16(), mladdr=g, S=R.randrange(2), QRV=R.randrange(8), QQIC=u8(),
                           Resv=R.randrange(16) if maybe(0.1) else 0,
                           sources=[ip6() for _ in range(nsrc)], cksum=bad_or())
        dst = "ff02::1" if g == "::" else g
        src = "fe80::%x" % u16()
    elif r < 0.8:  # MLDv2 report
        hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
        recs = []
        for _ in range(R.randrange(0, 4)):
            aux = rbytes(4 * R.choice([0, 0, 0, 1, 2]))
            # auxdata_len is in 32-bit words (RFC 3810 5.2.6); scapy would put the byte count
            recs.append(ICMPv6MLDMultAddrRec(rtype=R.randrange(1, 7), dst=mcast6(), auxdata_len=len(aux) // 4,
                                             sources=[ip6() for _ in range(R.choice([0, 0, 1, 2]))], auxdata=aux))
        m = ICMPv6MLReport2(records=recs, cksum=bad_or())
        dst = "ff02::16"
        src = "fe80::%x" % u16()
    elif r < 0.95:  # ND
        ty = R.random()
        if ty < 0.15:
            m = ICMPv6ND_RS(cksum=bad_or()) / (nd_options(["src"]) or Raw(b""))
        elif ty < 0.35:
            m = ICMPv6ND_RA(chlim=u8(), M=R.randrange(2), O=R.randrange(2), H=R.randrange(2),
                            prf=R.randrange(4), routerlifetime=u16(), reachabletime=u32(), retranstimer=u32(),
                            cksum=bad_or()) / (nd_options(["src", "mtu", "prefix"]) or Raw(b""))
        elif ty < 0.7:
            m = ICMPv6ND_NS(tgt=ip6(), cksum=bad_or()) / (nd_options(["src"]) or Raw(b""))
        else:
            m = ICMPv6ND_NA(R=R.randrange(2), S=R.randrange(2), O=R.randrange(2), tgt=ip6(),
                            cksum=bad_or()) / (nd_options(["dst"]) or Raw(b""))
    else:  # a type this crate keeps raw
        ty = R.choice([5, 100, 101, 127, 137, 139, 200, 255])
        raw = bytearray(bytes([ty, u8(), 0, 0]) + rbytes(R.randrange(4, 24)))
        ip = ipv6(src=src, dst=dst, nh=58)
        raw[2:4] = struct.pack("!H", _cksum(_pseudo6(src, dst, len(raw)) + bytes(raw)))
        return l2() / ip / Raw(bytes(raw))
    ip = ipv6(src=src, dst=dst)
    if hbh is not None:
        return l2() / ip / hbh / m
    return l2() / ip / m


def _pseudo6(src, dst, length):
    import socket
    return socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) + \
        struct.pack("!I3xB", length, 58)


# ---------------------------------------------------------------- slow protocols
SLOW_MAC = "01:80:c2:00:00:02"


def state():
    return u8() if maybe(0.6) else R.choice([0x3D, 0x3F, 0x05, 0x47, 0x0D, 0xBF])


def gen_lacp():
    reserved = maybe(0.1)
    p = LACP(
        version=R.choice([1, 1, 1, 2]),
        actor_system_priority=u16(),
        actor_system=mac(),
        actor_key=u16(),
        actor_port_priority=u16(),
        actor_port_number=u16(),
        actor_state=state(),
        actor_reserved=rbytes(3) if reserved else b"\0\0\0",
        partner_system_priority=u16(),
        partner_system=mac(),
        partner_key=u16(),
        partner_port_priority=u16(),
        partner_port_number=u16(),
        partner_state=state(),
        partner_reserved=rbytes(3) if reserved else b"\0\0\0",
        collector_max_delay=u16(),
        collector_reserved=rbytes(12) if reserved else b"\0" * 12,
        reserved=rbytes(50) if reserved else b"\0" * 50,
    )
    return l2(dst=SLOW_MAC, tags_p=0.05) / SlowProtocol(subtype=1) / p


def gen_marker():
    reserved = maybe(0.1)
    p = MarkerProtocol(
        version=1,
        marker_type=R.choice([1, 2]),
        requester_port=u16(),
        requester_system=mac(),
        requester_transaction_id=u32(),
        marker_reserved=rbytes(2) if reserved else b"\0\0",
        reserved=rbytes(90) if reserved else bytes(90),
    )
    return l2(dst=SLOW_MAC, tags_p=0.05) / SlowProtocol(subtype=2) / p


# ---------------------------------------------------------------- LLDP
def tlv(t, value):
    return struct.pack("!H", (t << 9) | len(value)) + value


def gen_lldp():
    chassis_sub = R.choice([4, 4, 4, 1, 2, 3, 5, 6, 7])
    if chassis_sub == 4:
        cid = bytes.fromhex(mac().replace(":", ""))
    elif chassis_sub == 5:
        cid = b"\x01" + rbytes(4)  # network address: IPv4
    else:
        cid = ("chassis-%d" % R.randrange(1000)).encode()
    port_sub = R.choice([3, 5, 5, 7, 1, 2, 4, 6])
    if port_sub == 3:
        pid = bytes.fromhex(mac().replace(":", ""))
    elif port_sub == 4:
        pid = b"\x01" + rbytes(4)
    else:
        pid = ("eth%d" % R.randrange(48)).encode()
    body = tlv(1, bytes([chassis_sub]) + cid) + tlv(2, bytes([port_sub]) + pid) + \
        tlv(3, struct.pack("!H", R.choice([0, 120, 3600, u16()])))
    for _ in range(R.randrange(0, 5)):
        k = R.choice(["pdesc", "sysname", "sysdesc", "caps", "mgmt", "org", "unknown"])
        if k == "pdesc":
            body += tlv(4, ("port %d" % R.randrange(100)).encode())
        elif k == "sysname":
            body += tlv(5, ("switch-%d.example" % R.randrange(100)).encode())
        elif k == "sysdesc":
            body += tlv(6, b"Open vSwitch 3.1.0")
        elif k == "caps":
            body += tlv(7, struct.pack("!HH", u16() & 0x07FF, u16() & 0x07FF))
        elif k == "mgmt":
            addr = b"\x01" + rbytes(4)
            body += tlv(8, bytes([len(addr)]) + addr + b"\x02" + struct.pack("!I", u32()) + b"\x00")
        elif k == "org":
            # IEEE 802.1 port VLAN ID, or a made-up OUI
            if maybe(0.5):
                body += tlv(127, b"\x00\x80\xc2\x01" + struct.pack("!H", R.randrange(4096)))
            else:
                body += tlv(127, rbytes(3) + bytes([u8()]) + rbytes(R.randrange(0, 8)))
        else:
            body += tlv(R.choice([9, 10, 50, 126]), rbytes(R.randrange(0, 10)))
    global _no_junk
    if maybe(0.9):
        body += tlv(0, b"")
    else:
        # Without an End TLV the frame's length bounds the LLDPDU (802.1AB-2016 8.4): bytes after
        # it would be read as more TLVs, so such a frame gets zero padding at most.
        _no_junk = True
    e = l2(dst=R.choice(["01:80:c2:00:00:0e", "01:80:c2:00:00:03", "01:80:c2:00:00:00"]), tags_p=0.05)
    return _with_type(e, 0x88CC) / Raw(body)


# ---------------------------------------------------------------- tunnels
def gen_tunnel():
    """IPv4 in IPv4 (protocol 4), IPv6 in IPv4 (41), IPv4 in IPv6 (next header 4), IPv6 in IPv6."""
    inner = R.choice([
        lambda: ipv4(frag_p=0, opt_p=0.1) / UDP(sport=port(), dport=port()) / payload(0, 30),
        lambda: ipv4(frag_p=0, opt_p=0.1) / ICMP(type=8, id=u16(), seq=u16()) / payload(0, 30),
        lambda: ipv6() / ICMPv6EchoRequest(id=u16(), seq=u16(), data=payload(0, 30)),
        lambda: ipv6() / TCP(sport=port(), dport=port(), seq=u32(), flags=R.randrange(512)),
    ])()
    outer = ipv4(frag_p=0, opt_p=0.1) if maybe(0.6) else ipv6()
    return l2() / outer / inner


# ---------------------------------------------------------------- other EtherTypes
def gen_other():
    e = l2()
    return _with_type(e, R.choice([0x88B5, 0x88B6, 0x1234, 0x22F0, 0xFFFF])) / Raw(payload(0, 60))


GENERATORS = [
    (gen_arp, 8),
    (gen_icmp, 12),
    (gen_udp, 12),
    (gen_tcp, 16),
    (gen_igmp, 14),
    (gen_ipv6, 12),
    (gen_icmpv6, 16),
    (gen_lacp, 5),
    (gen_marker, 2),
    (gen_lldp, 5),
    (gen_other, 1),
    (gen_tunnel, 3),
]


_no_junk = False


def frame():
    global _no_junk
    _no_junk = False
    gens, weights = zip(*GENERATORS)
    g = R.choices(gens, weights)[0]
    b = bytes(g())
    if len(b) < 60 and maybe(0.5):
        b += bytes(60 - len(b)) if maybe(0.8) or _no_junk else rbytes(60 - len(b))
    elif maybe(0.02) and not _no_junk:
        b += rbytes(R.randrange(1, 6))  # trailing bytes no length field covers
    return b


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    R.seed(seed)
    random.seed(seed)
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            b = frame()
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(b), len(b)))
            f.write(b)


if __name__ == "__main__":
    main()
