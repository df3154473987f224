//===- OneHot.cpp - OneHot and Hardmax ------------------------------------===//
//
// Both ops write one-hot vectors along an axis: a class index per position,
// compared with the positions 0..n-1 of the axis (an i64 constant that
// broadcasts along every other dimension), selects the "on" value where they
// match and the "off" value elsewhere. OneHot takes the indices from its
// input (negative ones count from the end of the depth); Hardmax from
// mllm.arg_max, which picks the first maximum.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/APFloat.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// `select(index == [0, 1, ..., size - 1] along axis, on, off)`, where
/// `index` (i64) has size 1 along `axis` of a result of rank `rank`.
Expr oneHot(NodeContext &node, Expr index, int64_t rank, int64_t axis,
            int64_t size, Expr on, Expr off) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  auto type = RankedTensorType::get(shape, node.getBuilder().getI64Type());
  SmallVector<int64_t> positions = llvm::to_vector(llvm::seq<int64_t>(0, size));
  Value classes = node.createConstant(
      DenseElementsAttr::get(type, ArrayRef<int64_t>(positions)));
  return select(node, cmp(node, mllm::CmpPredicate::eq, index, classes), on,
                off);
}

/// The single value of constant input `i` (an integer or float scalar or
/// one-element tensor), rounded toward zero.
FailureOr<int64_t> getConstantDepth(NodeContext &node, unsigned i) {
  ElementsAttr attr = node.getConstantInput(i);
  if (auto floats = dyn_cast_or_null<DenseFPElementsAttr>(attr)) {
    if (floats.getNumElements() == 1) {
      APFloat value = *floats.value_begin<APFloat>();
      bool lost;
      value.convert(APFloat::IEEEdouble(), APFloat::rmTowardZero, &lost);
      return static_cast<int64_t>(value.convertToDouble());
    }
  }
  FailureOr<SmallVector<int64_t>> ints =
      node.getRequiredConstantInts(i, "depth");
  if (failed(ints))
    return failure();
  if (ints->size() != 1) {
    node.emitError() << "depth must hold one value, got " << ints->size();
    return failure();
  }
  return ints->front();
}

/// OneHot (opset 9; negative indices since 11). The depth must be known at
/// compile time: a constant, or a graph input bound with --bind-input.
LogicalResult convertOneHot(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 3)))
    return failure();
  FailureOr<Value> indices = node.getRequiredInput(0);
  FailureOr<Value> values = node.getRequiredInput(2);
  if (failed(indices) || failed(values))
    return failure();
  FailureOr<int64_t> depth = getConstantDepth(node, 1);
  if (failed(depth))
    return failure();
  if (*depth < 1) {
    node.emitError() << "depth must be positive, got " << *depth;
    return failure();
  }
  RankedTensorType valuesType = NodeContext::getType(*values);
  if (valuesType.getRank() != 1 || valuesType.getDimSize(0) != 2) {
    node.emitError() << "values must be [off_value, on_value] (2 elements), "
                        "got "
                     << valuesType;
    return failure();
  }
  RankedTensorType indicesType = NodeContext::getType(*indices);
  int64_t rank = indicesType.getRank() + 1;
  FailureOr<int64_t> axis =
      node.normalizeAxis(node.getIntAttr("axis", -1), rank);
  if (failed(axis))
    return failure();

  // Indices of any numeric type; floats are truncated as ONNX Runtime does.
  Type i64 = node.getBuilder().getI64Type();
  Expr index = *indices;
  if (indicesType.getElementType() != i64)
    index = node.createWithType<mllm::CastOp>(indicesType.clone(i64), *indices);
  Expr depthValue = scalar(node, index, *depth);
  index = select(
      node, cmp(node, mllm::CmpPredicate::lt, index, scalar(node, index, 0)),
      binary<mllm::AddOp>(node, index, depthValue), index);
  if (failed(index))
    return failure();
  SmallVector<int64_t> columnShape(indicesType.getShape());
  columnShape.insert(columnShape.begin() + *axis, 1);
  Expr column = node.createWithType<mllm::ReshapeOp>(
      indicesType.clone(columnShape, i64), *index);

  auto valueScalar = [&](int64_t position) -> Expr {
    Expr element = sliceAxis(node, *values, 0, position, position + 1);
    if (failed(element))
      return failure();
    return node.createWithType<mllm::ReshapeOp>(
        RankedTensorType::get({}, valuesType.getElementType()), *element);
  };
  return node.setResult(oneHot(node, column, rank, *axis, *depth,
                               valueScalar(1), valueScalar(0)));
}

/// Hardmax (opset 13 semantics: one axis, default -1): 1 at the first
/// maximum along the axis, 0 elsewhere.
LogicalResult convertHardmax(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  FailureOr<int64_t> axis =
      node.normalizeAxis(node.getIntAttr("axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  if (type.isDynamicDim(*axis)) {
    node.emitError() << "the size of axis " << *axis << " must be static, got "
                     << type;
    return failure();
  }
  Expr index = node.create<mllm::ArgMaxOp>(*input, *axis, /*keepdims=*/true,
                                           /*select_last_index=*/false);
  return node.setResult(oneHot(node, index, type.getRank(), *axis,
                               type.getDimSize(*axis), scalar(node, *input, 1),
                               scalar(node, *input, 0)));
}

} // namespace

void mllmc::onnx_frontend::registerOneHotOps(OpRegistry &registry) {
  registry.add("Hardmax", 13, convertHardmax,
               "the first maximum along the axis; composed of arg_max");
  registry.add("OneHot", 9, convertOneHot,
               "depth a constant input (or --bind-input); negative and "
               "out-of-range indices as ONNX says");
}
