# os-ken's str(msg) of OpenFlow 1.3 messages, for capture/tests/osken_str.rs.
# stdin: one JSON object per line: {"hex": the message's bytes, "json": our to_jsondict()}.
# stdout: one JSON object per line, in the same order:
#   {"how": "parsed", "str": str(msg)}  os-ken's parser read the bytes;
#   {"how": "built", "str": str(msg)}   os-ken has no parser for the type: the message object
#       built from the JSON (ofp_msg_from_jsondict), its xid set, serialized to the same bytes;
#   {"how": "refused", "why": ...}      os-ken's parser failed, or its object of the JSON did
#       not serialize to the same bytes (or failed to).
import binascii
import json
import signal
import sys

from os_ken.ofproto import ofproto_parser, ofproto_v1_3, ofproto_v1_3_parser
from os_ken.ofproto.ofproto_protocol import ProtocolDesc

dp = ProtocolDesc(version=ofproto_v1_3.OFP_VERSION)


class Timeout(Exception):
    pass


def alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, alarm)


def one(case):
    buf = binascii.unhexlify(case["hex"])
    version, msg_type, msg_len, xid = ofproto_parser.header(buf)
    if msg_type in ofproto_v1_3_parser._MSG_PARSERS:
        try:
            msg = ofproto_v1_3_parser.msg_parser(dp, version, msg_type, msg_len, xid, buf)
        except Exception as e:  # noqa: BLE001 (any failure of the parser is the answer)
            return {"how": "refused", "why": "parser: %r" % (e,)}
        if msg is None:
            return {"how": "refused", "why": "parser returned None"}
        return {"how": "parsed", "str": str(msg)}
    try:
        msg = ofproto_parser.ofp_msg_from_jsondict(dp, case["json"])
        msg.set_xid(xid)
        msg.serialize()
    except Exception as e:  # noqa: BLE001
        return {"how": "refused", "why": "from_jsondict/serialize: %r" % (e,)}
    if bytes(msg.buf) != buf:
        return {"how": "refused", "why": "serializes to %s" % binascii.hexlify(bytes(msg.buf)).decode()}
    return {"how": "built", "str": str(msg)}


for line in sys.stdin:
    signal.alarm(10)  # os-ken hangs on some instructions it does not know
    try:
        answer = one(json.loads(line))
    except Timeout:
        answer = {"how": "refused", "why": "timeout"}
    signal.alarm(0)
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
