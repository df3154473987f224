//===- CpuCodegen.h - Bufferized linalg to vector code ----------*- C++ -*-===//
//
// The pass `mllmc-cpu-codegen` (on each dispatch function): splits the
// dispatch into workgroups (Workgroups.h), replaces f32 matmuls by the
// register-tiled kernel (MatmulKernel.h), tiles and vectorizes the other
// linalg ops and lowers the vector ops (Vectorization.h). It records the
// workgroup count as the function attribute `mllmc.workgroup_count`.
//
// Registered with MLIR's pass registry, so that `mllmc --target=cpu
// --mlir-print-ir-after=mllmc-cpu-codegen` shows the kernels' vector code.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_CPUCODEGEN_H
#define MLLMC_TARGETS_CPU_CPUCODEGEN_H

#include "llvm/ADT/StringRef.h"

namespace mllmc::cpu {

/// The attribute holding a dispatch function's workgroup count (i64).
constexpr llvm::StringLiteral kWorkgroupCountAttr = "mllmc.workgroup_count";

/// The pass pipeline (textual, on the module) running `mllmc-cpu-codegen`
/// for vectors of `vectorWidth` f32 lanes.
std::string getCodegenPipeline(unsigned vectorWidth);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_CPUCODEGEN_H
