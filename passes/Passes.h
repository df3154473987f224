//===- Passes.h - mllmc passes ----------------------------------*- C++ -*-===//
//
// Declarations and registration of every mllmc pass (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_PASSES_H
#define MLLMC_PASSES_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mllmc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// Generates `registerMllmcPasses()`, which registers every mllmc pass with
/// the global pass registry so that `mllmc-opt` and pipelines can name them.
#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace mllmc

#endif // MLLMC_PASSES_PASSES_H
