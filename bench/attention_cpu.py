#!/usr/bin/env python3
"""Attention alone on the CPU: mllmc's flash-attention loop nest against its
unfused path (--no-fusion) and ONNX Runtime, at the sizes of real models.

    bench/attention_cpu.py [--bin build/bin] [--threads 1] [--repeat 10]
                           [--cases clip,prefill-128,...] [--before DIR]
                           [--rounds N] [--workdir DIR]

Each case is built twice with onnx.helper (no torch):

- as one ONNX `Attention` node (opset 23; is_causal for the causal cases,
  kv_num_heads < q_num_heads for grouped-query attention). ONNX Runtime
  1.32 runs this op on its CPU provider; mllmc imports it as one
  mllm.attention, which the CPU lowers to the flash-attention loop nest;
- as the graph torch.onnx writes for eager attention (opset 17): MatMul(Q,
  Transpose(K)), Mul by the scale, Add of a constant causal mask, Softmax,
  MatMul(., V), with repeat_kv (Unsqueeze, Expand, Reshape) for grouped
  heads. mllmc compiles it with --no-fusion (the scores materialized); ONNX
  Runtime runs it too at ORT_ENABLE_ALL ("ort decomposed").

Times are the minimum of --repeat runs after a warm-up, alternated over
--rounds rounds (the minimum over all); `mllmc-run --repeat` for mllmc
(MLLM_NUM_THREADS threads), an InferenceSession with intra_op_num_threads
for ONNX Runtime. --before DIR also compiles the Attention models with
DIR/mllmc (a build from before a change) and times those artifacts in the
same rounds, for an A/B table. The ratios are ONNX Runtime's time over
mllmc's (> 1: mllmc is faster); "vs ort" is max |difference| / max |ONNX
Runtime output| of each artifact. Benchmarks never gate CI.
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
import model_cli  # noqa: E402
from common import (add_run_options, cpu_model, relative_error,  # noqa: E402
                    time_mllmc, time_ort)

TOLERANCE = 1e-3

# name: (batch, query heads, kv heads, query length, key length, head dim,
#        causal)
CASES = {
    "clip": (1, 16, 16, 577, 577, 64, False),
    "prefill-128": (1, 32, 32, 128, 128, 128, True),
    "prefill-512": (1, 32, 32, 512, 512, 128, True),
    "decode-gqa": (1, 32, 8, 1, 4096, 128, False),
}
DESCRIPTIONS = {
    "clip": "CLIP ViT-L/14-336: 1x16x577x64, no mask",
    "prefill-128": "LLaMA-7B prefill: 1x32x128x128, causal",
    "prefill-512": "LLaMA-7B prefill: 1x32x512x128, causal",
    "decode-gqa": "GQA decode: 1 query, 32 q / 8 kv heads, 4096 keys, 128",
}


def inputs_of(batch, heads, kv_heads, sq, skv, dim):
    f32 = TensorProto.FLOAT
    return [helper.make_tensor_value_info("q", f32, [batch, heads, sq, dim]),
            helper.make_tensor_value_info("k", f32,
                                          [batch, kv_heads, skv, dim]),
            helper.make_tensor_value_info("v", f32,
                                          [batch, kv_heads, skv, dim])]


def attention_model(batch, heads, kv_heads, sq, skv, dim, causal):
    """One ONNX Attention node (opset 23)."""
    node = helper.make_node("Attention", ["q", "k", "v"], ["y"],
                            is_causal=int(causal), name="attention")
    output = helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                           [batch, heads, sq, dim])
    graph = helper.make_graph([node], "attention",
                              inputs_of(batch, heads, kv_heads, sq, skv, dim),
                              [output])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 23)])
    model.ir_version = 10
    onnx.checker.check_model(model, full_check=True)
    return model


def decomposed_model(batch, heads, kv_heads, sq, skv, dim, causal):
    """Eager attention as torch.onnx writes it (opset 17)."""
    nodes, initializers = [], []

    def node(op, inputs, **attrs):
        name = f"/attn/{op}_{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [name + "_output_0"],
                                      name=name, **attrs))
        return name + "_output_0"

    def const(name, array):
        initializers.append(numpy_helper.from_array(array, name))
        return name

    k, v = "k", "v"
    if kv_heads != heads:
        rep = heads // kv_heads

        def repeat_kv(t):
            t = node("Unsqueeze", [t, const(f"axes_{t}", np.array([2]))])
            t = node("Expand", [t, const(f"expand_{t}", np.array(
                [batch, kv_heads, rep, skv, dim]))])
            return node("Reshape", [t, const(f"shape_{t}", np.array(
                [batch, heads, skv, dim]))])
        k, v = repeat_kv(k), repeat_kv(v)
    kt = node("Transpose", [k], perm=[0, 1, 3, 2])
    scores = node("Mul", [node("MatMul", ["q", kt]),
                          const("scale", np.array(dim ** -0.5, np.float32))])
    if causal:
        # Bottom-right aligned, as mllm.attention and ONNX Attention with
        # Sq == Skv.
        mask = np.triu(np.full((sq, skv), np.finfo(np.float32).min,
                               np.float32), k=1 + skv - sq)
        scores = node("Add", [scores, const("causal_mask",
                                            mask.reshape(1, 1, sq, skv))])
    probs = node("Softmax", [scores], axis=-1)
    nodes.append(helper.make_node("MatMul", [probs, v], ["y"],
                                  name="/attn/MatMul_out"))
    output = helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                           [batch, heads, sq, dim])
    graph = helper.make_graph(nodes, "main_graph",
                              inputs_of(batch, heads, kv_heads, sq, skv, dim),
                              [output], initializer=initializers)
    return model_cli.exported_model(graph)


def compile_model(bindir, onnx_path, artifact, fused):
    command = [os.path.join(bindir, "mllmc"), onnx_path, "--target=cpu",
               "--cpu=host", "-o", artifact]
    if not fused:
        command.append("--no-fusion")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"mllmc failed on {onnx_path}:\n{result.stderr}")


def agreement(error):
    return f"{error:.1e}" if error < TOLERANCE else f"MISMATCH {error:.1e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    parser.set_defaults(threads="1")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--before", help="a folder with an older mllmc, "
                        "whose flash artifacts are timed in the same rounds")
    parser.add_argument("--rounds", type=int, default=3,
                        help="timing rounds, alternating the artifacts")
    parser.add_argument("--workdir", help="keep the models and artifacts here")
    args = parser.parse_args()

    threads = sorted({int(t) for t in args.threads.split(",")})
    workdir = args.workdir or tempfile.mkdtemp(prefix="mllmc-attention-")
    os.makedirs(workdir, exist_ok=True)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                             "HEAD"], capture_output=True, text=True)
    import onnxruntime
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; minimum of "
          f"{args.repeat} runs x {args.rounds} rounds; onnxruntime "
          f"{onnxruntime.__version__}; commit "
          f"{commit.stdout.strip() or 'unknown'}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    header = "| case | threads | mllmc flash ms |"
    if args.before:
        header += " before ms | before/after |"
    header += (" mllmc --no-fusion ms | ort Attention ms | ort decomposed ms "
               "| ort/mllmc | flash vs ort | no-fusion vs ort |")
    print(header)
    print("|---|" + "---:|" * (header.count("|") - 3) + "---|")

    for name in args.cases.split(","):
        shape = CASES[name]
        paths = {kind: os.path.join(workdir, f"{name}.{kind}.onnx")
                 for kind in ("attention", "decomposed")}
        onnx.save(attention_model(*shape), paths["attention"])
        onnx.save(decomposed_model(*shape), paths["decomposed"])
        artifacts = {"flash": os.path.join(workdir, f"{name}.mllm"),
                     "unfused": os.path.join(workdir, f"{name}.unfused.mllm")}
        compile_model(args.bin, paths["attention"], artifacts["flash"], True)
        compile_model(args.bin, paths["decomposed"], artifacts["unfused"],
                      False)
        bins = {"flash": args.bin, "unfused": args.bin}
        if args.before:
            artifacts["before"] = os.path.join(workdir, f"{name}.before.mllm")
            compile_model(args.before, paths["attention"],
                          artifacts["before"], True)
            bins["before"] = args.before

        rng = np.random.default_rng(1)
        batch, heads, kv_heads, sq, skv, dim, _ = shape
        feeds = {"q": rng.standard_normal((batch, heads, sq, dim)),
                 "k": rng.standard_normal((batch, kv_heads, skv, dim)),
                 "v": rng.standard_normal((batch, kv_heads, skv, dim))}
        feeds = {k: v.astype(np.float32) for k, v in feeds.items()}
        input_paths = {}
        for key, value in feeds.items():
            input_paths[key] = os.path.join(workdir, f"{name}.{key}.npy")
            np.save(input_paths[key], value)

        for count in threads:
            times = {kind: float("inf") for kind in
                     list(artifacts) + ["ort", "ort decomposed"]}
            outputs = {}
            for _ in range(args.rounds):
                for kind, artifact in artifacts.items():
                    outdir = os.path.join(workdir, f"{name}.{kind}.out")
                    times[kind] = min(times[kind], time_mllmc(
                        bins[kind], artifact, input_paths, outdir, count,
                        args.repeat))
                    outputs[kind] = np.load(os.path.join(outdir, "y.npy"))
                for kind, path in (("ort", paths["attention"]),
                                   ("ort decomposed", paths["decomposed"])):
                    ms, outputs[kind] = time_ort(path, feeds, count,
                                                 args.repeat)
                    times[kind] = min(times[kind], ms)
            errors = {kind: relative_error(outputs[kind], outputs["ort"])
                      for kind in artifacts}
            row = f"| {name} | {count} | {times['flash']:.2f} |"
            if args.before:
                row += (f" {times['before']:.2f} | "
                        f"{times['before'] / times['flash']:.2f}x |")
            row += (f" {times['unfused']:.2f} | {times['ort']:.2f} "
                    f"| {times['ort decomposed']:.2f} "
                    f"| {times['ort'] / times['flash']:.2f} "
                    f"| {agreement(errors['flash'])} "
                    f"| {agreement(errors['unfused'])} |")
            print(row, flush=True)
    print()
    for name in args.cases.split(","):
        print(f"- {name}: {DESCRIPTIONS[name]}")
    print("- times: minimum over rounds x --repeat runs after a warm-up; "
          "ort/mllmc > 1 means mllmc's flash attention is faster than ONNX "
          "Runtime's Attention op; vs ort: max |difference| / max |ort "
          "Attention output|")


if __name__ == "__main__":
    main()
