#!/usr/bin/env python3
"""What fusion buys: a CLIP ViT-L/14-336 encoder layer and a LLaMA-7B-style
decoder layer, fused and unfused, against ONNX Runtime on the CPU.

Builds each layer at real size with onnx.helper (seeded random weights), the
way torch.onnx writes it, compiles it twice with `mllmc --target=cpu
--cpu=host`: fused (the default, with --fusion-report to count what fused)
and with --no-fusion, and times `mllmc-run --repeat N` for both and
onnxruntime (ORT_ENABLE_ALL, the same thread count) in one run. Prints a
markdown table of minimum times, the fused/unfused speedup, ort/mllmc and
the agreement of both artifacts with onnxruntime. IREE (iree-base-compiler
and iree-base-runtime from PyPI, llvm-cpu) is timed in the same run when
--iree-python imports it; otherwise its columns say so.

    bench/fusion.py [--bin build/bin] [--threads 1,2] [--repeat 10]
                    [--models clip-layer,llama-prefill,llama-decode] [--small]
                    [--iree-python PYTHON | --no-iree]

Models:
  clip-layer     577 tokens x 1024, 16 heads, MLP 4096 with QuickGELU,
                 pre-LayerNorm, residuals
  llama-prefill  128 tokens x 4096, 32 heads, RMSNorm, rotate_half RoPE,
                 causal mask, SwiGLU MLP 11008
  llama-decode   the same layer on one token after a KV cache of 512 (past
                 keys and values are inputs, present ones outputs)

Benchmarks never gate CI: a mismatch with onnxruntime is reported, and the
script still exits 0.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "helpers"))
import make_attention_models as attention  # noqa: E402
import model_cli  # noqa: E402
from common import (IREE_COMPILE_FLAGS, IreeError,  # noqa: E402
                    add_iree_options, add_run_options, compile_iree,
                    cpu_model, find_iree, relative_error, time_iree,
                    time_mllmc, time_ort)

TOLERANCE = 1e-3


# --- Models -------------------------------------------------------------------

def layer_norm(g, scope, x, width):
    """nn.LayerNorm at opset 17: one LayerNormalization node."""
    weight = g.initializer(f"{scope.strip('/')}.weight",
                           (1 + 0.1 * g.rng.standard_normal(width))
                           .astype(np.float32))
    bias = g.initializer(f"{scope.strip('/')}.bias",
                         (0.1 * g.rng.standard_normal(width))
                         .astype(np.float32))
    return g.node(scope, "LayerNormalization", [x, weight, bias], axis=-1,
                  epsilon=1e-5)


def rms_norm(g, scope, x, width):
    """LlamaRMSNorm: x * rsqrt(mean(x^2) + eps) * weight (Pow, ReduceMean,
    Add, Sqrt, Reciprocal, Mul, Mul)."""
    weight = g.initializer(f"{scope.strip('/')}.weight",
                           (1 + 0.1 * g.rng.standard_normal(width))
                           .astype(np.float32))
    square = g.node(scope, "Pow", [x, g.const(scope, 2.0, np.float32)])
    mean = g.node(scope, "ReduceMean", [square], axes=[-1], keepdims=1)
    std = g.node(scope, "Sqrt", [g.node(scope, "Add", [
        mean, g.const(scope, 1e-6, np.float32)])])
    norm = g.node(scope, "Mul", [x, g.node(scope, "Reciprocal", [std])])
    return g.node(scope, "Mul", [weight, norm])


def merge_heads(g, scope, x, seq, width):
    """transpose(1, 2).reshape(B, S, H * D)."""
    x = g.node(scope, "Transpose", [x], perm=[0, 2, 1, 3])
    return g.node(scope, "Reshape", [x, g.ints(scope, [1, seq, width])])


def clip_layer(tokens=577, width=1024, heads=16, mlp=4096, seed=0):
    """One CLIPEncoderLayer (eager attention): x + attn(LN1(x)), then
    h + MLP(LN2(h)), the MLP fc1 -> QuickGELU -> fc2."""
    g = attention.Graph(seed)
    head_dim = width // heads
    scope = "/encoder/layers.0"
    x = "hidden_states"
    normed = layer_norm(g, f"{scope}/layer_norm1", x, width)
    attn = f"{scope}/self_attn"
    q, k, v = (attention.split_heads(
        g, attn, g.linear(f"{attn}/{name}_proj", normed, width, width, True),
        tokens, heads, head_dim) for name in "qkv")
    kt = g.node(attn, "Transpose", [k], perm=[0, 1, 3, 2])
    scores = g.node(attn, "Mul", [g.node(attn, "MatMul", [q, kt]),
                                  g.const(attn, head_dim ** -0.5, np.float32)])
    probs = g.node(attn, "Softmax", [scores], axis=-1)
    out = merge_heads(g, attn, g.node(attn, "MatMul", [probs, v]), tokens,
                      width)
    out = g.linear(f"{attn}/out_proj", out, width, width, True)
    h = g.node(scope, "Add", [x, out])

    normed = layer_norm(g, f"{scope}/layer_norm2", h, width)
    fc1 = g.linear(f"{scope}/mlp/fc1", normed, width, mlp, True)
    act = f"{scope}/mlp/activation_fn"
    gate = g.node(act, "Sigmoid", [g.node(act, "Mul", [
        fc1, g.const(act, 1.702, np.float32)])])
    fc2 = g.linear(f"{scope}/mlp/fc2", g.node(act, "Mul", [fc1, gate]), mlp,
                   width, True)
    g.nodes.append(helper.make_node("Add", [h, fc2], ["last_hidden_state"],
                                    name=f"{scope}/Add_1"))
    flops = 2 * tokens * (4 * width * width + 2 * width * mlp) \
        + 4 * tokens * tokens * width
    return finish(g, [("hidden_states", [1, tokens, width])],
                  [("last_hidden_state", [1, tokens, width])]), flops


def llama_layer(seq=128, hidden=4096, heads=32, mlp=11008, past=0, seed=0):
    """One LlamaDecoderLayer (eager attention): x + attn(RMSNorm(x)), then
    h + down(SiLU(gate(n)) * up(n)) with n = RMSNorm(h). Without a cache
    (`past` = 0) the scores get the causal mask; with one, the new token's
    keys and values are appended to past_key/past_value, which attends to
    all of them."""
    g = attention.Graph(seed)
    head_dim = hidden // heads
    scope = "/model/layers.0"
    x = "hidden_states"
    normed = rms_norm(g, f"{scope}/input_layernorm", x, hidden)
    attn = f"{scope}/self_attn"
    q, k, v = (attention.split_heads(
        g, attn, g.linear(f"{attn}/{name}_proj", normed, hidden, hidden,
                          False), seq, heads, head_dim) for name in "qkv")
    cos, sin = (table[past:past + seq].reshape(1, 1, seq, head_dim) for table
                in attention.rotary_tables(past + seq, head_dim))
    cos, sin = g.initializer("rotary_cos", cos), g.initializer("rotary_sin", sin)

    def rope(t):
        return g.node(attn, "Add", [
            g.node(attn, "Mul", [t, cos]),
            g.node(attn, "Mul", [attention.rotate_half(g, attn, t, head_dim),
                                 sin])])
    q, k = rope(q), rope(k)
    inputs = [("hidden_states", [1, seq, hidden])]
    outputs = [("output", [1, seq, hidden])]
    if past:
        k = g.node(attn, "Concat", ["past_key", k], axis=2)
        v = g.node(attn, "Concat", ["past_value", v], axis=2)
        g.nodes.append(helper.make_node("Identity", [k], ["present_key"],
                                        name=f"{attn}/Identity"))
        g.nodes.append(helper.make_node("Identity", [v], ["present_value"],
                                        name=f"{attn}/Identity_1"))
        cache = [1, heads, past, head_dim]
        inputs += [("past_key", cache), ("past_value", cache)]
        present = [1, heads, past + seq, head_dim]
        outputs += [("present_key", present), ("present_value", present)]
    kt = g.node(attn, "Transpose", [k], perm=[0, 1, 3, 2])
    scores = g.node(attn, "Div", [g.node(attn, "MatMul", [q, kt]),
                                  g.const(attn, np.sqrt(head_dim), np.float32)])
    if not past:
        scores = g.node(attn, "Add", [scores,
                                      attention.causal_mask_constant(g, seq)])
    probs = g.node(attn, "Softmax", [scores], axis=-1)
    out = merge_heads(g, attn, g.node(attn, "MatMul", [probs, v]), seq, hidden)
    out = g.linear(f"{attn}/o_proj", out, hidden, hidden, False)
    h = g.node(scope, "Add", [x, out])

    normed = rms_norm(g, f"{scope}/post_attention_layernorm", h, hidden)
    mlp_scope = f"{scope}/mlp"
    gate = g.linear(f"{mlp_scope}/gate_proj", normed, hidden, mlp, False)
    silu = g.node(mlp_scope, "Mul", [gate, g.node(mlp_scope, "Sigmoid",
                                                  [gate])])
    up = g.linear(f"{mlp_scope}/up_proj", normed, hidden, mlp, False)
    down = g.linear(f"{mlp_scope}/down_proj",
                    g.node(mlp_scope, "Mul", [silu, up]), mlp, hidden, False)
    g.nodes.append(helper.make_node("Add", [h, down], ["output"],
                                    name=f"{scope}/Add_1"))
    keys = past + seq
    flops = 2 * seq * (4 * hidden * hidden + 3 * hidden * mlp) \
        + 4 * seq * keys * hidden
    return finish(g, inputs, outputs), flops


def finish(g, inputs, outputs):
    graph = helper.make_graph(
        g.nodes, "main_graph",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in outputs],
        initializer=g.initializers)
    return model_cli.exported_model(graph)


def builders(small):
    """Real sizes, or about a quarter of them (--small)."""
    if small:
        return {
            "clip-layer": lambda: clip_layer(145, 256, 4, 1024),
            "llama-prefill": lambda: llama_layer(32, 512, 4, 1376),
            "llama-decode": lambda: llama_layer(1, 512, 4, 1376, past=128),
        }
    return {
        "clip-layer": lambda: clip_layer(),
        "llama-prefill": lambda: llama_layer(),
        "llama-decode": lambda: llama_layer(seq=1, past=512),
    }


# --- Running ------------------------------------------------------------------

def compile_model(bindir, onnx_path, artifact, fused):
    """Compiles with mllmc; returns the seconds it took and, fused, the
    number of fused regions by op (mllm.attention: 1, ...)."""
    command = [os.path.join(bindir, "mllmc"), onnx_path, "--target=cpu",
               "--cpu=host", "-o", artifact]
    command.append("--fusion-report" if fused else "--no-fusion")
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"mllmc failed on {onnx_path}:\n{result.stderr}")
    regions = {}
    for op in re.findall(r"^  fused (mllm\.\w+)", result.stderr, re.M):
        regions[op] = regions.get(op, 0) + 1
    return seconds, regions


def agreement(error):
    return f"{error:.1e}" if error < TOLERANCE else f"MISMATCH {error:.1e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    add_iree_options(parser)
    parser.add_argument("--models",
                        default="clip-layer,llama-prefill,llama-decode")
    parser.add_argument("--small", action="store_true",
                        help="about quarter-size layers, for a quick check")
    parser.add_argument("--workdir", help="keep the models and artifacts here")
    args = parser.parse_args()

    threads = sorted({int(t) for t in args.threads.split(",")})
    workdir = args.workdir or tempfile.mkdtemp(prefix="mllmc-fusion-bench-")
    os.makedirs(workdir, exist_ok=True)
    models = builders(args.small)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                             "HEAD"], capture_output=True, text=True)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; "
          f"{'small' if args.small else 'real'} sizes, "
          f"minimum of {args.repeat} runs; commit "
          f"{commit.stdout.strip() or 'unknown'}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    iree, iree_text = find_iree(args)
    print(f"IREE: {iree_text}\n")
    print("| model | threads | fused ms | unfused ms | fused speedup "
          "| ort ms | ort/mllmc | iree ms | iree/mllmc | fused regions "
          "| fused vs ort | unfused vs ort | iree vs ort |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|")
    notes = []
    for name in args.models.split(","):
        model, flops = models[name]()
        onnx_path = os.path.join(workdir, name + ".onnx")
        onnx.save(model, onnx_path)
        del model
        fused_artifact = os.path.join(workdir, name + ".mllm")
        unfused_artifact = os.path.join(workdir, name + ".unfused.mllm")
        fused_s, regions = compile_model(args.bin, onnx_path, fused_artifact,
                                         True)
        unfused_s, _ = compile_model(args.bin, onnx_path, unfused_artifact,
                                     False)
        notes.append(f"{name}: {flops / 1e9:.2f} GFLOP in the matmuls; "
                     f"compile {fused_s:.1f} s fused, {unfused_s:.1f} s "
                     f"unfused")
        fused_text = ", ".join(f"{count} {op.removeprefix('mllm.')}"
                               for op, count in sorted(regions.items()))
        iree_module, iree_status = None, "n/a" if iree is None else "failed"
        if iree is not None:
            try:
                *iree_module, iree_s = compile_iree(
                    iree, onnx_path, os.path.join(workdir, name + ".iree"))
                notes[-1] += f", IREE {iree_s:.1f} s (import + compile)"
            except IreeError as error:
                notes.append(f"{name}: IREE {error}")

        rng = np.random.default_rng(1)
        feeds, input_paths = {}, {}
        for value in onnx.load(onnx_path, load_external_data=False).graph.input:
            shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
            feeds[value.name] = rng.standard_normal(shape).astype(np.float32)
            input_paths[value.name] = os.path.join(workdir,
                                                   f"{name}.{value.name}.npy")
            np.save(input_paths[value.name], feeds[value.name])
        graph = onnx.load(onnx_path, load_external_data=False).graph
        output_name, function = graph.output[0].name, graph.name

        for count in threads:
            times, errors = {}, {}
            for kind, artifact in (("fused", fused_artifact),
                                   ("unfused", unfused_artifact)):
                outdir = os.path.join(workdir, f"{name}.{kind}.out{count}")
                times[kind] = time_mllmc(args.bin, artifact, input_paths,
                                         outdir, count, args.repeat)
                errors[kind] = np.load(os.path.join(outdir,
                                                    output_name + ".npy"))
            ort_ms, expected = time_ort(onnx_path, feeds, count, args.repeat)
            iree_cells = [iree_status] * 3
            if iree_module:
                output_path = os.path.join(workdir,
                                           f"{name}.iree.out{count}.npy")
                try:
                    iree_ms = time_iree(iree, *iree_module, function,
                                        list(input_paths.values()),
                                        output_path, count, args.repeat)
                    iree_cells = [f"{iree_ms:.2f}",
                                  f"{iree_ms / times['fused']:.2f}",
                                  agreement(relative_error(
                                      np.load(output_path), expected))]
                except IreeError as error:
                    notes.append(f"{name}, {count} threads: IREE {error}")
            for kind in errors:
                errors[kind] = relative_error(errors[kind], expected)
            print(f"| {name} | {count} | {times['fused']:.2f} "
                  f"| {times['unfused']:.2f} "
                  f"| {times['unfused'] / times['fused']:.2f}x "
                  f"| {ort_ms:.2f} | {ort_ms / times['fused']:.2f} "
                  f"| {iree_cells[0]} | {iree_cells[1]} "
                  f"| {fused_text or 'none'} | {agreement(errors['fused'])} "
                  f"| {agreement(errors['unfused'])} | {iree_cells[2]} |")
    print()
    for note in notes:
        print(f"- {note}")
    print("- times: the minimum over --repeat runs after one warm-up run; "
          "fused speedup = unfused / fused; ort/mllmc and iree/mllmc > 1 "
          "mean mllmc (fused) is faster; vs ort: max |difference| / max "
          "|ort output|")
    if iree is not None:
        print("- IREE: iree-import-onnx (weights as an external parameter "
              "archive), iree-compile " + " ".join(IREE_COMPILE_FLAGS) +
              "; one thread is the local-sync driver, more the local-task "
              "driver with that many topology groups")


if __name__ == "__main__":
    main()
