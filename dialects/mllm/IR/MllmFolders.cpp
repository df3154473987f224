//===- MllmFolders.cpp - folders of mllm ops ------------------------------===//
//
// Algebraic identities with splat constants (x + 0, x * 1, ...), identity
// shape ops, and the composition of chained reshapes and transposes. Folds
// never change a value's type: an identity only folds when the surviving
// operand already has the result type (broadcasting may widen it).
//
// Constant folding is limited to splats (a splat result for a static result
// type) and to small integer tensors: it handles the scalar arithmetic
// exporters leave around (scales, epsilons, casts of constants) and shape
// arithmetic (padding and crop sizes computed from shapes) without
// duplicating weight data.
//
// Zero is matched regardless of its sign: `x + 0.0` folds to `x` although
// IEEE gives +0 for x = -0; the sign of zero carries no meaning in models.
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"
#include <cmath>

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

/// Returns the static ranked tensor type `type`, or null.
static RankedTensorType staticTensorType(Type type) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  return tensorType && tensorType.hasStaticShape() ? tensorType : nullptr;
}

using FloatFn = function_ref<std::optional<APFloat>(APFloat, APFloat)>;
using IntFn = function_ref<std::optional<APInt>(APInt, APInt)>;

/// Integer tensors up to this many elements fold elementwise: shape values.
static constexpr int64_t kMaxFoldedIntElements = 64;

/// The index into `operand` (broadcast numpy-style to `resultShape`) of the
/// result's element at row-major position `linear`.
static int64_t getBroadcastIndex(ArrayRef<int64_t> resultShape,
                                 ArrayRef<int64_t> operandShape,
                                 int64_t linear) {
  int64_t index = 0, stride = 1;
  size_t offset = resultShape.size() - operandShape.size();
  for (size_t d = resultShape.size(); d-- > 0;) {
    int64_t position = linear % resultShape[d];
    linear /= resultShape[d];
    if (d < offset)
      continue;
    int64_t extent = operandShape[d - offset];
    index += (extent == 1 ? 0 : position) * stride;
    stride *= extent;
  }
  return index;
}

/// Folds a broadcasting integer binary op on small dense operands.
static OpFoldResult foldSmallIntBinary(Attribute lhs, Attribute rhs,
                                       RankedTensorType type, IntFn intFn) {
  auto lhsDense = dyn_cast_or_null<DenseIntElementsAttr>(lhs);
  auto rhsDense = dyn_cast_or_null<DenseIntElementsAttr>(rhs);
  if (!lhsDense || !rhsDense || !isa<IntegerType>(type.getElementType()) ||
      type.getNumElements() > kMaxFoldedIntElements)
    return {};
  SmallVector<APInt> lhsValues(lhsDense.getValues<APInt>());
  SmallVector<APInt> rhsValues(rhsDense.getValues<APInt>());
  SmallVector<APInt> results;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    std::optional<APInt> value =
        intFn(lhsValues[getBroadcastIndex(type.getShape(),
                                          lhsDense.getType().getShape(), i)],
              rhsValues[getBroadcastIndex(type.getShape(),
                                          rhsDense.getType().getShape(), i)]);
    if (!value)
      return {};
    results.push_back(*value);
  }
  return DenseElementsAttr::get(type, results);
}

