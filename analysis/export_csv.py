#!/usr/bin/env python3
"""Exports a STAR results file as CSV, one row per evaluated genome, for users' own tools.

    python3 analysis/export_csv.py runs/quickstart/results.h5 -o evaluated.csv [--population]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import star_results  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results file written by star evolve")
    parser.add_argument("-o", "--output", required=True, help="CSV file to write")
    parser.add_argument("--population", action="store_true",
                        help="export each generation's surviving population (with front ranks) instead")
    args = parser.parse_args(argv)
    try:
        results = star_results.load(args.results)
    except ValueError as e:
        print(f"export_csv: {e}", file=sys.stderr)
        return 2
    table = results.population if args.population else results.evaluated
    table.to_csv(args.output, index=False)
    print(f"export_csv: {len(table)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
