//===- ProjectorActivations.cpp - GELU, QuickGELU, SiLU decompositions ----===//
//
// The second layer of the projector fusion: activations as exporters write
// them, anchored on their one transcendental op.
//
//   erf GELU    0.5·x·(1 + erf(x/√2))          Div(x, √2) or Mul(x, 1/√2)
//   tanh GELU   0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))   Pow or Mul cube
//   QuickGELU   x·sigmoid(1.702·x)             (CLIP)
//   SiLU        x·sigmoid(x)                   (SwiGLU's gate)
//
// The final product of x, (1 + ·) and 0.5 may associate either way:
// torch.onnx writes (x·(1 + ·))·0.5, Hugging Face code (x·0.5)·(1 + ·).
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/FusionMatchers.h"
#include "passes/Fusion/FusionReport.h"
#include "passes/Fusion/ProjectorPatterns.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mllmc;
using namespace mllmc::fusion;

namespace {

constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kSqrtTwoOverPi = 0.79788456080286535588;
constexpr double kTanhGeluCubeFactor = 0.044715;
constexpr double kQuickGeluFactor = 1.702;

/// The ops of a matched activation and its result, or why it did not match.
struct Match {
  SmallVector<Operation *> ops;
  Value result;
  std::string failure;

  static Match fail(const Twine &reason) {
    Match match;
    match.failure = reason.str();
    return match;
  }
  bool failed() const { return !failure.empty(); }
};

/// Whether `value` is `expected`, else a reason naming the constant.
std::string checkConstant(double value, double expected,
                          llvm::StringRef expectedName, Type elementType) {
  if (isCloseTo(value, expected, elementType))
    return "";
  return "constant " + formatConstant(value) + " is not " + expectedName.str();
}

/// Matches the end of a GELU: `onePlus` (= 1 + erf/tanh(...)) multiplied by
/// `x` and by 0.5, in any association. Appends the ops to `match`.
void matchHalfProduct(Value x, Value onePlus, Match &match) {
  Type elementType = getTensorType(x).getElementType();
  auto first = dyn_cast_or_null<mllm::MulOp>(getSingleUser(onePlus));
  if (!first) {
    match = Match::fail("1 + ... is not multiplied by x and 0.5 (or it has "
                        "other uses)");
    return;
  }
  match.ops.push_back(first);
  Value other = getOtherOperand(first, onePlus);
  // (x · (1 + ·)) · 0.5
  if (other == x) {
    std::optional<Scaled> half;
    if (Operation *user = getSingleUser(first.getResult()))
      half = matchScaled(user->getResult(0));
    if (!half || half->input != first.getResult()) {
      match = Match::fail("x·(1 + ...) is not multiplied by 0.5");
      return;
    }
    std::string bad = checkConstant(half->factor, 0.5, "0.5", elementType);
    if (!bad.empty()) {
      match = Match::fail(bad);
      return;
    }
    match.ops.push_back(half->op);
    match.result = half->op->getResult(0);
    return;
  }
  // (x · 0.5) · (1 + ·)
  if (std::optional<Scaled> half = matchScaled(other);
      half && half->input == x) {
    std::string bad = checkConstant(half->factor, 0.5, "0.5", elementType);
    if (!bad.empty()) {
      match = Match::fail(bad);
      return;
    }
    if (!other.hasOneUse()) {
      match = Match::fail("x·0.5 has other uses");
      return;
    }
    match.ops.push_back(half->op);
    match.result = first.getResult();
    return;
  }
  // ((1 + ·) · 0.5) · x
  if (std::optional<Scaled> half = matchScaled(first.getResult());
      half && half->input == onePlus) {
    std::string bad = checkConstant(half->factor, 0.5, "0.5", elementType);
    if (!bad.empty()) {
      match = Match::fail(bad);
      return;
    }
    auto last = dyn_cast_or_null<mllm::MulOp>(getSingleUser(first.getResult()));
    if (!last || getOtherOperand(last, first.getResult()) != x) {
      match = Match::fail("0.5·(1 + ...) is not multiplied by x");
      return;
    }
    match.ops.push_back(last);
    match.result = last.getResult();
    return;
  }
  match = Match::fail("1 + ... is multiplied by a value that is not x");
}

/// Matches `1 + t` where `t` is the transcendental op's result, then the
/// half product with `x`.
void matchOnePlusAndProduct(Value x, Operation *transcendental, Match &match) {
  Type elementType = getTensorType(x).getElementType();
  Value t = transcendental->getResult(0);
  Operation *user = getSingleUser(t);
  std::optional<std::pair<Value, double>> onePlus;
  if (user)
    onePlus = matchAddConstant(user->getResult(0));
  if (!onePlus || onePlus->first != t) {
    match = Match::fail(transcendental->getName().stripDialect() +
                        " is not followed by an Add of 1 alone");
    return;
  }
  std::string bad = checkConstant(onePlus->second, 1.0, "1", elementType);
  if (!bad.empty()) {
    match = Match::fail(bad);
    return;
  }
  match.ops.push_back(user);
  matchHalfProduct(x, user->getResult(0), match);
  if (!match.failed() && match.result.getType() != x.getType())
    match = Match::fail("the product broadcasts x to another shape");
}

/// Replaces a matched activation with `fused` and reports it.
void replaceActivation(PatternRewriter &rewriter, const Match &match,
                       Operation *fused, llvm::StringRef pattern) {
  reportFused(fused, kFuseProjectorPass, pattern);
  rewriter.replaceOp(match.result.getDefiningOp(), fused->getResults());
}

/// 0.5·x·(1 + erf(x/√2)) → mllm.gelu.
struct FuseErfGelu : OpRewritePattern<mllm::ErfOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::ErfOp erf,
                                PatternRewriter &rewriter) const override {
    Value x;
    Match match = matchErfGelu(erf, x);
    if (match.failed())
      return reportNearMiss(rewriter, erf, kFuseProjectorPass, "gelu",
                            "activation is not a GELU: " + match.failure);
    auto gelu = mllm::GeluOp::create(rewriter, getFusedLoc(match.ops), x,
                                     mllm::GeluApproximation::none);
    replaceActivation(rewriter, match, gelu, "gelu");
    return success();
  }

  static Match matchErfGelu(mllm::ErfOp erf, Value &x) {
    Type elementType = getTensorType(erf.getInput()).getElementType();
    std::optional<Scaled> scaled = matchScaled(erf.getInput());
    if (!scaled)
      return Match::fail("the Erf input is not x/√2");
    if (!erf.getInput().hasOneUse())
      return Match::fail("x/√2 has other uses");
    bool isDiv = isa<mllm::DivOp>(scaled->op);
    // Name the constant as the graph has it: the divisor √2 or factor 1/√2.
    double constant = isDiv ? 1.0 / scaled->factor : scaled->factor;
    std::string bad =
        isDiv ? checkConstant(constant, 1.0 / kSqrtHalf, "√2", elementType)
              : checkConstant(constant, kSqrtHalf, "1/√2", elementType);
    if (!bad.empty())
      return Match::fail(bad);
    x = scaled->input;
    Match match;
    match.ops = {scaled->op, erf};
    matchOnePlusAndProduct(x, erf, match);
    return match;
  }
};

