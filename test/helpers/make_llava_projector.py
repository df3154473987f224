"""The LLaVA-1.5 multimodal projector as torch.onnx writes it, scaled down.

LLaVA-1.5 projects CLIP ViT-L/14-336 features (576 tokens x 1024) into the
LLM's embedding space (4096) with Linear -> GELU -> Linear. The TorchScript
exporter (torch.onnx.export, opset 17) writes each nn.Linear on a 3-D input
as MatMul with the transposed weight as an initializer followed by Add(bias,
.), and the exact GELU as its erf decomposition:

    /linear_1/MatMul -> /linear_1/Add
    -> /act/Div (x / 1.4142135) -> /act/Erf -> /act/Add (+ 1.0)
    -> /act/Mul (x * .) -> /act/Mul_1 (* 0.5)
    -> /linear_2/MatMul -> /linear_2/Add

This script writes that graph with onnx.helper (no torch needed) at a small
size (default: 16 tokens x 64 -> 128 -> 128) with seeded random weights, and
optionally runs it with onnxruntime on a seeded random input to save the
reference input and output as .npy files.

    make_llava_projector.py OUT.onnx [--tokens 16] [--vision-dim 64]
        [--hidden 128] [--seed 0] [--reference DIR]
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

INPUT_NAME = "image_features"
OUTPUT_NAME = "image_embeds"


def _scalar_constant(node_name, output, value):
    return helper.make_node(
        "Constant", [], [output], name=node_name,
        value=numpy_helper.from_array(np.array(value, dtype=np.float32)))


def build_projector(tokens=16, vision_dim=64, hidden=128, seed=0):
    """Returns the projector as an onnx.ModelProto."""
    rng = np.random.default_rng(seed)
    # nn.Linear's default init: U(-1/sqrt(in), 1/sqrt(in)).
    def linear(fan_in, fan_out):
        bound = 1.0 / np.sqrt(fan_in)
        weight = rng.uniform(-bound, bound, (fan_out, fan_in))
        bias = rng.uniform(-bound, bound, (fan_out,))
        return weight.astype(np.float32), bias.astype(np.float32)

    w1, b1 = linear(vision_dim, hidden)
    w2, b2 = linear(hidden, hidden)
    initializers = [
        numpy_helper.from_array(b1, "linear_1.bias"),
        numpy_helper.from_array(b2, "linear_2.bias"),
        # The exporter stores W^T for MatMul under generated names.
        numpy_helper.from_array(np.ascontiguousarray(w1.T), "onnx::MatMul_13"),
        numpy_helper.from_array(np.ascontiguousarray(w2.T), "onnx::MatMul_14"),
    ]
    nodes = [
        helper.make_node("MatMul", [INPUT_NAME, "onnx::MatMul_13"],
                         ["/linear_1/MatMul_output_0"],
                         name="/linear_1/MatMul"),
        helper.make_node("Add", ["linear_1.bias", "/linear_1/MatMul_output_0"],
                         ["/linear_1/Add_output_0"], name="/linear_1/Add"),
        _scalar_constant("/act/Constant", "/act/Constant_output_0",
                         1.4142135381698608),
        helper.make_node("Div", ["/linear_1/Add_output_0",
                                 "/act/Constant_output_0"],
                         ["/act/Div_output_0"], name="/act/Div"),
        helper.make_node("Erf", ["/act/Div_output_0"], ["/act/Erf_output_0"],
                         name="/act/Erf"),
        _scalar_constant("/act/Constant_1", "/act/Constant_1_output_0", 1.0),
        helper.make_node("Add", ["/act/Erf_output_0",
                                 "/act/Constant_1_output_0"],
                         ["/act/Add_output_0"], name="/act/Add"),
        helper.make_node("Mul", ["/linear_1/Add_output_0",
                                 "/act/Add_output_0"],
                         ["/act/Mul_output_0"], name="/act/Mul"),
        _scalar_constant("/act/Constant_2", "/act/Constant_2_output_0", 0.5),
        helper.make_node("Mul", ["/act/Mul_output_0",
                                 "/act/Constant_2_output_0"],
                         ["/act/Mul_1_output_0"], name="/act/Mul_1"),
        helper.make_node("MatMul", ["/act/Mul_1_output_0", "onnx::MatMul_14"],
                         ["/linear_2/MatMul_output_0"],
                         name="/linear_2/MatMul"),
        helper.make_node("Add", ["linear_2.bias", "/linear_2/MatMul_output_0"],
                         [OUTPUT_NAME], name="/linear_2/Add"),
    ]
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT,
                                       [1, tokens, vision_dim])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT,
                                       [1, tokens, hidden])],
        initializer=initializers)
    return model_cli.exported_model(graph)


def write_reference(model_path, out_dir, seed=1):
    model_cli.write_input_and_expected(model_path, out_dir, seed, INPUT_NAME,
                                       OUTPUT_NAME)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--tokens", type=int, default=16)
    parser.add_argument("--vision-dim", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reference", metavar="DIR",
                        help="also write DIR/input.npy and DIR/expected.npy")
    args = parser.parse_args()
    model = build_projector(args.tokens, args.vision_dim, args.hidden,
                            args.seed)
    onnx.save(model, args.output)
    if args.reference:
        write_reference(args.output, args.reference, args.seed + 1)


if __name__ == "__main__":
    main()
