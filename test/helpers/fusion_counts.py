"""Counts the fused regions of an `mllmc --fusion-report` by op.

    fusion_counts.py REPORT

Prints one `<op> <count>` line per fused op kind, sorted by name, with
`attention` and `mlp` always present (0 when nothing fused), then
`near misses <count>`.
"""

import collections
import re
import sys

FUSED = re.compile(r"^\s+fused mllm\.(\w+) ")
NEAR_MISS = re.compile(r"^\s+near miss ")


def main():
    with open(sys.argv[1]) as f:
        lines = f.read().splitlines()
    counts = collections.Counter({"attention": 0, "mlp": 0})
    misses = 0
    for line in lines:
        match = FUSED.match(line)
        if match:
            counts[match.group(1)] += 1
        elif NEAR_MISS.match(line):
            misses += 1
    for name in sorted(counts):
        print(f"{name} {counts[name]}")
    print(f"near misses {misses}")


if __name__ == "__main__":
    main()
