//===- Quantize.cpp - Linear quantization ops -----------------------------===//
//
// ONNX's linear quantization, composed of mllm ops:
//
// - DequantizeLinear: y = float(int32(x) - int32(zero_point)) * scale, the
//   difference taken in i32 (exact for every quantized type, int32 too);
// - QuantizeLinear: y = saturate(round(x / scale) + zero_point), in f32,
//   round half to even (mllm.round), saturated to the output type's range
//   before the (then exact) conversion;
// - DynamicQuantizeLinear: uint8 with the scale and zero point computed from
//   the range of x (widened to include 0);
// - MatMulInteger: an i32 matmul of the operands less their zero points;
// - QLinearMatMul: MatMulInteger requantized as ONNX Runtime does:
//   saturate(round(acc * (a_scale * b_scale / y_scale)) + y_zero_point);
// - ConvInteger and QLinearConv: the same with an i32 mllm.conv (padding
//   with zeros after the zero points are subtracted is padding with the
//   zero point, as ONNX specifies).
//
// Scales and zero points are per tensor (a scalar or one value), per axis
// (1-D along `axis`) or blocked (the rank of x, `block_size` consecutive
// elements along `axis` sharing one), brought to x's shape by a reshape or a
// gather along the axis, then broadcast. float8, int4 and uint4 are not
// supported.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Conv.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// The range of a quantized integer type: 8, 16 or 32 bits, signless
/// (signed) or unsigned.
struct IntRange {
  double min, max;
};

std::optional<IntRange> getIntRange(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer || (integer.getWidth() != 8 && integer.getWidth() != 16 &&
                   integer.getWidth() != 32))
    return std::nullopt;
  double span = std::ldexp(1.0, integer.getWidth());
  if (integer.isUnsigned())
    return IntRange{0.0, span - 1.0};
  return IntRange{-span / 2.0, span / 2.0 - 1.0};
}

/// Checks that `value` (input `role` of the node) holds a quantized integer
/// type; `allow32` admits int32 (DequantizeLinear's input).
LogicalResult checkQuantizedType(NodeContext &node, Value value, StringRef role,
                                 bool allow32) {
  Type type = NodeContext::getType(value).getElementType();
  std::optional<IntRange> range = getIntRange(type);
  if (range && (allow32 || type.getIntOrFloatBitWidth() < 32))
    return success();
  node.emitError() << role << " must be int8, uint8, int16, uint16"
                   << (allow32 ? " or int32" : "") << ", got " << type
                   << " (float8, int4 and uint4 are not supported)";
  return failure();
}

LogicalResult checkFloat(NodeContext &node, Value value, StringRef role) {
  Type type = NodeContext::getType(value).getElementType();
  if (isa<FloatType>(type))
    return success();
  node.emitError() << role << " must hold floating-point values, got " << type;
  return failure();
}

