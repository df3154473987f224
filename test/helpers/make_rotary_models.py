"""RotaryEmbedding test models, with onnxruntime references.

    make_rotary_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  onnx_4d        ONNX RotaryEmbedding (opset 23) on [2, 4, 3, 8] with
                 position_ids and a [16, 4] cache
  onnx_3d        ONNX RotaryEmbedding on [1, seq, 32] (symbolic seq) with
                 num_heads = 4, interleaved, rotary_embedding_dim = 4 and
                 per-token caches [1, seq, 2] (no position_ids)
  ms_rope        com.microsoft RotaryEmbedding as ONNX Runtime's LLaMA/Phi
                 fusions emit it, three nodes sharing LLaMA caches
                 (theta = 10000) of 16 positions:
                   q_rot: q [2, 5, 32], position_ids [2, 5], no num_heads
                          (derived from the cache width: 4 heads of 8)
                   k_rot: k [2, 2, 5, 8] (4-D), interleaved, a 1-element
                          position_ids = [3] (the first token's position)
                   p_rot: q, partial rotation of 4 of 8 per head
                          (num_heads = 4) with a [16, 2] cache
  ms_scale       com.microsoft RotaryEmbedding with scale = 0.5
  ms_packed      com.microsoft RotaryEmbedding with is_packed_batching = 1
  ms_no_heads    com.microsoft RotaryEmbedding with rotary_embedding_dim but
                 no num_heads
  onnx_bad_cache ONNX RotaryEmbedding whose cache width is not half the
                 head size

With --reference, runs the model with onnxruntime on seeded inputs
(standard-normal floats, positions in [0, 16 - 5]) and writes
DIR/<input>.npy and DIR/expected_<output>.npy for every output.
"""


import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

MAX_POSITIONS = 16


def _caches(rotary_dim, name):
    """LLaMA cos/sin caches [MAX_POSITIONS, rotary_dim / 2]."""
    inv_freq = 1.0 / (10000.0 ** (np.arange(0, rotary_dim, 2) / rotary_dim))
    angles = np.outer(np.arange(MAX_POSITIONS), inv_freq)
    return [numpy_helper.from_array(np.cos(angles).astype(np.float32),
                                    "cos_" + name),
            numpy_helper.from_array(np.sin(angles).astype(np.float32),
                                    "sin_" + name)]


def _rope(name, inputs, output, domain="", **attrs):
    return helper.make_node("RotaryEmbedding", inputs, [output], name=name,
                            domain=domain, **attrs)


def _ms(name, inputs, output, **attrs):
    return _rope(name, inputs, output, domain="com.microsoft", **attrs)


def onnx_4d():
    nodes = [_rope("rope_4d", ["x", "cos_8", "sin_8", "position_ids"], "y")]
    inputs = [("x", [2, 4, 3, 8]), ("position_ids", [2, 3], TensorProto.INT64)]
    return nodes, _caches(8, "8"), inputs, [("y", [2, 4, 3, 8])]


def onnx_3d():
    nodes = [_rope("rope_3d", ["x", "cos", "sin"], "y", num_heads=4,
                   interleaved=1, rotary_embedding_dim=4)]
    inputs = [("x", [1, "seq", 32]), ("cos", [1, "seq", 2]),
              ("sin", [1, "seq", 2])]
    return nodes, [], inputs, [("y", [1, "seq", 32])]


def ms_rope():
    offset = numpy_helper.from_array(np.array([3], np.int64), "offset")
    nodes = [
        _ms("/model/layers.0/attn/q_rotary/RotaryEmbedding",
            ["q", "position_ids", "cos_8", "sin_8"], "q_rot"),
        _ms("/model/layers.0/attn/k_rotary/RotaryEmbedding",
            ["k", "offset", "cos_8", "sin_8"], "k_rot", interleaved=1),
        _ms("/model/layers.0/attn/partial_rotary/RotaryEmbedding",
            ["q", "position_ids", "cos_4", "sin_4"], "p_rot",
            num_heads=4, rotary_embedding_dim=4),
    ]
    inits = _caches(8, "8") + _caches(4, "4") + [offset]
    inputs = [("q", [2, 5, 32]), ("k", [2, 2, 5, 8]),
              ("position_ids", [2, 5], TensorProto.INT64)]
    outputs = [("q_rot", [2, 5, 32]), ("k_rot", [2, 2, 5, 8]),
               ("p_rot", [2, 5, 32])]
    return nodes, inits, inputs, outputs


def _ms_single(**attrs):
    nodes = [_ms("rope_ms", ["x", "position_ids", "cos_8", "sin_8"], "y",
                 **attrs)]
    inputs = [("x", [1, 3, 16]), ("position_ids", [1, 3], TensorProto.INT64)]
    return nodes, _caches(8, "8"), inputs, [("y", [1, 3, 16])]


def ms_scale():
    return _ms_single(scale=0.5)


def ms_packed():
    return _ms_single(is_packed_batching=1)


def ms_no_heads():
    return _ms_single(rotary_embedding_dim=4)


def onnx_bad_cache():
    nodes = [_rope("rope_bad", ["x", "cos_8", "sin_8", "position_ids"], "y")]
    inputs = [("x", [1, 2, 3, 16]), ("position_ids", [1, 3], TensorProto.INT64)]
    return nodes, _caches(8, "8"), inputs, [("y", [1, 2, 3, 16])]


MODELS = {"onnx_4d": onnx_4d, "onnx_3d": onnx_3d, "ms_rope": ms_rope,
          "ms_scale": ms_scale, "ms_packed": ms_packed,
          "ms_no_heads": ms_no_heads, "onnx_bad_cache": onnx_bad_cache}


def _value_info(spec):
    name, shape = spec[0], spec[1]
    elem_type = spec[2] if len(spec) > 2 else TensorProto.FLOAT
    return helper.make_tensor_value_info(name, elem_type, shape)


def build(name):
    nodes, inits, inputs, outputs = MODELS[name]()
    graph = helper.make_graph(nodes, name, [_value_info(i) for i in inputs],
                              [_value_info(o) for o in outputs],
                              initializer=inits)
    opsets = [helper.make_opsetid("", 23)]
    if name.startswith("ms_"):
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="onnxruntime.transformers")
    model.ir_version = 10
    return model


def write_reference(model_path, out_dir, seed=1):
    feeds, outputs = model_cli.run_onnxruntime(
        model_path, seed, dynamic_size=5, integers=(0, MAX_POSITIONS - 5))
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
