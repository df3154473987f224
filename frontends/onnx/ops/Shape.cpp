//===- Shape.cpp - Shape and data-movement ONNX ops -----------------------===//
//
// Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Slice, Gather and
// the shape computations Shape, Size, ConstantOfShape and Range. On static
// dims they fold to constants; on symbolic dims Shape and Size give shape
// values (ShapeValues.h) and Reshape, ConstantOfShape and Range take their
// run-time sizes from them.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ShapeValues.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/SliceAtRunTime.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

constexpr int64_t kDynamic = ShapedType::kDynamic;
/// The largest Range folded into a constant at import.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 20;

/// Reshapes `value` to `shape`. Inline constants (shape computations) are
/// reshaped at import time.
FailureOr<Value> reshapeTo(NodeContext &node, Value value,
                           ArrayRef<int64_t> shape) {
  RankedTensorType type = NodeContext::getType(value).clone(shape);
  auto dense = dyn_cast_or_null<DenseElementsAttr>(
      value.getDefiningOp<mllm::ConstantOp>()
          ? value.getDefiningOp<mllm::ConstantOp>().getValue()
          : nullptr);
  if (dense && type.hasStaticShape() &&
      type.getNumElements() == dense.getNumElements())
    return node.createConstant(dense.reshape(type));
  return node.createWithType<mllm::ReshapeOp>(type, value);
}

/// Reshape to a shape value: entries known at compile time keep ONNX's
/// meaning (0 copies the input dimension unless `allowzero`, -1 is
/// inferred); entries known only at run time are sizes (they are computed
/// from dims, hence non-negative).
LogicalResult reshapeAtRunTime(NodeContext &node, Value data,
                               ArrayRef<OpFoldResult> shape) {
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  bool allowZero = node.getIntAttr("allowzero", 0) != 0;
  SmallVector<OpFoldResult> inputDims = getDimElements(b, loc, data);
  SmallVector<OpFoldResult> sizes;
  int inferredIndex = -1;
  for (auto [i, entry] : llvm::enumerate(shape)) {
    std::optional<int64_t> known = getConstantIntValue(entry);
    if (!known) {
      if (!isNonNegative(entry)) {
        node.emitError() << "shape entry " << i
                         << " is computed at run time and may be negative or "
                            "0, so its meaning (-1 infers the size, 0 copies "
                            "the input dimension) is not known at compile "
                            "time; export with static shapes or give the "
                            "symbolic dimensions sizes with --bind-dim";
        return failure();
      }
      sizes.push_back(entry);
    } else if (*known == 0 && !allowZero) {
      if (i >= inputDims.size()) {
        node.emitError() << "shape entry " << i << " is 0 (copy the input "
                         << "dimension) but the input has rank "
                         << inputDims.size();
        return failure();
      }
      sizes.push_back(inputDims[i]);
    } else if (*known == -1) {
      if (inferredIndex >= 0) {
        node.emitError() << "the shape has more than one -1 entry";
        return failure();
      }
      inferredIndex = i;
      sizes.push_back(b.getIndexAttr(1));
    } else if (*known < 0) {
      node.emitError() << "invalid shape entry " << *known;
      return failure();
    } else {
      sizes.push_back(b.getIndexAttr(*known));
    }
  }
  if (inferredIndex >= 0) {
    SmallVector<OpFoldResult> others(sizes);
    others.erase(others.begin() + inferredIndex);
    sizes[inferredIndex] = divideProducts(b, loc, inputDims, others);
  }
  if (llvm::all_of(sizes, [](OpFoldResult size) {
        return getConstantIntValue(size).has_value();
      })) {
    SmallVector<int64_t> staticShape;
    for (OpFoldResult size : sizes)
      staticShape.push_back(*getConstantIntValue(size));
    return node.setResult(reshapeTo(node, data, staticShape));
  }
  node.setOutput(0, reshapeToSizes(b, loc, data, sizes));
  return success();
}

