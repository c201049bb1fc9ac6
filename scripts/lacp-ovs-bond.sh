#!/usr/bin/env bash
# An Open vSwitch LACP bond as a partner for our `lacp` crate (or for another OVS bond), in the
# private userspace OVS of scripts/ovs.sh (same $OVS_DIR; start it first). Each member is a dummy
# port whose other end is a unix socket carrying Ethernet frames as a 2-byte big-endian length
# followed by the frame, both directions.
#
#   OVS_DIR=/tmp/my-ovs scripts/lacp-ovs-bond.sh COMMAND [ARGS]
#
# Commands:
#   add BR BOND RATE SYSMAC MEMBER=SPEC...
#                     bridge BR (dummy datapath, no controller, fail-mode standalone, its
#                     hwaddr and so the bond's LACP system id = SYSMAC) with bond BOND,
#                     lacp=active, other_config:lacp-time=RATE (fast|slow), over one dummy port
#                     per MEMBER=SPEC; SPEC is punix:PATH (OVS listens on PATH; connect to it)
#                     or unix:PATH (OVS connects to PATH, e.g. another bond's punix member).
#                     Member port numbers (ofport_request) follow the order given, from 1.
#                     LACP_MODE=passive in the environment makes the bond lacp=passive.
#   add-port BR PORT N [SPEC]
#                     a plain dummy port PORT (ofport N) on BR, optionally over SPEC as above
#   show [BOND]       ovs-appctl lacp/show
#   stats [BOND]      ovs-appctl lacp/show-stats
#   cut MEMBER        point MEMBER's stream at a path nobody listens on: OVS drops the
#                     connection (punix: its listener moves, the connected peer sees EOF;
#                     unix: it stops connecting), so LACPDUs stop in both directions while
#                     OVS's bond keeps the member configured
#   attach MEMBER SPEC    give MEMBER a stream again (punix:PATH or unix:PATH)
#   conn-state        ovs-appctl netdev-dummy/conn-state (connected / disconnected per port)
#
# Facts seen with OVS 3.1 (ORACLES.md "LACP partner"): a member expires 3 of the partner's
# periods after its last LACPDU (3 s at fast rate), is defaulted and detached 3 periods later;
# `netdev-dummy/set-admin-state MEMBER down` sets link_state down but LACPDUs keep flowing on the
# stream and the member stays "current attached": use `cut` to stop a member.
# A passive bond with a passive partner sends nothing (members "defaulted detached", its actor
# state "timeout aggregation collecting distributing defaulted"); it answers an active one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ovs() { "$here/ovs.sh" "$@"; }

die() { echo "lacp-ovs-bond.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

stream_option() {
  case "$1" in
    punix:*) echo "options:pstream=$1" ;;
    unix:*) echo "options:stream=$1" ;;
    *) die "stream spec must be punix:PATH or unix:PATH, not $1" ;;
  esac
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case "$cmd" in
  add)
    [ $# -ge 5 ] || usage
    br=$1 bond=$2 rate=$3 mac=$4
    shift 4
    case "$rate" in fast | slow) ;; *) die "RATE is fast or slow, not $rate" ;; esac
    lacp=${LACP_MODE:-active}
    case "$lacp" in active | passive) ;; *) die "LACP_MODE is active or passive, not $lacp" ;; esac
    [[ $mac =~ ^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$ ]] || die "SYSMAC: not a MAC address: $mac"
    members=() sets=()
    n=0
    for m in "$@"; do
      name=${m%%=*} spec=${m#*=}
      [ "$name" != "$m" ] || die "member: NAME=SPEC, not $m"
      n=$((n + 1))
      members+=("$name")
      sets+=(-- set interface "$name" type=dummy ofport_request="$n" "$(stream_option "$spec")")
    done
    ovs vsctl add-br "$br" -- set bridge "$br" datapath_type=dummy fail-mode=standalone \
      other-config:hwaddr="$mac" other-config:disable-in-band=true \
      -- add-bond "$br" "$bond" "${members[@]}" lacp="$lacp" other_config:lacp-time="$rate" \
      "${sets[@]}"
    ;;
  add-port)
    [ $# -ge 3 ] && [ $# -le 4 ] || usage
    extra=()
    [ $# = 4 ] && extra=("$(stream_option "$4")")
    ovs vsctl add-port "$1" "$2" -- set interface "$2" type=dummy ofport_request="$3" "${extra[@]}"
    ;;
  show) ovs appctl lacp/show "$@" ;;
  stats) ovs appctl lacp/show-stats "$@" ;;
  cut)
    [ $# = 1 ] || usage
    dir=${OVS_DIR:-/tmp/netproto-ovs}
    cur=$(ovs vsctl get interface "$1" options)
    if [[ $cur == *pstream=* ]]; then
      ovs vsctl set interface "$1" options:pstream="punix:$dir/$1.cut.sock"
    else
      ovs vsctl set interface "$1" options:stream="unix:$dir/$1.cut.sock"
    fi
    ;;
  attach)
    [ $# = 2 ] || usage
    ovs vsctl remove interface "$1" options pstream -- remove interface "$1" options stream \
      -- set interface "$1" "$(stream_option "$2")"
    ;;
  conn-state) ovs appctl netdev-dummy/conn-state ;;
  -h | --help | help) usage ;;
  *) echo "lacp-ovs-bond.sh: unknown command $cmd" >&2; usage ;;
esac
