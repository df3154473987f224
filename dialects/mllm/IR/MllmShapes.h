//===- MllmShapes.h - shape helpers shared by IR and lowering ---*- C++ -*-===//
//
// One place for the shape rules of the mllm dialect, used by shape inference,
// verifiers and the lowering alike. Dimensions use ShapedType::kDynamic for
// `?`.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_IR_MLLMSHAPES_H
#define MLLM_IR_MLLMSHAPES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace mlir::mllm {

/// Computes the numpy/ONNX multidirectional broadcast of `lhs` and `rhs`
/// into `result` (cleared first). Shapes are aligned at their trailing
/// dimension; a missing leading dimension counts as 1. Per dimension pair:
/// 1 and d give d; equal sizes give that size; a dynamic size paired with a
/// static size s > 1 gives s (the dynamic one must be 1 or s at run time);
/// a dynamic size paired with 1 or with another dynamic size gives dynamic.
/// Fails, leaving `result` unspecified, when two static sizes differ and
/// neither is 1.
LogicalResult broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                              SmallVectorImpl<int64_t> &result);

/// Returns true if `shape` broadcasts to `target` unidirectionally (ONNX
/// unidirectional broadcasting): rank(shape) <= rank(target) and, aligned at
/// the trailing dimension, every size is 1, equal to the target size, or
/// dynamic on either side.
bool isBroadcastableTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target);

/// Merges two sizes of one dimension that must be equal: returns the static
/// size if either is static, dynamic if both are, and std::nullopt if both
/// are static and differ.
std::optional<int64_t> mergeDims(int64_t lhs, int64_t rhs);

/// The output size of one spatial dimension of a convolution (or pooling)
/// window: `floor((size + padBegin + padEnd - dilation * (kernel - 1) - 1) /
/// stride) + 1`, dynamic when `size` or `kernel` is. May be <= 0 when the
/// window does not fit; callers report that.
int64_t getConvOutputSize(int64_t size, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t padBegin, int64_t padEnd);

/// The output size of one spatial dimension of a pooling window: as
/// getConvOutputSize, but with `ceilMode` the division rounds up and a last
/// window that would start in the end padding (at or after `size +
/// padBegin`) is dropped (ONNX and PyTorch pooling).
int64_t getPoolOutputSize(int64_t size, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t padBegin, int64_t padEnd,
                          bool ceilMode);

/// The output size of one spatial dimension of a transposed convolution:
/// `stride * (size - 1) + outputPadding + dilation * (kernel - 1) + 1 -
/// padBegin - padEnd`, dynamic when `size` or `kernel` is.
int64_t getConvTransposeOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                   int64_t dilation, int64_t padBegin,
                                   int64_t padEnd, int64_t outputPadding);

/// Formats a dimension size for messages: the number, or `?` when dynamic.
std::string formatDim(int64_t dim);

/// Formats a shape for messages as `[2, ?, 8]`.
std::string formatShape(ArrayRef<int64_t> shape);

} // namespace mlir::mllm

#endif // MLLM_IR_MLLMSHAPES_H
