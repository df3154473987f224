"""Compares .npy results with references element by element.

    compare_elementwise.py ACTUAL_DIR EXPECTED_DIR NAME... [--rtol R] [--atol A]

For each NAME, ACTUAL_DIR/NAME.npy must have the shape and dtype of
EXPECTED_DIR/expected_NAME.npy and every element must satisfy
|actual - expected| <= atol + rtol * |expected| (NaN and infinities must
match exactly). Prints one line per name with the worst element's relative
error and exits non-zero on the first mismatch.
"""

import argparse
import os
import sys

import numpy as np


def compare(actual, expected, rtol, atol):
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        return (f"mismatch: {actual.dtype}{list(actual.shape)} vs expected "
                f"{expected.dtype}{list(expected.shape)}")
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    special = ~np.isfinite(e) | ~np.isfinite(a)
    if not np.array_equal(a[special], e[special], equal_nan=True):
        return "mismatch: NaN or infinity differs"
    diff = np.abs(a - e)[~special]
    bound = (atol + rtol * np.abs(e))[~special]
    worst = (diff / np.maximum(np.abs(e[~special]), np.finfo(np.float64).tiny)
             ).max(initial=0.0)
    if np.any(diff > bound):
        i = np.argmax(diff - bound)
        return (f"FAIL: element error {diff[i]:.3e} above {bound[i]:.3e} "
                f"(worst relative error {worst:.3e})")
    return f"ok: worst relative error {worst:.3e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actual_dir")
    parser.add_argument("expected_dir")
    parser.add_argument("names", nargs="+")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=0.0)
    args = parser.parse_args()
    for name in args.names:
        actual = np.load(os.path.join(args.actual_dir, name + ".npy"))
        expected = np.load(
            os.path.join(args.expected_dir, "expected_" + name + ".npy"))
        verdict = compare(actual, expected, args.rtol, args.atol)
        print(f"{name}: {verdict}")
        if not verdict.startswith("ok"):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
