//===- MllmReduceOps.cpp - reduce_mean, reduce_sum, reduce_max ------------===//

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
