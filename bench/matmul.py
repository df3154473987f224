#!/usr/bin/env python3
"""The CPU matmul kernel against the machine's sgemm: mllmc vs OpenBLAS
(numpy) and ONNX Runtime on the linear layers of CLIP and LLaMA.

Builds one `mllm.linear`-style ONNX model per shape (MatMul of an input
x [M, K] with a constant weight [K, N], then Add of a constant bias [N]),
with seeded random weights, compiles it with `mllmc --target=cpu --cpu=host`
and times, in one run and on the same thread count:

- mllmc: `mllmc-run --repeat N` (its minimum run time);
- OpenBLAS: numpy's `np.matmul(x, w, out=y)` (sgemm; sgemv for M = 1) in a
  child process started with OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) set
  to the thread count, the minimum of N runs after a warm-up: the
  machine's measured sgemm peak on that shape (the bias add is not timed);
- ONNX Runtime: the same model (ORT_ENABLE_ALL, intra_op_num_threads).

--clock cpu measures CPU time instead of wall-clock time, for one thread
on a shared machine (where other processes take the core away in the
middle of a run): mllmc's time per run is the CPU time of `mllmc-run
--repeat N` less that of `--repeat 0`, divided by N (a mean; the CPU time
of loading the artifact varies by milliseconds, so a short run such as a
decode step needs a large --repeat, e.g. 60); OpenBLAS's and ONNX Runtime's
are the minimum of the process's CPU time per run.

Prints a markdown table of times, GFLOP/s (2 M K N / time), mllmc's share
of OpenBLAS's speed (OpenBLAS time / mllmc time: the DESIGN bar is 80%),
ONNX Runtime's time over mllmc's (> 1: mllmc is faster) and mllmc's
agreement with ONNX Runtime. With --baseline-bin, a second mllmc build
(e.g. the one before a kernel change) compiles and runs the same models,
its runs alternating with the first's (--rounds times), so that an A/B
comparison sees the same machine load.

    bench/matmul.py [--bin build/bin] [--threads 1,2] [--repeat 10]
                    [--shapes clip-qkv,llama-up,...] [--baseline-bin DIR]
                    [--rounds 1] [--clock wall|cpu] [--workdir DIR]

Shapes (M x K x N):
  clip-qkv      577 x 1024 x 1024   CLIP ViT-L/14-336: q/k/v/out projections
  clip-fc1      577 x 1024 x 4096   its MLP up
  clip-fc2      577 x 4096 x 1024   its MLP down
  llama-qkv     128 x 4096 x 4096   LLaMA-7B prefill of 128 tokens
  llama-up      128 x 4096 x 11008  gate/up projections
  llama-down    128 x 11008 x 4096  down projection
  decode-qkv    1 x 4096 x 4096     one decode step
  decode-up     1 x 4096 x 11008

Benchmarks never gate CI: a mismatch with onnxruntime is reported, and the
script still exits 0.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "helpers"))
import model_cli  # noqa: E402
from common import (add_run_options, cpu_model, relative_error,  # noqa: E402
                    time_mllmc, time_ort)

TOLERANCE = 1e-3

SHAPES = {
    "clip-qkv": (577, 1024, 1024),
    "clip-fc1": (577, 1024, 4096),
    "clip-fc2": (577, 4096, 1024),
    "llama-qkv": (128, 4096, 4096),
    "llama-up": (128, 4096, 11008),
    "llama-down": (128, 11008, 4096),
    "decode-qkv": (1, 4096, 4096),
    "decode-up": (1, 4096, 11008),
}

# Times sgemm in a child process, so that OpenBLAS reads its thread count
# from the environment at load time.
SGEMM_SCRIPT = """
import json, sys, time
import numpy as np
m, k, n, repeat = (int(v) for v in sys.argv[1:5])
rng = np.random.default_rng(0)
x = rng.standard_normal((m, k), dtype=np.float32)
w = rng.standard_normal((k, n), dtype=np.float32)
y = np.empty((m, n), np.float32)
np.matmul(x, w, out=y)
clock = time.process_time if sys.argv[5] == "cpu" else time.perf_counter
times = []
for _ in range(repeat):
    start = clock()
    np.matmul(x, w, out=y)
    times.append((clock() - start) * 1e3)
