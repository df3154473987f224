//===- MllmFolders.cpp - folders of mllm ops ------------------------------===//
//
// Algebraic identities with splat constants (x + 0, x * 1, ...), identity
// shape ops, and the composition of chained reshapes and transposes. Folds
// never change a value's type: an identity only folds when the surviving
// operand already has the result type (broadcasting may widen it).
//
// Zero is matched regardless of its sign: `x + 0.0` folds to `x` although
// IEEE gives +0 for x = -0; the sign of zero carries no meaning in models.
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::mllm;

/// Returns true if `attr` is a splat of `value` (exactly; any zero for 0).
static bool isSplatOf(Attribute attr, int64_t value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  if (isa<FloatType>(splat.getElementType())) {
    APFloat element = splat.getSplatValue<APFloat>();
    return value == 0 ? element.isZero()
                      : element.isExactlyValue(static_cast<double>(value));
  }
  if (isa<IntegerType>(splat.getElementType()))
    return splat.getSplatValue<APInt>().getSExtValue() == value;
  return false;
}

/// Returns `value` if it already has the type of `op`'s single result.
static OpFoldResult ifSameType(Operation *op, Value value) {
  if (value.getType() == op->getResult(0).getType())
    return value;
  return {};
}

/// Folds a splat constant through a shape-only op: the result is the same
/// splat with the result type, when that type is static.
static OpFoldResult foldSplatShape(Attribute input, Type resultType) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(input);
  auto shaped = dyn_cast<ShapedType>(resultType);
  if (!splat || !shaped || !shaped.hasStaticShape())
    return {};
  return splat.resizeSplat(shaped);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    return ifSameType(*this, getLhs());
  if (isSplatOf(adaptor.getLhs(), 0))
    return ifSameType(*this, getRhs());
  return {};
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  if (isSplatOf(adaptor.getLhs(), 1))
    return ifSameType(*this, getRhs());
  return {};
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

OpFoldResult NotOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  return {};
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  if (getTrueValue() == getFalseValue())
    return ifSameType(*this, getTrueValue());
  auto condition = dyn_cast_or_null<SplatElementsAttr>(adaptor.getCondition());
  if (!condition)
    return {};
  return ifSameType(*this, condition.getSplatValue<bool>() ? getTrueValue()
                                                           : getFalseValue());
}

OpFoldResult CastOp::fold(FoldAdaptor) { return ifSameType(*this, getInput()); }

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  auto type = cast<RankedTensorType>(getType());
  // With at most one dynamic dimension, equal types mean equal shapes.
  if (getInput().getType() == type && type.getNumDynamicDims() <= 1)
    return getInput();
  // reshape(reshape(x)) -> reshape(x): only the final shape matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return foldSplatShape(adaptor.getInput(), type);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> permutation = getPermutation();
  if (llvm::equal(permutation, llvm::seq<int64_t>(0, permutation.size())))
    return getInput();
  // transpose(transpose(x, inner), outer) = transpose(x, inner[outer[i]]).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> innerPermutation = inner.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t dim : permutation)
      composed.push_back(innerPermutation[dim]);
    getInputMutable().assign(inner.getInput());
    setPermutation(composed);
    // The composition may be the identity; fold that on the next visit.
    return getResult();
  }
  return foldSplatShape(adaptor.getInput(), getType());
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return ifSameType(*this, getInputs().front());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  bool identity = inputType.hasStaticShape() && inputType == getType();
  for (auto [start, step] : llvm::zip_equal(getStarts(), getSteps()))
    identity &= start == 0 && step == 1;
  if (identity)
    return getInput();
  return foldSplatShape(adaptor.getInput(), getType());
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }
