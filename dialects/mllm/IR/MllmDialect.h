//===- MllmDialect.h - mllm dialect -----------------------------*- C++ -*-===//

#ifndef MLLM_IR_MLLMDIALECT_H
#define MLLM_IR_MLLMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/mllm/IR/MllmDialect.h.inc"

#endif // MLLM_IR_MLLMDIALECT_H
