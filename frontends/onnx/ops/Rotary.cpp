//===- Rotary.cpp - RotaryEmbedding (ONNX and com.microsoft) --------------===//
//
// Both rotary embeddings import into mllm.rotary_embedding, which has the
// semantics of ONNX RotaryEmbedding (opset 23). ONNX Runtime's contrib op
// (com.microsoft, used by ORT-optimized LLaMA/Phi models) differs in input
// order (input, position_ids, cos_cache, sin_cache), always takes position
// ids (a 1-element one is the position of the first token), derives
// num_heads of a 3-D input from the cache width when it is absent, and has
// two attributes without a counterpart here: `scale` (ORT applies it only
// when it regenerates the caches, which it does not implement) and
// `is_packed_batching`; nodes that set them are rejected.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Reads the boolean INT attribute `name` (0 or 1).
FailureOr<bool> getFlag(NodeContext &node, StringRef name) {
  int64_t value = node.getIntAttr(name, 0);
  if (value != 0 && value != 1) {
    node.emitError() << "'" << name << "' must be 0 or 1, got " << value;
    return failure();
  }
  return value == 1;
}

/// Reads a non-negative INT attribute `name` (default 0).
FailureOr<int64_t> getCount(NodeContext &node, StringRef name) {
  int64_t value = node.getIntAttr(name, 0);
  if (value < 0) {
    node.emitError() << "'" << name << "' must be non-negative, got " << value;
    return failure();
  }
  return value;
}

/// ONNX RotaryEmbedding (opset 23): X, cos_cache, sin_cache[, position_ids].
LogicalResult convertRotaryEmbedding(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 4)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> cos = node.getRequiredInput(1);
  FailureOr<Value> sin = node.getRequiredInput(2);
  FailureOr<bool> interleaved = getFlag(node, "interleaved");
  FailureOr<int64_t> rotaryDim = getCount(node, "rotary_embedding_dim");
  FailureOr<int64_t> numHeads = getCount(node, "num_heads");
  if (failed(input) || failed(cos) || failed(sin) || failed(interleaved) ||
      failed(rotaryDim) || failed(numHeads))
    return failure();
  return node.setResult(node.create<mllm::RotaryEmbeddingOp>(
      *input, *cos, *sin, node.getInput(3), *interleaved, *rotaryDim,
      *numHeads));
}

/// com.microsoft RotaryEmbedding: input, position_ids, cos_cache, sin_cache.
LogicalResult convertMicrosoftRotaryEmbedding(NodeContext &node) {
  if (failed(node.checkNumInputs(4, 4)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> positions = node.getRequiredInput(1);
  FailureOr<Value> cos = node.getRequiredInput(2);
  FailureOr<Value> sin = node.getRequiredInput(3);
  FailureOr<bool> interleaved = getFlag(node, "interleaved");
  FailureOr<bool> packed = getFlag(node, "is_packed_batching");
  FailureOr<int64_t> rotaryDim = getCount(node, "rotary_embedding_dim");
  FailureOr<int64_t> numHeads = getCount(node, "num_heads");
  if (failed(input) || failed(positions) || failed(cos) || failed(sin) ||
      failed(interleaved) || failed(packed) || failed(rotaryDim) ||
      failed(numHeads))
    return failure();
  if (*packed) {
    node.emitError() << "is_packed_batching = 1 (packed variable-length "
                        "batches) is not supported; export with padded "
                        "batches";
    return failure();
  }
  float scale = node.getFloatAttr("scale", 1.0f);
  if (scale != 1.0f) {
    node.emitError() << "scale = " << static_cast<double>(scale)
                     << " is not supported, only the default 1.0 (ONNX "
                        "Runtime uses it only to regenerate the caches); "
                        "drop the attribute when the cos/sin caches hold the "
                        "final angles";
    return failure();
  }
  if (*rotaryDim > 0 && *numHeads == 0) {
    node.emitError() << "rotary_embedding_dim needs num_heads (as in ONNX "
                        "Runtime)";
    return failure();
  }

  RankedTensorType inputType = NodeContext::getType(*input);
  RankedTensorType cosType = NodeContext::getType(*cos);
  if (inputType.getRank() == 3 && *numHeads == 0) {
    // ONNX Runtime: head_size = 2 * cache width, num_heads = hidden / it.
    int64_t hidden = inputType.getDimSize(2);
    int64_t width = cosType.getRank() == 2 ? cosType.getDimSize(1) : 0;
    if (ShapedType::isDynamic(hidden) || ShapedType::isDynamic(width) ||
        width <= 0 || hidden % (2 * width) != 0) {
      node.emitError() << "cannot derive num_heads of the 3-D input "
                       << inputType << " from the cos_cache " << cosType
                       << " (head size = 2 * its last dimension, which must "
                          "be static and divide the hidden size); set "
                          "num_heads";
      return failure();
    }
    *numHeads = hidden / (2 * width);
  }

  // A scalar position id is the position of the first token, as [1].
  RankedTensorType positionType = NodeContext::getType(*positions);
  if (positionType.getRank() == 0) {
    positions = node.createWithType<mllm::ReshapeOp>(
        positionType.clone(ArrayRef<int64_t>{1}), *positions);
    if (failed(positions))
      return failure();
  }
  return node.setResult(node.create<mllm::RotaryEmbeddingOp>(
      *input, *cos, *sin, *positions, *interleaved, *rotaryDim, *numHeads));
}

} // namespace

void mllmc::onnx_frontend::registerRotaryOps(OpRegistry &registry) {
  registry.add("RotaryEmbedding", 23, convertRotaryEmbedding,
               "3-D and 4-D input, with or without position_ids, "
               "interleaved, partial rotation (rotary_embedding_dim)");
  registry.add("RotaryEmbedding", 1, convertMicrosoftRotaryEmbedding,
               "ONNX Runtime contrib op: position_ids [B, S] or a start "
               "offset, interleaved, partial rotation, num_heads derived "
               "from the cache; scale = 1 only; no is_packed_batching",
               "com.microsoft");
}
