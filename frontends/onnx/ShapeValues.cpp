//===- ShapeValues.cpp - Shape computations on run-time dims --------------===//

#include "frontends/onnx/ShapeValues.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace mllmc::onnx_frontend {

namespace {

using Elements = SmallVector<OpFoldResult>;

/// A known element of an integer (index) or boolean (i1) tensor.
OpFoldResult knownElement(MLIRContext *context, Type elementType,
                          int64_t value) {
  Type type = elementType.isInteger(1) ? elementType : IndexType::get(context);
  return IntegerAttr::get(type, value);
}

/// The element read back from an operand of a shape value.
std::optional<OpFoldResult> readElement(Value operand, Type elementType) {
  APInt constant;
  if (matchPattern(operand, m_ConstantInt(&constant)))
    return knownElement(operand.getContext(), elementType,
                        elementType.isInteger(1) ? constant.getZExtValue()
                                                 : constant.getSExtValue());
  if (elementType.isInteger(1))
    return OpFoldResult(operand);
  if (auto cast = operand.getDefiningOp<arith::IndexCastOp>())
    if (cast.getIn().getType().isIndex())
      return OpFoldResult(cast.getIn());
  return std::nullopt;
}

/// Whether the result and the operands of a folded op have element types
/// index arithmetic can model: signless integers, and booleans.
bool isFoldableType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         tensor.getNumElements() <= kMaxShapeElements &&
         tensor.getElementType().isSignlessInteger();
}

/// The flat index into an operand of `operandShape` broadcast to
/// `resultShape` (numpy rules) of the result's flat index `flat`.
int64_t broadcastIndex(ArrayRef<int64_t> resultShape,
                       ArrayRef<int64_t> operandShape, int64_t flat) {
  int64_t offset = resultShape.size() - operandShape.size();
  int64_t index = 0, stride = 1;
  for (int64_t d = resultShape.size() - 1; d >= 0; --d) {
    int64_t position = flat % resultShape[d];
    flat /= resultShape[d];
    if (d < offset)
      continue;
    int64_t size = operandShape[d - offset];
    if (size != 1)
      index += position * stride;
    stride *= size;
  }
  return index;
}

/// Folds an arith op on two elements; createOrFold folds known values and
/// identities (x + 0, x * 1).
template <typename OpTy>
OpFoldResult foldBinary(OpBuilder &b, Location loc, OpFoldResult lhs,
                        OpFoldResult rhs) {
  Value result = b.createOrFold<OpTy>(loc, getIndexValue(b, loc, lhs),
                                      getIndexValue(b, loc, rhs));
  return getAsOpFoldResult(result);
}

Value getBoolValue(OpBuilder &b, Location loc, OpFoldResult value) {
  if (auto v = dyn_cast<Value>(value))
    return v;
  return arith::ConstantOp::create(b, loc,
                                   cast<IntegerAttr>(cast<Attribute>(value)))
      .getResult();
}

OpFoldResult boolElement(MLIRContext *context, bool value) {
  return IntegerAttr::get(IntegerType::get(context, 1), value);
}

/// `lhs <predicate> rhs` on index elements; a non-negative value compared
/// with a negative constant (ONNX's -1 placeholders) folds.
OpFoldResult compare(OpBuilder &b, Location loc, mllm::CmpPredicate predicate,
                     OpFoldResult lhs, OpFoldResult rhs) {
  MLIRContext *context = b.getContext();
  std::optional<int64_t> l = getConstantIntValue(lhs);
  std::optional<int64_t> r = getConstantIntValue(rhs);
  // Known order: -1 for lhs < rhs, 1 for lhs > rhs, 0 for equal.
  std::optional<int> order;
  if (l && r)
    order = *l < *r ? -1 : *l > *r ? 1 : 0;
  else if (r && *r < 0 && isNonNegative(lhs))
    order = 1;
  else if (l && *l < 0 && isNonNegative(rhs))
    order = -1;
  else if (lhs == rhs)
    order = 0;
  if (order) {
    switch (predicate) {
    case mllm::CmpPredicate::eq:
      return boolElement(context, *order == 0);
    case mllm::CmpPredicate::ne:
      return boolElement(context, *order != 0);
    case mllm::CmpPredicate::lt:
      return boolElement(context, *order < 0);
    case mllm::CmpPredicate::le:
      return boolElement(context, *order <= 0);
    case mllm::CmpPredicate::gt:
      return boolElement(context, *order > 0);
    case mllm::CmpPredicate::ge:
      return boolElement(context, *order >= 0);
    }
  }
  arith::CmpIPredicate arithPredicate;
  switch (predicate) {
  case mllm::CmpPredicate::eq:
    arithPredicate = arith::CmpIPredicate::eq;
    break;
  case mllm::CmpPredicate::ne:
    arithPredicate = arith::CmpIPredicate::ne;
    break;
  case mllm::CmpPredicate::lt:
    arithPredicate = arith::CmpIPredicate::slt;
    break;
  case mllm::CmpPredicate::le:
    arithPredicate = arith::CmpIPredicate::sle;
    break;
  case mllm::CmpPredicate::gt:
    arithPredicate = arith::CmpIPredicate::sgt;
    break;
  case mllm::CmpPredicate::ge:
    arithPredicate = arith::CmpIPredicate::sge;
    break;
  }
  return arith::CmpIOp::create(b, loc, arithPredicate,
                               getIndexValue(b, loc, lhs),
                               getIndexValue(b, loc, rhs))
      .getResult();
}

OpFoldResult select(OpBuilder &b, Location loc, OpFoldResult condition,
                    OpFoldResult whenTrue, OpFoldResult whenFalse,
                    bool isBool) {
  if (std::optional<int64_t> known = getConstantIntValue(condition))
    return *known ? whenTrue : whenFalse;
  if (whenTrue == whenFalse)
    return whenTrue;
  auto value = [&](OpFoldResult v) {
    return isBool ? getBoolValue(b, loc, v) : getIndexValue(b, loc, v);
  };
  return arith::SelectOp::create(b, loc, cast<Value>(condition),
                                 value(whenTrue), value(whenFalse))
      .getResult();
}

/// A boolean op on i1 elements: `and`, `or`, or `xor` with true (not).
template <typename OpTy>
OpFoldResult foldBool(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  Value result = b.createOrFold<OpTy>(loc, getBoolValue(b, loc, lhs),
                                      getBoolValue(b, loc, rhs));
  return getAsOpFoldResult(result);
}

/// An elementwise op with numpy broadcasting over the operands' elements.
template <typename Fn>
Elements broadcastElementwise(Operation *op, ArrayRef<Elements> operands,
                              Fn &&fn) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Elements result;
  for (int64_t flat = 0; flat < resultType.getNumElements(); ++flat) {
    SmallVector<OpFoldResult> args;
    for (auto [operand, elements] : llvm::zip(op->getOperands(), operands))
      args.push_back(elements[broadcastIndex(
          resultType.getShape(),
          cast<RankedTensorType>(operand.getType()).getShape(), flat)]);
    result.push_back(fn(args));
  }
  return result;
}

/// The elements of a static slice.
Elements sliceElements(mllm::SliceOp slice, const Elements &input) {
  auto inputType = cast<RankedTensorType>(slice.getInput().getType());
  auto resultType = cast<RankedTensorType>(slice.getType());
  ArrayRef<int64_t> inShape = inputType.getShape();
  ArrayRef<int64_t> outShape = resultType.getShape();
  Elements result;
  for (int64_t flat = 0; flat < resultType.getNumElements(); ++flat) {
    int64_t rest = flat, index = 0, stride = 1;
    for (int64_t d = outShape.size() - 1; d >= 0; --d) {
      int64_t position = rest % outShape[d];
      rest /= outShape[d];
      index += (slice.getStarts()[d] + position * slice.getSteps()[d]) * stride;
      stride *= inShape[d];
    }
    result.push_back(input[index]);
  }
  return result;
}

} // namespace

std::optional<SmallVector<OpFoldResult>> getShapeElements(Value value) {
  if (!value)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxShapeElements ||
      !type.getElementType().isSignlessInteger())
    return std::nullopt;
  Type elementType = type.getElementType();
  Elements elements;
  if (auto constant = value.getDefiningOp<mllm::ConstantOp>()) {
    auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue());
    if (!dense)
      return std::nullopt;
    for (const APInt &v : dense.getValues<APInt>())
      elements.push_back(knownElement(
          value.getContext(), elementType,
          elementType.isInteger(1) ? v.getZExtValue() : v.getSExtValue()));
    return elements;
  }
  auto fromElements = value.getDefiningOp<tensor::FromElementsOp>();
  if (!fromElements)
    return std::nullopt;
  for (Value operand : fromElements.getElements()) {
    std::optional<OpFoldResult> element = readElement(operand, elementType);
    if (!element)
      return std::nullopt;
    elements.push_back(*element);
  }
  return elements;
}

bool isRuntimeShape(Value value) {
  return value && value.getDefiningOp<tensor::FromElementsOp>() &&
         getShapeElements(value).has_value();
}

Value createShapeTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> elements) {
  Type elementType = type.getElementType();
  unsigned width = elementType.getIntOrFloatBitWidth();
  if (llvm::all_of(elements,
                   [](OpFoldResult e) { return isa<Attribute>(e); })) {
    SmallVector<APInt> values;
    for (OpFoldResult element : elements)
      values.push_back(APInt(width, *getConstantIntValue(element),
                             /*isSigned=*/width > 1, /*implicitTrunc=*/true));
    return mllm::ConstantOp::create(b, loc,
                                    DenseElementsAttr::get(type, values));
  }
  SmallVector<Value> operands;
  for (OpFoldResult element : elements) {
    if (auto attr = dyn_cast<Attribute>(element)) {
      operands.push_back(arith::ConstantOp::create(
          b, loc,
          IntegerAttr::get(elementType,
                           APInt(width, *getConstantIntValue(element),
                                 width > 1, /*implicitTrunc=*/true))));
    } else if (elementType.isInteger(1)) {
      operands.push_back(cast<Value>(element));
    } else {
      operands.push_back(arith::IndexCastOp::create(b, loc, elementType,
                                                    cast<Value>(element)));
    }
  }
  return tensor::FromElementsOp::create(b, loc, type, operands);
}

bool isNonNegative(OpFoldResult value) {
  if (std::optional<int64_t> known = getConstantIntValue(value))
    return *known >= 0;
  Operation *op = cast<Value>(value).getDefiningOp();
  if (!op)
    return false;
  if (isa<tensor::DimOp, arith::IndexCastUIOp>(op))
    return true;
  if (isa<arith::AddIOp, arith::MulIOp, arith::DivSIOp, arith::DivUIOp,
          arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp,
          arith::RemSIOp, arith::RemUIOp, arith::MinSIOp>(op))
    return llvm::all_of(op->getOperands(), [](Value operand) {
      return isNonNegative(OpFoldResult(operand));
    });
  if (auto maxOp = dyn_cast<arith::MaxSIOp>(op))
    return isNonNegative(OpFoldResult(maxOp.getLhs())) ||
           isNonNegative(OpFoldResult(maxOp.getRhs()));
  if (auto selectOp = dyn_cast<arith::SelectOp>(op))
    return isNonNegative(OpFoldResult(selectOp.getTrueValue())) &&
           isNonNegative(OpFoldResult(selectOp.getFalseValue()));
  return false;
}

Value getIndexValue(OpBuilder &b, Location loc, OpFoldResult value) {
  if (auto v = dyn_cast<Value>(value))
    return v;
  return arith::ConstantIndexOp::create(b, loc, *getConstantIntValue(value));
}

OpFoldResult addIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  return foldBinary<arith::AddIOp>(b, loc, lhs, rhs);
}

OpFoldResult subIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  return foldBinary<arith::SubIOp>(b, loc, lhs, rhs);
}

OpFoldResult mulIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  return foldBinary<arith::MulIOp>(b, loc, lhs, rhs);
}

OpFoldResult divIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  return foldBinary<arith::DivSIOp>(b, loc, lhs, rhs);
}

OpFoldResult ceilDivIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                          OpFoldResult rhs) {
  return foldBinary<arith::CeilDivSIOp>(b, loc, lhs, rhs);
}

Value foldShapeValues(OpBuilder &b, Operation *op) {
  if (op->getNumResults() != 1 || op->getNumOperands() == 0 ||
      !isFoldableType(op->getResult(0).getType()) ||
      !llvm::any_of(op->getOperands(), isRuntimeShape))
    return nullptr;
  SmallVector<Elements> operands;
  for (Value operand : op->getOperands()) {
    std::optional<Elements> elements = getShapeElements(operand);
    if (!elements)
      return nullptr;
    operands.push_back(std::move(*elements));
  }
  Location loc = op->getLoc();
  MLIRContext *context = op->getContext();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  bool isBool = resultType.getElementType().isInteger(1);
  auto binary = [&](auto fn) {
    return broadcastElementwise(
        op, operands, [&](ArrayRef<OpFoldResult> a) { return fn(a[0], a[1]); });
  };

  std::optional<Elements> result;
  if (isa<mllm::AddOp>(op) && !isBool)
    result = binary(
        [&](OpFoldResult l, OpFoldResult r) { return addIndex(b, loc, l, r); });
  else if (isa<mllm::SubOp>(op) && !isBool)
    result = binary(
        [&](OpFoldResult l, OpFoldResult r) { return subIndex(b, loc, l, r); });
  else if (isa<mllm::MulOp>(op) && !isBool)
    result = binary(
        [&](OpFoldResult l, OpFoldResult r) { return mulIndex(b, loc, l, r); });
  else if (isa<mllm::DivOp>(op) && !isBool)
    result = binary(
        [&](OpFoldResult l, OpFoldResult r) { return divIndex(b, loc, l, r); });
  else if (isa<mllm::MaxOp>(op) && !isBool)
    result = binary([&](OpFoldResult l, OpFoldResult r) {
      return foldBinary<arith::MaxSIOp>(b, loc, l, r);
    });
  else if (isa<mllm::MinOp>(op) && !isBool)
    result = binary([&](OpFoldResult l, OpFoldResult r) {
      return foldBinary<arith::MinSIOp>(b, loc, l, r);
    });
  else if (isa<mllm::NegOp>(op) && !isBool)
    result = broadcastElementwise(op, operands, [&](ArrayRef<OpFoldResult> a) {
      return subIndex(b, loc, b.getIndexAttr(0), a[0]);
    });
  else if (auto cmp = dyn_cast<mllm::CmpOp>(op);
           cmp && !cast<RankedTensorType>(cmp.getLhs().getType())
                       .getElementType()
                       .isInteger(1))
    result = binary([&](OpFoldResult l, OpFoldResult r) {
      return compare(b, loc, cmp.getPredicate(), l, r);
    });
  else if (isa<mllm::SelectOp>(op))
    result = broadcastElementwise(op, operands, [&](ArrayRef<OpFoldResult> a) {
      return select(b, loc, a[0], a[1], a[2], isBool);
    });
  else if (isa<mllm::AndOp>(op))
    result = binary([&](OpFoldResult l, OpFoldResult r) {
      return foldBool<arith::AndIOp>(b, loc, l, r);
    });
  else if (isa<mllm::OrOp>(op))
    result = binary([&](OpFoldResult l, OpFoldResult r) {
      return foldBool<arith::OrIOp>(b, loc, l, r);
    });
  else if (isa<mllm::NotOp>(op))
    result = broadcastElementwise(op, operands, [&](ArrayRef<OpFoldResult> a) {
      return foldBool<arith::XOrIOp>(b, loc, a[0], boolElement(context, true));
    });
  else if (auto castOp = dyn_cast<mllm::CastOp>(op)) {
    bool fromBool = cast<RankedTensorType>(castOp.getInput().getType())
                        .getElementType()
                        .isInteger(1);
    Elements converted;
    for (OpFoldResult element : operands[0]) {
      if (fromBool == isBool)
        converted.push_back(element);
      else if (isBool)
        converted.push_back(compare(b, loc, mllm::CmpPredicate::ne, element,
                                    b.getIndexAttr(0)));
      else if (std::optional<int64_t> known = getConstantIntValue(element))
        converted.push_back(b.getIndexAttr(*known));
      else
        converted.push_back(arith::IndexCastUIOp::create(
                                b, loc, b.getIndexType(), cast<Value>(element))
                                .getResult());
    }
    result = std::move(converted);
  } else if (isa<mllm::ReshapeOp>(op)) {
    result = operands[0];
  } else if (auto slice = dyn_cast<mllm::SliceOp>(op)) {
    result = sliceElements(slice, operands[0]);
  } else if (auto gather = dyn_cast<mllm::GatherOp>(op)) {
    if (operands[0].size() ==
            size_t(cast<RankedTensorType>(gather.getData().getType())
                       .getNumElements()) &&
        cast<RankedTensorType>(gather.getData().getType()).getRank() == 1) {
      Elements gathered;
      int64_t size = operands[0].size();
      for (OpFoldResult index : operands[1]) {
        std::optional<int64_t> known = getConstantIntValue(index);
        if (!known || *known < -size || *known >= size)
          return nullptr;
        gathered.push_back(operands[0][*known < 0 ? *known + size : *known]);
      }
      result = std::move(gathered);
    }
  } else if (auto concat = dyn_cast<mllm::ConcatOp>(op)) {
    if (resultType.getRank() == 1) {
      Elements joined;
      for (const Elements &elements : operands)
        llvm::append_range(joined, elements);
      result = std::move(joined);
    }
  }
  if (!result)
    return nullptr;
  return createShapeTensor(b, loc, resultType, *result);
}

} // namespace mllmc::onnx_frontend
