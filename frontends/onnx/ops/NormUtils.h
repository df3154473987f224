//===- NormUtils.h - Shared parts of the normalization imports --*- C++ -*-===//
//
// LayerNormalization, RMSNormalization and ONNX Runtime's
// SimplifiedLayerNormalization read the same operands and attributes, and
// their optional statistics outputs (mean, 1 / sqrt(variance + epsilon)) are
// the same reductions over [axis, rank) in the node's stash type.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_NORMUTILS_H
#define MLLMC_FRONTENDS_ONNX_OPS_NORMUTILS_H

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/Sequence.h"

namespace mllmc::onnx_frontend {

/// The operands and attributes of a norm node: X, scale, `axis` (default -1,
/// normalized to [0, rank)) and `epsilon` (default 1e-5).
struct NormOperands {
  mlir::Value input;
  mlir::Value scale;
  int64_t axis;
  float epsilon;
};

inline mlir::FailureOr<NormOperands> getNormOperands(NodeContext &node) {
  mlir::FailureOr<mlir::Value> input = node.getRequiredInput(0);
  mlir::FailureOr<mlir::Value> scale = node.getRequiredInput(1);
  if (mlir::failed(input) || mlir::failed(scale))
    return mlir::failure();
  mlir::FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", -1), NodeContext::getType(*input).getRank());
  if (mlir::failed(axis))
    return mlir::failure();
  return NormOperands{*input, *scale, *axis,
                      node.getFloatAttr("epsilon", 1e-5f)};
}

/// `input` cast to the node's `stash_type` (default f32), the type the
/// statistics outputs are computed in.
inline expr::Expr castToStashType(NodeContext &node, mlir::Value input) {
  int64_t stashType = node.getIntAttr("stash_type", onnx::TensorProto::FLOAT);
  mlir::Type stash = convertElementType(node.getContext(), stashType);
  if (!stash || !mlir::isa<mlir::FloatType>(stash)) {
    node.emitError() << "unsupported stash_type " << stashType;
    return mlir::failure();
  }
  mlir::RankedTensorType type = NodeContext::getType(input);
  if (type.getElementType() == stash)
    return input;
  return node.createWithType<mlir::mllm::CastOp>(type.clone(stash), input);
}

/// The mean of `x` over [axis, rank), the reduced dimensions kept as 1.
inline expr::Expr meanOverNormAxes(NodeContext &node, expr::Expr x,
                                   int64_t axis) {
  if (mlir::failed(x))
    return x;
  llvm::SmallVector<int64_t> axes = llvm::to_vector(
      llvm::seq<int64_t>(axis, NodeContext::getType(*x).getRank()));
  return node.create<mlir::mllm::ReduceMeanOp>(*x, axes, /*keepdims=*/true);
}

/// 1 / sqrt(variance + epsilon).
inline expr::Expr invStdDev(NodeContext &node, expr::Expr variance,
                            float epsilon) {
  using namespace expr;
  return unary<mlir::mllm::RsqrtOp>(
      node, binary<mlir::mllm::AddOp>(node, variance,
                                      scalar(node, variance, epsilon)));
}

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_NORMUTILS_H
