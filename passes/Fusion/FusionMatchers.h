//===- FusionMatchers.h - Small matchers of the fusion patterns -*- C++ -*-===//
//
// What the projector and norm patterns ask of exporter graphs again and
// again: is this value a scalar constant close to 0.5, which operand of a
// commutative op is the constant, does an op have one use.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_FUSIONMATCHERS_H
#define MLLMC_PASSES_FUSION_FUSIONMATCHERS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace mllmc::fusion {

/// The value of a float constant whose elements are all equal (a splat, of
/// any shape), or nullopt.
std::optional<double> getSplatValue(mlir::Value value);

/// Whether `actual` is `expected` up to the rounding of `elementType` (with
/// room for constants that exporters write with fewer digits).
bool isCloseTo(double actual, double expected, mlir::Type elementType);

/// A value times (or divided by) a constant: `value = input * factor`.
struct Scaled {
  mlir::Value input;
  double factor;
  mlir::Operation *op;
};

/// Matches `x * c`, `c * x` (mllm.mul) and `x / c` (mllm.div, factor 1/c)
/// where `c` is a splat constant that does not broadcast `x` to a larger
/// shape.
std::optional<Scaled> matchScaled(mlir::Value value);

/// Matches `x + c` or `c + x` (mllm.add) with a splat constant `c` that does
/// not broadcast `x`; returns x and c.
std::optional<std::pair<mlir::Value, double>>
matchAddConstant(mlir::Value value);

/// The operand of the two-operand `op` that is not `operand` (the first one
/// when both are).
mlir::Value getOtherOperand(mlir::Operation *op, mlir::Value operand);

/// The only user of `value` when it has exactly one use, else null.
mlir::Operation *getSingleUser(mlir::Value value);

/// Formats a constant for a reason given to people: `1.5`, `0.044715`.
std::string formatConstant(double value);

/// Formats a shape as `[1, 16, ?]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// The ranked tensor type of `value`.
inline mlir::RankedTensorType getTensorType(mlir::Value value) {
  return llvm::cast<mlir::RankedTensorType>(value.getType());
}

} // namespace mllmc::fusion

#endif // MLLMC_PASSES_FUSION_FUSIONMATCHERS_H
