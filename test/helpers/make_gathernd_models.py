"""GatherND with run-time indices (graph inputs), checked against ONNX
Runtime.

    make_gathernd_models.py NAME OUT.onnx [--reference DIR]

  tuples       data f32 [5, 7, 6], indices i64 [4, 3, 2] (negative too):
               rows of data[i, j]
  batch        data f32 [3, 4, 6, 5], indices i64 [3, 7, 1], batch_dims 1
  batch2       data f32 [2, 3, 4, 5], indices i64 [2, 3, 2, 2], batch_dims 2:
               single elements
  mask         data bool [3, 5], indices i64 [3, 5, 2]: the dynamo
               exporter's padding mask, attention_mask[batch_idx, kv_idx]

For import tests (no reference):

  bad_batch    batch_dims 2 with indices of rank 2
  bad_depth    indices [4, 3] into data of rank 2
"""

import numpy as np
from onnx import TensorProto, helper

import model_cli

F = TensorProto.FLOAT
I64 = TensorProto.INT64
BOOL = TensorProto.BOOL

# name -> (data type and shape, indices type and shape, batch_dims)
MODELS = {
    "tuples": ((F, [5, 7, 6]), (I64, [4, 3, 2]), 0),
    "batch": ((F, [3, 4, 6, 5]), (I64, [3, 7, 1]), 1),
    "batch2": ((F, [2, 3, 4, 5]), (I64, [2, 3, 2, 2]), 2),
    "mask": ((BOOL, [3, 5]), (I64, [3, 5, 2]), 0),
    "bad_batch": ((F, [3, 4, 5]), (I64, [3, 1]), 2),
    "bad_depth": ((F, [4, 5]), (I64, [4, 3]), 0),
}


def output_shape(name):
    (_, data), (_, indices), batch_dims = MODELS[name]
    return indices[:-1] + data[batch_dims + indices[-1]:]


def build(name):
    (data_type, data), (index_type, indices), batch_dims = MODELS[name]
    node = helper.make_node("GatherND", ["data", "indices"], ["y"],
                            name="GatherND_" + name, batch_dims=batch_dims)
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("data", data_type, data),
         helper.make_tensor_value_info("indices", index_type, indices)],
        [helper.make_tensor_value_info("y", data_type, output_shape(name))])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])


def write_reference(model_path, out_dir):
    name = next(n for n in MODELS if model_path.endswith(n + ".onnx"))
    (_, data), (_, indices), batch_dims = MODELS[name]
    rng = np.random.default_rng(3)
    sizes = data[batch_dims:batch_dims + indices[-1]]
    # Each index within [-size, size) of the dimension it addresses.
    values = np.stack([rng.integers(-s, s, indices[:-1]) for s in sizes], -1)
    fixed = {"indices": values.astype(np.int64)}
    if name == "mask":
        fixed["indices"] = np.stack(np.meshgrid(
            np.arange(3), np.arange(5), indexing="ij"), -1).astype(np.int64)
        fixed["data"] = rng.integers(0, 3, data) > 0
    model_cli.save_onnxruntime_reference(model_path, out_dir, fixed=fixed)


if __name__ == "__main__":
    model_cli.main(__doc__, MODELS, build, write_reference)
