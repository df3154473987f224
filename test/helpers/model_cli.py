"""The command line the make_*_models.py helpers share:

    make_X_models.py NAME OUT.onnx [--reference DIR]

writes model NAME, and with --reference the inputs it was run on and
ONNX Runtime's outputs into DIR.
"""

import argparse
import os

import numpy as np
import onnx


def save_arrays(out_dir, arrays, prefix=""):
    """Saves each named array as DIR/<prefix><name>.npy."""
    os.makedirs(out_dir, exist_ok=True)
    for name, value in arrays.items():
        np.save(os.path.join(out_dir, prefix + name + ".npy"), value)


def main(doc, models, build, write_reference):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("name", choices=sorted(models))
    parser.add_argument("output")
    parser.add_argument("--reference", metavar="DIR")
    args = parser.parse_args()
    onnx.save(build(args.name), args.output)
    if args.reference:
        write_reference(args.output, args.reference)
