//===- NormPass.cpp - The mllm-fuse-norm pass -------------------===//

#include "passes/Fusion/NormPatterns.h"
#include "passes/Passes.h"

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace mllmc {

#define GEN_PASS_DEF_FUSENORM
#include "passes/Passes.h.inc"

namespace {

struct FuseNormPass : impl::FuseNormBase<FuseNormPass> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patternList(context);
    populateFuseNormPatterns(patternList);
    patterns = FrozenRewritePatternSet(std::move(patternList));
    return success();
  }

  void runOnOperation() override {
    // Not converging within the iteration limit leaves correct IR that is
    // fused less; that is not an error.
    (void)applyPatternsGreedily(getOperation(), patterns);
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace mllmc
