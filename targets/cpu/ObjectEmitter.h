//===- ObjectEmitter.h - LLVM dialect to host object code -------*- C++ -*-===//

#ifndef MLLMC_TARGETS_CPU_OBJECTEMITTER_H
#define MLLMC_TARGETS_CPU_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mllmc::cpu {

/// The CPU a kernel library is compiled for.
struct HostCpu {
  std::string triple;
  /// LLVM CPU name ("x86-64", "x86-64-v3", "skylake-avx512", ...).
  std::string name;
  /// LLVM feature string ("+avx512f,..."); empty for the CPU's defaults.
  std::string features;
  /// f32 lanes of the widest vector registers: 16 with AVX-512, 8 with AVX,
  /// 4 with SSE.
  unsigned vectorWidth = 4;
};

/// Resolves the user's `--cpu=` value: "host" is the machine compiling, an
/// empty string the portable default, anything else an LLVM CPU name of the
/// host's architecture. Returns failure with `error` set for unknown names.
mlir::FailureOr<HostCpu> resolveHostCpu(llvm::StringRef requested,
                                        std::string &error);

/// Translates `module` (LLVM dialect) to LLVM IR, optimizes it at O3 for
/// `cpu` and returns the relocatable object file.
mlir::FailureOr<std::vector<uint8_t>> emitObject(mlir::ModuleOp module,
                                                 const HostCpu &cpu);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_OBJECTEMITTER_H
