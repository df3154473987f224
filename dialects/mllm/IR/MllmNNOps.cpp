//===- MllmNNOps.cpp - softmax, norms, contractions, attention, MLP -------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

static RankedTensorType rankedType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// Checks 0 <= axis < rank.
static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " is out of range [0, " << rank << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), rankedType(getInput()).getRank());
}

//===----------------------------------------------------------------------===//
// LayerNormOp / RmsNormOp
//===----------------------------------------------------------------------===//

/// Verifies the rules shared by the norms: axis range, epsilon, and that each
/// of `params` (named by `names`) broadcasts to input.shape[axis:] with the
/// input's element type.
static LogicalResult verifyNorm(Operation *op, Value input, int64_t axis,
                                float epsilon, ValueRange params,
                                ArrayRef<StringRef> names) {
  RankedTensorType inputType = rankedType(input);
  if (failed(verifyAxis(op, axis, inputType.getRank())))
    return failure();
  if (!(epsilon >= 0.0f) || std::isinf(epsilon))
    return op->emitOpError("epsilon must be finite and non-negative, got ")
           << epsilon;
  ArrayRef<int64_t> normalized = inputType.getShape().drop_front(axis);
  for (auto [param, name] : llvm::zip_equal(params, names)) {
    if (!param)
      continue;
    RankedTensorType type = rankedType(param);
    if (type.getElementType() != inputType.getElementType())
      return op->emitOpError()
             << name << " element type " << type.getElementType()
             << " differs from the input's " << inputType.getElementType();
    if (!isBroadcastableTo(type.getShape(), normalized))
      return op->emitOpError()
             << name << " of type " << type
             << " does not broadcast to the normalized shape "
             << formatShape(normalized) << " (input dims " << axis << "..)";
  }
  return success();
}

LogicalResult LayerNormOp::verify() {
  return verifyNorm(*this, getInput(), getAxis(), getEpsilon(),
                    {getScale(), getBias()}, {"scale", "bias"});
}