/// Matches `x³` as Pow(x, 3), x·(x·x) or (x·x)·x; appends its ops.
bool matchCube(Value cube, Value x, SmallVectorImpl<Operation *> &ops) {
  if (auto pow = cube.getDefiningOp<mllm::PowOp>()) {
    std::optional<double> exponent = getSplatValue(pow.getRhs());
    if (pow.getLhs() != x || !exponent || *exponent != 3.0)
      return false;
    ops.push_back(pow);
    return true;
  }
  auto outer = cube.getDefiningOp<mllm::MulOp>();
  if (!outer)
    return false;
  for (auto [square, single] : {std::pair(outer.getLhs(), outer.getRhs()),
                                std::pair(outer.getRhs(), outer.getLhs())}) {
    auto inner = square.getDefiningOp<mllm::MulOp>();
    if (single != x || !inner || inner.getLhs() != x || inner.getRhs() != x ||
        !square.hasOneUse())
      continue;
    ops.append({inner, outer});
    return true;
  }
  return false;
}

/// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) → mllm.gelu approximate=tanh.
struct FuseTanhGelu : OpRewritePattern<mllm::TanhOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::TanhOp tanh,
                                PatternRewriter &rewriter) const override {
    Value x;
    Match match = matchTanhGelu(tanh, x);
    if (match.failed())
      return reportNearMiss(rewriter, tanh, kFuseProjectorPass, "gelu_tanh",
                            "activation is not a tanh GELU: " + match.failure);
    auto gelu = mllm::GeluOp::create(rewriter, getFusedLoc(match.ops), x,
                                     mllm::GeluApproximation::tanh);
    replaceActivation(rewriter, match, gelu, "gelu_tanh");
    return success();
  }

  static Match matchTanhGelu(mllm::TanhOp tanh, Value &x) {
    Type elementType = getTensorType(tanh.getInput()).getElementType();
    std::optional<Scaled> outer = matchScaled(tanh.getInput());
    auto sum = outer ? outer->input.getDefiningOp<mllm::AddOp>() : nullptr;
    if (!sum)
      return Match::fail("the Tanh input is not c·(x + 0.044715·x³)");
    std::string bad =
        checkConstant(outer->factor, kSqrtTwoOverPi, "√(2/π)", elementType);
    if (!bad.empty())
      return Match::fail(bad);
    Match match;
    for (auto [candidate, term] : {std::pair(sum.getLhs(), sum.getRhs()),
                                   std::pair(sum.getRhs(), sum.getLhs())}) {
      std::optional<Scaled> cubic = matchScaled(term);
      SmallVector<Operation *> cubeOps;
      if (!cubic || !matchCube(cubic->input, candidate, cubeOps))
        continue;
      bad = checkConstant(cubic->factor, kTanhGeluCubeFactor, "0.044715",
                          elementType);
      if (!bad.empty())
        return Match::fail(bad);
      if (!term.hasOneUse() || !cubic->input.hasOneUse() ||
          !sum->getResult(0).hasOneUse() || !tanh.getInput().hasOneUse())
        return Match::fail("an intermediate value has other uses");
      x = candidate;
      match.ops = cubeOps;
      match.ops.append({cubic->op, sum, outer->op, tanh});
      break;
    }
    if (!x)
      return Match::fail("the Tanh input is not c·(x + 0.044715·x³)");
    matchOnePlusAndProduct(x, tanh, match);
    return match;
  }
};

