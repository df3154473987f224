"""Exporter-style subgraphs for the fusion passes, with onnxruntime references.

    make_fusion_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  layernorm   LayerNorm as torch.onnx writes it before opset 17 (opset 13:
              ReduceMean with an axes attribute, Sub, Pow, ReduceMean, Add,
              Sqrt, Div, Mul, Add)
  rmsnorm     LLaMA's RMSNorm at opset 18 (ReduceMean with an axes input):
              Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul, Mul(weight)
  clip_mlp    CLIP's FFN: LayerNorm decomposition, fc1, QuickGELU
              (Mul 1.702, Sigmoid, Mul), fc2 (MatMul + Add)
  swiglu      LLaMA's FFN: down(SiLU(x Wg) * (x Wu)), SiLU as Sigmoid + Mul,
              tanh-GELU on a residual branch
  reductions  ReduceSum (axes input), ReduceMax and ReduceMean over a
              non-trailing axis: nothing to fuse, compiles unfused
  reduce18    opset 18 reductions: ReduceSum of everything without keepdims,
              ReduceMax with an axes input [-1], ReduceMean with
              noop_with_empty_axes (an identity)

With --reference, runs the model with onnxruntime on seeded standard-normal
inputs and writes DIR/<input>.npy and DIR/expected.npy (the first output).
"""

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import model_cli

RNG_SEED = 0


def _const(name, value):
    return helper.make_node(
        "Constant", [], [name], name=name + "_node",
        value=numpy_helper.from_array(np.array(value, dtype=np.float32)))


def _weight(name, shape, rng, scale=None):
    scale = scale if scale is not None else 1.0 / np.sqrt(shape[0])
    return numpy_helper.from_array(
        rng.uniform(-scale, scale, shape).astype(np.float32), name)


def _layernorm_nodes(prefix, x, out, gamma, beta, axes_attr=True):
    """ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add (opset 13)."""
    p = prefix
    return [
        helper.make_node("ReduceMean", [x], [p + "mean"], name=p + "ReduceMean",
                         axes=[-1]),
        helper.make_node("Sub", [x, p + "mean"], [p + "sub"], name=p + "Sub"),
        _const(p + "two", 2.0),
        helper.make_node("Pow", [p + "sub", p + "two"], [p + "pow"],
                         name=p + "Pow"),
        helper.make_node("ReduceMean", [p + "pow"], [p + "var"],
                         name=p + "ReduceMean_1", axes=[-1]),
        _const(p + "eps", 1e-5),
        helper.make_node("Add", [p + "var", p + "eps"], [p + "vareps"],
                         name=p + "Add"),
        helper.make_node("Sqrt", [p + "vareps"], [p + "std"], name=p + "Sqrt"),
        helper.make_node("Div", [p + "sub", p + "std"], [p + "norm"],
                         name=p + "Div"),
        helper.make_node("Mul", [p + "norm", gamma], [p + "scaled"],
                         name=p + "Mul"),
        helper.make_node("Add", [p + "scaled", beta], [out], name=p + "Add_1"),
    ]


def layernorm():
    rng = np.random.default_rng(RNG_SEED)
    inits = [_weight("ln.weight", [32], rng, 1.0),
             _weight("ln.bias", [32], rng, 1.0)]
    nodes = _layernorm_nodes("/ln/", "x", "y", "ln.weight", "ln.bias")
    return nodes, inits, [("x", [2, 16, 32])], ("y", [2, 16, 32]), 13