/// Reshape with a constant shape: 0 copies the input dimension (unless
/// allowzero = 1), -1 is inferred from the element count. A shape value
/// gives run-time sizes; another non-constant shape uses the static output
/// type declared in the model when there is one.
LogicalResult convertReshape(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  if (failed(data))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*data);
  std::optional<SmallVector<int64_t>> shape = node.getConstantInts(1);
  if (!shape && isRuntimeShape(node.getInput(1)))
    return reshapeAtRunTime(node, *data, *getShapeElements(node.getInput(1)));
  if (!shape) {
    // A shape read from tensor data: the declared type tells the sizes only
    // when it is static.
    if (RankedTensorType declared = node.getDeclaredOutputType(0);
        declared && declared.hasStaticShape())
      return node.setResult(reshapeTo(node, *data, declared.getShape()));
    (void)node.getRequiredConstantInts(1, "shape"); // Emits the error.
    return failure();
  }

  bool allowZero = node.getIntAttr("allowzero", 0) != 0;
  int inferredIndex = -1;
  SmallVector<int64_t> result;
  for (auto [i, dim] : llvm::enumerate(*shape)) {
    if (dim == 0 && !allowZero) {
      if (int64_t(i) >= inputType.getRank()) {
        node.emitError() << "shape entry " << i << " is 0 (copy the input "
                         << "dimension) but the input has rank "
                         << inputType.getRank();
        return failure();
      }
      result.push_back(inputType.getDimSize(i));
    } else if (dim == -1) {
      if (inferredIndex >= 0) {
        node.emitError() << "the shape has more than one -1 entry";
        return failure();
      }
      inferredIndex = i;
      result.push_back(kDynamic);
    } else if (dim < 0) {
      node.emitError() << "invalid shape entry " << dim;
      return failure();
    } else {
      result.push_back(dim);
    }
  }
  if (inferredIndex >= 0 && inputType.hasStaticShape()) {
    // A product past int64 cannot divide the element count either.
    int64_t known = 1;
    bool overflow = false;
    for (auto [i, dim] : llvm::enumerate(result))
      if (int64_t(i) != inferredIndex)
        overflow |= llvm::MulOverflow(known, dim, known);
    if (overflow || known == 0 || inputType.getNumElements() % known != 0) {
      node.emitError() << "cannot reshape " << inputType << " to ["
                       << llvm::make_range(shape->begin(), shape->end())
                       << "]: the element count does not divide";
      return failure();
    }
    result[inferredIndex] = inputType.getNumElements() / known;
  }
  return node.setResult(reshapeTo(node, *data, result));
}

/// Flatten: [d0 * ... * d(axis-1), d(axis) * ... * d(rank-1)].
LogicalResult convertFlatten(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();
  int64_t axis = node.getIntAttr("axis", 1);
  if (axis < -rank || axis > rank) {
    node.emitError() << "axis " << axis << " is out of range [" << -rank << ", "
                     << rank << "]";
    return failure();
  }
  if (axis < 0)
    axis += rank;
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t result = 1;
    for (int64_t dim : dims) {
      if (ShapedType::isDynamic(dim))
        return kDynamic;
      result *= dim;
    }
    return result;
  };
  return node.setResult(reshapeTo(node, *input,
                                  {product(type.getShape().take_front(axis)),
                                   product(type.getShape().drop_front(axis))}));
}

