//===- AttentionUtils.h - Shared helpers of the attention fusion -*- C++ -*-=//
//
// Shape-op builders that compose with the reshapes and transposes already
// there, and the checked creation of `mllm.attention`.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_ATTENTIONUTILS_H
#define MLLMC_PASSES_FUSION_ATTENTIONUTILS_H

#include "passes/Fusion/FusionMatchers.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"

#include <string>

namespace mllmc::attention {

/// `value` with its last two dimensions swapped. Composes with a transpose
/// that produced `value` (and returns that transpose's input when the
/// composition is the identity) instead of stacking transposes.
mlir::Value createTransposeLastTwo(mlir::OpBuilder &builder, mlir::Location loc,
                                   mlir::Value value);

/// `value` reshaped to `shape` (same element type). Reshapes the input of a
/// reshape that produced `value` instead, and returns it unchanged when it
/// already has that shape.
mlir::Value createReshape(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value value, llvm::ArrayRef<int64_t> shape);

using fusion::formatShape;
using fusion::getTensorType;

} // namespace mllmc::attention

namespace mllmc::attention {

/// The operands and attributes of an `mllm.attention` being built.
struct AttentionParts {
  mlir::Value query, key, value, mask;
  double scale = 1.0;
  bool causal = false;
  int64_t numHeads = 1, numKvHeads = 1;
};

/// Why operands of these types and the scale and head counts of `parts`
/// would not make a valid `mllm.attention` (the verifier's rules on ranks,
/// element types, batch/head/sequence sizes, mask broadcasting and scale),
/// or "" when they would. `mask` may be null.
std::string checkAttentionTypes(mlir::RankedTensorType query,
                                mlir::RankedTensorType key,
                                mlir::RankedTensorType value,
                                mlir::RankedTensorType mask,
                                const AttentionParts &parts);

/// checkAttentionTypes on the operands of `parts`.
std::string checkAttentionParts(const AttentionParts &parts);

/// Creates the `mllm.attention` of `parts` (checked by checkAttentionTypes)
/// at the fused location of `absorbed` and reports it as a fused region.
mlir::Value createAttention(mlir::PatternRewriter &rewriter,
                            const AttentionParts &parts,
                            llvm::ArrayRef<mlir::Operation *> absorbed);

/// Erases the ops of `ops` that are left without uses, in order (users
/// first).
void eraseUnused(mlir::PatternRewriter &rewriter,
                 llvm::ArrayRef<mlir::Operation *> ops);

} // namespace mllmc::attention

#endif // MLLMC_PASSES_FUSION_ATTENTIONUTILS_H
