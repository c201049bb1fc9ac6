#!/usr/bin/env bash
# Re-captures capture/testdata/ovs-session.pcapng: a real session between Open vSwitch and
# ovs-ofctl (OpenFlow 1.3 over TCP on 127.0.0.1:16633) and the sFlow Open vSwitch sends at the
# same time (UDP to 127.0.0.1:16343), recorded by tshark on the loopback interface as pcapng.
# Ports off the standard ones, so that nothing else on the machine lands in the capture; the
# decoder reads them with --of-port 16633 --sflow-port 16343.
#
# Needs root, Open vSwitch 3.1 (userspace: ovsdb-server, ovs-vswitchd on the dummy datapath,
# every file in a private folder, no kernel module) and tshark. Touches nothing else.
set -euo pipefail
out=${1:-$(cd "$(dirname "$0")/.." && pwd)/capture/testdata/ovs-session.pcapng}
dir=$(mktemp -d /tmp/ovscap.XXXXXX)
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
cap=
cleanup() {
  [ -n "$cap" ] && kill "$cap" 2>/dev/null || true
  for d in ovs-vswitchd ovsdb-server; do
    [ -f "$dir/$d.pid" ] && kill "$(cat "$dir/$d.pid")" 2>/dev/null || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT

ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" \
  --log-file="$dir/ovsdb-server.log" --remote=punix:"$dir/db.sock" "$dir/conf.db"
ovs-vsctl --no-wait init
ovs-vswitchd --enable-dummy --disable-system --disable-system-route --detach --no-chdir \
  --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" unix:"$dir/db.sock"
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dummy fail-mode=secure protocols=OpenFlow13 \
  other-config:datapath-id=0000000000000001 other-config:disable-in-band=true \
  -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 options:ifindex=101 \
  -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 options:ifindex=102

tshark -i lo -f "tcp port 16633 or udp port 16343" -w "$dir/cap.pcapng" -q 2>/dev/null &
cap=$!
sleep 2

# Open vSwitch listens for OpenFlow on 16633; ovs-ofctl connects to it, one connection per
# command.
ovs-vsctl set-controller br0 ptcp:16633:127.0.0.1
ovs-vsctl -- --id=@s create sflow agent=127.0.0.1 target='"127.0.0.1:16343"' \
  sampling=1 polling=1 header=128 -- set bridge br0 sflow=@s
sleep 1
of() { ovs-ofctl -O OpenFlow13 --no-names "$@"; }
t=tcp:127.0.0.1:16633
of show "$t" >/dev/null
of add-flow "$t" "priority=0,actions=CONTROLLER:65535"
of add-flow "$t" "priority=1,in_port=1,dl_dst=00:00:00:00:00:02,actions=output:2"
of add-flow "$t" "priority=100,ip,in_port=2,nw_dst=10.0.0.1,actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:1"
# A flow Open vSwitch refuses (a table it does not have): an OFPT_ERROR comes back.
of add-flow "$t" "table=254,priority=1,actions=drop" 2>/dev/null || true
# A ping from p1 to p2, so that the flows count packets and sFlow samples them.
ovs-appctl netdev-dummy/receive p1 \
  'in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)'
sleep 2
of dump-flows "$t" >/dev/null
of dump-ports "$t" >/dev/null
of dump-ports-desc "$t" >/dev/null
of dump-tables "$t" >/dev/null
of del-flows "$t" "priority=1,in_port=1" --strict
sleep 1
kill "$cap"; wait "$cap" 2>/dev/null || true
cap=
mkdir -p "$(dirname "$out")"
cp "$dir/cap.pcapng" "$out"
echo "$out: $(stat -c %s "$out") bytes, $(tshark -r "$out" 2>/dev/null | wc -l) frames"
