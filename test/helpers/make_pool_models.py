"""Pooling and ConvTranspose test models, with onnxruntime references.

    make_pool_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  stem            a ResNet stem at odd sizes: Conv 7x7/2 (pad 3), Relu,
                  MaxPool 3x3/2 (pad 1) on [1, 3, 33, 31]; beside it an
                  AveragePool 3x3/2 with ceil_mode and pads [1, 0, 0, 1]
                  (count_include_pad 0), an LpPool (p = 3) with dilations,
                  and GlobalAveragePool/GlobalMaxPool of the pooled map
                  (opset 19)
  audio           1-D pools on [2, 6, 47]: MaxPool with its Indices
                  (kernel 3, stride 2, SAME_LOWER), AveragePool with
                  count_include_pad and ceil_mode (kernel 4, stride 3,
                  pads [2, 1]), LpPool p = 1 with SAME_UPPER (opset 19)
  indices         MaxPool 3x3/2 with pads and its Indices in row-major and
                  column-major storage order on [2, 3, 9, 7] (opset 12)
  upsample        ConvTranspose as decoders use it on [1, 4, 5, 7]: 4x4/2,
                  pad 1, bias; group 2 with dilation 2 and output_padding;
                  output_shape; a 1-D one with auto_pad SAME_UPPER on
                  [1, 4, 11] (opset 17)
  unpool          MaxPool 2x2/2 with Indices, then MaxUnpool back on
                  [1, 2, 6, 5] (with a constant output_shape) and on
                  [1, 2, 6, 4] (without) (opset 11)
  missing_kernel  MaxPool without kernel_shape
  bad_ceil        AveragePool with ceil_mode = 2
  bad_storage     MaxPool whose Indices output has storage_order = 3
  dynamic_ceil    MaxPool with ceil_mode on a dynamic length

With --reference, runs the model with onnxruntime on seeded standard-normal
inputs and writes DIR/<input>.npy and DIR/expected_<output>.npy for every
output.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

RNG_SEED = 0


def _weight(name, shape, rng):
    return numpy_helper.from_array(
        rng.uniform(-0.5, 0.5, shape).astype(np.float32), name)


def _node(op, name, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=name, **attrs)


def stem(rng):
    nodes = [
        _node("Conv", "conv1", ["x", "w1"], ["c1"], kernel_shape=[7, 7],
              strides=[2, 2], pads=[3, 3, 3, 3]),
        _node("Relu", "relu1", ["c1"], ["r1"]),
        _node("MaxPool", "maxpool", ["r1"], ["pooled"], kernel_shape=[3, 3],
              strides=[2, 2], pads=[1, 1, 1, 1]),
        _node("AveragePool", "avgpool_ceil", ["x"], ["avg"],
              kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1],
              ceil_mode=1),
        _node("LpPool", "lppool_dilated", ["x"], ["lp"], kernel_shape=[2, 3],
              dilations=[2, 1], strides=[1, 2], p=3),
        _node("GlobalAveragePool", "gap", ["pooled"], ["gap"]),
        _node("GlobalMaxPool", "gmp", ["pooled"], ["gmp"]),
    ]
    return (nodes, [_weight("w1", [8, 3, 7, 7], rng)],
            [("x", [1, 3, 33, 31])],
            [("pooled", None), ("avg", None), ("lp", None), ("gap", None),
             ("gmp", None)], 19)


def audio(rng):
    nodes = [
        _node("MaxPool", "maxpool_same", ["x"], ["max", "argmax"],
              kernel_shape=[3], strides=[2], auto_pad="SAME_LOWER"),
        _node("AveragePool", "avgpool_include", ["x"], ["avg"],
              kernel_shape=[4], strides=[3], pads=[2, 1],
              count_include_pad=1, ceil_mode=1),
        _node("LpPool", "lppool_l1", ["x"], ["l1"], kernel_shape=[5],
              strides=[2], auto_pad="SAME_UPPER", p=1),
    ]
    return (nodes, [], [("x", [2, 6, 47])],
            [("max", None), ("argmax", None, TensorProto.INT64),
             ("avg", None), ("l1", None)], 19)


def indices(rng):
    nodes = [
        _node("MaxPool", "maxpool_rows", ["x"], ["max", "rows"],
              kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        _node("MaxPool", "maxpool_cols", ["x"], ["max_c", "cols"],
              kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
              storage_order=1),
    ]
    return (nodes, [], [("x", [2, 3, 9, 7])],
            [("max", None), ("rows", None, TensorProto.INT64),
             ("max_c", None), ("cols", None, TensorProto.INT64)], 12)


def upsample(rng):
    nodes = [
        _node("ConvTranspose", "deconv", ["x", "w1", "b1"], ["up"],
              kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1]),
        _node("ConvTranspose", "deconv_group", ["x", "w2"], ["grouped"],
              group=2, dilations=[2, 2], strides=[2, 3],
              output_padding=[1, 2], pads=[0, 1, 2, 0]),
        _node("ConvTranspose", "deconv_shape", ["x", "w1"], ["shaped"],
              strides=[2, 2], output_shape=[12, 15]),
        _node("ConvTranspose", "deconv_1d", ["s", "w3", "b3"], ["same"],
              strides=[3], auto_pad="SAME_UPPER"),
    ]
    inits = [_weight("w1", [4, 3, 4, 4], rng), _weight("b1", [3], rng),
             _weight("w2", [4, 3, 3, 2], rng), _weight("w3", [4, 5, 4], rng),
             _weight("b3", [5], rng)]
    return (nodes, inits, [("x", [1, 4, 5, 7]), ("s", [1, 4, 11])],
            [("up", None), ("grouped", None), ("shaped", None),
             ("same", None)], 17)


def unpool(rng):
    pool = dict(kernel_shape=[2, 2], strides=[2, 2])
    nodes = [
        _node("MaxPool", "pool_odd", ["x"], ["p", "i"], **pool),
        _node("MaxUnpool", "unpool_shape", ["p", "i", "shape"], ["y"], **pool),
        _node("MaxPool", "pool_even", ["e"], ["q", "j"], **pool),
        _node("MaxUnpool", "unpool", ["q", "j"], ["z"], **pool),
    ]
    shape = numpy_helper.from_array(np.array([1, 2, 6, 5], np.int64), "shape")
    return (nodes, [shape], [("x", [1, 2, 6, 5]), ("e", [1, 2, 6, 4])],
            [("y", [1, 2, 6, 5]), ("z", [1, 2, 6, 4])], 11)


def missing_kernel(rng):
    nodes = [_node("MaxPool", "pool_no_kernel", ["x"], ["y"])]
    return nodes, [], [("x", [1, 2, 8, 8])], [("y", None)], 19


def bad_ceil(rng):
    nodes = [_node("AveragePool", "pool_ceil", ["x"], ["y"],
                   kernel_shape=[2], ceil_mode=2)]
    return nodes, [], [("x", [1, 2, 8])], [("y", None)], 19


def bad_storage(rng):
    nodes = [_node("MaxPool", "pool_storage", ["x"], ["y", "i"],
                   kernel_shape=[2], storage_order=3)]
    return (nodes, [], [("x", [1, 2, 8])],
            [("y", None), ("i", None, TensorProto.INT64)], 19)


def dynamic_ceil(rng):
    nodes = [_node("MaxPool", "pool_dynamic", ["x"], ["y"], kernel_shape=[3],
                   strides=[2], ceil_mode=1)]
    return nodes, [], [("x", [1, 2, "length"])], [("y", None)], 19


MODELS = {"stem": stem, "audio": audio, "indices": indices,
          "upsample": upsample, "unpool": unpool,
          "missing_kernel": missing_kernel,
          "bad_ceil": bad_ceil, "bad_storage": bad_storage,
          "dynamic_ceil": dynamic_ceil}


def _value_info(spec):
    elem_type = spec[2] if len(spec) > 2 else TensorProto.FLOAT
    return helper.make_tensor_value_info(spec[0], elem_type, spec[1])


def build(name):
    nodes, inits, inputs, outputs, opset = MODELS[name](
        np.random.default_rng(RNG_SEED))
    graph = helper.make_graph(nodes, name, [_value_info(i) for i in inputs],
                              [_value_info(o) for o in outputs],
                              initializer=inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="pytorch")
    model.ir_version = 8
    if not name.startswith("bad_") and name != "missing_kernel":
        model = onnx.shape_inference.infer_shapes(model)
        onnx.checker.check_model(model, full_check=True)
    return model


def write_reference(model_path, out_dir, seed=1):
    model_cli.save_onnxruntime_reference(model_path, out_dir, seed)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