/// A scale or zero point (`role`) brought to a shape that broadcasts against
/// x: a scalar or a one-value tensor as it is; with `blockSize` = 0 a 1-D
/// tensor of x.shape[axis] values reshaped to [1.., C, ..1]; with a block
/// size, a tensor of x's rank with ceil(x.shape[axis] / blockSize) values
/// along the axis, gathered to x.shape[axis] (index i / blockSize).
Expr alignParameter(NodeContext &node, Value parameter, RankedTensorType xType,
                    int64_t axis, int64_t blockSize, StringRef role) {
  RankedTensorType type = NodeContext::getType(parameter);
  int64_t rank = xType.getRank();
  if (type.getRank() == 0 ||
      (blockSize == 0 && type.getRank() == 1 && type.getDimSize(0) == 1))
    return parameter;
  int64_t length = xType.getDimSize(axis);
  if (blockSize == 0) {
    if (type.getRank() != 1 ||
        (!ShapedType::isDynamic(length) && !type.isDynamicDim(0) &&
         type.getDimSize(0) != length)) {
      node.emitError() << role << " " << type << " must be a scalar or 1-D "
                       << "with one value per element of axis " << axis
                       << " of x " << xType;
      return failure();
    }
    SmallVector<int64_t> shape(rank, 1);
    shape[axis] = type.getDimSize(0);
    return node.createWithType<mllm::ReshapeOp>(type.clone(shape), parameter);
  }
  if (blockSize < 0 || type.getRank() != rank ||
      ShapedType::isDynamic(length) || type.isDynamicDim(axis) ||
      type.getDimSize(axis) != (length + blockSize - 1) / blockSize) {
    node.emitError() << role << " " << type << " must have the rank of x "
                     << xType << " and ceil(" << length << " / block_size "
                     << blockSize << ") values along axis " << axis;
    return failure();
  }
  for (int64_t d = 0; d < rank; ++d) {
    if (d != axis && type.getDimSize(d) != xType.getDimSize(d)) {
      node.emitError() << role << " " << type << " must match x " << xType
                       << " off axis " << axis << " (blocked quantization)";
      return failure();
    }
  }
  SmallVector<int64_t> blocks;
  for (int64_t i = 0; i < length; ++i)
    blocks.push_back(i / blockSize);
  Value indices = node.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({length}, node.getBuilder().getI64Type()),
      ArrayRef(blocks)));
  return node.create<mllm::GatherOp>(parameter, indices, axis);
}

/// `value` converted to `elementType` (no op when it has it already).
Expr castTo(NodeContext &node, Expr value, Type elementType) {
  if (failed(value))
    return failure();
  RankedTensorType type = NodeContext::getType(*value);
  if (type.getElementType() == elementType)
    return value;
  return node.createWithType<mllm::CastOp>(type.clone(elementType), *value);
}

/// saturate(round(scaled) + zeroPoint) as `resultType`: `scaled` is f32,
/// `zeroPoint` an aligned zero point or null.
Expr requantize(NodeContext &node, Expr scaled, Expr zeroPoint,
                Type resultType) {
  IntRange range = *getIntRange(resultType);
  Type f32 = node.getBuilder().getF32Type();
  Expr rounded = unary<mllm::RoundOp>(node, scaled);
  if (succeeded(zeroPoint) && *zeroPoint)
    rounded = binary<mllm::AddOp>(node, rounded, castTo(node, zeroPoint, f32));
  Expr saturated = binary<mllm::MinOp>(
      node,
      binary<mllm::MaxOp>(node, rounded, node.createScalar(f32, range.min)),
      node.createScalar(f32, range.max));
  return castTo(node, saturated, resultType);
}

/// The normalized `axis` attribute (default 1) and `block_size` (default 0).
struct QuantAxis {
  int64_t axis = 0, blockSize = 0;
};

/// `scale` is the node's scale: when it is per tensor (a scalar or one
/// value, not blocked) the axis is unused and not checked.
FailureOr<QuantAxis> getQuantAxis(NodeContext &node, RankedTensorType xType,
                                  Value scale) {
  QuantAxis result;
  result.blockSize = node.getIntAttr("block_size", 0);
  RankedTensorType scaleType = NodeContext::getType(scale);
  if (result.blockSize == 0 &&
      (scaleType.getRank() == 0 ||
       (scaleType.getRank() == 1 && scaleType.getDimSize(0) == 1)))
    return result;
  FailureOr<int64_t> axis =
      node.normalizeAxis(node.getIntAttr("axis", 1), xType.getRank());
  if (failed(axis))
    return failure();
  result.axis = *axis;
  return result;
}

/// Aligns input `index` (a scale or zero point named `role`) when present.
Expr alignInput(NodeContext &node, unsigned index, RankedTensorType xType,
                QuantAxis quantAxis, StringRef role) {
  Value parameter = node.getInput(index);
  if (!parameter)
    return Value();
  return alignParameter(node, parameter, xType, quantAxis.axis,
                        quantAxis.blockSize, role);
}

