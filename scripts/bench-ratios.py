#!/usr/bin/env python3
"""Turns criterion's estimates from `cargo bench -p benches` into the tables of BENCHMARKS.md.

Usage: python3 scripts/bench-ratios.py [target/criterion]  (prints Markdown on stdout)

For every benchmark group (five_tuple/<frame>, full_decode/<frame>, build_icmp_echo_reply/<frame>)
it prints one table: each implementation's time per iteration (criterion's median estimate, with
its 95 % confidence interval) and the ratio peer time / our time against each of our variants
(> 1: we are faster). Then it checks the issue's targets:
  * five_tuple: our path no slower than the fastest of smoltcp, pdu and pnet (a median above the
    peer's whose confidence interval overlaps the peer's is reported as within noise);
  * full_decode: at least 10x faster than etherparse PacketHeaders.
Only the standard library is used.
"""

import json
import sys
from pathlib import Path

# Our implementations, per group prefix, in the order the ratio columns show them.
OURS = {
    "five_tuple": ["ours_view", "ours_walk"],
    "full_decode": ["ours_view", "ours_packet"],
    "build_icmp_echo_reply": ["ours_in_place", "ours_packet"],
}
ORDER = [
    "ours_view",
    "ours_walk",
    "ours_packet",
    "ours_in_place",
    "etherparse_sliced",
    "etherparse_headers",
    "etherparse",
    "smoltcp",
    "pdu",
    "pnet",
]
GROUP_ORDER = ["five_tuple", "full_decode", "build_icmp_echo_reply"]
FRAME_ORDER = ["eth_ipv4_udp", "eth_ipv4_tcp_syn", "eth_ipv4_tcp_data", "eth_vlan_ipv4_tcp", "eth_ipv4_icmp_echo"]
TUPLE_PEERS = ["smoltcp", "pdu", "pnet"]
DECODE_FACTOR = 10.0


def load(root):
    """{group_id: {function_id: (median, lower, upper)}} in nanoseconds."""
    groups = {}
    for bench in sorted(Path(root).glob("*/*/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())["median"]
        ci = est["confidence_interval"]
        groups.setdefault(meta["group_id"], {})[meta["function_id"]] = (
            est["point_estimate"],
            ci["lower_bound"],
            ci["upper_bound"],
        )
    return groups


def fmt_ns(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"


def sort_key(group_id):
    prefix, _, frame = group_id.partition("/")
    return (
        GROUP_ORDER.index(prefix) if prefix in GROUP_ORDER else 99,
        FRAME_ORDER.index(frame) if frame in FRAME_ORDER else 99,
        group_id,
    )


def table(group_id, results):
    prefix = group_id.split("/")[0]
    ours = [o for o in OURS.get(prefix, []) if o in results]
    libs = sorted(results, key=lambda l: (ORDER.index(l) if l in ORDER else 99, l))
    head = "| implementation | median (95 % CI) |" + "".join(f" ÷ {o} |" for o in ours)
    lines = [f"### {group_id}", "", head, "|---|---|" + "---|" * len(ours)]
    for lib in libs:
        med, lo, hi = results[lib]
        name = f"**{lib}**" if lib in ours else lib
        cells = "".join(f" {med / results[o][0]:.2f} |" for o in ours)
        lines.append(f"| {name} | {fmt_ns(med)} ({fmt_ns(lo)} – {fmt_ns(hi)}) |{cells}")
    return "\n".join(lines)


def targets(groups):
    out = ["### Targets", ""]
    for gid in sorted(groups, key=sort_key):
        res = groups[gid]
        if gid.startswith("five_tuple/"):
            peers = {p: res[p][0] for p in TUPLE_PEERS if p in res}
            if not peers:
                continue
            best = min(peers, key=peers.get)
            for ours in OURS["five_tuple"]:
                if ours not in res:
                    continue
                t, lo, _ = res[ours]
                if t <= peers[best]:
                    verdict = "met"
                elif lo <= res[best][2]:
                    verdict = "met within noise (confidence intervals overlap)"
                else:
                    verdict = "MISSED"
                out.append(
                    f"- {gid}, {ours}: {fmt_ns(t)} vs fastest of smoltcp/pdu/pnet ({best}) "
                    f"{fmt_ns(peers[best])}: ratio {peers[best] / t:.2f}, **{verdict}**"
                )
        elif gid.startswith("full_decode/") and "etherparse_headers" in res:
            ref = res["etherparse_headers"][0]
            for ours in OURS["full_decode"]:
                if ours not in res:
                    continue
                ratio = ref / res[ours][0]
                verdict = "met" if ratio >= DECODE_FACTOR else "MISSED"
                out.append(
                    f"- {gid}, {ours}: {fmt_ns(res[ours][0])} vs etherparse_headers {fmt_ns(ref)}: "
                    f"{ratio:.1f}× faster (target ≥ {DECODE_FACTOR:.0f}×), **{verdict}**"
                )
    return "\n".join(out)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
    groups = load(root)
    if not groups:
        sys.exit(f"no criterion results under {root}: run `cargo bench -p benches` first")
    for gid in sorted(groups, key=sort_key):
        print(table(gid, groups[gid]))
        print()
    print(targets(groups))


if __name__ == "__main__":
    main()
