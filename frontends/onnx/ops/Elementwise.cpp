//===- Elementwise.cpp - Elementwise ONNX ops -----------------------------===//
//
// Broadcasting binary ops (Mod composed from mllm.rem), comparisons, logic,
// bitwise ops and shifts, unary math, IsNaN/IsInf, Where, Cast and the
// variadic Max/Min.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include <limits>

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

/// Mod: with fmod = 1 the remainder of the truncating division (the sign of
/// the dividend, C fmod); with fmod = 0 the sign of the divisor (Python's %,
/// numpy.mod): a nonzero remainder whose sign differs from the divisor's gets
/// the divisor added.
LogicalResult convertMod(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  expr::Expr a = node.getRequiredInput(0);
  expr::Expr b = node.getRequiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  Type elementType = NodeContext::getType(*a).getElementType();
  bool fmod = node.getIntAttr("fmod", 0) != 0;
  expr::Expr remainder = expr::binary<mllm::RemOp>(node, a, b);
  if (fmod || elementType.isUnsignedInteger())
    return node.setResult(remainder);
  expr::Expr zero = expr::scalar(node, a, 0);
  expr::Expr signDiffers =
      expr::select(node, expr::cmp(node, mllm::CmpPredicate::lt, b, zero),
                   expr::cmp(node, mllm::CmpPredicate::gt, remainder, zero),
                   expr::cmp(node, mllm::CmpPredicate::lt, remainder, zero));
  return node.setResult(
      expr::select(node, signDiffers,
                   expr::binary<mllm::AddOp>(node, remainder, b), remainder));
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

/// Binds output 0 to `input` converted to `elementType`.
LogicalResult castTo(NodeContext &node, Value input, Type elementType) {
  RankedTensorType type = NodeContext::getType(input);
  if (type.getElementType() == elementType) {
    node.setOutput(0, input);
    return success();
  }
  return node.setResult(
      node.createWithType<mllm::CastOp>(type.clone(elementType), input));
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
  return castTo(node, *input, elementType);
}

/// CastLike: Cast to the element type of the second input.
LogicalResult convertCastLike(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> like = node.getRequiredInput(1);
  if (failed(input) || failed(like))
    return failure();
  return castTo(node, *input, NodeContext::getType(*like).getElementType());
}

/// Clip: max(x, min) then min(., max); absent bounds are skipped (opset 11+
/// inputs), so a min above max gives max as ONNX specifies.
LogicalResult convertClip(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 3)))
    return failure();
  expr::Expr result = node.getRequiredInput(0);
  if (Value low = node.getInput(1))
    result = expr::binary<mllm::MaxOp>(node, result, low);
  if (Value high = node.getInput(2))
    result = expr::binary<mllm::MinOp>(node, result, high);
  return node.setResult(result);
}

/// Sum and Mean: a left-to-right chain of mllm.add, divided by the count for
/// Mean.
template <bool IsMean> LogicalResult convertSum(NodeContext &node) {
  if (node.getNumInputs() == 0) {
    node.emitError() << "expected at least one input";
    return failure();
  }
  expr::Expr result = node.getRequiredInput(0);
  for (unsigned i = 1, e = node.getNumInputs(); i < e; ++i)
    result = expr::binary<mllm::AddOp>(node, result, node.getRequiredInput(i));
  if (IsMean && node.getNumInputs() > 1)
    result = expr::binary<mllm::DivOp>(
        node, result, expr::scalar(node, result, node.getNumInputs()));
  return node.setResult(result);
}

/// Sign: 1, -1 or 0 of the input's type.
LogicalResult convertSign(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  expr::Expr x = node.getRequiredInput(0);
  expr::Expr zero = expr::scalar(node, x, 0.0);
  expr::Expr negative =
      expr::select(node, expr::cmp(node, mllm::CmpPredicate::lt, x, zero),
                   expr::scalar(node, x, -1.0), zero);
  return node.setResult(
      expr::select(node, expr::cmp(node, mllm::CmpPredicate::gt, x, zero),
                   expr::scalar(node, x, 1.0), negative));
}

