//===- FuseElementwise.cpp - Fuse elementwise producers into consumers ----===//
//
// Upstream elementwise fusion, controlled so that it never multiplies work by
// a reduction: an elementwise producer fuses into its only consumer when that
// consumer is elementwise too. Fusing it into a contraction or a reduction
// would recompute the producer once per reduced element (a GELU recomputed
// for every column of the following matmul). A producer broadcast into its
// consumer (a norm's rsqrt over rows) is still fused: recomputing a few
// arithmetic ops per element costs less than writing and reading a buffer.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mllmc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;

/// Whether fusing the producer of `operand` into its consumer keeps the
/// amount of work the same.
static bool isWorkPreserving(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  Operation *producer = operand->get().getDefiningOp();
  return consumer && producer && producer->hasOneUse() &&
         consumer.getNumReductionLoops() == 0;
}

namespace {
struct FuseElementwisePass
    : mllmc::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, isWorkPreserving);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
