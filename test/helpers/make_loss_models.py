"""GatherElements, ScatterElements, NegativeLogLikelihoodLoss and
SoftmaxCrossEntropyLoss test models.

    make_loss_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  elements     x [4, 7, 5] f32, u [4, 9, 5] f32, gi [4, 9, 5] i64 and
               gi32 [3, 7, 2] i32 (indices in [-size, size)), si [4, 3, 5]
               i64 (a different position per column), di [6, 3, 5] i64
               (duplicates) (opset 18): GatherElements of x along axis 1 (more
               indices than the axis is long) and along axis -1 with gi32;
               ScatterElements of u[:4, :3] into x along axis 1, and of
               d [6, 3, 5] into x along axis 0 with reduction add, mul, max
               and min
  losses       s [5, 7, 3, 2] f32, t [5, 3, 2] i32 (some 2 = ignore_index),
               w [7] f32, s2 [6, 11] f64, t2 [6] i64 (some -1) (opset 22):
               NegativeLogLikelihoodLoss of s with weights and ignore_index 2
               (mean), of s without weights (none), SoftmaxCrossEntropyLoss
               of s with ignore_index 2 (sum, log_prob output) and of s2
               with weights and ignore_index -1 (mean)
  onehot       i [3, 5] i32 in [-8, 8) (some out of range), v [2] f32,
               h [4, 9, 3] f32 with ties (opset 13): OneHot of i with depth 7.0
               (a float constant) along axis 0, Hardmax of h along axis 1 and
               along the last axis
  import       small NegativeLogLikelihoodLoss (weights, ignore_index, mean),
               SoftmaxCrossEntropyLoss (log_prob), GatherElements and
               ScatterElements for the import test
  bad_target   NegativeLogLikelihoodLoss whose target is float
  bad_weight   NegativeLogLikelihoodLoss whose weight has 4 classes, not 5
  bad_rank     GatherElements whose indices have rank 1 for data of rank 2
  bad_reduction  SoftmaxCrossEntropyLoss with reduction 'max'
  bad_onehot   OneHot whose values have 3 elements
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F = TensorProto.FLOAT
D = TensorProto.DOUBLE
I64 = TensorProto.INT64
I32 = TensorProto.INT32


def _model(name, nodes, inputs, outputs, opset):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, t, s) for n, s, t in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, s, t in outputs])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", opset)])


def elements():
    node = helper.make_node
    nodes = [
        node("GatherElements", ["x", "gi"], ["gather_axis1"], axis=1),
        node("GatherElements", ["x", "gi32"], ["gather_last"], axis=-1),
        node("ScatterElements", ["x", "si", "u"], ["scatter_none"], axis=1),
    ]
    for reduction in ["add", "mul", "max", "min"]:
        nodes.append(node("ScatterElements", ["x", "di", "d"],
                          ["scatter_" + reduction], axis=0,
                          reduction=reduction))
    return _model("elements", nodes,
                  [("x", [4, 7, 5], F), ("gi", [4, 9, 5], I64),
                   ("gi32", [3, 7, 2], I32), ("si", [4, 3, 5], I64),
                   ("u", [4, 3, 5], F), ("di", [6, 3, 5], I64),
                   ("d", [6, 3, 5], F)],
                  [("gather_axis1", [4, 9, 5], F),
                   ("gather_last", [3, 7, 2], F),
                   ("scatter_none", [4, 7, 5], F)] +
                  [("scatter_" + r, [4, 7, 5], F)
                   for r in ["add", "mul", "max", "min"]], 18)


def elements_inputs(rng):
    x = rng.standard_normal((4, 7, 5)).astype(np.float32)
    gi = rng.integers(-7, 7, (4, 9, 5)).astype(np.int64)
    gi32 = rng.integers(-5, 5, (3, 7, 2)).astype(np.int32)
    # Distinct positions per (batch, column) for the unreduced scatter; the
    # last one is negative.
    si = np.stack([np.stack([rng.permutation(7)[:3] for _ in range(5)], 1)
                   for _ in range(4)]).astype(np.int64)
    si[:, -1, :] -= 7
    u = rng.standard_normal((4, 3, 5)).astype(np.float32)
    di = rng.integers(-4, 4, (6, 3, 5)).astype(np.int64)
    d = rng.standard_normal((6, 3, 5)).astype(np.float32)
    return {"x": x, "gi": gi, "gi32": gi32, "si": si, "u": u, "di": di,
            "d": d}


def losses():
    node = helper.make_node
    nodes = [
        node("NegativeLogLikelihoodLoss", ["s", "t", "w"], ["nll_mean"],
             ignore_index=2),
        node("NegativeLogLikelihoodLoss", ["s", "t"], ["nll_none"],
             reduction="none"),
        node("SoftmaxCrossEntropyLoss", ["s", "t"], ["sce_sum", "log_prob"],
             ignore_index=2, reduction="sum"),
        node("SoftmaxCrossEntropyLoss", ["s2", "t2", "w2"], ["sce_f64"],
             ignore_index=-1),
    ]
    return _model("losses", nodes,
                  [("s", [5, 7, 3, 2], F), ("t", [5, 3, 2], I32),
                   ("w", [7], F), ("s2", [6, 11], D), ("t2", [6], I64),
                   ("w2", [11], D)],
                  [("nll_mean", [], F), ("nll_none", [5, 3, 2], F),
                   ("sce_sum", [], F), ("log_prob", [5, 7, 3, 2], F),
                   ("sce_f64", [], D)], 22)


def losses_inputs(rng):
    s = rng.standard_normal((5, 7, 3, 2)).astype(np.float32)
    t = rng.integers(0, 7, (5, 3, 2)).astype(np.int32)
    t[0, 0, 0] = 2
    w = rng.uniform(0.5, 2.0, 7).astype(np.float32)
    s2 = rng.standard_normal((6, 11))
    t2 = rng.integers(0, 11, 6).astype(np.int64)
    t2[[1, 4]] = -1
    w2 = rng.uniform(0.5, 2.0, 11)
    return {"s": s, "t": t, "w": w, "s2": s2, "t2": t2, "w2": w2}


def import_model():
    node = helper.make_node
    nodes = [
        node("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["nll"],
             name="nll", ignore_index=-1),
        node("SoftmaxCrossEntropyLoss", ["x", "t"], ["sce", "log_prob"],
             name="sce", reduction="none"),
        node("GatherElements", ["x", "gi"], ["g"], name="gather", axis=-1),
        node("ScatterElements", ["x", "gi", "u"], ["s"], name="scatter",
             axis=1, reduction="max"),
    ]
    return _model("import", nodes,
                  [("x", [3, 5], F), ("t", [3], I64), ("w", [5], F),
                   ("gi", [3, 2], I64), ("u", [3, 2], F)],
                  [("nll", [], F), ("sce", [3], F), ("log_prob", [3, 5], F),
                   ("g", [3, 2], F), ("s", [3, 5], F)], 22)


def bad_target():
    nodes = [helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"],
                              name="float_target")]
    return _model("bad_target", nodes, [("x", [3, 5], F), ("t", [3], F)],
                  [("y", [], F)], 22)


def bad_weight():
    nodes = [helper.make_node("NegativeLogLikelihoodLoss", ["x", "t", "w"],
                              ["y"], name="short_weight")]
    return _model("bad_weight", nodes,
                  [("x", [3, 5], F), ("t", [3], I64), ("w", [4], F)],
                  [("y", [], F)], 22)


def bad_rank():
    nodes = [helper.make_node("GatherElements", ["x", "i"], ["y"],
                              name="flat_indices", axis=1)]
    return _model("bad_rank", nodes, [("x", [3, 5], F), ("i", [4], I64)],
                  [("y", [4], F)], 13)


def bad_reduction():
    nodes = [helper.make_node("SoftmaxCrossEntropyLoss", ["x", "t"], ["y"],
                              name="max_loss", reduction="max")]
    return _model("bad_reduction", nodes, [("x", [3, 5], F), ("t", [3], I64)],
                  [("y", [], F)], 13)


def onehot():
    node = helper.make_node
    nodes = [
        node("OneHot", ["i", "depth", "v"], ["onehot"], axis=0),
        node("Hardmax", ["h"], ["hardmax_axis1"], axis=1),
        node("Hardmax", ["h"], ["hardmax_last"]),
    ]
    graph = helper.make_graph(
        nodes, "onehot",
        [helper.make_tensor_value_info("i", I32, [3, 5]),
         helper.make_tensor_value_info("v", F, [2]),
         helper.make_tensor_value_info("h", F, [4, 9, 3])],
        [helper.make_tensor_value_info("onehot", F, [7, 3, 5]),
         helper.make_tensor_value_info("hardmax_axis1", F, [4, 9, 3]),
         helper.make_tensor_value_info("hardmax_last", F, [4, 9, 3])],
        initializer=[helper.make_tensor("depth", F, [], [7.0])])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])


def onehot_inputs(rng):
    # Rounded values make ties; Hardmax takes the first maximum.
    h = np.round(rng.standard_normal((4, 9, 3))).astype(np.float32)
    return {"i": rng.integers(-8, 8, (3, 5)).astype(np.int32),
            "v": np.array([-1.5, 4.0], np.float32), "h": h}


def bad_onehot():
    nodes = [helper.make_node("OneHot", ["i", "depth", "v"], ["y"],
                              name="three_values")]
    graph = helper.make_graph(
        nodes, "bad_onehot",
        [helper.make_tensor_value_info("i", I64, [3]),
         helper.make_tensor_value_info("v", F, [3])],
        [helper.make_tensor_value_info("y", F, [3, 4])],
        initializer=[helper.make_tensor("depth", I64, [], [4])])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 11)])


MODELS = {"elements": elements, "losses": losses, "onehot": onehot,
          "import": import_model,
          "bad_target": bad_target, "bad_weight": bad_weight,
          "bad_rank": bad_rank, "bad_reduction": bad_reduction,
          "bad_onehot": bad_onehot}
INPUTS = {"elements": elements_inputs, "losses": losses_inputs,
          "onehot": onehot_inputs}


def write_reference(model_path, out_dir):
    """Runs the model with ONNX Runtime on in-range indices and saves its
    inputs and outputs (expected_<name>.npy) into out_dir."""
    name = onnx.load(model_path).graph.name
    feeds = INPUTS[name](np.random.default_rng(1))
    _, outputs = model_cli.run_onnxruntime(model_path, fixed=feeds)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, lambda name: MODELS[name](),
                   write_reference)
