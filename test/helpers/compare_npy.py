"""Compares an .npy result with a reference: shape, dtype and relative error.

    compare_npy.py ACTUAL.npy EXPECTED.npy [--rtol 1e-4]

The relative error is max|actual - expected| / max|expected|. Prints it and
exits non-zero when shapes or dtypes differ or the error exceeds --rtol.
"""

import argparse
import ast
import array
import sys

try:
    import numpy as np
except ImportError:  # A GPU machine may have python3 without NumPy.
    np = None


def load_float32(path):
    """Reads a little-endian float32 .npy without NumPy: (shape, values)."""
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            raise ValueError(f"{path} is not an .npy file")
        major = f.read(2)[0]
        size = int.from_bytes(f.read(2 if major == 1 else 4), "little")
        header = ast.literal_eval(f.read(size).decode("latin1"))
        if header["descr"] != "<f4" or header["fortran_order"]:
            raise ValueError(f"{path}: only C-order float32 without NumPy")
        values = array.array("f")
        values.frombytes(f.read())
        return tuple(header["shape"]), values


def relative_error_without_numpy(actual_path, expected_path):
    (shape_a, a), (shape_e, e) = load_float32(actual_path), load_float32(expected_path)
    if shape_a != shape_e:
        return None, f"mismatch: {list(shape_a)} vs expected {list(shape_e)}"
    scale = max((abs(x) for x in e), default=0.0) or 1e-38
    return max((abs(x - y) for x, y in zip(a, e)), default=0.0) / scale, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("actual")
    parser.add_argument("expected")
    parser.add_argument("--rtol", type=float, default=1e-4)
    args = parser.parse_args()
    if np is None:
        error, mismatch = relative_error_without_numpy(args.actual, args.expected)
        if mismatch:
            print(mismatch)
            return 1
        return report(error, args.rtol)
    actual, expected = np.load(args.actual), np.load(args.expected)
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        print(f"mismatch: {actual.dtype}{list(actual.shape)} vs expected "
              f"{expected.dtype}{list(expected.shape)}")
        return 1
    if expected.size == 0:
        return report(0.0, args.rtol)
    diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    scale = max(np.abs(expected.astype(np.float64)).max(), np.finfo(np.float32).tiny)
    return report(diff.max() / scale if diff.size else 0.0, args.rtol)


def report(error, rtol):
    verdict = "ok" if error <= rtol else "FAIL"
    print(f"{verdict}: relative error {error:.3e} (tolerance {rtol:.0e})")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
