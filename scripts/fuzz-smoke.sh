#!/usr/bin/env bash
# Fuzz smoke test: builds every cargo-fuzz target under fuzz/ once, then runs each for SECONDS
# (default 20) on the stable toolchain without a sanitizer (`-s none`), seeded from the real
# captured frames in packet/testdata/*.bin (the openflow_* targets: from OpenFlow messages, below).
#
#   scripts/fuzz-smoke.sh [SECONDS] [TARGET...]
#
# Seeds are written to fuzz/seeds/ at run time (not committed): each captured frame, and its
# tails from the offsets where layers start in those frames (14, 18, 22: after Ethernet/VLAN;
# 26 and 22: IPv4/IPv6 addresses followed by the upper layer, which is the input layout of the
# view_udp, view_tcp and view_icmpv6 targets; 34, 38, 54, 58: upper layers), so that the
# per-view targets start from real headers too. With the project's venv present
# (scripts/install-peers.sh), a few hundred frames from scripts/gen_frames.py are added, which
# brings LACP, marker and LLDP seeds. The corpora grow in fuzz/corpus/TARGET (not committed).
#
# The sflow_* targets and `connection` are seeded from committed folders instead
# (fuzz/regressions/TARGET, and sflow/testdata for sflow_datagram): see seeds_for below.
#
# A crash does not stop the run: every target runs, then the crashing ones are listed with the
# input in hex (fuzz/artifacts/TARGET/) and the script exits 1.
set -euo pipefail
secs=${1:-20}
shift || true
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
command -v cargo-fuzz >/dev/null 2>&1 || cargo fuzz --version >/dev/null 2>&1 || {
  echo "fuzz-smoke: cargo-fuzz is missing (scripts/install-peers.sh installs it)" >&2
  exit 1
}

