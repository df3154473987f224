//===- LoweringError.h - Diagnostics of mllm-to-linalg ----------*- C++ -*-===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_LOWERINGERROR_H
#define MLLMC_PASSES_MLLMTOLINALG_LOWERINGERROR_H

#include "mlir/IR/Operation.h"

namespace mllmc {

/// Reports at `op`'s location (which names the ONNX node) why it cannot be
/// lowered to linalg, and returns failure for the pattern to return.
inline llvm::LogicalResult emitLoweringError(mlir::Operation *op,
                                             const llvm::Twine &reason) {
  return op->emitOpError("cannot be lowered to linalg: ") << reason;
}

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_LOWERINGERROR_H
