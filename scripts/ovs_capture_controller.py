#!/usr/bin/env python3
"""A minimal OpenFlow 1.3 controller (python3 stdlib only) that records what Open vSwitch sends.

Run by scripts/capture-ovs-openflow.sh, with OVS_RUNDIR & co. exported so that ovs-vsctl and
ovs-appctl reach the private OVS. It listens on 127.0.0.1 (a free port), points br0 at itself,
then drives one connection through a fixed script:

  HELLO, FEATURES_REQUEST, DESC and PORT_DESC requests, a table-miss flow and two flows (each
  followed by a BARRIER), two injected frames (one misses and comes back as a PACKET_IN, one
  matches flow 1 and leaves on p2), FLOW_STATS and PORT_STATS requests, bad requests that OVS
  answers with ERRORs, an ECHO_REQUEST of ours, and it waits for one of OVS's ECHO_REQUESTs.

Every message OVS sends in answer is written as it came off the wire to OUT_DIR/ovs-<name>.bin.
Requests carry fixed xids, so a re-capture gives the same bytes except for durations and the
echo's timing. The requests are hand-encoded here (not with the `openflow` crate), so the
fixtures do not depend on the codec they test.

  ovs_capture_controller.py OUT_DIR
"""
import os
import socket
import struct
import subprocess
import sys
import time

OFP_VERSION = 4
T_HELLO, T_ERROR, T_ECHO_REQUEST, T_ECHO_REPLY = 0, 1, 2, 3
T_FEATURES_REQUEST, T_PACKET_IN, T_PORT_STATUS = 5, 10, 12
T_FLOW_MOD, T_PORT_MOD = 14, 16
T_MULTIPART_REQUEST, T_MULTIPART_REPLY, T_BARRIER_REQUEST = 18, 19, 20
MP_DESC, MP_FLOW, MP_PORT_STATS, MP_PORT_DESC = 0, 1, 4, 13
OFPP_CONTROLLER, OFPP_ANY = 0xFFFFFFFD, 0xFFFFFFFF
OFPG_ANY = 0xFFFFFFFF
OFP_NO_BUFFER = 0xFFFFFFFF
OFPCML_NO_BUFFER = 0xFFFF

# The frames injected on p1 (tests/ovs_fixtures.rs holds the same hex).
# An ICMP echo request 10.0.0.1 -> 10.0.0.3: no flow matches it, so the table-miss flow sends
# it to us as a PACKET_IN.
FRAME_MISS = bytes.fromhex(
    "000000000003000000000001080045000054000140004001"
    "26a50a0000010a0000030800eeb712340001"
    + "".join("%02x" % i for i in range(56)))
# An ICMP echo request 10.0.0.1 -> 10.0.0.2: flow 1 forwards it to p2.
FRAME_HIT = bytes.fromhex(
    "000000000002000000000001080045000054000240004001"
    "26a50a0000010a0000020800eeb612340002"
    + "".join("%02x" % i for i in range(56)))


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def check_frame(f):
    """The hard-coded frames must be valid (OVS does not check, tests would)."""
    ip = f[14:34]
    assert checksum(ip) == 0, "IPv4 checksum of %s" % f.hex()
    assert checksum(f[34:]) == 0, "ICMP checksum of %s" % f.hex()


def hdr(msg_type, body, xid):
    return struct.pack("!BBHI", OFP_VERSION, msg_type, 8 + len(body), xid) + body


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def oxm(field, value, mask=None):
    hasmask = 1 if mask is not None else 0
    payload = value + (mask or b"")
    return struct.pack("!HBB", 0x8000, field << 1 | hasmask, len(payload)) + payload


OXM_IN_PORT, OXM_ETH_DST, OXM_ETH_TYPE, OXM_VLAN_VID, OXM_IPV4_DST = 0, 3, 5, 6, 12


def match(*fields):
    oxms = b"".join(fields)
    return pad8(struct.pack("!HH", 1, 4 + len(oxms)) + oxms)


def act_output(port, max_len=0):
    return struct.pack("!HHIH6x", 0, 16, port, max_len)


def act_push_vlan(ethertype=0x8100):
    return struct.pack("!HHH2x", 17, 8, ethertype)


def act_set_field(field):
    body = pad8(struct.pack("!HH", 25, 0) + field)
    return struct.pack("!HH", 25, len(body)) + body[4:]


def apply_actions(*actions):
    acts = b"".join(actions)
    return struct.pack("!HH4x", 4, 8 + len(acts)) + acts


def flow_mod(xid, m, instructions=b"", cookie=0, table_id=0, command=0, idle=0, hard=0,
             priority=0, flags=0):
    body = struct.pack("!QQBBHHHIIIH2x", cookie, 0, table_id, command, idle, hard, priority,
                       OFP_NO_BUFFER, OFPP_ANY, OFPG_ANY, flags) + m + instructions
    return hdr(T_FLOW_MOD, body, xid)


