#!/usr/bin/env python3
"""Turns criterion's estimates from `cargo bench -p benches --bench openflow` into the OpenFlow
tables of BENCHMARKS.md: `openflow` against rovs-openflow.

Usage: python3 scripts/bench-ratios-openflow.py [target/criterion]   (Markdown on stdout)
       python3 scripts/bench-ratios-openflow.py --callgrind [target/criterion]
       python3 scripts/bench-ratios-openflow.py --callgrind --only GROUP_PREFIX[:ID,ID]

The target directory is $CARGO_TARGET_DIR when set (criterion's results under criterion/, the
profile example under release/examples/), else ./target. --callgrind without criterion results
counts every benchmark id of benches/openflow.rs (listed in IDS below). --only restricts
--callgrind to one group (openflow_packet_in, openflow_flow_stats, openflow_flow_mod) and,
after a colon, to some implementations.

For every group (openflow_packet_in/..., openflow_flow_stats/..., openflow_flow_mod/...) it
prints each implementation's time per iteration (criterion's median estimate and its 95 %
confidence interval) and the ratio peer time / our time against each of our variants (> 1: we
are faster), then checks the goals of BENCHMARKS.md's top table (TARGETS below):
  * the PACKET_IN view: at least 6x rovs-openflow;
  * the flow-stats reply and the FLOW_MOD, read through the views: at least 4x;
  * `Message::parse` (ours_owned), every group: at least 1.5x;
  * FlowMod encode: no goal, the ratio is reported.
A ratio whose confidence intervals straddle the target (the slowest ours against the fastest
peer is below it, the fastest ours against the slowest peer above it) is reported as within
noise.

With --callgrind, the same tables count instructions per iteration instead (independent of the
machine's load): every benchmark id found is run by the `openflow_profile` example under
`valgrind --tool=callgrind` at two iteration counts, and the difference is divided by the
difference in iterations (so setup is not counted). Build the example first:
`cargo build --profile bench -p benches --example openflow_profile`.
Only the standard library is used.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PREFIX = "openflow_"
# Our implementations, in the order the ratio columns show them; the peer; the targets.
OURS = ["ours_view", "ours_iter", "ours_view_match", "ours_owned", "ours_encode", "ours_build_encode"]
PEERS = ["rovs", "rovs_encode", "rovs_build_encode"]
# Not a library path: the floor a zero-copy walk can reach (see BENCHMARKS.md); shown, not checked.
OTHERS = ["handwritten", "handwritten_owned", "handwritten_vec", "handwritten_inline", "handwritten_inline1p", "handwritten_inline2", "handwritten_flat", "handwritten_flat8"]
# The goals (peer ÷ ours) of BENCHMARKS.md's top table, by group and row; "*" is any group.
TARGETS = {
    ("openflow_packet_in", "ours_view"): 6.0,
    ("openflow_flow_stats", "ours_view"): 4.0,
    ("openflow_flow_mod_parse", "ours_view"): 4.0,
    ("*", "ours_owned"): 1.5,
}
# Which peer variant each of ours is compared with in the target checks.
PAIR = {"ours_encode": "rovs_encode", "ours_build_encode": "rovs_build_encode"}
GROUP_ORDER = ["openflow_packet_in", "openflow_flow_stats", "openflow_flow_mod", "openflow_flow_mod_parse"]
# Cargo's target directory: $CARGO_TARGET_DIR when set, else ./target.
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
# The profile example; $OPENFLOW_PROFILE_BIN selects another build (the bench-lto profile's is
# under bench-lto/examples/).
PROFILE_BIN = os.environ.get(
    "OPENFLOW_PROFILE_BIN", str(TARGET_DIR / "release" / "examples" / "openflow_profile")
)
# The benchmark ids of benches/openflow.rs, for --callgrind without criterion results.
IDS = {
    "openflow_packet_in/ovs_icmp_echo": ["ours_view", "ours_view_match", "ours_owned", "rovs", "handwritten", "handwritten_owned"],
    "openflow_flow_stats/1000_entries": ["ours_view", "ours_iter", "ours_owned", "rovs", "handwritten", "handwritten_owned", "handwritten_vec", "handwritten_inline", "handwritten_inline1p", "handwritten_inline2", "handwritten_flat"],
    "openflow_flow_mod/learning_switch": ["ours_encode", "ours_build_encode", "rovs_encode", "rovs_build_encode"],
    "openflow_flow_mod_parse/learning_switch": ["ours_view", "ours_iter", "ours_owned", "rovs", "handwritten", "handwritten_owned", "handwritten_vec", "handwritten_inline", "handwritten_inline1p", "handwritten_inline2", "handwritten_flat", "handwritten_flat8"],
    "openflow_flow_mod_parse/router": ["ours_view", "ours_iter", "ours_owned", "rovs", "handwritten", "handwritten_owned", "handwritten_vec", "handwritten_inline", "handwritten_inline1p", "handwritten_inline2", "handwritten_flat", "handwritten_flat8"],
}
CG_ITERS = (200, 400)


def load(root):
    """{group_id: {function_id: (median, lower, upper)}} in nanoseconds, our groups only."""
    groups = {}
    for bench in sorted(Path(root).glob("*/*/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        if not meta["group_id"].startswith(PREFIX):
            continue
        est = json.loads((bench.parent / "estimates.json").read_text())["median"]
        ci = est["confidence_interval"]
        groups.setdefault(meta["group_id"], {})[meta["function_id"]] = (
            est["point_estimate"],
            ci["lower_bound"],
            ci["upper_bound"],
        )
    return groups


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"


def instructions(group_id, lib):
    """Instructions one iteration executes, counted by callgrind."""
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in CG_ITERS:
            out = Path(tmp) / f"cg.{n}.out"
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", PROFILE_BIN, group_id, lib, str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            m = re.search(r"Collected : (\d+)", run.stderr)
            if not m:
                sys.exit(f"no callgrind total for {group_id}/{lib}:\n{run.stderr}")
            counts.append(int(m.group(1)))
    return (counts[1] - counts[0]) / (CG_ITERS[1] - CG_ITERS[0])


def sort_key(group_id):
    prefix = group_id.partition("/")[0]
    return (GROUP_ORDER.index(prefix) if prefix in GROUP_ORDER else 99, group_id)


def lib_key(lib):
    order = OURS + PEERS + OTHERS
    return (order.index(lib) if lib in order else 99, lib)


def table(group_id, results, unit="time"):
    ours = [o for o in OURS if o in results]
    libs = sorted(results, key=lib_key)
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


def targets(groups, unit="time"):
    out = ["### Target checks" + ("" if unit == "time" else " (instructions)"), ""]
    show = fmt_ns if unit == "time" else (lambda x: f"{x:,.0f} instructions")
    for gid in sorted(groups, key=sort_key):
        res = groups[gid]
        prefix = gid.partition("/")[0]
        for ours in OURS + OTHERS:
            if ours not in res:
                continue
            target = TARGETS.get((prefix, ours), TARGETS.get(("*", ours)))
            peer = PAIR.get(ours, "rovs")
            if peer not in res:
                continue
            t, t_lo, t_hi = res[ours]
            p, p_lo, p_hi = res[peer]
            ratio = p / t
            speed = f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"
            line = f"- {gid}, {ours}: {show(t)} vs {peer} {show(p)}: {speed}"
            if ours in OTHERS:
                out.append(line + " (not a library path: the floor, for reference)")
                continue
            if target is None:
                out.append(line + " (no target)")
                continue
            if ratio >= target:
                verdict = "met"
            elif unit == "time" and p_hi / t_lo >= target:
                verdict = "within noise (the confidence intervals reach the target)"
            else:
                verdict = "MISSED"
            out.append(line + f" (target ≥ {target:g}×), **{verdict}**")
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    callgrind = "--callgrind" in args
    args = [a for a in args if a != "--callgrind"]
    only = None
    if "--only" in args:
        i = args.index("--only")
        only = args[i + 1]
        del args[i : i + 2]
    root = args[0] if args else str(TARGET_DIR / "criterion")
    groups = load(root)
    if not groups and callgrind:
        groups = {gid: dict.fromkeys(libs) for gid, libs in IDS.items()}
    if not groups:
        sys.exit(f"no openflow results under {root}: run `cargo bench -p benches --bench openflow` first")
    if only:
        prefix, _, libs = only.partition(":")
        keep = libs.split(",") if libs else None
        groups = {
            gid: {lib: v for lib, v in res.items() if keep is None or lib in keep}
            for gid, res in groups.items()
            if gid.partition("/")[0] == prefix
        }
    if callgrind:
        groups = {
            gid: {lib: (instructions(gid, lib),) * 3 for lib in libs}
            for gid, libs in groups.items()
        }
    unit = "instructions" if callgrind else "time"
    for gid in sorted(groups, key=sort_key):
        print(table(gid, groups[gid], unit=unit))
        print()
    print(targets(groups, unit=unit))


if __name__ == "__main__":
    main()