LogicalResult convertSqueeze(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();
  SmallVector<bool> squeeze(rank, false);
  if (node.getInput(1)) {
    FailureOr<SmallVector<int64_t>> axes =
        node.getRequiredConstantInts(1, "axes");
    if (failed(axes))
      return failure();
    for (int64_t axis : *axes) {
      FailureOr<int64_t> normalized = node.normalizeAxis(axis, rank);
      if (failed(normalized))
        return failure();
      int64_t dim = type.getDimSize(*normalized);
      if (dim != 1 && !ShapedType::isDynamic(dim)) {
        node.emitError() << "cannot squeeze dimension " << *normalized << " of "
                         << type << ": its size is not 1";
        return failure();
      }
      squeeze[*normalized] = true;
    }
  } else {
    for (int64_t d = 0; d < rank; ++d) {
      if (ShapedType::isDynamic(type.getDimSize(d))) {
        node.emitError() << "Squeeze without axes on " << type
                         << " is ambiguous: dimension " << d
                         << " is dynamic; give the axes explicitly";
        return failure();
      }
      squeeze[d] = type.getDimSize(d) == 1;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!squeeze[d])
      shape.push_back(type.getDimSize(d));
  return node.setResult(reshapeTo(node, *input, shape));
}

/// Normalizes `axes` of a tensor of rank `rank` in place and marks them;
/// emits an error for an axis out of range or repeated.
FailureOr<SmallVector<bool>>
normalizeDistinctAxes(NodeContext &node, MutableArrayRef<int64_t> axes,
                      int64_t rank) {
  SmallVector<bool> marked(rank, false);
  for (int64_t &axis : axes) {
    FailureOr<int64_t> normalized = node.normalizeAxis(axis, rank);
    if (failed(normalized))
      return failure();
    if (marked[*normalized]) {
      node.emitError() << "axis " << axis << " is repeated";
      return failure();
    }
    marked[*normalized] = true;
    axis = *normalized;
  }
  return marked;
}

LogicalResult convertUnsqueeze(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<SmallVector<int64_t>> axes =
      node.getRequiredConstantInts(1, "axes");
  if (failed(input) || failed(axes))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank() + axes->size();
  FailureOr<SmallVector<bool>> inserted =
      normalizeDistinctAxes(node, *axes, rank);
  if (failed(inserted))
    return failure();
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> dims = type.getShape();
  for (int64_t d = 0; d < rank; ++d) {
    if ((*inserted)[d]) {
      shape.push_back(1);
    } else {
      shape.push_back(dims.front());
      dims = dims.drop_front();
    }
  }
  return node.setResult(reshapeTo(node, *input, shape));
}

/// Transpose; the default permutation reverses the dimensions.
LogicalResult convertTranspose(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = NodeContext::getType(*input).getRank();
  SmallVector<int64_t> permutation;
  if (std::optional<SmallVector<int64_t>> perm = node.getIntsAttr("perm"))
    permutation = *perm;
  else
    permutation = llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
  SmallVector<bool> seen(rank, false);
  for (int64_t &p : permutation) {
    if (permutation.size() != size_t(rank) || p < -rank || p >= rank ||
        seen[p < 0 ? p + rank : p]) {
      node.emitError() << "perm ["
                       << llvm::make_range(permutation.begin(),
                                           permutation.end())
                       << "] is not a permutation of the input's " << rank
                       << " dimensions";
      return failure();
    }
    if (p < 0)
      p += rank;
    seen[p] = true;
  }
  return node.setResult(node.create<mllm::TransposeOp>(*input, permutation));
}

LogicalResult convertConcat(NodeContext &node) {
  if (node.getNumInputs() == 0) {
    node.emitError() << "expected at least one input";
    return failure();
  }
  SmallVector<Value> inputs;
  for (unsigned i = 0, e = node.getNumInputs(); i < e; ++i) {
    FailureOr<Value> input = node.getRequiredInput(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  if (!node.getAttr("axis")) {
    node.emitError() << "the required attribute 'axis' is missing";
    return failure();
  }
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", 0), NodeContext::getType(inputs[0]).getRank());
  if (failed(axis))
    return failure();
  // Shape computations: 1-D inline integer constants are joined at import.
  SmallVector<APInt> joined;
  bool allConstant = true;
  for (unsigned i = 0, e = inputs.size(); i < e && allConstant; ++i) {
    auto dense =
        dyn_cast_or_null<DenseIntElementsAttr>(node.getConstantInput(i));
    allConstant = dense && dense.getType().getRank() == 1 &&
                  dense.getElementType() ==
                      NodeContext::getType(inputs[0]).getElementType();
    if (allConstant)
      llvm::append_range(joined, dense.getValues<APInt>());
  }
  if (allConstant) {
    auto type =
        RankedTensorType::get({int64_t(joined.size())},
                              NodeContext::getType(inputs[0]).getElementType());
    node.setOutput(0,
                   node.createConstant(DenseElementsAttr::get(type, joined)));
    return success();
  }
  return node.setResult(node.create<mllm::ConcatOp>(inputs, *axis));
}

/// Slice: constant axes and steps; starts and ends constant, normalized and
/// clamped per dimension as ONNX specifies (on a dynamic dimension,
/// non-negative bounds with a positive step are clamped by the lowering),
/// or clamped at run time (SliceAtRunTime.h): bounds computed from shapes,
/// negative bounds or steps on a dynamic dimension.
LogicalResult convertSlice(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 5)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  bool atRunTime =
      isRuntimeShape(node.getInput(1)) || isRuntimeShape(node.getInput(2));
  FailureOr<SmallVector<int64_t>> starts, ends;
  std::optional<SmallVector<OpFoldResult>> startElements, endElements;
  if (atRunTime) {
    startElements = getShapeElements(node.getInput(1));
    endElements = getShapeElements(node.getInput(2));
    if (!startElements || !endElements) {
      node.emitError() << "the 'starts' and 'ends' inputs must be integer "
                          "constants or computed from shapes";
      return failure();
    }
  } else {
    starts = node.getRequiredConstantInts(1, "starts");
    ends = node.getRequiredConstantInts(2, "ends");
    if (failed(starts) || failed(ends))
      return failure();
  }
  size_t count = atRunTime ? startElements->size() : starts->size();
  size_t endCount = atRunTime ? endElements->size() : ends->size();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, count));
  if (node.getInput(3)) {
    FailureOr<SmallVector<int64_t>> given =
        node.getRequiredConstantInts(3, "axes");
    if (failed(given))
      return failure();
    axes = *given;
  }
  SmallVector<int64_t> steps(count, 1);
  if (node.getInput(4)) {
    FailureOr<SmallVector<int64_t>> given =
        node.getRequiredConstantInts(4, "steps");
    if (failed(given))
      return failure();
    steps = *given;
  }
  if (endCount != count || axes.size() != count || steps.size() != count) {
    node.emitError() << "starts, ends, axes and steps must have the same "
                        "length";
    return failure();
  }
  if (failed(normalizeDistinctAxes(node, axes, rank)))
    return failure();
  if (llvm::is_contained(steps, 0)) {
    node.emitError() << "step 0 on axis "
                     << axes[llvm::find(steps, 0) - steps.begin()];
    return failure();
  }
  if (atRunTime)
    return sliceAtRunTime(node, *input, axes, *startElements, *endElements,
                          steps);

  // Negative bounds or steps on a dynamic dim clamp at run time.
  bool clampAtRunTime = llvm::any_of(llvm::seq(axes.size()), [&](size_t i) {
    return type.isDynamicDim(axes[i]) &&
           ((*starts)[i] < 0 || (*ends)[i] < 0 || steps[i] < 0);
  });
  if (clampAtRunTime) {
    MLIRContext *context = node.getBuilder().getContext();
    return sliceAtRunTime(node, *input, axes,
                          getAsIndexOpFoldResult(context, *starts),
                          getAsIndexOpFoldResult(context, *ends), steps);
  }

  constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
  SmallVector<int64_t> allStarts(rank, 0), allEnds, allSteps(rank, 1);
  for (int64_t d = 0; d < rank; ++d)
    allEnds.push_back(type.isDynamicDim(d) ? kEnd : type.getDimSize(d));
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    int64_t start = (*starts)[i], end = (*ends)[i], step = steps[i];
    int64_t dim = type.getDimSize(axis);
    if (ShapedType::isDynamic(dim)) {
      // Non-negative bounds and a positive step: the lowering clamps them.
    } else if (dim == 0) {
      start = end = 0;
      step = 1;
    } else {
      if (start < 0)
        start += dim;
      if (end < 0)
        end += dim;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
      }
    }
    allStarts[axis] = start;
    allEnds[axis] = end;
    allSteps[axis] = step;
  }
  return node.setResult(
      node.create<mllm::SliceOp>(*input, allStarts, allEnds, allSteps));
}

