#!/usr/bin/env bash
# Re-captures the real frames under packet/testdata/ from two Linux network namespaces joined by
# a veth pair: h1 (10.0.0.1, 00:00:00:00:00:01) and h2 (10.0.0.2, 00:00:00:00:00:02), as in the
# Ryu book's ping. Needs root, iproute2, iputils-ping, ethtool, tshark and python3. Touches nothing
# outside the two namespaces it creates (and removes).
set -euo pipefail
out=${1:-$(cd "$(dirname "$0")/.." && pwd)/packet/testdata}
work=$(mktemp -d)
cleanup() { ip netns del cap-h1 2>/dev/null || true; ip netns del cap-h2 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cleanup; work=$(mktemp -d)
ip netns add cap-h1; ip netns add cap-h2
ip link add v1 netns cap-h1 type veth peer name v2 netns cap-h2
ip -n cap-h1 link set v1 address 00:00:00:00:00:01
ip -n cap-h2 link set v2 address 00:00:00:00:00:02
ip -n cap-h1 addr add 10.0.0.1/24 dev v1
ip -n cap-h2 addr add 10.0.0.2/24 dev v2
ip -n cap-h1 -6 addr add fd00::1/64 dev v1 nodad
ip -n cap-h2 -6 addr add fd00::2/64 dev v2 nodad
# No checksum offload: the captured TCP/UDP checksums are the real ones, not partial sums.
ip netns exec cap-h1 ethtool -K v1 tx off >/dev/null
ip netns exec cap-h2 ethtool -K v2 tx off >/dev/null
ip -n cap-h2 link set v2 up
ip netns exec cap-h2 tshark -i v2 -w "$work/all.pcap" -F pcap -q 2>/dev/null &
cap=$!
sleep 2
# h1 comes up while h2 listens: its MLDv2 reports and neighbor solicitations are captured.
ip -n cap-h1 link set v1 up
sleep 3
ip netns exec cap-h1 ping -c 1 -W 1 10.0.0.2 >/dev/null
ip netns exec cap-h2 python3 - <<'PY' &
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.2", 8080)); s.listen(1); c, _ = s.accept(); c.recv(100); c.send(b"world"); c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.0.0.2", 5353)); d, a = u.recvfrom(100); u.sendto(d, a)
PY
sleep 1
ip netns exec cap-h1 python3 - <<'PY'
import socket, struct, time
c = socket.create_connection(("10.0.0.2", 8080)); c.send(b"hello"); c.recv(100); c.close()
time.sleep(0.3)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2); u.sendto(b"\x12\x34query", ("10.0.0.2", 5353)); u.recvfrom(100)
# IGMPv3 join (kernel default) and then an IGMPv2-style join via force_igmp_version
m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
m.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("225.0.0.1") + socket.inet_aton("10.0.0.1"))
time.sleep(0.3)
m.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, socket.inet_aton("225.0.0.1") + socket.inet_aton("10.0.0.1"))
time.sleep(0.3)
PY
ip netns exec cap-h1 ping -6 -c 1 -W 1 fd00::2 >/dev/null
sleep 2
kill "$cap"; wait "$cap" 2>/dev/null || true
# One .bin per interesting frame: name, then a tshark display filter that picks its first match.
while read -r name filter; do
  n=$(tshark -r "$work/all.pcap" -Y "$filter" -T fields -e frame.number 2>/dev/null | head -n1)
  [ -n "$n" ] || { echo "no frame for $name ($filter)" >&2; continue; }
  tshark -r "$work/all.pcap" -Y "frame.number == $n" -x 2>/dev/null \
    | sed -n 's/^[0-9a-f]\{4\}  \(\([0-9a-f][0-9a-f] \)*\).*/\1/p' | xxd -r -p > "$out/$name.bin"
  echo "$name: frame $n, $(stat -c %s "$out/$name.bin") bytes"
done <<'EOF2'
ping_arp_request arp.opcode == 1
ping_arp_reply arp.opcode == 2
ping_echo_request icmp.type == 8
ping_echo_reply icmp.type == 0
tcp_syn tcp.flags.syn == 1 && tcp.flags.ack == 0
tcp_syn_ack tcp.flags.syn == 1 && tcp.flags.ack == 1
tcp_data tcp.len > 0
udp_request udp.dstport == 5353
igmpv3_report igmp.type == 0x22
icmpv6_echo_request icmpv6.type == 128
icmpv6_neighbor_solicitation icmpv6.type == 135
mldv2_report icmpv6.type == 143
EOF2
# What os-ken (the maintained Ryu) prints for each frame: our Display must print the same.
py=${OSKEN_PYTHON:-$(dirname "$0")/../.venv/bin/python}
if "$py" -c 'import os_ken' 2>/dev/null; then
  for f in "$out"/*.bin; do
    "$py" -c 'import sys; from os_ken.lib.packet import packet; print(packet.Packet(open(sys.argv[1], "rb").read()))' "$f" > "${f%.bin}.ryu.txt"
  done
else
  echo "os-ken not found (set OSKEN_PYTHON): .ryu.txt files not refreshed" >&2
fi
