//===- AttentionUtils.h - Shared helpers of the attention fusion -*- C++ -*-=//
//
// Compile-time evaluation of the small constant subgraphs exporters leave
// around attention (scales, masks built by Range/Less/Where), and shape-op
// builders that compose with the reshapes and transposes already there.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_ATTENTIONUTILS_H
#define MLLMC_PASSES_FUSION_ATTENTIONUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace mllmc::attention {

/// A tensor computed at compile time: row-major values as doubles (`i1` as
/// 0 and 1).
struct ConstantTensor {
  llvm::SmallVector<int64_t> shape;
  std::vector<double> values;

  /// Whether every element is the same (true for an empty tensor).
  bool isSplat() const;
};

/// The largest intermediate tensor `evaluateConstant` computes.
inline constexpr int64_t kMaxEvaluatedElements = int64_t(1) << 22;

/// Evaluates `value` when it is computed from `mllm.constant`s only, through
/// elementwise arithmetic, comparisons, selects, casts and shape ops (what a
/// causal mask built by Range/Less/Where/Trilu/Slice imports as). Returns
/// nullopt for anything else, a dynamic shape, or more than
/// kMaxEvaluatedElements elements.
std::optional<ConstantTensor> evaluateConstant(mlir::Value value);

/// The value of a constant whose elements are all equal, or nullopt.
std::optional<double> getSplatConstant(mlir::Value value);

/// If `op` multiplies or divides a value by a constant whose elements are
/// all equal (and that does not broadcast the value), returns the value and
/// the factor (1 / c for a division).
std::optional<std::pair<mlir::Value, double>> matchScaling(mlir::Operation *op);

/// Masked scores: a float at or below this (or -inf) masks a key out.
inline constexpr double kMaskedScoreBound = -1.0e4;

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

/// The ranked tensor type of `value`.
inline mlir::RankedTensorType getTensorType(mlir::Value value) {
  return llvm::cast<mlir::RankedTensorType>(value.getType());
}

/// Formats a shape as `[1, 8, ?, 64]` for reasons given to people.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

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
