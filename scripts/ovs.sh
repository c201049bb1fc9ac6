#!/usr/bin/env bash
# A private, userspace-only Open vSwitch for the examples and their tests: ovsdb-server and
# ovs-vswitchd run on OVS's dummy datapath with every file (database, sockets, pidfiles, logs) in
# one directory, $OVS_DIR. No kernel module, no change to the host's network, nothing outside
# that directory; stopped by the PIDs in its pidfiles.
#
#   OVS_DIR=/tmp/my-ovs scripts/ovs.sh COMMAND [ARGS]      (OVS_DIR defaults to /tmp/netproto-ovs)
#
# Commands:
#   install                      apt-get install openvswitch-switch if ovs-vswitchd is missing (root)
#   start                        create $OVS_DIR and its database, start both daemons (installs
#                                OVS first when missing and running as root)
#   stop                         stop both daemons (TERM, then KILL after 5 s) by their pidfiles
#   start-vswitchd               start ovs-vswitchd alone (after kill-vswitchd; ovsdb keeps the
#                                bridges, so it rebuilds them and reconnects to their controllers)
#   kill-vswitchd [SIGNAL]       send ovs-vswitchd SIGNAL (default KILL; STOP/CONT freeze/thaw it)
#   pid DAEMON                   print the PID of ovsdb-server or ovs-vswitchd
#   running DAEMON               exit status 0 when that daemon runs (a zombie does not)
#   add-bridge BR DPID NPORTS [TARGET]
#                                bridge BR on the dummy datapath, OpenFlow 1.3 only, fail-mode
#                                secure, datapath id DPID (hex, up to 16 digits), with dummy
#                                ports 1..NPORTS named p1..pN (on br0) or BR-p1..BR-pN (on other
#                                bridges); TARGET (tcp:127.0.0.1:6653, say) sets its controller
#   set-controller BR TARGET     point BR at a controller (reconnect backoff at most 1 s)
#   inject PORT FRAME            a frame arrives on PORT (netdev-dummy/receive); FRAME is hex or
#                                a file holding the raw frame
#   tx_pcap PORT FILE            write what PORT transmits from now on to FILE (pcap)
#   env                          print the exports that make ovs-vsctl/ovs-ofctl/ovs-appctl find
#                                the daemons: eval "$(scripts/ovs.sh env)"
#   ofctl ARGS...                ovs-ofctl -O OpenFlow13 --no-names ARGS (dump-flows br0, ...)
#   vsctl ARGS... | appctl ARGS...   ovs-vsctl (with a 10 s timeout) / ovs-appctl
#
# Needs openvswitch-switch (tested with 3.1). ORACLES.md-style facts: OVS never buffers packets
# on the dummy datapath; it probes its controller after 5 s of silence.
set -euo pipefail
dir=${OVS_DIR:-/tmp/netproto-ovs}
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
schema=/usr/share/openvswitch/vswitch.ovsschema

die() { echo "ovs.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

installed() { command -v ovs-vswitchd >/dev/null 2>&1 && [ -f "$schema" ]; }

install() {
  installed && return 0
  [ "$(id -u)" = 0 ] || die "Open vSwitch is not installed and we are not root: apt-get install openvswitch-switch"
  echo "ovs.sh: installing openvswitch-switch" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends openvswitch-switch openvswitch-common >&2
  # The package's service is not ours: we run our own daemons in $OVS_DIR.
}

pid_of() { cat "$dir/$1.pid" 2>/dev/null || true; }
# A process that has exited but not been reaped yet (a zombie: our daemons detach, so their
# parent is PID 1, which may reap late) counts as gone.
pid_alive() {
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "${st:0:1}" != Z ]
}
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && pid_alive "$p"; }

stop_daemon() {
  local p
  p=$(pid_of "$1")
  [ -n "$p" ] || return 0
  kill -CONT "$p" 2>/dev/null || true
  kill -TERM "$p" 2>/dev/null || { rm -f "$dir/$1.pid"; return 0; }
  for _ in $(seq 100); do pid_alive "$p" || break; sleep 0.05; done
  kill -KILL "$p" 2>/dev/null || true
  rm -f "$dir/$1.pid"
}