def multipart_request(xid, mp_type, body=b""):
    return hdr(T_MULTIPART_REQUEST, struct.pack("!HH4x", mp_type, 0) + body, xid)


class Switch:
    def __init__(self, conn, out_dir):
        self.s = conn
        self.out = out_dir
        self.pending = []          # messages received while waiting for something else
        self.echo_request = None   # OVS's first ECHO_REQUEST
        self.written = []

    def recv_exact(self, n):
        b = b""
        while len(b) < n:
            chunk = self.s.recv(n - len(b))
            if not chunk:
                sys.exit("OVS closed the connection")
            b += chunk
        return b

    def recv_one(self):
        h = self.recv_exact(8)
        version, msg_type, length, xid = struct.unpack("!BBHI", h)
        m = h + self.recv_exact(length - 8)
        if msg_type == T_ECHO_REQUEST:
            # Answer at once with the same xid and data.
            self.s.sendall(hdr(T_ECHO_REPLY, m[8:], xid))
            if self.echo_request is None:
                self.echo_request = m
            return None
        return m

    def wait_for(self, pred, what, timeout=10.0):
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit("timed out waiting for %s" % what)
            self.s.settimeout(left)
            try:
                m = self.recv_one()
            except socket.timeout:
                sys.exit("timed out waiting for %s" % what)
            if m is None:
                continue
            if pred(m):
                return m
            self.pending.append(m)

    def reply_to(self, xid, what):
        return self.wait_for(lambda m: struct.unpack("!I", m[4:8])[0] == xid, what)

    def request(self, msg, what):
        self.s.sendall(msg)
        return self.reply_to(struct.unpack("!I", msg[4:8])[0], what)

    def save(self, name, m):
        path = os.path.join(self.out, "ovs-%s.bin" % name)
        with open(path, "wb") as f:
            f.write(m)
        self.written.append((name, m))

    def expect_type(self, m, msg_type, what):
        if m[1] != msg_type:
            sys.exit("%s: expected message type %d, got %s" % (what, msg_type, m.hex()))

    def flow_mod_ok(self, msg, what):
        """Sends a FLOW_MOD and a BARRIER; fails if OVS answers the FLOW_MOD with an error."""
        xid = struct.unpack("!I", msg[4:8])[0]
        self.s.sendall(msg)
        barrier = self.request(hdr(T_BARRIER_REQUEST, b"", xid + 1), what + " barrier")
        for m in self.pending:
            if struct.unpack("!I", m[4:8])[0] == xid:
                sys.exit("%s refused: %s" % (what, m.hex()))
        return barrier

    def error_for(self, msg, name):
        m = self.request(msg, name)
        self.expect_type(m, T_ERROR, name)
        etype, ecode = struct.unpack("!HH", m[8:12])
        print("  %s: ERROR type %d code %d" % (name, etype, ecode))
        self.save("error-" + name, m)


def appctl(*args):
    subprocess.run(["ovs-appctl"] + list(args), check=True, stdout=subprocess.DEVNULL)