LogicalResult convertDequantizeLinear(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> x = node.getRequiredInput(0);
  FailureOr<Value> scale = node.getRequiredInput(1);
  if (failed(x) || failed(scale) ||
      failed(checkQuantizedType(node, *x, "x", /*allow32=*/true)) ||
      failed(checkFloat(node, *scale, "x_scale")))
    return failure();
  Value zeroPoint = node.getInput(2);
  RankedTensorType xType = NodeContext::getType(*x);
  if (zeroPoint && NodeContext::getType(zeroPoint).getElementType() !=
                       xType.getElementType()) {
    node.emitError() << "x_zero_point must have x's element type "
                     << xType.getElementType() << ", got "
                     << NodeContext::getType(zeroPoint);
    return failure();
  }
  Type resultType = NodeContext::getType(*scale).getElementType();
  if (int64_t dtype = node.getIntAttr("output_dtype", 0)) {
    Type given = convertElementType(node.getContext(), dtype);
    if (given != resultType) {
      node.emitError() << "output_dtype (" << dtype
                       << ") must be the type of x_scale, " << resultType;
      return failure();
    }
  }
  FailureOr<QuantAxis> quantAxis = getQuantAxis(node, xType, *scale);
  if (failed(quantAxis))
    return failure();

  Type i32 = node.getBuilder().getI32Type(),
       f32 = node.getBuilder().getF32Type();
  Expr value = castTo(node, *x, i32);
  if (zeroPoint)
    value = binary<mllm::SubOp>(
        node, value,
        castTo(node, alignInput(node, 2, xType, *quantAxis, "x_zero_point"),
               i32));
  Expr result = binary<mllm::MulOp>(
      node, castTo(node, value, f32),
      castTo(node, alignInput(node, 1, xType, *quantAxis, "x_scale"), f32));
  return node.setResult(castTo(node, result, resultType));
}

/// QuantizeLinear's output type: its zero point's, else output_dtype's,
/// else uint8.
FailureOr<Type> getQuantizeResultType(NodeContext &node) {
  Value zeroPoint = node.getInput(2);
  int64_t dtype = node.getIntAttr("output_dtype", 0);
  Type type =
      zeroPoint ? NodeContext::getType(zeroPoint).getElementType()
      : dtype   ? convertElementType(node.getContext(), dtype)
                : IntegerType::get(node.getContext(), 8, IntegerType::Unsigned);
  if (zeroPoint && dtype &&
      convertElementType(node.getContext(), dtype) != type) {
    node.emitError() << "output_dtype (" << dtype
                     << ") must be the type of y_zero_point, " << type;
    return failure();
  }
  std::optional<IntRange> range = type ? getIntRange(type) : std::nullopt;
  if (!range || type.getIntOrFloatBitWidth() == 32) {
    std::string got;
    if (type)
      llvm::raw_string_ostream(got) << type;
    else
      got = getDataTypeName(dtype);
    node.emitError() << "the output must be int8, uint8, int16 or uint16, "
                     << "got " << got
                     << " (float8, int4 and uint4 are not supported)";
    return failure();
  }
  return type;
}

LogicalResult convertQuantizeLinear(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> x = node.getRequiredInput(0);
  FailureOr<Value> scale = node.getRequiredInput(1);
  if (failed(x) || failed(scale) || failed(checkFloat(node, *x, "x")) ||
      failed(checkFloat(node, *scale, "y_scale")))
    return failure();
  FailureOr<Type> resultType = getQuantizeResultType(node);
  if (failed(resultType))
    return failure();
  RankedTensorType xType = NodeContext::getType(*x);
  FailureOr<QuantAxis> quantAxis = getQuantAxis(node, xType, *scale);
  if (failed(quantAxis))
    return failure();
  Type f32 = node.getBuilder().getF32Type();
  Expr scaled = binary<mllm::DivOp>(
      node, castTo(node, *x, f32),
      castTo(node, alignInput(node, 1, xType, *quantAxis, "y_scale"), f32));
  return node.setResult(requantize(
      node, scaled, alignInput(node, 2, xType, *quantAxis, "y_zero_point"),
      *resultType));
}

