"""Attention blocks as the TorchScript exporter writes them, scaled down.

Two models, each a stack of --layers attention blocks with a residual add
(x + attention(x)), written with onnx.helper (no torch needed) with seeded
random weights:

llama  LLaMA self-attention (transformers' eager LlamaAttention, opset 17):
       q/k/v projections (MatMul with W^T), head split (Reshape [B, S, H,
       D] -> Transpose [0, 2, 1, 3]), rotary embedding on q and k
       (q * cos + rotate_half(q) * sin, rotate_half by Slice/Neg/Concat),
       repeat_kv for GQA (Unsqueeze -> Expand -> Reshape) when
       --kv-heads < --heads, scores MatMul(q, Transpose(k)) / sqrt(D) + the
       causal mask, Softmax, Cast, MatMul(., v), head merge (Transpose ->
       Reshape), o_proj. The causal mask is either computed as
       _make_causal_mask writes it (ConstantOfShape(finfo.min), Range, Add,
       Reshape, Less, Where, Unsqueeze; --mask computed) or folded by the
       exporter into a [1, 1, S, S] initializer (--mask constant).
clip   CLIP vision self-attention (transformers' CLIPAttention with bmm):
       projections with bias, the scale folded into the query
       (q_proj(x) * D^-0.5), heads flattened to [B*H, S, D] for
       MatMul(q, Transpose(k, [0, 2, 1])), Softmax, MatMul(., v), reshaped
       back to [B, H, S, D], merged and out_proj, no mask.

    make_attention_models.py {llama,clip} OUT.onnx [--layers 1] [--seq 8]
        [--heads 4] [--kv-heads 4] [--head-dim 16] [--mask computed]
        [--seed 0] [--reference DIR]

--reference DIR runs the model with onnxruntime on a seeded standard-normal
input and writes DIR/input.npy and DIR/expected.npy.
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

INPUT_NAME = "hidden_states"
OUTPUT_NAME = "attn_output"
INT64_MAX = np.iinfo(np.int64).max


class Graph:
    """Collects nodes and initializers under exporter-style names."""

    def __init__(self, seed):
        self.nodes = []
        self.initializers = []
        self.rng = np.random.default_rng(seed)
        self.counts = {}

    def _name(self, scope, op):
        key = (scope, op)
        n = self.counts.get(key, 0)
        self.counts[key] = n + 1
        return f"{scope}/{op}" + (f"_{n}" if n else "")

    def node(self, scope, op, inputs, **attrs):
        name = self._name(scope, op)
        output = f"{name}_output_0"
        self.nodes.append(helper.make_node(op, inputs, [output], name=name,
                                           **attrs))
        return output

    def const(self, scope, value, dtype):
        name = self._name(scope, "Constant")
        output = f"{name}_output_0"
        self.nodes.append(helper.make_node(
            "Constant", [], [output], name=name,
            value=numpy_helper.from_array(np.array(value, dtype=dtype))))
        return output

    def ints(self, scope, values):
        return self.const(scope, np.array(values, dtype=np.int64), np.int64)

    def initializer(self, name, array):
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def linear(self, scope, x, fan_in, fan_out, bias):
        """nn.Linear: MatMul with the transposed weight, then Add(bias, .)."""
        bound = 1.0 / np.sqrt(fan_in)
        weight = self.rng.uniform(-bound, bound, (fan_out, fan_in))
        wt = self.initializer(f"onnx::MatMul_{scope.strip('/')}",
                              np.ascontiguousarray(weight.T, np.float32))
        y = self.node(scope, "MatMul", [x, wt])
        if bias:
            b = self.initializer(
                f"{scope.strip('/').replace('/', '.')}.bias",
                self.rng.uniform(-bound, bound, fan_out).astype(np.float32))
            y = self.node(scope, "Add", [b, y])
        return y


def rotary_tables(seq, head_dim, base=10000.0):
    """LlamaRotaryEmbedding's cos and sin for positions 0..seq-1: [S, D]."""
    inv_freq = 1.0 / base ** (np.arange(0, head_dim, 2) / head_dim)
    freqs = np.outer(np.arange(seq), inv_freq)
    emb = np.concatenate([freqs, freqs], axis=-1)
    return np.cos(emb).astype(np.float32), np.sin(emb).astype(np.float32)


