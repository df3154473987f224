//===- FusionReport.h - What fusion did, and why it did not -----*- C++ -*-===//
//
// Fusion patterns report through MLIR's optimization remarks
// (mlir/IR/Remarks.h), which cost nothing unless a tool enables them:
//
//   - a fused region is a "passed" remark at the new op. Its location is the
//     FusedLoc of every op it absorbed (getFusedLoc), so the ONNX node names
//     survive and the report lists them;
//   - a near miss is a "missed" remark at the op the pattern anchored on,
//     with the reason. It also goes to `notifyMatchFailure`, so
//     `--debug-only=greedy-rewriter` shows it too.
//
// The remark category is the pass name (e.g. `mllm-fuse-projector`), the
// remark name the pattern's (e.g. `mlp`). `mllmc --fusion-report` collects
// them with FusionReport; `mllmc-opt --remarks-filter=mllm-fuse` prints them.
//
// In a pattern:
//
//   if (!isSqrtTwo(divisor))
//     return reportNearMiss(rewriter, erf, kPass, "gelu",
//                           "activation is not a GELU: constant 1.5 is not
//                           √2");
//   auto gelu = mllm::GeluOp::create(rewriter, getFusedLoc(absorbed), x);
//   reportFused(gelu, kPass, "gelu");
//
// Only report a near miss once the pattern has recognised the region (e.g.
// the Erf of a GELU); "this is not a matmul" is a plain notifyMatchFailure.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_FUSIONREPORT_H
#define MLLMC_PASSES_FUSION_FUSIONREPORT_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mllmc {

/// The location of an op that replaces `ops`: the FusedLoc of their
/// locations (nested FusedLocs flattened, duplicates dropped, order kept).
mlir::Location getFusedLoc(llvm::ArrayRef<mlir::Operation *> ops);

/// The ONNX node names a location carries: its NameLocs, in order, each once
/// (a FusedLoc names every node it absorbed).
llvm::SmallVector<std::string> getNodeNames(mlir::Location loc);

/// Reports that `fusedOp` replaced a region (its location names the region's
/// ops): a passed remark with category `pass` and name `pattern`.
void reportFused(mlir::Operation *fusedOp, llvm::StringRef pass,
                 llvm::StringRef pattern);

/// Reports a near miss of `pattern` (of `pass`) anchored at `op` with
/// `reason`, and returns the failure for `matchAndRewrite` to return.
llvm::LogicalResult reportNearMiss(mlir::PatternRewriter &rewriter,
                                   mlir::Operation *op, llvm::StringRef pass,
                                   llvm::StringRef pattern,
                                   const llvm::Twine &reason);

/// Collects the fusion remarks of one compilation and prints them.
///
/// A fused region that a later fusion absorbed (an mllm.linear inside an
/// mllm.mlp) is not printed on its own, and neither is a near miss whose ops
/// were fused in the end (by a later iteration or another pattern).
class FusionReport {
public:
  struct Entry {
    std::string function;
    std::string pass;
    std::string pattern;
    /// The fused op's name (empty for a near miss).
    std::string opName;
    /// Why the pattern did not match (empty for a fused region).
    std::string reason;
    llvm::SmallVector<std::string> nodes;
  };

  /// Enables the remarks of every fusion pass (`mllm-fuse-*`) on `context`
  /// and collects them here. The report must outlive the passes run on
  /// `context`.
  llvm::LogicalResult attach(mlir::MLIRContext &context);

  /// Adds one entry (thread safe: function passes run in parallel).
  void add(Entry entry);

  /// The regions fused in the end and the near misses that stayed, sorted by
  /// function and first node so that the report is deterministic.
  std::vector<Entry> getFused() const;
  std::vector<Entry> getNearMisses() const;

  /// Prints the report of the model `modelName`.
  void print(llvm::raw_ostream &os, llvm::StringRef modelName) const;

private:
  mutable std::mutex mutex;
  std::vector<Entry> entries;
};

} // namespace mllmc

#endif // MLLMC_PASSES_FUSION_FUSIONREPORT_H