/// Folds a broadcasting binary op whose operands are both splats into a
/// splat of the result type, or whose operands are small integer tensors.
/// `floatFn`/`intFn` compute one element and may decline (std::nullopt),
/// e.g. for an integer division by zero.
static OpFoldResult foldConstantBinary(Attribute lhs, Attribute rhs,
                                       Type resultType, FloatFn floatFn,
                                       IntFn intFn) {
  auto lhsSplat = dyn_cast_or_null<SplatElementsAttr>(lhs);
  auto rhsSplat = dyn_cast_or_null<SplatElementsAttr>(rhs);
  RankedTensorType type = staticTensorType(resultType);
  if (!type)
    return {};
  if (!lhsSplat || !rhsSplat)
    return foldSmallIntBinary(lhs, rhs, type, intFn);
  if (isa<FloatType>(type.getElementType())) {
    std::optional<APFloat> value = floatFn(lhsSplat.getSplatValue<APFloat>(),
                                           rhsSplat.getSplatValue<APFloat>());
    if (!value)
      return {};
    return DenseElementsAttr::get(type, ArrayRef<APFloat>(*value));
  }
  std::optional<APInt> value =
      intFn(lhsSplat.getSplatValue<APInt>(), rhsSplat.getSplatValue<APInt>());
  if (!value)
    return {};
  return DenseElementsAttr::get(type, ArrayRef<APInt>(*value));
}

/// Folds a float unary op on a splat by computing in double precision and
/// rounding to the element type.
static OpFoldResult foldSplatFloatUnary(Attribute input, Type resultType,
                                        double (*fn)(double)) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(input);
  RankedTensorType type = staticTensorType(resultType);
  if (!splat || !type || !isa<FloatType>(type.getElementType()))
    return {};
  APFloat value(fn(splat.getSplatValue<APFloat>().convertToDouble()));
  bool losesInfo;
  value.convert(cast<FloatType>(type.getElementType()).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &losesInfo);
  return DenseElementsAttr::get(type, ArrayRef<APFloat>(value));
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded = foldConstantBinary(
          adaptor.getLhs(), adaptor.getRhs(), getType(),
          [](APFloat a, APFloat b) -> std::optional<APFloat> { return a + b; },
          [](APInt a, APInt b) -> std::optional<APInt> { return a + b; }))
    return folded;
  if (isSplatOf(adaptor.getRhs(), 0))
    return ifSameType(*this, getLhs());
  if (isSplatOf(adaptor.getLhs(), 0))
    return ifSameType(*this, getRhs());
  return {};
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded = foldConstantBinary(
          adaptor.getLhs(), adaptor.getRhs(), getType(),
          [](APFloat a, APFloat b) -> std::optional<APFloat> { return a - b; },
          [](APInt a, APInt b) -> std::optional<APInt> { return a - b; }))
    return folded;
  if (isSplatOf(adaptor.getRhs(), 0))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded = foldConstantBinary(
          adaptor.getLhs(), adaptor.getRhs(), getType(),
          [](APFloat a, APFloat b) -> std::optional<APFloat> { return a * b; },
          [](APInt a, APInt b) -> std::optional<APInt> { return a * b; }))
    return folded;
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  if (isSplatOf(adaptor.getLhs(), 1))
    return ifSameType(*this, getRhs());
  return {};
}

/// Whether the elements of `type` are unsigned integers (ui8..ui64).
static bool hasUnsignedElements(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  if (OpFoldResult folded = foldConstantBinary(
          adaptor.getLhs(), adaptor.getRhs(), getType(),
          [](APFloat a, APFloat b) -> std::optional<APFloat> { return a / b; },
          [&](APInt a, APInt b) -> std::optional<APInt> {
            // Division by zero and INT_MIN / -1 are left to run time.
            bool overflow = false;
            if (b.isZero())
              return std::nullopt;
            if (isUnsigned)
              return a.udiv(b);
            APInt quotient = a.sdiv_ov(b, overflow);
            if (overflow)
              return std::nullopt;
            return quotient;
          }))
    return folded;
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult RemOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  return foldConstantBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        if (a.mod(b) != APFloat::opOK)
          return std::nullopt;
        return a;
      },
      [&](APInt a, APInt b) -> std::optional<APInt> {
        // A zero divisor is left to run time; INT_MIN % -1 is 0.
        if (b.isZero())
          return std::nullopt;
        return isUnsigned ? a.urem(b) : a.srem(b);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  return foldConstantBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      },
      [&](APInt a, APInt b) -> std::optional<APInt> {
        return (isUnsigned ? a.uge(b) : a.sge(b)) ? a : b;
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  return foldConstantBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      },
      [&](APInt a, APInt b) -> std::optional<APInt> {
        return (isUnsigned ? a.ule(b) : a.sle(b)) ? a : b;
      });
}

