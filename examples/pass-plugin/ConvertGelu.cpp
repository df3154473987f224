//===- ConvertGelu.cpp - Switch GELUs between erf and tanh forms ----------===//
//
// Two patterns, one per op that computes a GELU: `mllm.gelu` carries the form
// in its `approximate` attribute, `mllm.mlp` in its activation (`gelu` is the
// erf form, `gelu_tanh` the approximation). Both are updated in place.
//
//===----------------------------------------------------------------------===//

#include "Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mllm_example {
#define GEN_PASS_DEF_CONVERTGELU
#include "Passes.h.inc"
} // namespace mllm_example

using namespace mlir;
using mllm::GeluApproximation;
using mllm::MlpActivation;

namespace {
struct ConvertGeluOp : OpRewritePattern<mllm::GeluOp> {
  ConvertGeluOp(MLIRContext *context, GeluApproximation form)
      : OpRewritePattern(context), form(form) {}

  LogicalResult matchAndRewrite(mllm::GeluOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getApproximate() == form)
      return rewriter.notifyMatchFailure(op, "already in the requested form");
    rewriter.modifyOpInPlace(op, [&] { op.setApproximate(form); });
    return success();
  }

  GeluApproximation form;
};

struct ConvertMlpActivation : OpRewritePattern<mllm::MlpOp> {
  ConvertMlpActivation(MLIRContext *context, GeluApproximation form)
      : OpRewritePattern(context), form(form) {}

  LogicalResult matchAndRewrite(mllm::MlpOp op,
                                PatternRewriter &rewriter) const override {
    MlpActivation activation = op.getActivation();
    if (activation != MlpActivation::gelu &&
        activation != MlpActivation::gelu_tanh)
      return rewriter.notifyMatchFailure(op, "activation is not a GELU");
    MlpActivation wanted = form == GeluApproximation::tanh
                               ? MlpActivation::gelu_tanh
                               : MlpActivation::gelu;
    if (activation == wanted)
      return rewriter.notifyMatchFailure(op, "already in the requested form");
    rewriter.modifyOpInPlace(op, [&] { op.setActivation(wanted); });
    return success();
  }

  GeluApproximation form;
};

struct ConvertGeluPass : mllm_example::impl::ConvertGeluBase<ConvertGeluPass> {
  using ConvertGeluBase::ConvertGeluBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvertGeluOp, ConvertMlpActivation>(&getContext(), form);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
