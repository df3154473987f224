//===- SharedObjectLinker.h - Object file to shared object ------*- C++ -*-===//

#ifndef MLLMC_TARGETS_CPU_SHAREDOBJECTLINKER_H
#define MLLMC_TARGETS_CPU_SHAREDOBJECTLINKER_H

#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mllmc::cpu {

/// Links one relocatable object into a position-independent shared object
/// with LLVM's lld, deterministically (no build id, no timestamps), so the
/// runtime can load it from memory. Returns failure with `error` set when lld
/// is missing or fails.
mlir::FailureOr<std::vector<uint8_t>>
linkSharedObject(const std::vector<uint8_t> &object, std::string &error);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_SHAREDOBJECTLINKER_H
