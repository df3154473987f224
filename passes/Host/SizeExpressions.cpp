//===- SizeExpressions.cpp - Run-time sizes of the host program -----------===//

#include "passes/Host/SizeExpressions.h"
#include "passes/HostProgram.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mllmc;

SizeExpressions::SizeExpressions(func::FuncOp func) : func(func) {
  llvm::StringMap<unsigned> byName;
  for (BlockArgument argument : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (!type)
      continue;
    unsigned number = argument.getArgNumber();
    auto names = func.getArgAttrOfType<ArrayAttr>(number, kDimNamesAttr);
    auto argName = func.getArgAttrOfType<StringAttr>(number, kNameAttr);
    for (auto [axis, size] : llvm::enumerate(type.getShape())) {
      if (!ShapedType::isDynamic(size))
        continue;
      std::string name;
      if (names && axis < names.size())
        if (auto text = dyn_cast<StringAttr>(names[axis]))
          name = text.str();
      // An unnamed dim is a symbol of its own.
      if (name.empty())
        name = (argName ? argName.str() : "input_" + std::to_string(number)) +
               "." + std::to_string(axis);
      auto [it, inserted] = byName.try_emplace(name, symbols.size());
      if (inserted)
        symbols.push_back({name, {}});
      symbols[it->second].sources.push_back({number, unsigned(axis)});
      symbolOf[{number, unsigned(axis)}] = it->second;
    }
  }
  // The derived symbols another reader recorded, in their order.
  if (auto recorded = func->getAttrOfType<ArrayAttr>(kDerivedSizesAttr)) {
    for (auto entry : recorded.getAsRange<DictionaryAttr>()) {
      auto kind = entry.getAs<StringAttr>("kind");
      auto operands = entry.getAs<AffineMapAttr>("operands");
      if (!kind || !operands || operands.getValue().getNumResults() != 2)
        break;
      AffineExpr lhs = operands.getValue().getResult(0);
      AffineExpr rhs = operands.getValue().getResult(1);
      bool isMin = kind.getValue() == "min";
      derivedOf[{isMin, lhs.getAsOpaquePointer(), rhs.getAsOpaquePointer()}] =
          getNumSymbols();
      derived.push_back({isMin, lhs, rhs});
      derivedNonNegative.push_back(
          isMin ? isNonNegative(lhs) && isNonNegative(rhs)
                : isNonNegative(lhs) || isNonNegative(rhs));
    }
  }
}

int64_t SizeExpressions::evaluate(AffineExpr expr, int64_t hint) const {
  MLIRContext *context = expr.getContext();
  SmallVector<AffineExpr> values(getNumSymbols(),
                                 getAffineConstantExpr(hint, context));
  auto valueOf = [&](AffineExpr e) {
    auto constant = dyn_cast<AffineConstantExpr>(e.replaceSymbols(values));
    return constant ? constant.getValue() : 0;
  };
  // A derived symbol reads earlier symbols only.
  for (auto [i, size] : llvm::enumerate(derived)) {
    int64_t lhs = valueOf(size.lhs), rhs = valueOf(size.rhs);
    values[symbols.size() + i] = getAffineConstantExpr(
        size.isMin ? std::min(lhs, rhs) : std::max(lhs, rhs), context);
  }
  AffineExpr folded = expr.replaceSymbols(values);
  auto constant = dyn_cast<AffineConstantExpr>(folded);
  return constant ? constant.getValue() : 0;
}

FailureOr<AffineExpr> SizeExpressions::getDim(Value value, unsigned axis) {
  return getDimIn(value, axis, nullptr);
}

FailureOr<AffineExpr> SizeExpressions::getIndex(Value value) {
  return getIndexIn(value, nullptr);
}

FailureOr<AffineExpr> SizeExpressions::getOpFoldResult(OpFoldResult ofr) {
  return getOpFoldResultIn(ofr, nullptr);
}

