"""Runs a committed exporter fixture with ONNX Runtime on seeded inputs.

    exporter_reference.py MODEL.onnx DIR [--seed 1] [--integers LO HI]
        [--dynamic-size N] [--dim NAME=N ...] [--padding-mask NAME=N ...]
        [--ones NAME ...]

Writes DIR/<input>.npy for every graph input (standard-normal floats, int64
token ids in [LO, HI), N for every symbolic dimension but those --dim sizes)
and
DIR/expected/<output>.npy for every output, for mllmc-run and compare_npy.py.
--padding-mask makes input NAME a padding mask instead: ones (keep the
token) with the last N positions of its last axis 0 (right padding);
--ones makes input NAME all ones (a mask keeping every token, any shape).
"""

import argparse
import os

import numpy as np
import onnx

import model_cli


def padding_mask(model_path, text):
    """NAME=N as (NAME, the int64 mask of NAME's static shape)."""
    name, _, count = text.partition("=")
    model = onnx.load(model_path, load_external_data=False)
    for i in model.graph.input:
        if i.name == name:
            shape = [d.dim_value for d in i.type.tensor_type.shape.dim]
            mask = np.ones(shape, np.int64)
            if int(count):
                mask[..., -int(count):] = 0
            return name, mask
    raise SystemExit(f"{model_path} has no input '{name}'")


def ones(model_path, name, dynamic_size, dims):
    """(NAME, int64 ones of NAME's shape: the --dim size of a symbolic dim,
    else `dynamic_size`)."""
    model = onnx.load(model_path, load_external_data=False)
    for i in model.graph.input:
        if i.name == name:
            shape = [d.dim_value if d.HasField("dim_value")
                     else dims.get(d.dim_param, dynamic_size)
                     for d in i.type.tensor_type.shape.dim]
            return name, np.ones(shape, np.int64)
    raise SystemExit(f"{model_path} has no input '{name}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--integers", type=int, nargs=2, default=(0, 2),
                        metavar=("LO", "HI"))
    parser.add_argument("--dynamic-size", type=int, default=2)
    parser.add_argument("--dim", action="append", default=[],
                        metavar="NAME=N")
    parser.add_argument("--padding-mask", action="append", default=[],
                        metavar="NAME=N")
    parser.add_argument("--ones", action="append", default=[],
                        metavar="NAME")
    args = parser.parse_args()
    dims = {name: int(size) for name, _, size in
            (text.partition("=") for text in args.dim)}
    fixed = dict(padding_mask(args.model, text) for text in args.padding_mask)
    fixed.update(ones(args.model, name, args.dynamic_size, dims)
                 for name in args.ones)
    feeds, outputs = model_cli.run_onnxruntime(
        args.model, args.seed, args.dynamic_size, tuple(args.integers), fixed,
        dims)
    model_cli.save_arrays(args.dir, feeds)
    model_cli.save_arrays(os.path.join(args.dir, "expected"), outputs)


if __name__ == "__main__":
    main()
