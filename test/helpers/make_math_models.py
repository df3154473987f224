"""ONNX test models of the trigonometric, hyperbolic and bitwise ops, with
inputs and ONNX Runtime's outputs.

    make_math_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  trig     unit (float [4096], (-1, 1)): Asin, Acos, Atanh; wide (float
           [4096], [-30, 30] with values near 0): Atan, Asinh, Sinh, Cosh,
           Tan; large (float [4096], [1, 1e6]): Acosh, Asinh of large values
  bitwise  a, b int32 [3, 4] and u, v uint8 [4] (broadcast against [2, 4]):
           BitwiseAnd/Or/Xor/Not
  shift    uint8..uint64 pairs x8/s8 ... x64/s64 [16]: BitShift LEFT and
           RIGHT, every shift amount below the width
  misc     x float [3, 5] with infinities and NaN: IsInf (both signs,
           positive, negative), IsNaN; g, v float [3, 5]: Swish alpha 0.5,
           SwiGLU; LpNormalization p = 1 along axis 0; EyeLike k = -1 as
           int32 (opset 28, for import only: ONNX Runtime has no kernel
           for Swish and SwiGLU; the node tests check their values)
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F32 = TensorProto.FLOAT
N = 4096


def _info(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


TRIG = {
    "unit": ["Asin", "Acos", "Atanh"],
    "wide": ["Atan", "Asinh", "Sinh", "Cosh", "Tan"],
    "large": ["Acosh", "Asinh"],
}


def trig():
    nodes, outputs = [], []
    for source, ops in TRIG.items():
        for op in ops:
            name = f"{op.lower()}_{source}"
            nodes.append(helper.make_node(op, [source], [name], name=name))
            outputs.append(_info(name, F32, [N]))
    return helper.make_graph(
        nodes, "trig", [_info(s, F32, [N]) for s in TRIG], outputs)


def bitwise():
    i32, u8 = TensorProto.INT32, TensorProto.UINT8
    nodes = [
        helper.make_node("BitwiseAnd", ["a", "b"], ["and"]),
        helper.make_node("BitwiseOr", ["a", "b"], ["or"]),
        helper.make_node("BitwiseXor", ["a", "b"], ["xor"]),
        helper.make_node("BitwiseNot", ["a"], ["not"]),
        helper.make_node("BitwiseAnd", ["u", "v"], ["and_u"]),
        helper.make_node("BitwiseXor", ["u", "v"], ["xor_u"]),
        helper.make_node("BitwiseNot", ["u"], ["not_u"]),
    ]
    return helper.make_graph(
        nodes, "bitwise",
        [_info("a", i32, [3, 4]), _info("b", i32, [4]),
         _info("u", u8, [4]), _info("v", u8, [2, 4])],
        [_info("and", i32, [3, 4]), _info("or", i32, [3, 4]),
         _info("xor", i32, [3, 4]), _info("not", i32, [3, 4]),
         _info("and_u", u8, [2, 4]), _info("xor_u", u8, [2, 4]),
         _info("not_u", u8, [4])])


SHIFT_TYPES = {8: TensorProto.UINT8, 16: TensorProto.UINT16,
               32: TensorProto.UINT32, 64: TensorProto.UINT64}


def shift():
    nodes, inputs, outputs = [], [], []
    for bits, elem in SHIFT_TYPES.items():
        x, s = f"x{bits}", f"s{bits}"
        inputs += [_info(x, elem, [16]), _info(s, elem, [16])]
        for direction in ("LEFT", "RIGHT"):
            out = f"{direction.lower()}{bits}"
            nodes.append(helper.make_node("BitShift", [x, s], [out],
                                          direction=direction))
            outputs.append(_info(out, elem, [16]))
    return helper.make_graph(nodes, "shift", inputs, outputs)


def misc():
    b = TensorProto.BOOL
    nodes = [
        helper.make_node("IsInf", ["x"], ["inf"]),
        helper.make_node("IsInf", ["x"], ["pos_inf"], detect_negative=0),
        helper.make_node("IsInf", ["x"], ["neg_inf"], detect_positive=0),
        helper.make_node("IsNaN", ["x"], ["nan"]),
        helper.make_node("Swish", ["g"], ["swish"], alpha=0.5),
        helper.make_node("SwiGLU", ["g", "v"], ["swiglu"]),
        helper.make_node("LpNormalization", ["v"], ["l1"], p=1, axis=0),
        helper.make_node("EyeLike", ["v"], ["eye"], k=-1,
                         dtype=TensorProto.INT32),
    ]
    return helper.make_graph(
        nodes, "misc",
        [_info("x", F32, [3, 5]), _info("g", F32, [3, 5]),
         _info("v", F32, [3, 5])],
        [_info("inf", b, [3, 5]), _info("pos_inf", b, [3, 5]),
         _info("neg_inf", b, [3, 5]), _info("nan", b, [3, 5]),
         _info("swish", F32, [3, 5]), _info("swiglu", F32, [3, 5]),
         _info("l1", F32, [3, 5]), _info("eye", TensorProto.INT32, [3, 5])])


MODELS = {"trig": trig, "bitwise": bitwise, "shift": shift, "misc": misc}
OPSETS = {"misc": 28}


def build(name):
    return helper.make_model(
        MODELS[name](),
        opset_imports=[helper.make_opsetid("", OPSETS.get(name, 18))])


def _trig_inputs(rng):
    wide = rng.uniform(-30, 30, N)
    wide[:512] = rng.uniform(-1e-3, 1e-3, 512)  # relative accuracy near 0
    return {
        "unit": rng.uniform(-0.999, 0.999, N).astype(np.float32),
        "wide": wide.astype(np.float32),
        "large": np.exp(rng.uniform(0, np.log(1e6), N)).astype(np.float32),
    }


def _integer_inputs(rng, name):
    if name == "bitwise":
        return {
            "a": rng.integers(-2**31, 2**31, (3, 4)).astype(np.int32),
            "b": rng.integers(-2**31, 2**31, 4).astype(np.int32),
            "u": rng.integers(0, 256, 4).astype(np.uint8),
            "v": rng.integers(0, 256, (2, 4)).astype(np.uint8),
        }
    feeds = {}
    for bits in SHIFT_TYPES:
        dtype = np.dtype(f"uint{bits}")
        feeds[f"x{bits}"] = rng.integers(0, 2**bits, 16, dtype=dtype)
        feeds[f"s{bits}"] = rng.integers(0, bits, 16).astype(dtype)
    return feeds


def write_reference(model_path, out_dir):
    rng = np.random.default_rng(7)
    name = os.path.splitext(os.path.basename(model_path))[0]
    feeds = (_trig_inputs(rng) if name == "trig"
             else _integer_inputs(rng, name))
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=feeds)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
