//===- FusionPasses.cpp - mllm-fuse-norm, -attention and -projector -------===//
//
// Each fusion pass applies its patterns greedily to a function. Not
// converging within the iteration limit leaves correct IR that is fused
// less; that is not an error.
//
//===----------------------------------------------------------------------===//

#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Fusion/NormPatterns.h"
#include "passes/Fusion/ProjectorPatterns.h"
#include "passes/Fusion/RotaryPatterns.h"
#include "passes/Passes.h"

#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mllmc {
#define GEN_PASS_DEF_FUSEATTENTION
#define GEN_PASS_DEF_FUSENORM
#define GEN_PASS_DEF_FUSEPROJECTOR
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;

namespace {

/// A pass (tablegen'd `Base`) that applies the patterns of `populate`.
template <typename Derived, template <typename> class Base,
          void (*populate)(RewritePatternSet &)>
struct GreedyFusionPass : Base<Derived> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    populate(set);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    (void)applyPatternsGreedily(this->getOperation(), patterns);
  }

  FrozenRewritePatternSet patterns;
};

/// The rotary patterns come first so that attention sees the rotated q and k.
void populateRotaryAndAttentionPatterns(RewritePatternSet &patterns) {
  mllmc::populateFuseRotaryPatterns(patterns);
  mllmc::populateFuseAttentionPatterns(patterns);
}

struct FuseNormPass : GreedyFusionPass<FuseNormPass, mllmc::impl::FuseNormBase,
                                       mllmc::populateFuseNormPatterns> {};
struct FuseAttentionPass
    : GreedyFusionPass<FuseAttentionPass, mllmc::impl::FuseAttentionBase,
                       populateRotaryAndAttentionPatterns> {};
struct FuseProjectorPass
    : GreedyFusionPass<FuseProjectorPass, mllmc::impl::FuseProjectorBase,
                       mllmc::populateFuseProjectorPatterns> {};

} // namespace
