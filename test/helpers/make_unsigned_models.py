"""Unsigned integer test models (UINT8..UINT64), with onnxruntime references.

    make_unsigned_models.py NAME OUT.onnx [--reference DIR]

NAME is one of u8, u16, u32, u64: on inputs a, b [3, 4] of that type, f
[3, 4] float and i [3, 4] int64 (opset 17) the model computes

  sum, diff     Add and Sub (they wrap around)
  quot          Div (unsigned division; b has no zeros)
  gt, le, eq    Greater, LessOrEqual, Equal (unsigned comparisons)
  max, min      Max, Min (not u16: ONNX Runtime has no kernel for it)
  to_f32        Cast a to float (values above the signed range stay positive)
  to_i64        Cast a to int64 (zero-extended)
  from_f32      Cast f (non-negative, fractional) to the type (truncated)
  from_i64      Cast i (negative and large values) to the type (wrapped)
  wide          Expand a to [2, 3, 4]
  top, top_idx  TopK of a, K = 2 along the last axis (u8 only: ONNX
                Runtime has no TopK for the wider unsigned types)
  rmax          ReduceMax of a along axis 1 (u8 only: ReduceMax-13 takes no
                uint16, ONNX Runtime no uint32/uint64)

The inputs put values above the signed maximum of each width into a and b,
so that a signed lowering gives other results.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

TYPES = {
    "u8": (TensorProto.UINT8, np.uint8),
    "u16": (TensorProto.UINT16, np.uint16),
    "u32": (TensorProto.UINT32, np.uint32),
    "u64": (TensorProto.UINT64, np.uint64),
}
SHAPE = [3, 4]


def build(name):
    elem, _ = TYPES[name]
    F32, I64 = TensorProto.FLOAT, TensorProto.INT64
    nodes = [
        helper.make_node("Add", ["a", "b"], ["sum"]),
        helper.make_node("Sub", ["a", "b"], ["diff"]),
        helper.make_node("Div", ["a", "b"], ["quot"]),
        helper.make_node("Greater", ["a", "b"], ["gt"]),
        helper.make_node("LessOrEqual", ["a", "b"], ["le"]),
        helper.make_node("Equal", ["a", "b"], ["eq"]),
        helper.make_node("Cast", ["a"], ["to_f32"], to=F32),
        helper.make_node("Cast", ["a"], ["to_i64"], to=I64),
        helper.make_node("Cast", ["f"], ["from_f32"], to=elem),
        helper.make_node("Cast", ["i"], ["from_i64"], to=elem),
        helper.make_node("Expand", ["a", "wide_shape"], ["wide"]),
    ]
    if name != "u16":
        nodes += [helper.make_node("Max", ["a", "b"], ["max"]),
                  helper.make_node("Min", ["a", "b"], ["min"])]
    if name == "u8":
        nodes += [
            helper.make_node("TopK", ["a", "k"], ["top", "top_idx"], axis=-1),
            helper.make_node("ReduceMax", ["a"], ["rmax"], axes=[1],
                             keepdims=0),
        ]
    inputs = [helper.make_tensor_value_info("a", elem, SHAPE),
              helper.make_tensor_value_info("b", elem, SHAPE),
              helper.make_tensor_value_info("f", F32, SHAPE),
              helper.make_tensor_value_info("i", I64, SHAPE)]
    out_types = {"gt": TensorProto.BOOL, "le": TensorProto.BOOL,
                 "eq": TensorProto.BOOL, "to_f32": F32, "to_i64": I64,
                 "top_idx": I64}
    outputs = [helper.make_tensor_value_info(n.output[j],
                                             out_types.get(n.output[j], elem),
                                             None)
               for n in nodes for j in range(len(n.output))]
    inits = [numpy_helper.from_array(np.array([2, 3, 4], np.int64),
                                     "wide_shape")]
    if name == "u8":
        inits.append(numpy_helper.from_array(np.array([2], np.int64), "k"))
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model, full_check=True)
    return model


def make_inputs(name, seed=1):
    """a and b straddle the signed maximum of the width (b is never 0); f is
    non-negative with fractions; i holds negative and out-of-range values."""
    _, dtype = TYPES[name]
    top = np.iinfo(dtype).max
    rng = np.random.default_rng(seed)
    high = [top, top - 1, top // 2 + 1, top // 2 + 7]
    a = np.array(high + [0, 1, 2, 3] + [5, top // 3, 9, 100], dtype=dtype)
    b = np.array([3, top, 2, top // 2] + rng.integers(1, 50, 4).tolist()
                 + [5, 7, top - 2, 1], dtype=dtype)
    f = rng.uniform(0, 250, 12).astype(np.float32)
    i = np.array([-1, -2, -200, 256, 65537, 2**32 + 5, -(2**40), 7,
                  0, 1, 300, -70000], dtype=np.int64)
    return {"a": a.reshape(SHAPE), "b": b.reshape(SHAPE),
            "f": f.reshape(SHAPE), "i": i.reshape(SHAPE)}


def write_reference(model_path, out_dir):
    elem = onnx.load(model_path).graph.input[0].type.tensor_type.elem_type
    name = next(n for n, (e, _) in TYPES.items() if e == elem)
    feeds, outputs = model_cli.run_onnxruntime(model_path,
                                               fixed=make_inputs(name))
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, TYPES, build, write_reference)
