//===- MllmDialect.cpp - mllm dialect -------------------------------------===//

#include "dialects/mllm/IR/MllmDialect.h"

#include "dialects/mllm/IR/MllmKernelOps.h"
#include "dialects/mllm/IR/MllmOps.h"

using namespace mlir;
using namespace mlir::mllm;

#include "dialects/mllm/IR/MllmDialect.cpp.inc"

void MllmDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/mllm/IR/MllmOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/mllm/IR/MllmKernelOps.cpp.inc"
      >();
}

Operation *MllmDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
