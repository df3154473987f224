"""mllmc's attention kernel on a CUDA GPU against PyTorch's fused
scaled_dot_product_attention at real sizes, outputs checked against a
float64 reference.

    attention_gpu.py --stage DIR [--arch sm_90]   build the ONNX Attention
        models and compile them for CUDA (any machine with mllmc and ptxas)
    attention_gpu.py --run DIR                    on the GPU machine: make
        seeded inputs, time mllmc-run --device=cuda and torch, print a table

Staging and running apart lets the GPU machine go without the compiler. The
run needs DIR (artifacts, mllmc-run and the runtime library, copied in by
--stage), numpy and torch with CUDA.

Two ratios per case: PyTorch's kernel time (CUDA events around the SDPA call
alone) over mllmc's run (mllmc-run's time of a run: the launches and the wait
for them, with the inputs already on the GPU), and the end-to-end ratio,
where both sides also copy the inputs to the GPU and the output back. A
ratio above 1 means mllmc is faster.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (batch, query heads, kv heads, query length, key length, head dim,
#        causal)
CASES = {
    "clip-l336 (577 tokens, 16x64)": (1, 16, 16, 577, 577, 64, False),
    "llama-7b prefill (2048, 32x128, causal)": (1, 32, 32, 2048, 2048, 128,
                                                True),
    "llama-3-8b prefill (2048, 32/8 GQA, causal)": (1, 32, 8, 2048, 2048, 128,
                                                    True),
    "decode (1 query, 4096 keys, 32/8 GQA)": (1, 32, 8, 1, 4096, 128, False),
}


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.split(" (")[0].lower()).strip("-")


def attention_model(path, batch, heads, kv_heads, sq, skv, dim, causal):
    import onnx
    from onnx import TensorProto, helper
    f32 = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info("q", f32, [batch, heads, sq, dim]),
              helper.make_tensor_value_info("k", f32,
                                            [batch, kv_heads, skv, dim]),
              helper.make_tensor_value_info("v", f32,
                                            [batch, kv_heads, skv, dim])]
    output = helper.make_tensor_value_info("y", f32, [batch, heads, sq, dim])
    node = helper.make_node("Attention", ["q", "k", "v"], ["y"],
                            is_causal=int(causal), name="attention")
    graph = helper.make_graph([node], "attention", inputs, [output])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 23)])
    onnx.save(model, path)


def stage(dir, bindir, arch):
    shutil.rmtree(dir, ignore_errors=True)
    os.makedirs(os.path.join(dir, "bin"))
    os.makedirs(os.path.join(dir, "lib"))
    shutil.copy(os.path.join(bindir, "mllmc-run"), os.path.join(dir, "bin"))
    libdir = os.path.join(os.path.dirname(bindir), "lib")
    for name in os.listdir(libdir):
        if name.startswith("libmllm_runtime.so"):
            shutil.copy(os.path.join(libdir, name), os.path.join(dir, "lib"))
    for name, shape in CASES.items():
        model = os.path.join(dir, slug(name) + ".onnx")
        attention_model(model, *shape)
        subprocess.run([os.path.join(bindir, "mllmc"), model, "--target=cuda",
                        f"--gpu-arch={arch}", "-o",
                        os.path.join(dir, slug(name) + ".mllm")], check=True)
        os.remove(model)
    with open(os.path.join(dir, "cases.json"), "w") as f:
        json.dump(CASES, f)


def torch_reference(q, k, v, heads, kv_heads, causal):
    """float64 SDPA on the GPU (the math kernel), the grouped heads repeated."""
    import torch
    q, k, v = (torch.from_numpy(x).cuda().double() for x in (q, k, v))
    k = k.repeat_interleave(heads // kv_heads, dim=1)
    v = v.repeat_interleave(heads // kv_heads, dim=1)
    return torch.nn.functional.scaled_dot_product_attention(
        q, k, v, is_causal=causal).cpu().numpy()


def time_torch(q, k, v, heads, kv_heads, causal, repeat):
    """Median kernel time and median end-to-end time (host arrays in, host
    array out) of float32 SDPA, in ms."""
    import torch
    sdpa = torch.nn.functional.scaled_dot_product_attention
    gqa = heads != kv_heads

    def run(qd, kd, vd):
        return sdpa(qd, kd, vd, is_causal=causal, enable_gqa=gqa)

    devs = [torch.from_numpy(x).cuda() for x in (q, k, v)]
    for _ in range(3):
        run(*devs)
    torch.cuda.synchronize()
    kernel = []
    for _ in range(repeat):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        run(*devs)
        end.record()
        end.synchronize()
        kernel.append(start.elapsed_time(end))
    whole = []
    for _ in range(repeat):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        run(*(torch.from_numpy(x).cuda() for x in (q, k, v))).cpu()
        end.record()
        end.synchronize()
        whole.append(start.elapsed_time(end))
    return float(np.median(kernel)), float(np.median(whole))


def run(dir, repeat):
    import torch
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.path.join(dir, "lib") + os.pathsep + env.get(
        "LD_LIBRARY_PATH", "")
    print(f"GPU: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    rows, failed = [], False
    cases = json.load(open(os.path.join(dir, "cases.json")))
    for name, (batch, heads, kv_heads, sq, skv, dim, causal) in cases.items():
        rng = np.random.default_rng(0)
        q = rng.standard_normal((batch, heads, sq, dim), np.float32)
        k = rng.standard_normal((batch, kv_heads, skv, dim), np.float32)
        v = rng.standard_normal((batch, kv_heads, skv, dim), np.float32)
        work = os.path.join(dir, slug(name))
        os.makedirs(work, exist_ok=True)
        for n, x in (("q", q), ("k", k), ("v", v)):
            np.save(os.path.join(work, n + ".npy"), x)
        result = subprocess.run(
            [os.path.join(dir, "bin", "mllmc-run"),
             os.path.join(dir, slug(name) + ".mllm"), "--device=cuda",
             f"--repeat={repeat}", f"--output-dir={work}/out"] +
            [f"--input={n}={work}/{n}.npy" for n in "qkv"],
            env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"{name}: mllmc-run failed:\n{result.stderr}")
            failed = True
            continue
        times = re.search(r"min ([0-9.]+) ms; with the input and output "
                          r"copies: min ([0-9.]+) ms", result.stderr)
        ours, ours_whole = float(times.group(1)), float(times.group(2))
        y = np.load(os.path.join(work, "out", "y.npy"))
        expected = torch_reference(q, k, v, heads, kv_heads, causal)
        error = float(np.linalg.norm(y - expected) / np.linalg.norm(expected))
        if not error < 1e-4:
            failed = True
        kernel, whole = time_torch(q, k, v, heads, kv_heads, causal, repeat)
        rows.append((name, error, ours, ours_whole, kernel, whole))
        shutil.rmtree(work)
    print()
    print("| case | rel. error vs f64 | mllmc run (ms) | torch SDPA kernel "
          "(ms) | kernel ratio | mllmc copies + run (ms) | torch copies + "
          "SDPA (ms) | end-to-end ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, error, ours, ours_whole, kernel, whole in rows:
        print(f"| {name} | {error:.1e} | {ours:.3f} | {kernel:.3f} | "
              f"{kernel / ours:.3f} | {ours_whole:.3f} | {whole:.3f} | "
              f"{whole / ours_whole:.3f} |")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--stage", metavar="DIR")
    mode.add_argument("--run", metavar="DIR")
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--arch", default="sm_90")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if args.stage:
        stage(args.stage, args.bin, args.arch)
        return 0
    return run(args.run, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
