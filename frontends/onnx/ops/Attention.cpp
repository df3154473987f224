//===- Attention.cpp - ONNX Attention (opset 23) --------------------------===//
//
// ONNX Attention imports into mllm.attention: 3-D inputs are split into
// heads, past_key/past_value are concatenated in front of the new keys and
// values (and returned as present_key/present_value), and every mask the op
// can express becomes one mask operand:
//
// - attn_mask (bool: true attends; float: added to the scores), padded with
//   "masked" to the key length when shorter;
// - is_causal: the dialect's `causal` when ONNX's frontier is the dialect's
//   bottom-right one (offset = past length = Skv - Sq); otherwise a constant
//   mask (e.g. ONNX's top-left causal mask when Sq != Skv without a cache);
// - the sliding windows of opset 25 (constant masks);
// - nonpad_kv_seqlen (opset 24): computed at run time from the input, with
//   the causal and window masks aligned at each batch's own length.
//
// Softcap and the qk_matmul_output output have no place in mllm.attention:
// then the op is built from matmul, softmax and elementwise ops, as the ONNX
// function body does.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/AttentionUtils.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// Pads the last dimension of `mask` to `length` with "masked" (false or
/// -inf), as ONNX specifies for a mask shorter than the keys.
FailureOr<Value> padMask(NodeContext &node, Value mask, int64_t length) {
  RankedTensorType type = NodeContext::getType(mask);
  if (type.getRank() == 0) {
    node.emitError() << "attn_mask must have a key dimension (rank 1 to 4, "
                        "broadcast to [B, H, Sq, Skv]), got "
                     << type;
    return failure();
  }
  int64_t last = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(last) || ShapedType::isDynamic(length) ||
      last >= length)
    return mask;
  if (!type.hasStaticShape()) {
    node.emitError() << "attn_mask " << type << " is shorter than the "
                     << length << " keys and must then have a static shape";
    return failure();
  }
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = length - last;
  Type elementType = type.getElementType();
  Attribute fill =
      elementType.isInteger(1)
          ? Attribute(IntegerAttr::get(elementType, 0))
          : Attribute(FloatAttr::get(elementType,
                                     -std::numeric_limits<double>::infinity()));
  Value padding = node.createConstant(
      DenseElementsAttr::get(RankedTensorType::get(shape, elementType), fill));
  return node.create<mllm::ConcatOp>(ValueRange{mask, padding},
                                     type.getRank() - 1);
}

/// nonpad_kv_seqlen [B] (an external cache): key j of batch b is attended
/// when j < len[b]. Causal and window masks are aligned at the per-batch
/// offset len[b] - Sq: query row i sits at position p = i + len[b] - Sq, and
/// attends key j when j <= p (causal), p - j <= left and j - p <= right.
/// Every condition bounds len[b] by a constant of (i, j):
///   j + 1 <= len, j - i + Sq <= len (causal), j - i + Sq - right <= len,
///   len <= j - i + Sq + left,
/// so the mask is `lower <= len and len <= upper` with [1, 1, Sq|1, Skv]
/// constants `lower` and `upper`. Returns a [B, 1, Sq|1, Skv] i1 mask
/// computed at run time.
FailureOr<Value> createNonpadMask(NodeContext &node, Value lengths, int64_t sq,
                                  int64_t skv, bool causal, int64_t leftWindow,
                                  int64_t rightWindow) {
  RankedTensorType type = NodeContext::getType(lengths);
  bool perRow = causal || leftWindow >= 0 || rightWindow >= 0;
  if (type.getRank() != 1 || ShapedType::isDynamic(skv) ||
      (perRow && ShapedType::isDynamic(sq))) {
    node.emitError() << "nonpad_kv_seqlen must be 1-D and the key length "
                        "static (and the query length too with is_causal or "
                        "a sliding window), got "
                     << type;
    return failure();
  }
  FailureOr<Value> perBatch = node.createWithType<mllm::ReshapeOp>(
      type.clone({type.getDimSize(0), 1, 1, 1}), lengths);
  if (failed(perBatch))
    return failure();
  int64_t rows = perRow ? sq : 1;
  SmallVector<Attribute> lower, upper;
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < skv; ++j) {
      int64_t bound = j + 1;
      if (causal)
        bound = std::max(bound, j - i + sq);
      if (rightWindow >= 0)
        bound = std::max(bound, j - i + sq - rightWindow);
      lower.push_back(IntegerAttr::get(type.getElementType(), bound));
      if (leftWindow >= 0)
        upper.push_back(
            IntegerAttr::get(type.getElementType(), j - i + sq + leftWindow));
    }
  }
  auto boundType =
      RankedTensorType::get({1, 1, rows, skv}, type.getElementType());
  Expr mask = cmp(node, mllm::CmpPredicate::le,
                  node.createConstant(DenseElementsAttr::get(boundType, lower)),
                  *perBatch);
  if (leftWindow < 0)
    return mask;
  return binary<mllm::AndOp>(
      node, mask,
      cmp(node, mllm::CmpPredicate::le, *perBatch,
          node.createConstant(DenseElementsAttr::get(boundType, upper))));
}

