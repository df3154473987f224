"""Reductions and scans checked against ONNX Runtime: the composed ones
(ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp),
ReduceMin, ReduceProd and CumProd.

    make_reduce_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  composed   x [2, 3, 4]: each op over axes [1, 2] with keepdims (opset 18,
             axes as an input), and ReduceLogSumExp of 50 * x over axis 0
             without keepdims (exp would overflow without the max shift);
             ReduceLogSum of |x| + 1
  minprod    x [3, 5, 7] f32, n [4, 6] i64 (opset 20): ReduceMin of x over
             axes [0, -1] without keepdims, ReduceProd of x over the last
             axis and of x as f16 over axis 1; ReduceMin of n over all axes;
             ReduceProd of n as i32 over axis 0 without keepdims; ReduceMin
             of n as bool over axis 1 (a logical and)
  cumprod    x [4, 9] f32, n [3, 5] i64 (opset 26): CumProd of x along axis
             1, and along axis 0 exclusive and reverse; of n along axis -1
             exclusive, and of n as i32 along axis 0 reverse
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F = TensorProto.FLOAT
F16 = TensorProto.FLOAT16
I64 = TensorProto.INT64
I32 = TensorProto.INT32
BOOL = TensorProto.BOOL


def composed():
    ops = ["ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp"]
    nodes = [helper.make_node(op, ["x", "axes"], [op.lower()], name=op)
             for op in ops]
    nodes += [
        helper.make_node("Abs", ["x"], ["abs"], name="abs"),
        helper.make_node("Add", ["abs", "one"], ["positive"], name="plus_one"),
        helper.make_node("ReduceLogSum", ["positive", "axes"],
                         ["reducelogsum"], name="ReduceLogSum"),
        helper.make_node("Mul", ["x", "fifty"], ["large"], name="scale"),
        helper.make_node("ReduceLogSumExp", ["large", "axis0"], ["lse_large"],
                         name="lse_large", keepdims=0),
    ]
    outputs = [helper.make_tensor_value_info(op.lower(), F, [2, 1, 1])
               for op in ops + ["ReduceLogSum"]]
    outputs.append(helper.make_tensor_value_info("lse_large", F, [3, 4]))
    inits = [numpy_helper.from_array(np.array([1, 2], np.int64), "axes"),
             numpy_helper.from_array(np.array([0], np.int64), "axis0"),
             numpy_helper.from_array(np.array(1.0, np.float32), "one"),
             numpy_helper.from_array(np.array(50.0, np.float32), "fifty")]
    graph = helper.make_graph(
        nodes, "composed", [helper.make_tensor_value_info("x", F, [2, 3, 4])],
        outputs, initializer=inits)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 18)])


def axes_constant(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def minprod():
    nodes = [
        helper.make_node("ReduceMin", ["x", "axes_0_last"], ["min_f32"],
                         name="min_f32", keepdims=0),
        helper.make_node("ReduceProd", ["x", "axes_last"], ["prod_f32"],
                         name="prod_f32"),
        helper.make_node("Cast", ["x"], ["x16"], name="x16", to=F16),
        helper.make_node("ReduceProd", ["x16", "axes_1"], ["prod_f16"],
                         name="prod_f16"),
        helper.make_node("ReduceMin", ["n"], ["min_i64"], name="min_i64"),
        helper.make_node("Cast", ["n"], ["n32"], name="n32", to=I32),
        helper.make_node("ReduceProd", ["n32", "axes_0"], ["prod_i32"],
                         name="prod_i32", keepdims=0),
        helper.make_node("Cast", ["n"], ["nbool"], name="nbool", to=BOOL),
        helper.make_node("ReduceMin", ["nbool", "axes_1"], ["min_bool"],
                         name="min_bool", keepdims=0),
    ]
    outputs = [helper.make_tensor_value_info("min_f32", F, [5]),
               helper.make_tensor_value_info("prod_f32", F, [3, 5, 1]),
               helper.make_tensor_value_info("prod_f16", F16, [3, 1, 7]),
               helper.make_tensor_value_info("min_i64", I64, [1, 1]),
               helper.make_tensor_value_info("prod_i32", I32, [6]),
               helper.make_tensor_value_info("min_bool", BOOL, [4])]
    inits = [axes_constant("axes_0_last", [0, -1]),
             axes_constant("axes_last", [-1]), axes_constant("axes_1", [1]),
             axes_constant("axes_0", [0])]
    graph = helper.make_graph(
        nodes, "minprod", [helper.make_tensor_value_info("x", F, [3, 5, 7]),
                           helper.make_tensor_value_info("n", I64, [4, 6])],
        outputs, initializer=inits)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 20)])


def cumprod():
    nodes = [
        helper.make_node("CumProd", ["x", "axis_1"], ["c_axis1"],
                         name="c_axis1"),
        helper.make_node("CumProd", ["x", "axis_0"], ["c_excl_rev"],
                         name="c_excl_rev", exclusive=1, reverse=1),
        helper.make_node("CumProd", ["n", "axis_last"], ["c_i64_excl"],
                         name="c_i64_excl", exclusive=1),
        helper.make_node("Cast", ["n"], ["n32"], name="n32", to=I32),
        helper.make_node("CumProd", ["n32", "axis_0"], ["c_i32_rev"],
                         name="c_i32_rev", reverse=1),
    ]
    outputs = [helper.make_tensor_value_info("c_axis1", F, [4, 9]),
               helper.make_tensor_value_info("c_excl_rev", F, [4, 9]),
               helper.make_tensor_value_info("c_i64_excl", I64, [3, 5]),
               helper.make_tensor_value_info("c_i32_rev", I32, [3, 5])]
    inits = [axes_constant("axis_1", 1), axes_constant("axis_0", 0),
             axes_constant("axis_last", -1)]
    graph = helper.make_graph(
        nodes, "cumprod", [helper.make_tensor_value_info("x", F, [4, 9]),
                           helper.make_tensor_value_info("n", I64, [3, 5])],
        outputs, initializer=inits)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 26)])


MODELS = {"composed": composed, "minprod": minprod, "cumprod": cumprod}


def write_reference(model_path, out_dir):
    """Runs ONNX Runtime with the integer input n (where there is one) drawn
    from +-1, +-2, +-3 with a single zero: products stay small but not
    trivially zero, and one row of n as bool holds a false."""
    fixed = {}
    for i in onnx.load(model_path).graph.input:
        if i.name == "n":
            shape = [d.dim_value for d in i.type.tensor_type.shape.dim]
            n = np.random.default_rng(2).choice([-3, -2, -1, 1, 2, 3], shape)
            n[1, 2] = 0
            fixed["n"] = n.astype(np.int64)
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=fixed)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, lambda name: MODELS[name](),
                   write_reference)
