//===- Softmax.cpp - Numerically stable softmax in linalg -----------------===//
//
// softmax(x) = exp(x - max(x)) / sum(exp(x - max(x))) along one axis, as two
// reductions and two elementwise generics. Shared by mllm.softmax and the
// attention decomposition.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace mllmc {

/// `value == match ? replacement : value` on a float scalar.
static Value selectIfEqual(OpBuilder &b, Location loc, Value value,
                           double match, double replacement) {
  Type type = value.getType();
  auto constant = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
  };
  Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, value,
                                      constant(match));
  return arith::SelectOp::create(b, loc, equal, constant(replacement), value);
}

Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis,
                   Type resultElementType, bool zeroMaskedRows) {
  auto type = cast<RankedTensorType>(input.getType());
  Type computeType = getComputeType(type.getElementType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reducedMap = getDropDimsMap(rank, axis, b.getContext());

  Value max = buildReductionGeneric(
      b, loc, sizes, axis, getLowestValueAttr(computeType), input, identity,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value x = createScalarCast(nb, nl, args[0], computeType);
        return arith::MaximumFOp::create(nb, nl, x, args[1]);
      });
  Value exp = buildParallelGeneric(
      b, loc, sizes, computeType, {input, max}, {identity, reducedMap},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value x = createScalarCast(nb, nl, args[0], computeType);
        Value max = args[1];
        // An all -inf row shifts by 0: exp(-inf) = 0 instead of NaN.
        if (zeroMaskedRows)
          max = selectIfEqual(nb, nl, max, -INFINITY, 0.0);
        Value shifted = arith::SubFOp::create(nb, nl, x, max);
        return math::ExpOp::create(nb, nl, shifted);
      });
  Value sum = buildReductionGeneric(
      b, loc, sizes, axis, b.getFloatAttr(computeType, 0.0), exp, identity,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        return arith::AddFOp::create(nb, nl, args[0], args[1]);
      });
  return buildParallelGeneric(
      b, loc, sizes, resultElementType, {exp, sum}, {identity, reducedMap},
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value sum = args[1];
        // 0 / 1 for a row with nothing to attend to.
        if (zeroMaskedRows)
          sum = selectIfEqual(nb, nl, sum, 0.0, 1.0);
        Value quotient = arith::DivFOp::create(nb, nl, args[0], sum);
        return createScalarCast(nb, nl, quotient, resultElementType);
      });
}

} // namespace mllmc
