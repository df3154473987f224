//===- AttentionRefinements.cpp - The layers on top of the core -----------===//
//
// Each pattern rewrites an `mllm.attention` into a better one:
//
//   attention-scale  Q = reshape/transpose(q * c) → Q' = reshape/transpose(q),
//                    scale *= c (CLIP scales the query projection; SDPA
//                    exports split √scale into Q and Kᵀ);
//   attention-mask   a constant mask equal to the bottom-right causal
//                    triangle (or a causal term of an Add/And of masks)
//                    → `causal`; an all-attend constant mask → no mask;
//   attention-heads  [B*H, 1, S, D] views of [B, H, S, D] tensors (the rank-3
//                    core) → the [B, H, S, D] tensors, num_heads = H;
//   attention-gqa    K = reshape(expand(unsqueeze(k))) (repeat_kv) → k,
//                    num_kv_heads = heads of k.
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/AttentionConstants.h"
#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Fusion/AttentionUtils.h"
#include "passes/Fusion/FusionReport.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mllmc;
using namespace mllmc::attention;

namespace {

AttentionParts getParts(mllm::AttentionOp op) {
  AttentionParts parts;
  parts.query = op.getQuery();
  parts.key = op.getKey();
  parts.value = op.getValue();
  parts.mask = op.getMask();
  parts.scale = op.getScale();
  parts.causal = op.getCausal();
  parts.numHeads = op.getNumHeads();
  parts.numKvHeads = op.getNumKvHeads();
  return parts;
}

/// Replaces `op` by the attention of `parts`, reshaped to `op`'s type when
/// its shape differs, and erases `absorbed` ops left unused (users first).
void replaceAttention(PatternRewriter &rewriter, mllm::AttentionOp op,
                      const AttentionParts &parts,
                      ArrayRef<Operation *> absorbed) {
  SmallVector<Operation *> fused = {op};
  fused.append(absorbed.begin(), absorbed.end());
  Value result = createAttention(rewriter, parts, fused);
  result = createReshape(rewriter, op.getLoc(), result,
                         getTensorType(op.getResult()).getShape());
  rewriter.replaceOp(op, result);
  eraseUnused(rewriter, absorbed);
}

//===----------------------------------------------------------------------===//
// attention-scale
//===----------------------------------------------------------------------===//

/// A value that is a constant multiple of another, seen through reshapes
/// and transposes that have no other use.
struct ScaledOperand {
  /// The reshapes and transposes from the operand up, then the scaling.
  SmallVector<Operation *> ops;
  Value unscaled;
  double factor;
};

std::optional<ScaledOperand> matchScaledOperand(Value value) {
  ScaledOperand scaled;
  while (Operation *op = value.getDefiningOp()) {
    if (!op->hasOneUse())
      return std::nullopt;
    scaled.ops.push_back(op);
    if (isa<mllm::ReshapeOp, mllm::TransposeOp>(op)) {
      value = op->getOperand(0);
      continue;
    }
    std::optional<std::pair<Value, double>> scaling = matchScaling(op);
    if (!scaling)
      return std::nullopt;
    scaled.unscaled = scaling->first;
    scaled.factor = scaling->second;
    return scaled;
  }
  return std::nullopt;
}

/// Replays the shape ops of `scaled` on its unscaled value.
Value rebuildUnscaled(PatternRewriter &rewriter, const ScaledOperand &scaled) {
  Value value = scaled.unscaled;
  for (Operation *op : llvm::reverse(ArrayRef(scaled.ops).drop_back())) {
    IRMapping mapping;
    mapping.map(op->getOperand(0), value);
    value = rewriter.clone(*op, mapping)->getResult(0);
  }
  return value;
}

struct FoldQueryKeyScale : OpRewritePattern<mllm::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ScaledOperand> query = matchScaledOperand(op.getQuery());
    std::optional<ScaledOperand> key = matchScaledOperand(op.getKey());
    if (!query && !key)
      return rewriter.notifyMatchFailure(
          op, "no constant factor on the query or key");
    AttentionParts parts = getParts(op);
    for (auto &scaled : {query, key})
      if (scaled)
        parts.scale *= scaled->factor;
    if (!std::isfinite(static_cast<float>(parts.scale)))
      return reportNearMiss(rewriter, op, kFuseAttentionPass, "attention-scale",
                            "folding the query/key factors gives the scale " +
                                std::to_string(parts.scale) +
                                ", not a finite f32");
    SmallVector<Operation *> absorbed;
    if (query) {
      parts.query = rebuildUnscaled(rewriter, *query);
      absorbed.append(query->ops);
    }
    if (key) {
      parts.key = rebuildUnscaled(rewriter, *key);
      absorbed.append(key->ops);
    }
    replaceAttention(rewriter, op, parts, absorbed);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention-mask
//===----------------------------------------------------------------------===//

enum class MaskKind { AllAttend, Causal, Other };

/// Classifies a constant mask for scores [.., sq, skv]: every [sq, skv]
/// plane attends everywhere, or exactly where j <= i + (skv - sq).
MaskKind classifyMask(const ConstantTensor &mask, bool isBoolean, int64_t sq,
                      int64_t skv) {
  ArrayRef<int64_t> shape = mask.shape;
  int64_t rank = shape.size();
  int64_t rows = rank >= 2 ? shape[rank - 2] : 1;
  int64_t cols = rank >= 1 ? shape[rank - 1] : 1;
  if ((rows != 1 && rows != sq) || (cols != 1 && cols != skv))
    return MaskKind::Other;
  int64_t planes =
      rows * cols ? int64_t(mask.values.size()) / (rows * cols) : 0;
  bool allAttend = true, causal = true;
  for (int64_t p = 0; p < planes; ++p) {
    for (int64_t i = 0; i < sq; ++i) {
      for (int64_t j = 0; j < skv; ++j) {
        double v = mask.values[p * rows * cols + (rows == 1 ? 0 : i) * cols +
                               (cols == 1 ? 0 : j)];
        bool attends = isBoolean ? v != 0.0 : v == 0.0;
        bool masked = isBoolean ? v == 0.0 : v <= kMaskedScoreBound;
        if (!attends && !masked)
          return MaskKind::Other;
        allAttend &= attends;
        causal &= attends == (j <= i + (skv - sq));
      }
    }
  }
  if (allAttend)
    return MaskKind::AllAttend;
  return causal ? MaskKind::Causal : MaskKind::Other;
}

struct RaiseCausalMask : OpRewritePattern<mllm::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Value mask = op.getMask();
    if (!mask)
      return rewriter.notifyMatchFailure(op, "no mask");
    int64_t sq = getTensorType(op.getQuery()).getDimSize(2);
    int64_t skv = getTensorType(op.getKey()).getDimSize(2);
    if (ShapedType::isDynamic(sq) || ShapedType::isDynamic(skv))
      return rewriter.notifyMatchFailure(op, "dynamic sequence lengths");
    bool isBoolean = getTensorType(mask).getElementType().isInteger(1);
    auto classify = [&](Value value) {
      std::optional<ConstantTensor> constant = evaluateConstant(value);
      return constant ? classifyMask(*constant, isBoolean, sq, skv)
                      : MaskKind::Other;
    };

