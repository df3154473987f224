//===- FoldZeroTripOps.cpp - Linalg ops over empty iteration domains ------===//
//
// A linalg op whose iteration domain has a static extent of zero runs its
// body zero times, so its results are its init operands. ONNX models meet
// this with empty tensors (a reduction over a zero-length axis, a slice or
// mask of an empty input): folding those ops leaves no kernel that would
// index a zero-size buffer, and a reduction over nothing becomes the fill of
// its identity value.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mllmc {
#define GEN_PASS_DEF_FOLDZEROTRIPOPS
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;

namespace {

struct FoldZeroTripOp : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() ||
        !llvm::is_contained(op.getStaticLoopRanges(), 0))
      return rewriter.notifyMatchFailure(op, "iterates at least once");
    rewriter.replaceOp(op, op.getDpsInits());
    return success();
  }
};

struct FoldZeroTripOpsPass
    : mllmc::impl::FoldZeroTripOpsBase<FoldZeroTripOpsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldZeroTripOp>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
