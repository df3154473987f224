//===- RotaryPatterns.cpp - Rotate-half RoPE → mllm.rotary_embedding ------===//
//
// Anchored on the Concat of rotate_half, the op only RoPE computes:
//
//   r = Concat(Neg(Slice(x, h:D)), Slice(x, 0:h))  (or Slice(Neg(x), h:D))
//   y = Add(Mul(x, cos), Mul(r, sin))              (any operand order)
//
// on the last axis of x = [B, H, S, D], with h = D / 2. `mllm.rotary_embedding`
// takes one angle per pair (k, k + h), so cos and sin must repeat their
// first half in the second (HF: `emb = cat(freqs, freqs)`); this is checked
// on constant caches by evaluating them, and otherwise by finding that
// Concat(f, f) behind elementwise and shape ops. The caches become their
// first halves, as [S, h] (batch 1) or [B, S, h], without position ids: the
// exporter already gathered them by position.
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/RotaryPatterns.h"
#include "passes/Fusion/AttentionConstants.h"
#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Fusion/FusionMatchers.h"
#include "passes/Fusion/FusionReport.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"

#include <limits>

using namespace mlir;
using namespace mllmc;
using namespace mllmc::fusion;

namespace {

constexpr llvm::StringLiteral kPattern = "rotary_embedding";

/// Whether `slice` keeps every dimension but the last whole, with step 1.
bool keepsLeadingDims(mllm::SliceOp slice) {
  ArrayRef<int64_t> shape = getTensorType(slice.getInput()).getShape();
  for (int64_t d = 0, e = int64_t(shape.size()) - 1; d < e; ++d) {
    bool toEnd = ShapedType::isDynamic(shape[d])
                     ? slice.getEnds()[d] == std::numeric_limits<int64_t>::max()
                     : slice.getEnds()[d] >= shape[d];
    if (slice.getStarts()[d] != 0 || !toEnd || slice.getSteps()[d] != 1)
      return false;
  }
  return true;
}

/// The last-axis range [start, end) of `slice` (end clamped to `dim`).
std::pair<int64_t, int64_t> getLastRange(mllm::SliceOp slice, int64_t dim) {
  return {slice.getStarts().back(), std::min(slice.getEnds().back(), dim)};
}

/// rotate_half as the ops write it.
struct RotateHalf {
  Value x;
  mllm::SliceOp high, low;
  SmallVector<Operation *> ops;
};

/// Recognises `Concat(Neg(Slice(x)), Slice(x))` or
/// `Concat(Slice(Neg(x)), Slice(x))`, without checking axes or bounds.
std::optional<RotateHalf> recognizeRotateHalf(mllm::ConcatOp concat) {
  if (concat.getInputs().size() != 2)
    return std::nullopt;
  auto low = concat.getInputs()[1].getDefiningOp<mllm::SliceOp>();
  if (!low)
    return std::nullopt;
  RotateHalf match;
  match.low = low;
  match.x = low.getInput();
  Value first = concat.getInputs()[0];
  if (auto neg = first.getDefiningOp<mllm::NegOp>()) {
    match.high = neg.getInput().getDefiningOp<mllm::SliceOp>();
    if (!match.high || match.high.getInput() != match.x)
      return std::nullopt;
    match.ops = {concat, neg, match.high, low};
    return match;
  }
  match.high = first.getDefiningOp<mllm::SliceOp>();
  auto neg = match.high ? match.high.getInput().getDefiningOp<mllm::NegOp>()
                        : mllm::NegOp();
  if (!neg || neg.getInput() != match.x)
    return std::nullopt;
  match.ops = {concat, match.high, neg, low};
  return match;
}

/// Whether the last axis of `value` (of static size 2 * half) repeats its
/// first half: a constant that does, or `Concat(f, f)` on the last axis,
/// behind elementwise ops (with splat constants) and shape ops that move
/// whole rows.
bool repeatsHalf(Value value, int64_t half, int depth = 0) {
  if (std::optional<attention::ConstantTensor> constant =
          attention::evaluateConstant(value)) {
    const std::vector<double> &v = constant->values;
    for (size_t row = 0; row + 2 * half <= v.size(); row += 2 * half)
      for (int64_t k = 0; k < half; ++k)
        if (v[row + k] != v[row + k + half])
          return false;
    return true;
  }
  Operation *op = value.getDefiningOp();
  if (!op || depth > 16)
    return false;
  int64_t rank = getTensorType(value).getRank();
  auto recurse = [&](Value operand) {
    return repeatsHalf(operand, half, depth + 1);
  };
  if (auto concat = dyn_cast<mllm::ConcatOp>(op))
    return concat.getAxis() == rank - 1 && concat.getInputs().size() == 2 &&
           concat.getInputs()[0] == concat.getInputs()[1];
  if (isa<mllm::CosOp, mllm::SinOp, mllm::NegOp, mllm::CastOp>(op))
    return recurse(op->getOperand(0));
  if (isa<mllm::MulOp, mllm::DivOp, mllm::AddOp, mllm::SubOp>(op)) {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if (getSplatValue(rhs) && lhs.getType() == value.getType())
      return recurse(lhs);
    if (getSplatValue(lhs) && rhs.getType() == value.getType())
      return recurse(rhs);
    return false;
  }
  if (auto reshape = dyn_cast<mllm::ReshapeOp>(op)) {
    auto inputType = getTensorType(reshape.getInput());
    return inputType.getRank() >= 1 &&
           inputType.getShape().back() == 2 * half &&
           getTensorType(value).getShape().back() == 2 * half &&
           recurse(reshape.getInput());
  }
  if (auto transpose = dyn_cast<mllm::TransposeOp>(op))
    return transpose.getPermutation().back() == rank - 1 &&
           recurse(transpose.getInput());
  if (auto gather = dyn_cast<mllm::GatherOp>(op))
    return gather.getAxis() != getTensorType(gather.getData()).getRank() - 1 &&
           recurse(gather.getData());
  if (auto slice = dyn_cast<mllm::SliceOp>(op)) {
    int64_t dim = getTensorType(slice.getInput()).getShape().back();
    return slice.getStarts().back() == 0 && slice.getSteps().back() == 1 &&
           dim == 2 * half && slice.getEnds().back() >= dim &&
           recurse(slice.getInput());
  }
  return false;
}

/// `table` (cos or sin) right-aligned to rank 4 with ones.
SmallVector<int64_t> getPaddedShape(Value table) {
  RankedTensorType type = getTensorType(table);
  SmallVector<int64_t> shape(4 - std::min<int64_t>(type.getRank(), 4), 1);
  llvm::append_range(shape, type.getShape());
  return shape;
}

/// Whether `table` (cos or sin, broadcasting to x = [B, H, S, D]) can be a
/// cache of `mllm.rotary_embedding`: one row of D angles per token, shared by
/// the heads, that repeats its first half. Returns a reason when not.
LogicalResult checkCache(Value table, RankedTensorType xType,
                         llvm::StringRef name, std::string &reason) {
  RankedTensorType type = getTensorType(table);
  ArrayRef<int64_t> x = xType.getShape();
  int64_t headDim = x[3], half = headDim / 2;
  if (type.getRank() > 4 || type.getRank() < 1) {
    reason = (name + " has rank " + Twine(type.getRank()) +
              ", not at most 4 like [B, H, S, D]")
                 .str();
    return failure();
  }
  SmallVector<int64_t> shape = getPaddedShape(table);
  auto same = [](int64_t a, int64_t b) {
    return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
  };
  bool seqOk = same(shape[2], x[2]) && (shape[2] != 1 || x[2] == 1);
  bool batchOk = shape[0] == 1 || same(shape[0], x[0]);
  if (shape[3] != headDim || shape[1] != 1 || !seqOk || !batchOk) {
    reason = (name + " " + formatShape(type.getShape()) +
              " is not one angle table per token shared by the heads of " +
              formatShape(x) + " ([B or 1, 1, S, D])")
                 .str();
    return failure();
  }
  if (!repeatsHalf(table, half)) {
    reason = (name + " does not repeat its first half in its second on the "
                     "last axis (one angle per pair of elements)")
                 .str();
    return failure();
  }
  return success();
}

/// The cache operand of `mllm.rotary_embedding` for a `table` that passed
/// checkCache: its first half, shaped [S, h] when its batch is 1 and
/// [B, S, h] otherwise.
Value createCache(PatternRewriter &rewriter, Location loc, Value table,
                  int64_t half) {
  RankedTensorType type = getTensorType(table);
  SmallVector<int64_t> shape = getPaddedShape(table);
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts(rank, 0), steps(rank, 1), ends;
  for (int64_t dim : type.getShape())
    ends.push_back(
        ShapedType::isDynamic(dim) ? std::numeric_limits<int64_t>::max() : dim);
  ends.back() = half;
  Value first =
      mllm::SliceOp::create(rewriter, loc, table, starts, ends, steps);
  SmallVector<int64_t> cacheShape;
  if (shape[0] != 1)
    cacheShape.push_back(shape[0]);
  cacheShape.append({shape[2], half});
  auto cacheType = RankedTensorType::get(cacheShape, type.getElementType());
  return mllm::ReshapeOp::create(rewriter, loc, cacheType, first);
}

/// `x * cos + rotate_half(x) * sin` → `mllm.rotary_embedding`.
struct FuseRotary : OpRewritePattern<mllm::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    std::optional<RotateHalf> rotate = recognizeRotateHalf(concat);
    if (!rotate)
      return rewriter.notifyMatchFailure(concat, "not rotate_half");
    auto nearMiss = [&](const Twine &reason) {
      return reportNearMiss(rewriter, concat, kFuseAttentionPass, kPattern,
                            "not a rotary embedding: " + reason);
    };
    RankedTensorType xType = getTensorType(rotate->x);
    int64_t rank = xType.getRank();
    if (concat.getAxis() != rank - 1)
      return nearMiss("rotate_half concatenates along axis " +
                      Twine(concat.getAxis()) + ", not the last axis");
    if (!keepsLeadingDims(rotate->high) || !keepsLeadingDims(rotate->low))
      return nearMiss("the halves are not slices of the last axis alone");
    int64_t headDim = xType.getShape().back();
    if (ShapedType::isDynamic(headDim) || headDim % 2 != 0)
      return nearMiss("the last axis has size " +
                      Twine(ShapedType::isDynamic(headDim)
                                ? std::string("?")
                                : std::to_string(headDim)) +
                      ", not a static even size");
    int64_t half = headDim / 2;
    auto [highStart, highEnd] = getLastRange(rotate->high, headDim);
    auto [lowStart, lowEnd] = getLastRange(rotate->low, headDim);
    if (rotate->high.getSteps().back() != 1 ||
        rotate->low.getSteps().back() != 1 || lowStart != 0 ||
        lowEnd != highStart || highEnd != headDim)
      return nearMiss("the halves are [" + Twine(lowStart) + ", " +
                      Twine(lowEnd) + ") and [" + Twine(highStart) + ", " +
                      Twine(highEnd) + ") of the last axis, not [0, " +
                      Twine(half) + ") and [" + Twine(half) + ", " +
                      Twine(headDim) + ")");
    if (lowEnd != half)
      return nearMiss("the halves are split at " + Twine(lowEnd) +
                      ", not at D / 2 = " + Twine(half));