print(json.dumps(min(times)))
"""


def linear_model(m, k, n, seed=0):
    """y = x @ w + b as torch.onnx writes nn.Linear (the weight stored
    transposed, [K, N]; Add(bias, MatMul))."""
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(k)
    weight = rng.uniform(-bound, bound, (k, n)).astype(np.float32)
    bias = rng.uniform(-bound, bound, (n,)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "linear.weight_t"], ["xw"],
                         name="/linear/MatMul"),
        helper.make_node("Add", ["linear.bias", "xw"], ["y"],
                         name="/linear/Add"),
    ]
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        initializer=[numpy_helper.from_array(weight, "linear.weight_t"),
                     numpy_helper.from_array(bias, "linear.bias")])
    return model_cli.exported_model(graph)


def time_sgemm(m, k, n, threads, repeat, clock):
    """OpenBLAS's minimum time for [m, k] x [k, n] on `threads` threads."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads))
    result = subprocess.run(
        [sys.executable, "-c", SGEMM_SCRIPT, str(m), str(k), str(n),
         str(repeat), clock], env=env, capture_output=True, text=True,
        check=True)
    return json.loads(result.stdout)


def child_cpu_seconds(command, env):
    """Runs `command`; returns the CPU time it took (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError("mllmc-run failed:\n" + result.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                 before.ru_stime)


def time_mllmc_cpu(bindir, artifact, input_paths, outdir, repeat):
    """The mean CPU time of one run of the artifact on one thread, in ms:
    `mllmc-run --repeat N` less `--repeat 0` (loading, the first run)."""
    env = dict(os.environ, MLLM_NUM_THREADS="1")
    command = [os.path.join(bindir, "mllmc-run"), artifact,
               f"--output-dir={outdir}"]
    command += [f"--input={name}={path}" for name, path in input_paths.items()]
    base = child_cpu_seconds(command + ["--repeat=0"], env)
    total = child_cpu_seconds(command + [f"--repeat={repeat}"], env)
    return max(total - base, 0.0) / repeat * 1e3


def time_ort_cpu(path, feeds, repeat):
    """ONNX Runtime's minimum CPU time per run on one thread, in ms, and its
    first output."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    outputs = session.run(None, feeds)
    times = []
    for _ in range(repeat):
        start = time.process_time()
        session.run(None, feeds)
        times.append((time.process_time() - start) * 1e3)
    return min(times), outputs[0]


def compile_model(bindir, onnx_path, artifact):
    command = [os.path.join(bindir, "mllmc"), onnx_path, "--target=cpu",
               "--cpu=host", "-o", artifact]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"mllmc failed on {onnx_path}:\n{result.stderr}")


def gflops(flops, ms):
    return flops / ms / 1e6


