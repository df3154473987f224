"""Small ONNX models for the importer's lit tests.

Each builder takes an output path and writes one model (plus, for some,
side files next to it). `make_onnx_model.py NAME OUT` calls them by name.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def tensor(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


F32 = TensorProto.FLOAT
I64 = TensorProto.INT64
BOOL = TensorProto.BOOL


def save(graph, path, opset=OPSET, check=True):
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="mllmc-tests")
    if check:
        onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    return model


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def weight(name, shape, seed=0):
    rng = np.random.default_rng(seed)
    return numpy_helper.from_array(
        rng.standard_normal(shape).astype(np.float32), name)


# --- Ops ----------------------------------------------------------------------


def elementwise(path):
    nodes = [
        helper.make_node("Add", ["x", "y"], ["add"], name="add"),
        helper.make_node("Sub", ["add", "y"], ["sub"], name="sub"),
        helper.make_node("Mul", ["sub", "x"], ["mul"], name="mul"),
        helper.make_node("Div", ["mul", "y"], ["div"], name="div"),
        helper.make_node("Pow", ["div", "two"], ["pow"], name="pow"),
        helper.make_node("Max", ["pow", "x", "y"], ["max"], name="max"),
        helper.make_node("Min", ["max", "x"], ["min"], name="min"),
        helper.make_node("Neg", ["min"], ["neg"], name="neg"),
        helper.make_node("Abs", ["neg"], ["abs"], name="abs"),
        helper.make_node("Exp", ["abs"], ["exp"], name="exp"),
        helper.make_node("Log", ["exp"], ["log"], name="log"),
        helper.make_node("Sqrt", ["log"], ["sqrt"], name="sqrt"),
        helper.make_node("Reciprocal", ["sqrt"], ["recip"], name="recip"),
        helper.make_node("Erf", ["recip"], ["erf"], name="erf"),
        helper.make_node("Tanh", ["erf"], ["tanh"], name="tanh"),
        helper.make_node("Sigmoid", ["tanh"], ["sigmoid"], name="sigmoid"),
        helper.make_node("Relu", ["sigmoid"], ["relu"], name="relu"),
    ]
    graph = helper.make_graph(
        nodes, "elementwise", [tensor("x", F32, [2, 3]), tensor("y", F32, [3])],
        [tensor("relu", F32, [2, 3])],
        initializer=[ints("two", 2)])
    save(graph, path)


def logic(path):
    nodes = [
        helper.make_node("Equal", ["x", "y"], ["eq"], name="eq"),
        helper.make_node("Less", ["x", "y"], ["lt"], name="lt"),
        helper.make_node("LessOrEqual", ["x", "y"], ["le"], name="le"),
        helper.make_node("Greater", ["x", "y"], ["gt"], name="gt"),
        helper.make_node("GreaterOrEqual", ["x", "y"], ["ge"], name="ge"),
        helper.make_node("And", ["eq", "lt"], ["and"], name="and"),
        helper.make_node("Or", ["and", "le"], ["or"], name="or"),
        helper.make_node("Not", ["or"], ["not"], name="not"),
        helper.make_node("Where", ["not", "x", "y"], ["where"], name="where"),
        helper.make_node("Cast", ["where"], ["cast"], name="cast",
                         to=TensorProto.FLOAT16),
        helper.make_node("Cast", ["gt"], ["gt_f"], name="cast_bool",
                         to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes, "logic", [tensor("x", F32, [4, 1]), tensor("y", F32, [8])],
        [tensor("cast", TensorProto.FLOAT16, [4, 8]),
         tensor("ge", BOOL, [4, 8]), tensor("gt_f", F32, [4, 8])])
    save(graph, path)


def matmul(path):
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["y"], name="fc1"),
        helper.make_node("MatMul", ["y", "v"], ["z"], name="matvec"),
        helper.make_node("MatMul", ["v", "m"], ["u"], name="vecmat"),
    ]
    graph = helper.make_graph(
        nodes, "matmul",
        [tensor("x", F32, [2, 4, 8]), tensor("v", F32, [16]),
         tensor("m", F32, [16, 5])],
        [tensor("z", F32, [2, 4]), tensor("u", F32, [5])],
        initializer=[weight("w", [8, 16])])
    save(graph, path)


def gemm(path):
    nodes = [
        helper.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm",
                         transA=1, transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Gemm", ["y", "w"], ["z"], name="plain"),
    ]
    graph = helper.make_graph(
        nodes, "gemm",
        [tensor("a", F32, [8, 4]), tensor("b", F32, [16, 8]),
         tensor("c", F32, [16])],
        [tensor("z", F32, [4, 3])],
        initializer=[weight("w", [16, 3])])
    save(graph, path)


def norms(path):
    nodes = [
        helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["ln"],
                         name="ln", axis=-1, epsilon=1e-6),
        helper.make_node("LayerNormalization", ["ln", "gamma"], ["ln2"],
                         name="ln_nobias"),
        helper.make_node("RMSNormalization", ["ln2", "gamma"], ["rms"],
                         name="rms", epsilon=1e-6),
    ]
    graph = helper.make_graph(
        nodes, "norms", [tensor("x", F32, [1, 16, 32])],
        [tensor("rms", F32, [1, 16, 32])],
        initializer=[weight("gamma", [32], 1), weight("beta", [32], 2)])
    save(graph, path, opset=23)


def activations(path):
    nodes = [
        helper.make_node("Softmax", ["x"], ["sm"], name="softmax"),
        helper.make_node("Softmax", ["sm"], ["sm1"], name="softmax_axis1",
                         axis=1),
        helper.make_node("Gelu", ["sm1"], ["gelu"], name="gelu"),
        helper.make_node("Gelu", ["gelu"], ["gelu_tanh"], name="gelu_tanh",
                         approximate="tanh"),
    ]
    graph = helper.make_graph(
        nodes, "activations", [tensor("x", F32, [2, 4, 8])],
        [tensor("gelu_tanh", F32, [2, 4, 8])])
    save(graph, path, opset=20)


def shapes(path):
    nodes = [
        helper.make_node("Reshape", ["x", "shape"], ["r"], name="reshape"),
        helper.make_node("Transpose", ["r"], ["t"], name="transpose_default"),
        helper.make_node("Transpose", ["t"], ["t2"], name="transpose",
                         perm=[1, 0, 2]),
        helper.make_node("Flatten", ["t2"], ["f"], name="flatten", axis=2),
        helper.make_node("Unsqueeze", ["f", "axes"], ["u"], name="unsqueeze"),
        helper.make_node("Squeeze", ["u", "axes"], ["s"], name="squeeze"),
        helper.make_node("Concat", ["s", "s"], ["c"], name="concat", axis=-1),
        helper.make_node("Slice", ["c", "starts", "ends", "slice_axes",
                                   "steps"], ["sl"], name="slice"),
        helper.make_node("Gather", ["sl", "idx"], ["g"], name="gather",
                         axis=1),
    ]
    graph = helper.make_graph(
        nodes, "shapes", [tensor("x", F32, [2, 3, 4])],
        [tensor("g", F32, [6, 2, 2])],
        initializer=[
            ints("shape", [0, 4, -1]), ints("axes", [0, -1]),
            ints("starts", [-1, 1]), ints("ends", [-1000, 1000]),
            ints("slice_axes", [0, 1]), ints("steps", [-2, 2]),
            ints("idx", [[0, 1], [1, 0]]),
        ])
    save(graph, path)


def shape_folding(path):
    """The shape arithmetic exporters emit around Reshape, on static shapes."""
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"],
                         name="gather_batch"),
        helper.make_node("Unsqueeze", ["batch", "axis0"], ["batch1"],
                         name="unsqueeze_batch"),
        helper.make_node("Concat", ["batch1", "minus1"], ["new_shape"],
                         name="concat_shape", axis=0),
        helper.make_node("Reshape", ["x", "new_shape"], ["flat"],
                         name="reshape"),
        helper.make_node("ConstantOfShape", ["new_shape_static"], ["ones"],
                         name="ones", value=numpy_helper.from_array(
                             np.array([1.0], dtype=np.float32))),
        helper.make_node("Size", ["x"], ["size"], name="size"),
        helper.make_node("Div", ["size", "r_div"], ["r1"], name="half_size"),
        helper.make_node("Range", ["r0", "r1", "r2"], ["range"],
                         name="range"),
        helper.make_node("Cast", ["range"], ["range_f"], name="cast_range",
                         to=TensorProto.FLOAT),
        helper.make_node("Add", ["ones", "range_f"], ["ones_r"],
                         name="add_range"),
        helper.make_node("Mul", ["flat", "ones_r"], ["y"], name="mul"),
    ]
    graph = helper.make_graph(
        nodes, "shape_folding", [tensor("x", F32, [2, 3, 4])],
        [tensor("y", F32, [2, 12])],
        initializer=[ints("zero", 0), ints("axis0", [0]), ints("minus1", [-1]),
                     ints("new_shape_static", [2, 12]), ints("r0", 0),
                     ints("r_div", 2), ints("r2", 1)])
    save(graph, path)


def gqa_expand_shape(path):
    """The key expansion of ONNX's function-expanded Attention (GQA): the
    interleave factor Where(And(Not(Equal(hq, hkv)), Equal(Mod(hq, hkv), 0)),
    Cast(Div(hq, hkv)), 1) of the head counts, sliced out of Shape, joins the
    shape an Expand of the unsqueezed key takes."""
    def shape(name, value, start, end):
        return helper.make_node("Shape", [value], [name], name=name,
                                start=start, end=end)

    def node(op, inputs, output, **attrs):
        return helper.make_node(op, inputs, [output], name=output, **attrs)

    nodes = [
        shape("batch", "k", 0, 1), shape("hq", "q", 1, 2),
        shape("hkv", "k", 1, 2), shape("seq", "k", -2, -1),
        shape("size", "k", 3, 4),
        node("Equal", ["hq", "hkv"], "same_heads"),
        node("Not", ["same_heads"], "gqa1"),
        node("Div", ["hq", "hkv"], "div_heads"),
        node("Cast", ["div_heads"], "idiv_heads", to=TensorProto.INT64),
        node("Mod", ["hq", "hkv"], "rem_heads"),
        node("Equal", ["rem_heads", "zero1d"], "gqa2"),
        node("And", ["gqa1", "gqa2"], "gqa"),
        node("Where", ["gqa", "idiv_heads", "one1d"], "interleave"),
        node("Unsqueeze", ["k", "two1d"], "k5"),
        node("Concat", ["batch", "hkv", "interleave", "seq", "size"],
             "expand_shape", axis=0),
        node("Expand", ["k5", "expand_shape"], "k_expanded"),
        node("Concat", ["batch", "hq", "seq", "size"], "heads_shape", axis=0),
        node("Reshape", ["k_expanded", "heads_shape"], "y"),
    ]
    graph = helper.make_graph(
        nodes, "gqa_expand_shape",
        [tensor("q", F32, [2, 6, 3, 8]), tensor("k", F32, [2, 2, 5, 8])],
        [tensor("y", F32, [2, 6, 5, 8])],
        initializer=[ints("zero1d", [0]), ints("one1d", [1]),
                     ints("two1d", [2])])
    save(graph, path)


def constants(path):
    big = np.arange(32, dtype=np.float32).reshape(4, 8)
    nodes = [
        helper.make_node("Constant", [], ["c_big"], name="c_big",
                         value=numpy_helper.from_array(big)),
        helper.make_node("Constant", [], ["c_float"], name="c_float",
                         value_float=0.5),
        helper.make_node("Constant", [], ["c_floats"], name="c_floats",
                         value_floats=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0,
                                       8.0]),
        helper.make_node("Constant", [], ["c_ints"], name="c_ints",
                         value_ints=[4, 8]),
        helper.make_node("Reshape", ["x", "c_ints"], ["xr"], name="reshape"),
        helper.make_node("Add", ["xr", "c_big"], ["a"], name="add_big"),
        helper.make_node("Mul", ["a", "c_float"], ["b"], name="mul_float"),
        helper.make_node("Add", ["b", "c_floats"], ["c"], name="add_floats"),
        helper.make_node("Identity", ["c"], ["d"], name="identity"),
        helper.make_node("Dropout", ["d"], ["e", "mask"], name="dropout"),
        helper.make_node("Add", ["e", "w_float_data"], ["f"], name="add_w"),
    ]
    # An initializer stored in float_data, not raw_data: converted on import.
    w = helper.make_tensor("w_float_data", F32, [4, 8],
                           np.linspace(0, 1, 32).astype(np.float32).tolist())
    graph = helper.make_graph(
        nodes, "constants", [tensor("x", F32, [32])],
        [tensor("f", F32, [4, 8]), tensor("mask", BOOL, [4, 8])],
        initializer=[w])
    save(graph, path)


def weights(path):
    """Initializers: a large raw_data weight (a dense_resource blob), a small
    one (inline), an f16 and a bf16 one, and an unused one (dropped)."""
    rng = np.random.default_rng(0)
    w16 = numpy_helper.from_array(
        rng.standard_normal([8, 4]).astype(np.float16), "proj.weight_f16")
    bf = helper.make_tensor("bf16_bias", TensorProto.BFLOAT16, [4],
                            [1.0, 2.0, 3.0, 4.0])
    nodes = [
        helper.make_node("MatMul", ["x", "encoder.fc/weight:0"], ["y"],
                         name="fc"),
        helper.make_node("Add", ["y", "bias"], ["z"], name="bias_add"),
        helper.make_node("MatMul", ["x16", "proj.weight_f16"], ["y16"],
                         name="fc16"),
        helper.make_node("Cast", ["bf16_bias"], ["bias32"], name="cast_bf16",
                         to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes, "weights",
        [tensor("x", F32, [2, 8]), tensor("x16", TensorProto.FLOAT16, [2, 8])],
        [tensor("z", F32, [2, 16]), tensor("y16", TensorProto.FLOAT16, [2, 4]),
         tensor("bias32", F32, [4])],
        initializer=[weight("encoder.fc/weight:0", [8, 16]),
                     weight("bias", [16], 1), w16, bf,
                     weight("unused", [3], 2)])
    save(graph, path)


def dynamic(path):
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["y"], name="fc"),
        helper.make_node("Softmax", ["y"], ["z"], name="softmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "dynamic", [tensor("x", F32, ["batch", None, 8])],
        [tensor("z", F32, ["batch", None, 4])],
        initializer=[weight("w", [8, 4])])
    save(graph, path)


def unnamed(path):
    nodes = [helper.make_node("Add", ["x", "x"], ["y"]),
             helper.make_node("Tanh", ["y"], ["z"])]
    graph = helper.make_graph(nodes, "unnamed", [tensor("x", F32, [4])],
                              [tensor("z", F32, [4])])
    save(graph, path)


def external_data(path, keep_data=True):
    """Weights saved next to the model as external data."""
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc"),
             helper.make_node("Add", ["y", "b"], ["z"], name="bias")]
    graph = helper.make_graph(
        nodes, "external", [tensor("x", F32, [2, 32])],
        [tensor("z", F32, [2, 64])],
        initializer=[weight("w", [32, 64]), weight("b", [64], 1)])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", OPSET)])
    data_name = os.path.basename(path) + ".data"
    data_path = os.path.join(os.path.dirname(os.path.abspath(path)), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)
    onnx.save_model(model, path, save_as_external_data=True,
                    all_tensors_to_one_file=True, location=data_name,
                    size_threshold=0)
    if not keep_data:
        os.remove(data_path)


def missing_external_data(path):
    external_data(path, keep_data=False)


# --- Bad inputs ---------------------------------------------------------------


def unknown_op(path):
    nodes = [helper.make_node("Foo", ["x"], ["y"], name="fc1")]
    graph = helper.make_graph(nodes, "unknown", [tensor("x", F32, [4])],
                              [tensor("y", F32, [4])])
    save(graph, path, check=False)


def opset11(path):
    """Squeeze with an axes attribute: mllmc imports Squeeze from opset 13."""
    nodes = [helper.make_node("Squeeze", ["x"], ["y"], name="squeeze",
                              axes=[0])]
    graph = helper.make_graph(nodes, "old", [tensor("x", F32, [1, 4])],
                              [tensor("y", F32, [4])])
    save(graph, path, opset=11)


def opset6(path):
    """Add before opset 7 broadcasts by its `broadcast`/`axis` attributes,
    not numpy-style: mllmc imports Add from opset 7."""
    nodes = [helper.make_node("Add", ["x", "x"], ["y"], name="add")]
    graph = helper.make_graph(nodes, "older", [tensor("x", F32, [4])],
                              [tensor("y", F32, [4])])
    save(graph, path, opset=6)


def opset1_not(path):
    """Not is unchanged since opset 1, so an opset-1 model imports."""
    nodes = [helper.make_node("Not", ["x"], ["y"], name="not")]
    graph = helper.make_graph(nodes, "oldest", [tensor("x", BOOL, [4])],
                              [tensor("y", BOOL, [4])])
    save(graph, path, opset=1)


def dangling_input(path):
    nodes = [helper.make_node("Add", ["x", "nowhere"], ["y"], name="add")]
    graph = helper.make_graph(nodes, "dangling", [tensor("x", F32, [4])],
                              [tensor("y", F32, [4])])
    save(graph, path, check=False)


def bad_shapes(path):
    nodes = [helper.make_node("Add", ["x", "y"], ["z"], name="add")]
    graph = helper.make_graph(
        nodes, "bad_shapes", [tensor("x", F32, [3]), tensor("y", F32, [4])],
        [tensor("z", F32, [4])])
    save(graph, path, check=False)


def matmul_mismatch(path):
    nodes = [helper.make_node("MatMul", ["a", "b"], ["c"], name="mm")]
    graph = helper.make_graph(
        nodes, "matmul_mismatch",
        [tensor("a", F32, [2, 3]), tensor("b", F32, [4, 5])],
        [tensor("c", F32, [2, 5])])
    save(graph, path, check=False)


def output_mismatch(path):
    nodes = [helper.make_node("Relu", ["a"], ["c"], name="relu")]
    graph = helper.make_graph(nodes, "output_mismatch",
                              [tensor("a", F32, [2, 3])],
                              [tensor("c", F32, [3, 3])])
    save(graph, path, check=False)


def layernorm_stats(path):
    """LayerNormalization's training-only Mean output is used."""
    nodes = [helper.make_node("LayerNormalization", ["a", "g"],
                              ["c", "mean"], name="ln")]
    graph = helper.make_graph(
        nodes, "layernorm_stats",
        [tensor("a", F32, [2, 3]), tensor("g", F32, [3])],
        [tensor("c", F32, [2, 3]), tensor("mean", F32, [2, 1])])
    save(graph, path)


