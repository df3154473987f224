"""TopK, CumSum, ScatterND, GatherND and Einsum test models (import tests).

    make_selection_models.py NAME OUT.onnx

NAME is one of:

  topk          TopK on x [2, 10]: K = 3 constant, axis -1 (opset 11),
                then the 2 smallest along axis 0 with sorted = 0
  topk_input    TopK whose K is a graph input (bind it with --bind-input)
  cumsum        CumSum on x [2, 5] with a constant axis -1, exclusive and
                reverse (opset 14)
  scatternd     ScatterND writing one token's keys into a KV cache
                [1, 2, 8, 4] at run-time positions [1, 2, 3] (opset 18,
                reduction add)
  gathernd      GatherND on x [2, 3, 4] at constant index pairs
                [[[0, 1], [1, -1]]] (opset 13)
  bad_gathernd  GatherND with batch_dims = 2 (not below the rank of indices)
  einsum        Einsum attention scores 'bhqd,bhkd->bhqk', an implicit
                output 'ij,jk' and a batch diagonal '...ii->...i' (opset 12)
  bad_einsum    Einsum 'ij->jz' (z names no input dimension)
  bad_scatter   ScatterND with reduction 'sum' (not an ONNX value)
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT
I64 = TensorProto.INT64


def _i64(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def topk():
    nodes = [
        helper.make_node("TopK", ["x", "k3"], ["v", "i"], name="top3", axis=-1),
        helper.make_node("TopK", ["x", "k2"], ["sv", "si"], name="bottom2",
                         axis=0, largest=0, sorted=0),
    ]
    return (nodes, [_i64("k3", [3]), _i64("k2", [2])],
            [("x", [2, 10], F)],
            [("v", None, F), ("i", None, I64), ("sv", None, F),
             ("si", None, I64)], 11)


def topk_input():
    nodes = [helper.make_node("TopK", ["x", "k"], ["v", "i"], name="sample")]
    return (nodes, [], [("x", [1, 32], F), ("k", [1], I64)],
            [("v", None, F), ("i", None, I64)], 11)


def cumsum():
    nodes = [
        helper.make_node("CumSum", ["x", "axis"], ["y"], name="running"),
        helper.make_node("CumSum", ["x", "axis"], ["z"], name="tail",
                         exclusive=1, reverse=1),
    ]
    return (nodes, [numpy_helper.from_array(np.array(-1, np.int32), "axis")],
            [("x", [2, 5], F)], [("y", None, F), ("z", None, F)], 14)


def scatternd():
    nodes = [helper.make_node("ScatterND", ["cache", "pos", "k"], ["out"],
                              name="kv_update", reduction="add")]
    return (nodes, [], [("cache", [1, 2, 8, 4], F), ("pos", [1, 3], I64),
                        ("k", [1, 4], F)], [("out", None, F)], 18)


def gathernd():
    nodes = [helper.make_node("GatherND", ["x", "idx"], ["y"], name="pick")]
    return (nodes, [_i64("idx", [[[0, 1], [1, -1]]])], [("x", [2, 3, 4], F)],
            [("y", None, F)], 13)


def bad_gathernd():
    nodes = [helper.make_node("GatherND", ["x", "idx"], ["y"], name="batched",
                              batch_dims=2)]
    return (nodes, [_i64("idx", [[1], [0]])], [("x", [2, 3], F)],
            [("y", None, F)], 13)


def einsum():
    nodes = [
        helper.make_node("Einsum", ["q", "k"], ["scores"], name="qk",
                         equation="bhqd,bhkd->bhqk"),
        helper.make_node("Einsum", ["a", "b"], ["ab"], name="implicit",
                         equation="ij,jk"),
        helper.make_node("Einsum", ["m"], ["diag"], name="diagonal",
                         equation="...ii->...i"),
    ]
    return (nodes, [],
            [("q", [1, 2, 3, 4], F), ("k", [1, 2, 5, 4], F), ("a", [2, 3], F),
             ("b", [3, 4], F), ("m", [2, 3, 3], F)],
            [("scores", None, F), ("ab", None, F), ("diag", None, F)], 12)


def bad_einsum():
    nodes = [helper.make_node("Einsum", ["a"], ["y"], name="bad_eq",
                              equation="ij->jz")]
    return nodes, [], [("a", [2, 3], F)], [("y", None, F)], 12


def bad_scatter():
    nodes = [helper.make_node("ScatterND", ["d", "i", "u"], ["y"],
                              name="bad_reduction", reduction="sum")]
    return (nodes, [], [("d", [4], F), ("i", [1, 1], I64), ("u", [1], F)],
            [("y", None, F)], 18)


MODELS = {"topk": topk, "topk_input": topk_input, "cumsum": cumsum,
          "scatternd": scatternd, "gathernd": gathernd,
          "bad_gathernd": bad_gathernd, "einsum": einsum, "bad_einsum": bad_einsum,
          "bad_scatter": bad_scatter}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(MODELS))
    parser.add_argument("output")
    args = parser.parse_args()
    nodes, inits, inputs, outputs, opset = MODELS[args.name]()
    graph = helper.make_graph(
        nodes, args.name,
        [helper.make_tensor_value_info(n, t, s) for n, s, t in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, s, t in outputs],
        initializer=inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.save(model, args.output)


if __name__ == "__main__":
    main()