# --- seeds ---------------------------------------------------------------------------------
rm -rf fuzz/seeds
mkdir -p fuzz/seeds
for f in packet/testdata/*.bin; do
  name=$(basename "$f" .bin)
  cp "$f" "fuzz/seeds/$name"
  size=$(stat -c %s "$f")
  for off in 14 18 22 26 34 38 54 58; do
    if [ "$size" -gt "$off" ]; then
      tail -c +$((off + 1)) "$f" > "fuzz/seeds/$name.at$off"
    fi
  done
done
if [ -x .venv/bin/python ] && .venv/bin/python -c "import scapy" 2>/dev/null; then
  tmp=$(mktemp -d)
  .venv/bin/python scripts/gen_frames.py "$tmp/g.pcap" 300 7
  .venv/bin/python - "$tmp/g.pcap" fuzz/seeds <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
at, i = 24, 0
while at + 16 <= len(data):
    n = struct.unpack_from("<I", data, at + 8)[0]
    frame = data[at + 16:at + 16 + n]
    at += 16 + n
    i += 1
    open(f"{sys.argv[2]}/gen{i:03d}", "wb").write(frame)
    # the slow-protocol / LLDP PDU on its own, for view_lacp, view_marker and view_lldp
    et = frame[12:14]
    if et in (b"\x88\x09", b"\x88\xcc"):
        open(f"{sys.argv[2]}/gen{i:03d}.pdu", "wb").write(frame[14:])
PY
  rm -rf "$tmp"
fi
echo "fuzz-smoke: $(ls fuzz/seeds | wc -l) seeds" >&2

# --- seeds for the openflow_* targets ------------------------------------------------------
# Whole OpenFlow 1.3 messages: the OVS captures in openflow/testdata/*.bin and, when the
# project's venv has os-ken (scripts/install-peers.sh), its of13 corpus, copied here at run time
# (never committed). They go to fuzz/target/seeds-openflow/ (ignored), one folder per input
# shape, so that the packet targets do not get them and these targets get nothing else:
#   messages/       whole messages (openflow_message, openflow_multipart)
#   framer/         [chunk seed, max-length selector] + streams of messages (openflow_framer)
#   match_actions/  [selector] + the match, instruction list or action list of each FLOW_MOD,
#                   PACKET_IN and flow-stats entry (openflow_match_actions)
of_seeds=fuzz/target/seeds-openflow
rm -rf "$of_seeds"
mkdir -p "$of_seeds/messages"
for f in openflow/testdata/*.bin; do
  cp "$f" "$of_seeds/messages/ovs-$(basename "$f" .bin)"
done
# Whatever python version the venv was made with (sdnwire-testkit's os-ken locator does the same).
osken_of13=$(compgen -G ".venv/lib/python3*/site-packages/os_ken/tests/packet_data/of13" | sort | tail -n 1 || true)
osken_of13=${osken_of13:-.venv/lib/python3*/site-packages/os_ken/tests/packet_data/of13}
if compgen -G "$osken_of13/*.packet" >/dev/null; then
  for f in "$osken_of13"/*.packet; do
    cp "$f" "$of_seeds/messages/osken-$(basename "$f" .packet)"
  done
else
  echo "fuzz-smoke: os-ken's of13 corpus is not installed ($osken_of13): openflow seeds from openflow/testdata only" >&2
fi
python3 - "$of_seeds" <<'PY'
import os, struct, sys
root = sys.argv[1]
os.makedirs(f"{root}/framer"); os.makedirs(f"{root}/match_actions")
msgs = {n: open(f"{root}/messages/{n}", "rb").read() for n in sorted(os.listdir(f"{root}/messages"))}
def put(kind, name, data):
    open(f"{root}/{kind}/{name}", "wb").write(data)
# framer: each message alone (chunk seeds vary), all of them in one stream, and that stream
# with a small maximum length and with a broken length field in the middle.
stream = b"".join(msgs.values())
for i, (n, m) in enumerate(msgs.items()):
    put("framer", n, bytes([i % 256, 0]) + m)
for seed in (0, 1, 7, 63, 200):
    put("framer", f"all.{seed}", bytes([seed, 0]) + stream)
put("framer", "all.max64", bytes([5, 8]) + stream)
half = sum(len(m) for m in list(msgs.values())[: len(msgs) // 2])
broken = bytearray(stream); broken[half + 2:half + 4] = b"\x00\x04"
put("framer", "broken", bytes([9, 0]) + bytes(broken))
# match_actions: selector 0 = match, 1 = action list, 2 = instruction list.
def match_end(b, at):
    if at + 4 > len(b): return None
    n = struct.unpack_from(">H", b, at + 2)[0]
    return at + (n + 7) // 8 * 8
def insts(name, b):
    put("match_actions", f"{name}.insts", b"\x02" + b)
    at = 0
    while at + 8 <= len(b):
        t, n = struct.unpack_from(">HH", b, at)
        if n < 8: break
        if t in (3, 4):
            put("match_actions", f"{name}.acts{at}", b"\x01" + b[at + 8:at + n])
        at += n
for n, m in msgs.items():
    if len(m) < 8 or m[0] != 4: continue
    t = m[1]
    if t == 14 and len(m) >= 52:           # FLOW_MOD: match at 48, instructions after it
        put("match_actions", f"{n}.match", b"\x00" + m[48:])
        e = match_end(m, 48)
        if e: insts(n, m[e:])
    elif t == 10 and len(m) >= 28:         # PACKET_IN: match at 24
        put("match_actions", f"{n}.match", b"\x00" + m[24:])
    elif t == 13 and len(m) >= 24:         # PACKET_OUT: actions_len at 16, actions at 24
        al = struct.unpack_from(">H", m, 16)[0]
        put("match_actions", f"{n}.acts", b"\x01" + m[24:24 + al])
    elif t == 19 and len(m) >= 16 and m[8:10] == b"\x00\x01":   # flow stats: entries at 16
        at = 16
        while at + 56 <= len(m):
            l = struct.unpack_from(">H", m, at)[0]
            if l < 56: break
            put("match_actions", f"{n}.e{at}.match", b"\x00" + m[at + 48:at + l])
            e = match_end(m, at + 48)
            if e and e <= at + l: insts(f"{n}.e{at}", m[e:at + l])
            at += l
PY
# ofctl/: the lines of openflow/testdata/ofctl_{flows,groups,meters,flow_mods}.tsv,
# one per file (ofctl_parse).
mkdir -p "$of_seeds/ofctl"
for t in flows groups meters flow_mods; do
  awk -F '\t' '!/^#/ { f = sprintf("%s/%s%04d", dir, t, NR); printf "%s", $2 > f; close(f) }' \
    dir="$of_seeds/ofctl" t="$t" "openflow/testdata/ofctl_$t.tsv"
done
echo "fuzz-smoke: openflow seeds: $(ls "$of_seeds/messages" | wc -l) messages, $(ls "$of_seeds/framer" | wc -l) streams, $(ls "$of_seeds/match_actions" | wc -l) matches and lists" >&2
# The seed folders of each target (one per line). The sflow_* targets start from the
# committed inputs of fuzz/regressions/TARGET (inputs that once broke the target, and for
# sflow_engine the Open vSwitch datagrams wrapped as engine steps) and, for sflow_datagram,
# the Open vSwitch datagrams of sflow/testdata.
seeds_for() {
  case "$1" in
    openflow_framer) echo "$of_seeds/framer" ;;
    openflow_match_actions) echo "$of_seeds/match_actions" ;;
    ofctl_parse) echo "$of_seeds/ofctl" ;;
    openflow_*) echo "$of_seeds/messages" ;;
    sflow_datagram) printf '%s\n' fuzz/regressions/sflow_datagram sflow/testdata ;;
    sflow_*) echo "fuzz/regressions/$1" ;;
    connection) echo fuzz/regressions/connection ;;
    capture_decode) echo capture/testdata ;;
    *)
      echo fuzz/seeds
      if [ -d "fuzz/regressions/$1" ]; then echo "fuzz/regressions/$1"; fi
      ;;
  esac
}

# --- build once, then run each target ----------------------------------------------------------
start=$SECONDS
cargo fuzz build -s none
echo "fuzz-smoke: built in $((SECONDS - start)) s" >&2
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi
failed=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  t0=$SECONDS
  echo "=== fuzz-smoke: $t for $secs s" >&2
  mapfile -t seed_dirs < <(seeds_for "$t")
  if cargo fuzz run -s none "$t" "fuzz/corpus/$t" "${seed_dirs[@]}" -- \
      -max_total_time="$secs" -use_value_profile=1 -print_final_stats=1 >"fuzz/$t.log" 2>&1; then
    echo "    ok: $(grep -E '^stat::number_of_executed_units' "fuzz/$t.log" | awk '{print $2}') execs, $(ls "fuzz/corpus/$t" | wc -l) corpus files, $((SECONDS - t0)) s" >&2
  else
    echo "    FAILED ($((SECONDS - t0)) s), log: fuzz/$t.log" >&2
    grep -E "panicked|ERROR|SUMMARY" "fuzz/$t.log" | head -5 >&2 || true
    failed+=("$t")
  fi
done
echo "fuzz-smoke: ${#targets[@]} targets in $((SECONDS - start)) s" >&2
if [ ${#failed[@]} -gt 0 ]; then
  for t in "${failed[@]}"; do
    for a in fuzz/artifacts/"$t"/*; do
      [ -f "$a" ] && echo "crash in $t: $a: $(od -An -tx1 -v "$a" | tr -d ' \n')" >&2
    done
  done
  exit 1
fi
