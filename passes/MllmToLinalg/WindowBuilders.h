//===- WindowBuilders.h - Sliding-window building blocks --------*- C++ -*-===//
//
// Pieces shared by the lowering of the sliding-window ops (conv,
// conv_transpose, pool): padding the spatial dimensions of an
// [N, C, spatial...] tensor, and splitting a dimension into groups.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_WINDOWBUILDERS_H
#define MLLMC_PASSES_MLLMTOLINALG_WINDOWBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mllmc {

/// `input` [N, C, spatial...] padded with `padValue` by `low` and `high`
/// (one entry per spatial dimension) with tensor.pad; `input` itself when
/// every pad is zero.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> low,
                       llvm::ArrayRef<int64_t> high, mlir::TypedAttr padValue);

/// `value` with dim `dim` split into [`outer`, size / `outer`] by
/// tensor.expand_shape.
mlir::Value splitDim(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                     int64_t dim, int64_t outer);

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_WINDOWBUILDERS_H