/// Compares two integers with `predicate`, unsigned when `isUnsigned`.
static bool compareInts(CmpPredicate predicate, const APInt &a, const APInt &b,
                        bool isUnsigned) {
  switch (predicate) {
  case CmpPredicate::eq:
    return a == b;
  case CmpPredicate::ne:
    return a != b;
  case CmpPredicate::lt:
    return isUnsigned ? a.ult(b) : a.slt(b);
  case CmpPredicate::le:
    return isUnsigned ? a.ule(b) : a.sle(b);
  case CmpPredicate::gt:
    return isUnsigned ? a.ugt(b) : a.sgt(b);
  case CmpPredicate::ge:
    return isUnsigned ? a.uge(b) : a.sge(b);
  }
  llvm_unreachable("unknown comparison predicate");
}

/// Small 1-D integer tensors fold: the masks the TorchScript exporter
/// computes from shapes (`Equal(shape, -1)` before `Where` and `Expand`).
/// Higher ranks (attention masks) stay ops: an i1 constant that is not a
/// splat cannot become a weight.
OpFoldResult CmpOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = staticTensorType(getType());
  if (!type || type.getRank() > 1)
    return {};
  CmpPredicate predicate = getPredicate();
  bool isUnsigned = hasUnsignedElements(getLhs().getType());
  return foldSmallIntBinary(adaptor.getLhs(), adaptor.getRhs(), type,
                            [&](APInt a, APInt b) -> std::optional<APInt> {
                              return APInt(
                                  1, compareInts(predicate, a, b, isUnsigned));
                            });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return ifSameType(*this, getLhs());
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput())) {
    if (RankedTensorType type = staticTensorType(getType())) {
      if (isa<FloatType>(type.getElementType()))
        return DenseElementsAttr::get(
            type, ArrayRef<APFloat>(-splat.getSplatValue<APFloat>()));
      return DenseElementsAttr::get(
          type, ArrayRef<APInt>(-splat.getSplatValue<APInt>()));
    }
  }
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

/// Folds an integer unary op on a splat or on a small dense tensor. A non-splat
/// `i1` result is only built for rank <= 1, as in mllm.cmp.
static OpFoldResult foldSmallIntUnary(Attribute input, Type resultType,
                                      function_ref<APInt(const APInt &)> fn) {
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(input);
  RankedTensorType type = staticTensorType(resultType);
  if (!dense || !type || !isa<IntegerType>(type.getElementType()))
    return {};
  if (dense.isSplat())
    return DenseElementsAttr::get(type, fn(dense.getSplatValue<APInt>()));
  if (type.getNumElements() > kMaxFoldedIntElements ||
      (type.getElementType().isInteger(1) && type.getRank() > 1))
    return {};
  SmallVector<APInt> results;
  for (const APInt &value : dense.getValues<APInt>())
    results.push_back(fn(value));
  return DenseElementsAttr::get(type, results);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded = foldSmallIntUnary(
          adaptor.getInput(), getType(), [](const APInt &x) { return ~x; }))
    return folded;
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  return {};
}

/// Returns true if `attr` is an `i1` splat of `value`.
static bool isBoolSplatOf(Attribute attr, bool value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  return splat && splat.getElementType().isInteger(1) &&
         splat.getSplatValue<bool>() == value;
}

