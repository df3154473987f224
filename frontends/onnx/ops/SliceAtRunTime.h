//===- SliceAtRunTime.h - Slice with bounds computed from shapes -*- C++
//-*-===//
//
// A Slice of data whose starts or ends are shape values (computed from dims,
// known only at run time) becomes a tensor.extract_slice at run-time offsets
// and sizes. ONNX clamps each bound to [0, dim] and the length to
// max(0, ceil((end - start) / step)); the host's size programs evaluate
// sums, products and quotients of dims but no clamp whose outcome depends on
// the sizes, so each clamp must be decided at compile time: a run-time bound
// must be the sliced dim itself (x[:, :seq] of a [batch, seq] tensor, the
// same dim of another input by its dim_param name), a constant bound 0 or
// past any size on a dynamic dim; anything else is an error naming the
// node, the axis and why.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_SLICEATRUNTIME_H
#define MLLMC_FRONTENDS_ONNX_OPS_SLICEATRUNTIME_H

#include "frontends/onnx/NodeContext.h"

namespace mllmc::onnx_frontend {

/// Slices `input` on `axes` (normalized, distinct) from `starts` to `ends`
/// (shape elements, some known only at run time) by `steps` (non-zero) and
/// sets the node's result.
mlir::LogicalResult sliceAtRunTime(NodeContext &node, mlir::Value input,
                                   llvm::ArrayRef<int64_t> axes,
                                   llvm::ArrayRef<mlir::OpFoldResult> starts,
                                   llvm::ArrayRef<mlir::OpFoldResult> ends,
                                   llvm::ArrayRef<int64_t> steps);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_SLICEATRUNTIME_H