/// Gather; folded when data and indices are inline integer constants (shape
/// computations such as Shape -> Gather).
LogicalResult convertGather(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  if (failed(data) || failed(indices))
    return failure();
  RankedTensorType dataType = NodeContext::getType(*data);
  FailureOr<int64_t> axis =
      node.normalizeAxis(node.getIntAttr("axis", 0), dataType.getRank());
  if (failed(axis))
    return failure();

  auto denseData =
      dyn_cast_or_null<DenseIntElementsAttr>(node.getConstantInput(0));
  std::optional<SmallVector<int64_t>> indexValues = node.getConstantInts(1);
  if (denseData && indexValues && dataType.getRank() == 1) {
    SmallVector<APInt> values(denseData.getValues<APInt>());
    SmallVector<APInt> gathered;
    for (int64_t index : *indexValues) {
      int64_t size = values.size();
      if (index < -size || index >= size) {
        node.emitError() << "index " << index << " is out of range for "
                         << dataType;
        return failure();
      }
      gathered.push_back(values[index < 0 ? index + size : index]);
    }
    auto type = RankedTensorType::get(NodeContext::getType(*indices).getShape(),
                                      dataType.getElementType());
    node.setOutput(0,
                   node.createConstant(DenseElementsAttr::get(type, gathered)));
    return success();
  }
  return node.setResult(node.create<mllm::GatherOp>(*data, *indices, *axis));
}

