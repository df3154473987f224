//===- WindowBuilders.cpp - Sliding-window building blocks ----------------===//

#include "passes/MllmToLinalg/WindowBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

namespace mllmc {

Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, TypedAttr padValue) {
  auto isZero = [](int64_t pad) { return pad == 0; };
  if (llvm::all_of(low, isZero) && llvm::all_of(high, isZero))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lowPads = {0, 0}, highPads = {0, 0};
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (auto [i, pads] : llvm::enumerate(llvm::zip(low, high))) {
    auto [begin, end] = pads;
    lowPads.push_back(begin);
    highPads.push_back(end);
    int64_t size = type.getDimSize(2 + i);
    shape.push_back(ShapedType::isDynamic(size) ? size : size + begin + end);
  }
  Value pad = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(b, loc, type.clone(shape), input,
                               getAsIndexOpFoldResult(b.getContext(), lowPads),
                               getAsIndexOpFoldResult(b.getContext(), highPads),
                               pad);
}

Value splitDim(OpBuilder &b, Location loc, Value value, int64_t dim,
               int64_t outer) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  int64_t size = shape[dim];
  shape[dim] = ShapedType::isDynamic(size) ? size : size / outer;
  shape.insert(shape.begin() + dim, outer);
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0, rank = type.getRank(); i < rank; ++i) {
    if (i < dim)
      groups.push_back({i});
    else if (i == dim)
      groups.push_back({i, i + 1});
    else
      groups.push_back({i + 1});
  }
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), value,
                                       groups);
}

} // namespace mllmc
