//===- AttentionUtils.h - Shared parts of the attention imports -*- C++ -*-===//
//
// The attention ops (ONNX Attention, com.microsoft MultiHeadAttention and
// GroupQueryAttention) take 3-D [B, S, H * D] inputs that mllm.attention
// wants as [B, H, S, D] and return the result the other way round; they
// spell causal or windowed masks that mllm.attention's `causal` cannot
// express as constant [Sq, Skv] masks, and combine every mask of a node into
// mllm.attention's one mask operand.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_ATTENTIONUTILS_H
#define MLLMC_FRONTENDS_ONNX_OPS_ATTENTIONUTILS_H

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <limits>

namespace mllmc::onnx_frontend {

/// [B, S, H * D] -> [B, H, S, D]; `name` names the input in the error.
inline mlir::FailureOr<mlir::Value> splitHeads(NodeContext &node,
                                               mlir::Value input, int64_t heads,
                                               llvm::StringRef name) {
  mlir::RankedTensorType type = NodeContext::getType(input);
  if (type.getRank() != 3) {
    node.emitError() << "cannot split " << name << " of type " << type
                     << " into heads: it must be 3-D [B, S, H * D]";
    return mlir::failure();
  }
  int64_t hidden = type.getDimSize(2);
  if (heads <= 0 || mlir::ShapedType::isDynamic(hidden) ||
      hidden % heads != 0) {
    node.emitError() << "cannot split " << name << " of type " << type
                     << " into " << heads << " heads: its last dimension "
                     << "must be static and divisible by the head count";
    return mlir::failure();
  }
  mlir::FailureOr<mlir::Value> reshaped =
      node.createWithType<mlir::mllm::ReshapeOp>(
          type.clone(
              {type.getDimSize(0), type.getDimSize(1), heads, hidden / heads}),
          input);
  if (mlir::failed(reshaped))
    return mlir::failure();
  return node.create<mlir::mllm::TransposeOp>(
      *reshaped, llvm::ArrayRef<int64_t>{0, 2, 1, 3});
}

/// [B, H, S, D] -> [B, S, H * D].
inline mlir::FailureOr<mlir::Value>
mergeHeads(NodeContext &node, mlir::FailureOr<mlir::Value> input) {
  if (mlir::failed(input))
    return mlir::failure();
  mlir::RankedTensorType type = NodeContext::getType(*input);
  mlir::FailureOr<mlir::Value> transposed =
      node.create<mlir::mllm::TransposeOp>(*input,
                                           llvm::ArrayRef<int64_t>{0, 2, 1, 3});
  if (mlir::failed(transposed))
    return mlir::failure();
  int64_t heads = type.getDimSize(1), size = type.getDimSize(3);
  int64_t hidden =
      mlir::ShapedType::isDynamic(heads) || mlir::ShapedType::isDynamic(size)
          ? mlir::ShapedType::kDynamic
          : heads * size;
  return node.createWithType<mlir::mllm::ReshapeOp>(
      type.clone({type.getDimSize(0), type.getDimSize(2), hidden}),
      *transposed);
}

/// A [rows, cols] constant mask: i1 `allowed(i, j)`.
inline expr::Expr
createMask(NodeContext &node, int64_t rows, int64_t cols,
           llvm::function_ref<bool(int64_t, int64_t)> allowed) {
  llvm::SmallVector<bool> bits;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      bits.push_back(allowed(i, j));
  return expr::boolConstant(node, {rows, cols}, bits);
}

/// The masks of one attention node, combined into at most one value: an i1
/// mask (true attends) or an additive float mask of the query's type.
class MaskBuilder {
public:
  MaskBuilder(NodeContext &node, mlir::Type floatType)
      : node(node), floatType(floatType) {}

  /// Adds a mask; bool and float masks combine into a float one.
  mlir::LogicalResult add(mlir::Value mask) {
    if (!combined) {
      combined = mask;
      return mlir::success();
    }
    bool combinedBool = isBool(combined), maskBool = isBool(mask);
    expr::Expr result;
    if (combinedBool && maskBool)
      result = expr::binary<mlir::mllm::AndOp>(node, combined, mask);
    else
      result = expr::binary<mlir::mllm::AddOp>(node, toFloat(combined),
                                               toFloat(mask));
    if (mlir::failed(result))
      return mlir::failure();
    combined = *result;
    return mlir::success();
  }

  /// The combined mask (null when there is none).
  mlir::Value get() const { return combined; }

  /// The combined mask as an additive float mask (null when there is none).
  expr::Expr getAdditive() {
    if (!combined)
      return mlir::Value();
    return toFloat(combined);
  }

private:
  static bool isBool(mlir::Value value) {
    return NodeContext::getType(value).getElementType().isInteger(1);
  }
  expr::Expr toFloat(expr::Expr mask) {
    if (mlir::failed(mask) || !isBool(*mask))
      return mask;
    mlir::Value zero = node.createScalar(floatType, 0.0);
    mlir::Value negInf =
        node.createScalar(floatType, -std::numeric_limits<double>::infinity());
    return expr::select(node, mask, zero, negInf);
  }

  NodeContext &node;
  mlir::Type floatType;
  mlir::Value combined;
};

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_ATTENTIONUTILS_H