/// DynamicQuantizeLinear (opset 11): uint8 y with y_scale = (max - min) /
/// 255 over the range [min(x, 0), max(x, 0)] and y_zero_point =
/// saturate(round(-min / y_scale)).
LogicalResult convertDynamicQuantizeLinear(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> x = node.getRequiredInput(0);
  if (failed(x))
    return failure();
  RankedTensorType xType = NodeContext::getType(*x);
  Type f32 = node.getBuilder().getF32Type();
  if (xType.getElementType() != f32) {
    node.emitError() << "x must be float32, got " << xType;
    return failure();
  }
  auto axes = llvm::to_vector(llvm::seq<int64_t>(0, xType.getRank()));
  Value zero = node.createScalar(f32, 0.0);
  Expr min = binary<mllm::MinOp>(
      node, node.create<mllm::ReduceMinOp>(*x, axes, /*keepdims=*/false), zero);
  Expr max = binary<mllm::MaxOp>(
      node, node.create<mllm::ReduceMaxOp>(*x, axes, /*keepdims=*/false), zero);
  Expr scale = binary<mllm::DivOp>(node, binary<mllm::SubOp>(node, max, min),
                                   node.createScalar(f32, 255.0));
  auto u8 = IntegerType::get(node.getContext(), 8, IntegerType::Unsigned);
  Expr zeroPoint = requantize(
      node,
      binary<mllm::SubOp>(node, zero, binary<mllm::DivOp>(node, min, scale)),
      Value(), u8);
  Expr y =
      requantize(node, binary<mllm::DivOp>(node, *x, scale), zeroPoint, u8);
  if (failed(y) || failed(scale) || failed(zeroPoint))
    return failure();
  node.setOutput(0, *y);
  node.setOutput(1, *scale);
  node.setOutput(2, *zeroPoint);
  return success();
}

/// A matmul operand less its zero point, in i32. `operand` is input
/// `index`, its zero point input `zeroIndex`: a scalar, or 1-D with one
/// value per row (A: [M], reshaped to [M, 1]) or per column (B: [N]).
Expr subtractZeroPoint(NodeContext &node, unsigned index, unsigned zeroIndex,
                       bool perRow, StringRef role) {
  Value operand = node.getInput(index), zeroPoint = node.getInput(zeroIndex);
  Type i32 = node.getBuilder().getI32Type();
  if (failed(checkQuantizedType(node, operand, role, /*allow32=*/false)))
    return failure();
  Expr value = castTo(node, operand, i32);
  if (!zeroPoint)
    return value;
  RankedTensorType type = NodeContext::getType(operand);
  RankedTensorType zeroType = NodeContext::getType(zeroPoint);
  if (zeroType.getElementType() != type.getElementType() ||
      zeroType.getRank() > 1 || type.getRank() < 2) {
    node.emitError() << "the zero point of " << role << " must be a scalar "
                     << "or 1-D of " << role << "'s element type, and " << role
                     << " a matrix or a stack of them; got " << zeroType
                     << " for " << type;
    return failure();
  }
  Expr aligned = zeroPoint;
  if (perRow && zeroType.getRank() == 1)
    aligned = node.createWithType<mllm::ReshapeOp>(
        zeroType.clone({zeroType.getDimSize(0), 1}), zeroPoint);
  return binary<mllm::SubOp>(node, value, castTo(node, aligned, i32));
}

/// (A - a_zero_point) x (B - b_zero_point) in i32; inputs a, b, a_zp, b_zp
/// at positions `a`, `b`, `aZero`, `bZero`.
Expr integerMatmul(NodeContext &node, unsigned a, unsigned b, unsigned aZero,
                   unsigned bZero) {
  Expr lhs = subtractZeroPoint(node, a, aZero, /*perRow=*/true, "A");
  Expr rhs = subtractZeroPoint(node, b, bZero, /*perRow=*/false, "B");
  return binary<mllm::MatmulOp>(node, lhs, rhs);
}

