"""ONNX Mod test models, with inputs and ONNX Runtime's outputs.

    make_mod_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  mod        a, b int64 [2, 6] / [6] (b broadcast, every sign combination):
             Mod fmod = 0 (the divisor's sign, y_int) and fmod = 1 (the
             dividend's sign, y_fmod); x, z float [2, 6]: Mod fmod = 1 (y_f);
             u, v uint32 [6]: Mod (y_u)
  mod_float  x, z float [2, 6]: Mod fmod = 0 (the divisor's sign, as
             numpy.mod; ONNX Runtime refuses it, the reference is NumPy's)
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402


def _info(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def mod():
    nodes = [
        helper.make_node("Mod", ["a", "b"], ["y_int"], name="mod_int"),
        helper.make_node("Mod", ["a", "b"], ["y_fmod"], name="mod_fmod",
                         fmod=1),
        helper.make_node("Mod", ["x", "z"], ["y_f"], name="mod_float", fmod=1),
        helper.make_node("Mod", ["u", "v"], ["y_u"], name="mod_uint"),
    ]
    i64, f32, u32 = TensorProto.INT64, TensorProto.FLOAT, TensorProto.UINT32
    return helper.make_graph(
        nodes, "mod",
        [_info("a", i64, [2, 6]), _info("b", i64, [6]),
         _info("x", f32, [2, 6]), _info("z", f32, [2, 6]),
         _info("u", u32, [6]), _info("v", u32, [6])],
        [_info("y_int", i64, [2, 6]), _info("y_fmod", i64, [2, 6]),
         _info("y_f", f32, [2, 6]), _info("y_u", u32, [6])])


def mod_float():
    f32 = TensorProto.FLOAT
    return helper.make_graph(
        [helper.make_node("Mod", ["x", "z"], ["y"], name="mod_float")],
        "mod_float", [_info("x", f32, [2, 6]), _info("z", f32, [2, 6])],
        [_info("y", f32, [2, 6])])


MODELS = {"mod": mod, "mod_float": mod_float}


def build(name):
    return helper.make_model(MODELS[name](),
                             opset_imports=[helper.make_opsetid("", 13)])


def write_reference(model_path, out_dir):
    rng = np.random.default_rng(1)
    floats = {
        "x": rng.uniform(-10, 10, (2, 6)).astype(np.float32),
        "z": rng.choice([-3.5, -1.25, 0.75, 2.0], (2, 6)).astype(np.float32),
    }
    if len(onnx.load(model_path).graph.input) == 2:
        model_cli.save_arrays(out_dir, floats)
        model_cli.save_arrays(out_dir, {"y": np.mod(floats["x"], floats["z"])},
                              prefix="expected_")
        return
    feeds = {
        "a": np.array([[7, -7, 7, -7, 0, 9], [13, -13, 2, -2, 5, -9]],
                      np.int64),
        "b": np.array([3, 3, -3, -3, 4, 9], np.int64),
        **floats,
        "u": np.array([7, 4000000000, 9, 0, 5, 3000000001], np.uint32),
        "v": np.array([3, 7, 9, 4, 6, 4000000000], np.uint32),
    }
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=feeds)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
