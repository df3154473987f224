"""ONNX GridSample test models, with inputs and ONNX Runtime's outputs.

    make_gridsample_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  odd      x float [2, 3, 37, 53] sampled at grid [2, 29, 31, 2] (points in
           [-1.2, 1.2], some outside the image): every mode (bilinear,
           nearest, bicubic) with every padding (zeros, border, reflection),
           align_corners 0 and 1 (y_<mode>_<padding>_<align>, opset 16)
  import   x float [1, 2, 4, 5] at grid [1, 3, 3, 2], bilinear, zeros
  volumetric  x float [2, 3, 9, 11, 13] at grid [2, 5, 6, 7, 3]: linear and
              nearest with every padding and align_corners (opset 20)
  bad_grid    a grid whose last dimension is not the spatial rank (an
              import error)
  bad_mode    mode 'area' (an import error)
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F32 = TensorProto.FLOAT
MODES = ("bilinear", "nearest", "bicubic")
PADDINGS = ("zeros", "border", "reflection")


def _info(name, shape):
    return helper.make_tensor_value_info(name, F32, shape)


def _model(nodes, name, inputs, outputs, opset=16):
    model = helper.make_model(
        helper.make_graph(nodes, name, inputs, outputs),
        opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def odd():
    nodes, outputs = [], []
    for mode in MODES:
        for padding in PADDINGS:
            for align in (0, 1):
                name = f"y_{mode}_{padding}_{align}"
                nodes.append(helper.make_node(
                    "GridSample", ["x", "grid"], [name], name=name, mode=mode,
                    padding_mode=padding, align_corners=align))
                outputs.append(_info(name, [2, 3, 29, 31]))
    return _model(nodes, "odd",
                  [_info("x", [2, 3, 37, 53]), _info("grid", [2, 29, 31, 2])],
                  outputs)


def import_model():
    node = helper.make_node("GridSample", ["x", "grid"], ["y"], name="y")
    return _model([node], "import",
                  [_info("x", [1, 2, 4, 5]), _info("grid", [1, 3, 3, 2])],
                  [_info("y", [1, 2, 3, 3])])


def volumetric():
    nodes, outputs = [], []
    for mode in ("linear", "nearest"):
        for padding in PADDINGS:
            for align in (0, 1):
                name = f"y_{mode}_{padding}_{align}"
                nodes.append(helper.make_node(
                    "GridSample", ["x", "grid"], [name], name=name, mode=mode,
                    padding_mode=padding, align_corners=align))
                outputs.append(_info(name, [2, 3, 5, 6, 7]))
    return _model(nodes, "volumetric",
                  [_info("x", [2, 3, 9, 11, 13]),
                   _info("grid", [2, 5, 6, 7, 3])], outputs, opset=20)


def bad_grid():
    node = helper.make_node("GridSample", ["x", "grid"], ["y"], name="y")
    return _model([node], "bad_grid",
                  [_info("x", [1, 1, 4, 4]), _info("grid", [1, 2, 2, 3])],
                  [_info("y", [1, 1, 2, 2])])


def bad_mode():
    node = helper.make_node("GridSample", ["x", "grid"], ["y"], name="y",
                            mode="area")
    return _model([node], "bad_mode",
                  [_info("x", [1, 1, 4, 4]), _info("grid", [1, 2, 2, 2])],
                  [_info("y", [1, 1, 2, 2])], opset=20)


MODELS = {"odd": odd, "import": import_model, "volumetric": volumetric,
          "bad_grid": bad_grid, "bad_mode": bad_mode}


def build(name):
    return MODELS[name]()


def _onnx_reference(inputs, **attrs):
    """One GridSample run by the ONNX reference implementation."""
    from onnx.reference import ReferenceEvaluator

    model = _model([helper.make_node("GridSample", ["x", "grid"], ["y"],
                                     **attrs)], "reference",
                   [_info("x", [2, 3, 37, 53]), _info("grid", [2, 29, 31, 2])],
                   [_info("y", [2, 3, 29, 31])],
                   opset=20)
    return ReferenceEvaluator(model).run(None, inputs)[0]


def write_reference(model_path, out_dir):
    """ONNX Runtime's outputs, except for bicubic with border padding: there
    ONNX Runtime 1.32 clamps differently from the ONNX reference (by up to
    0.2 here), and the expectation is the reference's."""
    rng = np.random.default_rng(5)
    if onnx.load(model_path).graph.name == "volumetric":
        fixed = {
            "x": rng.standard_normal((2, 3, 9, 11, 13)).astype(np.float32),
            "grid": rng.uniform(-1.2, 1.2, (2, 5, 6, 7, 3)).astype(np.float32),
        }
        model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=fixed)
        return
    fixed = {
        "x": rng.standard_normal((2, 3, 37, 53)).astype(np.float32),
        "grid": rng.uniform(-1.2, 1.2, (2, 29, 31, 2)).astype(np.float32),
    }
    feeds, outputs = model_cli.run_onnxruntime(model_path, fixed=fixed)
    for align in (0, 1):
        outputs[f"y_bicubic_border_{align}"] = _onnx_reference(
            feeds, mode="cubic", padding_mode="border", align_corners=align)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
