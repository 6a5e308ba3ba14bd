#!/usr/bin/env python3
"""Reads Meson testlog.json files and prints one table and the closing line
"N passed, N failed[, N skipped]". Exit status 1 if anything failed or nothing ran.
--failure/--skip TEXT count one failed/skipped test that has no testlog (such as a Debian
root that could not be made), with TEXT as its reason."""
import argparse
import json
import os
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-failures", type=int, default=0)
    ap.add_argument("--failure", action="append", default=[], metavar="TEXT")
    ap.add_argument("--skip", action="append", default=[], metavar="TEXT")
    ap.add_argument("logs", nargs="+", help="PATH:LABEL")
    args = ap.parse_args()

    passed = failed = skipped = 0
    rows = []
    for spec in args.logs:
        path, _, label = spec.rpartition(":")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                t = json.loads(line)
                name = f"{label}:{t['name']}"
                result = t["result"]
                if result in PASS:
                    passed += 1
                elif result in SKIP:
                    skipped += 1
                    reason = (t.get("stdout") or "").strip().splitlines()
                    rows.append(f"  SKIP {name}: {reason[-1] if reason else 'no reason printed'}")
                else:
                    failed += 1
                    rows.append(f"  {result} {name} ({t.get('duration', 0):.1f}s)")
    failed += args.build_failures + len(args.failure)
    skipped += len(args.skip)
    if args.build_failures:
        rows.append(f"  {args.build_failures} build(s) failed")
    rows += [f"  FAIL {text}" for text in args.failure]
    rows += [f"  SKIP {text}" for text in args.skip]
    if rows:
        print("Not passed:")
        print("\n".join(rows))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
