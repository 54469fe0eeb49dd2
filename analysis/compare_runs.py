#!/usr/bin/env python3
"""Compares runs of the same search made two ways, e.g. without and with [train] hurdles: the
tokens each trained, the share the second saved, and the two final populations' hypervolumes,
both measured against the first run's reference point.

    python3 analysis/compare_runs.py runs/plain/results.h5 runs/hurdles/results.h5 [A2 B2 ...]

Each run records its own reference point (1.1 x the worst objectives of its first generation's
feasible genomes), and a run whose hurdles stopped first-generation genomes has a different one,
so the hypervolumes the runs print are not comparable; these are. Several pairs (e.g. one per
seed) also print the totals and means over the pairs: per-seed changes in a small search are
large (README, hurdles), and only a mean over seeds says much.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import star_results  # noqa: E402
from report import feasible_hypervolume, reference_point  # noqa: E402


def final_hypervolume(results, ref):
    """The final population's feasible genomes' hypervolume against `ref`, as a fraction of its box."""
    return feasible_hypervolume(results, results.final_population(), ref) / float(np.prod(ref))


def compare(first, second):
    """Tokens trained by each run and their final hypervolumes against `first`'s reference point."""
    if first.objective_names != second.objective_names:
        raise ValueError(f"{second.path}: objectives {second.objective_names}, not {first.objective_names} "
                         f"as in {first.path}")
    ref = reference_point(first)
    if ref is None:
        raise ValueError(f"{first.path}: no feasible genome to take a reference point from")
    return {"tokens": (int(first.evaluated["tokens"].sum()), int(second.evaluated["tokens"].sum())),
            "hypervolume": (final_hypervolume(first, ref), final_hypervolume(second, ref))}


def change(a, b):
    return b / a - 1 if a > 0 else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="results files, in pairs: the first way, then the second")
    args = parser.parse_args(argv)
    if len(args.results) % 2:
        print(f"compare_runs: {len(args.results)} results files; give them in pairs (first way, second way)",
              file=sys.stderr)
        return 2
    pairs = []
    try:
        for a, b in zip(args.results[0::2], args.results[1::2]):
            pairs.append((a, b, compare(star_results.load(a), star_results.load(b))))
    except ValueError as e:
        print(f"compare_runs: {e}", file=sys.stderr)
        return 2
    for a, b, c in pairs:
        (ta, tb), (ha, hb) = c["tokens"], c["hypervolume"]
        print(f"{a} -> {b}: tokens {ta} -> {tb} ({100 * (1 - tb / ta):.1f}% saved); "
              f"final hypervolume {ha:.4f} -> {hb:.4f} ({100 * change(ha, hb):+.1f}%)")
    if len(pairs) > 1:
        ta, tb = (sum(c["tokens"][i] for _, _, c in pairs) for i in (0, 1))
        ha, hb = (np.array([c["hypervolume"][i] for _, _, c in pairs]) for i in (0, 1))
        per_pair = np.array([change(x, y) for x, y in zip(ha, hb)])
        print(f"{len(pairs)} pairs: {100 * (1 - tb / ta):.1f}% of the tokens saved; mean final hypervolume "
              f"{ha.mean():.4f} -> {hb.mean():.4f} ({100 * change(ha.mean(), hb.mean()):+.1f}%); per pair "
              f"{100 * per_pair.mean():+.1f}% on average, standard deviation {100 * per_pair.std(ddof=1):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