def causal_mask_computed(g, seq):
    """transformers' _make_causal_mask on static shapes: [1, 1, S, S]."""
    scope = ""
    full = g.node(scope, "ConstantOfShape", [g.ints(scope, [seq, seq])],
                  value=numpy_helper.from_array(
                      np.array([np.finfo(np.float32).min], np.float32)))
    cond = g.node(scope, "Range", [g.const(scope, 0, np.int64),
                                   g.const(scope, seq, np.int64),
                                   g.const(scope, 1, np.int64)])
    plus_one = g.node(scope, "Add", [cond, g.const(scope, 1, np.int64)])
    column = g.node(scope, "Reshape", [plus_one, g.ints(scope, [seq, 1])])
    less = g.node(scope, "Less", [cond, column])
    filled = g.node(scope, "Where", [less, g.const(scope, 0.0, np.float32),
                                     full])
    return g.node(scope, "Unsqueeze", [filled, g.ints(scope, [0, 1])])


def causal_mask_constant(g, seq):
    """The same mask as the exporter's constant folding leaves it."""
    mask = np.triu(np.full((seq, seq), np.finfo(np.float32).min, np.float32),
                   k=1)
    return g.initializer("causal_mask", mask.reshape(1, 1, seq, seq))


def split_heads(g, scope, x, seq, heads, head_dim):
    """view(B, S, H, D).transpose(1, 2)."""
    x = g.node(scope, "Reshape", [x, g.ints(scope, [1, seq, heads, head_dim])])
    return g.node(scope, "Transpose", [x], perm=[0, 2, 1, 3])


def rotate_half(g, scope, x, head_dim):
    half = head_dim // 2
    x1 = g.node(scope, "Slice", [x, g.ints(scope, [0]), g.ints(scope, [half]),
                                 g.ints(scope, [3]), g.ints(scope, [1])])
    x2 = g.node(scope, "Slice", [x, g.ints(scope, [half]),
                                 g.ints(scope, [INT64_MAX]),
                                 g.ints(scope, [3]), g.ints(scope, [1])])
    return g.node(scope, "Concat", [g.node(scope, "Neg", [x2]), x1], axis=-1)


def llama_block(g, layer, x, seq, heads, kv_heads, head_dim, mask):
    scope = f"/layers.{layer}/self_attn"
    hidden = heads * head_dim
    q = g.linear(f"{scope}/q_proj", x, hidden, heads * head_dim, bias=False)
    k = g.linear(f"{scope}/k_proj", x, hidden, kv_heads * head_dim,
                 bias=False)
    v = g.linear(f"{scope}/v_proj", x, hidden, kv_heads * head_dim,
                 bias=False)
    q = split_heads(g, scope, q, seq, heads, head_dim)
    k = split_heads(g, scope, k, seq, kv_heads, head_dim)
    v = split_heads(g, scope, v, seq, kv_heads, head_dim)

    cos, sin = rotary_tables(seq, head_dim)
    cos = g.initializer(f"layers.{layer}.rotary_cos",
                        cos.reshape(1, 1, seq, head_dim))
    sin = g.initializer(f"layers.{layer}.rotary_sin",
                        sin.reshape(1, 1, seq, head_dim))
    def rope(t):
        return g.node(scope, "Add", [
            g.node(scope, "Mul", [t, cos]),
            g.node(scope, "Mul", [rotate_half(g, scope, t, head_dim), sin])])
    q, k = rope(q), rope(k)

    if kv_heads != heads:
        rep = heads // kv_heads
        def repeat_kv(t):
            t = g.node(scope, "Unsqueeze", [t, g.ints(scope, [2])])
            t = g.node(scope, "Expand", [t, g.ints(
                scope, [1, kv_heads, rep, seq, head_dim])])
            return g.node(scope, "Reshape", [t, g.ints(
                scope, [1, heads, seq, head_dim])])
        k, v = repeat_kv(k), repeat_kv(v)

    kt = g.node(scope, "Transpose", [k], perm=[0, 1, 3, 2])
    scores = g.node(scope, "MatMul", [q, kt])
    scores = g.node(scope, "Div", [scores, g.const(
        scope, np.sqrt(head_dim), np.float32)])
    scores = g.node(scope, "Add", [scores, mask])
    probs = g.node(scope, "Softmax", [scores], axis=-1)
    probs = g.node(scope, "Cast", [probs], to=TensorProto.FLOAT)
    out = g.node(scope, "MatMul", [probs, v])
    out = g.node(scope, "Transpose", [out], perm=[0, 2, 1, 3])
    out = g.node(scope, "Reshape", [out, g.ints(scope, [1, seq, hidden])])
    out = g.linear(f"{scope}/o_proj", out, hidden, hidden, bias=False)
    return g.node(f"/layers.{layer}", "Add", [x, out])