FailureOr<AffineExpr> SizeExpressions::getBytes(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  uint64_t bitWidth = type.getElementType().getIntOrFloatBitWidth();
  AffineExpr bytes = getAffineConstantExpr(
      std::max<uint64_t>(1, (bitWidth + 7) / 8), value.getContext());
  for (unsigned axis = 0; axis < type.getRank(); ++axis) {
    FailureOr<AffineExpr> dim = getDim(value, axis);
    if (failed(dim))
      return failure();
    bytes = bytes * *dim;
  }
  return bytes;
}

FailureOr<AffineExpr> SizeExpressions::getOpFoldResultIn(OpFoldResult ofr,
                                                         func::CallOp call) {
  if (auto attr = dyn_cast<Attribute>(ofr))
    return getAffineConstantExpr(cast<IntegerAttr>(attr).getInt(),
                                 func.getContext());
  return getIndexIn(cast<Value>(ofr), call);
}

FailureOr<AffineExpr> SizeExpressions::getDimIn(Value value, unsigned axis,
                                                func::CallOp call) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(axis))
    return getAffineConstantExpr(type.getDimSize(axis), value.getContext());
  if (!call)
    if (auto it = dimCache.find({value, axis}); it != dimCache.end())
      return it->second;

  FailureOr<AffineExpr> dim = failure();
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    unsigned number = argument.getArgNumber();
    if (call)
      dim = getDimIn(call.getOperand(number), axis, nullptr);
    else if (auto it = symbolOf.find({number, axis}); it != symbolOf.end())
      dim = getAffineSymbolExpr(it->second, value.getContext());
    else
      return emitError(value.getLoc())
             << "dim " << axis << " of this argument has no symbol";
  } else {
    dim = getDefinedDim(cast<OpResult>(value), axis, call);
  }
  if (succeeded(dim) && !call)
    dimCache[{value, axis}] = *dim;
  return dim;
}

FailureOr<AffineExpr> SizeExpressions::getDefinedDim(OpResult result,
                                                     unsigned axis,
                                                     func::CallOp call) {
  Operation *op = result.getOwner();
  MLIRContext *context = op->getContext();
  if (auto inner = dyn_cast<func::CallOp>(op)) {
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        inner, inner.getCalleeAttr());
    if (!callee || callee.isExternal())
      return inner.emitError() << "cannot see into the callee of this call";
    Value returned = callee.getBody().front().getTerminator()->getOperand(
        result.getResultNumber());
    return getDimIn(returned, axis, inner);
  }
  if (auto empty = dyn_cast<tensor::EmptyOp>(op))
    return getOpFoldResultIn(empty.getMixedSizes()[axis], call);
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    return getDimIn(dps.getTiedOpOperand(result)->get(), axis, call);
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
    return getOpFoldResultIn(expand.getMixedOutputShape()[axis], call);
  // A loop's tensor results (scf.for iter_args, scf.forall shared_outs:
  // scans, top-k, attention tiles) keep the shapes of their inits.
  if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
    if (OpOperand *init = loop.getTiedLoopInit(result))
      return getDimIn(init->get(), axis, call);
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    AffineExpr product = getAffineConstantExpr(1, context);
    // getReassociationIndices() returns a temporary: keep it alive.
    SmallVector<ReassociationIndices> groups =
        collapse.getReassociationIndices();
    for (int64_t source : groups[axis]) {
      FailureOr<AffineExpr> dim = getDimIn(collapse.getSrc(), source, call);
      if (failed(dim))
        return failure();
      product = product * *dim;
    }
    return product;
  }
  if (isa<tensor::CastOp, tensor::BitcastOp>(op))
    return getDimIn(op->getOperand(0), axis, call);
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    unsigned kept = 0;
    for (unsigned i = 0; i < sizes.size(); ++i) {
      if (dropped.test(i))
        continue;
      if (kept++ == axis)
        return getOpFoldResultIn(sizes[i], call);
    }
  }
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    FailureOr<AffineExpr> source = getDimIn(pad.getSource(), axis, call);
    FailureOr<AffineExpr> low =
        getOpFoldResultIn(pad.getMixedLowPad()[axis], call);
    FailureOr<AffineExpr> high =
        getOpFoldResultIn(pad.getMixedHighPad()[axis], call);
    if (failed(source) || failed(low) || failed(high))
      return failure();
    return *source + *low + *high;
  }
  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    if (axis != concat.getDim())
      return getDimIn(concat.getInputs().front(), axis, call);
    AffineExpr sum = getAffineConstantExpr(0, context);
    for (Value input : concat.getInputs()) {
      FailureOr<AffineExpr> dim = getDimIn(input, axis, call);
      if (failed(dim))
        return failure();
      sum = sum + *dim;
    }
    return sum;
  }
  return op->emitError() << "dim " << axis << " of result "
                         << result.getResultNumber()
                         << " of this op is dynamic, and its size at run time "
                            "cannot be derived from the input shapes";
}

