//===- Passes.h - The example plugin's passes -------------------*- C++ -*-===//

#ifndef MLLM_EXAMPLE_PASSES_H
#define MLLM_EXAMPLE_PASSES_H

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Pass/Pass.h"

namespace mllm_example {

#define GEN_PASS_DECL
#include "Passes.h.inc"

/// Generates `registerMllmExamplePasses()`.
#define GEN_PASS_REGISTRATION
#include "Passes.h.inc"

} // namespace mllm_example

#endif // MLLM_EXAMPLE_PASSES_H
