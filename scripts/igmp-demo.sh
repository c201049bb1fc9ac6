#!/usr/bin/env bash
# The Ryu book's IGMP snooping example (simple_switch_igmp_13) on our controller against a real
# Open vSwitch, as the book runs it:
#
#   1. builds the controller; installs Open vSwitch if it is missing (apt, as root);
#   2. starts a private userspace OVS (scripts/ovs.sh) with two bridges linked port 4 <-> port 4
#      over a unix socket: s1 (datapath 1), the querier, the multicast server behind its port 2;
#      s2 (datapath 2), a snooper; hosts on ports 1-3; and the controller running
#      simple_switch_igmp_13 (every IGMP decision made by the igmp crate);
#   3. hosts join 225.0.0.1 (s2 ports 1 and 3, s1 port 3) and 225.0.0.2 (s2 port 2, s1 port 1)
#      with IGMPv2 reports; shows the controller's log and both switches' group flows;
#   4. the server sends one datagram to each group: shows which host ports it came out of;
#   5. s2's host 3 leaves 225.0.0.1 and host 2 leaves 225.0.0.2; after the last member query
#      time, the flows and the delivery again;
#   6. stops everything (by PID) and removes the directory.
#
#   scripts/igmp-demo.sh
#
# Exits non-zero when the flows are not the ones the book's example ends up with. Frames are
# built with python3 (standard library only). Takes about 10 s once the controller is built.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
start=$SECONDS
section() { printf '\n=== %s (%d s)\n' "$*" $((SECONDS - start)); }

section "build the controller"
cargo build -q -p examples --bin controller
controller=${CARGO_TARGET_DIR:-$repo/target}/debug/controller
scripts/ovs.sh install

export OVS_DIR
OVS_DIR=$(mktemp -d /tmp/igmp-demo.XXXXXX)
ctl_pid=
cleanup() {
  local rc=$?
  if [ -n "$ctl_pid" ]; then
    kill "$ctl_pid" 2>/dev/null || true
    wait "$ctl_pid" 2>/dev/null || true
  fi
  scripts/ovs.sh stop || true
  rm -rf "$OVS_DIR"
  exit "$rc"
}
trap cleanup EXIT
ovs() { scripts/ovs.sh "$@"; }
wait_for() { # wait_for WHAT COMMAND...: up to 10 s
  local what=$1
  shift
  for _ in $(seq 200); do "$@" && return 0; sleep 0.05; done
  echo "timed out waiting for $what" >&2
  cat "$OVS_DIR/controller.log" >&2
  exit 1
}

# frame KIND SWITCH PORT GROUP: the hex of an IGMPv2 report/leave from the host behind
# SWITCH's PORT (MAC 00:00:00:00:0S:0P, IP 10.0.S.P), or of a UDP datagram from the server.
frame() {
  python3 - "$@" <<'EOF'
import socket, struct, sys
kind, sw, port, group = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF
src = "10.0.%d.%d" % (sw, port)
if kind == "data":
    dst, proto, ttl, opts = group, 17, 8, b""
    payload = struct.pack("!HHHH", 5000, 5001, 8 + 9, 0) + b"multicast"
else:
    dst = group if kind == "report" else "224.0.0.2"
    proto, ttl, opts = 2, 1, b"\x94\x04\x00\x00"
    igmp = struct.pack("!BBH4s", 0x16 if kind == "report" else 0x17, 0, 0, socket.inet_aton(group))
    payload = igmp[:2] + struct.pack("!H", csum(igmp)) + igmp[4:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45 + len(opts) // 4, 0xC0 if proto == 2 else 0,
                 20 + len(opts) + len(payload), 0, 0, ttl, proto, 0,
                 socket.inet_aton(src), socket.inet_aton(dst)) + opts
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
d = socket.inet_aton(dst)
mac = bytes([1, 0, 0x5E, d[1] & 0x7F, d[2], d[3]])
print((mac + bytes([0, 0, 0, 0, sw, port]) + b"\x08\x00" + ip + payload).hex())
EOF
}

section "start Open vSwitch (userspace, in $OVS_DIR) and the controller"
ovs start
"$controller" --listen 127.0.0.1:0 --app simple_switch_igmp_13 \
  >/dev/null 2>"$OVS_DIR/controller.log" &
ctl_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$OVS_DIR/controller.log" && break
  kill -0 "$ctl_pid" 2>/dev/null || { cat "$OVS_DIR/controller.log" >&2; exit 1; }
  sleep 0.05
done
addr=$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$OVS_DIR/controller.log")
ovs add-bridge s1 1 4
ovs add-bridge s2 2 4
ovs vsctl set interface s1-p4 "options:pstream=punix:$OVS_DIR/link.sock"
ovs vsctl set interface s2-p4 "options:stream=unix:$OVS_DIR/link.sock"
for p in s1-p1 s1-p3 s2-p1 s2-p2 s2-p3; do ovs tx_pcap "$p" "$OVS_DIR/$p.pcap"; done
echo "s1 (querier, server on port 2) and s2 (snooper), linked port 4 <-> port 4; controller on $addr"
# The snooper first, so that it hears the querier's first query.
ovs set-controller s2 "tcp:$addr"
wait_for "s2's IGMP flow" sh -c 'scripts/ovs.sh ofctl dump-flows s2 | grep -q "priority=65535,ip,nw_proto=2"'
ovs set-controller s1 "tcp:$addr"
wait_for "s2 to hear the querier" grep -q "dpid 0000000000000002.*IGMP querier" "$OVS_DIR/controller.log"
grep -E "querier" "$OVS_DIR/controller.log" | sed 's/^/  /'