def rmsnorm():
    rng = np.random.default_rng(RNG_SEED)
    inits = [_weight("norm.weight", [64], rng, 1.0),
             numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes")]
    p = "/norm/"
    nodes = [
        _const(p + "two", 2.0),
        helper.make_node("Pow", ["x", p + "two"], [p + "pow"], name=p + "Pow"),
        helper.make_node("ReduceMean", [p + "pow", "axes"], [p + "var"],
                         name=p + "ReduceMean", keepdims=1),
        _const(p + "eps", 1e-6),
        helper.make_node("Add", [p + "var", p + "eps"], [p + "vareps"],
                         name=p + "Add"),
        helper.make_node("Sqrt", [p + "vareps"], [p + "std"], name=p + "Sqrt"),
        helper.make_node("Reciprocal", [p + "std"], [p + "inv"],
                         name=p + "Reciprocal"),
        helper.make_node("Mul", ["x", p + "inv"], [p + "norm"], name=p + "Mul"),
        helper.make_node("Mul", ["norm.weight", p + "norm"], ["y"],
                         name=p + "Mul_1"),
    ]
    return nodes, inits, [("x", [1, 8, 64])], ("y", [1, 8, 64]), 18


def clip_mlp():
    rng = np.random.default_rng(RNG_SEED)
    d, f = 32, 128
    inits = [_weight("ln.weight", [d], rng, 1.0), _weight("ln.bias", [d], rng, 1.0),
             _weight("fc1.weight_t", [d, f], rng), _weight("fc1.bias", [f], rng),
             _weight("fc2.weight_t", [f, d], rng), _weight("fc2.bias", [d], rng)]
    nodes = _layernorm_nodes("/ln/", "x", "h", "ln.weight", "ln.bias")
    nodes += [
        helper.make_node("MatMul", ["h", "fc1.weight_t"], ["fc1_mm"],
                         name="/fc1/MatMul"),
        helper.make_node("Add", ["fc1.bias", "fc1_mm"], ["fc1"], name="/fc1/Add"),
        _const("qg_k", 1.702),
        helper.make_node("Mul", ["fc1", "qg_k"], ["qg_scaled"], name="/act/Mul"),
        helper.make_node("Sigmoid", ["qg_scaled"], ["qg_sig"],
                         name="/act/Sigmoid"),
        helper.make_node("Mul", ["fc1", "qg_sig"], ["act"], name="/act/Mul_1"),
        helper.make_node("MatMul", ["act", "fc2.weight_t"], ["fc2_mm"],
                         name="/fc2/MatMul"),
        helper.make_node("Add", ["fc2_mm", "fc2.bias"], ["y"], name="/fc2/Add"),
    ]
    return nodes, inits, [("x", [1, 50, d])], ("y", [1, 50, d]), 13


def swiglu():
    rng = np.random.default_rng(RNG_SEED)
    d, f = 64, 172
    inits = [_weight("gate.weight_t", [d, f], rng),
             _weight("up.weight_t", [d, f], rng),
             _weight("down.weight_t", [f, d], rng)]
    nodes = [
        helper.make_node("MatMul", ["x", "gate.weight_t"], ["g"],
                         name="/mlp/gate_proj/MatMul"),
        helper.make_node("Sigmoid", ["g"], ["g_sig"], name="/mlp/act/Sigmoid"),
        helper.make_node("Mul", ["g", "g_sig"], ["g_act"], name="/mlp/act/Mul"),
        helper.make_node("MatMul", ["x", "up.weight_t"], ["u"],
                         name="/mlp/up_proj/MatMul"),
        helper.make_node("Mul", ["g_act", "u"], ["h"], name="/mlp/Mul"),
        helper.make_node("MatMul", ["h", "down.weight_t"], ["mlp"],
                         name="/mlp/down_proj/MatMul"),
        # tanh GELU (x * x * x form) on the residual sum.
        helper.make_node("Add", ["x", "mlp"], ["r"], name="/Add"),
        helper.make_node("Mul", ["r", "r"], ["r2"], name="/gelu/Mul"),
        helper.make_node("Mul", ["r2", "r"], ["r3"], name="/gelu/Mul_1"),
        _const("k", 0.044715),
        helper.make_node("Mul", ["k", "r3"], ["kr3"], name="/gelu/Mul_2"),
        helper.make_node("Add", ["r", "kr3"], ["inner"], name="/gelu/Add"),
        _const("c", float(np.sqrt(2.0 / np.pi))),
        helper.make_node("Mul", ["c", "inner"], ["scaled"], name="/gelu/Mul_3"),
        helper.make_node("Tanh", ["scaled"], ["t"], name="/gelu/Tanh"),
        _const("one", 1.0),
        helper.make_node("Add", ["t", "one"], ["onep"], name="/gelu/Add_1"),
        _const("half", 0.5),
        helper.make_node("Mul", ["r", "half"], ["halfr"], name="/gelu/Mul_4"),
        helper.make_node("Mul", ["halfr", "onep"], ["y"], name="/gelu/Mul_5"),
    ]
    return nodes, inits, [("x", [1, 12, d])], ("y", [1, 12, d]), 13


def reductions():
    inits = [numpy_helper.from_array(np.array([2], dtype=np.int64), "axes")]
    nodes = [
        helper.make_node("ReduceSum", ["x", "axes"], ["s"], name="/ReduceSum",
                         keepdims=1),
        helper.make_node("ReduceMax", ["x"], ["m"], name="/ReduceMax",
                         axes=[1], keepdims=1),
        helper.make_node("ReduceMean", ["x"], ["a"], name="/ReduceMean",
                         axes=[1], keepdims=1),
        helper.make_node("Mul", ["a", "m"], ["am"], name="/Mul"),
        helper.make_node("Add", ["am", "s"], ["y"], name="/Add"),
    ]
    return nodes, inits, [("x", [2, 6, 10])], ("y", [2, 6, 10]), 13


def reduce18():
    inits = [numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes")]
    nodes = [
        helper.make_node("ReduceSum", ["x"], ["s"], name="/ReduceSum",
                         keepdims=0),
        helper.make_node("ReduceMax", ["x", "axes"], ["m"], name="/ReduceMax",
                         keepdims=0),
        helper.make_node("ReduceMean", ["x"], ["a"], name="/ReduceMean",
                         noop_with_empty_axes=1),
        helper.make_node("Mul", ["a", "s"], ["as"], name="/Mul"),
        helper.make_node("Sub", ["m", "s"], ["ms"], name="/Sub"),
        helper.make_node("Unsqueeze", ["ms", "axes"], ["msu"],
                         name="/Unsqueeze"),
        helper.make_node("Add", ["as", "msu"], ["y"], name="/Add"),
    ]
    return nodes, inits, [("x", [3, 5])], ("y", [3, 5]), 18


MODELS = {"layernorm": layernorm, "rmsnorm": rmsnorm, "clip_mlp": clip_mlp,
          "swiglu": swiglu, "reductions": reductions, "reduce18": reduce18}


def build(name):
    nodes, inits, inputs, output, opset = MODELS[name]()
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in inputs],
        [helper.make_tensor_value_info(output[0], TensorProto.FLOAT,
                                       output[1])],
        initializer=inits)
    return model_cli.exported_model(graph, opset)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, model_cli.save_inputs_and_expected)