LogicalResult convertMatMulInteger(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 4)) || failed(node.getRequiredInput(0)) ||
      failed(node.getRequiredInput(1)))
    return failure();
  return node.setResult(integerMatmul(node, 0, 1, 2, 3));
}

/// A QLinearMatMul scale (input `index`) as f32, aligned like its operand's
/// zero point: per row of A ([M] -> [M, 1]) or per column of B ([N]).
Expr matmulScale(NodeContext &node, unsigned index, bool perRow,
                 StringRef role) {
  FailureOr<Value> scale = node.getRequiredInput(index);
  if (failed(scale) || failed(checkFloat(node, *scale, role)))
    return failure();
  RankedTensorType type = NodeContext::getType(*scale);
  if (type.getRank() > 1) {
    node.emitError() << role << " must be a scalar or 1-D, got " << type;
    return failure();
  }
  Expr aligned = *scale;
  if (perRow && type.getRank() == 1)
    aligned = node.createWithType<mllm::ReshapeOp>(
        type.clone({type.getDimSize(0), 1}), *scale);
  return castTo(node, aligned, node.getBuilder().getF32Type());
}

/// QLinearMatMul (opset 10; float16 and bfloat16 scales since 21): inputs
/// a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale,
/// y_zero_point.
LogicalResult convertQLinearMatMul(NodeContext &node) {
  if (failed(node.checkNumInputs(8, 8)))
    return failure();
  for (unsigned i : {0u, 3u, 7u})
    if (failed(node.getRequiredInput(i)))
      return failure();
  Type resultType = NodeContext::getType(node.getInput(7)).getElementType();
  if (failed(checkQuantizedType(node, node.getInput(7), "y_zero_point",
                                /*allow32=*/false)))
    return failure();
  Expr accumulator = integerMatmul(node, 0, 3, 2, 5);
  Expr multiplier = binary<mllm::DivOp>(
      node,
      binary<mllm::MulOp>(node, matmulScale(node, 1, true, "a_scale"),
                          matmulScale(node, 4, false, "b_scale")),
      matmulScale(node, 6, false, "y_scale"));
  Expr scaled = binary<mllm::MulOp>(
      node, castTo(node, accumulator, node.getBuilder().getF32Type()),
      multiplier);
  return node.setResult(requantize(node, scaled, node.getInput(7), resultType));
}

/// A per-channel parameter of a convolution as input `index`: a scalar or
/// one value as it is, a 1-D [M] reshaped to `rank` dims with M at `dim`.
Expr alignChannel(NodeContext &node, unsigned index, int64_t rank, int64_t dim,
                  StringRef role) {
  Value parameter = node.getInput(index);
  RankedTensorType type = NodeContext::getType(parameter);
  if (type.getRank() == 0 || type.getNumElements() == 1)
    return parameter;
  if (type.getRank() != 1) {
    node.emitError() << role << " must be a scalar or 1-D (one value per "
                     << "output channel), got " << type;
    return failure();
  }
  SmallVector<int64_t> shape(rank, 1);
  shape[dim] = type.getDimSize(0);
  return node.createWithType<mllm::ReshapeOp>(type.clone(shape), parameter);
}