/// Shape (start/end since opset 15): a constant for static dims, else a
/// shape value of the dims.
LogicalResult convertShape(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();
  int64_t start = node.getIntAttr("start", 0);
  int64_t end = node.getIntAttr("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<OpFoldResult> dims =
      getDimElements(node.getBuilder(), node.getLoc(), *input);
  auto resultType = RankedTensorType::get(
      {end > start ? end - start : 0}, IntegerType::get(node.getContext(), 64));
  node.setOutput(
      0, createShapeTensor(
             node.getBuilder(), node.getLoc(), resultType,
             ArrayRef(dims).slice(start, std::max(start, end) - start)));
  return success();
}

/// Size: the element count as an int64 scalar, a shape value for symbolic
/// dims.
LogicalResult convertSize(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  OpBuilder &b = node.getBuilder();
  OpFoldResult count = b.getIndexAttr(1);
  for (OpFoldResult dim : getDimElements(b, node.getLoc(), *input))
    count = mulIndex(b, node.getLoc(), count, dim);
  auto resultType =
      RankedTensorType::get({}, IntegerType::get(node.getContext(), 64));
  node.setOutput(0, createShapeTensor(b, node.getLoc(), resultType, {count}));
  return success();
}

/// ConstantOfShape: a splat of `value` (default float 0); a constant for a
/// constant shape, else filled at the shape value's run-time sizes.
LogicalResult convertConstantOfShape(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  Attribute element = FloatAttr::get(Float32Type::get(node.getContext()), 0.0);
  if (const onnx::AttributeProto *value = node.getAttr("value")) {
    FailureOr<ElementsAttr> tensor = convertTensor(
        node.getContext(), value->t(), "value", node.getStorage(),
        [&] { return node.emitError() << "attribute 'value': "; });
    if (failed(tensor))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*tensor);
    if (!dense || dense.getNumElements() != 1) {
      node.emitError() << "attribute 'value' must hold one element";
      return failure();
    }
    element = dense.getValues<Attribute>()[0];
  }
  if (node.getInput(0) && !node.getConstantInts(0) &&
      isRuntimeShape(node.getInput(0))) {
    SmallVector<OpFoldResult> sizes = *getShapeElements(node.getInput(0));
    for (auto [i, size] : llvm::enumerate(sizes)) {
      if (!isNonNegative(size)) {
        node.emitError() << "shape entry " << i
                         << " is computed at run time and may be negative";
        return failure();
      }
    }
    Type elementType = cast<TypedAttr>(element).getType();
    if (!isa<FloatType>(elementType) && !elementType.isSignlessInteger()) {
      node.emitError() << "a run-time shape of " << elementType
                       << " elements is not supported";
      return failure();
    }
    node.setOutput(0, createFilled(node.getBuilder(), node.getLoc(),
                                   cast<TypedAttr>(element), sizes));
    return success();
  }
  FailureOr<SmallVector<int64_t>> shape =
      node.getRequiredConstantInts(0, "input");
  if (failed(shape))
    return failure();
  for (int64_t dim : *shape) {
    if (dim < 0) {
      node.emitError() << "negative dimension " << dim << " in the shape";
      return failure();
    }
  }
  auto type = RankedTensorType::get(*shape, cast<TypedAttr>(element).getType());
  node.setOutput(0, node.createConstant(DenseElementsAttr::get(type, element)));
  return success();
}

