"""ONNX Resize test models (image preprocessing shapes), with inputs and
ONNX Runtime's outputs.

    make_resize_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  clip     x float [1, 3, 336, 336] -> [1, 3, 224, 224]: bicubic
           (cubic_coeff_a -0.75, half_pixel; y_cubic), bicubic as PIL and
           torchvision with antialias (-0.5; y_pil), bilinear (y_linear),
           bilinear antialiased (y_linear_aa), nearest (y_nearest)
  odd      x float [1, 3, 37, 53]: downscale to [17, 29] with cubic
           align_corners (y_cubic), linear pytorch_half_pixel (y_linear),
           cubic exclude_outside (y_exclude); upscale to [91, 75] with
           cubic asymmetric (y_up), nearest round_prefer_ceil (y_nearest)
           and bilinear via scales [1, 1, 2.5, 1.5] (y_scales)
  import   x float [1, 3, 8, 6]: one Resize of each kind the importer
           distinguishes (for --compile-to=import)
  bad_mode      Resize with mode 'area' (an import error)
  graph_scales  Resize whose scales are a graph input (an import error
                unless bound with --bind-input)
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F32 = TensorProto.FLOAT


def _info(name, shape):
    return helper.make_tensor_value_info(name, F32, shape)


def _sizes(name, values):
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)


def _floats(name, values):
    return helper.make_tensor(name, F32, [len(values)], values)


def _resize(output, sizes=None, scales=None, **attrs):
    inputs = ["x", "", scales or "", sizes or ""]
    while inputs[-1] == "":
        inputs.pop()
    return helper.make_node("Resize", inputs, [output], name=output, **attrs)


def clip():
    nodes = [
        _resize("y_cubic", sizes="size", mode="cubic"),
        _resize("y_pil", sizes="size", mode="cubic", cubic_coeff_a=-0.5,
                antialias=1),
        _resize("y_linear", sizes="size", mode="linear"),
        _resize("y_linear_aa", sizes="size", mode="linear", antialias=1),
        _resize("y_nearest", sizes="size", mode="nearest"),
    ]
    out = [1, 3, 224, 224]
    return helper.make_graph(
        nodes, "clip", [_info("x", [1, 3, 336, 336])],
        [_info(n.output[0], out) for n in nodes],
        initializer=[_sizes("size", out)])


def odd():
    down, up = [1, 3, 17, 29], [1, 3, 91, 75]
    nodes = [
        _resize("y_cubic", sizes="down", mode="cubic",
                coordinate_transformation_mode="align_corners"),
        _resize("y_linear", sizes="down", mode="linear",
                coordinate_transformation_mode="pytorch_half_pixel"),
        _resize("y_exclude", sizes="down", mode="cubic", exclude_outside=1),
        _resize("y_up", sizes="up", mode="cubic",
                coordinate_transformation_mode="asymmetric"),
        _resize("y_nearest", sizes="up", mode="nearest",
                nearest_mode="round_prefer_ceil"),
        _resize("y_scales", scales="scales", mode="linear"),
    ]
    return helper.make_graph(
        nodes, "odd", [_info("x", [1, 3, 37, 53])],
        [_info(n.output[0], down) for n in nodes[:3]] +
        [_info(n.output[0], up) for n in nodes[3:5]] +
        [_info("y_scales", [1, 3, 92, 79])],
        initializer=[_sizes("down", down), _sizes("up", up),
                     _floats("scales", [1, 1, 2.5, 1.5])])


def import_model():
    nodes = [
        _resize("y_cubic", sizes="size", mode="cubic", cubic_coeff_a=-0.5,
                antialias=1, exclude_outside=1),
        _resize("y_scales", scales="scales", mode="linear",
                coordinate_transformation_mode="align_corners"),
        helper.make_node("Resize", ["x", "", "", "axis_size"], ["y_aspect"],
                         name="y_aspect", mode="nearest", axes=[3, 2],
                         keep_aspect_ratio_policy="not_larger",
                         nearest_mode="floor"),
        helper.make_node("Resize", ["x", "roi", "", "size"], ["y_crop"],
                         name="y_crop", mode="linear",
                         coordinate_transformation_mode="tf_crop_and_resize",
                         extrapolation_value=2.5),
        _resize("y_same", scales="ones", mode="cubic"),
    ]
    return helper.make_graph(
        nodes, "import", [_info("x", [1, 3, 8, 6])],
        [_info("y_cubic", [1, 3, 4, 3]), _info("y_scales", [1, 3, 16, 9]),
         _info("y_aspect", [1, 3, 4, 3]), _info("y_crop", [1, 3, 4, 3]),
         _info("y_same", [1, 3, 8, 6])],
        initializer=[_sizes("size", [1, 3, 4, 3]),
                     _floats("scales", [1, 1, 2, 1.5]),
                     _sizes("axis_size", [3, 5]),
                     _floats("roi", [0, 0, 0.25, 0.1, 1, 1, 0.75, 1.2]),
                     _floats("ones", [1, 1, 1, 1])])


def bad_mode():
    return helper.make_graph(
        [_resize("y", scales="scales", mode="area")], "bad_mode",
        [_info("x", [1, 1, 4, 4])], [_info("y", [1, 1, 2, 2])],
        initializer=[_floats("scales", [1, 1, 0.5, 0.5])])


def graph_scales():
    return helper.make_graph(
        [_resize("y", scales="scales", mode="linear")], "graph_scales",
        [_info("x", [1, 1, 4, 4]), _info("scales", [4])],
        [_info("y", [1, 1, 8, 8])])


MODELS = {"clip": clip, "odd": odd, "import": import_model,
          "bad_mode": bad_mode, "graph_scales": graph_scales}


def build(name):
    model = helper.make_model(MODELS[name](),
                              opset_imports=[helper.make_opsetid("", 19)])
    onnx.checker.check_model(model)
    return model


def write_reference(model_path, out_dir):
    rng = np.random.default_rng(3)
    model = onnx.load(model_path)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    # An image-like input: smooth gradients plus noise, in [0, 1].
    x = rng.uniform(0, 1, shape).astype(np.float32)
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed={"x": x})


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