    AttentionParts parts = getParts(op);
    SmallVector<Operation *> absorbed;
    MaskKind kind = classify(mask);
    if (kind != MaskKind::Other) {
      parts.mask = nullptr;
    } else if (isa_and_nonnull<mllm::AddOp, mllm::AndOp>(
                   mask.getDefiningOp())) {
      // A causal mask combined with another one (padding, a bias).
      Operation *combine = mask.getDefiningOp();
      for (int i : {0, 1}) {
        kind = classify(combine->getOperand(i));
        if (kind == MaskKind::Other)
          continue;
        parts.mask = combine->getOperand(1 - i);
        absorbed.push_back(combine);
        break;
      }
    }
    if (kind == MaskKind::Other)
      return rewriter.notifyMatchFailure(
          op, "the mask is not (or does not contain) a constant causal or "
              "all-attend mask");
    parts.causal |= kind == MaskKind::Causal;
    if (Operation *producer = mask.getDefiningOp();
        absorbed.empty() && producer)
      absorbed.push_back(producer);
    replaceAttention(rewriter, op, parts, absorbed);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention-heads
//===----------------------------------------------------------------------===//

/// If `value` is a [B*H, 1, S, D] reshape of a [B, H, S, D] tensor, returns
/// the reshape.
mllm::ReshapeOp matchHeadsView(Value value) {
  auto reshape = value.getDefiningOp<mllm::ReshapeOp>();
  if (!reshape)
    return nullptr;
  RankedTensorType in = getTensorType(reshape.getInput());
  RankedTensorType out = getTensorType(reshape.getResult());
  if (in.getRank() != 4 || !in.hasStaticShape() || !out.hasStaticShape() ||
      out.getDimSize(1) != 1 ||
      out.getDimSize(0) != in.getDimSize(0) * in.getDimSize(1) ||
      out.getDimSize(2) != in.getDimSize(2) ||
      out.getDimSize(3) != in.getDimSize(3))
    return nullptr;
  return reshape;
}

struct RecoverHeads : OpRewritePattern<mllm::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumHeads() != 1 || op.getNumKvHeads() != 1)
      return rewriter.notifyMatchFailure(op, "already has heads");
    mllm::ReshapeOp views[] = {matchHeadsView(op.getQuery()),
                               matchHeadsView(op.getKey()),
                               matchHeadsView(op.getValue())};
    if (!views[0] || !views[1] || !views[2])
      return rewriter.notifyMatchFailure(
          op, "query, key and value are not all [B*H, 1, S, D] views of "
              "[B, H, S, D] tensors");
    AttentionParts parts = getParts(op);
    parts.query = views[0].getInput();
    parts.key = views[1].getInput();
    parts.value = views[2].getInput();
    RankedTensorType q = getTensorType(parts.query);
    parts.numHeads = q.getDimSize(1);
    parts.numKvHeads = getTensorType(parts.key).getDimSize(1);
    SmallVector<int64_t> maskShape;
    if (parts.mask) {
      // A per-(batch, head) mask [B*H, 1, Sq, Skv] splits like the query.
      RankedTensorType mask = getTensorType(parts.mask);
      maskShape.assign(mask.getShape().begin(), mask.getShape().end());
      if (mask.getRank() == 4 && mask.getDimSize(0) != 1)
        maskShape = {q.getDimSize(0), q.getDimSize(1), mask.getDimSize(2),
                     mask.getDimSize(3)};
    }
    std::string invalid = checkAttentionTypes(
        q, getTensorType(parts.key), getTensorType(parts.value),
        parts.mask ? getTensorType(parts.mask).clone(maskShape)
                   : RankedTensorType(),
        parts);
    if (!invalid.empty())
      return reportNearMiss(rewriter, op, kFuseAttentionPass, "attention-heads",
                            invalid);
    if (parts.mask)
      parts.mask = createReshape(rewriter, op.getLoc(), parts.mask, maskShape);
    replaceAttention(rewriter, op, parts, {views[0], views[1], views[2]});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention-gqa
