//===- HostProgram.cpp - The host side of a compiled program --------------===//

#include "passes/HostProgram.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

bool mllmc::isBufferAlias(Operation *op) {
  return isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             tensor::BitcastOp>(op);
}

Value mllmc::getBufferRoot(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!isBufferAlias(op))
      break;
    value = op->getOperand(0);
  }
  return value;
}

uint64_t mllmc::getTensorBytes(RankedTensorType type) {
  uint64_t bitWidth = type.getElementType().getIntOrFloatBitWidth();
  return static_cast<uint64_t>(type.getNumElements()) *
         std::max<uint64_t>(1, (bitWidth + 7) / 8);
}
