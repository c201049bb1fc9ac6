#!/usr/bin/env bash
# The collector's demonstration (collector/README.md), every peer real and private:
#
#   1. builds sflow-collector; installs Open vSwitch and Debian's graphite-carbon (carbon-cache,
#      whisper-fetch) with apt when they are missing and we are root;
#   2. starts a private userspace Open vSwitch (scripts/ovs.sh) with bridge br0, ports 1 and 2
#      (ifindex 101 and 102), every frame forwarded 1 -> 2, exporting sFlow with sampling 1 and
#      polling 1 to the collector;
#   3. starts carbon-cache on loopback with every file in a private folder (1 s retention);
#   4. starts the collector with collector/conf/flows.xml and collector/conf/metrics.xml,
#      pushing to that carbon every second;
#   5. injects two TCP flows on port 1 for 10 s, 20 frames every 100 ms (three of
#      10.0.0.1 -> 10.0.0.2 for each of 10.0.0.3 -> 10.0.0.4);
#   6. prints the REST API's answers, `ovs-ofctl dump-ports` over the same window, and the
#      values that landed in carbon's whisper files (whisper-fetch);
#   7. when Debian's graphite-web is installed, renders demo.pairs and demo.sum_ifinpkts with
#      it from those whisper files (scripts/graphite-render.py: JSON over whisper-fetch's
#      window, checked equal to it, and a PNG of the whole window, kept in
#      $SFLOW_DEMO_PNG, default /tmp/sflow-demo-graphite.png); says so loudly when it is not;
#   8. stops everything (by PID) and removes the folders, on any exit.
#
#   scripts/sflow-demo.sh
#
# Exits non-zero when the REST API or whisper does not have the flows and counters. Takes
# about 20 s once the collector is built.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
start=$SECONDS
section() { printf '\n=== %s (%d s)\n' "$*" $((SECONDS - start)); }
die() { echo "sflow-demo: $*" >&2; exit 1; }

section "build the collector"
cargo build -q -p sdnwire-collector --bin sflow-collector
collector=${CARGO_TARGET_DIR:-$repo/target}/debug/sflow-collector
scripts/ovs.sh install
if ! command -v carbon-cache >/dev/null || ! command -v whisper-fetch >/dev/null; then
  [ "$(id -u)" = 0 ] || die "graphite-carbon is not installed and we are not root: apt-get install graphite-carbon python3-whisper"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends graphite-carbon python3-whisper >&2
fi

