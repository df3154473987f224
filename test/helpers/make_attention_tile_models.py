"""ONNX Attention (opset 23) models at sizes that tile unevenly, for the CPU
flash-attention loop nest's key-major scores (S^T = K_t . Q_t^T through the
register-tiled matmul): query lengths that are not multiples of the 32-row
query tile, key lengths that are not multiples of the 64-key tile, head
dimensions 64, 80 and 128, a value head dimension of its own, causal
attention (with tiles left of the diagonal that skip the mask), grouped
heads, float and boolean masks, and a query tile of fewer rows than a
vector whose keys split across iterations.

odd_d80          Q [1, 3, 45, 80], K/V [1, 3, 77, 80], no mask
causal_d64       Q/K/V [2, 2, 100, 64], causal
gqa_causal_d128  Q [1, 8, 130, 128], K/V [1, 2, 130, 128], causal
float_mask       Q [1, 4, 45, 64], K/V [1, 4, 200, 64], an additive mask
                 [45, 200]: random values and -inf over keys [70, 140)
bool_mask_gqa    Q [1, 4, 37, 80], K/V [1, 2, 150, 80], a boolean mask
                 [1, 4, 37, 150] per head; row 33 of head 1 sees no key
short_split      Q [1, 2, 5, 128], K/V [1, 2, 333, 128]: 5-row query tiles,
                 keys split across iterations
value_dim        Q/K [1, 2, 40, 64], V [1, 2, 90, 48] (K/V 90 keys)
decode_gqa_mask  one query row, Q [2, 6, 1, 80], K/V [2, 2, 777, 80], an
                 additive mask [2, 1, 1, 777] shared by the heads: the 3
                 query heads of a kv head fold into one query tile
decode_head_mask one query row, Q [1, 12, 1, 64], K/V [1, 4, 300, 64], a
                 boolean mask [1, 12, 1, 300] per head (no folding); head 5
                 sees no key

    make_attention_tile_models.py NAME OUT.onnx [--reference DIR]

--reference DIR runs the model with onnxruntime on seeded inputs and writes
DIR/<input>.npy and DIR/expected_<output>.npy.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

import model_cli


def _attention(name, q, k, v, causal=False, mask=None):
    """One Attention node; `q`, `k`, `v` are shapes, `mask` a (shape,
    element type) pair."""
    f32 = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info("q", f32, q),
              helper.make_tensor_value_info("k", f32, k),
              helper.make_tensor_value_info("v", f32, v)]
    names = ["q", "k", "v"]
    if mask:
        inputs.append(helper.make_tensor_value_info("mask", mask[1], mask[0]))
        names.append("mask")
    node = helper.make_node("Attention", names, ["y"], name="attention",
                            is_causal=int(causal))
    output = helper.make_tensor_value_info("y", f32, q[:3] + v[3:])
    graph = helper.make_graph([node], name, inputs, [output])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 23)])
    model.ir_version = 10
    return model


def _float_mask():
    mask = np.random.default_rng(5).standard_normal((45, 200))
    mask[:, 70:140] = -np.inf
    return mask.astype(np.float32)


def _bool_mask():
    mask = np.random.default_rng(6).random((1, 4, 37, 150)) < 0.6
    mask[0, 1, 33, :] = False
    return mask


MODELS = {
    "odd_d80": lambda: _attention(
        "odd_d80", [1, 3, 45, 80], [1, 3, 77, 80], [1, 3, 77, 80]),
    "causal_d64": lambda: _attention(
        "causal_d64", [2, 2, 100, 64], [2, 2, 100, 64], [2, 2, 100, 64],
        causal=True),
    "gqa_causal_d128": lambda: _attention(
        "gqa_causal_d128", [1, 8, 130, 128], [1, 2, 130, 128],
        [1, 2, 130, 128], causal=True),
    "float_mask": lambda: _attention(
        "float_mask", [1, 4, 45, 64], [1, 4, 200, 64], [1, 4, 200, 64],
        mask=([45, 200], TensorProto.FLOAT)),
    "bool_mask_gqa": lambda: _attention(
        "bool_mask_gqa", [1, 4, 37, 80], [1, 2, 150, 80], [1, 2, 150, 80],
        mask=([1, 4, 37, 150], TensorProto.BOOL)),
    "short_split": lambda: _attention(
        "short_split", [1, 2, 5, 128], [1, 2, 333, 128], [1, 2, 333, 128]),
    "value_dim": lambda: _attention(
        "value_dim", [1, 2, 40, 64], [1, 2, 90, 64], [1, 2, 90, 48]),
    "decode_gqa_mask": lambda: _attention(
        "decode_gqa_mask", [2, 6, 1, 80], [2, 2, 777, 80], [2, 2, 777, 80],
        mask=([2, 1, 1, 777], TensorProto.FLOAT)),
    "decode_head_mask": lambda: _attention(
        "decode_head_mask", [1, 12, 1, 64], [1, 4, 300, 64],
        [1, 4, 300, 64], mask=([1, 12, 1, 300], TensorProto.BOOL)),
}

def _decode_float_mask():
    mask = np.random.default_rng(7).standard_normal((2, 1, 1, 777))
    mask[0, :, :, 100:400] = -np.inf
    return mask.astype(np.float32)


def _decode_bool_mask():
    mask = np.random.default_rng(8).random((1, 12, 1, 300)) < 0.5
    mask[0, 5] = False
    return mask


# Inputs that are not standard-normal.
FIXED = {
    "float_mask": {"mask": _float_mask()},
    "bool_mask_gqa": {"mask": _bool_mask()},
    "decode_gqa_mask": {"mask": _decode_float_mask()},
    "decode_head_mask": {"mask": _decode_bool_mask()},
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