/// Range with a bound known only at run time: `start + i * delta` for i in
/// [0, max(0, ceil((limit - start) / delta))), written by a linalg.generic
/// into a tensor of the run-time length. Integer ranges; a start or delta
/// computed at run time may have either sign.
LogicalResult rangeAtRunTime(NodeContext &node) {
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  Type elementType = NodeContext::getType(node.getInput(0)).getElementType();
  SmallVector<OpFoldResult> bounds;
  for (unsigned i = 0; i < 3; ++i) {
    std::optional<SmallVector<OpFoldResult>> elements =
        getShapeElements(node.getInput(i));
    if (!elements || elements->size() != 1 ||
        !NodeContext::getType(node.getInput(i))
             .getElementType()
             .isInteger(elementType.getIntOrFloatBitWidth())) {
      node.emitError() << "input #" << i
                       << " must be an integer scalar computed from shapes "
                          "(a bound is computed at run time)";
      return failure();
    }
    bounds.push_back(elements->front());
  }
  std::optional<int64_t> delta = getConstantIntValue(bounds[2]);
  if (delta && *delta == 0) {
    node.emitError() << "delta must not be 0";
    return failure();
  }
  // The length max(0, ceil((limit - start) / delta)), divided by a positive
  // value as the size programs do: a delta of unknown sign is |delta|, and
  // the span is multiplied by its sign 1 - 2 * [delta < 0]. A run-time delta
  // of 0 fails in the size program.
  OpFoldResult span = subIndex(b, loc, bounds[1], bounds[0]);
  OpFoldResult magnitude = bounds[2];
  if (delta) {
    if (*delta < 0)
      span = subIndex(b, loc, bounds[0], bounds[1]);
    magnitude = b.getIndexAttr(std::abs(*delta));
  } else if (!isNonNegative(bounds[2])) {
    OpFoldResult sign = subIndex(b, loc, b.getIndexAttr(1),
                                 mulIndex(b, loc, b.getIndexAttr(2),
                                          isNegativeIndex(b, loc, bounds[2])));
    span = mulIndex(b, loc, span, sign);
    magnitude = maxIndex(b, loc, bounds[2],
                         subIndex(b, loc, b.getIndexAttr(0), bounds[2]));
  }
  OpFoldResult count = maxIndex(b, loc, ceilDivIndex(b, loc, span, magnitude),
                                b.getIndexAttr(0));
  Value empty = tensor::EmptyOp::create(b, loc, {count}, elementType);
  // A run-time start that may be negative enters the kernel as max(start, 0)
  // and max(-start, 0) (the host passes non-negative sizes only).
  Value start = getIndexValue(b, loc, bounds[0]), startBelowZero;
  if (!getConstantIntValue(bounds[0]) && !isNonNegative(bounds[0])) {
    OpFoldResult zero = b.getIndexAttr(0);
    startBelowZero = getIndexValue(
        b, loc, maxIndex(b, loc, subIndex(b, loc, zero, bounds[0]), zero));
    start = getIndexValue(b, loc, maxIndex(b, loc, bounds[0], zero));
  }
  // A run-time delta of unknown sign enters the kernel as |delta| and
  // [delta < 0] (the host passes non-negative sizes only).
  Value runTimeStep, runTimeNegative;
  if (!delta) {
    runTimeStep = getIndexValue(b, loc, magnitude);
    if (!isNonNegative(bounds[2]))
      runTimeNegative =
          getIndexValue(b, loc, isNegativeIndex(b, loc, bounds[2]));
  }
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{empty.getType()}, ValueRange{}, ValueRange{empty},
      ArrayRef<AffineMap>{b.getMultiDimIdentityMap(1)},
      ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
      [&](OpBuilder &nested, Location nestedLoc, ValueRange) {
        Value index = linalg::IndexOp::create(nested, nestedLoc, 0);
        Value step =
            runTimeStep
                ? runTimeStep
                : arith::ConstantIndexOp::create(nested, nestedLoc, *delta);
        Value offset =
            nested.createOrFold<arith::MulIOp>(nestedLoc, index, step);
        if (runTimeNegative) {
          // offset - 2 * offset * negative, from the loop index on (the
          // sign alone would move to the host).
          Value flipped = arith::MulIOp::create(
              nested, nestedLoc,
              arith::MulIOp::create(nested, nestedLoc, offset, runTimeNegative),
              arith::ConstantIndexOp::create(nested, nestedLoc, 2));
          offset = arith::SubIOp::create(nested, nestedLoc, offset, flipped);
        }
        Value value =
            nested.createOrFold<arith::AddIOp>(nestedLoc, start, offset);
        if (startBelowZero)
          value =
              arith::SubIOp::create(nested, nestedLoc, value, startBelowZero);
        linalg::YieldOp::create(nested, nestedLoc,
                                ValueRange{arith::IndexCastOp::create(
                                    nested, nestedLoc, elementType, value)});
      });
  node.setOutput(0, generic.getResult(0));
  return success();
}