LogicalResult convertAttention(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 7)))
    return failure();
  FailureOr<Value> query = node.getRequiredInput(0);
  FailureOr<Value> key = node.getRequiredInput(1);
  FailureOr<Value> value = node.getRequiredInput(2);
  if (failed(query) || failed(key) || failed(value))
    return failure();
  Value attnMask = node.getInput(3), pastKey = node.getInput(4),
        pastValue = node.getInput(5), nonpad = node.getInput(6);
  if (bool(pastKey) != bool(pastValue)) {
    node.emitError() << "past_key and past_value must be given together";
    return failure();
  }
  if (nonpad && pastKey) {
    node.emitError() << "nonpad_kv_seqlen cannot be combined with past_key";
    return failure();
  }

  RankedTensorType queryType = NodeContext::getType(*query);
  Type floatType = queryType.getElementType();
  if (!isa<FloatType>(floatType)) {
    node.emitError() << "Q must hold floating-point values, got " << queryType;
    return failure();
  }
  int64_t rank = queryType.getRank();
  if ((rank != 3 && rank != 4) ||
      NodeContext::getType(*key).getRank() != rank ||
      NodeContext::getType(*value).getRank() != rank) {
    node.emitError() << "Q, K and V must all be 3-D or all 4-D";
    return failure();
  }
  int64_t qHeads, kvHeads;
  if (rank == 3) {
    qHeads = node.getIntAttr("q_num_heads", 0);
    kvHeads = node.getIntAttr("kv_num_heads", 0);
    if (qHeads <= 0 || kvHeads <= 0) {
      node.emitError() << "3-D inputs need the q_num_heads and kv_num_heads "
                          "attributes";
      return failure();
    }
    query = splitHeads(node, *query, qHeads, "Q");
    if (failed(query))
      return failure();
    key = splitHeads(node, *key, kvHeads, "K");
    if (failed(key))
      return failure();
    value = splitHeads(node, *value, kvHeads, "V");
    if (failed(value))
      return failure();
  } else {
    qHeads = queryType.getDimSize(1);
    kvHeads = NodeContext::getType(*key).getDimSize(1);
    if (ShapedType::isDynamic(qHeads) || ShapedType::isDynamic(kvHeads)) {
      node.emitError() << "the head dimensions of Q and K must be static";
      return failure();
    }
  }

  int64_t pastLength = 0;
  if (pastKey) {
    if (NodeContext::getType(pastKey).getRank() != 4 ||
        NodeContext::getType(pastValue).getRank() != 4) {
      node.emitError() << "past_key and past_value must be 4-D [B, H, S, D]";
      return failure();
    }
    pastLength = NodeContext::getType(pastKey).getDimSize(2);
    key = node.create<mllm::ConcatOp>(ValueRange{pastKey, *key}, 2);
    if (failed(key))
      return failure();
    value = node.create<mllm::ConcatOp>(ValueRange{pastValue, *value}, 2);
    if (failed(value))
      return failure();
  }
  node.setOutput(1, *key);
  node.setOutput(2, *value);

  int64_t sq = NodeContext::getType(*query).getDimSize(2);
  int64_t skv = NodeContext::getType(*key).getDimSize(2);
  int64_t headSize = NodeContext::getType(*query).getDimSize(3);
  float scale;
  if (node.getAttr("scale")) {
    scale = node.getFloatAttr("scale", 1.0f);
  } else if (ShapedType::isDynamic(headSize)) {
    node.emitError() << "the head size of Q must be static (or give 'scale')";
    return failure();
  } else {
    scale = 1.0f / std::sqrt(float(headSize));
  }
  bool causal = node.getIntAttr("is_causal", 0) != 0;
  int64_t leftWindow = node.getIntAttr("left_window_size", -1);
  int64_t rightWindow = node.getIntAttr("right_window_size", -1);
  bool windowed = leftWindow >= 0 || rightWindow >= 0;
  float softcap = node.getFloatAttr("softcap", 0.0f);
  int64_t qkMode = node.getIntAttr("qk_matmul_output_mode", 0);
  bool wantScores = node.hasOutput(3);

  // Masks.
  MaskBuilder masks(node, floatType);
  if (attnMask) {
    FailureOr<Value> padded = padMask(node, attnMask, skv);
    if (failed(padded) || failed(masks.add(*padded)))
      return failure();
  }
  bool causalFlag = false;
  if (nonpad) {
    FailureOr<Value> mask = createNonpadMask(node, nonpad, sq, skv, causal,
                                             leftWindow, rightWindow);
    if (failed(mask) || failed(masks.add(*mask)))
      return failure();
  } else if (causal || windowed) {
    // Query row i sits at position i + offset among the keys.
    int64_t offset = pastLength;
    if (causal && !windowed && !ShapedType::isDynamic(sq) &&
        !ShapedType::isDynamic(skv) && offset == skv - sq && !wantScores &&
        softcap <= 0.0f) {
      causalFlag = true;
    } else {
      if (ShapedType::isDynamic(sq) || ShapedType::isDynamic(skv)) {
        node.emitError() << "this causal or windowed mask needs static "
                            "sequence lengths";
        return failure();
      }
      Expr mask = createMask(node, sq, skv, [&](int64_t i, int64_t j) {
        int64_t diff = i + offset - j;
        bool allowed = !causal || diff >= 0;
        if (leftWindow >= 0)
          allowed &= diff <= leftWindow;
        if (rightWindow >= 0)
          allowed &= -diff <= rightWindow;
        return allowed;
      });
      if (failed(mask) || failed(masks.add(*mask)))
        return failure();
    }
  }

  Expr result;
  if (!wantScores && softcap <= 0.0f) {
    result = node.create<mllm::AttentionOp>(*query, *key, *value, masks.get(),
                                            scale, causalFlag, qHeads, kvHeads);
  } else {
    // The ONNX function body: scores = (Q * sqrt(scale)) (K * sqrt(scale))^T,
    // softcap, + mask, softmax, times V.
    Expr k = *key, v = *value;
    if (qHeads != kvHeads) {
      if (kvHeads <= 0 || qHeads % kvHeads != 0) {
        node.emitError() << "q heads (" << qHeads << ") must be a multiple "
                         << "of kv heads (" << kvHeads << ")";
        return failure();
      }
      SmallVector<int64_t> heads;
      for (int64_t h = 0; h < qHeads; ++h)
        heads.push_back(h / (qHeads / kvHeads));
      Value indices = node.createConstant(DenseElementsAttr::get(
          RankedTensorType::get({qHeads},
                                IntegerType::get(node.getContext(), 64)),
          ArrayRef(heads)));
      k = node.create<mllm::GatherOp>(*k, indices, 1);
      if (succeeded(k))
        v = node.create<mllm::GatherOp>(*v, indices, 1);
    }
    Value rootScale = node.createScalar(floatType, std::sqrt(scale));
    Expr scores = binary<mllm::MatmulOp>(
        node, binary<mllm::MulOp>(node, *query, rootScale),
        binary<mllm::MulOp>(node,
                            succeeded(k)
                                ? node.create<mllm::TransposeOp>(
                                      *k, ArrayRef<int64_t>{0, 1, 3, 2})
                                : Expr(failure()),
                            rootScale));
    if (softcap > 0.0f) {
      Value cap = node.createScalar(floatType, softcap);
      scores = binary<mllm::MulOp>(
          node,
          unary<mllm::TanhOp>(node, binary<mllm::DivOp>(node, scores, cap)),
          cap);
    }
    Expr scoresOutput = scores;
    if (Expr bias = masks.getAdditive(); succeeded(bias) && *bias)
      scores = binary<mllm::AddOp>(node, scores, *bias);
    if (qkMode == 2)
      scoresOutput = scores;
    Expr probabilities =
        failed(scores) ? scores
                       : node.create<mllm::SoftmaxOp>(*scores, 3,
                                                      /*zeroMaskedRows=*/true);
    if (qkMode == 3)
      scoresOutput = probabilities;
    if (failed(scoresOutput))
      return failure();
    node.setOutput(3, *scoresOutput);
    result = binary<mllm::MatmulOp>(node, probabilities, v);
  }
  if (failed(result))
    return failure();
  if (rank == 3)
    result = mergeHeads(node, result);
  return node.setResult(result);
}

} // namespace

void mllmc::onnx_frontend::registerAttentionOps(OpRegistry &registry) {
  registry.add("Attention", 23, convertAttention,
               "into mllm.attention (3-D or 4-D, GQA, bool or float mask, "
               "causal, past/present KV, nonpad_kv_seqlen, windows); softcap "
               "and qk_matmul_output decomposed");
}
