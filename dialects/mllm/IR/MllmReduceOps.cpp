//===- MllmReduceOps.cpp - reductions, arg_max and arg_min ---------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

LogicalResult mlir::mllm::detail::inferReduceType(
    StringRef opName, std::optional<Location> location, Value input,
    ArrayRef<int64_t> axes, bool keepdims,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return emitOptionalError(location, "'", opName, "' op axis ", axis,
                               " is out of range [0, ", rank, ")");
    if (i > 0 && axis <= axes[i - 1])
      return emitOptionalError(location, "'", opName,
                               "' op axes must be strictly increasing, got [",
                               axes, "]");
  }
  SmallVector<int64_t> shape;
  for (auto [dim, size] : llvm::enumerate(type.getShape())) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(dim)))
      shape.push_back(size);
    else if (keepdims)
      shape.push_back(1);
  }
  inferredReturnTypes.push_back(type.clone(shape));
  return success();
}

LogicalResult mlir::mllm::detail::inferArgReduceType(
    StringRef opName, std::optional<Location> location, Value input,
    int64_t axis, bool keepdims, SmallVectorImpl<Type> &inferredReturnTypes) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (rank == 0)
    return emitOptionalError(location, "'", opName,
                             "' op input must have rank >= 1");
  if (failed(inferReduceType(opName, location, input, {axis}, keepdims,
                             inferredReturnTypes)))
    return failure();
  auto type = cast<RankedTensorType>(inferredReturnTypes.back());
  inferredReturnTypes.back() =
      type.clone(IntegerType::get(input.getContext(), 64));
  return success();
}

/// A reduction over no axes is its input.
static OpFoldResult foldEmptyReduction(Operation *op, ArrayRef<int64_t> axes,
                                       Value input) {
  if (axes.empty() && input.getType() == op->getResult(0).getType())
    return input;
  return {};
}

OpFoldResult ReduceMeanOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this, getAxes(), getInput());
}
OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this, getAxes(), getInput());
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this, getAxes(), getInput());
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this, getAxes(), getInput());
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this, getAxes(), getInput());
}
