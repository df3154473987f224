//===- MatMul.cpp - MatMul and Gemm ---------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Reshapes `value` to `shape` (same element type).
FailureOr<Value> reshapeTo(NodeContext &node, Value value,
                           ArrayRef<int64_t> shape) {
  return node.createWithType<mllm::ReshapeOp>(
      NodeContext::getType(value).clone(shape), value);
}

/// MatMul with numpy semantics. mllm.matmul takes rank >= 2 operands, so a
/// 1-D lhs is promoted to [1, K] and a 1-D rhs to [K, 1], and the added
/// dimension is removed from the result again.
LogicalResult convertMatMul(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.getRequiredInput(0);
  FailureOr<Value> rhs = node.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  RankedTensorType lhsType = NodeContext::getType(*lhs);
  RankedTensorType rhsType = NodeContext::getType(*rhs);
  if (lhsType.getRank() == 0 || rhsType.getRank() == 0) {
    node.emitError() << "MatMul operands must have rank >= 1, got " << lhsType
                     << " and " << rhsType;
    return failure();
  }
  bool promoteLhs = lhsType.getRank() == 1;
  bool promoteRhs = rhsType.getRank() == 1;
  if (promoteLhs)
    lhs = reshapeTo(node, *lhs, {1, lhsType.getDimSize(0)});
  if (promoteRhs && succeeded(lhs))
    rhs = reshapeTo(node, *rhs, {rhsType.getDimSize(0), 1});
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = node.create<mllm::MatmulOp>(*lhs, *rhs);
  if (failed(result) || (!promoteLhs && !promoteRhs))
    return node.setResult(result);

  SmallVector<int64_t> shape(NodeContext::getType(*result).getShape());
  if (promoteRhs)
    shape.erase(shape.end() - 1);
  if (promoteLhs)
    shape.erase(shape.end() - (promoteRhs ? 1 : 2));
  return node.setResult(reshapeTo(node, *result, shape));
}

/// Gemm: Y = alpha * A' * B' + beta * C, with A' = transA ? A^T : A and
/// B' = transB ? B^T : B. Transposes become mllm.transpose, the scales
/// mllm.mul by a scalar and C an mllm.add.
LogicalResult convertGemm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> a = node.getRequiredInput(0);
  FailureOr<Value> b = node.getRequiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  for (Value operand : {*a, *b}) {
    if (NodeContext::getType(operand).getRank() != 2) {
      node.emitError() << "Gemm operands A and B must be 2-D, got "
                       << operand.getType();
      return failure();
    }
  }
  SmallVector<int64_t> swap = {1, 0};
  if (node.getIntAttr("transA", 0))
    a = node.create<mllm::TransposeOp>(*a, swap);
  if (succeeded(a) && node.getIntAttr("transB", 0))
    b = node.create<mllm::TransposeOp>(*b, swap);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> result = node.create<mllm::MatmulOp>(*a, *b);
  if (failed(result))
    return failure();
  Type elementType = NodeContext::getType(*result).getElementType();
  float alpha = node.getFloatAttr("alpha", 1.0f);
  if (alpha != 1.0f)
    result = node.create<mllm::MulOp>(*result,
                                      node.createScalar(elementType, alpha));
  Value c = node.getInput(2);
  if (!c || failed(result))
    return node.setResult(result);
  float beta = node.getFloatAttr("beta", 1.0f);
  FailureOr<Value> bias = c;
  if (beta != 1.0f)
    bias = node.create<mllm::MulOp>(c, node.createScalar(elementType, beta));
  if (failed(bias))
    return failure();
  return node.setResult(node.create<mllm::AddOp>(*result, *bias));
}

} // namespace

void mllmc::onnx_frontend::registerMatMulOps(OpRegistry &registry) {
  registry.add("MatMul", 9, convertMatMul,
               "numpy matmul; 1-D operands promoted and squeezed back");
  registry.add("Gemm", 11, convertGemm,
               "alpha, beta, transA, transB; C broadcast as an add");
}