def main():
    out_dir = sys.argv[1]
    for f in (FRAME_MISS, FRAME_HIT):
        check_frame(f)

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    port = ls.getsockname()[1]
    subprocess.run(["ovs-vsctl", "set-controller", "br0", "tcp:127.0.0.1:%d" % port],
                   check=True)
    ls.settimeout(20)
    conn, _ = ls.accept()
    ls.close()
    sw = Switch(conn, out_dir)

    # Handshake. OVS speaks first or at once; a plain 8-byte HELLO from us is enough.
    conn.sendall(hdr(T_HELLO, b"", 1))
    hello = sw.wait_for(lambda m: m[1] == T_HELLO, "HELLO")
    sw.save("hello", hello)
    m = sw.request(hdr(T_FEATURES_REQUEST, b"", 2), "FEATURES_REPLY")
    sw.save("features-reply", m)

    m = sw.request(multipart_request(3, MP_DESC), "DESC reply")
    sw.save("desc-reply", m)
    m = sw.request(multipart_request(4, MP_PORT_DESC), "PORT_DESC reply")
    sw.save("port-desc-reply", m)

    # Flows, installed after set-controller (OVS flushes flows when the controller comes).
    # The table-miss flow: everything else to the controller, whole frames.
    sw.flow_mod_ok(flow_mod(10, match(), apply_actions(act_output(OFPP_CONTROLLER,
                                                                  OFPCML_NO_BUFFER))),
                   "table-miss flow")
    # Flow 1: in_port=1,ip,nw_dst=10.0.0.2 actions=output:2
    sw.flow_mod_ok(flow_mod(12, match(oxm(OXM_IN_PORT, struct.pack("!I", 1)),
                                      oxm(OXM_ETH_TYPE, struct.pack("!H", 0x0800)),
                                      oxm(OXM_IPV4_DST, bytes([10, 0, 0, 2]))),
                            apply_actions(act_output(2)),
                            cookie=0x1001, priority=100),
                   "flow 1")
    # Flow 2: in_port=2,dl_dst=00:00:00:00:00:01
    #         actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:3
    sw.flow_mod_ok(flow_mod(14, match(oxm(OXM_IN_PORT, struct.pack("!I", 2)),
                                      oxm(OXM_ETH_DST, bytes.fromhex("000000000001"))),
                            apply_actions(act_push_vlan(),
                                          act_set_field(oxm(OXM_VLAN_VID,
                                                            struct.pack("!H", 0x1000 | 10))),
                                          act_output(3)),
                            cookie=0x1002, priority=200, idle=600, hard=1200, flags=1),
                   "flow 2")
    sw.save("barrier-reply", sw.request(hdr(T_BARRIER_REQUEST, b"", 16), "BARRIER_REPLY"))

    # A frame that matches flow 1 (out on p2), then one that misses (a PACKET_IN).
    appctl("netdev-dummy/receive", "p1", FRAME_HIT.hex())
    appctl("netdev-dummy/receive", "p1", FRAME_MISS.hex())
    m = sw.wait_for(lambda m: m[1] == T_PACKET_IN, "PACKET_IN")
    sw.save("packet-in", m)
    # Let the revalidators account the datapath flows' statistics to the OpenFlow flows.
    appctl("revalidator/wait")
    appctl("revalidator/wait")

    # FLOW_STATS for every table, every flow.
    body = struct.pack("!B3xII4xQQ", 0xFF, OFPP_ANY, OFPG_ANY, 0, 0) + match()
    m = sw.request(multipart_request(20, MP_FLOW, body), "FLOW_STATS reply")
    sw.save("flow-stats-reply", m)
    m = sw.request(multipart_request(21, MP_PORT_STATS, struct.pack("!I4x", OFPP_ANY)),
                   "PORT_STATS reply")
    sw.save("port-stats-reply", m)

    # Bad requests: each is answered with an ERROR carrying the start of the request.
    print("errors OVS sent:")
    # ADD to table 255 (OFPTT_ALL is no table to add to).
    sw.error_for(flow_mod(30, match(), table_id=0xFF, priority=1), "flow-mod-bad-table-id")
    # An action type OpenFlow 1.3 does not define (0x0030), 8 bytes long.
    sw.error_for(flow_mod(31, match(), apply_actions(struct.pack("!HH4x", 0x30, 8)),
                          priority=1),
                 "flow-mod-bad-action-type")
    # A match with ipv4_dst but no eth_type=0x0800 (a missing prerequisite).
    sw.error_for(flow_mod(32, match(oxm(OXM_IPV4_DST, bytes([10, 0, 0, 9]))),
                          apply_actions(act_output(1)), priority=1),
                 "flow-mod-bad-prereq")
    # A multipart type OpenFlow 1.3 does not define.
    sw.error_for(multipart_request(33, 0x00AA), "multipart-bad-type")
    # A PORT_MOD for port 99, which does not exist.
    sw.error_for(hdr(T_PORT_MOD, struct.pack("!I4x6s2xIII4x", 99,
                                             bytes.fromhex("aa55aa550099"), 0, 1, 0), 34),
                 "port-mod-bad-port")
    # A message type OpenFlow 1.3 does not define (99).
    sw.error_for(hdr(99, b"", 35), "bad-type")

    # Our ECHO_REQUEST with data: the reply echoes it.
    m = sw.request(hdr(T_ECHO_REQUEST, b"echo from the capture script", 40), "ECHO_REPLY")
    sw.save("echo-reply", m)
    # OVS probes an idle connection every 5 s: wait for one (answered in recv_one).
    deadline = time.monotonic() + 15
    while sw.echo_request is None and time.monotonic() < deadline:
        conn.settimeout(deadline - time.monotonic())
        try:
            m = sw.recv_one()
        except socket.timeout:
            break
        if m is not None:
            sw.pending.append(m)
    if sw.echo_request is None:
        sys.exit("no ECHO_REQUEST from OVS in 15 s")
    sw.save("echo-request", sw.echo_request)

    for m in sw.pending:
        print("  unsolicited message (not saved): %s" % m.hex())
    print("captured %d messages:" % len(sw.written))
    for name, m in sw.written:
        print("  ovs-%s.bin  %d bytes" % (name, len(m)))
    conn.close()


if __name__ == "__main__":
    main()