//===----------------------------------------------------------------------===//

/// Whether `value` is a constant whose elements all equal `identity`.
bool isSplatOf(Value value, double identity) {
  std::optional<double> splat = getSplatConstant(value);
  return splat && *splat == identity;
}

/// If `expanded` [B, Hkv, g, S, D] repeats a [B, Hkv, 1, S, D] tensor along
/// axis 2 (ONNX Expand, imported as a broadcasting identity op: x + 0,
/// x * 1, x | false; ONNX Tile, imported as a Gather of index 0; or a Concat
/// of copies), returns that tensor and the op.
std::optional<std::pair<Value, Operation *>> matchRepeat(Value expanded) {
  Operation *op = expanded.getDefiningOp();
  if (!op)
    return std::nullopt;
  Value repeated;
  if (auto concat = dyn_cast<mllm::ConcatOp>(op)) {
    if (concat.getAxis() == 2 && llvm::all_equal(concat.getInputs()))
      repeated = concat.getInputs().front();
  } else if (auto gather = dyn_cast<mllm::GatherOp>(op)) {
    // ONNX Tile of the unsqueezed axis: index 0, g times.
    std::optional<ConstantTensor> indices =
        evaluateConstant(gather.getIndices());
    if (gather.getAxis() == 2 && indices &&
        getTensorType(gather.getIndices()).getRank() == 1 &&
        llvm::all_of(indices->values, [](double i) { return i == 0.0; }))
      repeated = gather.getData();
  } else if (isa<mllm::MulOp, mllm::AddOp, mllm::AndOp, mllm::OrOp>(op)) {
    double identity = isa<mllm::MulOp, mllm::AndOp>(op) ? 1.0 : 0.0;
    for (int i : {0, 1})
      if (isSplatOf(op->getOperand(1 - i), identity))
        repeated = op->getOperand(i);
  }
  if (!repeated)
    return std::nullopt;
  ArrayRef<int64_t> in = getTensorType(repeated).getShape();
  ArrayRef<int64_t> out = getTensorType(expanded).getShape();
  if (in.size() != 5 || in[2] != 1 || in.take_front(2) != out.take_front(2) ||
      in.drop_front(3) != out.drop_front(3))
    return std::nullopt;
  return std::make_pair(repeated, op);
}

