//===- MicrosoftAttention.cpp - ONNX Runtime's attention contrib ops ------===//
//
// com.microsoft MultiHeadAttention and GroupQueryAttention, which ONNX
// Runtime's transformer optimizer and its GenAI model builder write, import
// into one mllm.attention each: 3-D inputs are split into heads, past key and
// value are concatenated in front of the new ones (returned as present key
// and value), and the masks become mllm.attention's `causal` or its mask
// operand.
//
// MultiHeadAttention: Q [B, S, N * H], K/V [B, L, N * H] (or K/V already
// split as [B, N, L, H]), the projection bias [3 * N * H] split over Q, K and
// V, key_padding_mask ([B] key lengths, [B, T] or [B, S, T] with 0 =
// padding, which adds mask_filter_value to the scores as ONNX Runtime does),
// attention_bias, past/present key and value, unidirectional. Packed QKV/KV
// (which ONNX Runtime's CPU kernel lacks too), past buffer sharing
// (past_sequence_length), beam search (cache_indirection) and the qk output
// are rejected.
//
// GroupQueryAttention: the KV cache must be dense, as in models run with
// separate past and present buffers: every batch entry holds the same past
// length P (the static length of past_key), so that seqlens_k[b] + 1 = P + S
// and total_sequence_length = P + S. Those two inputs are then implied by
// the shapes and not read (a constant one is checked). The query is at
// positions P .. P + S - 1: causal is mllm.attention's bottom-right mask,
// local_window_size adds a constant window mask, do_rotary rotates Q and K
// with mllm.rotary_embedding from position P. Supported too: packed QKV,
// scale, attention_bias, causal = 0. Rejected with a message: softcap,
// smooth_softmax and head_sink, the qk output, a quantized or windowed KV
// cache, position_ids, per-head Q/K norms and query_seqlens.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/AttentionUtils.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <limits>

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// Emits "<what> is not supported[; hint]" when `unsupported` holds.
LogicalResult reject(NodeContext &node, bool unsupported, StringRef what,
                     StringRef hint = "") {
  if (!unsupported)
    return success();
  InFlightDiagnostic diag = node.emitError();
  diag << "not supported: " << what;
  if (!hint.empty())
    diag << "; " << hint;
  return failure();
}

/// Rejects the optional input `index` (`what`) when the node gives it.
LogicalResult rejectInput(NodeContext &node, unsigned index, StringRef what,
                          StringRef hint = "") {
  return reject(node, bool(node.getInput(index)), what, hint);
}

/// Elements [begin, end) of the last dimension of `input`.
Expr sliceLast(NodeContext &node, Expr input, int64_t begin, int64_t end) {
  if (failed(input))
    return failure();
  return sliceAxis(node, input, NodeContext::getType(*input).getRank() - 1,
                   begin, end);
}

/// The `scale` attribute, or 1 / sqrt(head size) when it is absent or 0 (as
/// ONNX Runtime reads it).
FailureOr<float> getScale(NodeContext &node, Value query) {
  float scale = node.getFloatAttr("scale", 0.0f);
  if (scale != 0.0f)
    return scale;
  int64_t headSize = NodeContext::getType(query).getDimSize(3);
  if (ShapedType::isDynamic(headSize)) {
    node.emitError() << "the head size must be static (or give 'scale')";
    return failure();
  }
  return 1.0f / std::sqrt(float(headSize));
}

/// Concatenates the past key and value in front of the new ones and binds
/// the present outputs 1 and 2 to the results.
LogicalResult appendPast(NodeContext &node, Value pastKey, Value pastValue,
                         Expr &key, Expr &value) {
  if (bool(pastKey) != bool(pastValue)) {
    node.emitError() << "past_key and past_value must be given together";
    return failure();
  }
  if (pastKey && succeeded(key) && succeeded(value)) {
    key = node.create<mllm::ConcatOp>(ValueRange{pastKey, *key}, 2);
    value = node.create<mllm::ConcatOp>(ValueRange{pastValue, *value}, 2);
  }
  if (failed(key) || failed(value))
    return failure();
  node.setOutput(1, *key);
  node.setOutput(2, *value);
  return success();
}

//===----------------------------------------------------------------------===//
// MultiHeadAttention
//===----------------------------------------------------------------------===//

