"""Test models of ONNX Runtime's contrib ops (com.microsoft domain, as its
transformer optimizer writes them), with onnxruntime references.

    make_microsoft_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  act           Gelu, BiasGelu, FastGelu (with and without bias) and
                QuickGelu (alpha 1.702 and 1.0) on x [2, 3, 16]
  norm          SkipLayerNormalization (beta, bias, the input_skip_bias_sum
                output; and a [3, 16] skip without beta),
                SkipSimplifiedLayerNormalization (bias, sum output) and
                SimplifiedLayerNormalization (default domain, with its
                inv_std_var output) on x [2, 3, 16]
  mha           MultiHeadAttention, 2 heads of 16: `cross` with the
                projection bias, a [B, L] key_padding_mask and
                attention_bias (S = 3, L = 5); `cached` unidirectional
                with a past of 4 and present outputs; `lengths` with a [B]
                key_padding_mask of key lengths; `bnsh` with K/V given as
                [B, N, L, H]
  gqa_prompt    GroupQueryAttention, 4 query heads on 2 KV heads of 16, a
                5-token prompt without past, present outputs
  gqa_decode    GroupQueryAttention, a decode step (batch 2, a past of 4,
                1 new token): `rope` with do_rotary (a [16, 8] cache) and
                present outputs, `window` with local_window_size = 2 and
                attention_bias, `packed` with packed QKV and a custom scale
  gqa_chunk     the same for a 3-token chunk after the past (batch 1: ONNX
                Runtime takes several new tokens with a past only there)
  gqa_softcap, gqa_smooth, gqa_quant, gqa_position_ids, gqa_bad_total,
  mha_packed, mha_cache_indirection, skip_mean
                one node with what the importer rejects

With --reference, runs the model with onnxruntime on seeded standard-normal
float inputs and the integer inputs each model fixes, and writes
DIR/<input>.npy and DIR/expected_<output>.npy for every output.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

MS = "com.microsoft"
RNG = np.random.default_rng(7)
B, HEADS, KV_HEADS, D = 2, 4, 2, 16
PAST = 4


def _floats(name, shape):
    return numpy_helper.from_array(
        RNG.standard_normal(shape).astype(np.float32), name)


def _ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int32), name)


def _ms(op, inputs, outputs, name, **attrs):
    return helper.make_node(op, inputs, outputs, name=name, domain=MS,
                            **attrs)


def act():
    nodes = [
        _ms("Gelu", ["x"], ["gelu"], "/mlp/Gelu"),
        _ms("BiasGelu", ["x", "b"], ["bias_gelu"], "/mlp/BiasGelu"),
        _ms("FastGelu", ["x", "b"], ["fast_gelu"], "/mlp/FastGelu"),
        _ms("FastGelu", ["x"], ["fast_gelu_nobias"], "/mlp/FastGelu_1"),
        _ms("QuickGelu", ["x"], ["quick_gelu"], "/mlp/QuickGelu"),
        _ms("QuickGelu", ["x"], ["quick_gelu_1"], "/mlp/QuickGelu_1",
            alpha=1.0),
    ]
    outputs = ["gelu", "bias_gelu", "fast_gelu", "fast_gelu_nobias",
               "quick_gelu", "quick_gelu_1"]
    return (nodes, [_floats("b", [16])], [("x", [2, 3, 16])],
            [(o, [2, 3, 16]) for o in outputs], {})


def norm():
    nodes = [
        _ms("SkipLayerNormalization", ["x", "skip", "gamma", "beta", "bias"],
            ["y", "", "", "sum"], "/layers.0/SkipLayerNorm", epsilon=1e-5),
        _ms("SkipLayerNormalization", ["x", "skip2d", "gamma"], ["y2"],
            "/layers.1/SkipLayerNorm"),
        _ms("SkipSimplifiedLayerNormalization", ["x", "skip", "gamma", "bias"],
            ["z", "", "", "zsum"], "/layers.0/SkipRMSNorm", epsilon=1e-6),
        helper.make_node("SimplifiedLayerNormalization", ["x", "gamma"],
                         ["r", "inv_std_var"], name="/norm/RMSNorm",
                         axis=-1, epsilon=1e-6),
    ]
    inits = [_floats("gamma", [16]), _floats("beta", [16]),
             _floats("bias", [16]), _floats("skip2d", [3, 16])]
    outputs = [(o, [2, 3, 16]) for o in ["y", "sum", "y2", "z", "zsum", "r"]]
    outputs.append(("inv_std_var", [2, 3, 1]))
    return nodes, inits, [("x", [2, 3, 16]), ("skip", [2, 3, 16])], outputs, {}


def mha():
    hidden = 2 * D
    nodes = [
        _ms("MultiHeadAttention",
            ["q", "k", "v", "qkv_bias", "padding", "attn_bias"], ["cross"],
            "/cross/MultiHeadAttention", num_heads=2),
        _ms("MultiHeadAttention",
            ["q", "k3", "v3", "", "", "", "past_key", "past_value"],
            ["cached", "present_key", "present_value"],
            "/self/MultiHeadAttention", num_heads=2, unidirectional=1),
        _ms("MultiHeadAttention", ["q", "k", "v", "", "lengths"], ["lengths_out"],
            "/lengths/MultiHeadAttention", num_heads=2, scale=0.5),
        _ms("MultiHeadAttention", ["q", "k_bnsh", "v_bnsh"], ["bnsh"],
            "/bnsh/MultiHeadAttention", num_heads=2),
    ]
    inits = [_floats("qkv_bias", [3 * hidden]),
             _floats("attn_bias", [1, 2, 3, 5])]
    inputs = [("q", [B, 3, hidden]), ("k", [B, 5, hidden]),
              ("v", [B, 5, hidden]), ("k3", [B, 3, hidden]),
              ("v3", [B, 3, hidden]), ("past_key", [B, 2, PAST, D]),
              ("past_value", [B, 2, PAST, D]),
              ("padding", [B, 5], TensorProto.INT32),
              ("lengths", [B], TensorProto.INT32),
              ("k_bnsh", [B, 2, 5, D]), ("v_bnsh", [B, 2, 5, D])]
    outputs = [("cross", [B, 3, hidden]), ("cached", [B, 3, hidden]),
               ("present_key", [B, 2, PAST + 3, D]),
               ("present_value", [B, 2, PAST + 3, D]),
               ("lengths_out", [B, 3, hidden]), ("bnsh", [B, 3, hidden])]
    fixed = {"padding": np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1]], np.int32),
             "lengths": np.array([3, 5], np.int32)}
    return nodes, inits, inputs, outputs, fixed


def _gqa(inputs, outputs, name, **attrs):
    attrs.setdefault("num_heads", HEADS)
    attrs.setdefault("kv_num_heads", KV_HEADS)
    return _ms("GroupQueryAttention", inputs, outputs, name, **attrs)


def _caches(rotary_dim):
    inv_freq = 1.0 / (10000.0 ** (np.arange(0, rotary_dim, 2) / rotary_dim))
    angles = np.outer(np.arange(16), inv_freq)
    return [numpy_helper.from_array(np.cos(angles).astype(np.float32), "cos"),
            numpy_helper.from_array(np.sin(angles).astype(np.float32), "sin")]


def _gqa_lengths(past, seq, batch=B):
    """seqlens_k and total_sequence_length of a dense cache."""
    return {"seqlens_k": np.full([batch], past + seq - 1, np.int32),
            "total_sequence_length": np.array(past + seq, np.int32)}


def _gqa_io(seq, past, batch=B):
    inputs = [("q", [batch, seq, HEADS * D]),
              ("k", [batch, seq, KV_HEADS * D]),
              ("v", [batch, seq, KV_HEADS * D]),
              ("seqlens_k", [batch], TensorProto.INT32),
              ("total_sequence_length", [], TensorProto.INT32)]
    if past:
        inputs += [("past_key", [batch, KV_HEADS, past, D]),
                   ("past_value", [batch, KV_HEADS, past, D])]
    return inputs


def gqa_prompt():
    seq = 5
    nodes = [_gqa(["q", "k", "v", "", "", "seqlens_k",
                   "total_sequence_length"],
                  ["out", "present_key", "present_value"],
                  "/layers.0/attn/GroupQueryAttention")]
    outputs = [("out", [B, seq, HEADS * D]),
               ("present_key", [B, KV_HEADS, seq, D]),
               ("present_value", [B, KV_HEADS, seq, D])]
    return nodes, [], _gqa_io(seq, 0), outputs, _gqa_lengths(0, seq)


def _gqa_steps(seq, batch):
    """Three GroupQueryAttention nodes on a past of PAST tokens and `seq` new
    ones: do_rotary, local_window_size = 2 with attention_bias, packed QKV
    with a custom scale. Every node has present outputs: without them ONNX
    Runtime's CPU kernel ignores the past."""
    common = ["past_key", "past_value", "seqlens_k", "total_sequence_length"]
    nodes = [
        _gqa(["q", "k", "v"] + common + ["cos", "sin"],
             ["rope", "present_key", "present_value"],
             "/layers.0/attn/GroupQueryAttention", do_rotary=1),
        _gqa(["q", "k", "v"] + common + ["", "", "", "attn_bias"],
             ["window", "window_present_key", "window_present_value"],
             "/layers.1/attn/GroupQueryAttention", local_window_size=2),
        _gqa(["qkv", "", ""] + common,
             ["packed", "packed_present_key", "packed_present_value"],
             "/layers.2/attn/GroupQueryAttention", scale=0.3),
    ]
    inits = _caches(D) + [_floats("attn_bias", [1, HEADS, seq, PAST + seq])]
    inputs = _gqa_io(seq, PAST, batch) + [
        ("qkv", [batch, seq, (HEADS + 2 * KV_HEADS) * D])]
    outputs = [("rope", [batch, seq, HEADS * D]),
               ("present_key", [batch, KV_HEADS, PAST + seq, D]),
               ("present_value", [batch, KV_HEADS, PAST + seq, D]),
               ("window", [batch, seq, HEADS * D]),
               ("packed", [batch, seq, HEADS * D])]
    return nodes, inits, inputs, outputs, _gqa_lengths(PAST, seq, batch)


