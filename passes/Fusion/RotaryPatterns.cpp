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
// The interleaved form (GPT-J rotate_every_two) pairs neighbours,
//
//   r = Reshape(Concat(Unsqueeze(Neg(x[..., 1::2])), Unsqueeze(x[..., 0::2])))
//
// with constant cos and sin that repeat each angle twice; the caches are
// their even elements.
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

/// rotate_half (or, interleaved, rotate_every_two) as the ops write it.
struct RotateHalf {
  Value x;
  /// The negated part (x[..., h:] or the odd elements) and the other.
  mllm::SliceOp high, low;
  /// rotate_half(x), of the type of x.
  Value rotated;
  bool interleaved = false;
  SmallVector<Operation *> ops;
};

/// The input of `value = Reshape(input)` when that appends a unit dimension
/// (Unsqueeze(input, -1)), or null.
Value getUnsqueezed(Value value) {
  auto reshape = value.getDefiningOp<mllm::ReshapeOp>();
  if (!reshape)
    return Value();
  ArrayRef<int64_t> in = getTensorType(reshape.getInput()).getShape();
  ArrayRef<int64_t> out = getTensorType(value).getShape();
  if (out.size() != in.size() + 1 || out.back() != 1 || out.drop_back() != in ||
      llvm::count(in, ShapedType::kDynamic) > 0)
    return Value();
  return reshape.getInput();
}

/// Recognises `Concat(Neg(Slice(x)), Slice(x))` or
/// `Concat(Slice(Neg(x)), Slice(x))`, and the interleaved
/// `Reshape(Concat(Unsqueeze(Neg(Slice(x))), Unsqueeze(Slice(x))))`, without
/// checking axes or bounds.
std::optional<RotateHalf> recognizeRotateHalf(mllm::ConcatOp concat) {
  if (concat.getInputs().size() != 2)
    return std::nullopt;
  RotateHalf match;
  match.ops.push_back(concat);
  Value first = concat.getInputs()[0], second = concat.getInputs()[1];
  Value firstInner = getUnsqueezed(first), secondInner = getUnsqueezed(second);
  if (firstInner && secondInner) {
    match.interleaved = true;
    match.ops.append({first.getDefiningOp(), second.getDefiningOp()});
    first = firstInner;
    second = secondInner;
  }
  match.low = second.getDefiningOp<mllm::SliceOp>();
  if (!match.low)
    return std::nullopt;
  match.x = match.low.getInput();
  if (auto negFirst = first.getDefiningOp<mllm::NegOp>()) {
    // Neg(Slice(x)).
    match.high = negFirst.getInput().getDefiningOp<mllm::SliceOp>();
    if (!match.high || match.high.getInput() != match.x)
      return std::nullopt;
    match.ops.append({negFirst, match.high, match.low});
  } else {
    // Slice(Neg(x)).
    match.high = first.getDefiningOp<mllm::SliceOp>();
    auto negInside = match.high
                         ? match.high.getInput().getDefiningOp<mllm::NegOp>()
                         : mllm::NegOp();
    if (!negInside || negInside.getInput() != match.x)
      return std::nullopt;
    match.ops.append({match.high, negInside, match.low});
  }
  match.rotated = concat.getResult();
  if (!match.interleaved)
    return match;
  // Flatten the [..., h, 2] pairs back to [..., D].
  auto flatten = dyn_cast_or_null<mllm::ReshapeOp>(getSingleUser(concat));
  if (!flatten || flatten.getType() != match.x.getType())
    return std::nullopt;
  match.ops.push_back(flatten);
  match.rotated = flatten.getResult();
  return match;
}

/// Whether the last axis of constant `value` repeats each element once
/// (cos[2k] = cos[2k + 1], what repeat_interleave gives).
bool repeatsPairs(Value value) {
  std::optional<attention::ConstantTensor> constant =
      attention::evaluateConstant(value);
  if (!constant)
    return false;
  const std::vector<double> &v = constant->values;
  for (size_t i = 0; i + 1 < v.size(); i += 2)
    if (v[i] != v[i + 1])
      return false;
  return true;
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
LogicalResult checkCache(Value table, RankedTensorType xType, bool interleaved,
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
  if (interleaved && !repeatsPairs(table)) {
    reason = (name + " is not a constant that repeats each angle for a pair "
                     "of neighbours on the last axis")
                 .str();
    return failure();
  }
  if (!interleaved && !repeatsHalf(table, half)) {
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
                  int64_t half, bool interleaved) {
  RankedTensorType type = getTensorType(table);
  SmallVector<int64_t> shape = getPaddedShape(table);
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts(rank, 0), steps(rank, 1), ends;
  for (int64_t dim : type.getShape())
    ends.push_back(
        ShapedType::isDynamic(dim) ? std::numeric_limits<int64_t>::max() : dim);
  // The first half, or (interleaved) the even elements.
  if (interleaved)
    steps.back() = 2;
  else
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
    int64_t lastAxis = getTensorType(concat).getRank() - 1;
    if (concat.getAxis() != lastAxis)
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
    if (rotate->interleaved) {
      if (rotate->high.getSteps().back() != 2 ||
          rotate->low.getSteps().back() != 2 ||
          rotate->low.getStarts().back() != 0 ||
          rotate->high.getStarts().back() != 1 ||
          rotate->low.getEnds().back() < headDim - 1 ||
          rotate->high.getEnds().back() < headDim)
        return nearMiss("the interleaved halves are not the even and odd "
                        "elements of the last axis");
    } else {
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
    }

    // y = x * cos + rotate_half(x) * sin.
    auto sinMul = dyn_cast_or_null<mllm::MulOp>(getSingleUser(rotate->rotated));
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
    Value sin = getOtherOperand(sinMul, rotate->rotated);
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
    bool interleaved = rotate->interleaved;
    if (failed(checkCache(cos, xType, interleaved, "cos", reason)) ||
        failed(checkCache(sin, xType, interleaved, "sin", reason)))
      return nearMiss(reason);

    SmallVector<Operation *> absorbed(rotate->ops);
    absorbed.append({sinMul, cosMul, add});
    Location loc = getFusedLoc(absorbed);
    Value cosCache = createCache(rewriter, loc, cos, half, interleaved);
    Value sinCache = createCache(rewriter, loc, sin, half, interleaved);
    auto rotary = mllm::RotaryEmbeddingOp::create(
        rewriter, loc, rotate->x, cosCache, sinCache, /*position_ids=*/Value(),
        interleaved, /*rotary_embedding_dim=*/0, /*num_heads=*/0);
    reportFused(rotary, kFuseAttentionPass, kPattern);
    rewriter.replaceOp(add, rotary.getResult());
    return success();
  }
};

} // namespace

void mllmc::populateFuseRotaryPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseRotary>(patterns.getContext());
}
