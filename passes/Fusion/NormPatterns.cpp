//===- NormPatterns.cpp - LayerNorm and RMSNorm decompositions ------------===//
//
// Anchored on `mean(d²)`, the reduction only norms compute:
//
//   LayerNorm (torch.onnx before opset 17):
//     m = ReduceMean(x); d = Sub(x, m); v = ReduceMean(Pow(d, 2))
//     n = Div(d, Sqrt(Add(v, eps)))      y = Add(Mul(n, gamma), beta)
//   RMSNorm (LLaMA, Qwen, T5 modeling code):
//     v = ReduceMean(Pow(x, 2))
//     n = Mul(x, Rsqrt(Add(v, eps)))     y = Mul(weight, n)
//
// with `Mul(d, d)` for the square and `Div(d, Sqrt)`, `Mul(d, Rsqrt)`,
// `Mul(d, Reciprocal(Sqrt))` or `Mul(d, Div(1, Sqrt))` for the division.
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/NormPatterns.h"
#include "passes/Fusion/FusionMatchers.h"
#include "passes/Fusion/FusionReport.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mllmc;
using namespace mllmc::fusion;

namespace {

/// Whether `mean` reduces the trailing dims of its input with keepdims (what
/// a norm over the last dims does); returns the first reduced axis.
std::optional<int64_t> getTrailingAxis(mllm::ReduceMeanOp mean) {
  ArrayRef<int64_t> axes = mean.getAxes();
  int64_t rank = getTensorType(mean.getInput()).getRank();
  if (!mean.getKeepdims() || axes.empty() || axes.back() != rank - 1)
    return std::nullopt;
  for (auto [i, axis] : llvm::enumerate(axes))
    if (axis != axes.front() + int64_t(i))
      return std::nullopt;
  return axes.front();
}

/// The value squared by `square` (Pow(d, 2) or Mul(d, d)), or null.
Value getSquared(Value square) {
  if (auto pow = square.getDefiningOp<mllm::PowOp>()) {
    std::optional<double> exponent = getSplatValue(pow.getRhs());
    return exponent && *exponent == 2.0 ? pow.getLhs() : Value();
  }
  if (auto mul = square.getDefiningOp<mllm::MulOp>())
    return mul.getLhs() == mul.getRhs() ? mul.getLhs() : Value();
  return Value();
}

/// A norm as the ops write it.
struct NormMatch {
  bool isLayerNorm = false;
  Value input;
  int64_t axis = 0;
  double epsilon = 0;
  Value scale, bias;
  SmallVector<Operation *> ops;
  /// The op whose result the norm op replaces.
  Operation *last = nullptr;
};

/// Matches `d · inv` or `d / s` after `v + eps`, where `plusEps` is that sum:
/// `s = sqrt(v + eps)`, `inv = rsqrt(v + eps)`, `1/s` or `reciprocal(s)`.
/// Returns the op computing the normalized value, or a reason.
FailureOr<Operation *> matchDivision(Value plusEps, Value d,
                                     SmallVectorImpl<Operation *> &ops,
                                     std::string &reason) {
  Operation *user = getSingleUser(plusEps);
  Value inverse;
  if (auto rsqrt = dyn_cast_or_null<mllm::RsqrtOp>(user)) {
    ops.push_back(rsqrt);
    inverse = rsqrt.getResult();
  } else if (auto sqrt = dyn_cast_or_null<mllm::SqrtOp>(user)) {
    ops.push_back(sqrt);
    Operation *sqrtUser = getSingleUser(sqrt.getResult());
    if (auto div = dyn_cast_or_null<mllm::DivOp>(sqrtUser)) {
      if (div.getRhs() == sqrt.getResult() && div.getLhs() == d) {
        ops.push_back(div);
        return div.getOperation();
      }
      std::optional<double> one = getSplatValue(div.getLhs());
      if (div.getRhs() == sqrt.getResult() && one && *one == 1.0 &&
          div.getType() == sqrt.getType()) {
        ops.push_back(div);
        inverse = div.getResult();
      }
    } else if (auto reciprocal =
                   dyn_cast_or_null<mllm::ReciprocalOp>(sqrtUser)) {
      ops.push_back(reciprocal);
      inverse = reciprocal.getResult();
    }
    if (!inverse) {
      reason = "sqrt(mean + eps) does not divide the normalized value";
      return failure();
    }
  } else {
    reason = "mean + eps is not followed by Sqrt or Rsqrt alone";
    return failure();
  }
  auto mul = dyn_cast_or_null<mllm::MulOp>(getSingleUser(inverse));
  if (!mul || getOtherOperand(mul, inverse) != d) {
    reason = "the inverse square root does not multiply the value whose "
             "square was averaged";
    return failure();
  }
  ops.push_back(mul);
  return mul.getOperation();
}

/// Whether `param` can be a norm's scale or bias for `type` normalized from
/// `axis`: same element type, rank at most that of the normalized dims, and
/// multiplying by it keeps the shape.
bool isNormParam(Value param, RankedTensorType type, int64_t axis) {
  RankedTensorType paramType = getTensorType(param);
  return paramType.getElementType() == type.getElementType() &&
         paramType.getRank() <= type.getRank() - axis &&
         paramType.getRank() >= 1;
}

/// Extends `match` with a Mul by a scale and (LayerNorm) an Add of a bias
/// after `normalized`.
void matchAffine(Value normalized, NormMatch &match) {
  RankedTensorType type = getTensorType(normalized);
  auto mul = dyn_cast_or_null<mllm::MulOp>(getSingleUser(normalized));
  if (!mul || mul.getType() != type)
    return;
  Value scale = getOtherOperand(mul, normalized);
  if (!isNormParam(scale, type, match.axis))
    return;
  match.scale = scale;
  match.ops.push_back(mul);
  match.last = mul;
  if (!match.isLayerNorm)
    return;
  auto add = dyn_cast_or_null<mllm::AddOp>(getSingleUser(mul.getResult()));
  if (!add || add.getType() != type)
    return;
  Value bias = getOtherOperand(add, mul.getResult());
  if (!isNormParam(bias, type, match.axis))
    return;
  match.bias = bias;
  match.ops.push_back(add);
  match.last = add;
}

/// A scale of ones for a norm without one: `[input.shape[axis:]]`.
Value createOnes(PatternRewriter &rewriter, Location loc, RankedTensorType type,
                 int64_t axis) {
  auto onesType = RankedTensorType::get(type.getShape().drop_front(axis),
                                        type.getElementType());
  return mllm::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          onesType, rewriter.getFloatAttr(type.getElementType(), 1.0)));
}

