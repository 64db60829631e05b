#!/usr/bin/env python3
"""Writes 1 MiB events, each one large array in a different shape, for the pattern benchmark's bound on the
work a single event can cost (bench/README.md). Deterministic; each line is under 1 MiB (1,048,576 bytes)
and nests at most 64 levels.

usage: generate-large-events.py OUT.jsonl
"""
import json
import random
import sys

LIMIT = 1024 * 1024 - 64
rng = random.Random(18)


def feature(geometry=None, properties=None):
    return {"type": "Feature",
            "properties": properties if properties is not None else {"MAPBLKLOT": "1430022", "STREET": "FULTON", "ST_TYPE": "ST"},
            "geometry": geometry if geometry is not None else {"type": "Polygon"}}


def fill(make, item):
    """The event make(items) with as many items as fit under the limit."""
    items = []
    size = len(json.dumps(make(items), separators=(",", ":")))
    step = len(json.dumps(item(0), separators=(",", ":"))) + 1
    i = 0
    while size + step < LIMIT:
        items.append(item(i))
        size += len(json.dumps(items[-1], separators=(",", ":"))) + 1
        i += 1
    return make(items)


def coordinate(i):
    return round(-122.5 + rng.random() * 0.2, 14)


shapes = {
    # numbers no pattern reads, inside a path that patterns read below (geometry.coordinates.x)
    "numbers": fill(lambda a: feature({"type": "Polygon", "coordinates": [a]}), lambda i: [coordinate(i), 37.7]),
    # objects whose x and y the COMPLEX_ARRAYS patterns read: one leaf each per element
    "points": fill(lambda a: feature({"type": "MultiPolygon", "coordinates": [a]}),
                   lambda i: {"x": coordinate(i), "y": 37.729900216217324, "z": 0}),
    # strings at a path every string kind reads
    "strings": fill(lambda a: feature(properties={"STREET": a, "MAPBLKLOT": "1430022", "ST_TYPE": "ST"}),
                    lambda i: rng.choice(["FULTON", "MASON", "ACTON", "BLAKE", "RHODE", "1430022"])),
    # empty objects and arrays under a path with children
    "empties": fill(lambda a: feature(properties=a), lambda i: {} if i % 2 else []),
    # deep arrays: 60 levels, repeated
    "deep": fill(lambda a: feature({"type": "Polygon", "coordinates": a}),
                 lambda i: json.loads("[" * 58 + "1" + "]" * 58)),
    # fields of one pattern spread over different elements: no element holds both, so no match
    "disjoint": fill(lambda a: {"type": "Feature", "geometry": a},
                     lambda i: {"type": "MultiPolygon"} if i % 2 == 0
                     else {"coordinates": {"y": 37.729900216217324}, "firstCoordinates": {"z": 0}}),
    # keys no pattern mentions
    "keys": {"type": "Feature", "properties": dict(fill(lambda a: a, lambda i: ["k%06d" % i, i]))},
    # one long string no pattern reads
    "string": {"type": "Feature", "blob": "x" * (LIMIT - 40)},
}

with open(sys.argv[1], "w") as out:
    for name, event in shapes.items():
        line = json.dumps(event, separators=(",", ":"))
        assert len(line.encode()) <= 1024 * 1024, (name, len(line))
        out.write(line + "\n")
        print(f"{name}: {len(line)} bytes", file=sys.stderr)
