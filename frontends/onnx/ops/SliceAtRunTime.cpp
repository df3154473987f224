//===- SliceAtRunTime.cpp - Slice with bounds known at run time -----------===//

#include "frontends/onnx/ops/SliceAtRunTime.h"
#include "frontends/onnx/ShapeValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <algorithm>
#include <cstdlib>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// A bound at least this large is past any size (ONNX exporters write
/// INT64_MAX for "to the end", INT64_MIN for "before the start").
constexpr int64_t kPastAnySize = int64_t(1) << 62;

OpFoldResult minMaxIndex(OpBuilder &b, Location loc, OpFoldResult lhs,
                         OpFoldResult rhs, bool isMin) {
  std::optional<int64_t> l = getConstantIntValue(lhs);
  std::optional<int64_t> r = getConstantIntValue(rhs);
  auto choose = [&](bool lhsIsSmaller) {
    return lhsIsSmaller == isMin ? lhs : rhs;
  };
  if (l && r)
    return choose(*l <= *r);
  if (isSameElement(lhs, rhs))
    return lhs;
  if (l && (*l >= kPastAnySize || *l <= -kPastAnySize))
    return choose(*l < 0);
  if (r && (*r >= kPastAnySize || *r <= -kPastAnySize))
    return choose(*r > 0);
  if (l && *l <= 0 && isNonNegative(rhs))
    return choose(true);
  if (r && *r <= 0 && isNonNegative(lhs))
    return choose(false);
  Value lv = getIndexValue(b, loc, lhs), rv = getIndexValue(b, loc, rhs);
  return getAsOpFoldResult(isMin ? b.createOrFold<arith::MinSIOp>(loc, lv, rv)
                                 : b.createOrFold<arith::MaxSIOp>(loc, lv, rv));
}

/// `bound` counted from the end of a dim of `dim` when negative.
OpFoldResult fromEnd(OpBuilder &b, Location loc, OpFoldResult bound,
                     OpFoldResult dim) {
  if (std::optional<int64_t> constant = getConstantIntValue(bound)) {
    // A bound before any start stays there for the clamp.
    if (*constant >= 0 || *constant <= -kPastAnySize)
      return bound;
    return addIndex(b, loc, dim, bound);
  }
  if (isNonNegative(bound))
    return bound;
  return addIndex(b, loc, bound,
                  mulIndex(b, loc, dim, isNegativeIndex(b, loc, bound)));
}

OpFoldResult clampIndex(OpBuilder &b, Location loc, OpFoldResult value,
                        OpFoldResult low, OpFoldResult high) {
  return minIndex(b, loc, maxIndex(b, loc, value, low), high);
}

} // namespace

OpFoldResult mllmc::onnx_frontend::minIndex(OpBuilder &b, Location loc,
                                            OpFoldResult lhs,
                                            OpFoldResult rhs) {
  return minMaxIndex(b, loc, lhs, rhs, /*isMin=*/true);
}

OpFoldResult mllmc::onnx_frontend::maxIndex(OpBuilder &b, Location loc,
                                            OpFoldResult lhs,
                                            OpFoldResult rhs) {
  return minMaxIndex(b, loc, lhs, rhs, /*isMin=*/false);
}

OpFoldResult mllmc::onnx_frontend::isNegativeIndex(OpBuilder &b, Location loc,
                                                   OpFoldResult value) {
  OpFoldResult negated = subIndex(b, loc, b.getIndexAttr(0), value);
  return minIndex(b, loc, maxIndex(b, loc, negated, b.getIndexAttr(0)),
                  b.getIndexAttr(1));
}

LogicalResult mllmc::onnx_frontend::sliceAtRunTime(
    NodeContext &node, Value input, ArrayRef<int64_t> axes,
    ArrayRef<OpFoldResult> starts, ArrayRef<OpFoldResult> ends,
    ArrayRef<int64_t> steps) {
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  SmallVector<OpFoldResult> dims = getDimElements(b, loc, input);
  SmallVector<OpFoldResult> offsets(dims.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes(dims);
  SmallVector<int64_t> strides(dims.size(), 1);
  // Negative steps: the axis and where it starts (its offset is the last
  // element read, which the extract_slice does not need).
  SmallVector<std::pair<int64_t, OpFoldResult>> reversed;
  OpFoldResult zero = b.getIndexAttr(0);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    OpFoldResult dim = dims[axis];
    OpFoldResult start = fromEnd(b, loc, starts[i], dim);
    OpFoldResult end = fromEnd(b, loc, ends[i], dim);
    OpFoldResult extent;
    if (steps[i] > 0) {
      start = clampIndex(b, loc, start, zero, dim);
      end = clampIndex(b, loc, end, zero, dim);
      extent = subIndex(b, loc, end, start);
      offsets[axis] = start;
      strides[axis] = steps[i];
    } else {
      // At dim 0 the start clamps to -1 as well: no elements.
      OpFoldResult last = subIndex(b, loc, dim, b.getIndexAttr(1));
      start = clampIndex(b, loc, start, zero, last);
      end = clampIndex(b, loc, end, b.getIndexAttr(-1), last);
      extent = subIndex(b, loc, start, end);
      reversed.push_back({axis, maxIndex(b, loc, start, zero)});
    }
    sizes[axis] = maxIndex(
        b, loc,
        ceilDivIndex(b, loc, extent, b.getIndexAttr(std::abs(steps[i]))), zero);
  }
  Value result = tensor::ExtractSliceOp::create(
      b, loc, input, offsets,
      reversed.empty() ? ArrayRef<OpFoldResult>(sizes) : ArrayRef(dims),
      getAsIndexOpFoldResult(b.getContext(), strides));
  if (!reversed.empty()) {
    // Each reversed axis reads element start + i * step of the slice.
    auto type = cast<RankedTensorType>(result.getType());
    Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
    SmallVector<Value> firsts;
    for (auto &entry : reversed)
      firsts.push_back(getIndexValue(b, loc, entry.second));
    int64_t rank = type.getRank();
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{empty.getType()}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &nested, Location nestedLoc, ValueRange) {
          SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d)
            position.push_back(linalg::IndexOp::create(nested, nestedLoc, d));
          for (auto [entry, first] : llvm::zip_equal(reversed, firsts)) {
            int64_t axis = entry.first;
            int64_t step = steps[llvm::find(axes, axis) - axes.begin()];
            Value scaled = arith::MulIOp::create(
                nested, nestedLoc, position[axis],
                arith::ConstantIndexOp::create(nested, nestedLoc, step));
            position[axis] =
                arith::AddIOp::create(nested, nestedLoc, first, scaled);
          }
          linalg::YieldOp::create(nested, nestedLoc,
                                  ValueRange{tensor::ExtractOp::create(
                                      nested, nestedLoc, result, position)});
        });
    result = generic.getResult(0);
  }
  node.setOutput(0, result);
  return success();
}