/// x·sigmoid(1.702·x) → mllm.quick_gelu; x·sigmoid(x) → mllm.silu.
struct FuseSigmoidActivation : OpRewritePattern<mllm::SigmoidOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::SigmoidOp sigmoid,
                                PatternRewriter &rewriter) const override {
    auto mul = dyn_cast_or_null<mllm::MulOp>(getSingleUser(sigmoid));
    if (!mul || mul.getType() != sigmoid.getType())
      return rewriter.notifyMatchFailure(
          sigmoid, "the sigmoid is not multiplied by a value of its shape");
    Value z = sigmoid.getInput();
    Value other = getOtherOperand(mul, sigmoid.getResult());
    // SiLU: z · sigmoid(z).
    if (other == z) {
      auto silu =
          mllm::SiluOp::create(rewriter, getFusedLoc({sigmoid, mul}), z);
      reportFused(silu, kFuseProjectorPass, "silu");
      rewriter.replaceOp(mul, silu);
      return success();
    }
    // QuickGELU: x · sigmoid(c·x) with c = 1.702.
    std::optional<Scaled> scaled = matchScaled(z);
    if (!scaled || scaled->input != other)
      return rewriter.notifyMatchFailure(
          sigmoid, "sigmoid(z) multiplies a value other than z or z/c");
    Type elementType = getTensorType(z).getElementType();
    std::string bad =
        checkConstant(scaled->factor, kQuickGeluFactor, "1.702", elementType);
    if (!bad.empty())
      return reportNearMiss(rewriter, sigmoid, kFuseProjectorPass, "quick_gelu",
                            "activation is not a QuickGELU: " + bad);
    if (!z.hasOneUse())
      return reportNearMiss(rewriter, sigmoid, kFuseProjectorPass, "quick_gelu",
                            "activation is not a QuickGELU: 1.702·x has "
                            "other uses");
    auto quickGelu = mllm::QuickGeluOp::create(
        rewriter, getFusedLoc({scaled->op, sigmoid, mul}), other);
    reportFused(quickGelu, kFuseProjectorPass, "quick_gelu");
    rewriter.replaceOp(mul, quickGelu);
    return success();
  }
};

} // namespace

void mllmc::populateFuseActivationPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseErfGelu, FuseTanhGelu, FuseSigmoidActivation>(
      patterns.getContext());
}
