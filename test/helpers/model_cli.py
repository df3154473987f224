"""The command line the make_*_models.py helpers share:

    make_X_models.py NAME OUT.onnx [--reference DIR]

writes model NAME, and with --reference the inputs it was run on and
ONNX Runtime's outputs into DIR.
"""

import argparse
import os

import numpy as np
import onnx


def save_arrays(out_dir, arrays, prefix=""):
    """Saves each named array as DIR/<prefix><name>.npy."""
    os.makedirs(out_dir, exist_ok=True)
    for name, value in arrays.items():
        np.save(os.path.join(out_dir, prefix + name + ".npy"), value)


def run_onnxruntime(model_path, seed=1, dynamic_size=2, integers=(-1, 2),
                    fixed=None, dims=None):
    """Runs the model with onnxruntime's CPU provider on seeded inputs:
    standard-normal floats, int64 values in [integers[0], integers[1]), and
    `dynamic_size` for every symbolic dimension (`dims` maps a dimension's
    name to another size); `fixed` maps input names to the arrays to feed
    instead. Returns the inputs and the outputs, each a dict by name (outputs
    in the model's order)."""
    import onnxruntime as ort

    session = ort.InferenceSession(model_path,
                                   providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    feeds = {}
    for i in session.get_inputs():
        shape = [d if isinstance(d, int) else (dims or {}).get(d, dynamic_size)
                 for d in i.shape]
        if fixed and i.name in fixed:
            feeds[i.name] = fixed[i.name]
        elif i.type == "tensor(int64)":
            feeds[i.name] = rng.integers(*integers, shape).astype(np.int64)
        else:
            feeds[i.name] = rng.standard_normal(shape).astype(np.float32)
    outputs = session.run(None, feeds)
    return feeds, {o.name: v for o, v in zip(session.get_outputs(), outputs)}


def save_onnxruntime_reference(model_path, out_dir, seed=1, fixed=None):
    """Runs the model with onnxruntime (see run_onnxruntime) and saves its
    inputs as out_dir/<name>.npy and its outputs as
    out_dir/expected_<name>.npy."""
    feeds, outputs = run_onnxruntime(model_path, seed, fixed=fixed)
    save_arrays(out_dir, feeds)
    save_arrays(out_dir, outputs, prefix="expected_")


def save_inputs_and_expected(model_path, out_dir, seed=1):
    """Runs the model with onnxruntime (see run_onnxruntime) and saves its
    inputs as out_dir/<name>.npy and its first output as
    out_dir/expected.npy."""
    feeds, outputs = run_onnxruntime(model_path, seed)
    save_arrays(out_dir, feeds)
    save_arrays(out_dir, {"expected": next(iter(outputs.values()))})


def exported_model(graph, opset=17):
    """`graph` as a model the way the TorchScript exporter writes it (IR 8,
    the intermediate types recorded as value_info), checked."""
    model = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", opset)],
        producer_name="pytorch", producer_version="2.1.0")
    model.ir_version = 8
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model, full_check=True)
    return model


def write_input_and_expected(model_path, out_dir, seed, input_name,
                             output_name):
    """Runs a one-input model with onnxruntime (see run_onnxruntime) and
    saves out_dir/input.npy and out_dir/expected.npy."""
    feeds, outputs = run_onnxruntime(model_path, seed)
    save_arrays(out_dir, {"input": feeds[input_name],
                          "expected": outputs[output_name]})


def main(doc, models, build, write_reference):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("name", choices=sorted(models))
    parser.add_argument("output")
    parser.add_argument("--reference", metavar="DIR")
    args = parser.parse_args()
    onnx.save(build(args.name), args.output)
    if args.reference:
        write_reference(args.output, args.reference)
