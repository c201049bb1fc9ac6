#!/usr/bin/env python3
"""Times the OpenFlow and sFlow decode rows of BENCHMARKS.md by user CPU time, side by side with
the peer, for a machine too loaded for criterion's wall-clock estimates.

Usage: python3 scripts/bench-times.py bench|lto [owned|views|all]   (one line per group on stdout)

Each row is the benches crate's own loop (`openflow_profile` for OpenFlow, the `sflow` bench's
`SFLOW_CALLGRIND=GROUP:IMPL:N` mode for sFlow), the same code the instruction counts come from.
Per iteration: (best user time at 3n − best user time at n) / 2n, best of 3 runs each, ours and
the peer interleaved, so the setup is not counted and both see the same load; n is chosen for each
implementation so that a run at n takes about half a second. Build first (the target directory is
$CARGO_TARGET_DIR, else ./target; `bench` reads release/, `lto` reads bench-lto/):

    cargo build --profile bench -p benches --example openflow_profile --bench sflow
    cargo build --profile bench-lto -p benches --example openflow_profile --bench sflow

Only the standard library is used; `/usr/bin/time` must exist.
"""

import os
import subprocess
import sys
from pathlib import Path

TARGET = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
# (group, [implementations, the peer last], rough ns per iteration to size n).
OPENFLOW = {
    "owned": [
        ("openflow_packet_in", ["ours_owned", "rovs"], 30),
        ("openflow_flow_stats", ["ours_owned", "rovs"], 110_000),
        ("openflow_flow_mod_parse/learning_switch", ["ours_owned", "rovs"], 80),
        ("openflow_flow_mod_parse/router", ["ours_owned", "rovs"], 170),
    ],
    "views": [
        ("openflow_packet_in", ["ours_view", "rovs"], 6),
        ("openflow_flow_stats", ["ours_view", "ours_iter", "rovs"], 26_000),
        ("openflow_flow_mod_parse/learning_switch", ["ours_view", "ours_iter", "rovs"], 25),
        ("openflow_flow_mod_parse/router", ["ours_view", "ours_iter", "rovs"], 40),
    ],
}
SFLOW = {
    "owned": [
        ("sflow_ovs_flow", ["ours_owned", "flowparser_sflow"], 900),
        ("sflow_ovs_counters", ["ours_owned", "flowparser_sflow"], 2_000),
        ("sflow_synthetic_8_flow_samples", ["ours_owned", "flowparser_sflow"], 600),
    ],
    "views": [
        ("sflow_ovs_flow", ["ours", "flowparser_sflow"], 250),
        ("sflow_ovs_counters", ["ours", "flowparser_sflow"], 600),
        ("sflow_synthetic_8_flow_samples", ["ours", "flowparser_sflow"], 140),
    ],
}


def user_time(cmd):
    run = subprocess.run(["/usr/bin/time", "-f", "%U", *cmd], capture_output=True, text=True, check=True)
    return float(run.stderr.strip().splitlines()[-1])


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("bench", "lto"):
        sys.exit(__doc__)
    profile_dir = TARGET / ("release" if args[0] == "bench" else "bench-lto")
    which = args[1] if len(args) > 1 else "all"
    kinds = ["owned", "views"] if which == "all" else [which]
    of_bin = str(profile_dir / "examples" / "openflow_profile")
    sflow_bins = sorted(
        (p for p in (profile_dir / "deps").glob("sflow-*") if p.suffix == "" and os.access(p, os.X_OK)),
        key=lambda p: p.stat().st_mtime,
    )
    if not sflow_bins:
        sys.exit(f"no sflow bench binary under {profile_dir / 'deps'}: build it first")
    sflow_bin = str(sflow_bins[-1])

    def openflow(group, imp, n):
        return [of_bin, group, imp, str(n)]

    def sflow(group, imp, n):
        return ["env", f"SFLOW_CALLGRIND={group}:{imp}:{n}", sflow_bin, "--bench"]

    for kind in kinds:
        for cmd, rows in ((openflow, OPENFLOW[kind]), (sflow, SFLOW[kind])):
            for group, imps, ns in rows:
                # n per implementation: a first run at a twentieth of our size says how long
                # one iteration of each takes (the peer's can be ten times ours).
                base = max(10, int(0.5e9 / ns))
                n = {}
                for imp in imps:
                    t = user_time(cmd(group, imp, max(10, base // 20)))
                    n[imp] = max(10, int(0.5 * max(base // 20, 10) / t)) if t > 0.01 else base
                best = {imp: [float("inf"), float("inf")] for imp in imps}
                for _ in range(3):
                    for imp in imps:
                        best[imp][0] = min(best[imp][0], user_time(cmd(group, imp, n[imp])))
                        best[imp][1] = min(best[imp][1], user_time(cmd(group, imp, 3 * n[imp])))
                per = {imp: (hi - lo) / (2 * n[imp]) * 1e9 for imp, (lo, hi) in best.items()}
                peer = imps[-1]
                cells = ", ".join(
                    f"{imp} {per[imp]:.1f} ns" + ("" if imp == peer else f" ({per[peer] / per[imp]:.2f})")
                    for imp in imps
                )
                print(f"{args[0]} {group}: {cells}", flush=True)


if __name__ == "__main__":
    main()
