"""A bool initializer of mixed values (not a splat), checked against ONNX
Runtime.

    make_bool_initializer_models.py NAME OUT.onnx [--reference DIR]

  where   Where(m, x, y) with m a bool [3, 5] initializer (inline in the
          importer: small) of fixed, mixed values, x and y f32 inputs
  large   the same at [40, 70] (an external resource in the importer)
"""

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import model_cli

SHAPES = {"where": [3, 5], "large": [40, 70]}


def build(name):
    shape = SHAPES[name]
    if name == "where":
        mask = np.array([[1, 0, 0, 1, 1], [0, 1, 0, 0, 0], [1, 1, 1, 0, 1]],
                        bool)
    else:
        mask = np.random.default_rng(2).integers(0, 2, shape).astype(bool)
    graph = helper.make_graph(
        [helper.make_node("Where", ["m", "x", "y"], ["z"], name="select")],
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, shape)],
        initializer=[numpy_helper.from_array(mask, "m")])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 17)])


if __name__ == "__main__":
    model_cli.main(__doc__, SHAPES, build,
                   model_cli.save_onnxruntime_reference)