/// Xor: (a or b) and not (a and b).
LogicalResult convertXor(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  expr::Expr a = node.getRequiredInput(0);
  expr::Expr b = node.getRequiredInput(1);
  return node.setResult(expr::binary<mllm::AndOp>(
      node, expr::binary<mllm::OrOp>(node, a, b),
      expr::unary<mllm::NotOp>(node, expr::binary<mllm::AndOp>(node, a, b))));
}

/// BitShift: `direction` LEFT or RIGHT (required).
LogicalResult convertBitShift(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> x = node.getRequiredInput(0);
  FailureOr<Value> amount = node.getRequiredInput(1);
  if (failed(x) || failed(amount))
    return failure();
  std::string direction = node.getStringAttr("direction", "");
  if (direction == "LEFT")
    return node.setResult(node.create<mllm::ShiftLeftOp>(*x, *amount));
  if (direction == "RIGHT")
    return node.setResult(node.create<mllm::ShiftRightOp>(*x, *amount));
  node.emitError() << "direction '" << direction
                   << "' is not supported; expected LEFT or RIGHT";
  return failure();
}

/// IsNaN: `x != x` (the only value unequal to itself is NaN).
LogicalResult convertIsNaN(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  expr::Expr x = node.getRequiredInput(0);
  return node.setResult(expr::cmp(node, mllm::CmpPredicate::ne, x, x));
}

/// IsInf: `x == inf`, `x == -inf`, or `|x| == inf` for both signs; with
/// neither sign detected, all false.
LogicalResult convertIsInf(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  // Integers have no infinity (and inf is no integer constant).
  RankedTensorType type = NodeContext::getType(*input);
  if (!isa<FloatType>(type.getElementType())) {
    node.emitError() << "the input must be a float tensor, got " << type;
    return failure();
  }
  expr::Expr x = *input;
  bool positive = node.getIntAttr("detect_positive", 1) != 0;
  bool negative = node.getIntAttr("detect_negative", 1) != 0;
  double inf = std::numeric_limits<double>::infinity();
  if (positive && negative)
    return node.setResult(expr::cmp(node, mllm::CmpPredicate::eq,
                                    expr::unary<mllm::AbsOp>(node, x),
                                    expr::scalar(node, x, inf)));
  if (positive || negative)
    return node.setResult(
        expr::cmp(node, mllm::CmpPredicate::eq, x,
                  expr::scalar(node, x, positive ? inf : -inf)));
  // Neither sign: |x| < 0 never holds.
  return node.setResult(expr::cmp(node, mllm::CmpPredicate::lt,
                                  expr::unary<mllm::AbsOp>(node, x),
                                  expr::scalar(node, x, 0.0)));
}

} // namespace

