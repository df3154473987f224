//===- AttentionPass.cpp - mllm-fuse-attention ----------------------------===//

#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Passes.h"

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mllmc {
#define GEN_PASS_DEF_FUSEATTENTION
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;

namespace {
struct FuseAttentionPass : mllmc::impl::FuseAttentionBase<FuseAttentionPass> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    mllmc::populateFuseAttentionPatterns(set);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), patterns)))
      return signalPassFailure();
  }

  FrozenRewritePatternSet patterns;
};
} // namespace