struct FuseNorm : OpRewritePattern<mllm::ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::ReduceMeanOp variance,
                                PatternRewriter &rewriter) const override {
    Value d = getSquared(variance.getInput());
    if (!d)
      return rewriter.notifyMatchFailure(variance, "not the mean of a square");
    NormMatch match;
    auto centered = d.getDefiningOp<mllm::SubOp>();
    auto mean = centered ? centered.getRhs().getDefiningOp<mllm::ReduceMeanOp>()
                         : nullptr;
    match.isLayerNorm = mean && mean.getInput() == centered.getLhs();
    llvm::StringRef pattern = match.isLayerNorm ? "layer_norm" : "rms_norm";
    auto nearMiss = [&](const Twine &reason) {
      return reportNearMiss(
          rewriter, variance, kFuseNormPass, pattern,
          Twine(match.isLayerNorm ? "not a LayerNorm: " : "not an RMSNorm: ") +
              reason);
    };

    std::optional<int64_t> axis = getTrailingAxis(variance);
    if (!axis)
      return nearMiss("the mean reduces axes " +
                      formatShape(variance.getAxes()) +
                      (variance.getKeepdims() ? "" : " without keepdims") +
                      ", not the trailing dims with keepdims");
    match.axis = *axis;
    if (match.isLayerNorm) {
      if (mean.getAxes() != variance.getAxes() ||
          mean.getKeepdims() != variance.getKeepdims())
        return nearMiss("the two means reduce different axes");
      if (!mean.getResult().hasOneUse())
        return nearMiss("the mean of x has other uses");
      match.input = mean.getInput();
      match.ops = {mean, centered};
    } else {
      match.input = d;
    }
    Operation *square = variance.getInput().getDefiningOp();
    if (!variance.getInput().hasOneUse())
      return nearMiss("the square has other uses");
    match.ops.append({square, variance});

    auto plusEps = dyn_cast_or_null<mllm::AddOp>(getSingleUser(variance));
    std::optional<std::pair<Value, double>> eps;
    if (plusEps)
      eps = matchAddConstant(plusEps.getResult());
    if (!eps || eps->first != variance.getResult())
      return nearMiss("the mean of the square is not followed by an Add of a "
                      "constant epsilon alone");
    match.epsilon = eps->second;
    match.ops.push_back(plusEps);

    std::string reason;
    FailureOr<Operation *> normalized =
        matchDivision(plusEps.getResult(), d, match.ops, reason);
    if (failed(normalized))
      return nearMiss(reason);
    Value n = (*normalized)->getResult(0);
    if (n.getType() != match.input.getType())
      return nearMiss("the normalized value has another shape than the input");
    if (match.isLayerNorm && !llvm::all_of(d.getUsers(), [&](Operation *user) {
          return user == square || user == *normalized;
        }))
      return nearMiss("x - mean(x) has other uses");
    match.last = *normalized;
    matchAffine(n, match);

    RankedTensorType type = getTensorType(match.input);
    Location loc = getFusedLoc(match.ops);
    Value scale = match.scale;
    if (!scale) {
      if (!type.hasStaticShape())
        return nearMiss("there is no scale and the normalized shape is "
                        "dynamic");
      scale = createOnes(rewriter, loc, type, match.axis);
    }
    Operation *fused;
    if (match.isLayerNorm)
      fused = mllm::LayerNormOp::create(rewriter, loc, match.input, scale,
                                        match.bias, match.axis,
                                        static_cast<float>(match.epsilon));
    else
      fused =
          mllm::RmsNormOp::create(rewriter, loc, match.input, scale, match.axis,
                                  static_cast<float>(match.epsilon));
    reportFused(fused, kFuseNormPass, pattern);
    rewriter.replaceOp(match.last, fused->getResults());
    return success();
  }
};

} // namespace

void mllmc::populateFuseNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseNorm>(patterns.getContext());
}
