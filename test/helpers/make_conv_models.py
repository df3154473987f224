"""Conv and ArgMax/ArgMin test models, with onnxruntime references.

    make_conv_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  conv2d          Conv on x [1, 4, 7, 6] four ways: explicit asymmetric pads,
                  strides, bias and kernel_shape; auto_pad SAME_UPPER and
                  SAME_LOWER with odd total pads; VALID with dilations and no
                  kernel_shape; group = 2 without any attribute (opset 11)
  conv1d          a Whisper-style audio front end: Conv1d (pad 1), GELU,
                  Conv1d (stride 2, pad 1) on [1, 16, 50] (opset 20)
  depthwise       depthwise Conv1d (group = channels, pads [3, 0]) with
                  bias on [2, 8, 20] (opset 13)
  depthwise_dyn   the same on [batch, 8, 20] with a symbolic batch
  patch_embed     a CLIP/SigLIP patch embedding: Conv 3 -> 32 channels,
                  kernel = stride = 8, no bias, on [1, 3, 32, 32], then
                  Reshape to [1, 32, 16] and Transpose to tokens [1, 16, 32]
                  (opset 17)
  argmax11        ArgMax and ArgMin at opset 11 (no select_last_index):
                  default axis, negative axis, keepdims = 0
  argmax13        ArgMax/ArgMin at opset 13 with select_last_index on
                  f32 and i64 inputs
  bad_auto_pad    Conv with auto_pad 'SAME' (not an ONNX value)
  bad_kernel      Conv whose kernel_shape differs from the weight
  dynamic_same    Conv with auto_pad SAME_UPPER on a dynamic width
  bad_conv_rank   Conv on a 2-D input
  bad_group       Conv whose weight channels do not match group
  bad_axis        ArgMax with axis 3 on a rank-2 input

With --reference, runs the model with onnxruntime on seeded standard-normal
inputs (integers in [-1, 1] for integer inputs, so that ties occur) and
writes DIR/<input>.npy, DIR/expected.npy (the first output) and
DIR/expected_<output>.npy for every output.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

RNG_SEED = 0


def _weight(name, shape, rng):
    fan_in = int(np.prod(shape[1:]))
    scale = 1.0 / np.sqrt(fan_in)
    return numpy_helper.from_array(
        rng.uniform(-scale, scale, shape).astype(np.float32), name)


def _conv(name, inputs, output, **attrs):
    return helper.make_node("Conv", inputs, [output], name=name, **attrs)


def conv2d(rng):
    inits = [_weight("w_pads", [8, 4, 3, 3], rng),
             _weight("b_pads", [8], rng),
             _weight("w_same", [4, 4, 4, 3], rng),
             _weight("w_valid", [4, 4, 3, 2], rng),
             _weight("w_group", [6, 2, 1, 1], rng)]
    nodes = [
        _conv("conv_pads", ["x", "w_pads", "b_pads"], "y_pads",
              kernel_shape=[3, 3], pads=[1, 0, 2, 1], strides=[2, 1]),
        _conv("conv_same_upper", ["x", "w_same"], "y_same_upper",
              auto_pad="SAME_UPPER", strides=[2, 2]),
        _conv("conv_same_lower", ["x", "w_same"], "y_same_lower",
              auto_pad="SAME_LOWER", strides=[2, 2]),
        _conv("conv_valid", ["x", "w_valid"], "y_valid", auto_pad="VALID",
              dilations=[2, 2]),
        _conv("conv_group", ["x", "w_group"], "y_group", group=2),
    ]
    outputs = [("y_pads", [1, 8, 4, 5]), ("y_same_upper", [1, 4, 4, 3]),
               ("y_same_lower", [1, 4, 4, 3]), ("y_valid", [1, 4, 3, 4]),
               ("y_group", [1, 6, 7, 6])]
    return nodes, inits, [("x", [1, 4, 7, 6])], outputs, 11


def conv1d(rng):
    inits = [_weight("conv1.weight", [24, 16, 3], rng),
             _weight("conv1.bias", [24], rng),
             _weight("conv2.weight", [24, 24, 3], rng),
             _weight("conv2.bias", [24], rng)]
    nodes = [
        _conv("/conv1/Conv", ["features", "conv1.weight", "conv1.bias"],
              "h1", kernel_shape=[3], pads=[1, 1], strides=[1],
              dilations=[1], group=1),
        helper.make_node("Gelu", ["h1"], ["g1"], name="/Gelu"),
        _conv("/conv2/Conv", ["g1", "conv2.weight", "conv2.bias"], "h2",
              kernel_shape=[3], pads=[1, 1], strides=[2]),
    ]
    return (nodes, inits, [("features", [1, 16, 50])], [("h2", [1, 24, 25])],
            20)


def depthwise(rng, batch=2):
    inits = [_weight("dw.weight", [8, 1, 4], rng), _weight("dw.bias", [8], rng)]
    nodes = [_conv("dw", ["x", "dw.weight", "dw.bias"], "y", group=8,
                   pads=[3, 0])]
    return nodes, inits, [("x", [batch, 8, 20])], [("y", [batch, 8, 20])], 13


def depthwise_dyn(rng):
    return depthwise(rng, batch="batch")


def patch_embed(rng):
    inits = [_weight("patch_embedding.weight", [32, 3, 8, 8], rng),
             numpy_helper.from_array(np.array([1, 32, -1], np.int64),
                                     "tokens_shape")]
    nodes = [
        _conv("/embeddings/patch_embedding/Conv",
              ["pixel_values", "patch_embedding.weight"], "patches",
              kernel_shape=[8, 8], strides=[8, 8], pads=[0, 0, 0, 0],
              dilations=[1, 1], group=1),
        helper.make_node("Reshape", ["patches", "tokens_shape"], ["flat"],
                         name="/embeddings/Reshape"),
        helper.make_node("Transpose", ["flat"], ["embeddings"],
                         name="/embeddings/Transpose", perm=[0, 2, 1]),
    ]
    return (nodes, inits, [("pixel_values", [1, 3, 32, 32])],
            [("embeddings", [1, 16, 32])], 17)


def _arg(op, name, x, output, **attrs):
    return helper.make_node(op, [x], [output], name=name, **attrs)


def argmax11(rng):
    nodes = [
        _arg("ArgMax", "argmax_default", "x", "i_default"),
        _arg("ArgMax", "argmax_negative", "x", "i_negative", axis=-1),
        _arg("ArgMin", "argmin_drop", "x", "i_drop", axis=1, keepdims=0),
    ]
    outputs = [("i_default", [1, 5, 6]), ("i_negative", [3, 5, 1]),
               ("i_drop", [3, 6])]
    return nodes, [], [("x", [3, 5, 6])], outputs, 11


def argmax13(rng):
    nodes = [
        _arg("ArgMax", "argmax_last", "x", "i_last", axis=-2,
             select_last_index=1),
        _arg("ArgMin", "argmin_int", "n", "i_int", axis=0, keepdims=0,
             select_last_index=1),
    ]
    inputs = [("x", [4, 7]), ("n", [5], TensorProto.INT64)]
    return nodes, [], inputs, [("i_last", [1, 7]), ("i_int", [])], 13


def bad_auto_pad(rng):
    nodes = [_conv("conv_same", ["x", "w"], "y", auto_pad="SAME")]
    return (nodes, [_weight("w", [2, 2, 3, 3], rng)], [("x", [1, 2, 5, 5])],
            [("y", None)], 13)


def bad_kernel(rng):
    nodes = [_conv("conv_kernel", ["x", "w"], "y", kernel_shape=[3, 3])]
    return (nodes, [_weight("w", [2, 2, 3, 2], rng)], [("x", [1, 2, 5, 5])],
            [("y", None)], 13)


def dynamic_same(rng):
    nodes = [_conv("conv_dynamic", ["x", "w"], "y", auto_pad="SAME_UPPER")]
    return (nodes, [_weight("w", [2, 2, 3], rng)], [("x", [1, 2, "time"])],
            [("y", None)], 13)


def bad_conv_rank(rng):
    nodes = [_conv("conv_rank", ["x", "w"], "y")]
    return (nodes, [_weight("w", [2, 4], rng)], [("x", [3, 4])],
            [("y", None)], 13)


def bad_group(rng):
    nodes = [_conv("conv_group", ["x", "w"], "y", group=2)]
    return (nodes, [_weight("w", [4, 3, 1], rng)], [("x", [1, 4, 9])],
            [("y", None)], 13)


def bad_axis(rng):
    nodes = [_arg("ArgMax", "argmax_axis", "x", "y", axis=3)]
    return nodes, [], [("x", [3, 4])], [("y", None)], 13


MODELS = {"conv2d": conv2d, "conv1d": conv1d, "depthwise": depthwise,
          "depthwise_dyn": depthwise_dyn,
          "patch_embed": patch_embed, "argmax11": argmax11,
          "argmax13": argmax13, "bad_auto_pad": bad_auto_pad,
          "bad_kernel": bad_kernel, "dynamic_same": dynamic_same,
          "bad_conv_rank": bad_conv_rank, "bad_group": bad_group,
          "bad_axis": bad_axis}


def _value_info(spec, default_type):
    name, shape = spec[0], spec[1]
    elem_type = spec[2] if len(spec) > 2 else default_type
    return helper.make_tensor_value_info(name, elem_type, shape)


def build(name):
    nodes, inits, inputs, outputs, opset = MODELS[name](
        np.random.default_rng(RNG_SEED))
    is_arg = name.startswith("argmax") or name == "bad_axis"
    graph = helper.make_graph(
        nodes, name, [_value_info(i, TensorProto.FLOAT) for i in inputs],
        [_value_info(o, TensorProto.INT64 if is_arg else TensorProto.FLOAT)
         for o in outputs],
        initializer=inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="pytorch")
    model.ir_version = 8
    if not name.startswith("bad_") and name != "dynamic_same":
        model = onnx.shape_inference.infer_shapes(model)
        onnx.checker.check_model(model, full_check=True)
    return model


def write_reference(model_path, out_dir, seed=1):
    feeds, outputs = model_cli.run_onnxruntime(model_path, seed)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")
    np.save(os.path.join(out_dir, "expected.npy"), next(iter(outputs.values())))


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
