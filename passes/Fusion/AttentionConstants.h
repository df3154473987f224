//===- AttentionConstants.h - Constants around attention --------*- C++ -*-===//
//
// Compile-time evaluation of the small constant subgraphs exporters leave
// around attention: scales (Sqrt/Div of a head size), masks built by
// Range/Less/Where/Trilu/Slice or given as constants.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_ATTENTIONCONSTANTS_H
#define MLLMC_PASSES_FUSION_ATTENTIONCONSTANTS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <utility>
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
/// causal mask built by Range/Less/Where/Trilu/Tile/Slice imports as). Returns
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

} // namespace mllmc::attention

#endif // MLLMC_PASSES_FUSION_ATTENTIONCONSTANTS_H
