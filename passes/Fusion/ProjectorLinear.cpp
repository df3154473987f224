//===- ProjectorLinear.cpp - MatMul (+ bias Add) → mllm.linear ------------===//
//
// The first layer of the projector fusion. A MatMul whose right operand is a
// constant rank-2 weight (a constant, or a transpose of one as Gemm with
// transB imports) is a linear layer; an Add of a bias vector after it (the
// exporters write `Add(bias, MatMul)` and `Add(MatMul, bias)`) becomes its
// bias. A MatMul of two activations (attention's Q·Kᵀ) is left alone.
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/FusionMatchers.h"
#include "passes/Fusion/FusionReport.h"
#include "passes/Fusion/ProjectorPatterns.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mllmc;
using namespace mllmc::fusion;

namespace {

constexpr llvm::StringLiteral kPattern = "linear";

/// Whether `weight` is the weight of a linear layer: rank 2 and computed from
/// a constant by layout ops only.
bool isConstantWeight(Value weight) {
  if (getTensorType(weight).getRank() != 2)
    return false;
  Operation *op = weight.getDefiningOp();
  while (op && isa<mllm::TransposeOp, mllm::ReshapeOp, mllm::CastOp>(op))
    op = op->getOperand(0).getDefiningOp();
  return op && op->hasTrait<OpTrait::ConstantLike>();
}

/// The input and weight of a bias-less linear layer producing `value`: a
/// MatMul with a constant weight, or an `mllm.linear` without bias.
std::optional<std::pair<Value, Value>> matchUnbiasedLinear(Value value) {
  if (auto matmul = value.getDefiningOp<mllm::MatmulOp>()) {
    if (isConstantWeight(matmul.getRhs()))
      return std::pair(matmul.getLhs(), matmul.getRhs());
    return std::nullopt;
  }
  if (auto linear = value.getDefiningOp<mllm::LinearOp>();
      linear && !linear.getBias())
    return std::pair(linear.getInput(), linear.getWeight());
  return std::nullopt;
}

/// Whether `addend`, added to the `[..., N]` result of a linear layer, is a
/// bias: a vector `[N]`, or `[1, ..., 1, N]` of at most the result's rank.
bool isBias(Value addend, RankedTensorType resultType) {
  RankedTensorType type = getTensorType(addend);
  ArrayRef<int64_t> shape = type.getShape();
  if (shape.empty() || shape.size() > size_t(resultType.getRank()) ||
      type.getElementType() != resultType.getElementType())
    return false;
  int64_t n = resultType.getShape().back();
  if (shape.back() != n || ShapedType::isDynamic(n))
    return false;
  return llvm::all_of(shape.drop_back(), [](int64_t dim) { return dim == 1; });
}

/// Whether `user` adds a bias to `value` (the result of a linear layer) in a
/// way FuseLinearBias takes.
bool isBiasAddOf(Operation *user, Value value) {
  auto add = dyn_cast<mllm::AddOp>(user);
  return add && add.getType() == value.getType() &&
         isBias(getOtherOperand(add, value), getTensorType(value));
}

/// add(linear-without-bias(x, W), b) or add(b, ·) → linear(x, W, b).
struct FuseLinearBias : OpRewritePattern<mllm::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::AddOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [product, bias] : {std::pair(add.getLhs(), add.getRhs()),
                                 std::pair(add.getRhs(), add.getLhs())}) {
      std::optional<std::pair<Value, Value>> linear =
          matchUnbiasedLinear(product);
      if (!linear || !isBiasAddOf(add, product))
        continue;
      Operation *producer = product.getDefiningOp();
      if (!product.hasOneUse())
        return reportNearMiss(
            rewriter, add, kFuseProjectorPass, kPattern,
            "the MatMul result has other uses, so its bias Add stays apart");
      auto [input, weight] = *linear;
      RankedTensorType biasType = getTensorType(bias);
      if (biasType.getRank() != 1)
        bias = mllm::ReshapeOp::create(
            rewriter, bias.getLoc(),
            RankedTensorType::get({biasType.getShape().back()},
                                  biasType.getElementType()),
            bias);
      auto fused = mllm::LinearOp::create(
          rewriter, getFusedLoc({producer, add.getOperation()}), input, weight,
          bias);
      reportFused(fused, kFuseProjectorPass, kPattern);
      rewriter.replaceOp(add, fused);
      return success();
    }
    return rewriter.notifyMatchFailure(
        add, "no operand is a linear layer with a bias to take");
  }
};

/// matmul(x, W) with a constant rank-2 W → linear(x, W), unless a bias Add
/// follows (FuseLinearBias takes both).
struct FuseLinearMatmul : OpRewritePattern<mllm::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::MatmulOp matmul,
                                PatternRewriter &rewriter) const override {
    if (!isConstantWeight(matmul.getRhs()))
      return rewriter.notifyMatchFailure(
          matmul, "the right operand is not a constant rank-2 weight");
    Operation *user = getSingleUser(matmul.getResult());
    if (user && isBiasAddOf(user, matmul.getResult()))
      return rewriter.notifyMatchFailure(matmul, "a bias Add follows");
    auto fused = mllm::LinearOp::create(rewriter, matmul.getLoc(),
                                        matmul.getLhs(), matmul.getRhs(),
                                        /*bias=*/Value());
    reportFused(fused, kFuseProjectorPass, kPattern);
    rewriter.replaceOp(matmul, fused);
    return success();
  }
};

} // namespace

void mllmc::populateFuseLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseLinearBias, FuseLinearMatmul>(patterns.getContext());
}
