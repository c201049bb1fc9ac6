#!/usr/bin/env bash
# Runs every test of the workspace, on a fresh machine too: installs the real peers that the
# differential tests compare against (tshark, Open vSwitch, scapy and os-ken in ./.venv), then
# runs the whole test suite. Without root, peers that are missing make their tests skip loudly
# (or fail, under CI=true). Every skip is recorded (sdnwire-testkit) in
# $CARGO_TARGET_DIR/testkit-skips.txt, and the end of the run lists them, by peer.
# PEERS_SKIP_INSTALL=1 runs with the peers the machine has (no install step). Arguments go to
# cargo test (scripts/test.sh --test tshark).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
skips=$target/testkit-skips.txt
mkdir -p "$target"
: > "$skips"

summary() {
  local status=$?
  echo
  if [ -s "$skips" ]; then
    echo "=== skipped tests ($(wc -l < "$skips"), a missing peer each; scripts/install-peers.sh installs them):"
    # test <TAB> peer <TAB> why  ->  grouped by peer
    sort -t $'\t' -k2,2 -k1,1 "$skips" | awk -F '\t' '
      $2 != peer { peer = $2; printf "  %s:\n", peer }
      { printf "    %s (%s)\n", $1, $3 }'
  else
    echo "=== skipped tests: none (no test recorded a missing peer)"
  fi
  exit "$status"
}
trap summary EXIT

if [ "${PEERS_SKIP_INSTALL:-0}" = 1 ]; then
  echo "PEERS_SKIP_INSTALL=1: running with the peers this machine has" >&2
elif [ "$(id -u)" = 0 ]; then
  scripts/install-peers.sh
else
  echo "not root: skipping scripts/install-peers.sh; tests needing missing peers will skip" >&2
fi
cargo test --workspace --all-features "$@"
