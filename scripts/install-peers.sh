#!/usr/bin/env bash
# Installs the real peers that the differential tests and the fuzz smoke run against, on a fresh
# Debian 12 machine, as root (CI runs it): tshark, Open vSwitch, iproute2, iputils-ping, ethtool,
# graphite-carbon and python3-whisper (carbon-cache, whisper-fetch), graphite-web (the render
# in scripts/sflow-demo.sh), chromium (the collector's
# page in a headless browser);
# a Python venv at <repo>/.venv with scapy and os-ken; cargo-fuzz.
#
# Idempotent: every step checks first and skips what is already there, so a second run takes
# well under a second. Set PEERS_SKIP_FUZZ=1 to leave cargo-fuzz out (it compiles for ~90 s).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=$repo/.venv
log() { echo "install-peers: $*" >&2; }

# --- Debian packages ------------------------------------------------------------------------
# command -> package that provides it
declare -A pkg_for=(
  [tshark]=tshark
  [ovs-vswitchd]=openvswitch-switch
  [ip]=iproute2
  [ping]=iputils-ping
  [ethtool]=ethtool
  [python3]=python3
  [carbon-cache]=graphite-carbon
  [whisper-fetch]=python3-whisper
  [graphite-manage]=graphite-web
  [chromium]=chromium
)
missing=()
for cmd in "${!pkg_for[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_for[$cmd]}")
done
# the venv module is a separate package on Debian
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
elif ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "not root: cannot apt-get install ${missing[*]}" && exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture: answer no, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# --- Python venv with scapy and os-ken -----------------------------------------------------
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import scapy, os_ken' >/dev/null 2>&1; then
  log "venv with scapy and os-ken present ($venv)"
else
  log "creating $venv with scapy and os-ken"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check scapy os-ken
fi

# --- cargo-fuzz ------------------------------------------------------------------------------
if [ "${PEERS_SKIP_FUZZ:-0}" = 1 ]; then
  log "PEERS_SKIP_FUZZ=1: not checking cargo-fuzz"
elif cargo fuzz --version >/dev/null 2>&1; then
  log "cargo-fuzz present"
else
  log "cargo install cargo-fuzz --locked (about 90 s)"
  cargo install -q cargo-fuzz --locked
fi
log "done"
