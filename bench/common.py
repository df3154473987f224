"""What the bench scripts share: timing an mllmc artifact with mllmc-run and
the same model with ONNX Runtime's CPU provider, the agreement of their
outputs, the CPU's name for the table header, and the options that choose
the binaries, thread counts and repetitions."""

import json
import os
import re
import subprocess
import sys
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


# --- IREE ---------------------------------------------------------------------
#
# IREE (iree-base-compiler and iree-base-runtime from PyPI) is a peer, not a
# requirement: when its packages cannot be imported, the benches say so in
# their IREE columns and go on. Its runs happen in a child process (this file
# run as a script with the IREE python), so that each thread count gets a
# driver of its own and a failure in IREE cannot take the bench down.

IREE_INSTALL = "pip install iree-base-compiler iree-base-runtime"

#: iree-compile's flags: the local device, the llvm-cpu backend, the host
#: CPU, and data tiling (matmul operands packed into tiles, the mmt4d path),
#: which IREE 3.13 leaves off at its default optimization level: without it
#: the CLIP layer of fusion.py ran 14x slower (8.1 s instead of 0.56 s, one
#: thread). --iree-opt-level=O2 or O3 is not faster without data tiling and,
#: with it, fails on the CLIP layer's LayerNormalization ("operations with
#: large vector sizes").
IREE_COMPILE_FLAGS = ["--iree-hal-target-device=local",
                      "--iree-hal-local-target-device-backends=llvm-cpu",
                      "--iree-llvmcpu-target-cpu=host",
                      "--iree-opt-data-tiling"]


class IreeError(RuntimeError):
    """IREE could not import, compile or run a model; the message is one
    short line for a table's notes."""


def add_iree_options(parser):
    """--iree-python (a python that imports iree.compiler and iree.runtime)
    and --no-iree."""
    parser.add_argument("--iree-python", default=sys.executable,
                        help="python with iree-base-compiler and "
                        "iree-base-runtime (default: this one)")
    parser.add_argument("--no-iree", action="store_true",
                        help="leave IREE out")


def find_iree(args):
    """(the python to run IREE with or None, a line saying which IREE runs
    or why none does) for the options of add_iree_options."""
    if args.no_iree:
        return None, "IREE left out (--no-iree)"
    try:
        return args.iree_python, iree_version(args.iree_python)
    except IreeError as error:
        return None, str(error)


def iree_version(python):
    """The versions of IREE's compiler and runtime packages in `python`
    ("iree-base-compiler 3.13.0, iree-base-runtime 3.13.0"), or raises
    IreeError saying why IREE cannot be used and how to install it."""
    script = ("from importlib.metadata import version\n"
              "import iree.compiler, iree.runtime\n"
              "print(', '.join(p + ' ' + version(p) for p in "
              "('iree-base-compiler', 'iree-base-runtime')))")
    try:
        result = subprocess.run([python, "-c", script], capture_output=True,
                                text=True)
    except OSError as error:
        raise IreeError(f"IREE not available ({python}: {error.strerror}); "
                        f"install it with `{IREE_INSTALL}`") from None
    if result.returncode != 0:
        raise IreeError(f"IREE not importable in {python}; install it with "
                        f"`{IREE_INSTALL}` or name a python that has it with "
                        "--iree-python")
    return result.stdout.strip()


def _iree_failure(step, result):
    """One line from a failed IREE tool's output: its first `error:` line,
    else its last line."""
    lines = [line.strip() for line in
             (result.stderr + result.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    line = (errors or lines or [f"exit status {result.returncode}"])[0]
    return IreeError(f"{step} failed: {line[:240]}")


def compile_iree(python, onnx_path, stem):
    """Imports the ONNX model with IREE's importer (weights externalized to
    `stem`.irpa, a parameter archive, so that large layers need no MLIR text
    of their weights) and compiles it for llvm-cpu with IREE_COMPILE_FLAGS.
    Returns the .vmfb, the .irpa and the seconds both steps took; raises
    IreeError with the reason on a failure."""
    mlir, irpa, vmfb = stem + ".mlir", stem + ".irpa", stem + ".vmfb"
    start = time.perf_counter()
    result = subprocess.run(
        [python, "-m", "iree.compiler.tools.import_onnx", onnx_path, "-o",
         mlir, "--externalize-params", "--save-params-to", irpa],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise _iree_failure("iree-import-onnx", result)
    result = subprocess.run(
        [python, "-m", "iree.compiler.tools.scripts.iree_compile", mlir,
         *IREE_COMPILE_FLAGS, "-o", vmfb], capture_output=True, text=True)
    if result.returncode != 0:
        raise _iree_failure("iree-compile", result)
    return vmfb, irpa, time.perf_counter() - start


def time_iree(python, vmfb, irpa, function, input_paths, output_path, threads,
              repeat):
    """Runs `function` of the compiled module `repeat` times after a warm-up
    with IREE's python runtime on `threads` threads: one thread is the
    local-sync driver (everything on the calling thread), more are the
    local-task driver with a task topology of `threads` groups. Inputs
    (.npy files, in the function's argument order) are put on the device
    once; a timed run is the call and the mapping of its outputs to the host.
    Saves the first output to output_path and returns the minimum time in
    ms; raises IreeError with the reason on a failure."""
    spec = dict(vmfb=vmfb, irpa=irpa, function=function, inputs=input_paths,
                output=output_path, threads=threads, repeat=repeat)
    result = subprocess.run([python, os.path.abspath(__file__), "--iree-run",
                             json.dumps(spec)], capture_output=True, text=True)
    match = re.search(r"^iree min ([0-9.]+) ms$", result.stdout, re.M)
    if result.returncode != 0 or not match:
        raise _iree_failure("IREE run", result)
    return float(match.group(1))


def _iree_run(spec):
    """The child process of time_iree."""
    import iree.runtime as rt
    if spec["threads"] == 1:
        config = rt.Config("local-sync")
    else:
        rt.flags.parse_flags(f"--task_topology_group_count={spec['threads']}")
        config = rt.Config("local-task")
    instance = config.vm_instance
    parameters = rt.ParameterIndex()
    parameters.load(spec["irpa"])
    modules = [
        rt.create_io_parameters_module(
            instance, parameters.create_provider(scope="model")),
        rt.create_hal_module(instance, config.device),
        rt.VmModule.mmap(instance, spec["vmfb"]),
    ]
    context = rt.SystemContext(vm_modules=modules, config=config)
    function = context.modules.module[spec["function"]]
    inputs = [rt.asdevicearray(config.device, np.load(path))
              for path in spec["inputs"]]

    def run():
        results = function(*inputs)
        if not isinstance(results, (tuple, list)):
            results = (results,)
        return [result.to_host() for result in results]

    outputs = run()  # warm-up: loads the parameters, runs the initializers
    times = []
    for _ in range(spec["repeat"]):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    np.save(spec["output"], outputs[0])
    print(f"iree min {min(times):.4f} ms")


if __name__ == "__main__" and sys.argv[1:2] == ["--iree-run"]:
    _iree_run(json.loads(sys.argv[2]))
