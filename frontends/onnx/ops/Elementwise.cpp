//===- Elementwise.cpp - Elementwise ONNX ops -----------------------------===//
//
// Broadcasting binary ops, comparisons, logic, unary math, Where, Cast and
// the variadic Max/Min.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

template <typename OpTy> LogicalResult convertBinary(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.getRequiredInput(0);
  FailureOr<Value> rhs = node.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return node.setResult(node.create<OpTy>(*lhs, *rhs));
}

template <typename OpTy> LogicalResult convertUnary(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  return node.setResult(node.create<OpTy>(*input));
}

template <mllm::CmpPredicate predicate>
LogicalResult convertComparison(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.getRequiredInput(0);
  FailureOr<Value> rhs = node.getRequiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return node.setResult(node.create<mllm::CmpOp>(predicate, *lhs, *rhs));
}

/// Pow's exponent may have another element type than the base (e.g. a float
/// raised to an int64 power): it is cast to the base's type.
LogicalResult convertPow(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> base = node.getRequiredInput(0);
  FailureOr<Value> exponent = node.getRequiredInput(1);
  if (failed(base) || failed(exponent))
    return failure();
  Type elementType = NodeContext::getType(*base).getElementType();
  RankedTensorType exponentType = NodeContext::getType(*exponent);
  if (exponentType.getElementType() != elementType) {
    exponent = node.createWithType<mllm::CastOp>(
        exponentType.clone(elementType), *exponent);
    if (failed(exponent))
      return failure();
  }
  return node.setResult(node.create<mllm::PowOp>(*base, *exponent));
}

/// Max and Min take one or more inputs: a left-to-right chain.
template <typename OpTy> LogicalResult convertVariadic(NodeContext &node) {
  if (node.getNumInputs() == 0) {
    node.emitError() << "expected at least one input";
    return failure();
  }
  FailureOr<Value> result = node.getRequiredInput(0);
  for (unsigned i = 1, e = node.getNumInputs(); i < e && succeeded(result);
       ++i) {
    FailureOr<Value> next = node.getRequiredInput(i);
    if (failed(next))
      return failure();
    result = node.create<OpTy>(*result, *next);
  }
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

LogicalResult convertWhere(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 3)))
    return failure();
  FailureOr<Value> condition = node.getRequiredInput(0);
  FailureOr<Value> trueValue = node.getRequiredInput(1);
  FailureOr<Value> falseValue = node.getRequiredInput(2);
  if (failed(condition) || failed(trueValue) || failed(falseValue))
    return failure();
  return node.setResult(
      node.create<mllm::SelectOp>(*condition, *trueValue, *falseValue));
}

LogicalResult convertCast(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  const onnx::AttributeProto *to = node.getAttr("to");
  if (!to) {
    node.emitError() << "the required attribute 'to' is missing";
    return failure();
  }
  Type elementType = convertElementType(node.getContext(), to->i());
  if (!elementType) {
    node.emitError() << "cannot cast to " << getDataTypeName(to->i())
                     << "; supported types are " << kSupportedDataTypes;
    return failure();
  }
  RankedTensorType type = NodeContext::getType(*input);
  if (type.getElementType() == elementType) {
    node.setOutput(0, *input);
    return success();
  }
  return node.setResult(
      node.createWithType<mllm::CastOp>(type.clone(elementType), *input));
}

} // namespace

void mllmc::onnx_frontend::registerElementwiseOps(OpRegistry &registry) {
  registry.add("Add", 14, convertBinary<mllm::AddOp>, "numpy broadcasting");
  registry.add("Sub", 14, convertBinary<mllm::SubOp>, "numpy broadcasting");
  registry.add("Mul", 14, convertBinary<mllm::MulOp>, "numpy broadcasting");
  registry.add("Div", 14, convertBinary<mllm::DivOp>, "numpy broadcasting");
  registry.add("Pow", 15, convertPow,
               "exponent cast to the base's element type");
  registry.add("And", 7, convertBinary<mllm::AndOp>, "");
  registry.add("Or", 7, convertBinary<mllm::OrOp>, "");
  registry.add("Not", 1, convertUnary<mllm::NotOp>, "");
  registry.add("Equal", 13, convertComparison<mllm::CmpPredicate::eq>, "");
  registry.add("Less", 13, convertComparison<mllm::CmpPredicate::lt>, "");
  registry.add("LessOrEqual", 16, convertComparison<mllm::CmpPredicate::le>,
               "");
  registry.add("Greater", 13, convertComparison<mllm::CmpPredicate::gt>, "");
  registry.add("GreaterOrEqual", 16, convertComparison<mllm::CmpPredicate::ge>,
               "");
  registry.add("Max", 13, convertVariadic<mllm::MaxOp>,
               "variadic: a chain of mllm.max");
  registry.add("Min", 13, convertVariadic<mllm::MinOp>,
               "variadic: a chain of mllm.min");
  registry.add("Neg", 13, convertUnary<mllm::NegOp>, "");
  registry.add("Abs", 13, convertUnary<mllm::AbsOp>, "");
  registry.add("Exp", 13, convertUnary<mllm::ExpOp>, "");
  registry.add("Log", 13, convertUnary<mllm::LogOp>, "");
  registry.add("Sqrt", 13, convertUnary<mllm::SqrtOp>, "");
  registry.add("Reciprocal", 13, convertUnary<mllm::ReciprocalOp>, "");
  registry.add("Erf", 13, convertUnary<mllm::ErfOp>, "");
  registry.add("Tanh", 13, convertUnary<mllm::TanhOp>, "");
  registry.add("Sigmoid", 13, convertUnary<mllm::SigmoidOp>, "");
  registry.add("Relu", 14, convertUnary<mllm::ReluOp>, "");
  registry.add("Where", 16, convertWhere, "three-way broadcasting");
  registry.add("Cast", 13, convertCast,
               "to FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32, INT8, "
               "UINT8, BOOL");
}
