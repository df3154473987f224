//===- ConvertMllmToLinalg.cpp - The convert-mllm-to-linalg pass ----------===//

#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/Passes.h"

#include "dialects/mllm/IR/MllmDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {

#define GEN_PASS_DEF_CONVERTMLLMTOLINALG
#include "passes/Passes.h.inc"

void populateMllmToLinalgPatterns(RewritePatternSet &patterns) {
  populateMllmElementwiseToLinalgPatterns(patterns);
  populateMllmUnaryToLinalgPatterns(patterns);
  populateMllmNormalizationToLinalgPatterns(patterns);
  populateMllmReductionToLinalgPatterns(patterns);
  populateMllmArgReductionToLinalgPatterns(patterns);
  populateMllmConvolutionToLinalgPatterns(patterns);
  populateMllmMatmulToLinalgPatterns(patterns);
  populateMllmDataMovementToLinalgPatterns(patterns);
  populateMllmIndexingToLinalgPatterns(patterns);
  populateMllmAttentionToLinalgPatterns(patterns);
  populateMllmMlpToLinalgPatterns(patterns);
  populateMllmRotaryToLinalgPatterns(patterns);
  populateMllmTopKToLinalgPatterns(patterns);
  populateMllmCumsumToLinalgPatterns(patterns);
  populateMllmScatterToLinalgPatterns(patterns);
}

namespace {

struct ConvertMllmToLinalgPass
    : impl::ConvertMllmToLinalgBase<ConvertMllmToLinalgPass> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patternList(context);
    populateMllmToLinalgPatterns(patternList);
    patterns = FrozenRewritePatternSet(std::move(patternList));
    return success();
  }

  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *context = &getContext();
    auto *mllmDialect = context->getLoadedDialect<mlir::mllm::MllmDialect>();
    if (!mllmDialect)
      return; // No mllm op can exist.

    // An mllm op without any lowering gets its own message up front.
    const auto &lowered = patterns.getOpSpecificNativePatterns();
    bool unsupported = false;
    root->walk([&](Operation *op) {
      if (op->getDialect() != mllmDialect || lowered.count(op->getName()))
        return;
      op->emitOpError("has no lowering to linalg yet");
      unsupported = true;
    });
    if (unsupported)
      return signalPassFailure();

    // A pattern that cannot lower its op says why at the op's location. The
    // conversion driver then adds a generic "failed to legalize" error at the
    // same location; drop that one so that people read one message per op.
    // (The diagnostic engine calls handlers under its lock, so functions
    // converted in parallel share this safely.)
    DenseSet<Location> explained;
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      if (StringRef(diag.str()).starts_with("failed to legalize operation") &&
          explained.contains(diag.getLocation()))
        return success();
      explained.insert(diag.getLocation());
      return failure();
    });

    ConversionTarget target(*context);
    target.addIllegalDialect<mlir::mllm::MllmDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(root, target, patterns)))
      signalPassFailure();
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace mllmc
