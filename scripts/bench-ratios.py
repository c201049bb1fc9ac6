#!/usr/bin/env python3
"""Turns criterion's estimates from `cargo bench -p benches --bench peers` into the tables of
BENCHMARKS.md. Only the groups of benches/peers.rs are read (five_tuple, full_decode,
build_icmp_echo_reply); the OpenFlow benchmarks have scripts/bench-ratios-openflow.py.

Usage: python3 scripts/bench-ratios.py [target/criterion]  (prints Markdown on stdout)
       python3 scripts/bench-ratios.py --callgrind [target/criterion]

With --callgrind, the same tables count instructions per iteration instead of time: every
benchmark id found under target/criterion is run by the `profile` example of the benches crate
under `valgrind --tool=callgrind` (build it first: `cargo build --profile bench -p benches
--example profile`). Instruction counts do not depend on what else the machine is doing, so
they back the timings up on a loaded machine (they are not time: a memcpy of kilobytes is a few
instructions per 32 bytes, a cache miss is free).

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
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Our implementations, per group prefix, in the order the ratio columns show them.
OURS = {
    "five_tuple": ["ours_flow_key", "ours_view", "ours_walk"],
    "full_decode": ["ours_view", "ours_packet", "ours_packet_into"],
    "build_icmp_echo_reply": ["ours_in_place", "ours_packet"],
}
ORDER = [
    "ours_flow_key",
    "ours_view",
    "ours_walk",
    "ours_packet",
    "ours_packet_into",
    "ours_in_place",
    "etherparse_sliced",
    "etherparse_headers",
    "etherparse",
    "smoltcp",
    "pdu",
    "pnet",
    # The floors (benches/common/handwritten.rs): straight off the bytes with our checks.
    "handwritten_chain",
    "handwritten_flow_key",
    "handwritten_view",
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
        if meta["group_id"].partition("/")[0] not in GROUP_ORDER:
            continue  # another benchmark of the crate (benches/openflow.rs has its own script)
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


PROFILE_BIN = "target/release/examples/profile"
CG_ITERS = (10000, 20000)


def instructions(group_id, lib):
    """Instructions one iteration of the benchmark executes, counted by callgrind."""
    prefix, _, frame = group_id.partition("/")
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in CG_ITERS:
            out = Path(tmp) / f"cg.{n}.out"
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", PROFILE_BIN, prefix, lib, frame, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            m = re.search(r"Collected : (\d+)", run.stderr)
            if not m:
                sys.exit(f"no callgrind total for {group_id}/{lib}:\n{run.stderr}")
            counts.append(int(m.group(1)))
    return (counts[1] - counts[0]) / (CG_ITERS[1] - CG_ITERS[0])


def count_all(groups):
    """The same shape as load(), instructions in place of nanoseconds (no interval)."""
    return {
        gid: {lib: (instructions(gid, lib),) * 3 for lib in libs}
        for gid, libs in groups.items()
    }


def sort_key(group_id):
    prefix, _, frame = group_id.partition("/")
    return (
        GROUP_ORDER.index(prefix) if prefix in GROUP_ORDER else 99,
        FRAME_ORDER.index(frame) if frame in FRAME_ORDER else 99,
        group_id,
    )


def table(group_id, results, unit="time"):
    prefix = group_id.split("/")[0]
    ours = [o for o in OURS.get(prefix, []) if o in results]
    libs = sorted(results, key=lambda l: (ORDER.index(l) if l in ORDER else 99, l))
    first = "median (95 % CI)" if unit == "time" else "instructions / iteration"
    head = f"| implementation | {first} |" + "".join(f" ÷ {o} |" for o in ours)
    title = f"### {group_id}" if unit == "time" else f"### {group_id} (instructions)"
    lines = [title, "", head, "|---|---|" + "---|" * len(ours)]
    for lib in libs:
        med, lo, hi = results[lib]
        name = f"**{lib}**" if lib in ours else lib
        cells = "".join(f" {med / results[o][0]:.2f} |" for o in ours)
        value = f"{fmt_ns(med)} ({fmt_ns(lo)} – {fmt_ns(hi)})" if unit == "time" else f"{med:,.0f}"
        lines.append(f"| {name} | {value} |{cells}")
    return "\n".join(lines)


def targets(groups):
    out = ["### Target checks", ""]
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
    args = sys.argv[1:]
    callgrind = "--callgrind" in args
    args = [a for a in args if a != "--callgrind"]
    root = args[0] if args else "target/criterion"
    groups = load(root)
    if not groups:
        sys.exit(f"no criterion results under {root}: run `cargo bench -p benches` first")
    if callgrind:
        counts = count_all(groups)
        for gid in sorted(counts, key=sort_key):
            print(table(gid, counts[gid], unit="instructions"))
            print()
        return
    for gid in sorted(groups, key=sort_key):
        print(table(gid, groups[gid]))
        print()
    print(targets(groups))


if __name__ == "__main__":
    main()
