#!/usr/bin/env bash
# The Ryu book's "Link Aggregation" chapter (simple_switch_lacp_13 on lacplib) on our OpenFlow
# 1.3 controller, against a real Open vSwitch, with a real LACP partner: a second OVS bridge
# whose bond (lacp=active, fast rate, OVS's own LACP) has its two members wired by dummy-port
# unix streams to ports 1 and 2 of the controller's switch.
#
#   h1 -- q3 [br1: bond1 = q1 + q2]  q1 == p1  [br0: controller]  p3 -- h2
#                                    q2 == p2
#
#   1. builds the controller; starts a private userspace OVS (scripts/ovs.sh) and the
#      controller with --app simple_switch_lacp_13 --lacp-ports 1,2;
#   2. shows the negotiation: the controller's log, `ovs-appctl lacp/show bond1` (the
#      partner's view: current attached, partner system = br0's LOCAL MAC), and the LACP flows
#      in br0 (priority 65535, idle_timeout 3, send_flow_rem);
#   3. h1 pings h2 (the captured frames of packet/testdata/ping_*.bin): the learned flows;
#   4. cuts the bond's active member (scripts/lacp-ovs-bond.sh cut): after the 3 s timeout the
#      controller disables the port and deletes the learned flows, the bond fails over;
#   5. pings again: the flows now use the live port; puts the cable back: enabled again;
#   6. stops everything (by PID) and removes the directory.
#
#   scripts/lacp-demo.sh
#
# Exits non-zero when a step does not happen. Takes about 10 s once the controller is built.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ $# = 0 ] || { echo "usage: $0" >&2; exit 2; }

start=$SECONDS
section() { printf '\n=== %s (%d s)\n' "$*" $((SECONDS - start)); }

section "build the controller"
cargo build -q -p examples --bin controller
controller=${CARGO_TARGET_DIR:-$repo/target}/debug/controller
scripts/ovs.sh install

export OVS_DIR
OVS_DIR=$(mktemp -d /tmp/lacp-demo.XXXXXX)
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
bond() { scripts/lacp-ovs-bond.sh "$@"; }
log="$OVS_DIR/controller.log"
wait_for() { # wait_for WHAT SECONDS COMMAND...
  local what=$1 n=$(($2 * 20))
  shift 2
  for _ in $(seq "$n"); do "$@" && return 0; sleep 0.05; done
  echo "timed out waiting for $what" >&2
  cat "$log" >&2
  exit 1
}
lacp_log() { grep -E 'LACP|slave|PORT=' "$log" | sed 's/^\[dpid [0-9a-f]*\] simple_switch_lacp_13: /  /' || true; }

section "start Open vSwitch (userspace, in $OVS_DIR) and the controller"
ovs start
"$controller" --listen 127.0.0.1:0 --app simple_switch_lacp_13 --lacp-ports 1,2 2>"$log" &
ctl_pid=$!
wait_for "the controller" 5 grep -q 'listening on' "$log"
addr=$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log")
echo "controller on $addr: simple_switch_lacp_13, LACP group = ports 1, 2"

ovs add-bridge br0 1 3 "tcp:$addr"
for p in p1 p2; do ovs vsctl set interface "$p" options:pstream="punix:$OVS_DIR/$p.sock"; done
bond add br1 bond1 fast 02:00:00:00:0c:01 "q1=unix:$OVS_DIR/p1.sock" "q2=unix:$OVS_DIR/p2.sock"
bond add-port br1 q3 3
echo "br0 (datapath id 1, LOCAL 02:00:00:00:00:01): p1, p2 = the LACP group, p3 = h2"
echo "br1 (standalone, OVS's LACP): bond1 = q1 -> p1, q2 -> p2; q3 = h1"

section "LACP negotiation"
wait_for "both ports enabled" 10 sh -c "grep -q 'port: 1 enabled: true' '$log' && grep -q 'port: 2 enabled: true' '$log'"
negotiated() { [ "$(bond show bond1 | grep -c '^member: q[12]: current attached')" = 2 ]; }
wait_for "bond1 negotiated" 10 negotiated
lacp_log
echo
echo "--- ovs-appctl lacp/show bond1 (the partner's view)"
bond show bond1 | grep -E '^member|status|partner (sys_id|sys_priority|port_priority|key|state)'
echo "--- the LACP flows in br0"
ovs ofctl dump-flows br0 | grep 'priority=65535'

ping_h1_h2() {
  for step in "arp_request q3 p3" "arp_reply p3 q3" "echo_request q3 p3" "echo_reply p3 q3"; do
    read -r frame in out <<<"$step"
    ovs inject "$in" "packet/testdata/ping_$frame.bin"
    sleep 0.2
  done
}
active() { ovs appctl bond/show bond1 | sed -n 's/^active member mac: .*(\(.*\))$/\1/p'; }

section "h1 (behind the bond) pings h2"
ping_h1_h2
act=$(active)
cut_port=${act#q}
live_port=$((3 - cut_port))
echo "bond1's active member: $act (br0 port $cut_port)"
ovs ofctl dump-flows br0 | grep 'priority=1,' || { echo "no learned flows" >&2; exit 1; }

section "cut $act's cable: no more LACPDUs on br0 port $cut_port"
mark=$(wc -l <"$log")
bond cut "$act"
wait_for "port $cut_port disabled" 8 sh -c "tail -n +$((mark + 1)) '$log' | grep -q 'port: $cut_port enabled: false'"
echo "disabled $((SECONDS - start)) s into the demo; the controller says:"
tail -n +$((mark + 1)) "$log" | grep -E 'LACP|slave' | sed 's/^\[dpid [0-9a-f]*\] simple_switch_lacp_13: /  /'
wait_for "bond1 failover" 6 sh -c "scripts/ovs.sh appctl bond/show bond1 | grep -q 'active member mac: .*(q$live_port)'"
sleep 1
echo "--- dump-flows br0 (learned flows flushed; port $cut_port's LACP flow idled out)"
ovs ofctl dump-flows br0
echo "--- lacp/show bond1"
bond show bond1 | grep '^member'

section "h1 pings h2 again: over the live port $live_port"
ping_h1_h2
flows=$(ovs ofctl dump-flows br0)
echo "$flows" | grep 'priority=1,'
grep -q "in_port=3,dl_dst=00:00:00:00:00:01 actions=output:$live_port" <<<"$flows" ||
  { echo "MISSING: in_port=3,dl_dst=h1 -> output:$live_port" >&2; exit 1; }

section "the cable back"
mark=$(wc -l <"$log")
bond attach "$act" "unix:$OVS_DIR/p$cut_port.sock"
wait_for "port $cut_port enabled" 5 sh -c "tail -n +$((mark + 1)) '$log' | grep -q 'port: $cut_port enabled: true'"
wait_for "bond1 negotiated" 5 negotiated
tail -n +$((mark + 1)) "$log" | grep -E 'LACP|slave' | sed 's/^\[dpid [0-9a-f]*\] simple_switch_lacp_13: /  /'
bond show bond1 | grep '^member'

section "stop everything"
echo "demo OK: LACP negotiated with OVS's bond, port $cut_port disabled after its partner fell silent, traffic moved to port $live_port, and back"
