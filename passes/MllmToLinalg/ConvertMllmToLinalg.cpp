//===- ConvertMllmToLinalg.cpp - The convert-mllm-to-linalg pass ----------===//

#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/SignlessTypes.h"
#include "passes/Passes.h"

#include "dialects/mllm/IR/MllmDialect.h"
#include "dialects/mllm/IR/MllmKernelOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {

#define GEN_PASS_DEF_CONVERTMLLMTOLINALG
#include "passes/Passes.h.inc"

void populateMllmToLinalgPatterns(const TypeConverter &typeConverter,
                                  RewritePatternSet &patterns,
                                  const MllmToLinalgOptions &options) {
  populateMllmElementwiseToLinalgPatterns(typeConverter, patterns);
  populateMllmUnaryToLinalgPatterns(typeConverter, patterns);
  populateMllmResizeToLinalgPatterns(typeConverter, patterns);
  populateMllmNormalizationToLinalgPatterns(patterns);
  populateMllmReductionToLinalgPatterns(typeConverter, patterns);
  populateMllmArgReductionToLinalgPatterns(typeConverter, patterns);
  populateMllmConvolutionToLinalgPatterns(patterns);
  populateMllmPoolingToLinalgPatterns(typeConverter, patterns);
  populateMllmMatmulToLinalgPatterns(typeConverter, patterns);
  populateMllmDataMovementToLinalgPatterns(typeConverter, patterns);
  populateMllmIndexingToLinalgPatterns(typeConverter, patterns);
  populateMllmAttentionToLinalgPatterns(patterns);
  if (options.flashAttention)
    populateMllmFlashAttentionToLinalgPatterns(patterns, options.flashQueryTile,
                                               options.flashMinParallelism);
  if (options.attentionKernelMinQueries > 0)
    populateMllmAttentionKernelPatterns(patterns,
                                        options.attentionKernelMinQueries);
  populateMllmMlpToLinalgPatterns(patterns);
  populateMllmRotaryToLinalgPatterns(patterns);
  populateMllmTopKToLinalgPatterns(typeConverter, patterns);
  populateMllmCumsumToLinalgPatterns(typeConverter, patterns);
  populateMllmScatterToLinalgPatterns(typeConverter, patterns);
}

namespace {

struct ConvertMllmToLinalgPass
    : impl::ConvertMllmToLinalgBase<ConvertMllmToLinalgPass> {
  using Base::Base;

  /// The flash-attention lowering's stack tiles.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    registry
        .insert<bufferization::BufferizationDialect, memref::MemRefDialect>();
  }

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patternList(context);
    if (flashQueryTile <= 0)
      return emitError(UnknownLoc::get(context))
             << "convert-mllm-to-linalg: flash-query-tile must be positive, "
                "got "
             << flashQueryTile.getValue();
    populateMllmToLinalgPatterns(typeConverter, patternList,
                                 {flashAttention, flashQueryTile,
                                  flashMinParallelism,
                                  attentionKernelMinQueries});
    // Entry signatures and returns with unsigned types become signless.
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patternList, typeConverter);
    populateReturnOpTypeConversionPattern(patternList, typeConverter);
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
      if (op->getDialect() != mllmDialect || lowered.count(op->getName()) ||
          isa<mlir::mllm::KernelAttentionOp,
              mlir::mllm::KernelAttentionPartialOp>(op))
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

    if (auto func = dyn_cast<func::FuncOp>(root))
      recordModelElementTypes(func);
    ConversionTarget target(*context);
    target.addIllegalDialect<mlir::mllm::MllmDialect>();
    // What this pass produces for a target's own kernel.
    target.addLegalOp<mlir::mllm::KernelAttentionOp,
                      mlir::mllm::KernelAttentionPartialOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return typeConverter.isSignatureLegal(func.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp ret) { return typeConverter.isLegal(ret); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(root, target, patterns)))
      signalPassFailure();
  }

  SignlessTypeConverter typeConverter;
  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace mllmc