def clip_block(g, layer, x, seq, heads, head_dim):
    scope = f"/encoder/layers.{layer}/self_attn"
    hidden = heads * head_dim
    q = g.linear(f"{scope}/q_proj", x, hidden, hidden, bias=True)
    q = g.node(scope, "Mul", [q, g.const(scope, head_dim ** -0.5,
                                         np.float32)])
    k = g.linear(f"{scope}/k_proj", x, hidden, hidden, bias=True)
    v = g.linear(f"{scope}/v_proj", x, hidden, hidden, bias=True)
    flat = [heads, seq, head_dim]
    q = g.node(scope, "Reshape", [split_heads(g, scope, q, seq, heads,
                                              head_dim), g.ints(scope, flat)])
    k = g.node(scope, "Reshape", [split_heads(g, scope, k, seq, heads,
                                              head_dim), g.ints(scope, flat)])
    v = g.node(scope, "Reshape", [split_heads(g, scope, v, seq, heads,
                                              head_dim), g.ints(scope, flat)])
    kt = g.node(scope, "Transpose", [k], perm=[0, 2, 1])
    scores = g.node(scope, "MatMul", [q, kt])
    probs = g.node(scope, "Softmax", [scores], axis=-1)
    out = g.node(scope, "MatMul", [probs, v])
    out = g.node(scope, "Reshape", [out, g.ints(
        scope, [1, heads, seq, head_dim])])
    out = g.node(scope, "Transpose", [out], perm=[0, 2, 1, 3])
    out = g.node(scope, "Reshape", [out, g.ints(scope, [1, seq, hidden])])
    out = g.linear(f"{scope}/out_proj", out, hidden, hidden, bias=True)
    return g.node(f"/encoder/layers.{layer}", "Add", [x, out])


def build(kind, layers=1, seq=8, heads=4, kv_heads=4, head_dim=16,
          mask="computed", seed=0):
    """Returns the model as an onnx.ModelProto."""
    if heads % kv_heads:
        raise ValueError("--heads must be a multiple of --kv-heads")
    g = Graph(seed)
    x = INPUT_NAME
    if kind == "llama":
        causal = (causal_mask_computed if mask == "computed"
                  else causal_mask_constant)(g, seq)
        for layer in range(layers):
            x = llama_block(g, layer, x, seq, heads, kv_heads, head_dim,
                            causal)
    else:
        for layer in range(layers):
            x = clip_block(g, layer, x, seq, heads, head_dim)
    g.nodes.append(helper.make_node("Identity", [x], [OUTPUT_NAME],
                                    name="/Identity"))
    hidden = heads * head_dim
    graph = helper.make_graph(
        g.nodes, "main_graph",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT,
                                       [1, seq, hidden])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT,
                                       [1, seq, hidden])],
        initializer=g.initializers)
    return model_cli.exported_model(graph)


def write_reference(model_path, out_dir, seed=1):
    model_cli.write_input_and_expected(model_path, out_dir, seed, INPUT_NAME,
                                       OUTPUT_NAME)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["llama", "clip"])
    parser.add_argument("output")
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--seq", type=int, default=8)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--kv-heads", type=int)
    parser.add_argument("--head-dim", type=int, default=16)
    parser.add_argument("--mask", choices=["computed", "constant"],
                        default="computed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference", metavar="DIR",
                        help="also write DIR/input.npy and DIR/expected.npy")
    args = parser.parse_args()
    model = build(args.kind, args.layers, args.seq, args.heads,
                  args.kv_heads or args.heads, args.head_dim, args.mask,
                  args.seed)
    onnx.save(model, args.output)
    if args.reference:
        write_reference(args.output, args.reference, args.seed + 1)


if __name__ == "__main__":
    main()
