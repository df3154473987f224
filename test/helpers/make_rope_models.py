"""RoPE subgraphs as modeling code writes them, with onnxruntime references.

    make_rope_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  rotate_half   LLaMA's apply_rotary_pos_emb on [1, 2, 3, 8]: constant
                cos/sin [1, 1, S, D] of cat(freqs, freqs), Slice/Neg/Concat,
                rotate_half(x) * sin + cos * x (operands swapped)
  interleaved   GPT-J's rotate_every_two: Slice with step 2, Neg, Unsqueeze,
                Concat, Reshape; cos/sin repeat each angle twice

With --reference, runs the model with onnxruntime on seeded standard-normal
inputs and writes DIR/x.npy and DIR/expected.npy.
"""

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import model_cli

SHAPE = (1, 2, 3, 8)


def _angles(interleaved):
    _, _, seq, dim = SHAPE
    inv_freq = 1.0 / (10000 ** (np.arange(0, dim, 2) / dim))
    freqs = np.arange(seq)[:, None] * inv_freq
    emb = (np.repeat(freqs, 2, axis=-1) if interleaved
           else np.concatenate([freqs, freqs], axis=-1))
    return [numpy_helper.from_array(
        fn(emb).astype(np.float32).reshape(1, 1, seq, dim), name)
        for fn, name in ((np.cos, "cos"), (np.sin, "sin"))]


def _ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def _apply(nodes):
    return nodes + [
        helper.make_node("Mul", ["cos", "x"], ["x_cos"]),
        helper.make_node("Mul", ["rot", "sin"], ["rot_sin"]),
        helper.make_node("Add", ["rot_sin", "x_cos"], ["y"]),
    ]


def rotate_half():
    dim = SHAPE[-1]
    inits = _angles(False) + [
        _ints("half", [dim // 2]), _ints("end", [dim]), _ints("zero", [0]),
        _ints("axis", [-1])]
    nodes = [
        helper.make_node("Slice", ["x", "half", "end", "axis"], ["x2"]),
        helper.make_node("Slice", ["x", "zero", "half", "axis"], ["x1"]),
        helper.make_node("Neg", ["x2"], ["neg"]),
        helper.make_node("Concat", ["neg", "x1"], ["rot"], axis=-1),
    ]
    return _apply(nodes), inits


def interleaved():
    dim = SHAPE[-1]
    inits = _angles(True) + [
        _ints("zero", [0]), _ints("one", [1]), _ints("end", [dim]),
        _ints("axis", [-1]), _ints("two", [2]), _ints("shape", list(SHAPE))]
    nodes = [
        helper.make_node("Slice", ["x", "one", "end", "axis", "two"], ["odd"]),
        helper.make_node("Slice", ["x", "zero", "end", "axis", "two"],
                         ["even"]),
        helper.make_node("Neg", ["odd"], ["neg"]),
        helper.make_node("Unsqueeze", ["neg", "axis"], ["neg5"]),
        helper.make_node("Unsqueeze", ["even", "axis"], ["even5"]),
        helper.make_node("Concat", ["neg5", "even5"], ["pairs"], axis=-1),
        helper.make_node("Reshape", ["pairs", "shape"], ["rot"]),
    ]
    return _apply(nodes), inits


MODELS = {"rotate_half": rotate_half, "interleaved": interleaved}


def build(name):
    nodes, inits = MODELS[name]()
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, SHAPE)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, SHAPE)],
        initializer=inits)
    return model_cli.exported_model(graph, 17)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, model_cli.save_inputs_and_expected)
