//===- AttentionCore.cpp - The scaled-dot-product core --------------------===//
//
// The first layer of `mllm-fuse-attention`: the scaled dot product as every
// exporter writes it,
//
//   s = MatMul(Q, Kᵀ)                  Kᵀ: a Transpose of K, or any tensor
//   s = s * c | c * s | s / c          optional, c a constant (any number)
//   s = s + m | Where(m, s, -inf) | Where(m, -inf, s)   optional, repeated
//   p = Softmax(s, last axis)          Casts around it are looked through
//   o = MatMul(p, V)
//
// on rank-4 [B, H, S, D] tensors, or rank-3 [B*H, S, D] ones (viewed as
// [B*H, 1, S, D]; the heads layer recovers H). The pattern anchors on the
// last MatMul. Scales on Q and K before the MatMul, causal masks, heads and
// repeated key/value heads are left to the layers on top
// (AttentionRefinements.cpp).
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/AttentionConstants.h"
#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Fusion/AttentionUtils.h"
#include "passes/Fusion/FusionReport.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mllmc;
using namespace mllmc::attention;

namespace {

constexpr llvm::StringLiteral kPattern = "attention-core";

/// One mask applied to the scores.
struct MaskTerm {
  Value value;
  /// i1, true = attend (else: added to the scores).
  bool isBoolean = false;
  /// A boolean mask whose true means "masked" (Where(m, -inf, s)).
  bool negated = false;
};

/// What lies between the softmax and QKᵀ.
struct Scores {
  mllm::MatmulOp qk;
  double scale = 1.0;
  SmallVector<MaskTerm> masks;
  /// The ops the attention absorbs, users before producers.
  llvm::SetVector<Operation *> ops;
};

/// Looks through a float-to-float cast (softmax in f32 for f16 models).
Value skipFloatCast(Value value, llvm::SetVector<Operation *> &ops) {
  auto cast = value.getDefiningOp<mllm::CastOp>();
  if (cast && isa<FloatType>(getTensorType(cast.getInput()).getElementType()) &&
      isa<FloatType>(getTensorType(cast.getResult()).getElementType())) {
    ops.insert(cast);
    return cast.getInput();
  }
  return value;
}

/// Whether `value` is computed from a matmul through the ops that may lie
/// between QKᵀ and the softmax: tells the scores side of an Add or Where
/// from the mask side. `visited` holds the values already looked at.
bool comesFromMatmul(Value value, llvm::SmallPtrSetImpl<void *> &visited) {
  Operation *op = value.getDefiningOp();
  if (!op || !visited.insert(value.getAsOpaquePointer()).second)
    return false;
  if (isa<mllm::MatmulOp>(op))
    return true;
  if (!isa<mllm::AddOp, mllm::MulOp, mllm::DivOp, mllm::SelectOp, mllm::CastOp>(
          op))
    return false;
  return llvm::any_of(op->getOperands(), [&](Value operand) {
    return comesFromMatmul(operand, visited);
  });
}

bool comesFromMatmul(Value value) {
  llvm::SmallPtrSet<void *, 16> visited;
  return comesFromMatmul(value, visited);
}

/// Whether `value` is a constant that masks a score out.
bool isMaskedFill(Value value) {
  std::optional<double> fill = getSplatConstant(value);
  return fill && *fill <= kMaskedScoreBound;
}

/// Walks from the softmax input up to QKᵀ; on failure returns the reason.
FailureOr<Scores> matchScores(Value value, std::string &reason) {
  Scores scores;
  llvm::raw_string_ostream why(reason);
  value = skipFloatCast(value, scores.ops);
  // Masks, outermost first.
  while (Operation *op = value.getDefiningOp()) {
    Value next;
    MaskTerm term;
    if (auto add = dyn_cast<mllm::AddOp>(op)) {
      bool lhs = comesFromMatmul(add.getLhs());
      bool rhs = comesFromMatmul(add.getRhs());
      if (lhs == rhs) {
        why << "cannot tell the scores from the mask in an add whose "
            << (lhs ? "both operands come" : "operands do not come")
            << " from a matmul";
        return failure();
      }
      next = lhs ? add.getLhs() : add.getRhs();
      term.value = lhs ? add.getRhs() : add.getLhs();
    } else if (auto select = dyn_cast<mllm::SelectOp>(op)) {
      term.value = select.getCondition();
      term.isBoolean = true;
      if (isMaskedFill(select.getFalseValue())) {
        next = select.getTrueValue();
      } else if (isMaskedFill(select.getTrueValue())) {
        next = select.getFalseValue();
        term.negated = true;
      } else {
        why << "the select around the scores does not fill masked scores "
               "with -inf or a large negative constant (at most "
            << static_cast<int64_t>(kMaskedScoreBound) << ")";
        return failure();
      }
    } else {
      break;
    }
    if (next.getType() != op->getResult(0).getType()) {
      why << "the mask " << formatShape(getTensorType(term.value).getShape())
          << " broadcasts the scores "
          << formatShape(getTensorType(next).getShape()) << " to a larger "
          << "shape";
      return failure();
    }
    scores.ops.insert(op);
    scores.masks.push_back(term);
    value = skipFloatCast(next, scores.ops);
  }
  // The scale, applied to QKᵀ.
  while (auto scaling = matchScaling(value.getDefiningOp())) {
    scores.ops.insert(value.getDefiningOp());
    scores.scale *= scaling->second;
    value = skipFloatCast(scaling->first, scores.ops);
  }
  if (isa_and_nonnull<mllm::AddOp, mllm::SelectOp>(value.getDefiningOp())) {
    why << "a mask is applied before the scale (scale * (QKᵀ + mask))";
    return failure();
  }
  scores.qk = value.getDefiningOp<mllm::MatmulOp>();
  if (!scores.qk) {
    why << "the scores come from ";
    if (Operation *op = value.getDefiningOp())
      why << "'" << op->getName() << "'";
    else
      why << "a block argument";
    why << ", not from a matmul of query and key";
    return failure();
  }
  scores.ops.insert(scores.qk);
  if (auto transpose = scores.qk.getRhs().getDefiningOp<mllm::TransposeOp>())
    scores.ops.insert(transpose);
  return scores;
}

/// The mask of the attention: the terms combined (boolean terms with And,
/// additive ones with Add, a boolean one converted when both kinds occur),
/// cast to `elementType` when additive, viewed with an inserted head dim
/// when the scores had rank 3.
Value buildMask(PatternRewriter &rewriter, Location loc,
                ArrayRef<MaskTerm> terms, Type elementType, bool rank3) {
  Value mask;
  bool maskIsBoolean = false;
  auto toAdditive = [&](Value boolean) {
    auto scalar = RankedTensorType::get({}, elementType);
    auto floatType = cast<FloatType>(elementType);
    Value zero = mllm::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            scalar, APFloat::getZero(floatType.getFloatSemantics())));
    Value masked = mllm::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(scalar,
                               APFloat::getInf(floatType.getFloatSemantics(),
                                               /*Negative=*/true)));
    return mllm::SelectOp::create(rewriter, loc, boolean, zero, masked)
        .getResult();
  };
  for (const MaskTerm &term : terms) {
    Value value = term.value;
    if (term.negated)
      value = mllm::NotOp::create(rewriter, loc, value);
    else if (!term.isBoolean &&
             getTensorType(value).getElementType() != elementType)
      value = mllm::CastOp::create(rewriter, loc, value, elementType);
    if (!mask) {
      mask = value;
      maskIsBoolean = term.isBoolean;
      continue;
    }
    if (maskIsBoolean && term.isBoolean) {
      mask = mllm::AndOp::create(rewriter, loc, mask, value);
      continue;
    }
    if (maskIsBoolean)
      mask = toAdditive(mask);
    if (term.isBoolean)
      value = toAdditive(value);
    mask = mllm::AddOp::create(rewriter, loc, mask, value);
    maskIsBoolean = false;
  }
  RankedTensorType type = mask ? getTensorType(mask) : RankedTensorType();
  if (mask && rank3 && type.getRank() == 3)
    mask = createReshape(
        rewriter, loc, mask,
        {type.getDimSize(0), 1, type.getDimSize(1), type.getDimSize(2)});
  return mask;
}

