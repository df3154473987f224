#!/usr/bin/env python3
"""mllmc vs ONNX Runtime on the CPU: the LLaVA-1.5 projector and a CLIP MLP.

Builds the models at real size, compiles them with `mllmc --target=cpu
--cpu=host`, times `mllmc-run --repeat N` (the first run, which loads the
artifact and warms the caches, is not timed) and onnxruntime (all graph
optimizations, the same thread count, warmed up the same way) in one run, and
prints times, ratios and the achieved GFLOP/s of the matmuls (the models'
matmul FLOPs divided by the whole model's time). IREE (iree-base-compiler
and iree-base-runtime from PyPI, llvm-cpu) is timed in the same run when
--iree-python imports it; otherwise its columns say so.

    bench/projector.py [--bin build/bin] [--threads 1,2] [--repeat 10]
                       [--models projector,clip-mlp] [--small]
                       [--iree-python PYTHON | --no-iree]

Benchmarks never gate CI: the script checks that mllmc's output matches
onnxruntime's (relative error) and reports it, but exits 0 on a mismatch.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "helpers"))
import make_llava_projector  # noqa: E402
from common import (IREE_COMPILE_FLAGS, IreeError,  # noqa: E402
                    add_iree_options, add_run_options, compile_iree,
                    cpu_model, find_iree, relative_error, time_iree,
                    time_mllmc, time_ort)


def clip_mlp(tokens=577, width=1024, hidden=4096, seed=0):
    """The MLP of a CLIP ViT-L/14 encoder layer as torch.onnx writes it:
    MatMul/Add -> QuickGELU (x * sigmoid(1.702 x)) -> MatMul/Add."""
    rng = np.random.default_rng(seed)

    def linear(fan_in, fan_out, name):
        bound = 1.0 / np.sqrt(fan_in)
        weight = rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)
        bias = rng.uniform(-bound, bound, (fan_out,)).astype(np.float32)
        return [numpy_helper.from_array(weight, name + ".weight_t"),
                numpy_helper.from_array(bias, name + ".bias")]

    inits = linear(width, hidden, "fc1") + linear(hidden, width, "fc2")
    inits.append(numpy_helper.from_array(np.array(1.702, np.float32), "k"))
    nodes = [
        helper.make_node("MatMul", ["hidden_states", "fc1.weight_t"], ["m1"],
                         name="/fc1/MatMul"),
        helper.make_node("Add", ["fc1.bias", "m1"], ["h"], name="/fc1/Add"),
        helper.make_node("Mul", ["h", "k"], ["hk"], name="/act/Mul"),
        helper.make_node("Sigmoid", ["hk"], ["s"], name="/act/Sigmoid"),
        helper.make_node("Mul", ["h", "s"], ["g"], name="/act/Mul_1"),
        helper.make_node("MatMul", ["g", "fc2.weight_t"], ["m2"],
                         name="/fc2/MatMul"),
        helper.make_node("Add", ["fc2.bias", "m2"], ["out"], name="/fc2/Add"),
    ]
    graph = helper.make_graph(
        nodes, "clip_mlp",
        [helper.make_tensor_value_info("hidden_states", TensorProto.FLOAT,
                                       [1, tokens, width])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT,
                                       [1, tokens, width])],
        initializer=inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model, 2 * tokens * (width * hidden + hidden * width)


def projector(tokens, vision_dim, hidden):
    model = make_llava_projector.build_projector(tokens, vision_dim, hidden)
    return model, 2 * tokens * (vision_dim * hidden + hidden * hidden)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    add_iree_options(parser)
    parser.add_argument("--models", default="projector,clip-mlp")
    parser.add_argument("--small", action="store_true",
                        help="quarter-size models, for a quick check")
    parser.add_argument("--workdir", help="keep the models and artifacts here")
    args = parser.parse_args()

    threads = sorted({int(t) for t in args.threads.split(",")})
    workdir = args.workdir or tempfile.mkdtemp(prefix="mllmc-bench-")
    os.makedirs(workdir, exist_ok=True)
    scale = 4 if args.small else 1
    builders = {
        "projector": lambda: projector(576 // scale, 1024 // scale,
                                       4096 // scale),
        "clip-mlp": lambda: clip_mlp(577 // scale, 1024 // scale,
                                     4096 // scale),
    }
    iree, iree_text = find_iree(args)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"IREE: {iree_text}")
    print(f"{'model':<10} {'thr':>3} {'mllmc ms':>9} {'ort ms':>9} "
          f"{'ort/mllmc':>9} {'iree ms':>9} {'iree/mllmc':>10} "
          f"{'mllmc GF/s':>10} {'ort GF/s':>9}  check (mllmc, iree vs ort)")
    for name in args.models.split(","):
        model, flops = builders[name]()
        onnx_path = os.path.join(workdir, name + ".onnx")
        onnx.save(model, onnx_path)
        artifact = os.path.join(workdir, name + ".mllm")
        start = time.perf_counter()
        subprocess.run([os.path.join(args.bin, "mllmc"), onnx_path,
                        "--target=cpu", "--cpu=host", "-o", artifact],
                       check=True)
        compile_s = time.perf_counter() - start
        iree_module, iree_note = None, ""
        if iree is not None:
            try:
                *iree_module, iree_s = compile_iree(
                    iree, onnx_path, os.path.join(workdir, name + ".iree"))
                iree_note = f", IREE {iree_s:.1f} s (import + compile)"
            except IreeError as error:
                iree_note = f"; IREE {error}"
        graph_input = model.graph.input[0]
        shape = [d.dim_value for d in graph_input.type.tensor_type.shape.dim]
        features = np.random.default_rng(1).standard_normal(shape).astype(
            np.float32)
        input_path = os.path.join(workdir, name + ".input.npy")
        np.save(input_path, features)
        for count in threads:
            outdir = os.path.join(workdir, f"{name}.out{count}")
            m_min = time_mllmc(args.bin, artifact,
                               {graph_input.name: input_path}, outdir, count,
                               args.repeat)
            o_min, expected = time_ort(
                onnx_path, {graph_input.name: features}, count, args.repeat)
            output_name = model.graph.output[0].name
            actual = np.load(os.path.join(outdir, output_name + ".npy"))
            checks = [check(relative_error(actual, expected))]
            i_min, i_ratio = ("n/a", "n/a") if iree is None else \
                ("failed", "failed")
            if iree_module:
                output_path = os.path.join(workdir,
                                           f"{name}.iree.out{count}.npy")
                try:
                    ms = time_iree(iree, *iree_module, model.graph.name,
                                   [input_path], output_path, count,
                                   args.repeat)
                    i_min, i_ratio = f"{ms:.2f}", f"{ms / m_min:.2f}"
                    checks.append(check(relative_error(np.load(output_path),
                                                       expected)))
                except IreeError as error:
                    iree_note += f"; IREE on {count} threads: {error}"
            print(f"{name:<10} {count:>3} {m_min:>9.2f} {o_min:>9.2f} "
                  f"{o_min / m_min:>9.2f} {i_min:>9} {i_ratio:>10} "
                  f"{flops / m_min / 1e6:>10.1f} "
                  f"{flops / o_min / 1e6:>9.1f}  {', '.join(checks)}")
        print(f"  ({name}: {flops / 1e9:.2f} GFLOP, compile {compile_s:.1f} s"
              f"{iree_note})")
    print("times: minimum over --repeat runs after one warm-up run; "
          "ort/mllmc and iree/mllmc > 1 mean mllmc is faster")
    if iree is not None:
        print("IREE: iree-import-onnx (weights as an external parameter "
              "archive), iree-compile " + " ".join(IREE_COMPILE_FLAGS) +
              "; one thread is the local-sync driver, more the local-task "
              "driver with that many topology groups")


def check(error):
    return f"ok ({error:.1e})" if error < 1e-3 else f"MISMATCH ({error:.1e})"


if __name__ == "__main__":
    main()