/// key_padding_mask as an additive [B, 1, Sq|1, Skv] float mask: 0 where a
/// key is attended, mask_filter_value where it is padding.
FailureOr<Value> createKeyPaddingMask(NodeContext &node, Value mask,
                                      Type floatType, int64_t batch,
                                      int64_t skv) {
  RankedTensorType type = NodeContext::getType(mask);
  Expr allowed;
  if (type.getRank() == 1) {
    // [B] key lengths: key j is attended when j < length[b].
    int64_t size = type.getDimSize(0);
    if (ShapedType::isDynamic(skv) ||
        (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(batch) &&
         size != batch)) {
      node.emitError() << "not supported: a 1-D key_padding_mask of type "
                       << type << " other than [batch] key lengths with a "
                       << "static key length (e.g. the [3 * batch + 2] form)";
      return failure();
    }
    Expr lengths =
        node.createWithType<mllm::ReshapeOp>(type.clone({size, 1, 1, 1}), mask);
    SmallVector<Attribute> bounds;
    for (int64_t j = 0; j < skv; ++j)
      bounds.push_back(IntegerAttr::get(type.getElementType(), j + 1));
    Value bound = node.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({1, 1, 1, skv}, type.getElementType()), bounds));
    allowed = cmp(node, mllm::CmpPredicate::le, bound, lengths);
  } else if (type.getRank() == 2 || type.getRank() == 3) {
    // [B, T] or [B, S, T]: 0 is padding.
    SmallVector<int64_t> shape{type.getDimSize(0), 1};
    if (type.getRank() == 2)
      shape.push_back(1);
    llvm::append_range(shape, type.getShape().drop_front());
    allowed = cmp(node, mllm::CmpPredicate::ne,
                  node.createWithType<mllm::ReshapeOp>(type.clone(shape), mask),
                  scalar(node, mask, 0));
  } else {
    node.emitError() << "key_padding_mask must be 1-D, 2-D or 3-D, got "
                     << type;
    return failure();
  }
  float filter = node.getFloatAttr("mask_filter_value", -10000.0f);
  return select(node, allowed, node.createScalar(floatType, 0.0),
                node.createScalar(floatType, filter));
}

