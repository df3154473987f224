//===- MllmOps.cpp - mllm op classes and shared inference -----------------===//
//
// Instantiates the generated op classes. Op-specific inference, verifiers and
// folders live in MllmElementwiseOps.cpp, MllmTensorOps.cpp, MllmNNOps.cpp
// and MllmFolders.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::mllm;

#include "dialects/mllm/IR/MllmEnums.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/mllm/IR/MllmOps.cpp.inc"
