"""Writes seeded random inputs for the @main function of an mllm .mlir file.

    random_inputs.py MODEL.mlir DIR [--seed 0]

Writes DIR/<name>.npy for every argument, named by its `mllm.name`
attribute, shaped and typed as the argument's (static) tensor type.
"""

import argparse
import os
import re

import numpy as np

ARGUMENT = re.compile(
    r"%\w+:\s*tensor<([0-9x]+)x(f32|f16|i64|i32)>\s*\{mllm\.name\s*=\s*\"([^\"]+)\"")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with open(args.model) as f:
        text = f.read()
    signature = text[text.index("@main("):text.index("->", text.index("@main("))]
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    for dims, dtype, name in ARGUMENT.findall(signature):
        shape = [int(d) for d in dims.split("x")]
        if dtype.startswith("f"):
            value = rng.standard_normal(shape).astype(dtype.replace("f", "float"))
        else:
            value = rng.integers(0, 8, shape).astype(dtype.replace("i", "int"))
        np.save(os.path.join(args.dir, name + ".npy"), value)


if __name__ == "__main__":
    main()
