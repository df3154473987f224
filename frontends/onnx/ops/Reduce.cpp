//===- Reduce.cpp - Reduce* ONNX ops, ArgMax, ArgMin ----------------------===//
//
// ReduceMean, ReduceSum, ReduceMax, ReduceMin and ReduceProd are dialect
// ops; ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum and ReduceLogSumExp
// are composed of a reduce_sum and elementwise ops (LogSumExp subtracts the
// maximum first, so that exp does not overflow).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The reduced axes of a Reduce* node, normalized to [0, rank), sorted and
/// unique. They come from the `axes` input (ReduceSum since opset 13, the
/// others since 18), which must be a constant, or from the `axes` attribute
/// (earlier opsets). No axes means every axis, or none when
/// `noop_with_empty_axes` is set.
FailureOr<SmallVector<int64_t>> getReduceAxes(NodeContext &node, int64_t rank) {
  std::optional<SmallVector<int64_t>> axes;
  if (node.getInput(1)) {
    FailureOr<SmallVector<int64_t>> input =
        node.getRequiredConstantInts(1, "axes");
    if (failed(input))
      return failure();
    axes = std::move(*input);
  } else {
    axes = node.getIntsAttr("axes");
  }
  SmallVector<int64_t> normalized;
  if (!axes || axes->empty()) {
    if (!node.getIntAttr("noop_with_empty_axes", 0))
      normalized = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    return normalized;
  }
  for (int64_t axis : *axes) {
    FailureOr<int64_t> dim = node.normalizeAxis(axis, rank);
    if (failed(dim))
      return failure();
    normalized.push_back(*dim);
  }
  llvm::sort(normalized);
  if (std::adjacent_find(normalized.begin(), normalized.end()) !=
      normalized.end()) {
    node.emitError() << "axes name a dimension twice";
    return failure();
  }
  return normalized;
}

/// What every Reduce* node reads: the data, the reduced axes and keepdims.
struct ReduceOperands {
  Value input;
  SmallVector<int64_t> axes;
  bool keepdims;
};

FailureOr<ReduceOperands> getReduceOperands(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> axes =
      getReduceAxes(node, NodeContext::getType(*input).getRank());
  if (failed(axes))
    return failure();
  return ReduceOperands{*input, std::move(*axes),
                        node.getIntAttr("keepdims", 1) != 0};
}

template <typename OpTy> LogicalResult convertReduce(NodeContext &node) {
  FailureOr<ReduceOperands> operands = getReduceOperands(node);
  if (failed(operands))
    return failure();
  return node.setResult(
      node.create<OpTy>(operands->input, operands->axes, operands->keepdims));
}

/// The reductions composed of a reduce_sum and elementwise ops.
enum class SumReduction { SumSquare, L1, L2, LogSum, LogSumExp };

template <SumReduction kind>
LogicalResult convertSumReduction(NodeContext &node) {
  FailureOr<ReduceOperands> operands = getReduceOperands(node);
  if (failed(operands))
    return failure();
  expr::Expr input = operands->input;
  ArrayRef<int64_t> axes = operands->axes;
  bool keepdims = operands->keepdims;
  auto sum = [&](expr::Expr x, bool keep) -> expr::Expr {
    if (failed(x))
      return failure();
    return node.create<mllm::ReduceSumOp>(*x, axes, keep);
  };
  auto max = [&](bool keep) -> expr::Expr {
    return node.create<mllm::ReduceMaxOp>(*input, axes, keep);
  };
  expr::Expr result;
  switch (kind) {
  case SumReduction::SumSquare:
    result = sum(expr::binary<mllm::MulOp>(node, input, input), keepdims);
    break;
  case SumReduction::L1:
    result = sum(expr::unary<mllm::AbsOp>(node, input), keepdims);
    break;
  case SumReduction::L2:
    result = expr::unary<mllm::SqrtOp>(
        node, sum(expr::binary<mllm::MulOp>(node, input, input), keepdims));
    break;
  case SumReduction::LogSum:
    result = expr::unary<mllm::LogOp>(node, sum(input, keepdims));
    break;
  case SumReduction::LogSumExp: {
    expr::Expr shifted = expr::unary<mllm::ExpOp>(
        node, expr::binary<mllm::SubOp>(node, input, max(true)));
    result = expr::binary<mllm::AddOp>(
        node, expr::unary<mllm::LogOp>(node, sum(shifted, keepdims)),
        max(keepdims));
    break;
  }
  }
  return node.setResult(result);
}

/// ArgMax/ArgMin: one axis (negative counts from the end), keepdims and
/// select_last_index (opset 12).
template <typename OpTy> LogicalResult convertArgReduce(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", 0), NodeContext::getType(*input).getRank());
  if (failed(axis))
    return failure();
  bool keepdims = node.getIntAttr("keepdims", 1) != 0;
  bool selectLast = node.getIntAttr("select_last_index", 0) != 0;
  return node.setResult(node.create<OpTy>(*input, *axis, keepdims, selectLast));
}

} // namespace

void mllmc::onnx_frontend::registerReduceOps(OpRegistry &registry) {
  registry.add("ArgMax", 11, convertArgReduce<mllm::ArgMaxOp>,
               "axis (negative too), keepdims, select_last_index; i64 result");
  registry.add("ArgMin", 11, convertArgReduce<mllm::ArgMinOp>,
               "axis (negative too), keepdims, select_last_index; i64 result");
  registry.add("ReduceMax", 13, convertReduce<mllm::ReduceMaxOp>,
               "axes as attribute (opset 13) or constant input (18); "
               "keepdims, noop_with_empty_axes");
  registry.add("ReduceMin", 13, convertReduce<mllm::ReduceMinOp>,
               "axes as attribute (opset 13) or constant input (18); "
               "keepdims, noop_with_empty_axes; bool (20)");
  registry.add("ReduceProd", 13, convertReduce<mllm::ReduceProdOp>,
               "axes as attribute (opset 13) or constant input (18); "
               "keepdims, noop_with_empty_axes");
  registry.add("ReduceMean", 13, convertReduce<mllm::ReduceMeanOp>,
               "axes as attribute (opset 13) or constant input (18); "
               "keepdims, noop_with_empty_axes");
  registry.add("ReduceSum", 13, convertReduce<mllm::ReduceSumOp>,
               "axes as constant input (opset 13) or attribute (earlier); "
               "keepdims, noop_with_empty_axes");
  const char *composed = "composed of reduce_sum; axes as attribute (opset "
                         "13) or constant input (18); keepdims";
  registry.add("ReduceSumSquare", 13,
               convertSumReduction<SumReduction::SumSquare>, composed);
  registry.add("ReduceL1", 13, convertSumReduction<SumReduction::L1>, composed);
  registry.add("ReduceL2", 13, convertSumReduction<SumReduction::L2>, composed);
  registry.add("ReduceLogSum", 13, convertSumReduction<SumReduction::LogSum>,
               composed);
  registry.add("ReduceLogSumExp", 13,
               convertSumReduction<SumReduction::LogSumExp>,
               "composed of reduce_max and reduce_sum (max subtracted "
               "first); axes as attribute (opset 13) or constant input (18); "
               "keepdims");
}
