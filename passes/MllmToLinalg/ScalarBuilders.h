//===- ScalarBuilders.h - Scalar arith/math helpers ---------------*- C++
//-*-===//
//
// Scalar helpers used inside linalg.generic bodies: arithmetic that picks the
// float or integer arith op from the element type, casts between element
// types, and constants.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_SCALARBUILDERS_H
#define MLLMC_PASSES_MLLMTOLINALG_SCALARBUILDERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

namespace mllmc {

/// The type reductions and transcendental functions compute in: f32 for
/// f16/bf16 (and other floats narrower than 32 bits), otherwise `type`.
mlir::Type getComputeType(mlir::Type type);

/// A float or integer constant of `type` holding `value`.
mlir::Value createScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Type type, double value);

/// The identity of max for `type`: -inf for floats, the smallest signed
/// value for integers (0 when `isUnsigned`, and for i1).
mlir::TypedAttr getLowestValueAttr(mlir::Type type, bool isUnsigned = false);
/// The identity of min for `type`: +inf for floats, the largest signed value
/// for integers (the largest unsigned one when `isUnsigned`; true for i1).
mlir::TypedAttr getHighestValueAttr(mlir::Type type, bool isUnsigned = false);

/// Whether createScalarCast converts `srcType` to `dstType`: both are floats
/// or signless integers.
bool isSupportedScalarCast(mlir::Type srcType, mlir::Type dstType);

/// Converts `value` to `dstType` with numpy cast semantics: float<->float
/// extends or truncates, int->float is signed (unsigned with `srcUnsigned`,
/// and for i1), float->int truncates toward zero (to an unsigned integer
/// narrower than 64 bits with `dstUnsigned`: through i64, so out-of-range
/// values wrap), x->i1 is `x != 0`, int<->int sign-extends (zero-extends
/// with `srcUnsigned`, and from i1) or truncates. The signless `value` and
/// `dstType` carry the bits; the flags say how to read them. Returns
/// nullptr for unsupported types.
mlir::Value createScalarCast(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value value, mlir::Type dstType,
                             bool srcUnsigned = false,
                             bool dstUnsigned = false);

/// The binary arithmetic families, each mapped to arith's float or integer
/// op by the operand type.
enum class ScalarBinaryKind { Add, Sub, Mul, Div, Rem, Max, Min, Pow };

/// `lhs <kind> rhs` on two values of the same float or integer type.
/// Integer division, max and min are signed, or unsigned with `isUnsigned`
/// (max/min of i1 are always unsigned: or/and); integer pow squares by bits.
mlir::Value createScalarBinary(mlir::OpBuilder &b, mlir::Location loc,
                               ScalarBinaryKind kind, mlir::Value lhs,
                               mlir::Value rhs, bool isUnsigned = false);

/// The comparison predicates of `mllm.cmp`.
enum class ScalarCmpKind { Eq, Ne, Lt, Le, Gt, Ge };

/// `lhs <kind> rhs` as i1: ordered float compares (une for ne), signed
/// integer compares (unsigned with `isUnsigned`, and for i1).
mlir::Value createScalarCmp(mlir::OpBuilder &b, mlir::Location loc,
                            ScalarCmpKind kind, mlir::Value lhs,
                            mlir::Value rhs, bool isUnsigned = false);

/// Activations on a float scalar, in its own type. Callers extend f16/bf16
/// to f32 first (see getComputeType).
/// `1 / (1 + exp(-x))`.
mlir::Value createScalarSigmoid(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value x);
/// GELU: `0.5 x (1 + erf(x / sqrt(2)))`, or with `tanhApproximation`
/// `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`.
mlir::Value createScalarGelu(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x, bool tanhApproximation);
/// QuickGELU (CLIP): `x * sigmoid(1.702 x)`.
mlir::Value createScalarQuickGelu(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::Value x);
/// SiLU: `x * sigmoid(x)`.
mlir::Value createScalarSilu(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x);
/// ReLU on a float or signed integer: `max(x, 0)`.
mlir::Value createScalarRelu(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x);

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_SCALARBUILDERS_H
