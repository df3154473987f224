//===- SliceAtRunTime.h - Slice with bounds known at run time ---*- C++ -*-===//
//
// A Slice whose starts or ends are shape values (computed from dims, known
// only at run time), or whose sliced dim is dynamic, clamps its bounds at
// run time as ONNX does: a negative bound adds the dim; then, for a positive
// step, both bounds clamp to [0, dim]; for a negative one, the start to
// [0, dim - 1] and the end to [-1, dim - 1]; the length is
// max(0, ceil((end - start) / step)). The clamps are index min/max
// operations that the host's size programs evaluate (a bound of unknown sign
// adds dim * min(max(-bound, 0), 1)). Positive steps give a
// tensor.extract_slice at run-time offsets and sizes; a negative step, a
// linalg.generic that reads each element at `start + i * step`.
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

/// min/max of two index elements, folded where the operands decide it (two
/// constants, one value, a non-negative value against 0, a constant past any
/// size, 2^62, against anything).
mlir::OpFoldResult minIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult maxIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);

/// 1 when the index element `value` is negative, else 0, as
/// min(max(-value, 0), 1) (the size programs have no comparison).
mlir::OpFoldResult isNegativeIndex(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::OpFoldResult value);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_SLICEATRUNTIME_H
