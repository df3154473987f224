//===- SliceAtRunTime.cpp - Slice with bounds computed from shapes --------===//

#include "frontends/onnx/ops/SliceAtRunTime.h"
#include "frontends/onnx/ShapeValues.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <algorithm>
#include <string>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// A bound at least this large is past any size (ONNX exporters write
/// INT64_MAX for "to the end").
constexpr int64_t kPastAnySize = int64_t(1) << 62;

/// `bound` clamped to [0, dim] as ONNX does for a positive step (a negative
/// constant counts from the end), when the clamp is decided at compile
/// time: the result is then 0, a constant, or `dim`. Otherwise sets `why`.
std::optional<OpFoldResult> clampBound(OpBuilder &b, OpFoldResult bound,
                                       OpFoldResult dim, std::string &why) {
  std::optional<int64_t> constant = getConstantIntValue(bound);
  std::optional<int64_t> size = getConstantIntValue(dim);
  if (constant && size) {
    int64_t value = *constant < 0 ? *constant + *size : *constant;
    return b.getIndexAttr(std::clamp<int64_t>(value, 0, *size));
  }
  if (constant && *constant == 0)
    return b.getIndexAttr(0);
  if (constant && *constant >= kPastAnySize)
    return dim;
  if (constant) {
    why = "is the constant " + std::to_string(*constant) +
          " on a dimension known only at run time";
    return std::nullopt;
  }
  if (!isNonNegative(bound)) {
    why = "is computed at run time and may be negative (counting from the "
          "end)";
    return std::nullopt;
  }
  if (isSameElement(bound, dim))
    return dim;
  why = "is computed at run time and not known to be at most the "
        "dimension's size (";
  why += size ? std::to_string(*size) : std::string("also a run-time size");
  why += ")";
  return std::nullopt;
}

} // namespace

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
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (steps[i] < 0) {
      node.emitError() << "the bounds are computed at run time, which needs "
                          "positive steps, but axis "
                       << axis << " has step " << steps[i];
      return failure();
    }
    std::string why;
    std::optional<OpFoldResult> start =
        clampBound(b, starts[i], dims[axis], why);
    std::optional<OpFoldResult> end =
        start ? clampBound(b, ends[i], dims[axis], why) : std::nullopt;
    if (!end) {
      node.emitError() << "the " << (start ? "end" : "start") << " of axis "
                       << axis << " " << why
                       << ", so its clamp to the dimension depends on sizes "
                          "that the run-time size programs cannot compare; "
                          "export with static shapes or give the symbolic "
                          "dimensions sizes with --bind-dim";
      return failure();
    }
    // The clamped bounds are constants or the dim itself: constants fold,
    // [0, dim) spans the dim, and a start at the dim leaves nothing.
    std::optional<int64_t> first = getConstantIntValue(*start);
    std::optional<int64_t> last = getConstantIntValue(*end);
    OpFoldResult span;
    if (first && last)
      span = b.getIndexAttr(std::max<int64_t>(0, *last - *first));
    else if (first && *first == 0)
      span = *end;
    else
      span = b.getIndexAttr(0);
    offsets[axis] = *start;
    sizes[axis] = ceilDivIndex(b, loc, span, b.getIndexAttr(steps[i]));
    strides[axis] = steps[i];
  }
  node.setOutput(0, tensor::ExtractSliceOp::create(
                        b, loc, input, offsets, sizes,
                        getAsIndexOpFoldResult(b.getContext(), strides)));
  return success();
}
