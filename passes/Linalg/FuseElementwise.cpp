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
// A contraction's elementwise tail often lies behind a reshape: a linear
// layer on [batch, tokens, hidden] multiplies the collapsed [batch * tokens,
// hidden] rows and expands the product back, and its activation or residual
// add runs on the 3-D result. The elementwise op then collapses its loops to
// the contraction's (upstream reshape folding by collapsing, with the other
// operands collapsed alike), so that it fuses with the bias and forms one
// dispatch with the matmul as its epilogue (mllmc-form-dispatches). Other
// reshapes stay where they are.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// Whether `value` is the result of a contraction, or of an elementwise op
/// on one (its tail so far).
static bool isContractionOrTail(Value value) {
  auto op = value.getDefiningOp<linalg::LinalgOp>();
  if (!op)
    return false;
  if (linalg::isaContractionOpInterface(op))
    return true;
  return isa<linalg::GenericOp>(op) &&
         op.getNumLoops() == op.getNumParallelLoops() &&
         llvm::any_of(op.getDpsInputs(), isContractionOrTail);
}

/// Whether the elementwise op owning `operand` collapses its loops to read
/// the source of the expand_shape that produces `operand`: only where that
/// source is a contraction or its tail.
static bool isContractionTailReshape(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  auto expand = operand->get().getDefiningOp<tensor::ExpandShapeOp>();
  return consumer && expand &&
         consumer.getNumLoops() == consumer.getNumParallelLoops() &&
         isContractionOrTail(expand.getSrc());
}

namespace {
struct FuseElementwisePass
    : mllmc::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, isWorkPreserving);
    linalg::populateFoldReshapeOpsByCollapsingPatterns(
        patterns, isContractionTailReshape);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
