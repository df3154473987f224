//===- MllmInferError.h - Errors of mllm type inference ---------*- C++ -*-===//
//
// inferReturnTypes runs both from a verifier (with a location) and from
// builders that only ask whether a type exists (without one); its errors
// read like the verifier's: "'mllm.op' op ...".
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_IR_MLLMINFERERROR_H
#define MLLM_IR_MLLMINFERERROR_H

#include "mlir/IR/Diagnostics.h"

#include <optional>
#include <utility>

namespace mlir::mllm {

/// Emits "'<op>' op <args...>" at `location`, or nothing when it is absent;
/// returns failure.
template <typename OpTy, typename... Args>
LogicalResult inferError(std::optional<Location> location, Args &&...args) {
  return emitOptionalError(location, "'", OpTy::getOperationName(), "' op ",
                           std::forward<Args>(args)...);
}

} // namespace mlir::mllm

#endif // MLLM_IR_MLLMINFERERROR_H
