"""A linear layer with an elementwise tail, for the matmul epilogue.

    make_epilogue_models.py OUT.onnx --tokens M --input-dim K --output-dim N
        [--activation none|gelu|gelu_tanh|quick_gelu|silu] [--residual]
        [--weight-input] [--reference DIR]

Writes MatMul(x, W) -> Add(bias) -> activation [-> Add(residual)] the way
torch.onnx writes nn.Linear and the activations (erf GELU, tanh GELU,
QuickGELU as x * Sigmoid(1.702 x), SiLU as x * Sigmoid(x)), with seeded
random weights, at any size: M = 1 is a decode step, sizes no tile divides
exercise the leftover tiles. --weight-input makes W a graph input "weight"
instead of an initializer (a matmul whose B is computed at run time). With
--reference, runs it with onnxruntime on
seeded inputs and saves DIR/<input>.npy and DIR/expected.npy.
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli


def _const(name, value):
    return helper.make_node(
        "Constant", [], [name], name=name + "_node",
        value=numpy_helper.from_array(np.array(value, dtype=np.float32)))


def _activation(kind, x):
    """Nodes computing `kind`(x) into "act"."""
    if kind == "none":
        return [helper.make_node("Identity", [x], ["act"], name="act")]
    if kind == "gelu":
        return [
            _const("sqrt2", np.sqrt(2.0)), _const("one", 1.0),
            _const("half", 0.5),
            helper.make_node("Div", [x, "sqrt2"], ["d"], name="/act/Div"),
            helper.make_node("Erf", ["d"], ["e"], name="/act/Erf"),
            helper.make_node("Add", ["e", "one"], ["e1"], name="/act/Add"),
            helper.make_node("Mul", [x, "e1"], ["m"], name="/act/Mul"),
            helper.make_node("Mul", ["m", "half"], ["act"], name="/act/Mul_1"),
        ]
    if kind == "gelu_tanh":
        return [
            _const("c3", 0.044715), _const("three", 3.0),
            _const("k", np.sqrt(2.0 / np.pi)), _const("one", 1.0),
            _const("half", 0.5),
            helper.make_node("Pow", [x, "three"], ["p"], name="/act/Pow"),
            helper.make_node("Mul", ["p", "c3"], ["pc"], name="/act/Mul"),
            helper.make_node("Add", [x, "pc"], ["s"], name="/act/Add"),
            helper.make_node("Mul", ["s", "k"], ["sk"], name="/act/Mul_1"),
            helper.make_node("Tanh", ["sk"], ["t"], name="/act/Tanh"),
            helper.make_node("Add", ["t", "one"], ["t1"], name="/act/Add_1"),
            helper.make_node("Mul", [x, "t1"], ["xt"], name="/act/Mul_2"),
            helper.make_node("Mul", ["xt", "half"], ["act"],
                             name="/act/Mul_3"),
        ]
    scale = {"quick_gelu": 1.702, "silu": None}[kind]
    nodes = []
    gate = x
    if scale is not None:
        nodes += [_const("scale", scale),
                  helper.make_node("Mul", [x, "scale"], ["xs"],
                                   name="/act/Mul")]
        gate = "xs"
    return nodes + [
        helper.make_node("Sigmoid", [gate], ["sg"], name="/act/Sigmoid"),
        helper.make_node("Mul", [x, "sg"], ["act"], name="/act/Mul_1"),
    ]


def build(tokens, input_dim, output_dim, activation, residual,
          weight_input=False, seed=0):
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(input_dim)
    weight = rng.uniform(-bound, bound, (input_dim, output_dim))
    bias = rng.uniform(-bound, bound, output_dim)
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                            [1, tokens, input_dim])]
    initializers = [numpy_helper.from_array(bias.astype(np.float32), "bias")]
    if weight_input:
        inputs.append(helper.make_tensor_value_info(
            "weight", TensorProto.FLOAT, [input_dim, output_dim]))
    else:
        initializers.append(
            numpy_helper.from_array(weight.astype(np.float32), "weight"))
    nodes = [
        helper.make_node("MatMul", ["x", "weight"], ["mm"],
                         name="/linear/MatMul"),
        helper.make_node("Add", ["bias", "mm"], ["lin"], name="/linear/Add"),
    ] + _activation(activation, "lin")
    out = "act"
    if residual:
        inputs.append(helper.make_tensor_value_info(
            "residual", TensorProto.FLOAT, [1, tokens, output_dim]))
        nodes.append(helper.make_node("Add", ["residual", "act"], ["sum"],
                                      name="/Add"))
        out = "sum"
    nodes.append(helper.make_node("Identity", [out], ["y"], name="/out"))
    graph = helper.make_graph(
        nodes, "epilogue", inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, tokens, output_dim])],
        initializer=initializers)
    return model_cli.exported_model(graph)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--tokens", type=int, required=True)
    parser.add_argument("--input-dim", type=int, required=True)
    parser.add_argument("--output-dim", type=int, required=True)
    parser.add_argument("--activation", default="none",
                        choices=["none", "gelu", "gelu_tanh", "quick_gelu",
                                 "silu"])
    parser.add_argument("--residual", action="store_true")
    parser.add_argument("--weight-input", action="store_true")
    parser.add_argument("--reference", metavar="DIR")
    args = parser.parse_args()
    onnx.save(build(args.tokens, args.input_dim, args.output_dim,
                    args.activation, args.residual, args.weight_input),
              args.output)
    if args.reference:
        model_cli.save_inputs_and_expected(args.output, args.reference)


if __name__ == "__main__":
    main()
