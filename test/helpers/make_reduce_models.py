"""Composed reductions (ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum,
ReduceLogSumExp), checked against ONNX Runtime.

    make_reduce_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  composed   x [2, 3, 4]: each op over axes [1, 2] with keepdims (opset 18,
             axes as an input), and ReduceLogSumExp of 50 * x over axis 0
             without keepdims (exp would overflow without the max shift);
             ReduceLogSum of |x| + 1
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F = TensorProto.FLOAT


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


MODELS = {"composed": composed}


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, lambda name: MODELS[name](),
                   model_cli.save_onnxruntime_reference)
