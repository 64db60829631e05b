#!/usr/bin/env python3
"""Runs our pattern harness (bench/EventPatterns.Benchmarks) and event-ruler's (CityLotsBench) alternately on
the same rules and events, N rounds, both pinned to one CPU, each run starting once the machine is quiet, and
prints per kind both rates, the ratio ours/event-ruler (median of the rounds' ratios) and whether the match
counts agree. See bench/README.md.

usage: bench/side-by-side.py [--rounds 3] [--cpu 1] [--rules FILE] [--events FILE]
                             [--event-ruler DIR] [--max-load-per-core 0.2] [--max-wait 300] [--keep DIR]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OURS = os.path.join(ROOT, "artifacts", "bin", "EventPatterns.Benchmarks", "release", "EventPatterns.Benchmarks")


def log(message):
    print(message, file=sys.stderr, flush=True)


def wait_until_quiet(limit, max_wait):
    """Waits until the 1-minute load average per core is below limit; gives up after max_wait seconds."""
    cores = os.cpu_count() or 1
    started = time.monotonic()
    while True:
        load = os.getloadavg()[0] / cores
        if load < limit:
            return None
        waited = time.monotonic() - started
        if waited >= max_wait:
            note = f"load {load:.2f} per core still above {limit} after {max_wait:.0f} s: ran anyway"
            log(note)
            return note
        time.sleep(min(10, max_wait - waited))


def run(name, command, keep, round_number):
    log(f"round {round_number}: {name}: {' '.join(command)}")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if keep:
        with open(os.path.join(keep, f"{name}-{round_number}.out"), "w") as f:
            f.write(result.stdout)
        with open(os.path.join(keep, f"{name}-{round_number}.err"), "w") as f:
            f.write(result.stderr)
    if result.returncode != 0:
        log(result.stderr)
        sys.exit(f"{name} exited {result.returncode}")
    lines = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4:
            lines[parts[0]] = (float(parts[1]), int(parts[2]), float(parts[3]))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", default="1", help="the CPU both harnesses are pinned to (taskset -c)")
    parser.add_argument("--rules", default=os.path.join("..", "shared", "bench", "citylots2-benchmark-rules.json"))
    parser.add_argument("--events", default=os.path.join(".build", "bench", "citylots-synth.json.gz"))
    parser.add_argument("--event-ruler", default=os.path.join("..", "shared", "bench", "event-ruler"))
    parser.add_argument("--max-load-per-core", type=float, default=0.2)
    parser.add_argument("--max-wait", type=float, default=300)
    parser.add_argument("--keep", help="a folder to keep every run's output in")
    args = parser.parse_args()
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    subprocess.run(["dotnet", "build", "-c", "Release", "bench/EventPatterns.Benchmarks", "-v", "q", "-nologo"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    harnesses = [
        ("event-ruler", [os.path.join(args.event_ruler, "run.sh")]),
        ("ours", [OURS]),
    ]
    results = {name: [] for name, _ in harnesses}
    notes = []
    for round_number in range(1, args.rounds + 1):
        for name, command in harnesses:
            note = wait_until_quiet(args.max_load_per_core, args.max_wait)
            if note:
                notes.append(f"round {round_number} {name}: {note}")
            full = ["taskset", "-c", args.cpu] + command + ["--rules", args.rules, "--events", args.events]
            results[name].append(run(name, full, args.keep, round_number))

    kinds = list(results["ours"][0].keys())
    print(f"{'KIND':<26} {'OURS/S':>10} {'EVENT-RULER/S':>14} {'RATIO':>6} MATCHES")
    for kind in kinds:
        ours = [r[kind] for r in results["ours"] if kind in r]
        theirs = [r[kind] for r in results["event-ruler"] if kind in r]
        if len(ours) != args.rounds or len(theirs) != args.rounds:
            print(f"{kind:<26} missing from a run")
            continue
        ratio = statistics.median(o[0] / t[0] for o, t in zip(ours, theirs))
        counts = {o[1] for o in ours} | {t[1] for t in theirs}
        agree = "agree" if len(counts) == 1 else "DIFFER " + "/".join(str(c) for c in sorted(counts))
        print(f"{kind:<26} {statistics.median(o[0] for o in ours):>10.0f} {statistics.median(t[0] for t in theirs):>14.0f} "
              f"{ratio:>6.2f} {agree}")
    for note in notes:
        print(f"note: {note}")
    load = os.getloadavg()
    print(f"rounds {args.rounds}, cpu {args.cpu}, load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