def unsupported_dtype(path):
    nodes = [helper.make_node("Identity", ["x"], ["y"], name="id")]
    graph = helper.make_graph(
        nodes, "strings", [tensor("x", TensorProto.STRING, [4])],
        [tensor("y", TensorProto.STRING, [4])])
    save(graph, path)


def reshape_declared(path):
    """A Reshape whose shape is computed at run time; the model declares the
    output type."""
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")]
    graph = helper.make_graph(
        nodes, "reshape_declared",
        [tensor("x", F32, [2, 3]), tensor("s", I64, [2])],
        [tensor("y", F32, [3, 2])])
    save(graph, path)


def dynamic_reshape(path):
    """The same without a declared type for the Reshape's output."""
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape"),
             helper.make_node("Relu", ["y"], ["z"], name="relu")]
    graph = helper.make_graph(
        nodes, "dyn_reshape", [tensor("x", F32, [2, 3]), tensor("s", I64, [2])],
        [tensor("z", F32, [3, 2])])
    save(graph, path, check=False)


def shape_inputs(path):
    """ReduceSum and Reshape taking their axes and shape as graph inputs (the
    ONNX backend tests do this), which --bind-input fixes at compile time."""
    nodes = [
        helper.make_node("ReduceSum", ["x", "axes"], ["s"], name="sum",
                         keepdims=0),
        helper.make_node("Reshape", ["s", "shape"], ["y"], name="reshape"),
    ]
    graph = helper.make_graph(
        nodes, "shape_inputs",
        [tensor("x", F32, [2, 3, 4]), tensor("axes", I64, [1]),
         tensor("shape", I64, [2])],
        [tensor("y", F32, ["a", "b"])])
    save(graph, path)


def truncated(path):
    elementwise(path)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])


def empty(path):
    open(path, "wb").close()


def random_bytes(path):
    with open(path, "wb") as f:
        f.write(np.random.default_rng(1234).bytes(4096))


MODELS = {name: fn for name, fn in globals().items()
          if callable(fn) and fn.__module__ == __name__
          and name not in ("tensor", "save", "ints", "weight")}
