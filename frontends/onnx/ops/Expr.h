//===- Expr.h - Small mllm expressions for decomposed ONNX ops --*- C++ -*-===//
//
// ONNX ops without an mllm op of their own (LeakyRelu, HardSigmoid, Clip,
// Sign, ...) are built from a few elementwise mllm ops. These helpers chain
// `FailureOr<Value>`s: once a step fails (its error is already reported at
// the node) every later step fails too, so a conversion reads like the
// formula and checks once at the end.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_EXPR_H
#define MLLMC_FRONTENDS_ONNX_OPS_EXPR_H

#include "frontends/onnx/NodeContext.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

#include <limits>

namespace mllmc::onnx_frontend::expr {

using Expr = mlir::FailureOr<mlir::Value>;

/// A rank-0 constant with the element type of `like`.
inline Expr scalar(NodeContext &node, Expr like, double value) {
  if (mlir::failed(like))
    return mlir::failure();
  return node.createScalar(NodeContext::getType(*like).getElementType(), value);
}

template <typename OpTy> Expr unary(NodeContext &node, Expr input) {
  if (mlir::failed(input))
    return mlir::failure();
  return node.create<OpTy>(*input);
}

template <typename OpTy> Expr binary(NodeContext &node, Expr lhs, Expr rhs) {
  if (mlir::failed(lhs) || mlir::failed(rhs))
    return mlir::failure();
  return node.create<OpTy>(*lhs, *rhs);
}

inline Expr cmp(NodeContext &node, mlir::mllm::CmpPredicate predicate, Expr lhs,
                Expr rhs) {
  if (mlir::failed(lhs) || mlir::failed(rhs))
    return mlir::failure();
  return node.create<mlir::mllm::CmpOp>(predicate, *lhs, *rhs);
}

inline Expr select(NodeContext &node, Expr condition, Expr trueValue,
                   Expr falseValue) {
  if (mlir::failed(condition) || mlir::failed(trueValue) ||
      mlir::failed(falseValue))
    return mlir::failure();
  return node.create<mlir::mllm::SelectOp>(*condition, *trueValue, *falseValue);
}

/// LogSoftmax along `axis`: with m = max(x) along the axis,
/// (x - m) - log(sum(exp(x - m))), which stays finite where
/// log(softmax(x)) would underflow.
inline Expr logSoftmax(NodeContext &node, Expr input, int64_t axis) {
  if (mlir::failed(input))
    return mlir::failure();
  llvm::SmallVector<int64_t> axes{axis};
  Expr max = node.create<mlir::mllm::ReduceMaxOp>(*input, axes,
                                                  /*keepdims=*/true);
  Expr shifted = binary<mlir::mllm::SubOp>(node, input, max);
  Expr exp = unary<mlir::mllm::ExpOp>(node, shifted);
  if (mlir::failed(exp))
    return mlir::failure();
  Expr sum = node.create<mlir::mllm::ReduceSumOp>(*exp, axes,
                                                  /*keepdims=*/true);
  return binary<mlir::mllm::SubOp>(node, shifted,
                                   unary<mlir::mllm::LogOp>(node, sum));
}

/// `input` sliced along `axis` to [start, end), every other dimension whole.
inline Expr sliceAxis(NodeContext &node, Expr input, int64_t axis,
                      int64_t start, int64_t end) {
  if (mlir::failed(input))
    return mlir::failure();
  mlir::RankedTensorType type = NodeContext::getType(*input);
  llvm::SmallVector<int64_t> starts(type.getRank(), 0),
      steps(type.getRank(), 1), ends;
  for (int64_t d = 0; d < type.getRank(); ++d)
    ends.push_back(type.isDynamicDim(d) ? std::numeric_limits<int64_t>::max()
                                        : type.getDimSize(d));
  starts[axis] = start;
  ends[axis] = end;
  return node.create<mlir::mllm::SliceOp>(*input, starts, ends, steps);
}

/// A constant i1 tensor of `shape` holding `bits`. It is built as an i8
/// constant and a cast: the artifact stores weights as whole bytes, and a
/// non-splat i1 constant would become a bit-packed weight.
inline Expr boolConstant(NodeContext &node, llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<bool> bits) {
  mlir::MLIRContext *context = node.getContext();
  auto boolType =
      mlir::RankedTensorType::get(shape, mlir::IntegerType::get(context, 1));
  bool splat = llvm::all_equal(bits);
  if (splat && !bits.empty())
    return node.createConstant(
        mlir::DenseElementsAttr::get(boolType, bits.front()));
  llvm::SmallVector<int8_t> bytes(bits.begin(), bits.end());
  mlir::Value constant = node.createConstant(mlir::DenseElementsAttr::get(
      boolType.clone(mlir::IntegerType::get(context, 8)),
      llvm::ArrayRef(bytes)));
  return node.createWithType<mlir::mllm::CastOp>(boolType, constant);
}

} // namespace mllmc::onnx_frontend::expr

#endif // MLLMC_FRONTENDS_ONNX_OPS_EXPR_H