group_flows() { ovs ofctl dump-flows "$1" | grep 'priority=65535' | grep nw_dst | sed 's/.*priority=65535,//'; }
udp_to() { # udp_to GROUP PCAP...: how many UDP datagrams to GROUP each capture holds
  python3 - "$@" <<'EOF'
import socket, struct, sys
group, counts = socket.inet_aton(sys.argv[1]), []
for path in sys.argv[2:]:
    try:
        b = open(path, "rb").read()
    except OSError:
        b = b""
    n, at = 0, 24
    while at + 16 <= len(b):
        (length,) = struct.unpack("<I", b[at + 8:at + 12])
        f = b[at + 16:at + 16 + length]
        if f[12:14] == b"\x08\x00" and len(f) >= 34 and f[23] == 17 and f[30:34] == group:
            n += 1
        at += 16 + length
    counts.append(str(n))
print(" ".join(counts))
EOF
}
hosts=(s1-p1 s1-p3 s2-p1 s2-p2 s2-p3)
delivered() { # delivered GROUP: the host ports a datagram from the server reached
  local files=() i out=""
  for i in "${hosts[@]}"; do files+=("$OVS_DIR/$i.pcap"); done
  read -r -a before <<<"$(udp_to "$1" "${files[@]}")"
  ovs inject s1-p2 "$(frame data 1 2 "$1")"
  sleep 0.3
  read -r -a after <<<"$(udp_to "$1" "${files[@]}")"
  for i in "${!hosts[@]}"; do
    [ "${after[$i]}" -gt "${before[$i]}" ] && out+=" ${hosts[$i]}"
  done
  echo "  datagram to $1 came out of:${out:- nowhere}"
}

section "joins: 225.0.0.1 by s2 ports 1, 3 and s1 port 3; 225.0.0.2 by s2 port 2 and s1 port 1"
for j in "2 1 225.0.0.1" "2 3 225.0.0.1" "2 2 225.0.0.2" "1 3 225.0.0.1" "1 1 225.0.0.2"; do
  read -r sw p g <<<"$j"
  ovs inject "s$sw-p$p" "$(frame report "$sw" "$p" "$g")"
  sleep 0.05
done
wait_for "s2's flows" sh -c 'scripts/ovs.sh ofctl dump-flows s2 | grep -q "nw_dst=225.0.0.1 actions=output:1,output:3"'
wait_for "s1's flows" sh -c 'scripts/ovs.sh ofctl dump-flows s1 | grep -q "nw_dst=225.0.0.2 actions=output:1,output:4"'
grep "Multicast Group" "$OVS_DIR/controller.log" | sed 's/^/  /'
echo "s1:"; group_flows s1 | sed 's/^/  /'
echo "s2:"; group_flows s2 | sed 's/^/  /'
delivered 225.0.0.1
delivered 225.0.0.2

section "leaves: s2 port 3 leaves 225.0.0.1, s2 port 2 leaves 225.0.0.2 (its last member on s2)"
lines=$(wc -l <"$OVS_DIR/controller.log")
ovs inject s2-p3 "$(frame leave 2 3 225.0.0.1)"
ovs inject s2-p2 "$(frame leave 2 2 225.0.0.2)"
wait_for "s2's flows" sh -c '[ "$(scripts/ovs.sh ofctl dump-flows s2 | grep -c nw_dst)" = 1 ]'
wait_for "s1's flows" sh -c 'scripts/ovs.sh ofctl dump-flows s1 | grep -q "nw_dst=225.0.0.2 actions=output:1$"'
tail -n +$((lines + 1)) "$OVS_DIR/controller.log" | grep "Multicast Group" | sed 's/^/  /'
s1=$(group_flows s1)
s2=$(group_flows s2)
echo "s1:"; sed 's/^/  /' <<<"$s1"
echo "s2:"; sed 's/^/  /' <<<"$s2"
delivered 225.0.0.1
delivered 225.0.0.2

ok=1
for want in "in_port=2,nw_dst=225.0.0.1 actions=output:3,output:4" \
  "in_port=2,nw_dst=225.0.0.2 actions=output:1"; do
  grep -qF "$want" <<<"$s1" || { echo "MISSING on s1: $want" >&2; ok=0; }
done
grep -qF "in_port=4,nw_dst=225.0.0.1 actions=output:1" <<<"$s2" || { echo "MISSING on s2" >&2; ok=0; }
section "stop everything"
[ "$ok" = 1 ] && echo "demo OK: members joined and left, the group flows followed"
[ "$ok" = 1 ]