/// MatMul(Softmax(scores(Q, K)), V) → mllm.attention.
struct FuseScaledDotProduct : OpRewritePattern<mllm::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::MatmulOp output,
                                PatternRewriter &rewriter) const override {
    llvm::SetVector<Operation *> ops;
    ops.insert(output);
    Value probs = skipFloatCast(output.getLhs(), ops);
    auto softmax = probs.getDefiningOp<mllm::SoftmaxOp>();
    if (!softmax)
      return rewriter.notifyMatchFailure(output, "lhs is not a softmax");
    auto nearMiss = [&](const Twine &reason) {
      return reportNearMiss(rewriter, softmax, kFuseAttentionPass, kPattern,
                            reason);
    };
    RankedTensorType outputType = getTensorType(output.getResult());
    int64_t rank = outputType.getRank();
    if (rank != 3 && rank != 4)
      return nearMiss("the attention output has rank " + Twine(rank) +
                      "; only [B, H, S, D] and [B*H, S, D] are raised");
    if (softmax.getAxis() != rank - 1)
      return nearMiss("the softmax runs over axis " + Twine(softmax.getAxis()) +
                      ", not the last axis (" + Twine(rank - 1) +
                      ") of the scores");
    if (!softmax.getResult().hasOneUse())
      return nearMiss("the attention probabilities are also used elsewhere, "
                      "so the softmax must stay");
    ops.insert(softmax);

    std::string reason;
    FailureOr<Scores> scores = matchScores(softmax.getInput(), reason);
    if (failed(scores))
      return nearMiss(reason);
    ops.insert(scores->ops.begin(), scores->ops.end());
    Value query = scores->qk.getLhs(), keyT = scores->qk.getRhs();
    Value value = output.getRhs();
    for (Value operand : {query, keyT, value})
      if (getTensorType(operand).getRank() != rank)
        return nearMiss("query, key and value do not all have the rank " +
                        Twine(rank) +
                        " of the output (batch dimensions "
                        "broadcast)");
    Type elementType = getTensorType(query).getElementType();
    if (outputType.getElementType() != elementType)
      return nearMiss("the output's element type differs from the query's");

    // Check the operand types before creating anything: a pattern that
    // fails must leave the IR as it was. The masks broadcast to the scores
    // by construction (checked in matchScores).
    auto withUnitHeads = [](ArrayRef<int64_t> shape) {
      return SmallVector<int64_t>{shape[0], 1, shape[1], shape[2]};
    };
    SmallVector<int64_t> queryShape(getTensorType(query).getShape());
    SmallVector<int64_t> keyShape(getTensorType(keyT).getShape());
    SmallVector<int64_t> valueShape(getTensorType(value).getShape());
    std::swap(keyShape[rank - 1], keyShape[rank - 2]);
    if (rank == 3) {
      queryShape = withUnitHeads(queryShape);
      keyShape = withUnitHeads(keyShape);
      valueShape = withUnitHeads(valueShape);
    }
    AttentionParts parts;
    parts.scale = scores->scale;
    parts.numHeads = queryShape[1];
    parts.numKvHeads = keyShape[1];
    std::string invalid = checkAttentionTypes(
        getTensorType(query).clone(queryShape),
        getTensorType(keyT).clone(keyShape),
        getTensorType(value).clone(valueShape), RankedTensorType(), parts);
    if (!invalid.empty())
      return nearMiss(invalid);

    Location loc = output.getLoc();
    parts.query = query;
    parts.key = createTransposeLastTwo(rewriter, loc, keyT);
    parts.value = value;
    if (rank == 3) {
      parts.query = createReshape(rewriter, loc, query, queryShape);
      parts.key = createReshape(rewriter, loc, parts.key, keyShape);
      parts.value = createReshape(rewriter, loc, value, valueShape);
    }
    parts.mask =
        buildMask(rewriter, loc, scores->masks, elementType, rank == 3);
    Value result = createAttention(rewriter, parts, ops.getArrayRef());
    if (rank == 3)
      result = createReshape(rewriter, loc, result, outputType.getShape());
    rewriter.replaceOp(output, result);
    eraseUnused(rewriter, ops.getArrayRef().drop_front());
    return success();
  }
};

} // namespace

void mllmc::populateAttentionCorePatterns(RewritePatternSet &patterns) {
  patterns.add<FuseScaledDotProduct>(patterns.getContext());
}