/// (x - x_zero_point) convolved with (w - w_zero_point) in i32, plus the
/// i32 `bias` (input `biasIndex`, or none), with the Conv attributes; x's
/// zero point is per tensor, w's per tensor or per output channel.
Expr integerConv(NodeContext &node, unsigned x, unsigned w, unsigned xZero,
                 unsigned wZero, std::optional<unsigned> biasIndex) {
  Type i32 = node.getBuilder().getI32Type();
  if (failed(checkQuantizedType(node, node.getInput(x), "x", false)) ||
      failed(checkQuantizedType(node, node.getInput(w), "w", false)))
    return failure();
  Expr input = castTo(node, node.getInput(x), i32);
  if (Value zeroPoint = node.getInput(xZero)) {
    if (NodeContext::getType(zeroPoint).getNumElements() != 1) {
      node.emitError() << "x_zero_point must be one value (per tensor), got "
                       << NodeContext::getType(zeroPoint);
      return failure();
    }
    input = binary<mllm::SubOp>(node, input, castTo(node, zeroPoint, i32));
  }
  int64_t rank = NodeContext::getType(node.getInput(w)).getRank();
  Expr weight = castTo(node, node.getInput(w), i32);
  if (node.getInput(wZero))
    weight = binary<mllm::SubOp>(
        node, weight,
        castTo(node, alignChannel(node, wZero, rank, 0, "w_zero_point"), i32));
  Value bias = biasIndex ? node.getInput(*biasIndex) : Value();
  if (bias && NodeContext::getType(bias).getElementType() != i32) {
    node.emitError() << "B must be int32, got " << NodeContext::getType(bias);
    return failure();
  }
  if (failed(input) || failed(weight))
    return failure();
  return createConv(node, *input, *weight, bias);
}

/// ConvInteger (opset 10): inputs x, w, x_zero_point, w_zero_point.
LogicalResult convertConvInteger(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 4)) || failed(node.getRequiredInput(0)) ||
      failed(node.getRequiredInput(1)))
    return failure();
  return node.setResult(integerConv(node, 0, 1, 2, 3, std::nullopt));
}

/// QLinearConv (opset 10): inputs x, x_scale, x_zero_point, w, w_scale,
/// w_zero_point, y_scale, y_zero_point and the optional int32 bias B;
/// requantized like QLinearMatMul with w_scale per output channel.
LogicalResult convertQLinearConv(NodeContext &node) {
  if (failed(node.checkNumInputs(8, 9)))
    return failure();
  for (unsigned i : {0u, 1u, 3u, 4u, 6u, 7u})
    if (failed(node.getRequiredInput(i)))
      return failure();
  if (failed(checkQuantizedType(node, node.getInput(7), "y_zero_point",
                                /*allow32=*/false)))
    return failure();
  Type resultType = NodeContext::getType(node.getInput(7)).getElementType();
  Type f32 = node.getBuilder().getF32Type();
  int64_t rank = NodeContext::getType(node.getInput(0)).getRank();
  Expr accumulator = integerConv(node, 0, 3, 2, 5, 8);
  Expr multiplier = binary<mllm::DivOp>(
      node,
      binary<mllm::MulOp>(
          node, castTo(node, node.getInput(1), f32),
          castTo(node, alignChannel(node, 4, rank, 1, "w_scale"), f32)),
      castTo(node, node.getInput(6), f32));
  Expr scaled =
      binary<mllm::MulOp>(node, castTo(node, accumulator, f32), multiplier);
  return node.setResult(requantize(node, scaled, node.getInput(7), resultType));
}

} // namespace

void mllmc::onnx_frontend::registerQuantizeOps(OpRegistry &registry) {
  registry.add("DequantizeLinear", 10, convertDequantizeLinear,
               "int8, uint8, int16, uint16, int32; per tensor, per axis, "
               "blocked");
  registry.add("QuantizeLinear", 10, convertQuantizeLinear,
               "to int8, uint8, int16, uint16 (round half to even, "
               "saturated); per tensor, per axis, blocked");
  registry.add("DynamicQuantizeLinear", 11, convertDynamicQuantizeLinear,
               "float32 to uint8");
  registry.add("MatMulInteger", 10, convertMatMulInteger,
               "int8/uint8; zero points per tensor, per row of A, per column "
               "of B");
  registry.add("ConvInteger", 10, convertConvInteger,
               "int8/uint8; an i32 mllm.conv of the operands less their zero "
               "points (w's per output channel)");
  registry.add("QLinearConv", 10, convertQLinearConv,
               "int8/uint8; ConvInteger plus the int32 bias, requantized "
               "with w_scale per output channel");
  registry.add("QLinearMatMul", 10, convertQLinearMatMul,
               "int8/uint8; requantized as ONNX Runtime does (one f32 "
               "multiplier a_scale * b_scale / y_scale)");
}
