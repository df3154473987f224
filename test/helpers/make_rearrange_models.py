"""DepthToSpace and SpaceToDepth test models, checked against ONNX Runtime.

    make_rearrange_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  depth_to_space   x [1, 8, 2, 3]: DepthToSpace blocksize 2 in DCR mode (y)
                   and in CRD mode (y_crd)
  space_to_depth   x [2, 3, 4, 6]: SpaceToDepth blocksize 2 (y)
  bad_blocksize    DepthToSpace with 6 channels and blocksize 2
"""

import os
import sys

from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F = TensorProto.FLOAT


def depth_to_space():
    nodes = [
        helper.make_node("DepthToSpace", ["x"], ["y"], name="d2s_dcr",
                         blocksize=2),
        helper.make_node("DepthToSpace", ["x"], ["y_crd"], name="d2s_crd",
                         blocksize=2, mode="CRD"),
    ]
    return nodes, [("x", [1, 8, 2, 3])], [("y", [1, 2, 4, 6]),
                                          ("y_crd", [1, 2, 4, 6])]


def space_to_depth():
    nodes = [helper.make_node("SpaceToDepth", ["x"], ["y"], name="s2d",
                              blocksize=2)]
    return nodes, [("x", [2, 3, 4, 6])], [("y", [2, 12, 2, 3])]


def bad_blocksize():
    nodes = [helper.make_node("DepthToSpace", ["x"], ["y"], name="d2s",
                              blocksize=2)]
    return nodes, [("x", [1, 6, 2, 2])], [("y", None)]


MODELS = {"depth_to_space": depth_to_space, "space_to_depth": space_to_depth,
          "bad_blocksize": bad_blocksize}


def build(name):
    nodes, inputs, outputs = MODELS[name]()
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, F, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, F, s) for n, s in outputs])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])


def write_reference(model_path, out_dir, seed=1):
    feeds, outputs = model_cli.run_onnxruntime(model_path, seed)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
