"""ONNX Attention (opset 25) over an external KV cache with sliding windows,
checked against ONNX Runtime.

    make_window_attention_models.py NAME OUT.onnx [--reference DIR]

The e2e models take Q [3, 4, 5, 16], K and V [3, 2, 16, 16] (GQA: 4 query
heads over 2 KV heads) and nonpad_kv_seqlen [3] = [16, 9, 5] (fed as is):
query row i of batch b sits at position i + len[b] - 5 among the keys.

  window       left_window_size 3, right_window_size 1, not causal
  causal       is_causal with left_window_size 4 and a float attn_mask
               [3, 1, 5, 16]
  right        right_window_size 0 only, bool attn_mask [5, 16] (a window
               that is a causal mask of its own)

For import tests:

  small        Q [1, 1, 2, 8], K and V [1, 1, 4, 8], left 1, right 0
  bad_lengths  as small, but nonpad_kv_seqlen is [1, 1] (must be 1-D)
"""

import numpy as np
import onnx
from onnx import TensorProto, helper

import model_cli

F = TensorProto.FLOAT
LENGTHS = np.array([16, 9, 5], np.int64)
LARGE = ([3, 4, 5, 16], [3, 2, 16, 16], [3])
SMALL = ([1, 1, 2, 8], [1, 1, 4, 8], [1])
# name -> (attributes, shapes of Q, K/V and nonpad_kv_seqlen, attn_mask)
MODELS = {
    "window": (dict(left_window_size=3, right_window_size=1), LARGE, None),
    "causal": (dict(is_causal=1, left_window_size=4), LARGE,
               (F, [3, 1, 5, 16])),
    "right": (dict(right_window_size=0), LARGE, (TensorProto.BOOL, [5, 16])),
    "small": (dict(left_window_size=1, right_window_size=0), SMALL, None),
    "bad_lengths": (dict(left_window_size=1), SMALL[:2] + ([1, 1],), None),
}


def build(name):
    attributes, (q, kv, lengths), mask_type = MODELS[name]
    inputs = [helper.make_tensor_value_info("Q", F, q),
              helper.make_tensor_value_info("K", F, kv),
              helper.make_tensor_value_info("V", F, kv)]
    mask = ""
    if mask_type:
        mask = "attn_mask"
        inputs.append(helper.make_tensor_value_info(mask, *mask_type))
    inputs.append(helper.make_tensor_value_info(
        "nonpad_kv_seqlen", TensorProto.INT64, lengths))
    node = helper.make_node(
        "Attention", ["Q", "K", "V", mask, "", "", "nonpad_kv_seqlen"], ["Y"],
        name="Attention_" + name, **attributes)
    graph = helper.make_graph([node], name, inputs,
                              [helper.make_tensor_value_info("Y", F, q)])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 25)])


def write_reference(model_path, out_dir):
    rng = np.random.default_rng(7)
    fixed = {"nonpad_kv_seqlen": LENGTHS}
    for i in onnx.load(model_path).graph.input:
        if i.name == "attn_mask" and i.type.tensor_type.elem_type == F:
            fixed[i.name] = rng.standard_normal([3, 1, 5, 16]).astype(
                np.float32)
        elif i.name == "attn_mask":
            fixed[i.name] = rng.integers(0, 4, [5, 16]) > 0
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=fixed)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