/// Range: folded when start, limit and delta are constant scalars, else
/// computed at run time from shape values.
LogicalResult convertRange(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 3)))
    return failure();
  if (isRuntimeShape(node.getInput(0)) || isRuntimeShape(node.getInput(1)) ||
      isRuntimeShape(node.getInput(2)))
    return rangeAtRunTime(node);
  SmallVector<double> bounds;
  Type elementType;
  for (unsigned i = 0; i < 3; ++i) {
    auto dense = dyn_cast_or_null<DenseElementsAttr>(node.getConstantInput(i));
    if (!dense || dense.getNumElements() != 1) {
      node.emitError() << "input #" << i
                       << " must be a constant scalar; mllmc folds Range";
      return failure();
    }
    elementType = dense.getElementType();
    if (isa<FloatType>(elementType))
      bounds.push_back(dense.getSplatValue<APFloat>().convertToDouble());
    else
      bounds.push_back(double(dense.getSplatValue<APInt>().getSExtValue()));
  }
  double start = bounds[0], limit = bounds[1], delta = bounds[2];
  if (delta == 0) {
    node.emitError() << "delta must not be 0";
    return failure();
  }
  int64_t count =
      std::max<int64_t>(0, int64_t(std::ceil((limit - start) / delta)));
  if (count > kMaxFoldedElements) {
    node.emitError() << "the range has " << count
                     << " elements; mllmc folds Range to a constant and "
                        "allows at most "
                     << kMaxFoldedElements;
    return failure();
  }
  auto type = RankedTensorType::get({count}, elementType);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i) {
    double v = start + i * delta;
    if (isa<FloatType>(elementType))
      values.push_back(FloatAttr::get(elementType, v));
    else
      values.push_back(IntegerAttr::get(elementType, int64_t(v)));
  }
  node.setOutput(0, node.createConstant(DenseElementsAttr::get(type, values)));
  return success();
}

} // namespace

void mllmc::onnx_frontend::registerShapeOps(OpRegistry &registry) {
  registry.add("Reshape", 5, convertReshape,
               "constant shape (0 and -1, allowzero), else the declared "
               "output type");
  registry.add("Flatten", 11, convertFlatten, "");
  registry.add("Squeeze", 13, convertSqueeze, "constant axes input");
  registry.add("Unsqueeze", 13, convertUnsqueeze, "constant axes input");
  registry.add("Transpose", 1, convertTranspose,
               "default perm reverses the dimensions");
  registry.add("Concat", 11, convertConcat, "");
  registry.add("Slice", 10, convertSlice,
               "constant axes/steps; starts/ends constant or computed from "
               "shapes, clamped at run time on dynamic dims");
  registry.add("Gather", 11, convertGather,
               "folded for constant 1-D integer data");
  registry.add("Shape", 1, convertShape,
               "folded to a constant; symbolic dims give run-time sizes");
  registry.add("ConstantOfShape", 9, convertConstantOfShape,
               "folded to a splat constant; run-time sizes from shapes");
  registry.add("Range", 11, convertRange,
               "folded for constant inputs; integer bounds computed from "
               "shapes at run time");
  registry.add("Size", 1, convertSize,
               "folded to a constant; symbolic dims give a run-time size");
}