def gqa_decode():
    return _gqa_steps(1, B)


def gqa_chunk():
    return _gqa_steps(3, 1)


def _gqa_single(inputs=None, **attrs):
    inputs = inputs or ["q", "k", "v", "past_key", "past_value", "seqlens_k",
                        "total_sequence_length"]
    nodes = [_gqa(inputs, ["out"], "gqa", **attrs)]
    return (nodes, [], _gqa_io(1, PAST), [("out", [B, 1, HEADS * D])],
            _gqa_lengths(PAST, 1))


def gqa_softcap():
    return _gqa_single(softcap=30.0)


def gqa_smooth():
    return _gqa_single(smooth_softmax=1)


def gqa_quant():
    return _gqa_single(kv_cache_bit_width=8, k_quant_type="PER_TENSOR")


def gqa_position_ids():
    nodes, inits, inputs, outputs, fixed = _gqa_single(
        ["q", "k", "v", "past_key", "past_value", "seqlens_k",
         "total_sequence_length", "", "", "position_ids"])
    inputs.append(("position_ids", [B, 1], TensorProto.INT64))
    return nodes, inits, inputs, outputs, fixed


def gqa_bad_total():
    nodes, _, inputs, outputs, fixed = _gqa_single(
        ["q", "k", "v", "past_key", "past_value", "seqlens_k", "total"])
    inputs = [i for i in inputs if i[0] != "total_sequence_length"]
    return nodes, [_ints("total", 16)], inputs, outputs, fixed