LogicalResult convertMultiHeadAttention(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 10)))
    return failure();
  FailureOr<Value> query = node.getRequiredInput(0);
  if (failed(query))
    return failure();
  Value key = node.getInput(1), value = node.getInput(2),
        bias = node.getInput(3), paddingMask = node.getInput(4),
        attentionBias = node.getInput(5), pastKey = node.getInput(6),
        pastValue = node.getInput(7);
  RankedTensorType queryType = NodeContext::getType(*query);
  if (failed(reject(node, queryType.getRank() == 5 || !key,
                    "packed QKV (a 5-D query without key and value)",
                    "unpack Q, K and V")) ||
      failed(reject(node, key && NodeContext::getType(key).getRank() == 5,
                    "packed KV (a 5-D key)", "unpack K and V")) ||
      failed(rejectInput(node, 8,
                         "past_sequence_length (past and present "
                         "sharing one buffer)")) ||
      failed(rejectInput(node, 9, "cache_indirection (beam search)")) ||
      failed(reject(node, node.hasOutput(3), "the qk output")))
    return failure();
  if (!value || queryType.getRank() != 3) {
    node.emitError() << "expected a 3-D query, a key and a value";
    return failure();
  }
  int64_t heads = node.getIntAttr("num_heads", 0);
  if (heads <= 0) {
    node.emitError() << "num_heads must be positive, got " << heads;
    return failure();
  }

  Expr q = *query, k = key, v = value;
  int64_t keyRank = NodeContext::getType(key).getRank();
  if (keyRank == 3) {
    if (bias) {
      // bias = [Q bias, K bias, V bias] of the hidden sizes.
      int64_t qHidden = queryType.getDimSize(2);
      int64_t kHidden = NodeContext::getType(key).getDimSize(2);
      int64_t vHidden = NodeContext::getType(value).getDimSize(2);
      if (ShapedType::isDynamic(qHidden) || ShapedType::isDynamic(kHidden) ||
          ShapedType::isDynamic(vHidden)) {
        node.emitError() << "bias needs static hidden sizes of Q, K and V";
        return failure();
      }
      q = binary<mllm::AddOp>(node, q, sliceLast(node, bias, 0, qHidden));
      k = binary<mllm::AddOp>(
          node, k, sliceLast(node, bias, qHidden, qHidden + kHidden));
      v = binary<mllm::AddOp>(node, v,
                              sliceLast(node, bias, qHidden + kHidden,
                                        qHidden + kHidden + vHidden));
    }
    if (succeeded(k))
      k = splitHeads(node, *k, heads, "key");
    if (succeeded(v))
      v = splitHeads(node, *v, heads, "value");
  } else if (keyRank == 4) {
    // K and V already in [B, N, L, H] (cross attention with cached K/V).
    if (failed(reject(node, bool(bias), "bias with a 4-D key and value")) ||
        failed(reject(node, bool(pastKey), "past_key with a 4-D key")))
      return failure();
    if (NodeContext::getType(value).getRank() != 4) {
      node.emitError() << "a 4-D key needs a 4-D value";
      return failure();
    }
  } else {
    node.emitError() << "the key must be 3-D or 4-D, got "
                     << NodeContext::getType(key);
    return failure();
  }
  if (succeeded(q))
    q = splitHeads(node, *q, heads, "query");
  if (failed(q) || failed(k) || failed(v))
    return failure();
  int64_t newKeys = NodeContext::getType(*k).getDimSize(2);
  if (failed(appendPast(node, pastKey, pastValue, k, v)))
    return failure();
  FailureOr<float> scale = getScale(node, *q);
  if (failed(scale))
    return failure();

  RankedTensorType qType = NodeContext::getType(*q);
  Type floatType = qType.getElementType();
  int64_t sq = qType.getDimSize(2);
  int64_t skv = NodeContext::getType(*k).getDimSize(2);
  MaskBuilder masks(node, floatType);
  if (paddingMask) {
    FailureOr<Value> mask = createKeyPaddingMask(node, paddingMask, floatType,
                                                 qType.getDimSize(0), skv);
    if (failed(mask) || failed(masks.add(*mask)))
      return failure();
  }
  if (attentionBias && failed(masks.add(attentionBias)))
    return failure();
  // unidirectional: query row i attends the keys up to past length + i,
  // which is mllm.attention's bottom-right causal mask when the new keys are
  // as many as the queries.
  bool causal = node.getIntAttr("unidirectional", 0) != 0;
  if (causal && (ShapedType::isDynamic(sq) || newKeys != sq)) {
    node.emitError() << "not supported: unidirectional with a key sequence "
                        "of another length than the query's ("
                     << newKeys << " vs " << sq << ")";
    return failure();
  }
  return node.setResult(mergeHeads(
      node, node.create<mllm::AttentionOp>(*q, *k, *v, masks.get(), *scale,
                                           causal, heads, heads)));
}

//===----------------------------------------------------------------------===//
// GroupQueryAttention
//===----------------------------------------------------------------------===//

/// Rejects the attributes and inputs of GroupQueryAttention that have no
/// mllm counterpart.
LogicalResult checkGroupQueryAttentionSupport(NodeContext &node) {
  auto quantType = [&](StringRef name) {
    std::string type = node.getStringAttr(name, "NONE");
    return type != "NONE";
  };
  return success(
      succeeded(
          reject(node, node.getFloatAttr("softcap", 0.0f) > 0.0f, "softcap")) &&
      succeeded(reject(node, node.getIntAttr("smooth_softmax", 0) == 1,
                       "smooth_softmax")) &&
      succeeded(rejectInput(node, 11, "head_sink")) &&
      succeeded(reject(
          node, node.getIntAttr("qk_output", 0) != 0 || node.hasOutput(3),
          "qk_output (the output_qk output)")) &&
      succeeded(reject(node,
                       node.getAttr("kv_cache_bit_width") ||
                           quantType("k_quant_type") ||
                           quantType("v_quant_type") || node.getInput(12) ||
                           node.getInput(13),
                       "a quantized KV cache (kv_cache_bit_width, "
                       "k_quant_type, v_quant_type, k_scale, v_scale)")) &&
      succeeded(reject(node, node.getIntAttr("sliding_window_cache", 0) == 1,
                       "sliding_window_cache = 1 (a window-sized KV cache)",
                       "use a full-length cache; local_window_size is "
                       "supported")) &&
      succeeded(rejectInput(node, 9, "position_ids",
                            "positions are implied: past length + token "
                            "index")) &&
      succeeded(rejectInput(node, 14, "q_norm_weight (per-head Q/K RMS norm)",
                            "keep the norms as SimplifiedLayerNormalization "
                            "nodes")) &&
      succeeded(rejectInput(node, 15, "k_norm_weight (per-head Q/K RMS norm)",
                            "keep the norms as SimplifiedLayerNormalization "
                            "nodes")) &&
      succeeded(rejectInput(node, 16,
                            "query_seqlens (right-padded query "
                            "chunks)")));
}