bool SizeExpressions::isNonNegative(AffineExpr expr) const {
  if (auto constant = dyn_cast<AffineConstantExpr>(expr))
    return constant.getValue() >= 0;
  if (auto symbol = dyn_cast<AffineSymbolExpr>(expr))
    return symbol.getPosition() < symbols.size() ||
           derivedNonNegative[symbol.getPosition() - symbols.size()];
  // Sums, products, quotients and remainders of non-negative values.
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  return binary && isNonNegative(binary.getLHS()) &&
         isNonNegative(binary.getRHS());
}

AffineExpr SizeExpressions::getMinMax(AffineExpr lhs, AffineExpr rhs,
                                      bool isMin) {
  // Decided at compile time: lhs - rhs is a constant or has a known sign
  // (min(0, s0) = 0, max(s0 - 1, s0) = s0), or a bound past any size (2^62)
  // against a size.
  constexpr int64_t kPastAnySize = int64_t(1) << 62;
  auto choose = [&](bool lhsIsSmaller) {
    return lhsIsSmaller == isMin ? lhs : rhs;
  };
  AffineExpr difference = lhs - rhs;
  if (auto constant = dyn_cast<AffineConstantExpr>(difference))
    return choose(constant.getValue() <= 0);
  if (isNonNegative(difference))
    return choose(false);
  if (isNonNegative(rhs - lhs))
    return choose(true);
  for (auto [constantSide, other] :
       {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
    auto constant = dyn_cast<AffineConstantExpr>(constantSide);
    if (constant && constant.getValue() >= kPastAnySize && isNonNegative(other))
      return isMin ? other : constantSide;
  }

  MLIRContext *context = lhs.getContext();
  for (auto [first, second] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
    auto it = derivedOf.find(
        {isMin, first.getAsOpaquePointer(), second.getAsOpaquePointer()});
    if (it != derivedOf.end())
      return getAffineSymbolExpr(it->second, context);
  }
  unsigned position = getNumSymbols();
  derived.push_back({isMin, lhs, rhs});
  derivedNonNegative.push_back(isMin
                                   ? isNonNegative(lhs) && isNonNegative(rhs)
                                   : isNonNegative(lhs) || isNonNegative(rhs));
  derivedOf[{isMin, lhs.getAsOpaquePointer(), rhs.getAsOpaquePointer()}] =
      position;
  // Record the definitions, so that expressions stored on the function (the
  // memory plan) keep their meaning for later readers.
  Builder builder(context);
  SmallVector<Attribute> entries;
  for (auto [i, size] : llvm::enumerate(derived))
    entries.push_back(builder.getDictionaryAttr({
        builder.getNamedAttr("kind",
                             builder.getStringAttr(size.isMin ? "min" : "max")),
        builder.getNamedAttr("operands", AffineMapAttr::get(AffineMap::get(
                                             0, symbols.size() + i,
                                             {size.lhs, size.rhs}, context))),
    }));
  func->setAttr(kDerivedSizesAttr, builder.getArrayAttr(entries));
  return getAffineSymbolExpr(position, context);
}

FailureOr<AffineExpr> SizeExpressions::getIndexIn(Value value,
                                                  func::CallOp call) {
  MLIRContext *context = value.getContext();
  APInt constant;
  if (matchPattern(value, m_ConstantInt(&constant)))
    return getAffineConstantExpr(constant.getSExtValue(), context);
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    if (call)
      return getIndexIn(call.getOperand(argument.getArgNumber()), nullptr);
    return emitError(value.getLoc())
           << "an index argument of the entry function has no run-time value";
  }
  Operation *op = value.getDefiningOp();
  if (auto dim = dyn_cast<tensor::DimOp>(op)) {
    std::optional<int64_t> axis = dim.getConstantIndex();
    if (!axis)
      return dim.emitError() << "the dim index must be a constant";
    return getDimIn(dim.getSource(), *axis, call);
  }
  if (auto apply = dyn_cast<affine::AffineApplyOp>(op)) {
    AffineMap map = apply.getAffineMap();
    SmallVector<AffineExpr> operands;
    for (Value operand : apply.getMapOperands()) {
      FailureOr<AffineExpr> expr = getIndexIn(operand, call);
      if (failed(expr))
        return failure();
      operands.push_back(*expr);
    }
    return map.getResult(0).replaceDimsAndSymbols(
        ArrayRef(operands).take_front(map.getNumDims()),
        ArrayRef(operands).drop_front(map.getNumDims()));
  }
  if (isa<affine::AffineMinOp, affine::AffineMaxOp>(op)) {
    auto map = op->getAttrOfType<AffineMapAttr>("map").getValue();
    SmallVector<AffineExpr> operands;
    for (Value operand : op->getOperands()) {
      FailureOr<AffineExpr> expr = getIndexIn(operand, call);
      if (failed(expr))
        return failure();
      operands.push_back(*expr);
    }
    bool isMin = isa<affine::AffineMinOp>(op);
    std::optional<AffineExpr> result;
    for (AffineExpr expr : map.getResults()) {
      AffineExpr value = expr.replaceDimsAndSymbols(
          ArrayRef(operands).take_front(map.getNumDims()),
          ArrayRef(operands).drop_front(map.getNumDims()));
      result = result ? getMinMax(*result, value, isMin) : value;
    }
    if (result)
      return *result;
  }
  if (op->getNumOperands() == 2 && isa<arith::ArithDialect>(op->getDialect())) {
    FailureOr<AffineExpr> lhs = getIndexIn(op->getOperand(0), call);
    if (failed(lhs))
      return failure();
    FailureOr<AffineExpr> rhs = getIndexIn(op->getOperand(1), call);
    if (failed(rhs))
      return failure();
    if (isa<arith::AddIOp>(op))
      return *lhs + *rhs;
    if (isa<arith::SubIOp>(op))
      return *lhs - *rhs;
    if (isa<arith::MulIOp>(op))
      return *lhs * *rhs;
    // Sizes are non-negative: unsigned and floor division agree.
    if (isa<arith::DivUIOp, arith::DivSIOp, arith::FloorDivSIOp>(op))
      return lhs->floorDiv(*rhs);
    if (isa<arith::CeilDivUIOp, arith::CeilDivSIOp>(op))
      return lhs->ceilDiv(*rhs);
    if (isa<arith::RemUIOp, arith::RemSIOp>(op))
      return *lhs % *rhs;
    // The clamps of slice bounds and range lengths. Unsigned and signed
    // comparisons agree on non-negative values.
    if (isa<arith::MinSIOp, arith::MaxSIOp>(op) ||
        (isa<arith::MinUIOp, arith::MaxUIOp>(op) && isNonNegative(*lhs) &&
         isNonNegative(*rhs)))
      return getMinMax(*lhs, *rhs, isa<arith::MinSIOp, arith::MinUIOp>(op));
  }
  return op->emitError()
         << "this index value is needed at run time, but it is not computed "
            "from the input shapes by arithmetic the runtime evaluates";
}
