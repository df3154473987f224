"""What the bench scripts share: timing an mllmc artifact with mllmc-run and
the same model with ONNX Runtime's CPU provider, the agreement of their
outputs, the CPU's name for the table header, and the options that choose
the binaries, thread counts and repetitions."""

import os
import re
import subprocess
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_run_options(parser):
    """The options every bench script takes: --bin, --threads, --repeat."""
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"),
                        help="folder with mllmc and mllmc-run")
    parser.add_argument("--threads", default=f"1,{os.cpu_count()}",
                        help="comma-separated thread counts (default: 1 and "
                        "the core count)")
    parser.add_argument("--repeat", type=int, default=10)


def time_mllmc(bindir, artifact, input_paths, outdir, threads, repeat):
    """Runs the artifact `repeat` times after a warm-up with mllmc-run on
    `threads` threads (input_paths maps input names to .npy files); returns
    the minimum time in ms."""
    env = dict(os.environ, MLLM_NUM_THREADS=str(threads))
    command = [os.path.join(bindir, "mllmc-run"), artifact,
               f"--output-dir={outdir}", f"--repeat={repeat}"]
    command += [f"--input={name}={path}" for name, path in input_paths.items()]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("mllmc-run failed:\n" + result.stderr)
    match = re.search(r"min ([0-9.]+) ms", result.stderr)
    if not match:
        raise RuntimeError("mllmc-run printed no timing:\n" + result.stderr)
    return float(match.group(1))


def time_ort(path, feeds, threads, repeat):
    """Runs the model `repeat` times after a warm-up with ONNX Runtime (all
    graph optimizations, `threads` intra-op threads); returns the minimum
    time in ms and the first output."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    outputs = session.run(None, feeds)  # warm-up, as mllmc-run's first run
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), outputs[0]


def relative_error(actual, expected):
    return float(np.abs(actual - expected).max() /
                 max(np.abs(expected).max(), 1e-30))


def cpu_model():
    try:
        return next(line.split(":", 1)[1].strip()
                    for line in open("/proc/cpuinfo")
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"