    // y = x * cos + rotate_half(x) * sin.
    auto sinMul = dyn_cast_or_null<mllm::MulOp>(getSingleUser(concat));
    auto add =
        sinMul
            ? dyn_cast_or_null<mllm::AddOp>(getSingleUser(sinMul.getResult()))
            : mllm::AddOp();
    auto cosMul = add ? getOtherOperand(add, sinMul.getResult())
                            .getDefiningOp<mllm::MulOp>()
                      : mllm::MulOp();
    if (!cosMul ||
        (cosMul.getLhs() != rotate->x && cosMul.getRhs() != rotate->x))
      return nearMiss("rotate_half(x) is not multiplied by sin and added to "
                      "x * cos");
    Value sin = getOtherOperand(sinMul, concat.getResult());
    Value cos = getOtherOperand(cosMul, rotate->x);
    if (add.getType() != xType || sinMul.getType() != xType ||
        cosMul.getType() != xType)
      return nearMiss("cos or sin broadcasts x to a larger shape");
    if (rank != 4)
      return nearMiss("x has rank " + Twine(rank) + ", not [B, H, S, D]");
    Type elementType = xType.getElementType();
    if (getTensorType(cos).getElementType() != elementType ||
        getTensorType(sin).getElementType() != elementType)
      return nearMiss("cos and sin do not have the element type of x");

    std::string reason;
    if (failed(checkCache(cos, xType, "cos", reason)) ||
        failed(checkCache(sin, xType, "sin", reason)))
      return nearMiss(reason);

    SmallVector<Operation *> absorbed(rotate->ops);
    absorbed.append({sinMul, cosMul, add});
    Location loc = getFusedLoc(absorbed);
    Value cosCache = createCache(rewriter, loc, cos, half);
    Value sinCache = createCache(rewriter, loc, sin, half);
    auto rotary = mllm::RotaryEmbeddingOp::create(
        rewriter, loc, rotate->x, cosCache, sinCache, /*position_ids=*/Value(),
        /*interleaved=*/false, /*rotary_embedding_dim=*/0, /*num_heads=*/0);
    reportFused(rotary, kFuseAttentionPass, kPattern);
    rewriter.replaceOp(add, rotary.getResult());
    return success();
  }
};

} // namespace

void mllmc::populateFuseRotaryPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseRotary>(patterns.getContext());
}