/// Folds a logical and/or: constant operands (splats, small 1-D masks as in
/// mllm.cmp) and the identities `x && true = x`, `x || false = x`.
static OpFoldResult foldLogical(Operation *op, Attribute lhs, Attribute rhs,
                                bool identity, IntFn fn) {
  RankedTensorType type = staticTensorType(op->getResult(0).getType());
  bool splats = isa_and_nonnull<SplatElementsAttr>(lhs) &&
                isa_and_nonnull<SplatElementsAttr>(rhs);
  if (type && (splats || type.getRank() <= 1))
    if (OpFoldResult folded = foldConstantBinary(lhs, rhs, type, nullptr, fn))
      return folded;
  if (isBoolSplatOf(rhs, identity))
    return ifSameType(op, op->getOperand(0));
  if (isBoolSplatOf(lhs, identity))
    return ifSameType(op, op->getOperand(1));
  return {};
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldLogical(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      /*identity=*/true,
      [](APInt a, APInt b) -> std::optional<APInt> { return a & b; });
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldLogical(
      *this, adaptor.getLhs(), adaptor.getRhs(),
      /*identity=*/false,
      [](APInt a, APInt b) -> std::optional<APInt> { return a | b; });
}

/// Folds a select of small 1-D integer tensors elementwise (shape values).
static OpFoldResult foldSmallIntSelect(Attribute condition, Attribute trueValue,
                                       Attribute falseValue,
                                       RankedTensorType type) {
  if (type.getRank() > 1)
    return {};
  auto conditionDense = dyn_cast_or_null<DenseIntElementsAttr>(condition);
  auto trueDense = dyn_cast_or_null<DenseIntElementsAttr>(trueValue);
  auto falseDense = dyn_cast_or_null<DenseIntElementsAttr>(falseValue);
  if (!conditionDense || !trueDense || !falseDense ||
      !isa<IntegerType>(type.getElementType()) ||
      type.getNumElements() > kMaxFoldedIntElements)
    return {};
  SmallVector<bool> conditions(conditionDense.getValues<bool>());
  SmallVector<APInt> trueValues(trueDense.getValues<APInt>());
  SmallVector<APInt> falseValues(falseDense.getValues<APInt>());
  SmallVector<APInt> results;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    auto at = [&](DenseIntElementsAttr operand) {
      return getBroadcastIndex(type.getShape(), operand.getType().getShape(),
                               i);
    };
    results.push_back(conditions[at(conditionDense)]
                          ? trueValues[at(trueDense)]
                          : falseValues[at(falseDense)]);
  }
  return DenseElementsAttr::get(type, results);
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  if (getTrueValue() == getFalseValue())
    return ifSameType(*this, getTrueValue());
  if (RankedTensorType type = staticTensorType(getType()))
    if (OpFoldResult folded =
            foldSmallIntSelect(adaptor.getCondition(), adaptor.getTrueValue(),
                               adaptor.getFalseValue(), type))
      return folded;
  auto condition = dyn_cast_or_null<SplatElementsAttr>(adaptor.getCondition());
  if (!condition)
    return {};
  return ifSameType(*this, condition.getSplatValue<bool>() ? getTrueValue()
                                                           : getFalseValue());
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldSplatFloatUnary(adaptor.getInput(), getType(),
                             [](double x) { return std::sqrt(x); });
}

OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  return foldSplatFloatUnary(adaptor.getInput(), getType(),
                             [](double x) { return 1.0 / std::sqrt(x); });
}

OpFoldResult ReciprocalOp::fold(FoldAdaptor adaptor) {
  return foldSplatFloatUnary(adaptor.getInput(), getType(),
                             [](double x) { return 1.0 / x; });
}