/// repeat_kv: a [B, Hkv*g, S, D] reshape of [B, Hkv, g, S, D] copies of a
/// [B, Hkv, 1, S, D] tensor.
struct RepeatedHeads {
  /// The unrepeated tensor, [B, Hkv, 1, S, D].
  Value source;
  SmallVector<Operation *> ops;
};

std::optional<RepeatedHeads> matchRepeatKv(Value value) {
  auto merge = value.getDefiningOp<mllm::ReshapeOp>();
  if (!merge)
    return std::nullopt;
  RankedTensorType in = getTensorType(merge.getInput());
  RankedTensorType out = getTensorType(merge.getResult());
  if (in.getRank() != 5 || !in.hasStaticShape() || !out.hasStaticShape() ||
      out.getDimSize(0) != in.getDimSize(0) ||
      out.getDimSize(1) != in.getDimSize(1) * in.getDimSize(2) ||
      out.getShape().drop_front(2) != in.getShape().drop_front(3))
    return std::nullopt;
  std::optional<std::pair<Value, Operation *>> repeat =
      matchRepeat(merge.getInput());
  if (!repeat)
    return std::nullopt;
  return RepeatedHeads{repeat->first, {merge, repeat->second}};
}

struct UnrepeatKeyValue : OpRewritePattern<mllm::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<RepeatedHeads> key = matchRepeatKv(op.getKey());
    std::optional<RepeatedHeads> value = matchRepeatKv(op.getValue());
    if (!key && !value)
      return rewriter.notifyMatchFailure(op, "key and value are not repeated");
    auto nearMiss = [&](const Twine &reason) {
      return reportNearMiss(rewriter, op, kFuseAttentionPass, "attention-gqa",
                            reason);
    };
    if (!key || !value)
      return nearMiss(Twine(key ? "the key" : "the value") +
                      " repeats its heads (repeat_kv) but the " +
                      (key ? "value" : "key") + " does not");
    ArrayRef<int64_t> keyShape = getTensorType(key->source).getShape();
    ArrayRef<int64_t> valueShape = getTensorType(value->source).getShape();
    if (keyShape[1] != valueShape[1])
      return nearMiss("the key repeats " + Twine(keyShape[1]) +
                      " heads but the value " + Twine(valueShape[1]));
    AttentionParts parts = getParts(op);
    parts.numKvHeads = keyShape[1];
    SmallVector<int64_t> k = {keyShape[0], keyShape[1], keyShape[3],
                              keyShape[4]};
    SmallVector<int64_t> v = {valueShape[0], valueShape[1], valueShape[3],
                              valueShape[4]};
    std::string invalid = checkAttentionTypes(
        getTensorType(parts.query), getTensorType(key->source).clone(k),
        getTensorType(value->source).clone(v),
        parts.mask ? getTensorType(parts.mask) : RankedTensorType(), parts);
    if (!invalid.empty())
      return nearMiss(invalid);
    parts.key = createReshape(rewriter, op.getLoc(), key->source, k);
    parts.value = createReshape(rewriter, op.getLoc(), value->source, v);
    SmallVector<Operation *> absorbed(key->ops);
    absorbed.append(value->ops);
    replaceAttention(rewriter, op, parts, absorbed);
    return success();
  }
};

} // namespace

void mllmc::populateAttentionRefinementPatterns(RewritePatternSet &patterns) {
  patterns
      .add<FoldQueryKeyScale, RaiseCausalMask, RecoverHeads, UnrepeatKeyValue>(
          patterns.getContext());
}

void mllmc::populateFuseAttentionPatterns(RewritePatternSet &patterns) {
  populateAttentionCorePatterns(patterns);
  populateAttentionRefinementPatterns(patterns);
}