LogicalResult RmsNormOp::verify() {
  return verifyNorm(*this, getInput(), getAxis(), getEpsilon(), {getScale()},
                    {"scale"});
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  RankedTensorType lhsType = rankedType(adaptor.getLhs());
  RankedTensorType rhsType = rankedType(adaptor.getRhs());
  if (lhsType.getElementType() != rhsType.getElementType())
    return inferError<MatmulOp>(
        location, "operands must have the same element type, got ",
        lhsType.getElementType(), " and ", rhsType.getElementType());
  if (lhsType.getRank() < 2 || rhsType.getRank() < 2)
    return inferError<MatmulOp>(location, "operands must have rank >= 2, got ",
                                lhsType, " and ", rhsType);
  ArrayRef<int64_t> lhs = lhsType.getShape(), rhs = rhsType.getShape();
  int64_t k = lhs.back(), rhsK = rhs[rhs.size() - 2];
  if (!mergeDims(k, rhsK))
    return inferError<MatmulOp>(location, "contraction sizes differ: lhs has ",
                                k, " columns, rhs has ", rhsK, " rows");
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(lhs.drop_back(2), rhs.drop_back(2), shape)))
    return inferError<MatmulOp>(
        location, "batch dimensions are not broadcastable: ", lhsType, " and ",
        rhsType);
  shape.push_back(lhs[lhs.size() - 2]);
  shape.push_back(rhs.back());
  inferred.push_back(RankedTensorType::get(shape, lhsType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

/// Infers [..., N] for `input` [..., K] times `weight` [K, N] plus an
/// optional `bias` [N]. Shared by linear and the layers of mlp.
template <typename OpTy>
static FailureOr<RankedTensorType>
inferProjection(std::optional<Location> location, RankedTensorType inputType,
                Value weight, Value bias, StringRef weightName,
                StringRef biasName) {
  RankedTensorType weightType = rankedType(weight);
  if (weightType.getElementType() != inputType.getElementType())
    return inferError<OpTy>(
        location, weightName, " element type ", weightType.getElementType(),
        " differs from the input's ", inputType.getElementType());
  if (inputType.getRank() < 1)
    return inferError<OpTy>(location, "input must have rank >= 1");
  if (weightType.getRank() != 2)
    return inferError<OpTy>(location, weightName, " must have rank 2, got ",
                            weightType);
  int64_t k = inputType.getShape().back();
  if (!mergeDims(k, weightType.getDimSize(0)))
    return inferError<OpTy>(location, weightName, " has ",
                            weightType.getDimSize(0),
                            " rows but the input's last dimension is ", k);
  int64_t n = weightType.getDimSize(1);
  if (bias) {
    RankedTensorType biasType = rankedType(bias);
    if (biasType.getElementType() != inputType.getElementType())
      return inferError<OpTy>(
          location, biasName, " element type ", biasType.getElementType(),
          " differs from the input's ", inputType.getElementType());
    if (biasType.getRank() != 1 || !mergeDims(biasType.getDimSize(0), n))
      return inferError<OpTy>(location, biasName, " must have shape [",
                              formatDim(n), "] to match ", weightName, ", got ",
                              biasType);
    n = *mergeDims(biasType.getDimSize(0), n);
  }
  SmallVector<int64_t> shape(inputType.getShape().drop_back());
  shape.push_back(n);
  return RankedTensorType::get(shape, inputType.getElementType());
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> type = inferProjection<LinearOp>(
      location, rankedType(adaptor.getInput()), adaptor.getWeight(),
      adaptor.getBias(), "weight", "bias");
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  RankedTensorType q = rankedType(adaptor.getQuery());
  RankedTensorType k = rankedType(adaptor.getKey());
  RankedTensorType v = rankedType(adaptor.getValue());
  RankedTensorType types[] = {q, k, v};
  StringRef names[] = {"query", "key", "value"};
  for (auto [type, name] : llvm::zip_equal(types, names)) {
    if (type.getRank() != 4)
      return inferError<AttentionOp>(
          location, name, " must have rank 4 [B, H, S, D], got ", type);
    if (type.getElementType() != q.getElementType())
      return inferError<AttentionOp>(
          location,
          "query, key and value must have the same element type, "
          "got ",
          q.getElementType(), " and ", type.getElementType(), " (", name, ")");
  }
  std::optional<int64_t> batch = mergeDims(q.getDimSize(0), k.getDimSize(0));
  if (batch)
    batch = mergeDims(*batch, v.getDimSize(0));
  if (!batch)
    return inferError<AttentionOp>(
        location,
        "query, key and value batch sizes differ: ", formatDim(q.getDimSize(0)),
        ", ", formatDim(k.getDimSize(0)), ", ", formatDim(v.getDimSize(0)));
  if (!mergeDims(k.getDimSize(1), v.getDimSize(1)))
    return inferError<AttentionOp>(
        location, "key and value head counts differ: ", k.getDimSize(1),
        " and ", v.getDimSize(1));
  if (!mergeDims(k.getDimSize(2), v.getDimSize(2)))
    return inferError<AttentionOp>(
        location, "key and value sequence lengths differ: ", k.getDimSize(2),
        " and ", v.getDimSize(2));
  if (!mergeDims(q.getDimSize(3), k.getDimSize(3)))
    return inferError<AttentionOp>(
        location, "query and key head sizes differ: ", q.getDimSize(3), " and ",
        k.getDimSize(3));
  inferred.push_back(RankedTensorType::get(
      {*batch, q.getDimSize(1), q.getDimSize(2), v.getDimSize(3)},
      q.getElementType()));
  return success();
}

LogicalResult AttentionOp::verify() {
  // The result-type check of InferTypeOpInterface runs after verify(): check
  // the operand shapes first so that the rules below may index them.
  SmallVector<Type> inferred;
  if (failed(
          inferReturnTypes(getContext(), getLoc(), Adaptor(*this), inferred)))
    return failure();
  int64_t numHeads = getNumHeads(), numKvHeads = getNumKvHeads();
  if (numHeads <= 0 || numKvHeads <= 0)
    return emitOpError("num_heads and num_kv_heads must be positive, got ")
           << numHeads << " and " << numKvHeads;
  if (numHeads % numKvHeads != 0)
    return emitOpError("num_heads (")
           << numHeads << ") must be a multiple of num_kv_heads (" << numKvHeads
           << ")";
  RankedTensorType q = rankedType(getQuery());
  RankedTensorType k = rankedType(getKey());
  if (!mergeDims(q.getDimSize(1), numHeads))
    return emitOpError("query has ")
           << q.getDimSize(1) << " heads but num_heads is " << numHeads;
  if (!mergeDims(k.getDimSize(1), numKvHeads))
    return emitOpError("key and value have ")
           << k.getDimSize(1) << " heads but num_kv_heads is " << numKvHeads;
  float scale = getScale();
  if (!std::isfinite(scale))
    return emitOpError("scale must be finite, got ") << scale;
  if (Value mask = getMask()) {
    RankedTensorType maskType = rankedType(mask);
    Type elementType = maskType.getElementType();
    if (!elementType.isInteger(1) && elementType != q.getElementType())
      return emitOpError("mask must be i1 or the query's element type ")
             << q.getElementType() << ", got " << elementType;
    SmallVector<int64_t> scores = {q.getDimSize(0), q.getDimSize(1),
                                   q.getDimSize(2), k.getDimSize(2)};
    if (!isBroadcastableTo(maskType.getShape(), scores))
      return emitOpError("mask of type ")
             << maskType << " does not broadcast to the scores' shape "
             << formatShape(scores) << " ([B, Hq, Sq, Skv])";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MlpOp
//===----------------------------------------------------------------------===//

LogicalResult MlpOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> location,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  RankedTensorType inputType = rankedType(adaptor.getInput());
  FailureOr<RankedTensorType> hidden =
      inferProjection<MlpOp>(location, inputType, adaptor.getUpWeight(),
                             adaptor.getUpBias(), "up_weight", "up_bias");
  if (failed(hidden))
    return failure();
  if (adaptor.getGateWeight()) {
    FailureOr<RankedTensorType> gate = inferProjection<MlpOp>(
        location, inputType, adaptor.getGateWeight(), adaptor.getGateBias(),
        "gate_weight", "gate_bias");
    if (failed(gate))
      return failure();
    int64_t f = hidden->getShape().back(), gateF = gate->getShape().back();
    if (!mergeDims(f, gateF))
      return inferError<MlpOp>(location, "gate_weight has ", gateF,
                               " columns but up_weight has ", f);
  } else if (adaptor.getGateBias()) {
    return inferError<MlpOp>(location, "gate_bias needs gate_weight");
  }
  FailureOr<RankedTensorType> result =
      inferProjection<MlpOp>(location, *hidden, adaptor.getDownWeight(),
                             adaptor.getDownBias(), "down_weight", "down_bias");
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}
