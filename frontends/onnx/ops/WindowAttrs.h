//===- WindowAttrs.h - Sliding-window attributes of ONNX nodes --*- C++ -*-===//
//
// Conv, ConvTranspose and the pools (MaxPool, AveragePool, LpPool) share the
// spatial attributes strides, dilations, pads and auto_pad: one entry per
// spatial dimension (pads twice: the begin pads, then the end pads), read
// and checked here once.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_WINDOWATTRS_H
#define MLLMC_FRONTENDS_ONNX_OPS_WINDOWATTRS_H

#include "frontends/onnx/NodeContext.h"

namespace mllmc::onnx_frontend {

/// The INTS attribute `name` with `count` values, or `defaultValue` repeated
/// when it is absent; values below `min` are an error.
mlir::FailureOr<llvm::SmallVector<int64_t>>
getSpatialAttr(NodeContext &node, llvm::StringRef name, size_t count,
               int64_t defaultValue, int64_t min);

/// The required, positive `kernel_shape` of a pooling node over `spatial`
/// dimensions.
mlir::FailureOr<llvm::SmallVector<int64_t>>
getRequiredKernelShape(NodeContext &node, size_t spatial);

/// The strides and dilations of a window node over `spatial` dimensions:
/// positive, 1 by default.
struct StridesAndDilations {
  llvm::SmallVector<int64_t> strides;
  llvm::SmallVector<int64_t> dilations;
};
mlir::FailureOr<StridesAndDilations> getStridesAndDilations(NodeContext &node,
                                                            size_t spatial);

/// The explicit pads of a node that slides a `kernel` window over `inputType`
/// [N, C, spatial...] with `strides` and `dilations`: auto_pad NOTSET reads
/// `pads` (zero by default), VALID gives zeros, SAME_UPPER/SAME_LOWER give
/// an output of ceil(input / stride) with an odd total pad's extra element
/// at the end (SAME_UPPER) or the beginning (SAME_LOWER).
mlir::FailureOr<llvm::SmallVector<int64_t>>
getWindowPads(NodeContext &node, mlir::RankedTensorType inputType,
              llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
              llvm::ArrayRef<int64_t> dilations);

/// The total SAME pads split between begin and end: the odd element at the
/// beginning with `lower`, else at the end.
void splitSamePad(int64_t total, bool lower, int64_t &begin, int64_t &end);

/// Whether `inputType` has rank >= 3 [N, C, spatial...]; emits an error
/// otherwise.
mlir::LogicalResult checkSpatialInput(NodeContext &node,
                                      mlir::RankedTensorType inputType);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_WINDOWATTRS_H
