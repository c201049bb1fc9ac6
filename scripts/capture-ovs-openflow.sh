#!/usr/bin/env bash
# Captures the OpenFlow 1.3 messages a real Open vSwitch sends to its controller and stores them,
# one message per file, as openflow/testdata/ovs-*.bin (what openflow/tests/ovs_fixtures.rs
# reads): HELLO, FEATURES_REPLY, DESC and PORT_DESC replies, BARRIER_REPLY, a PACKET_IN,
# FLOW_STATS and PORT_STATS replies, the ERRORs it sends for bad requests, ECHO_REPLY and
# ECHO_REQUEST. Then it runs scripts/capture-ovs-table-features.sh for the large TABLE_FEATURES
# reply (skip that with --no-table-features).
#
# It runs a private userspace OVS (dummy datapath: no kernel module, no change to the host's
# network, nothing outside a temporary directory) with a bridge br0 (datapath id 1) and dummy
# ports p1..p3 (OpenFlow ports 1..3), and scripts/ovs_capture_controller.py (python3 stdlib) as
# its controller on 127.0.0.1; see that file for the exact requests and injected frames.
#
#   scripts/capture-ovs-openflow.sh [--no-table-features]
#
# Needs openvswitch-switch (ovsdb-server, ovs-vswitchd, ovs-vsctl, ovs-appctl) and python3.
# Takes about 10 s (it waits for one of OVS's 5-second echo probes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/openflow/testdata"
table_features=1
case "${1:-}" in
  --no-table-features) table_features=0 ;;
  "") ;;
  *) echo "usage: $0 [--no-table-features]" >&2; exit 2 ;;
esac
for tool in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found (install openvswitch-switch)" >&2; exit 1; }
done

dir=$(mktemp -d)
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
stop() {
  local pid
  for p in ovs-vswitchd ovsdb-server; do
    if [ -f "$dir/$p.pid" ]; then
      pid=$(cat "$dir/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  rm -rf "$dir"
}
trap stop EXIT

ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" \
  --log-file="$dir/ovsdb-server.log" --remote=punix:"$dir/db.sock" "$dir/conf.db"
ovs-vsctl --no-wait init
ovs-vswitchd --enable-dummy --disable-system --disable-system-route --detach --no-chdir \
  --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" unix:"$dir/db.sock"
# The LOCAL port's address is random unless set. Dummy ports take aa:55:aa:55:00:NN in the order
# OVS creates them, so each is added by its own command (each waits for ovs-vswitchd): p1 gets
# aa:55:aa:55:00:02, p2 ...:03, p3 ...:04 (br0's own dummy-internal device took ...:01; in one
# transaction the order would follow a hash).
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dummy fail-mode=secure \
  protocols=OpenFlow13 other-config:datapath-id=0000000000000001 \
  other-config:hwaddr=02:00:00:00:00:fe other-config:disable-in-band=true
for n in 1 2 3; do
  ovs-vsctl add-port br0 p$n -- set interface p$n type=dummy ofport_request=$n
done
ovs_version=$(ovs-vswitchd --version | sed -n 's/.* \([0-9][0-9.]*\)$/\1/p' | head -n1)

mkdir -p "$out"
if ! python3 "$root/scripts/ovs_capture_controller.py" "$out"; then
  echo "capture failed; ovs-vswitchd's log:" >&2
  tail -n 40 "$dir/ovs-vswitchd.log" >&2
  exit 1
fi
echo "OVS $ovs_version: messages written to $out/ovs-*.bin"
# OVS logs the unknown action and the unknown multipart type we sent; anything else is news.
if grep -E '\|(WARN|ERR|EMER)\|' "$dir/ovs-vswitchd.log" \
  | grep -v 'unknown OpenFlow13 action for vendor 0 and type 48\|bad action at offset 0 (OFPBAC_BAD_TYPE)\|unknown OpenFlow message (version 4, type 18, stat 170)' >&2; then
  echo "(unexpected warnings above, from ovs-vswitchd's log)" >&2
fi

if [ "$table_features" = 1 ]; then
  "$root/scripts/capture-ovs-table-features.sh"
fi
