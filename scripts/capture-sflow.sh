#!/usr/bin/env bash
# Captures sFlow v5 datagrams from a real agent, Open vSwitch, as test fixtures for the `sflow`
# and `sflow-analytics` crates: a private userspace OVS (scripts/ovs.sh, dummy datapath,
# nothing outside a temporary directory) with ports given ifIndexes, a bridge exporting sFlow with sampling=1 polling=1
# header=128 to a UDP socket this script listens on, and frames injected with
# netdev-dummy/receive (IPv4 ICMP/TCP/UDP, IPv6, VLAN-tagged, ARP, odd lengths so that the
# sampled header needs XDR padding). An LACP bond (no partner) makes OVS add LAG counters.
#
#   scripts/capture-sflow.sh [OUTDIR]        (default sflow/testdata; needs openvswitch-switch)
#
# Writes OUTDIR/ovs-flow-N.bin (datagrams holding flow samples) and OUTDIR/ovs-counters-N.bin
# (datagrams holding counters samples), each one raw UDP payload. With the default OUTDIR the
# same files are copied to sflow-analytics/testdata (each published crate carries its own).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/sflow/testdata}")
mkdir -p "$out"
work=$(mktemp -d /tmp/sflow-capture.XXXXXX)
export OVS_DIR=$work/ovs
ovs=$root/scripts/ovs.sh
listener=
cleanup() {
  [ -n "$listener" ] && kill "$listener" 2>/dev/null || true
  "$ovs" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The collector: a UDP socket on a free port, every datagram saved as it comes.
mkdir -p "$work/dgrams"
python3 - "$work/dgrams" "$work/port" <<'PY' &
import socket, sys, os, time
d, portfile = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
s.settimeout(30)
n = 0
while n < 200:
    try:
        data = s.recv(65535)
    except socket.timeout:
        break
    with open(os.path.join(d, "%03d.bin" % n), "wb") as f:
        f.write(data)
    n += 1
PY
listener=$!
for _ in $(seq 100); do [ -f "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")

"$ovs" start
"$ovs" add-bridge br0 1 2
"$ovs" vsctl set interface p1 options:ifindex=101 -- set interface p2 options:ifindex=102
"$ovs" vsctl add-bond br0 bond0 p3 p4 lacp=active other_config:lacp-time=fast \
  -- set interface p3 type=dummy options:ifindex=103 \
  -- set interface p4 type=dummy options:ifindex=104
"$ovs" ofctl add-flow br0 "in_port=1,actions=output:2"
"$ovs" ofctl add-flow br0 "in_port=2,actions=output:1"
"$ovs" vsctl -- --id=@s create sflow agent=127.0.0.1 target="\"127.0.0.1:$port\"" \
  sampling=1 polling=1 header=128 -- set bridge br0 sflow=@s

# Frames: Ethernet II from aa:55:aa:55:00:01 to :02, built here so the script needs nothing
# but python3.
frames=$(python3 - <<'PY'
import struct
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
src = bytes.fromhex("aa55aa550001"); dst = bytes.fromhex("aa55aa550002")
def ipv4(proto, payload, tos=0, a="10.0.0.1", b="10.0.0.2"):
    sa = bytes(map(int, a.split("."))); da = bytes(map(int, b.split(".")))
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 7, 0, 64, proto, 0, sa, da)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
def eth(t, p, vlan=None):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", t) + p
icmp = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"ping!"
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
tcp = struct.pack("!HHIIBBHHH", 40000, 80, 1, 0, 0x50, 0x12, 8192, 0, 0)
udp = struct.pack("!HHHH", 5353, 53, 8 + 3, 0) + b"abc"
ip6 = struct.pack("!IHBB16s16s", 0x60000000, 8 + 5, 17, 64, bytes(15) + b"\1", bytes(15) + b"\2") \
    + struct.pack("!HHHH", 1000, 2000, 13, 0) + b"hello"
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src, bytes([10, 0, 0, 1]), bytes(6), bytes([10, 0, 0, 2]))
out = [
    eth(0x0800, ipv4(1, icmp)),                       # 47 bytes: header padded
    eth(0x0800, ipv4(6, tcp, tos=0x28)),              # 54
    eth(0x0800, ipv4(17, udp)),                       # 45
    eth(0x86dd, ip6),                                 # 67
    eth(0x0800, ipv4(17, udp), vlan=10),              # 49
    eth(0x0806, arp),                                 # 42
    eth(0x0800, ipv4(17, udp + bytes(150))),          # 195: longer than header=128
]
print("\n".join(f.hex() for f in out))
PY
)
sleep 1
for f in $frames; do "$ovs" inject p1 "$f"; done
for f in $frames; do "$ovs" inject p2 "$f"; done
# Two polling intervals for the counters samples.
sleep 2.5
kill "$listener" 2>/dev/null || true
wait "$listener" 2>/dev/null || true
listener=

python3 - "$work/dgrams" "$out" <<'PY'
import os, struct, sys
src, out = sys.argv[1], sys.argv[2]
for f in os.listdir(out):
    if f.startswith("ovs-") and f.endswith(".bin"):
        os.remove(os.path.join(out, f))
kinds = {"flow": [], "counters": []}
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), "rb").read()
    at = 12 if struct.unpack_from("!I", data, 4)[0] == 1 else 24
    n = struct.unpack_from("!I", data, at + 12)[0]
    p, fmts = at + 16, set()
    for _ in range(n):
        fmt, ln = struct.unpack_from("!II", data, p)
        fmts.add(fmt); p += 8 + ln
    kind = "flow" if fmts & {1, 3} else "counters"
    kinds[kind].append(data)
for kind, ds in kinds.items():
    # Keep distinct datagrams, at most 8 of each kind.
    for i, d in enumerate(ds[:8]):
        open(os.path.join(out, "ovs-%s-%d.bin" % (kind, i)), "wb").write(d)
    print("capture-sflow.sh: %d %s datagrams (kept %d)" % (len(ds), kind, min(len(ds), 8)), file=sys.stderr)
PY
if [ -z "${1:-}" ]; then
  mkdir -p "$root/sflow-analytics/testdata"
  cp "$out"/ovs-*.bin "$root/sflow-analytics/testdata/"
fi