start_vswitchd() {
  alive ovs-vswitchd && die "ovs-vswitchd already runs in $dir (pid $(pid_of ovs-vswitchd))"
  ovs-vswitchd --enable-dummy --disable-system --disable-system-route --detach --no-chdir -vconsole:warn \
    --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" "unix:$dir/db.sock"
}

vsctl() { ovs-vsctl --timeout=10 "$@"; }

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case "$cmd" in
  install) install ;;
  start)
    install
    mkdir -p "$dir"
    alive ovsdb-server && die "ovsdb-server already runs in $dir (pid $(pid_of ovsdb-server))"
    rm -f "$dir/conf.db"
    ovsdb-tool create "$dir/conf.db" "$schema"
    ovsdb-server --detach --no-chdir -vconsole:warn --pidfile="$dir/ovsdb-server.pid" \
      --log-file="$dir/ovsdb-server.log" --remote="punix:$dir/db.sock" "$dir/conf.db"
    ovs-vsctl --no-wait init
    start_vswitchd
    echo "ovs.sh: Open vSwitch $(ovs-vswitchd --version | sed -n '1s/.* //p') in $dir" >&2
    ;;
  stop)
    stop_daemon ovs-vswitchd
    stop_daemon ovsdb-server
    ;;
  start-vswitchd) start_vswitchd ;;
  kill-vswitchd)
    p=$(pid_of ovs-vswitchd)
    [ -n "$p" ] || die "no ovs-vswitchd pidfile in $dir"
    kill "-${1:-KILL}" "$p"
    ;;
  pid)
    [ $# = 1 ] || usage
    p=$(pid_of "$1")
    [ -n "$p" ] || die "no $1 pidfile in $dir"
    echo "$p"
    ;;
  running)
    [ $# = 1 ] || usage
    alive "$1"
    ;;
  add-bridge)
    [ $# -ge 3 ] && [ $# -le 4 ] || usage
    br=$1 dpid=$2 n=$3
    [[ $dpid =~ ^[0-9a-fA-F]{1,16}$ ]] || die "datapath id: up to 16 hex digits, not $dpid"
    dpid=$(printf '%016s' "$dpid" | tr ' ' 0)
    if [ "$br" = br0 ]; then prefix=p; else prefix=$br-p; fi
    # The LOCAL port's address is random unless set: derive it from the datapath id.
    hw=02:00:${dpid:8:2}:${dpid:10:2}:${dpid:12:2}:${dpid:14:2}
    vsctl add-br "$br" -- set bridge "$br" datapath_type=dummy fail-mode=secure \
      protocols=OpenFlow13 other-config:datapath-id="$dpid" other-config:hwaddr="$hw" \
      other-config:disable-in-band=true
    # One command per port: dummy ports take their MAC (aa:55:aa:55:00:NN) in creation order.
    for i in $(seq 1 "$n"); do
      vsctl add-port "$br" "$prefix$i" -- set interface "$prefix$i" type=dummy ofport_request="$i"
    done
    if [ $# = 4 ]; then
      vsctl set-controller "$br" "$4" -- set controller "$br" max_backoff=1000
    fi
    ;;
  set-controller)
    [ $# = 2 ] || usage
    vsctl set-controller "$1" "$2" -- set controller "$1" max_backoff=1000
    ;;
  inject)
    [ $# = 2 ] || usage
    frame=$2
    if [ -f "$frame" ]; then
      frame=$(od -An -tx1 -v "$frame" | tr -d ' \n')
    fi
    [[ $frame =~ ^([0-9a-fA-F]{2})+$ ]] || die "inject: not hex and not a file: $2"
    ovs-appctl netdev-dummy/receive "$1" "$frame" >/dev/null
    ;;
  tx_pcap | tx-pcap)
    [ $# = 2 ] || usage
    file=$(realpath -m "$2")
    vsctl set interface "$1" options:tx_pcap="$file"
    ;;
  env)
    echo "export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir"
    ;;
  ofctl) ovs-ofctl -O OpenFlow13 --no-names "$@" ;;
  vsctl) vsctl "$@" ;;
  appctl) ovs-appctl "$@" ;;
  -h | --help | help) usage ;;
  *) echo "ovs.sh: unknown command $cmd" >&2; usage ;;
esac
