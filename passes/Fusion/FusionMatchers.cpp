//===- FusionMatchers.cpp - Small matchers of the fusion patterns ---------===//

#include "passes/Fusion/FusionMatchers.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace mllmc::fusion {

std::optional<double> getSplatValue(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

bool isCloseTo(double actual, double expected, Type elementType) {
  // f32 constants often come with 6-7 significant digits; narrower types
  // round to their own precision.
  double tolerance = 1e-4;
  if (auto floatType = dyn_cast<FloatType>(elementType))
    tolerance = std::max(
        tolerance, 2.0 * std::ldexp(1.0, -int(floatType.getFPMantissaWidth())));
  return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

/// Whether `result` has the type of `input`: a constant operand did not
/// broadcast it.
static bool keepsType(Value input, Value result) {
  return input.getType() == result.getType();
}

std::optional<Scaled> matchScaled(Value value) {
  Operation *op = value ? value.getDefiningOp() : nullptr;
  if (auto mul = dyn_cast_or_null<mllm::MulOp>(op)) {
    for (auto [x, c] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      if (std::optional<double> factor = getSplatValue(c);
          factor && keepsType(x, value) && !getSplatValue(x))
        return Scaled{x, *factor, op};
    }
  }
  if (auto div = dyn_cast_or_null<mllm::DivOp>(op)) {
    std::optional<double> divisor = getSplatValue(div.getRhs());
    if (divisor && *divisor != 0.0 && keepsType(div.getLhs(), value))
      return Scaled{div.getLhs(), 1.0 / *divisor, op};
  }
  return std::nullopt;
}

std::optional<std::pair<Value, double>> matchAddConstant(Value value) {
  auto add = value ? value.getDefiningOp<mllm::AddOp>() : nullptr;
  if (!add)
    return std::nullopt;
  for (auto [x, c] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())}) {
    if (std::optional<double> constant = getSplatValue(c);
        constant && keepsType(x, value) && !getSplatValue(x))
      return std::pair(x, *constant);
  }
  return std::nullopt;
}

Value getOtherOperand(Operation *op, Value operand) {
  assert(op->getNumOperands() == 2 && "expected a binary op");
  return op->getOperand(0) == operand ? op->getOperand(1) : op->getOperand(0);
}

Operation *getSingleUser(Value value) {
  return value.hasOneUse() ? *value.user_begin() : nullptr;
}

std::string formatConstant(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.7g", value);
  return text;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << "?";
    else
      os << dim;
  });
  os << "]";
  return text;
}

} // namespace mllmc::fusion