def agreement(error):
    return f"{error:.1e}" if error < TOLERANCE else f"MISMATCH {error:.1e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help="comma-separated shape names (see above)")
    parser.add_argument("--baseline-bin",
                        help="a second mllmc build to compare with "
                        "(alternating runs)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternations of the builds (minimum over all)")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="cpu: CPU time, one thread only (see above)")
    parser.add_argument("--workdir", help="keep the models and artifacts here")
    args = parser.parse_args()
    if args.clock == "cpu":
        args.threads = "1"

    threads = sorted({int(t) for t in args.threads.split(",")})
    workdir = args.workdir or tempfile.mkdtemp(prefix="mllmc-matmul-bench-")
    os.makedirs(workdir, exist_ok=True)
    builds = [("mllmc", args.bin)]
    if args.baseline_bin:
        builds.append(("baseline", args.baseline_bin))
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                             "HEAD"], capture_output=True, text=True)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}; {args.clock} clock; "
          f"{'minimum' if args.clock == 'wall' else 'mean'} of "
          f"{args.repeat} runs"
          f"{f' x {args.rounds} rounds' if args.rounds > 1 else ''}; commit "
          f"{commit.stdout.strip() or 'unknown'}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    header = "| shape | M x K x N | threads | mllmc ms | mllmc GFLOP/s "
    rule = "|---|---|---:|---:|---:|"
    if args.baseline_bin:
        header += "| baseline ms | baseline GFLOP/s | speedup "
        rule += "---:|---:|---:|"
    header += ("| OpenBLAS ms | OpenBLAS GFLOP/s | % of OpenBLAS | ort ms "
               "| ort/mllmc | vs ort |")
    rule += "---:|---:|---:|---:|---:|---|"
    print(header)
    print(rule)
    for name in args.shapes.split(","):
        m, k, n = SHAPES[name]
        flops = 2 * m * k * n
        onnx_path = os.path.join(workdir, name + ".onnx")
        model = linear_model(m, k, n)
        onnx.save(model, onnx_path)
        del model
        artifacts = {}
        for build, bindir in builds:
            artifacts[build] = os.path.join(workdir, f"{name}.{build}.mllm")
            compile_model(bindir, onnx_path, artifacts[build])
        x = np.random.default_rng(1).standard_normal((m, k)).astype(np.float32)
        x_path = os.path.join(workdir, f"{name}.x.npy")
        np.save(x_path, x)

        for count in threads:
            times = {build: float("inf") for build, _ in builds}
            outputs = {}
            for _ in range(args.rounds):
                for build, bindir in builds:
                    outdir = os.path.join(workdir, f"{name}.{build}.out{count}")
                    if args.clock == "cpu":
                        ms = time_mllmc_cpu(bindir, artifacts[build],
                                            {"x": x_path}, outdir, args.repeat)
                    else:
                        ms = time_mllmc(bindir, artifacts[build],
                                        {"x": x_path}, outdir, count,
                                        args.repeat)
                    times[build] = min(times[build], ms)
                    outputs[build] = np.load(os.path.join(outdir, "y.npy"))
            blas_ms = time_sgemm(m, k, n, count, args.repeat, args.clock)
            if args.clock == "cpu":
                ort_ms, expected = time_ort_cpu(onnx_path, {"x": x},
                                                args.repeat)
            else:
                ort_ms, expected = time_ort(onnx_path, {"x": x}, count,
                                            args.repeat)
            ms = times["mllmc"]
            row = (f"| {name} | {m} x {k} x {n} | {count} | {ms:.2f} "
                   f"| {gflops(flops, ms):.1f} ")
            if args.baseline_bin:
                base = times["baseline"]
                row += (f"| {base:.2f} | {gflops(flops, base):.1f} "
                        f"| {base / ms:.2f}x ")
            error = max(relative_error(out, expected)
                        for out in outputs.values())
            row += (f"| {blas_ms:.2f} | {gflops(flops, blas_ms):.1f} "
                    f"| {100 * blas_ms / ms:.0f}% | {ort_ms:.2f} "
                    f"| {ort_ms / ms:.2f} | {agreement(error)} |")
            print(row, flush=True)
    print()
    print(f"- times ({args.clock} clock): the minimum (mllmc with --clock "
          "cpu: the mean) over --repeat runs after one warm-up run; "
          "GFLOP/s = 2 M K N / time; % of OpenBLAS = OpenBLAS time / mllmc "
          "time (numpy's sgemm, bias not timed); ort/mllmc > 1 means mllmc "
          "is faster; vs ort: max |difference| / max |ort output| (both "
          "builds)")


if __name__ == "__main__":
    main()
