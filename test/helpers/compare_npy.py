"""Compares an .npy result with a reference: shape, dtype and relative error.

    compare_npy.py ACTUAL.npy EXPECTED.npy [--rtol 1e-4]

The relative error is max|actual - expected| / max|expected|. Prints it and
exits non-zero when shapes or dtypes differ or the error exceeds --rtol.
"""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("actual")
    parser.add_argument("expected")
    parser.add_argument("--rtol", type=float, default=1e-4)
    args = parser.parse_args()
    actual, expected = np.load(args.actual), np.load(args.expected)
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        print(f"mismatch: {actual.dtype}{list(actual.shape)} vs expected "
              f"{expected.dtype}{list(expected.shape)}")
        return 1
    diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    scale = max(np.abs(expected.astype(np.float64)).max(), np.finfo(np.float32).tiny)
    error = diff.max() / scale if diff.size else 0.0
    verdict = "ok" if error <= args.rtol else "FAIL"
    print(f"{verdict}: relative error {error:.3e} (tolerance {args.rtol:.0e})")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