/// Checks that constant seqlens_k and total_sequence_length describe the
/// dense cache this import implements: P + S tokens in every batch entry.
LogicalResult checkDenseCache(NodeContext &node, int64_t past, int64_t sq) {
  if (ShapedType::isDynamic(past) || ShapedType::isDynamic(sq))
    return success();
  int64_t total = past + sq;
  if (std::optional<SmallVector<int64_t>> lengths = node.getConstantInts(5)) {
    for (int64_t length : *lengths) {
      if (length + 1 != total) {
        node.emitError() << "not supported: seqlens_k = " << length
                         << " (a ragged batch or a shared past/present "
                            "buffer); only a dense KV cache is supported, "
                            "seqlens_k = past length + sequence length - 1 = "
                         << total - 1;
        return failure();
      }
    }
  }
  if (std::optional<SmallVector<int64_t>> length = node.getConstantInts(6)) {
    if (length->size() != 1 || length->front() != total) {
      node.emitError() << "not supported: total_sequence_length other than "
                          "past length + sequence length = "
                       << total;
      return failure();
    }
  }
  return success();
}

/// Rotates the [B, H, S, D] `input` from position `past` (do_rotary).
Expr rotate(NodeContext &node, Expr input, Value cos, Value sin, Value offset,
            bool interleaved) {
  if (failed(input))
    return failure();
  int64_t headSize = NodeContext::getType(*input).getDimSize(3);
  int64_t rotaryDim = 2 * NodeContext::getType(cos).getDimSize(1);
  return node.create<mllm::RotaryEmbeddingOp>(
      *input, cos, sin, offset, interleaved,
      rotaryDim == headSize ? 0 : rotaryDim, /*numHeads=*/0);
}

