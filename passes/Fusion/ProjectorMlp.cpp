//===- ProjectorMlp.cpp - linear → activation → linear → mllm.mlp ---------===//
//
// The third layer of the projector fusion, on the ops the first two create:
//
//   plain   down(act(up(x)))                   LLaVA projector, ViT/CLIP FFN
//   gated   down(act(gate(x)) * up(x))         LLaMA/Qwen SwiGLU, GeGLU
//
// where up, gate and down are `mllm.linear` and act one of `mllm.gelu`,
// `mllm.quick_gelu`, `mllm.silu`, `mllm.relu`. The pattern anchors on the
// down projection.
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

constexpr llvm::StringLiteral kPattern = "mlp";

/// The mlp activation an op computes, if it is one.
std::optional<mllm::MlpActivation> getActivation(Operation *op) {
  if (auto gelu = dyn_cast_or_null<mllm::GeluOp>(op))
    return gelu.getApproximate() == mllm::GeluApproximation::tanh
               ? mllm::MlpActivation::gelu_tanh
               : mllm::MlpActivation::gelu;
  if (isa_and_nonnull<mllm::QuickGeluOp>(op))
    return mllm::MlpActivation::quick_gelu;
  if (isa_and_nonnull<mllm::SiluOp>(op))
    return mllm::MlpActivation::silu;
  if (isa_and_nonnull<mllm::ReluOp>(op))
    return mllm::MlpActivation::relu;
  return std::nullopt;
}

/// The hidden value of an MLP: the activation (plain) or the product of the
/// activated gate and the up projection (gated).
struct Hidden {
  Operation *activation = nullptr;
  mllm::MlpActivation kind;
  mllm::LinearOp up, gate;
  mllm::MulOp product;
};

/// Recognizes the hidden value `h` of an MLP. Returns nullopt when `h` is
/// not an activation of a linear layer (not an MLP at all).
std::optional<Hidden> matchHidden(Value h) {
  Operation *op = h.getDefiningOp();
  if (std::optional<mllm::MlpActivation> kind = getActivation(op)) {
    auto up = op->getOperand(0).getDefiningOp<mllm::LinearOp>();
    if (!up)
      return std::nullopt;
    return Hidden{op, *kind, up, nullptr, nullptr};
  }
  auto product = dyn_cast_or_null<mllm::MulOp>(op);
  if (!product)
    return std::nullopt;
  for (auto [activated, upValue] :
       {std::pair(product.getLhs(), product.getRhs()),
        std::pair(product.getRhs(), product.getLhs())}) {
    Operation *activation = activated.getDefiningOp();
    std::optional<mllm::MlpActivation> kind = getActivation(activation);
    auto up = upValue.getDefiningOp<mllm::LinearOp>();
    auto gate = kind ? activation->getOperand(0).getDefiningOp<mllm::LinearOp>()
                     : nullptr;
    if (gate && up)
      return Hidden{activation, *kind, up, gate, product};
  }
  return std::nullopt;
}

/// Why `hidden` (feeding `down`) cannot become an mllm.mlp, or "".
std::string checkHidden(Hidden hidden, mllm::LinearOp down) {
  if (!isa<FloatType>(getTensorType(down.getInput()).getElementType()))
    return "mllm.mlp needs float tensors";
  if (!down.getInput().hasOneUse())
    return "the hidden activation has other uses";
  if (!hidden.up.getResult().hasOneUse())
    return "the up projection has other uses";
  if (hidden.gate) {
    if (!hidden.gate.getResult().hasOneUse() ||
        !hidden.activation->getResult(0).hasOneUse())
      return "the gate projection or its activation has other uses";
    if (hidden.gate.getInput() != hidden.up.getInput())
      return "the gate and up projections read different inputs";
    if (hidden.gate.getType() != hidden.up.getType() ||
        hidden.product.getType() != hidden.up.getType())
      return "the gate and up projections have different shapes";
  }
  return "";
}

struct FuseMlp : OpRewritePattern<mllm::LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(mllm::LinearOp down,
                                PatternRewriter &rewriter) const override {
    std::optional<Hidden> hidden = matchHidden(down.getInput());
    if (!hidden)
      return rewriter.notifyMatchFailure(
          down, "the input is not an activation of a linear layer");
    std::string reason = checkHidden(*hidden, down);
    if (!reason.empty())
      return reportNearMiss(rewriter, down, kFuseProjectorPass, kPattern,
                            "not an MLP: " + reason);

    SmallVector<Operation *> absorbed;
    if (hidden->gate)
      absorbed.push_back(hidden->gate);
    absorbed.append({hidden->up, hidden->activation});
    if (hidden->product)
      absorbed.push_back(hidden->product);
    absorbed.push_back(down);
    mllm::LinearOp up = hidden->up, gate = hidden->gate;
    auto mlp = mllm::MlpOp::create(
        rewriter, getFusedLoc(absorbed), up.getInput(), up.getWeight(),
        up.getBias(), gate ? gate.getWeight() : Value(),
        gate ? gate.getBias() : Value(), down.getWeight(), down.getBias(),
        hidden->kind);
    reportFused(mlp, kFuseProjectorPass, kPattern);
    rewriter.replaceOp(down, mlp);
    return success();
  }
};

} // namespace

void mllmc::populateFuseMlpPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseMlp>(patterns.getContext());
}

void mllmc::populateFuseProjectorPatterns(RewritePatternSet &patterns) {
  populateFuseLinearPatterns(patterns);
  populateFuseActivationPatterns(patterns);
  populateFuseMlpPatterns(patterns);
}
