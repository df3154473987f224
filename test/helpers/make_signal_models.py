"""ONNX signal-op test models (DFT, STFT, MelWeightMatrix, windows), with
inputs and ONNX Runtime's outputs.

    make_signal_models.py NAME OUT.onnx [--reference DIR]

NAME is one of:

  logmel   a log-mel front end: x float [1, 16000] (1 s at 16 kHz),
           STFT with a periodic HannWindow(400), hop 160, onesided
           (y_spec [1, 98, 201, 2]), |.|^2, MatMul with
           MelWeightMatrix(80 bins, dft 400, 16 kHz, 0..8000 Hz) and
           Log(Clip(., 1e-10)) (y_logmel [1, 98, 80])
  dft      DFTs on odd sizes (opset 20, constant axis and dft_length):
           real x [2, 37, 3, 1] along axis 1 (y_full), one-sided and
           zero-padded to 50 (y_rfft), complex c [2, 5, 33, 2] inverse
           along axis -2 (y_inverse), truncated to 20 along axis 1
           (y_trunc), IRFFT of bins 0..16 to 32 samples (y_irfft)
  dft17    opset 17 DFT with the axis attribute (2) and a complex input
           x [3, 4, 9, 2] (y)
  stft     STFT on odd sizes: real x [2, 1000, 1], frame_step 37, a
           symmetric HammingWindow(101) and a BlackmanWindow(101)
           (y_hamming, y_blackman); complex c [1, 300, 2], a run-time window
           w [64], frame_step 20, onesided 0 (y_complex)
  dtypes   numpy only (ONNX Runtime has no f16 DFT): an f64 RFFT of
           x [3, 50, 1] (y), an f64 HannWindow(7) (w), an f16 DFT of a
           complex h [2, 16, 2] (yh)
  import   small nodes for --compile-to=import: HannWindow(4), DFT of
           x [1, 4, 1] along axis 1, STFT of s [1, 8, 1] with frame_length 4
           and frame_step 2, MelWeightMatrix(2 bins, dft 8, 8000 Hz)
  dft_graph_length   DFT whose dft_length is a graph input (an error
                     unless bound with --bind-input)
  dft_last_axis      DFT along the last (complex) dimension
  stft_graph_step    STFT whose frame_step is a graph input
  mel_above_nyquist  MelWeightMatrix with upper_edge_hertz above
                     sample_rate / 2
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_cli  # noqa: E402

F32 = TensorProto.FLOAT
I64 = TensorProto.INT64


def _info(name, shape, elem=F32):
    return helper.make_tensor_value_info(name, elem, shape)


def _i64(name, value):
    return numpy_helper.from_array(np.array(value, dtype=np.int64), name)


def _f32(name, value):
    return numpy_helper.from_array(np.array(value, dtype=np.float32), name)


def _model(graph, opset=17):
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset < 20 else 9
    onnx.checker.check_model(model)
    return model


def logmel():
    nodes = [
        helper.make_node("Unsqueeze", ["x", "last"], ["signal"]),
        helper.make_node("HannWindow", ["n_fft"], ["window"]),
        helper.make_node("STFT", ["signal", "hop", "window"], ["y_spec"],
                         name="stft"),
        helper.make_node("Mul", ["y_spec", "y_spec"], ["squares"]),
        helper.make_node("ReduceSum", ["squares", "last"], ["power"],
                         keepdims=0),
        helper.make_node("MelWeightMatrix",
                         ["n_mels", "n_fft32", "rate", "low", "high"],
                         ["mel"], name="mel"),
        helper.make_node("MatMul", ["power", "mel"], ["mel_power"]),
        helper.make_node("Clip", ["mel_power", "floor"], ["clipped"]),
        helper.make_node("Log", ["clipped"], ["y_logmel"]),
    ]
    init = [
        _i64("last", [-1]), _i64("n_fft", 400), _i64("hop", 160),
        numpy_helper.from_array(np.array(80, np.int32), "n_mels"),
        numpy_helper.from_array(np.array(400, np.int32), "n_fft32"),
        numpy_helper.from_array(np.array(16000, np.int32), "rate"),
        _f32("low", 0.0), _f32("high", 8000.0), _f32("floor", 1e-10),
    ]
    return _model(helper.make_graph(
        nodes, "logmel", [_info("x", [1, 16000])],
        [_info("y_spec", [1, 98, 201, 2]), _info("y_logmel", [1, 98, 80])],
        initializer=init))


def _dft(output, x, axis, length=None, **attrs):
    inputs = [x, length or "", axis]
    return helper.make_node("DFT", inputs, [output], name=output, **attrs)


def dft():
    nodes = [
        _dft("y_full", "x", "axis1"),
        _dft("y_rfft", "x", "axis1", "len50", onesided=1),
        _dft("y_inverse", "c", "axis_m2", inverse=1),
        _dft("y_trunc", "c", "axis1", "len20"),
        _dft("y_irfft", "c", "axis_m2", "len32", inverse=1, onesided=1),
    ]
    init = [_i64("axis1", 1), _i64("axis_m2", -2), _i64("len50", 50),
            _i64("len20", 20), _i64("len32", 32)]
    outputs = [_info("y_full", [2, 37, 3, 2]), _info("y_rfft", [2, 26, 3, 2]),
               _info("y_inverse", [2, 5, 33, 2]),
               _info("y_trunc", [2, 20, 33, 2]),
               _info("y_irfft", [2, 5, 32, 1])]
    return _model(helper.make_graph(
        nodes, "dft", [_info("x", [2, 37, 3, 1]), _info("c", [2, 5, 33, 2])],
        outputs, initializer=init), opset=20)


def dft17():
    node = helper.make_node("DFT", ["x"], ["y"], name="y", axis=2)
    return _model(helper.make_graph(
        [node], "dft17", [_info("x", [3, 4, 9, 2])],
        [_info("y", [3, 4, 9, 2])]))


def stft():
    nodes = [
        helper.make_node("HammingWindow", ["n101"], ["hamming"], periodic=0),
        helper.make_node("BlackmanWindow", ["n101"], ["blackman"]),
        helper.make_node("STFT", ["x", "step37", "hamming"], ["y_hamming"],
                         name="y_hamming"),
        helper.make_node("STFT", ["x", "step37", "blackman"], ["y_blackman"],
                         name="y_blackman"),
        helper.make_node("STFT", ["c", "step20", "w"], ["y_complex"],
                         name="y_complex", onesided=0),
    ]
    init = [_i64("n101", 101), _i64("step37", 37), _i64("step20", 20)]
    return _model(helper.make_graph(
        nodes, "stft",
        [_info("x", [2, 1000, 1]), _info("c", [1, 300, 2]), _info("w", [64])],
        [_info("y_hamming", [2, 25, 51, 2]),
         _info("y_blackman", [2, 25, 51, 2]),
         _info("y_complex", [1, 12, 64, 2])],
        initializer=init))


def dtypes():
    F64, F16 = TensorProto.DOUBLE, TensorProto.FLOAT16
    nodes = [
        _dft("y", "x", "axis1", onesided=1),
        helper.make_node("HannWindow", ["n7"], ["w"], output_datatype=F64),
        _dft("yh", "h", "axis1"),
    ]
    return _model(helper.make_graph(
        nodes, "dtypes",
        [_info("x", [3, 50, 1], F64), _info("h", [2, 16, 2], F16)],
        [_info("y", [3, 26, 2], F64), _info("w", [7], F64),
         _info("yh", [2, 16, 2], F16)],
        initializer=[_i64("axis1", 1), _i64("n7", 7)]), opset=20)


def import_model():
    nodes = [
        helper.make_node("HannWindow", ["n4"], ["hann"], name="hann"),
        _dft("dft", "x", "axis1"),
        helper.make_node("STFT", ["s", "step2", "", "n4"], ["stft"],
                         name="stft"),
        helper.make_node("MelWeightMatrix",
                         ["bins2", "n8", "rate", "low", "high"], ["mel"],
                         name="mel"),
    ]
    init = [_i64("n4", 4), _i64("axis1", 1), _i64("step2", 2),
            _i64("bins2", 2),
            _i64("n8", 8), _i64("rate", 8000), _f32("low", 0.0),
            _f32("high", 4000.0)]
    return _model(helper.make_graph(
        nodes, "signal_import", [_info("x", [1, 4, 1]), _info("s", [1, 8, 1])],
        [_info("hann", [4]), _info("dft", [1, 4, 2]),
         _info("stft", [1, 3, 3, 2]), _info("mel", [5, 2])],
        initializer=init), opset=20)


def dft_graph_length():
    node = helper.make_node("DFT", ["x", "n", "axis"], ["y"], name="y")
    return _model(helper.make_graph(
        [node], "dft_graph_length",
        [_info("x", [1, 8, 1]), _info("n", [], I64)],
        [_info("y", [1, None, 2])], initializer=[_i64("axis", 1)]), opset=20)


def dft_last_axis():
    node = helper.make_node("DFT", ["x"], ["y"], name="y", axis=-1)
    return _model(helper.make_graph(
        [node], "dft_last_axis", [_info("x", [1, 8, 2])],
        [_info("y", [1, 8, 2])]))


def stft_graph_step():
    node = helper.make_node("STFT", ["x", "step", "", "n"], ["y"], name="y")
    return _model(helper.make_graph(
        [node], "stft_graph_step", [_info("x", [1, 64, 1]),
                                    _info("step", [], I64)],
        [_info("y", [1, None, 9, 2])], initializer=[_i64("n", 16)]))


def mel_above_nyquist():
    node = helper.make_node("MelWeightMatrix",
                            ["bins", "n", "rate", "low", "high"], ["y"],
                            name="y")
    init = [_i64("bins", 8), _i64("n", 64), _i64("rate", 8000),
            _f32("low", 0.0), _f32("high", 6000.0)]
    return _model(helper.make_graph(
        [node], "mel_above_nyquist", [], [_info("y", [33, 8])],
        initializer=init))


MODELS = {
    "logmel": logmel, "dft": dft, "dft17": dft17, "stft": stft,
    "dtypes": dtypes, "import": import_model,
    "dft_graph_length": dft_graph_length,
    "dft_last_axis": dft_last_axis, "stft_graph_step": stft_graph_step,
    "mel_above_nyquist": mel_above_nyquist,
}


def build(name):
    return MODELS[name]()


def _complex(a):
    return a[..., 0] + 1j * a[..., 1] if a.shape[-1] == 2 else a[..., 0]


def _interleave(z):
    return np.stack([z.real, z.imag], axis=-1)


def _frames(signal, length, step):
    count = (signal.shape[1] - length) // step + 1
    return np.stack([signal[:, f * step:f * step + length]
                     for f in range(count)], axis=1)


def _cosine_window(size, coefficients, periodic=True):
    n = np.arange(size)
    period = size if periodic else size - 1
    return sum(c * np.cos(2 * np.pi * j * n / period)
               for j, c in enumerate(coefficients))


def float64_reference(graph, inputs):
    """The model computed with numpy in float64 (the exact transform the
    f32 results approximate)."""
    if graph.name == "logmel":
        wave = inputs["x"].astype(np.float64)
        window = _cosine_window(400, [0.5, -0.5])
        spec = np.fft.rfft(_frames(wave, 400, 160) * window, axis=-1)
        from onnx.reference.ops.op_mel_weight_matrix import MelWeightMatrix
        mel = MelWeightMatrix._run(None, 80, 400, 16000, np.float32(0),
                                   np.float32(8000))[0].astype(np.float64)
        power = np.abs(spec) ** 2
        return {"y_spec": _interleave(spec),
                "y_logmel": np.log(np.maximum(power @ mel, 1e-10))}
    if graph.name == "dft":
        x = _complex(inputs["x"].astype(np.float64))
        c = _complex(inputs["c"].astype(np.float64))
        return {
            "y_full": _interleave(np.fft.fft(x, axis=1)),
            "y_rfft": _interleave(np.fft.rfft(x, n=50, axis=1)),
            "y_inverse": _interleave(np.fft.ifft(c, axis=2)),
            "y_trunc": _interleave(np.fft.fft(c, n=20, axis=1)),
            "y_irfft": np.fft.irfft(c, n=32, axis=2)[..., None],
        }
    if graph.name == "stft":
        x = inputs["x"][..., 0].astype(np.float64)
        c = _complex(inputs["c"].astype(np.float64))
        hamming = _cosine_window(101, [25 / 46, -21 / 46], periodic=False)
        blackman = _cosine_window(101, [0.42, -0.5, 0.08])
        window = inputs["w"].astype(np.float64)
        return {
            "y_hamming": _interleave(np.fft.rfft(
                _frames(x, 101, 37) * hamming, axis=-1)),
            "y_blackman": _interleave(np.fft.rfft(
                _frames(x, 101, 37) * blackman, axis=-1)),
            "y_complex": _interleave(np.fft.fft(
                _frames(c, 64, 20) * window, axis=-1)),
        }
    if graph.name == "dtypes":
        h = inputs["h"].astype(np.float64)
        return {
            "y": _interleave(np.fft.rfft(inputs["x"][..., 0], axis=1)),
            "w": _cosine_window(7, [0.5, -0.5]),
            "yh": _interleave(np.fft.fft(_complex(h), axis=1)).astype(
                np.float16),
        }
    return {}


def write_reference(model_path, out_dir):
    """ONNX Runtime's outputs as DIR/expected_NAME.npy, the float64 numpy
    ones as DIR/f64/expected_NAME.npy (cast to float32)."""
    graph = onnx.load(model_path).graph
    if graph.name == "dtypes":
        rng = np.random.default_rng(1)
        feeds = {"x": rng.standard_normal((3, 50, 1)),
                 "h": rng.standard_normal((2, 16, 2)).astype(np.float16)}
        model_cli.save_arrays(out_dir, feeds)
        model_cli.save_arrays(out_dir, float64_reference(graph, feeds),
                              prefix="expected_")
        return
    fixed = None
    if graph.name == "logmel":
        # A chirp over broadband noise, as speech has energy in every band.
        t = np.arange(16000, dtype=np.float64) / 16000
        rng = np.random.default_rng(3)
        wave = 0.5 * np.sin(2 * np.pi * (100 + 3900 * t) * t) + \
            0.1 * rng.standard_normal(16000)
        fixed = {"x": wave.astype(np.float32)[None, :]}
    feeds, outputs = model_cli.run_onnxruntime(model_path, fixed=fixed)
    model_cli.save_arrays(out_dir, feeds)
    model_cli.save_arrays(out_dir, outputs, prefix="expected_")
    exact = float64_reference(graph, feeds)
    model_cli.save_arrays(
        os.path.join(out_dir, "f64"),
        {name: value.astype(np.float32) for name, value in exact.items()},
        prefix="expected_")


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