def mha_packed():
    nodes = [_ms("MultiHeadAttention", ["qkv"], ["out"], "mha", num_heads=2)]
    return (nodes, [], [("qkv", [B, 3, 2, 3, D])], [("out", [B, 3, 2 * D])],
            {})


def mha_cache_indirection():
    nodes = [_ms("MultiHeadAttention",
                 ["q", "k", "v", "", "", "", "", "", "", "beams"], ["out"],
                 "mha", num_heads=2)]
    inputs = [("q", [B, 3, 2 * D]), ("k", [B, 3, 2 * D]),
              ("v", [B, 3, 2 * D]), ("beams", [B, 1, 3], TensorProto.INT32)]
    return nodes, [], inputs, [("out", [B, 3, 2 * D])], {}


def skip_mean():
    nodes = [_ms("SkipLayerNormalization", ["x", "x", "gamma"],
                 ["y", "mean"], "skip_ln")]
    return (nodes, [_floats("gamma", [16])], [("x", [2, 3, 16])],
            [("y", [2, 3, 16]), ("mean", [2, 3, 1])], {})


MODELS = {f.__name__: f for f in [
    act, norm, mha, gqa_prompt, gqa_decode, gqa_chunk, gqa_softcap, gqa_smooth,
    gqa_quant, gqa_position_ids, gqa_bad_total, mha_packed,
    mha_cache_indirection, skip_mean]}


def _value_info(spec):
    name, shape = spec[0], spec[1]
    elem_type = spec[2] if len(spec) > 2 else TensorProto.FLOAT
    return helper.make_tensor_value_info(name, elem_type, shape)


def build(name):
    nodes, inits, inputs, outputs, _ = MODELS[name]()
    graph = helper.make_graph(nodes, name, [_value_info(i) for i in inputs],
                              [_value_info(o) for o in outputs],
                              initializer=inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17),
                              helper.make_opsetid(MS, 1)],
        producer_name="onnxruntime.transformers")
    model.ir_version = 8
    return model


def write_reference(model_path, out_dir, seed=1):
    name = onnx.load(model_path).graph.name
    model_cli.save_onnxruntime_reference(model_path, out_dir, seed,
                                         fixed=MODELS[name]()[4])


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
