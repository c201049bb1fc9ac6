#!/usr/bin/env bash
# Runs every test of the workspace, on a fresh machine too: installs the real peers that the
# differential tests compare against (tshark, Open vSwitch, scapy and os-ken in ./.venv), then
# runs the whole test suite. Without root, peers that are missing make their tests skip loudly
# (or fail, under CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  scripts/install-peers.sh
else
  echo "not root: skipping scripts/install-peers.sh; tests needing missing peers will skip" >&2
fi
cargo test --workspace --all-features "$@"
