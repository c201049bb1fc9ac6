#!/usr/bin/env bash
# Captures Open vSwitch's real OpenFlow 1.3 TABLE_FEATURES reply (about 1.2 MB, split by OVS over
# several MULTIPART_REPLY messages with OFPMPF_REPLY_MORE) and stores its first part under
# openflow/testdata/ (what openflow's table_features tests read).
#
# It runs a private userspace OVS (dummy datapath, no kernel module, nothing outside a temporary
# directory), connects to the bridge's management socket like ovs-ofctl does, sends HELLO and
# an empty TABLE_FEATURES request, and writes every reply message as it came off the wire.
#
#   scripts/capture-ovs-table-features.sh [PARTS_DIR]
#
# With PARTS_DIR, every part is kept there too (part-000.bin, part-001.bin, ...); then
#   OVS_TABLE_FEATURES_DIR=PARTS_DIR cargo test -p sdnwire-openflow --lib table_features -- --ignored
# parses all of them. Needs openvswitch-switch (ovsdb-server, ovs-vswitchd, ovs-vsctl) and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/openflow/testdata"
parts_dir=${1:-}
dir=$(mktemp -d)
export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
stop() {
  for p in ovs-vswitchd ovsdb-server; do
    [ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
  done
  sleep 0.5
  rm -rf "$dir"
}
trap stop EXIT
ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" \
  --log-file="$dir/ovsdb-server.log" --remote=punix:"$dir/db.sock" "$dir/conf.db"
ovs-vsctl --no-wait init
ovs-vswitchd --enable-dummy --disable-system --disable-system-route --detach --no-chdir \
  --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" unix:"$dir/db.sock"
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dummy fail-mode=secure \
  protocols=OpenFlow13 other-config:datapath-id=0000000000000001 \
  other-config:disable-in-band=true \
  -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
  -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2
for _ in $(seq 50); do [ -S "$dir/br0.mgmt" ] && break; sleep 0.1; done
ovs_version=$(ovs-vswitchd --version | sed -n 's/.* \([0-9][0-9.]*\)$/\1/p' | head -n1)

python3 - "$dir/br0.mgmt" "$dir/parts" <<'PY'
import os, socket, struct, sys
sock_path, parts = sys.argv[1], sys.argv[2]
os.makedirs(parts)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sock_path)

def send(msg_type, body=b"", xid=1):
    s.sendall(struct.pack("!BBHI", 4, msg_type, 8 + len(body), xid) + body)

def recv_exact(n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            sys.exit("OVS closed the connection")
        b += chunk
    return b

def recv():
    h = recv_exact(8)
    _, _, length, _ = struct.unpack("!BBHI", h)
    return h + recv_exact(length - 8)

send(0)                                   # OFPT_HELLO, version 1.3
send(18, struct.pack("!HH4x", 12, 0), 2)  # OFPT_MULTIPART_REQUEST, OFPMP_TABLE_FEATURES, empty
n = 0
while True:
    m = recv()
    version, msg_type, length, xid = struct.unpack("!BBHI", m[:8])
    if msg_type == 0:
        continue                          # OVS's HELLO
    if msg_type == 2:                     # ECHO_REQUEST: answer with the same body
        s.sendall(struct.pack("!BBHI", 4, 3, length, xid) + m[8:])
        continue
    if msg_type == 1:
        sys.exit("OVS answered with OFPT_ERROR: " + m.hex())
    if msg_type != 19 or xid != 2:
        continue
    with open(os.path.join(parts, "part-%03d.bin" % n), "wb") as f:
        f.write(m)
    n += 1
    (flags,) = struct.unpack("!H", m[10:12])
    if not flags & 1:
        break
total = sum(os.path.getsize(os.path.join(parts, p)) for p in os.listdir(parts))
print("captured %d reply messages, %d bytes" % (n, total))
PY

mkdir -p "$out"
cp "$dir/parts/part-000.bin" "$out/ovs-table-features-reply-part0.bin"
echo "OVS $ovs_version: $out/ovs-table-features-reply-part0.bin ($(stat -c %s "$out/ovs-table-features-reply-part0.bin") bytes)"
if [ -n "$parts_dir" ]; then
  mkdir -p "$parts_dir"
  cp "$dir"/parts/part-*.bin "$parts_dir/"
  echo "all parts in $parts_dir"
fi
