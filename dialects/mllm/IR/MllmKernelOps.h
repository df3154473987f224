//===- MllmKernelOps.h - Ops lowered after bufferizing ----------*- C++ -*-===//
//
// Destination-passing forms of mllm ops that a target lowers to a kernel of
// its own after bufferization (MllmKernelOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_IR_MLLMKERNELOPS_H
#define MLLM_IR_MLLMKERNELOPS_H

#include "dialects/mllm/IR/MllmDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/mllm/IR/MllmKernelOps.h.inc"

#endif // MLLM_IR_MLLMKERNELOPS_H
