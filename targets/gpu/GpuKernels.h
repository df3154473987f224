//===- GpuKernels.h - Dispatch functions to GPU kernels ---------*- C++ -*-===//
//
// What the CUDA and ROCm targets share: dispatch functions on memrefs become
// host functions that launch kernels, the kernels live in one gpu.module, and
// after a vendor-specific serialization the launches and the binary are read
// back into a TargetExecutable.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_GPU_GPUKERNELS_H
#define MLLMC_TARGETS_GPU_GPUKERNELS_H

#include "targets/Target.h"

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace mllmc::gpu {

/// Name of the one gpu.module holding every kernel.
constexpr llvm::StringLiteral kKernelModuleName = "mllmc_kernels";
/// Threads per block of the kernels formed from parallel loops.
constexpr int64_t kThreadsPerBlock = 256;
/// convert-mllm-to-linalg's options for GPU kernels: attention the
/// cooperative kernel takes becomes mllm.kernel.attention from 16 query rows
/// on and mllm.kernel.attention_partial under that (lowerAttentionKernels).
/// The flash-attention loop nest, for the rest, runs a thread per query row
/// (a 32-row tile per thread leaves most of the GPU idle) and splits the keys
/// across threads until there are some 8192.
constexpr llvm::StringLiteral kLinalgLoweringOptions =
    "flash-query-tile=1 flash-min-parallelism=8192 "
    "attention-kernel-min-queries=16";

/// Replaces every mllm.kernel.attention and mllm.kernel.attention_partial of
/// `func` by one cooperative flash-attention kernel launch
/// (AttentionKernel.cpp).
void lowerAttentionKernels(mlir::func::FuncOp func);

/// Lowers the linalg ops of every dispatch function in `module` to parallel
/// loops, maps each loop nest onto a one-dimensional grid of
/// kThreadsPerBlock-thread blocks, and outlines the kernels into one
/// gpu.module named kKernelModuleName.
mlir::LogicalResult formKernels(mlir::ModuleOp module,
                                const TargetOptions &options);

/// After the kernel module has been serialized to a gpu.binary: returns the
/// binary and, for each dispatch function, its kernel launches with static
/// grid and block sizes and the dispatch arguments each kernel receives.
mlir::FailureOr<TargetExecutable>
collectExecutable(mlir::ModuleOp module, artifact::KernelFormat format,
                  llvm::StringRef arch);

} // namespace mllmc::gpu

#endif // MLLMC_TARGETS_GPU_GPUKERNELS_H
