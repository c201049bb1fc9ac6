#!/usr/bin/env bash
# Fuzz smoke test: builds every cargo-fuzz target under fuzz/ once, then runs each for SECONDS
# (default 20) on the stable toolchain without a sanitizer (`-s none`), seeded from the real
# captured frames in packet/testdata/*.bin.
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
  if cargo fuzz run -s none "$t" "fuzz/corpus/$t" fuzz/seeds -- \
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