LogicalResult convertGroupQueryAttention(NodeContext &node) {
  if (failed(node.checkNumInputs(7, 17)) ||
      failed(checkGroupQueryAttentionSupport(node)))
    return failure();
  FailureOr<Value> query = node.getRequiredInput(0);
  if (failed(query))
    return failure();
  Value key = node.getInput(1), value = node.getInput(2),
        pastKey = node.getInput(3), pastValue = node.getInput(4),
        attentionBias = node.getInput(10);
  int64_t heads = node.getIntAttr("num_heads", 0);
  int64_t kvHeads = node.getIntAttr("kv_num_heads", 0);
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
    node.emitError() << "num_heads (" << heads << ") must be a positive "
                     << "multiple of kv_num_heads (" << kvHeads << ")";
    return failure();
  }
  int64_t causalAttr = node.getIntAttr("causal", 1);
  int64_t window = node.getIntAttr("local_window_size", -1);
  if (causalAttr != 0 && causalAttr != 1) {
    node.emitError() << "'causal' must be 0 or 1, got " << causalAttr;
    return failure();
  }
  if (causalAttr == 0 && window != -1) {
    node.emitError() << "local_window_size must be -1 when causal = 0";
    return failure();
  }
  RankedTensorType queryType = NodeContext::getType(*query);
  if (queryType.getRank() != 3) {
    node.emitError() << "expected a 3-D query, got " << queryType;
    return failure();
  }

  Expr q = *query, k = key, v = value;
  if (!key) {
    // Packed QKV: [B, S, (heads + 2 * kvHeads) * D].
    int64_t packed = queryType.getDimSize(2);
    int64_t parts = heads + 2 * kvHeads;
    if (value || ShapedType::isDynamic(packed) || packed % parts != 0) {
      node.emitError() << "a packed QKV query (no key) needs no value and a "
                          "static last dimension divisible by num_heads + 2 "
                          "* kv_num_heads, got "
                       << queryType;
      return failure();
    }
    int64_t headSize = packed / parts;
    q = sliceLast(node, *query, 0, heads * headSize);
    k = sliceLast(node, *query, heads * headSize, (heads + kvHeads) * headSize);
    v = sliceLast(node, *query, (heads + kvHeads) * headSize, packed);
  } else if (!value) {
    node.emitError() << "a key needs a value";
    return failure();
  }
  if (succeeded(q))
    q = splitHeads(node, *q, heads, "query");
  if (succeeded(k))
    k = splitHeads(node, *k, kvHeads, "key");
  if (succeeded(v))
    v = splitHeads(node, *v, kvHeads, "value");
  if (failed(q) || failed(k) || failed(v))
    return failure();

  int64_t sq = NodeContext::getType(*q).getDimSize(2);
  int64_t past = pastKey ? NodeContext::getType(pastKey).getDimSize(2) : 0;
  if (NodeContext::getType(*k).getDimSize(2) != sq) {
    node.emitError() << "not supported: a key sequence of another length "
                        "than the query's";
    return failure();
  }
  if (failed(checkDenseCache(node, past, sq)))
    return failure();

  if (node.getIntAttr("do_rotary", 0) == 1) {
    Value cos = node.getInput(7), sin = node.getInput(8);
    if (!cos || !sin) {
      node.emitError() << "do_rotary = 1 needs cos_cache and sin_cache";
      return failure();
    }
    RankedTensorType cosType = NodeContext::getType(cos);
    if (cosType.getRank() != 2 || cosType.isDynamicDim(1)) {
      node.emitError() << "cos_cache must be 2-D [max_sequence, rotary_dim / "
                          "2] with a static width, got "
                       << cosType;
      return failure();
    }
    if (ShapedType::isDynamic(past)) {
      node.emitError() << "not supported: do_rotary with a dynamic past "
                          "sequence length (the first position); bind the "
                          "shape of past_key";
      return failure();
    }
    Value offset = node.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({1}, IntegerType::get(node.getContext(), 64)),
        ArrayRef<int64_t>{past}));
    bool interleaved = node.getIntAttr("rotary_interleaved", 0) == 1;
    q = rotate(node, q, cos, sin, offset, interleaved);
    k = rotate(node, k, cos, sin, offset, interleaved);
  }
  if (failed(appendPast(node, pastKey, pastValue, k, v)))
    return failure();
  FailureOr<float> scale = getScale(node, *q);
  if (failed(scale))
    return failure();

  MaskBuilder masks(node, NodeContext::getType(*q).getElementType());
  if (attentionBias && failed(masks.add(attentionBias)))
    return failure();
  bool causal = causalAttr == 1;
  if (causal && window > 0) {
    // Query row i at position past + i attends the local_window_size keys
    // ending at its own: 0 <= past + i - j < local_window_size (as ONNX
    // Runtime 1.32's CPU kernel computes it).
    int64_t skv = NodeContext::getType(*k).getDimSize(2);
    if (ShapedType::isDynamic(sq) || ShapedType::isDynamic(skv)) {
      node.emitError() << "not supported: local_window_size with dynamic "
                          "sequence lengths";
      return failure();
    }
    Expr mask = createMask(node, sq, skv, [&](int64_t i, int64_t j) {
      int64_t distance = i + past - j;
      return distance >= 0 && distance < window;
    });
    if (failed(mask) || failed(masks.add(*mask)))
      return failure();
    causal = false;
  }
  return node.setResult(mergeHeads(
      node, node.create<mllm::AttentionOp>(*q, *k, *v, masks.get(), *scale,
                                           causal, heads, kvHeads)));
}

} // namespace

void mllmc::onnx_frontend::registerMicrosoftAttentionOps(OpRegistry &registry) {
  registry.add("MultiHeadAttention", 1, convertMultiHeadAttention,
               "ONNX Runtime contrib op, into mllm.attention: 3-D Q/K/V or "
               "4-D [B, N, L, H] K/V, bias, key_padding_mask ([B], [B, T], "
               "[B, S, T]), attention_bias, past/present KV, unidirectional; "
               "no packed QKV/KV, past buffer sharing, beam search or qk "
               "output",
               "com.microsoft");
  registry.add("GroupQueryAttention", 1, convertGroupQueryAttention,
               "ONNX Runtime contrib op, into mllm.attention: dense KV cache "
               "(seqlens_k + 1 = past + new length in every batch entry), "
               "packed QKV, causal or not, local_window_size, do_rotary, "
               "attention_bias; no softcap, smooth softmax, head_sink, qk "
               "output, quantized or windowed cache, position_ids, Q/K norms",
               "com.microsoft");
}
