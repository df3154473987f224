//===- MllmShapes.cpp - shape helpers shared by IR and lowering -----------===//

#include "dialects/mllm/IR/MllmShapes.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

LogicalResult mllm::broadcastShapes(ArrayRef<int64_t> lhs,
                                    ArrayRef<int64_t> rhs,
                                    SmallVectorImpl<int64_t> &result) {
  size_t rank = std::max(lhs.size(), rhs.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Walk from the trailing dimension; a missing dimension is 1.
    int64_t l = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t r = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (l == 1) {
      out = r;
    } else if (r == 1) {
      out = l;
    } else if (ShapedType::isDynamic(l)) {
      out = r;
    } else if (ShapedType::isDynamic(r)) {
      out = l;
    } else if (l == r) {
      out = l;
    } else {
      return failure();
    }
  }
  return success();
}

bool mllm::isBroadcastableTo(ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> target) {
  if (shape.size() > target.size())
    return false;
  ArrayRef<int64_t> aligned = target.take_back(shape.size());
  for (auto [from, to] : llvm::zip_equal(shape, aligned)) {
    if (from == 1 || from == to || ShapedType::isDynamic(from) ||
        ShapedType::isDynamic(to))
      continue;
    return false;
  }
  return true;
}

std::optional<int64_t> mllm::mergeDims(int64_t lhs, int64_t rhs) {
  if (ShapedType::isDynamic(lhs))
    return rhs;
  if (ShapedType::isDynamic(rhs) || lhs == rhs)
    return lhs;
  return std::nullopt;
}

int64_t mllm::getConvOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                int64_t dilation, int64_t padBegin,
                                int64_t padEnd) {
  if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = size + padBegin + padEnd - dilation * (kernel - 1) - 1;
  // Floor division: a negative span means the window does not fit.
  return (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
}

int64_t mllm::getPoolOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                int64_t dilation, int64_t padBegin,
                                int64_t padEnd, bool ceilMode) {
  if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = size + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (!ceilMode || span < 0)
    return getConvOutputSize(size, kernel, stride, dilation, padBegin, padEnd);
  int64_t out = (span + stride - 1) / stride + 1;
  if ((out - 1) * stride >= size + padBegin)
    --out;
  return out;
}

int64_t mllm::getConvTransposeOutputSize(int64_t size, int64_t kernel,
                                         int64_t stride, int64_t dilation,
                                         int64_t padBegin, int64_t padEnd,
                                         int64_t outputPadding) {
  if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  return stride * (size - 1) + outputPadding + dilation * (kernel - 1) + 1 -
         padBegin - padEnd;
}

std::string mllm::formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

std::string mllm::formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::interleave(
      shape, [&](int64_t dim) { text += formatDim(dim); },
      [&] { text += ", "; });
  return text + "]";
}
