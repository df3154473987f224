"""Writes a model that computes with the shape of symbolic dims.

    make_shape_value_models.py NAME OUT.onnx

shape_arith: x[batch, seq, 32] reshaped to [batch, seq, 4, 8] by the
  exporters' Shape -> Gather -> Unsqueeze -> Concat chain, to [batch*seq, 32]
  by a Mul of two dims, to [-1, 8] (inferred), a class token expanded to
  [batch, 1, 32] through torch's ConstantOfShape/Mul/Equal/Where idiom,
  positions Range(0, seq, 1), ConstantOfShape(Shape(x)) and Size(x).
data_shape: Reshape to a shape read from a tensor's data (an error).
range_delta: Range with a delta computed at run time from dims: Range(0, m,
  n) and Range(0, 3 * m, n + 1) for x[n] and y[m].
range_signed_delta: Range(m, 0, n - m) and Range(0, m, n - m), a run-time
  delta of either sign, and Range(-m, n, 3), a start of either sign.
slice_bounds: data Slices of x[batch, seq, 8] with ends read from the dims
  of mask[batch, seq]: x[:, :seq] and x[:, 0:seq:2, 1::3].
slice_table: a constant table[16, 8] sliced by seq, the dim of x[batch,
  seq, 8]: table[:seq], table[seq:], table[-seq:] and table[seq:0:-1]
  (run-time bounds that may pass the table's 16 rows or count from its end).
slice_dynamic: constant bounds on the dynamic dim of x[batch, seq, 8]:
  x[:, 1:], x[:, -1:], x[:, :-1], x[:, 2:100], x[:, ::-1], x[:, -2:0:-2].
dynamic_heads: attention whose query heads come from a head split Reshape
  [1, 4, -1, 8] of x[1, 4, hidden] (a head count known only at run time),
  with one key/value head: fusion must not raise it.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def const(name, values, dtype=np.int64):
    return helper.make_node("Constant", [], [name],
                            value=numpy_helper.from_array(
                                np.array(values, dtype), name))


def shape_arith(path):
    nodes = [
        const("c0", 0), const("c1", 1), const("a0", [0]), const("c48", [4, 8]),
        const("m1", [-1, 8]), const("minus1", -1),
        const("one1", [1]), const("c32", [32]),
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "c0"], ["b"], axis=0),
        helper.make_node("Gather", ["s", "c1"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["b", "a0"], ["bu"]),
        helper.make_node("Unsqueeze", ["n", "a0"], ["nu"]),
        # [batch, seq, 4, 8]
        helper.make_node("Concat", ["bu", "nu", "c48"], ["heads_shape"],
                         axis=0),
        helper.make_node("Reshape", ["x", "heads_shape"], ["heads"]),
        # [batch * seq, 32]
        helper.make_node("Mul", ["bu", "nu"], ["bn"]),
        helper.make_node("Concat", ["bn", "c32"], ["flat_shape"], axis=0),
        helper.make_node("Reshape", ["x", "flat_shape"], ["flat"]),
        # [-1, 8]
        helper.make_node("Reshape", ["x", "m1"], ["rows"]),
        # Expand(cls, Where(Equal([b, -1, -1], -1 * ones), ones, shape))
        helper.make_node("Concat", ["bu", "one1", "one1"], ["want"], axis=0),
        helper.make_node("Shape", ["want"], ["want_shape"]),
        helper.make_node("ConstantOfShape", ["want_shape"], ["ones"],
                         value=numpy_helper.from_array(
                             np.array([1], np.int64), "v")),
        helper.make_node("Mul", ["ones", "minus1"], ["minus_ones"]),
        helper.make_node("Equal", ["want", "minus_ones"], ["is_auto"]),
        helper.make_node("Where", ["is_auto", "ones", "want"], ["cls_shape"]),
        helper.make_node("Expand", ["cls", "cls_shape"], ["cls_out"]),
        # Range(0, seq, 1) and a zero tensor of x's shape.
        helper.make_node("Range", ["c0", "n", "c1"], ["positions"]),
        helper.make_node("ConstantOfShape", ["s"], ["zeros"],
                         value=numpy_helper.from_array(
                             np.array([0.5], np.float32), "v")),
        helper.make_node("Size", ["x"], ["count"]),
    ]
    graph = helper.make_graph(
        nodes, "shape_arith",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", "seq", 32])],
        [helper.make_tensor_value_info("heads", TensorProto.FLOAT,
                                       ["batch", "seq", 4, 8]),
         helper.make_tensor_value_info("flat", TensorProto.FLOAT,
                                       ["rows", 32]),
         helper.make_tensor_value_info("rows", TensorProto.FLOAT,
                                       ["rows8", 8]),
         helper.make_tensor_value_info("cls_out", TensorProto.FLOAT,
                                       ["batch", 1, 32]),
         helper.make_tensor_value_info("positions", TensorProto.INT64,
                                       ["seq"]),
         helper.make_tensor_value_info("zeros", TensorProto.FLOAT,
                                       ["batch", "seq", 32]),
         helper.make_tensor_value_info("count", TensorProto.INT64, [])],
        [numpy_helper.from_array(
            np.linspace(-1, 1, 32, dtype=np.float32), "cls")])
    save(graph, path)


def data_shape(path):
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="by_data")],
        "data_shape",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 4]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["a", "b"])])
    save(graph, path)


def range_nodes(delta_nodes):
    """Reads n and m from the dims of x[n] and y[m], then `delta_nodes`."""
    return [
        const("c0", 0), const("c1", 1), const("c3", 3),
        helper.make_node("Shape", ["x"], ["sx"]),
        helper.make_node("Gather", ["sx", "c0"], ["n"], axis=0),
        helper.make_node("Shape", ["y"], ["sy"]),
        helper.make_node("Gather", ["sy", "c0"], ["m"], axis=0),
    ] + delta_nodes


def range_inputs():
    return [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"]),
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["m"])]


def range_delta(path):
    nodes = range_nodes([
        helper.make_node("Range", ["c0", "m", "n"], ["strided"],
                         name="strided_range"),
        helper.make_node("Mul", ["m", "c3"], ["m3"]),
        helper.make_node("Add", ["n", "c1"], ["n1"]),
        helper.make_node("Range", ["c0", "m3", "n1"], ["wide"],
                         name="wide_range"),
    ])
    graph = helper.make_graph(
        nodes, "range_delta", range_inputs(),
        [helper.make_tensor_value_info("strided", TensorProto.INT64,
                                       ["count"]),
         helper.make_tensor_value_info("wide", TensorProto.INT64,
                                       ["wide_count"])])
    save(graph, path)


def range_signed_delta(path):
    nodes = range_nodes([
        helper.make_node("Sub", ["n", "m"], ["delta"]),
        helper.make_node("Range", ["m", "c0", "delta"], ["down"],
                         name="down_range"),
        helper.make_node("Range", ["c0", "m", "delta"], ["up"],
                         name="up_range"),
        helper.make_node("Neg", ["m"], ["minus_m"]),
        helper.make_node("Range", ["minus_m", "n", "c3"], ["shifted"],
                         name="shifted_range"),
    ])
    graph = helper.make_graph(
        nodes, "range_signed_delta", range_inputs(),
        [helper.make_tensor_value_info("down", TensorProto.INT64,
                                       ["down_count"]),
         helper.make_tensor_value_info("up", TensorProto.INT64,
                                       ["up_count"]),
         helper.make_tensor_value_info("shifted", TensorProto.INT64,
                                       ["shifted_count"])])
    save(graph, path)


def slice_bounds(path):
    big = np.iinfo(np.int64).max
    nodes = [
        const("c1", 1), const("a0", [0]), const("a1", [1]), const("z", [0]),
        const("a12", [1, 2]), const("z1", [0, 1]), const("steps", [2, 3]),
        const("big", [big]),
        helper.make_node("Shape", ["mask"], ["sm"]),
        helper.make_node("Gather", ["sm", "c1"], ["seq"], axis=0),
        helper.make_node("Unsqueeze", ["seq", "a0"], ["seq1"]),
        helper.make_node("Slice", ["x", "z", "seq1", "a1"], ["head"],
                         name="slice_to_seq"),
        helper.make_node("Concat", ["seq1", "big"], ["ends"], axis=0),
        helper.make_node("Slice", ["x", "z1", "ends", "a12", "steps"],
                         ["strided"], name="slice_strided"),
    ]
    graph = helper.make_graph(
        nodes, "slice_bounds",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", "seq", 8]),
         helper.make_tensor_value_info("mask", TensorProto.INT64,
                                       ["batch", "seq"])],
        [helper.make_tensor_value_info("head", TensorProto.FLOAT,
                                       ["batch", "seq", 8]),
         helper.make_tensor_value_info("strided", TensorProto.FLOAT,
                                       ["batch", "half", 3])])
    save(graph, path)


def slice_table(path):
    big = np.iinfo(np.int64).max
    nodes = [
        const("c1", 1), const("a0", [0]), const("z", [0]), const("big", [big]),
        helper.make_node("Shape", ["x"], ["sx"]),
        helper.make_node("Gather", ["sx", "c1"], ["seq"], axis=0),
        helper.make_node("Unsqueeze", ["seq", "a0"], ["seq1"]),
        helper.make_node("Neg", ["seq1"], ["minus_seq"]),
        helper.make_node("Slice", ["table", "z", "seq1", "a0"], ["rows"],
                         name="table_rows"),
        helper.make_node("Slice", ["table", "seq1", "big", "a0"], ["rest"],
                         name="table_rest"),
        helper.make_node("Slice", ["table", "minus_seq", "big", "a0"],
                         ["last"], name="table_last"),
        const("back", [-1]),
        helper.make_node("Slice", ["table", "seq1", "z", "a0", "back"],
                         ["down"], name="table_down"),
    ]
    graph = helper.make_graph(
        nodes, "slice_table",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", "seq", 8])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [name, 8])
         for name in ("rows", "rest", "last", "down")],
        [numpy_helper.from_array(
            np.arange(128, dtype=np.float32).reshape(16, 8), "table")])
    save(graph, path)


def slice_dynamic(path):
    big, small = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    cases = {
        "tail": ([1], [big], [1]), "last": ([-1], [big], [1]),
        "drop_last": ([0], [-1], [1]), "past": ([2], [100], [1]),
        "reversed": ([-1], [small], [-1]), "odd_back": ([-2], [0], [-2]),
    }
    nodes = [const("a1", [1])]
    for name, (starts, ends, steps) in cases.items():
        nodes += [const(name + "_s", starts), const(name + "_e", ends),
                  const(name + "_k", steps),
                  helper.make_node("Slice", ["x", name + "_s", name + "_e",
                                             "a1", name + "_k"], [name],
                                   name=name)]
    graph = helper.make_graph(
        nodes, "slice_dynamic",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", "seq", 8])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT,
                                       ["batch", name, 8])
         for name in cases])
    save(graph, path)


def dynamic_heads(path):
    nodes = [
        const("split", [1, 4, -1, 8]),
        helper.make_node("Reshape", ["x", "split"], ["q4"],
                         name="/attn/Reshape"),
        helper.make_node("Transpose", ["q4"], ["q"], perm=[0, 2, 1, 3],
                         name="/attn/Transpose"),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 1, 3, 2],
                         name="/attn/Transpose_1"),
        helper.make_node("MatMul", ["q", "kt"], ["s"], name="/attn/MatMul"),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1,
                         name="/attn/Softmax"),
        helper.make_node("MatMul", ["p", "v"], ["o"], name="/attn/MatMul_1"),
    ]
    graph = helper.make_graph(
        nodes, "dynamic_heads",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, 4, "hidden"]),
         helper.make_tensor_value_info("k", TensorProto.FLOAT, [1, 1, 4, 8]),
         helper.make_tensor_value_info("v", TensorProto.FLOAT, [1, 1, 4, 8])],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT,
                                       [1, "heads", 4, 8])])
    save(graph, path)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("",
                                                                        17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


MODELS = {"shape_arith": shape_arith, "data_shape": data_shape,
          "range_delta": range_delta,
          "range_signed_delta": range_signed_delta,
          "slice_bounds": slice_bounds, "slice_table": slice_table,
          "slice_dynamic": slice_dynamic,
          "dynamic_heads": dynamic_heads}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.stderr.write(__doc__)
        sys.exit(2)
    MODELS[sys.argv[1]](sys.argv[2])
