"""Runs os-ken's igmplib (IgmpSnooper, IgmpQuerier) on a simulated network, on virtual time.

Used by osken_igmplib.rs: the same network and the same host frames go into our snooper in
its `ryu_igmplib` mode, and the two logs are compared.

stdin (JSON):
  {"switches": [{"dpid": 1, "querier": true, "server_port": 2, "mac": "02:..:fe",
                 "ports": [1, 2, 3, 4]}, ...],
   "links": [[dpid_a, port_a, dpid_b, port_b], ...],
   "steps": [{"t": seconds, "dpid": n, "port": n, "frame": "hex"}, ...],
   "end": seconds}
stdout (JSON): a list of records in the order they happened:
  {"t", "dpid", "kind": "out", "in_port", "ports": [...], "frame": hex}  a PACKET_OUT
  {"t", "dpid", "kind": "flow", "in_port", "group", "ports": [...] or null}  a group flow
      added (ports) or deleted (null)
  {"t", "dpid", "kind": "event", "reason": "added"|"changed"|"removed", "group",
   "querier", "ports"}  an EventMulticastGroupStateChanged

Virtual time: igmplib's threads are greenlets; `hub.sleep` parks the current one until the
virtual clock reaches its wake-up, `hub.spawn` starts one at the current time.
"""

import heapq
import itertools
import json
import logging
import sys

import greenlet

from os_ken.lib import igmplib
from os_ken.lib.packet import igmp, packet
from os_ken.ofproto import ofproto_v1_3, ofproto_v1_3_parser


class VirtualHub:
    def __init__(self):
        self.now = 0.0
        self.heap = []
        self.seq = itertools.count()
        self.main = greenlet.getcurrent()
        self.dead = set()

    def spawn(self, fn, *args, **kwargs):
        g = greenlet.greenlet(lambda: fn(*args, **kwargs), parent=self.main)
        heapq.heappush(self.heap, (self.now, next(self.seq), g))
        return g

    def sleep(self, seconds):
        cur = greenlet.getcurrent()
        heapq.heappush(self.heap, (self.now + seconds, next(self.seq), cur))
        self.main.switch()

    def kill(self, g):
        if g is not None:
            self.dead.add(g)

    def run_until(self, t):
        while self.heap and self.heap[0][0] <= t:
            wake, _, g = heapq.heappop(self.heap)
            self.now = max(self.now, wake)
            if g in self.dead or g.dead:
                continue
            g.switch()
            net.deliver()
        self.now = max(self.now, t)


HUB = VirtualHub()
igmplib.hub = HUB


class Port:
    def __init__(self, mac):
        self.hw_addr = mac


class Datapath:
    def __init__(self, dpid, mac, ports):
        self.id = dpid
        self.ofproto = ofproto_v1_3
        self.ofproto_parser = ofproto_v1_3_parser
        self.ports = {ofproto_v1_3.OFPP_LOCAL: Port(mac)}
        self.port_list = ports

    def send_msg(self, msg):
        net.sent(self, msg)


class PacketIn:
    def __init__(self, dp, port, data):
        self.datapath = dp
        self.match = {"in_port": port}
        self.data = data


class Net:
    def __init__(self, spec):
        self.log = []
        self.queue = []
        self.dps = {}
        self.links = {}
        self.querier = igmplib.IgmpQuerier()
        self.snooper = igmplib.IgmpSnooper(self.event)
        # igmplib's events do not say which switch raised them: the one snooper's.
        self.snooper_dp = None
        for s in spec["switches"]:
            self.dps[s["dpid"]] = Datapath(s["dpid"], s["mac"], s["ports"])
            if not s.get("querier"):
                assert self.snooper_dp is None, "one snooping switch"
                self.snooper_dp = self.dps[s["dpid"]]
        for a, pa, b, pb in spec["links"]:
            self.links[(a, pa)] = (b, pb)
            self.links[(b, pb)] = (a, pa)
        self.spec = spec

    def start(self):
        for s in self.spec["switches"]:
            if s.get("querier"):
                self.querier.set_querier_mode(s["dpid"], s["server_port"])
                self.querier.start_loop(self.dps[s["dpid"]])

    def record(self, dp, rec):
        rec["t"] = round(HUB.now, 3)
        rec["dpid"] = dp.id
        self.log.append(rec)

    def event(self, ev):
        reason = {
            igmplib.MG_GROUP_ADDED: "added",
            igmplib.MG_MEMBER_CHANGED: "changed",
            igmplib.MG_GROUP_REMOVED: "removed",
        }[ev.reason]
        self.record(self.snooper_dp, {
            "kind": "event", "reason": reason, "group": ev.address,
            "querier": ev.src, "ports": sorted(ev.dsts)})

    def sent(self, dp, msg):
        ofp = dp.ofproto
        if isinstance(msg, ofproto_v1_3_parser.OFPFlowMod):
            # Only the group flows, from the upstream port (the server port on the querier,
            # the querier's port on a snooper): the flows from member ports to the controller
            # are igmplib's own plumbing.
            in_port = msg.match["in_port"]
            group = msg.match["ipv4_dst"]
            if dp.id == self.querier.dpid:
                upstream = self.querier.server_port
            else:
                upstream = self.snooper._to_querier.get(dp.id, {}).get("port")
            if in_port != upstream:
                return
            if msg.command == ofp.OFPFC_DELETE:
                self.record(dp, {"kind": "flow", "in_port": in_port, "group": group,
                                 "ports": None})
                return
            ports = []
            for inst in msg.instructions:
                for a in inst.actions:
                    ports.append(a.port)
            if ofp.OFPP_CONTROLLER in ports:
                return
            self.record(dp, {"kind": "flow", "in_port": in_port, "group": group,
                             "ports": sorted(ports)})
        elif isinstance(msg, ofproto_v1_3_parser.OFPPacketOut):
            outs = set()
            for a in msg.actions:
                if a.port == ofp.OFPP_FLOOD:
                    outs.update(p for p in dp.port_list if p != msg.in_port)
                elif a.port == ofp.OFPP_IN_PORT:
                    outs.add(msg.in_port)
                else:
                    outs.add(a.port)
            data = bytes(msg.data)
            self.record(dp, {"kind": "out", "in_port": msg.in_port,
                             "ports": sorted(outs), "frame": data.hex()})
            for p in sorted(outs):
                peer = self.links.get((dp.id, p))
                if peer is not None:
                    self.queue.append((peer[0], peer[1], data))
        else:
            raise Exception("unexpected message %r" % msg)

    def packet_in(self, dpid, port, data):
        dp = self.dps[dpid]
        pkt = packet.Packet(data)
        req = pkt.get_protocol(igmp.igmp)
        if req is None:
            return
        msg = PacketIn(dp, port, data)
        if self.querier.dpid == dpid:
            self.querier.packet_in_handler(req, msg)
        else:
            self.snooper.packet_in_handler(pkt, req, msg)

    def deliver(self):
        while self.queue:
            dpid, port, data = self.queue.pop(0)
            self.packet_in(dpid, port, data)


logging.disable(logging.CRITICAL)
spec = json.load(sys.stdin)
net = Net(spec)


def main():
    net.start()
    for step in spec["steps"]:
        HUB.run_until(step["t"])
        net.packet_in(step["dpid"], step["port"], bytes.fromhex(step["frame"]))
        net.deliver()
        HUB.run_until(step["t"])
    HUB.run_until(spec["end"])
    json.dump(net.log, sys.stdout)


main()