void mllmc::onnx_frontend::registerElementwiseOps(OpRegistry &registry) {
  registry.add("Add", 7, convertBinary<mllm::AddOp>, "numpy broadcasting");
  registry.add("Sub", 7, convertBinary<mllm::SubOp>, "numpy broadcasting");
  registry.add("Mul", 7, convertBinary<mllm::MulOp>, "numpy broadcasting");
  registry.add("Div", 7, convertBinary<mllm::DivOp>, "numpy broadcasting");
  registry.add("Mod", 10, convertMod,
               "fmod = 1: remainder with the dividend's sign; fmod = 0: "
               "the divisor's sign (numpy.mod)");
  registry.add("Pow", 7, convertPow,
               "exponent cast to the base's element type");
  registry.add("And", 7, convertBinary<mllm::AndOp>, "");
  registry.add("Or", 7, convertBinary<mllm::OrOp>, "");
  registry.add("Not", 1, convertUnary<mllm::NotOp>, "");
  registry.add("Equal", 7, convertComparison<mllm::CmpPredicate::eq>, "");
  registry.add("Less", 7, convertComparison<mllm::CmpPredicate::lt>, "");
  registry.add("LessOrEqual", 12, convertComparison<mllm::CmpPredicate::le>,
               "");
  registry.add("Greater", 7, convertComparison<mllm::CmpPredicate::gt>, "");
  registry.add("GreaterOrEqual", 12, convertComparison<mllm::CmpPredicate::ge>,
               "");
  registry.add("Max", 8, convertVariadic<mllm::MaxOp>,
               "variadic: a chain of mllm.max");
  registry.add("Min", 8, convertVariadic<mllm::MinOp>,
               "variadic: a chain of mllm.min");
  registry.add("Neg", 6, convertUnary<mllm::NegOp>, "");
  registry.add("Abs", 6, convertUnary<mllm::AbsOp>, "");
  registry.add("Exp", 6, convertUnary<mllm::ExpOp>, "");
  registry.add("Log", 6, convertUnary<mllm::LogOp>, "");
  registry.add("Sqrt", 6, convertUnary<mllm::SqrtOp>, "");
  registry.add("Reciprocal", 6, convertUnary<mllm::ReciprocalOp>, "");
  registry.add("Erf", 9, convertUnary<mllm::ErfOp>, "");
  registry.add("Tanh", 6, convertUnary<mllm::TanhOp>, "");
  registry.add("Sigmoid", 6, convertUnary<mllm::SigmoidOp>, "");
  registry.add("Cos", 7, convertUnary<mllm::CosOp>, "");
  registry.add("Sin", 7, convertUnary<mllm::SinOp>, "");
  registry.add("Floor", 6, convertUnary<mllm::FloorOp>, "");
  registry.add("Ceil", 6, convertUnary<mllm::CeilOp>, "");
  registry.add("Round", 11, convertUnary<mllm::RoundOp>, "ties to even");
  registry.add("Relu", 6, convertUnary<mllm::ReluOp>, "");
  registry.add("Where", 9, convertWhere, "three-way broadcasting");
  registry.add("CastLike", 15, convertCastLike, "as Cast");
  registry.add("Clip", 11, convertClip, "min and max inputs, each optional");
  registry.add("Sum", 8, convertSum<false>, "variadic: a chain of mllm.add");
  registry.add("Mean", 8, convertSum<true>,
               "variadic: a chain of mllm.add, then a division");
  registry.add("Tan", 7, convertUnary<mllm::TanOp>, "");
  registry.add("Asin", 7, convertUnary<mllm::AsinOp>, "");
  registry.add("Acos", 7, convertUnary<mllm::AcosOp>, "");
  registry.add("Atan", 7, convertUnary<mllm::AtanOp>, "");
  registry.add("Sinh", 9, convertUnary<mllm::SinhOp>, "");
  registry.add("Cosh", 9, convertUnary<mllm::CoshOp>, "");
  registry.add("Asinh", 9, convertUnary<mllm::AsinhOp>, "");
  registry.add("Acosh", 9, convertUnary<mllm::AcoshOp>, "");
  registry.add("Atanh", 9, convertUnary<mllm::AtanhOp>, "");
  registry.add("IsNaN", 9, convertIsNaN, "decomposed");
  registry.add("IsInf", 10, convertIsInf, "decomposed");
  registry.add("BitwiseAnd", 18, convertBinary<mllm::BitwiseAndOp>, "");
  registry.add("BitwiseOr", 18, convertBinary<mllm::BitwiseOrOp>, "");
  registry.add("BitwiseXor", 18, convertBinary<mllm::BitwiseXorOp>, "");
  registry.add("BitwiseNot", 18, convertUnary<mllm::BitwiseNotOp>, "");
  registry.add("BitShift", 11, convertBitShift,
               "signed types (opset 26+) shift arithmetically; an amount of "
               "at least the bit width shifts every bit out");
  registry.add("Sign", 13, convertSign, "decomposed");
  registry.add("Xor", 7, convertXor, "decomposed");
  registry.add(
      "Cast", 6, convertCast,
      "to FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32, INT16, INT8, "
      "UINT64, UINT32, UINT16, UINT8, BOOL");
}
