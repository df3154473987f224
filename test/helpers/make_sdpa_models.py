"""ONNX Attention (opset 23) models with long key sequences, for the
flash-attention kernel: several key tiles, a partial last tile, a partial
last query tile, grouped-query heads and a KV cache.

prefill_past  Q [1, 8, 40, 32] after a cache of 1000 keys (+ 40 new = 1040),
              2 kv heads, an additive float mask [40, 1040] that hides a
              band of keys.
decode        one query token, 8 heads over 2 kv heads of head_dim 64, a
              cache of 2047 keys (+ 1 new), no mask.
bool_mask     Q [1, 4, 70, 16], K/V [1, 4, 300, 16], a boolean mask
              [1, 1, 70, 300] (true = attend) whose rows 3 and 64 are all
              false: those rows give zeros.

    make_sdpa_models.py NAME OUT.onnx [--reference DIR]

--reference DIR runs the model with onnxruntime on seeded inputs and writes
DIR/<input>.npy and DIR/expected_<output>.npy.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

import model_cli


def _attention(name, q, k, v, past=None, mask=None, extra_outputs=()):
    """One Attention node over 4-D inputs; `q`, `k`, `v`, `past` are shapes,
    `mask` a (shape, element type) pair."""
    f32 = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info("q", f32, q),
              helper.make_tensor_value_info("k", f32, k),
              helper.make_tensor_value_info("v", f32, v)]
    names = ["q", "k", "v", ""]
    if mask:
        inputs.append(helper.make_tensor_value_info("mask", mask[1], mask[0]))
        names[3] = "mask"
    outputs = ["y"]
    if past:
        inputs += [helper.make_tensor_value_info("past_key", f32, past),
                   helper.make_tensor_value_info("past_value", f32, past)]
        names += ["past_key", "past_value"]
        outputs += ["present_key", "present_value"]
    while names[-1] == "":
        names.pop()
    node = helper.make_node("Attention", names, outputs, name="attention")
    graph = helper.make_graph(
        [node], name, inputs,
        [helper.make_tensor_value_info(o, f32, None) for o in outputs])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 23)])
    model.ir_version = 10
    return onnx.shape_inference.infer_shapes(model)


def _band_mask(rows, cols):
    """0 everywhere but -inf over keys [100, 300)."""
    mask = np.zeros((rows, cols), np.float32)
    mask[:, 100:300] = -np.inf
    return mask


def _bool_mask():
    mask = np.random.default_rng(3).random((1, 1, 70, 300)) < 0.7
    mask[:, :, 3, :] = False
    mask[:, :, 64, :] = False
    return mask


MODELS = {
    "prefill_past": lambda: _attention(
        "prefill_past", [1, 8, 40, 32], [1, 2, 40, 32], [1, 2, 40, 32],
        past=[1, 2, 1000, 32], mask=([40, 1040], TensorProto.FLOAT)),
    "decode": lambda: _attention(
        "decode", [1, 8, 1, 64], [1, 2, 1, 64], [1, 2, 1, 64],
        past=[1, 2, 2047, 64]),
    "bool_mask": lambda: _attention(
        "bool_mask", [1, 4, 70, 16], [1, 4, 300, 16], [1, 4, 300, 16],
        mask=([1, 1, 70, 300], TensorProto.BOOL)),
}

# Inputs that are not standard-normal.
FIXED = {
    "prefill_past": {"mask": _band_mask(40, 1040)},
    "bool_mask": {"mask": _bool_mask()},
}


def build(name):
    model = MODELS[name]()
    onnx.checker.check_model(model, full_check=True)
    return model


def write_reference(model_path, out_dir, seed=1):
    name = onnx.load(model_path).graph.name
    model_cli.save_onnxruntime_reference(model_path, out_dir, seed,
                                         fixed=FIXED.get(name, {}))


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
