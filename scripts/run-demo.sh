#!/usr/bin/env bash
# The Ryu book's switching hub and traffic monitor, on our controller framework
# (sdnwire-controller's sdnwire-manager, as ryu-manager runs them), against a real Open vSwitch:
#
#   1. builds the manager; installs Open vSwitch if it is missing (apt, as root);
#   2. starts a private userspace OVS (scripts/ovs.sh: dummy datapath, every file in a temporary
#      directory, no kernel module, no change to the host's network) with bridge br0 (datapath
#      id 1) and hosts h1, h2, h3 on ports 1, 2, 3, and the manager running simple_switch_13
#      and simple_monitor_13;
#   3. h1 pings h2: the four frames of a real ping captured from Linux (ARP request, ARP reply,
#      echo request, echo reply: packet/testdata/ping_*.bin) arrive on the hosts' ports, each
#      once the previous one has come out of the switch;
#   4. waits for the monitor's next round and prints its flow and port tables, then what
#      ovs-ofctl reads from the switch (dump-flows, dump-ports);
#   5. stops everything (by PID) and removes the directory.
#
#   scripts/run-demo.sh [--monitor-interval SECONDS]     (default 2; the book's is 10)
#
# Exits non-zero when the switch does not end up with the flows the switching hub should have
# installed. Takes a few seconds once the controller is built.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
interval=2
case "${1:-}" in
  --monitor-interval) interval=${2:?--monitor-interval needs a value} ;;
  "") ;;
  *) echo "usage: $0 [--monitor-interval SECONDS]" >&2; exit 2 ;;
esac

start=$SECONDS
section() { printf '\n=== %s (%d s)\n' "$*" $((SECONDS - start)); }

section "build the manager"
cargo build -q -p sdnwire-controller --bin sdnwire-manager
controller=${CARGO_TARGET_DIR:-$repo/target}/debug/sdnwire-manager
scripts/ovs.sh install

export OVS_DIR
OVS_DIR=$(mktemp -d /tmp/run-demo.XXXXXX)
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

section "start Open vSwitch (userspace, in $OVS_DIR) and the controller"
ovs start
"$controller" --listen 127.0.0.1:0 --app simple_switch_13,simple_monitor_13 \
  --monitor-interval "$interval" >"$OVS_DIR/monitor.out" 2>"$OVS_DIR/controller.log" &
ctl_pid=$!
# The controller logs the port it got.
for _ in $(seq 100); do
  grep -q 'listening on' "$OVS_DIR/controller.log" && break
  kill -0 "$ctl_pid" 2>/dev/null || { cat "$OVS_DIR/controller.log" >&2; exit 1; }
  sleep 0.05
done
addr=$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$OVS_DIR/controller.log")
[ -n "$addr" ] || { echo "the controller did not start" >&2; cat "$OVS_DIR/controller.log" >&2; exit 1; }
echo "sdnwire-manager on $addr: simple_switch_13, simple_monitor_13 (every $interval s)"

ovs add-bridge br0 1 3 "tcp:$addr"
echo "bridge br0, datapath id 0000000000000001: h1 on port 1 (p1), h2 on port 2 (p2), h3 on port 3 (p3)"
wait_for() { # wait_for WHAT COMMAND...: up to 10 s
  local what=$1
  shift
  for _ in $(seq 200); do "$@" && return 0; sleep 0.05; done
  echo "timed out waiting for $what" >&2
  cat "$OVS_DIR/controller.log" >&2
  exit 1
}
wait_for "the table-miss flow" sh -c 'scripts/ovs.sh ofctl dump-flows br0 | grep -q "priority=0 actions=CONTROLLER:65535"'
sed 's/^/  /' "$OVS_DIR/controller.log"

section "h1 (00:00:00:00:00:01, 10.0.0.1) pings h2 (00:00:00:00:00:02, 10.0.0.2)"
tx_packets() { # tx_packets PORT: packets the switch sent out of PORT
  ovs ofctl dump-ports br0 "$1" | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p'
}
for step in "arp_request 1 2" "arp_reply 2 1" "echo_request 1 2" "echo_reply 2 1"; do
  read -r frame in out <<<"$step"
  before=$(tx_packets "$out")
  ovs inject "p$in" "packet/testdata/ping_$frame.bin"
  wait_for "the $frame on port $out" sh -c "[ \"\$(scripts/ovs.sh ofctl dump-ports br0 $out | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p')\" -gt $before ]"
  printf '%-13s in on port %s, out on port %s: %s\n' "$frame" "$in" "$out" \
    "$(cut -c1-110 "packet/testdata/ping_$frame.ryu.txt")..."
done
echo
grep 'packet in' "$OVS_DIR/controller.log" | sed 's/^/  /'

section "the traffic monitor (its next round after the ping)"
lines=$(wc -l <"$OVS_DIR/monitor.out")
# A round prints the flow table then the port table; wait for a whole round after the ping.
wait_for "the monitor" sh -c "tail -n +$((lines + 1)) '$OVS_DIR/monitor.out' | grep -q 'rx-pkts' && tail -n +$((lines + 1)) '$OVS_DIR/monitor.out' | grep -q 'in-port'"
sleep 0.2
tail -n +$((lines + 1)) "$OVS_DIR/monitor.out" | awk '
  /^datapath/ { n++ } n >= 1 && n <= 2 { print }'

section "ovs-ofctl -O OpenFlow13 dump-flows br0"
flows=$(ovs ofctl dump-flows br0)
echo "$flows"
section "ovs-ofctl -O OpenFlow13 dump-ports br0"
ovs ofctl dump-ports br0

ok=1
for want in "priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2" \
  "priority=1,in_port=2,dl_dst=00:00:00:00:00:01 actions=output:1" \
  "priority=0 actions=CONTROLLER:65535"; do
  grep -qF "$want" <<<"$flows" || { echo "MISSING: $want" >&2; ok=0; }
done
section "stop everything"
[ "$ok" = 1 ] && echo "demo OK: the switching hub learned h1 and h2 and installed their flows"
[ "$ok" = 1 ]
