"""Quantized linear layers as quantizing exporters write them, checked
against ONNX Runtime.

    make_quant_models.py NAME OUT.onnx [--reference DIR]

  weight_only  x f32 [5, 96] -> MatMul with DequantizeLinear(W) + bias:
               W int8 [96, 80] per output column (axis 1, scale and int8
               zero point [80]), and a second layer W2 uint8 [80, 72]
               blocked along the input axis (axis 0, block_size 32: scale
               and zero point [3, 72], the last block short)
  dynamic      ONNX Runtime's quantize_dynamic pattern: x f32 [7, 64] ->
               DynamicQuantizeLinear -> MatMulInteger with W int8 [64, 48]
               (zero point 0) -> Cast -> Mul by x_scale * w_scale [48] -> Add
               bias
  qdq          QuantizeLinear of x f32 [4, 6, 10] to int8 per channel (axis
               1), to uint16 per tensor and to uint8 blocked (axis 2, block
               4); then DequantizeLinear of each back to f32
  qlinear      QLinearMatMul: a uint8 [9, 40], b uint8 [40, 24] with a
               per-column b_scale and zero point [24], y uint8
  conv         ConvInteger of x uint8 [2, 3, 11, 13] (zero point 120) with
               w uint8 [6, 3, 3, 3] (zero point 128), asymmetric pads
  qconv        QLinearConv of x uint8 [2, 4, 12, 9] with w int8 [8, 2, 3,
               3] (group 2, stride 2, pads 1), w_scale per output channel,
               an int32 bias, y uint8
  bad_int4     DequantizeLinear of an int4 weight (unsupported)
  bad_axis     DequantizeLinear with a 1-D scale that does not match the
               axis
  bad_block    blocked DequantizeLinear whose scale has the wrong number of
               blocks
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import model_cli

F = TensorProto.FLOAT
rng = np.random.default_rng(11)


def init(name, array):
    return numpy_helper.from_array(array, name)


def model(nodes, inputs, outputs, inits, opset=21):
    graph = helper.make_graph(nodes, "quant", inputs, outputs,
                              initializer=inits)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", opset)])


def weight_only():
    w = rng.integers(-128, 128, [96, 80]).astype(np.int8)
    w2 = rng.integers(0, 256, [80, 72]).astype(np.uint8)
    inits = [
        init("w", w),
        init("w_scale", (rng.random(80) * 0.02 + 0.005).astype(np.float32)),
        init("w_zp", rng.integers(-5, 6, 80).astype(np.int8)),
        init("bias", rng.standard_normal(80).astype(np.float32)),
        init("w2", w2),
        init("w2_scale", (rng.random([3, 72]) * 0.02 + 0.005).astype(
            np.float32)),
        init("w2_zp", rng.integers(120, 136, [3, 72]).astype(np.uint8)),
    ]
    nodes = [
        helper.make_node("DequantizeLinear", ["w", "w_scale", "w_zp"], ["wf"],
                         name="dq_w", axis=1),
        helper.make_node("MatMul", ["x", "wf"], ["h0"], name="fc1"),
        helper.make_node("Add", ["h0", "bias"], ["h"], name="fc1_bias"),
        helper.make_node("DequantizeLinear", ["w2", "w2_scale", "w2_zp"],
                         ["w2f"], name="dq_w2", axis=0, block_size=32),
        helper.make_node("MatMul", ["h", "w2f"], ["y"], name="fc2"),
    ]
    return model(nodes, [helper.make_tensor_value_info("x", F, [5, 96])],
                 [helper.make_tensor_value_info("y", F, [5, 72])], inits)


def dynamic():
    w = rng.integers(-128, 128, [64, 48]).astype(np.int8)
    inits = [
        init("w", w), init("w_zp", np.array(0, np.int8)),
        init("w_scale", (rng.random(48) * 0.02 + 0.005).astype(np.float32)),
        init("bias", rng.standard_normal(48).astype(np.float32)),
    ]
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"],
                         ["xq", "x_scale", "x_zp"], name="dql"),
        helper.make_node("MatMulInteger", ["xq", "w", "x_zp", "w_zp"],
                         ["acc"], name="mmi"),
        helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=F),
        helper.make_node("Mul", ["x_scale", "w_scale"], ["scale"],
                         name="scale"),
        helper.make_node("Mul", ["accf", "scale"], ["h"], name="rescale"),
        helper.make_node("Add", ["h", "bias"], ["y"], name="bias_add"),
    ]
    outputs = [helper.make_tensor_value_info("y", F, [7, 48]),
               helper.make_tensor_value_info("xq", TensorProto.UINT8, [7, 64]),
               helper.make_tensor_value_info("x_scale", F, []),
               helper.make_tensor_value_info("x_zp", TensorProto.UINT8, [])]
    return model(nodes, [helper.make_tensor_value_info("x", F, [7, 64])],
                 outputs, inits)


def qdq():
    inits = [
        init("s8", (rng.random(6) * 0.02 + 0.01).astype(np.float32)),
        init("z8", rng.integers(-10, 10, 6).astype(np.int8)),
        init("s16", np.array(0.0001, np.float32)),
        init("z16", np.array(30000, np.uint16)),
        init("sb", (rng.random([4, 6, 3]) * 0.02 + 0.01).astype(np.float32)),
        init("zb", rng.integers(100, 150, [4, 6, 3]).astype(np.uint8)),
    ]
    nodes, outputs = [], []
    for name, scale, zp, attrs, elem in [
            ("q8", "s8", "z8", dict(axis=1), TensorProto.INT8),
            ("q16", "s16", "z16", {}, TensorProto.UINT16),
            ("qb", "sb", "zb", dict(axis=2, block_size=4), TensorProto.UINT8)]:
        nodes.append(helper.make_node("QuantizeLinear", ["x", scale, zp],
                                      [name], name=name, **attrs))
        nodes.append(helper.make_node("DequantizeLinear", [name, scale, zp],
                                      ["d" + name], name="d" + name, **attrs))
        outputs += [helper.make_tensor_value_info(name, elem, [4, 6, 10]),
                    helper.make_tensor_value_info("d" + name, F, [4, 6, 10])]
    return model(nodes, [helper.make_tensor_value_info("x", F, [4, 6, 10])],
                 outputs, inits)


def qlinear():
    U8 = TensorProto.UINT8
    inits = [
        init("a_scale", np.array(0.02, np.float32)),
        init("a_zp", np.array(128, np.uint8)),
        init("b", rng.integers(0, 256, [40, 24]).astype(np.uint8)),
        init("b_scale", (rng.random(24) * 0.01 + 0.002).astype(np.float32)),
        init("b_zp", rng.integers(120, 136, 24).astype(np.uint8)),
        init("y_scale", np.array(0.05, np.float32)),
        init("y_zp", np.array(100, np.uint8)),
    ]
    node = helper.make_node(
        "QLinearMatMul",
        ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"],
        ["y"], name="qlinear")
    return model([node], [helper.make_tensor_value_info("a", U8, [9, 40])],
                 [helper.make_tensor_value_info("y", U8, [9, 24])], inits)


def conv():
    U8 = TensorProto.UINT8
    inits = [init("w", rng.integers(0, 256, [6, 3, 3, 3]).astype(np.uint8)),
             init("x_zp", np.array(120, np.uint8)),
             init("w_zp", np.array(128, np.uint8))]
    node = helper.make_node("ConvInteger", ["x", "w", "x_zp", "w_zp"], ["y"],
                            name="conv_integer", pads=[1, 0, 1, 2])
    return model([node], [helper.make_tensor_value_info("x", U8,
                                                         [2, 3, 11, 13])],
                 [helper.make_tensor_value_info("y", TensorProto.INT32,
                                                [2, 6, 11, 13])], inits)


def qconv():
    U8 = TensorProto.UINT8
    inits = [
        init("x_scale", np.array(0.02, np.float32)),
        init("x_zp", np.array(128, np.uint8)),
        init("w", rng.integers(-128, 128, [8, 2, 3, 3]).astype(np.int8)),
        init("w_scale", (rng.random(8) * 0.01 + 0.002).astype(np.float32)),
        init("w_zp", np.zeros(8, np.int8)),
        init("y_scale", np.array(0.03, np.float32)),
        init("y_zp", np.array(100, np.uint8)),
        init("bias", rng.integers(-2000, 2000, 8).astype(np.int32)),
    ]
    node = helper.make_node(
        "QLinearConv",
        ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp",
         "bias"], ["y"], name="qlinear_conv", group=2, strides=[2, 2],
        pads=[1, 1, 1, 1])
    return model([node], [helper.make_tensor_value_info("x", U8,
                                                         [2, 4, 12, 9])],
                 [helper.make_tensor_value_info("y", U8, [2, 8, 6, 5])],
                 inits)


def bad(kind):
    if kind == "bad_int4":
        w = helper.make_tensor("w", TensorProto.INT4, [4], [1, 2, 3, 4])
        scale = init("s", np.array(0.1, np.float32))
        attrs = {}
        shape = [4]
    elif kind == "bad_axis":
        w = init("w", np.zeros([4, 6], np.int8))
        scale = init("s", np.ones(5, np.float32))
        attrs = dict(axis=1)
        shape = [4, 6]
    else:
        w = init("w", np.zeros([4, 6], np.int8))
        scale = init("s", np.ones([4, 2], np.float32))
        attrs = dict(axis=1, block_size=2)
        shape = [4, 6]
    node = helper.make_node("DequantizeLinear", ["w", "s"], ["y"],
                            name="dq_" + kind, **attrs)
    return model([node], [], [helper.make_tensor_value_info("y", F, shape)],
                 [w, scale])


MODELS = {"weight_only": weight_only, "dynamic": dynamic, "qdq": qdq,
          "qlinear": qlinear, "conv": conv, "qconv": qconv,
          "bad_int4": lambda: bad("bad_int4"),
          "bad_axis": lambda: bad("bad_axis"),
          "bad_block": lambda: bad("bad_block")}


def build(name):
    return MODELS[name]()


def write_reference(model_path, out_dir):
    """Runs the model with ONNX Runtime's graph optimizations off: its
    optimizer rewrites DequantizeLinear -> MatMul into a kernel that also
    quantizes the activations (1% off the model's arithmetic)."""
    import onnxruntime as ort

    rng = np.random.default_rng(5)
    feeds = {}
    for i in onnx.load(model_path).graph.input:
        shape = [d.dim_value for d in i.type.tensor_type.shape.dim]
        if i.type.tensor_type.elem_type == TensorProto.UINT8:
            feeds[i.name] = rng.integers(0, 256, shape).astype(np.uint8)
        else:
            feeds[i.name] = rng.standard_normal(shape).astype(np.float32)
    options = ort.SessionOptions()
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    session = ort.InferenceSession(model_path, options,
                                   providers=["CPUExecutionProvider"])
    outputs = session.run(None, feeds)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, {o.name: v for o, v in zip(
        session.get_outputs(), outputs)}, prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