work=$(mktemp -d /tmp/sflow-demo.XXXXXX)
export OVS_DIR=$work/ovs
mkdir -p "$OVS_DIR" "$work/carbon/whisper"
col_pid=
cleanup() {
  local rc=$?
  if [ -n "$col_pid" ]; then
    kill "$col_pid" 2>/dev/null || true
    wait "$col_pid" 2>/dev/null || true
  fi
  if [ -f "$work/carbon/carbon.pid" ]; then
    kill "$(cat "$work/carbon/carbon.pid")" 2>/dev/null || true
  fi
  scripts/ovs.sh stop || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
ovs() { scripts/ovs.sh "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # wait_for WHAT SECONDS COMMAND...
  local what=$1 secs=$2
  shift 2
  for _ in $(seq $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "timed out waiting for $what"
}

section "carbon-cache on loopback, in $work/carbon"
c=$work/carbon
carbon_port=$(free_port)
cat > "$c/carbon.conf" <<CONF
[cache]
STORAGE_DIR = $c/
LOCAL_DATA_DIR = $c/whisper/
WHITELISTS_DIR = $c/
CONF_DIR = $c/
LOG_DIR = $c/
PID_DIR = $c/
USER =
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $carbon_port
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $(free_port)
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $(free_port)
ENABLE_UDP_LISTENER = False
WHISPER_AUTOFLUSH = True
MAX_CREATES_PER_MINUTE = inf
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
CONF
printf '[all]\npattern = .*\nretentions = 1s:1h\n' > "$c/storage-schemas.conf"
carbon-cache --config="$c/carbon.conf" --pidfile="$c/carbon.pid" start > "$c/start.log" 2>&1 \
  || { cat "$c/start.log" >&2; die "carbon-cache did not start"; }
wait_for "carbon's line receiver" 60 python3 -c "import socket; socket.create_connection(('127.0.0.1', $carbon_port), 1)"
echo "carbon-cache: line receiver 127.0.0.1:$carbon_port, whisper files in $c/whisper"

section "the collector"
sflow_port=$(free_udp_port)
http=127.0.0.1:$(free_port)
"$collector" --listen "127.0.0.1:$sflow_port" --http "$http" \
  --flows collector/conf/flows.xml --metrics collector/conf/metrics.xml \
  --graphite "127.0.0.1:$carbon_port" --graphite-prefix demo --graphite-interval 1 \
  --log-level info 2> "$work/collector.log" &
col_pid=$!
wait_for "the REST API" 30 curl -sf "http://$http/version"
echo "sflow-collector: sFlow on 127.0.0.1:$sflow_port, REST API on http://$http"
curl -s "http://$http/flows/json"; echo

section "Open vSwitch exporting sFlow (sampling 1, polling 1)"
ovs start
ovs add-bridge br0 1 2
ovs ofctl add-flow br0 actions=output:2
ovs vsctl set interface p1 options:ifindex=101 -- set interface p2 options:ifindex=102
ovs vsctl -- --id=@s create sflow agent=127.0.0.1 target="\"127.0.0.1:$sflow_port\"" \
  sampling=1 polling=1 header=128 -- set bridge br0 sflow=@s > /dev/null
ovs vsctl list sflow | grep -E '^(agent|polling|sampling|targets)'

# frame SRC DST DPORT: the hex of an Ethernet/IPv4/TCP frame (60 bytes on the wire).
frame() {
  python3 - "$@" <<'PY'
import socket, struct, sys
src, dst, dport = sys.argv[1], sys.argv[2], int(sys.argv[3])
tcp = struct.pack("!HHIIBBHHH", 40000, dport, 1, 0, 0x50, 0x10, 0xFFFF, 0, 0)
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                 socket.inet_aton(src), socket.inet_aton(dst))
print((b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + tcp + b"\0" * 6).hex())
PY
}
a=$(frame 10.0.0.1 10.0.0.2 80)
b=$(frame 10.0.0.3 10.0.0.4 443)
batch=()
for _ in 1 2 3 4 5; do batch+=("$a" "$a" "$a" "$b"); done # 20 frames

section "inject 20 frames every 100 ms on port 1 for 10 s"
rx0=$(ovs ofctl dump-ports br0 1 | sed -n 's/.*rx pkts=\([0-9]*\).*/\1/p')
t0=$(date +%s.%N)
end=$((SECONDS + 10))
calls=0
while [ $SECONDS -lt $end ]; do
  ovs appctl netdev-dummy/receive p1 "${batch[@]}" > /dev/null
  calls=$((calls + 1))
  sleep 0.1
done
echo "REST API at the end of the window:"
for path in "/metric/ALL/pairs,tcp,sum:ifinpkts,sum:ifinoctets/json" \
            "/activeflows/ALL/pairs/json" "/agents/json"; do
  echo "GET $path"
  curl -s "http://$http$path"; echo
done
rx1=$(ovs ofctl dump-ports br0 1 | sed -n 's/.*rx pkts=\([0-9]*\).*/\1/p')
t1=$(date +%s.%N)
python3 - "$rx0" "$rx1" "$t0" "$t1" "$calls" <<'PY'
import sys
rx0, rx1, t0, t1, calls = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print("injected %d frames in %d calls; ovs-ofctl dump-ports port 1: rx %d -> %d, %.1f frames/s over %.1f s"
      % (20 * calls, calls, rx0, rx1, (rx1 - rx0) / (t1 - t0), t1 - t0))
PY

section "what carbon stored (whisper-fetch, the window's last 5 s)"
sleep 2
ok=1
for m in pairs tcp sum_ifinpkts sum_ifinoctets; do
  f=$c/whisper/demo/$m.wsp
  echo "demo.$m:"
  if [ -f "$f" ]; then
    whisper-fetch --from=$(( ${t1%.*} - 5 )) --until="${t1%.*}" "$f" | grep -v None | sed 's/^/  /'
  else
    echo "  (no whisper file)"; ok=0
  fi
done
ls -R "$c/whisper" | head -20
[ "$ok" = 1 ] || die "whisper files missing"
pairs=$(curl -s "http://$http/activeflows/ALL/pairs/json")
case $pairs in
  *'"10.0.0.1,10.0.0.2"'*'"10.0.0.3,10.0.0.4"'*) ;;
  *) die "the REST API does not have both flows: $pairs" ;;
esac

section "the same metrics rendered by graphite-web (its /render view, from these whisper files)"
if /usr/bin/python3 -c 'import django, importlib.util as u, sys; sys.exit(u.find_spec("graphite.render.views") is None)' >/dev/null 2>&1; then
  png=${SFLOW_DEMO_PNG:-/tmp/sflow-demo-graphite.png}
  /usr/bin/python3 scripts/graphite-render.py "$c/whisper" $(( ${t1%.*} - 5 )) "${t1%.*}" \
    --png "$png" $(( ${t0%.*} - 2 )) "${t1%.*}" demo.pairs demo.sum_ifinpkts \
    || die "graphite-web's render differs from whisper's files (or failed)"
else
  echo "!!! graphite-web is NOT installed: skipping the Graphite render."
  echo "!!! apt-get install graphite-web (Debian 12: 1.1.8), or scripts/install-peers.sh as root."
fi
echo "demo OK: Open vSwitch -> sflow-collector -> REST API and carbon ($((SECONDS - start)) s)"