/// Converts one element with the rules of mllm.cast, or std::nullopt where
/// the result is not defined (a float out of the integer's range, NaN).
/// Integers of `from` that are unsigned (or i1) zero-extend.
static std::optional<Attribute> castElement(Attribute element, Type from,
                                            Type to) {
  bool fromUnsigned = from.isUnsignedInteger() || from.isInteger(1);
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    APFloat result(toFloat.getFloatSemantics());
    if (auto floatAttr = dyn_cast<FloatAttr>(element)) {
      result = floatAttr.getValue();
      bool losesInfo;
      result.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                     &losesInfo);
    } else {
      APInt value = cast<IntegerAttr>(element).getValue();
      // i1 true is 1, not -1.
      result.convertFromAPInt(value, /*IsSigned=*/!fromUnsigned,
                              APFloat::rmNearestTiesToEven);
    }
    return FloatAttr::get(to, result);
  }
  auto toInt = cast<IntegerType>(to);
  if (auto floatAttr = dyn_cast<FloatAttr>(element)) {
    APFloat value = floatAttr.getValue();
    if (toInt.getWidth() == 1)
      return IntegerAttr::get(to, APInt(1, !value.isZero()));
    llvm::APSInt result(toInt.getWidth(), toInt.isUnsigned());
    bool isExact;
    if (value.convertToInteger(result, APFloat::rmTowardZero, &isExact) &
        APFloat::opInvalidOp)
      return std::nullopt;
    return IntegerAttr::get(to, result);
  }
  APInt value = cast<IntegerAttr>(element).getValue();
  if (toInt.getWidth() == 1)
    return IntegerAttr::get(to, APInt(1, !value.isZero()));
  return IntegerAttr::get(to, fromUnsigned
                                  ? value.zextOrTrunc(toInt.getWidth())
                                  : value.sextOrTrunc(toInt.getWidth()));
}

/// Splats fold to splats. Small integer tensors (shape values) fold
/// elementwise, except to `i1`: a bool constant that is not a splat is built
/// as an i8 constant and a cast, since it cannot become a weight.
OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = ifSameType(*this, getInput()))
    return same;
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType type = staticTensorType(getType());
  if (!dense || !type)
    return {};
  Type from = dense.getElementType(), to = type.getElementType();
  if (dense.isSplat()) {
    std::optional<Attribute> element =
        castElement(dense.getSplatValue<Attribute>(), from, to);
    if (!element)
      return {};
    return DenseElementsAttr::get(type, *element);
  }
  if (!isa<IntegerType>(from) || to.isInteger(1) ||
      type.getNumElements() > kMaxFoldedIntElements)
    return {};
  SmallVector<Attribute> elements;
  for (Attribute value : dense.getValues<Attribute>()) {
    std::optional<Attribute> element = castElement(value, from, to);
    if (!element)
      return {};
    elements.push_back(*element);
  }
  return DenseElementsAttr::get(type, elements);
}

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
  // Small integer tensors (shape values) keep their row-major order.
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getInput());
  if (dense && type.hasStaticShape() &&
      type.getNumElements() <= kMaxFoldedIntElements)
    return dense.reshape(type);
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

/// Folds a strided slice of a small dense integer tensor (shape values,
/// e.g. one dimension taken out of a Shape result).
static OpFoldResult foldSmallIntSlice(Attribute input, Type resultType,
                                      ArrayRef<int64_t> starts,
                                      ArrayRef<int64_t> steps) {
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(input);
  RankedTensorType type = staticTensorType(resultType);
  if (!dense || !type || type.getNumElements() > kMaxFoldedIntElements)
    return {};
  SmallVector<APInt> values(dense.getValues<APInt>());
  ArrayRef<int64_t> inputShape = dense.getType().getShape();
  SmallVector<APInt> results;
  for (int64_t linear = 0, e = type.getNumElements(); linear < e; ++linear) {
    int64_t index = 0, stride = 1, remaining = linear;
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      int64_t position = remaining % type.getDimSize(d);
      remaining /= type.getDimSize(d);
      index += (starts[d] + position * steps[d]) * stride;
      stride *= inputShape[d];
    }
    results.push_back(values[index]);
  }
  return DenseElementsAttr::get(type, results);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  bool identity = inputType.hasStaticShape() && inputType == getType();
  for (auto [start, step] : llvm::zip_equal(getStarts(), getSteps()))
    identity &= start == 0 && step == 1;
  if (identity)
    return getInput();
  if (OpFoldResult folded = foldSmallIntSlice(adaptor.getInput(), getType(),
                                              getStarts(), getSteps()))
    return folded;
  return foldSplatShape(adaptor.getInput(), getType());
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }
