//===- ShapeValueSizes.cpp - Run-time sizes from shape values -------------===//
//
// The dims shape values are built from, the tensors consumers create at
// run-time sizes, and the end of an import that leaves shape values only
// as index arithmetic (ShapeValues.h).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ShapeValues.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace mllmc::onnx_frontend {

/// The (value, axis) whose dynamic dim equals dim `axis` of `value`, found
/// through ops whose result dims are their operands' (elementwise and
/// broadcasting ops, norms, casts, transposes, the rows of a linear or
/// matmul, gathers), so that dims of different tensors that are one
/// symbolic size are read from the same tensor and compare equal.
static std::pair<Value, int64_t> traceDim(Value value, int64_t axis) {
  while (Operation *op = value.getDefiningOp()) {
    auto type = cast<RankedTensorType>(value.getType());
    auto dynamicAt = [&](Value operand, int64_t operandAxis) {
      auto operandType = dyn_cast<RankedTensorType>(operand.getType());
      return operandType && operandAxis >= 0 &&
             operandAxis < operandType.getRank() &&
             operandType.isDynamicDim(operandAxis);
    };
    std::optional<std::pair<Value, int64_t>> next;
    if (op->hasTrait<OpTrait::SameOperandsAndResultType>() ||
        isa<mllm::CastOp, mllm::LayerNormOp, mllm::RmsNormOp>(op)) {
      if (dynamicAt(op->getOperand(0), axis))
        next = {op->getOperand(0), axis};
    } else if (isa<mllm::AddOp, mllm::SubOp, mllm::MulOp, mllm::DivOp,
                   mllm::PowOp, mllm::MaxOp, mllm::MinOp, mllm::AndOp,
                   mllm::OrOp, mllm::CmpOp, mllm::SelectOp>(op)) {
      // Broadcasting: a dynamic dim of an operand at the aligned position.
      for (Value operand : op->getOperands()) {
        int64_t operandAxis =
            axis - (type.getRank() -
                    cast<RankedTensorType>(operand.getType()).getRank());
        if (dynamicAt(operand, operandAxis)) {
          next = {operand, operandAxis};
          break;
        }
      }
    } else if (auto transpose = dyn_cast<mllm::TransposeOp>(op)) {
      next = {transpose.getInput(), transpose.getPermutation()[axis]};
    } else if (auto linear = dyn_cast<mllm::LinearOp>(op)) {
      if (axis + 1 < type.getRank())
        next = {linear.getInput(), axis};
    } else if (auto matmul = dyn_cast<mllm::MatmulOp>(op)) {
      auto lhsType = cast<RankedTensorType>(matmul.getLhs().getType());
      if (lhsType.getRank() == type.getRank() && axis + 1 < type.getRank())
        next = {matmul.getLhs(), axis};
    } else if (auto gather = dyn_cast<mllm::GatherOp>(op)) {
      int64_t gatherAxis = gather.getAxis();
      int64_t indicesRank =
          cast<RankedTensorType>(gather.getIndices().getType()).getRank();
      if (axis < gatherAxis)
        next = {gather.getData(), axis};
      else if (axis < gatherAxis + indicesRank)
        next = {gather.getIndices(), axis - gatherAxis};
      else
        next = {gather.getData(), axis - indicesRank + 1};
    }
    if (!next || !dynamicAt(next->first, next->second))
      break;
    std::tie(value, axis) = *next;
  }
  return {value, axis};
}

SmallVector<OpFoldResult> getDimElements(OpBuilder &b, Location loc,
                                         Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> dims;
  for (int64_t axis = 0; axis < type.getRank(); ++axis) {
    if (!type.isDynamicDim(axis)) {
      dims.push_back(b.getIndexAttr(type.getDimSize(axis)));
      continue;
    }
    auto [source, sourceAxis] = traceDim(value, axis);
    if (auto expand = source.getDefiningOp<tensor::ExpandShapeOp>())
      dims.push_back(expand.getMixedOutputShape()[sourceAxis]);
    else if (auto empty = source.getDefiningOp<tensor::EmptyOp>())
      dims.push_back(empty.getMixedSizes()[sourceAxis]);
    else
      dims.push_back(
          tensor::DimOp::create(b, loc, source, sourceAxis).getResult());
  }
  return dims;
}

/// The ONNX dim_param name of dim `axis` of a graph input, else empty.
static StringRef getInputDimName(Value value, int64_t axis) {
  auto argument = dyn_cast<BlockArgument>(value);
  if (!argument)
    return {};
  auto func = dyn_cast<FunctionOpInterface>(argument.getOwner()->getParentOp());
  if (!func)
    return {};
  auto names = func.getArgAttrOfType<ArrayAttr>(argument.getArgNumber(),
                                                "mllm.dim_names");
  if (!names || axis >= int64_t(names.size()))
    return {};
  auto name = dyn_cast<StringAttr>(names[axis]);
  return name ? name.getValue() : StringRef();
}

bool isSameElement(OpFoldResult lhs, OpFoldResult rhs) {
  if (lhs == rhs)
    return true;
  std::optional<int64_t> l = getConstantIntValue(lhs);
  std::optional<int64_t> r = getConstantIntValue(rhs);
  if (l || r)
    return l == r;
  auto lhsDim = cast<Value>(lhs).getDefiningOp<tensor::DimOp>();
  auto rhsDim = cast<Value>(rhs).getDefiningOp<tensor::DimOp>();
  if (!lhsDim || !rhsDim || !lhsDim.getConstantIndex() ||
      !rhsDim.getConstantIndex())
    return false;
  int64_t lhsAxis = *lhsDim.getConstantIndex();
  int64_t rhsAxis = *rhsDim.getConstantIndex();
  if (lhsDim.getSource() == rhsDim.getSource() && lhsAxis == rhsAxis)
    return true;
  // Graph inputs' dims with one dim_param name are one size (the runtime
  // refuses inputs where they differ).
  StringRef name = getInputDimName(lhsDim.getSource(), lhsAxis);
  return !name.empty() && name == getInputDimName(rhsDim.getSource(), rhsAxis);
}

OpFoldResult divideProducts(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> dividend,
                            ArrayRef<OpFoldResult> divisor) {
  SmallVector<OpFoldResult> top(dividend), bottom;
  int64_t topConstant = 1, bottomConstant = 1;
  for (OpFoldResult factor : divisor) {
    if (std::optional<int64_t> known = getConstantIntValue(factor)) {
      bottomConstant *= *known;
      continue;
    }
    auto *it = llvm::find_if(
        top, [&](OpFoldResult t) { return isSameElement(t, factor); });
    if (it != top.end())
      top.erase(it);
    else
      bottom.push_back(factor);
  }
  OpFoldResult numerator = b.getIndexAttr(1);
  for (OpFoldResult factor : top) {
    if (std::optional<int64_t> known = getConstantIntValue(factor))
      topConstant *= *known;
    else
      numerator = mulIndex(b, loc, numerator, factor);
  }
  // Cancel the constant parts when they divide.
  if (bottomConstant != 0 && topConstant % bottomConstant == 0) {
    topConstant /= bottomConstant;
    bottomConstant = 1;
  }
  numerator = mulIndex(b, loc, numerator, b.getIndexAttr(topConstant));
  OpFoldResult denominator = b.getIndexAttr(bottomConstant);
  for (OpFoldResult factor : bottom)
    denominator = mulIndex(b, loc, denominator, factor);
  return divIndex(b, loc, numerator, denominator);
}

Value reshapeToSizes(OpBuilder &b, Location loc, Value input,
                     ArrayRef<OpFoldResult> sizes) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  Value flat = input;
  if (inputType.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < inputType.getRank(); ++d)
      all.push_back(d);
    SmallVector<ReassociationIndices> groups;
    if (inputType.getRank() > 0)
      groups.push_back(all);
    auto flatType = RankedTensorType::get(
        {inputType.getRank() == 0 ? 1 : ShapedType::kDynamic},
        inputType.getElementType());
    if (inputType.getRank() == 0)
      flat = tensor::ExpandShapeOp::create(
          b, loc, flatType, input, groups,
          ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
    else
      flat = tensor::CollapseShapeOp::create(b, loc, input, groups);
  }
  auto dynamicFlat =
      RankedTensorType::get({ShapedType::kDynamic}, inputType.getElementType());
  if (flat.getType() != dynamicFlat)
    flat = tensor::CastOp::create(b, loc, dynamicFlat, flat);
  if (resultType.getRank() == 1)
    return tensor::CastOp::create(b, loc, resultType, flat);
  ReassociationIndices all;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(
      b, loc, resultType, flat, SmallVector<ReassociationIndices>{all}, sizes);
}

Value createFilled(OpBuilder &b, Location loc, TypedAttr element,
                   ArrayRef<OpFoldResult> sizes) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, element.getType());
  Value scalar = arith::ConstantOp::create(b, loc, element);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// Whether `op` is import-time size bookkeeping that may be erased unused.
static bool isShapeBookkeeping(Operation *op) {
  return isa<tensor::FromElementsOp, tensor::DimOp>(op) ||
         (isa<arith::ArithDialect>(op->getDialect()) && isPure(op));
}

/// A linalg.generic writing the elements of `fromElements`.
static Value materializeAsData(OpBuilder &b,
                               tensor::FromElementsOp fromElements) {
  Location loc = fromElements.getLoc();
  auto type = cast<RankedTensorType>(fromElements.getType());
  Type elementType = type.getElementType();
  SmallVector<OpFoldResult> elements =
      *getShapeElements(fromElements.getResult());
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), elementType);
  int64_t rank = type.getRank();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty},
      ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange) {
        auto element = [&](OpFoldResult e) -> Value {
          if (std::optional<int64_t> known = getConstantIntValue(e))
            return arith::ConstantOp::create(
                nested, nestedLoc,
                IntegerAttr::get(elementType,
                                 APInt(elementType.getIntOrFloatBitWidth(),
                                       *known, !elementType.isInteger(1),
                                       /*implicitTrunc=*/true)));
          Value v = cast<Value>(e);
          if (v.getType() == elementType)
            return v;
          return arith::IndexCastOp::create(nested, nestedLoc, elementType, v);
        };
        Value result = element(elements.back());
        if (elements.size() == 1) {
          linalg::YieldOp::create(nested, nestedLoc, result);
          return;
        }
        // The flat index, then a select per element.
        Value flat = arith::ConstantIndexOp::create(nested, nestedLoc, 0);
        for (int64_t d = 0; d < rank; ++d) {
          Value size = arith::ConstantIndexOp::create(nested, nestedLoc,
                                                      type.getDimSize(d));
          flat = arith::AddIOp::create(
              nested, nestedLoc,
              arith::MulIOp::create(nested, nestedLoc, flat, size),
              linalg::IndexOp::create(nested, nestedLoc, d));
        }
        for (int64_t i = int64_t(elements.size()) - 2; i >= 0; --i) {
          Value position = arith::ConstantIndexOp::create(nested, nestedLoc, i);
          Value isHere = arith::CmpIOp::create(
              nested, nestedLoc, arith::CmpIPredicate::eq, flat, position);
          result = arith::SelectOp::create(nested, nestedLoc, isHere,
                                           element(elements[i]), result);
        }
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

/// Erases the unused bookkeeping of `func`, users before their operands.
static void eraseUnusedBookkeeping(Operation *func) {
  SmallVector<Operation *> ops;
  func->walk([&](Operation *op) {
    if (isShapeBookkeeping(op))
      ops.push_back(op);
  });
  for (Operation *op : llvm::reverse(ops))
    if (op->use_empty())
      op->erase();
}

void finalizeShapeValues(Operation *func) {
  eraseUnusedBookkeeping(func);
  SmallVector<tensor::FromElementsOp> used;
  func->walk([&](tensor::FromElementsOp op) {
    if (getShapeElements(op.getResult()))
      used.push_back(op);
  });
  for (tensor::FromElementsOp op : used) {
    OpBuilder b(op);
    op.getResult().replaceAllUsesWith(materializeAsData(b, op));
    op->erase();
  }
  if (!used.empty())
    eraseUnusedBookkeeping(func);
}

} // namespace mllmc::onnx_frontend
