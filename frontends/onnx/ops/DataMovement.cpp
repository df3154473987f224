//===- DataMovement.cpp - Expand, Split, Pad, Tile, Trilu, DepthToSpace ---===//
//
// Ops that rearrange or mask elements, built from the dialect's broadcasting,
// slice, concat, gather and select ops: Expand is a broadcasting add of a
// zero splat, Split a list of slices, Pad slices (negative pads), concats a
// splat (constant mode) or gathers constant indices (edge, reflect, wrap),
// Tile gathers constant indices, Trilu selects with a constant mask, and
// DepthToSpace/SpaceToDepth are a reshape, a transpose and a reshape.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ShapeValues.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// A splat of zero (false for i1) of `type`.
Value createZeros(NodeContext &node, RankedTensorType type) {
  Type elementType = type.getElementType();
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(FloatAttr::get(elementType, 0.0))
                       : Attribute(IntegerAttr::get(elementType, 0));
  return node.createConstant(DenseElementsAttr::get(type, zero));
}

/// `input` gathered along `axis` at the constant `indices`.
FailureOr<Value> gatherAxis(NodeContext &node, Value input, int64_t axis,
                            ArrayRef<int64_t> indices) {
  auto type = RankedTensorType::get({int64_t(indices.size())},
                                    IntegerType::get(node.getContext(), 64));
  Value constant = node.createConstant(DenseElementsAttr::get(type, indices));
  return node.create<mllm::GatherOp>(input, constant, axis);
}

/// Expand to a shape value: the input plus zeros whose dims are the shape's
/// entries, a run-time entry aligned with a static input dim other than 1
/// taken as 1 (ONNX allows only 1 or that dim there, and the result keeps
/// the input's).
LogicalResult expandAtRunTime(NodeContext &node, Value input,
                              ArrayRef<OpFoldResult> shape) {
  RankedTensorType type = NodeContext::getType(input);
  Type elementType = type.getElementType();
  if (!isa<FloatType>(elementType) && !elementType.isSignlessInteger()) {
    node.emitError() << "cannot expand a tensor of " << elementType
                     << " to a run-time shape";
    return failure();
  }
  int64_t offset = int64_t(shape.size()) - type.getRank();
  SmallVector<OpFoldResult> sizes;
  for (auto [i, entry] : llvm::enumerate(shape)) {
    std::optional<int64_t> known = getConstantIntValue(entry);
    if ((known && *known < 0) || (!known && !isNonNegative(entry))) {
      node.emitError() << "shape entry " << i
                       << " may be negative (it is computed at run time)";
      return failure();
    }
    int64_t axis = int64_t(i) - offset;
    int64_t inputDim = axis >= 0 ? type.getDimSize(axis) : 1;
    if (!known && !ShapedType::isDynamic(inputDim) && inputDim != 1)
      sizes.push_back(node.getBuilder().getIndexAttr(1));
    else
      sizes.push_back(entry);
  }
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(FloatAttr::get(elementType, 0.0))
                       : Attribute(IntegerAttr::get(elementType, 0));
  Value zeros = createFilled(node.getBuilder(), node.getLoc(),
                             cast<TypedAttr>(zero), sizes);
  if (elementType.isInteger(1))
    return node.setResult(node.create<mllm::OrOp>(input, zeros));
  return node.setResult(node.create<mllm::AddOp>(input, zeros));
}

/// Expand: numpy broadcasting of the input to a constant shape or a shape
/// value.
LogicalResult convertExpand(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  if (node.getInput(0) && !node.getConstantInts(1) &&
      isRuntimeShape(node.getInput(1)))
    return expandAtRunTime(node, node.getInput(0),
                           *getShapeElements(node.getInput(1)));
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<SmallVector<int64_t>> shape =
      node.getRequiredConstantInts(1, "shape");
  if (failed(input) || failed(shape))
    return failure();
  for (int64_t dim : *shape) {
    if (dim < 0) {
      node.emitError() << "negative dimension " << dim << " in the shape";
      return failure();
    }
  }
  RankedTensorType type = NodeContext::getType(*input);
  // A shape of ones that does not add dimensions changes nothing.
  if (int64_t(shape->size()) <= type.getRank() &&
      llvm::all_of(*shape, [](int64_t dim) { return dim == 1; })) {
    node.setOutput(0, *input);
    return success();
  }
  Value zeros = createZeros(node, type.clone(*shape));
  if (type.getElementType().isInteger(1))
    return node.setResult(node.create<mllm::OrOp>(*input, zeros));
  if (!isa<FloatType, IntegerType>(type.getElementType())) {
    node.emitError() << "cannot expand a tensor of " << type.getElementType();
    return failure();
  }
  return node.setResult(node.create<mllm::AddOp>(*input, zeros));
}

/// Split into slices along `axis`: sizes from the `split` input (opset 13) or
/// attribute, else `num_outputs` (opset 18) or the number of outputs, equal
/// parts with a smaller last one.
LogicalResult convertSplit(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  FailureOr<int64_t> axis =
      node.normalizeAxis(node.getIntAttr("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  int64_t numOutputs = node.getNumOutputs();

  SmallVector<int64_t> sizes;
  if (node.getInput(1)) {
    FailureOr<SmallVector<int64_t>> split =
        node.getRequiredConstantInts(1, "split");
    if (failed(split))
      return failure();
    sizes = *split;
  } else if (std::optional<SmallVector<int64_t>> split =
                 node.getIntsAttr("split")) {
    sizes = *split;
  } else {
    if (ShapedType::isDynamic(dim)) {
      node.emitError() << "cannot split dynamic dimension " << *axis << " of "
                       << type << " into equal parts; give 'split' sizes";
      return failure();
    }
    int64_t parts = node.getIntAttr("num_outputs", numOutputs);
    if (parts <= 0 || parts != numOutputs) {
      node.emitError() << "num_outputs is " << parts << " but the node has "
                       << numOutputs << " outputs";
      return failure();
    }
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t start = 0, i = 0; i < parts; ++i, start += chunk)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - start)));
  }
  if (int64_t(sizes.size()) != numOutputs) {
    node.emitError() << "'split' has " << sizes.size() << " sizes but the "
                     << "node has " << numOutputs << " outputs";
    return failure();
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0) {
      node.emitError() << "negative split size " << size;
      return failure();
    }
    total += size;
  }
  if (!ShapedType::isDynamic(dim) && total != dim) {
    node.emitError() << "the split sizes add up to " << total
                     << " but dimension " << *axis << " of " << type
                     << " has size " << dim;
    return failure();
  }
  int64_t start = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    FailureOr<Value> part =
        expr::sliceAxis(node, *input, *axis, start, start + size);
    if (failed(part))
      return failure();
    node.setOutput(i, *part);
    start += size;
  }
  return success();
}

/// The source index of padded position `i` (in [-before, size + after)) for
/// the edge, reflect and wrap modes.
int64_t padSourceIndex(StringRef mode, int64_t i, int64_t size) {
  if (mode == "edge")
    return std::clamp<int64_t>(i, 0, size - 1);
  if (mode == "wrap")
    return ((i % size) + size) % size;
  // reflect: mirror without repeating the edge.
  if (size == 1)
    return 0;
  int64_t period = 2 * (size - 1);
  int64_t j = ((i % period) + period) % period;
  return j < size ? j : period - j;
}

/// Pad (opset 13+: pads, constant_value and axes inputs; opset 18 axes).
LogicalResult convertPad(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 4)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<SmallVector<int64_t>> pads =
      node.getRequiredConstantInts(1, "pads");
  if (failed(input) || failed(pads))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();
  std::string mode = node.getStringAttr("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap") {
    node.emitError() << "unknown mode '" << mode
                     << "'; expected constant, reflect, edge or wrap";
    return failure();
  }

  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (node.getInput(3)) {
    FailureOr<SmallVector<int64_t>> given =
        node.getRequiredConstantInts(3, "axes");
    if (failed(given))
      return failure();
    axes.clear();
    for (int64_t axis : *given) {
      FailureOr<int64_t> normalized = node.normalizeAxis(axis, rank);
      if (failed(normalized))
        return failure();
      axes.push_back(*normalized);
    }
  }
  if (pads->size() != 2 * axes.size()) {
    node.emitError() << "'pads' has " << pads->size() << " values; expected "
                     << 2 * axes.size() << " (begin and end per axis)";
    return failure();
  }

  Value padValue;
  if (mode == "constant") {
    if (Value given = node.getInput(2)) {
      RankedTensorType valueType = NodeContext::getType(given);
      if (valueType.getNumElements() != 1 ||
          valueType.getElementType() != type.getElementType()) {
        node.emitError() << "constant_value must be one element of the "
                            "input's type, got "
                         << valueType;
        return failure();
      }
      FailureOr<Value> scalar = node.createWithType<mllm::ReshapeOp>(
          RankedTensorType::get({}, type.getElementType()), given);
      if (failed(scalar))
        return failure();
      padValue = *scalar;
    } else {
      padValue =
          createZeros(node, RankedTensorType::get({}, type.getElementType()));
    }
  }

  Value result = *input;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t before = (*pads)[i], after = (*pads)[i + axes.size()];
    if (before == 0 && after == 0)
      continue;
    RankedTensorType current = NodeContext::getType(result);
    int64_t size = current.getDimSize(axis);
    if (ShapedType::isDynamic(size)) {
      node.emitError() << "cannot pad dynamic dimension " << axis << " of "
                       << current << "; export with a static size";
      return failure();
    }
    // Negative pads remove elements.
    if (before < 0 || after < 0) {
      int64_t start = std::max<int64_t>(0, -before);
      int64_t end = size - std::max<int64_t>(0, -after);
      if (end < start) {
        node.emitError() << "the pads remove more than the " << size
                         << " elements of dimension " << axis;
        return failure();
      }
      FailureOr<Value> sliced = expr::sliceAxis(node, result, axis, start, end);
      if (failed(sliced))
        return failure();
      result = *sliced;
      size = end - start;
      before = std::max<int64_t>(0, before);
      after = std::max<int64_t>(0, after);
      if (before == 0 && after == 0)
        continue;
    }
    if (mode != "constant") {
      if (size == 0) {
        node.emitError() << "cannot pad an empty dimension in " << mode
                         << " mode";
        return failure();
      }
      SmallVector<int64_t> indices;
      for (int64_t j = -before; j < size + after; ++j)
        indices.push_back(padSourceIndex(mode, j, size));
      FailureOr<Value> gathered = gatherAxis(node, result, axis, indices);
      if (failed(gathered))
        return failure();
      result = *gathered;
      continue;
    }
    if (!current.hasStaticShape()) {
      node.emitError() << "constant padding of " << current
                       << " needs static sizes; export with static shapes";
      return failure();
    }
    SmallVector<Value> parts;
    for (int64_t count : {before, int64_t(-1), after}) {
      if (count == 0)
        continue;
      if (count < 0) {
        parts.push_back(result);
        continue;
      }
      SmallVector<int64_t> shape(current.getShape());
      shape[axis] = count;
      Value zeros = createZeros(node, current.clone(shape));
      FailureOr<Value> block =
          current.getElementType().isInteger(1)
              ? node.create<mllm::SelectOp>(zeros, zeros, padValue)
              : node.create<mllm::AddOp>(zeros, padValue);
      if (failed(block))
        return failure();
      parts.push_back(*block);
    }
    FailureOr<Value> joined = node.create<mllm::ConcatOp>(parts, axis);
    if (failed(joined))
      return failure();
    result = *joined;
  }
  node.setOutput(0, result);
  return success();
}

/// Tile: gathers every axis with repeats > 1 at `i mod size`.
LogicalResult convertTile(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<SmallVector<int64_t>> repeats =
      node.getRequiredConstantInts(1, "repeats");
  if (failed(input) || failed(repeats))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  if (int64_t(repeats->size()) != type.getRank()) {
    node.emitError() << "'repeats' has " << repeats->size()
                     << " values for an input of rank " << type.getRank();
    return failure();
  }
  Value result = *input;
  for (auto [axis, repeat] : llvm::enumerate(*repeats)) {
    if (repeat < 0) {
      node.emitError() << "negative repeat " << repeat;
      return failure();
    }
    if (repeat == 1)
      continue;
    int64_t size = type.getDimSize(axis);
    if (ShapedType::isDynamic(size)) {
      node.emitError() << "cannot tile dynamic dimension " << axis << " of "
                       << type << "; export with a static size";
      return failure();
    }
    SmallVector<int64_t> indices;
    for (int64_t j = 0; j < size * repeat; ++j)
      indices.push_back(j % size);
    FailureOr<Value> gathered = gatherAxis(node, result, axis, indices);
    if (failed(gathered))
      return failure();
    result = *gathered;
  }
  node.setOutput(0, result);
  return success();
}

/// Trilu: keeps the upper (upper = 1, the default) or lower triangle of the
/// last two dimensions, from diagonal k; the rest becomes zero.
LogicalResult convertTrilu(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t k = 0;
  if (node.getInput(1)) {
    FailureOr<SmallVector<int64_t>> given =
        node.getRequiredConstantInts(1, "k");
    if (failed(given))
      return failure();
    if (given->size() != 1) {
      node.emitError() << "'k' must be one value, got " << given->size();
      return failure();
    }
    k = given->front();
  }
  RankedTensorType type = NodeContext::getType(*input);
  if (type.getRank() < 2) {
    node.emitError() << "the input must have rank >= 2, got " << type;
    return failure();
  }
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols)) {
    node.emitError() << "the last two dimensions of " << type
                     << " must be static";
    return failure();
  }
  bool upper = node.getIntAttr("upper", 1) != 0;
  SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value zero =
      createZeros(node, RankedTensorType::get({}, type.getElementType()));
  return node.setResult(expr::select(
      node, expr::boolConstant(node, {rows, cols}, mask), *input, zero));
}

/// The shared body of DepthToSpace and SpaceToDepth: `input` (N x C x H x W
/// with static C, H and W) reshaped to the 6-D `split` shape, transposed by
/// `permutation` and reshaped to `result`.
LogicalResult convertBlockRearrangement(
    NodeContext &node,
    function_ref<
        FailureOr<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>>(
            int64_t n, int64_t c, int64_t h, int64_t w, int64_t block)>
        shapes,
    ArrayRef<int64_t> permutation) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  int64_t block = node.getIntAttr("blocksize", 0);
  if (block < 1) {
    node.emitError() << "'blocksize' must be a positive integer, got " << block;
    return failure();
  }
  RankedTensorType type = NodeContext::getType(*input);
  if (type.getRank() != 4 ||
      llvm::any_of(type.getShape().drop_front(), ShapedType::isDynamic)) {
    node.emitError() << "expects an N x C x H x W input with static C, H and "
                        "W, got "
                     << type;
    return failure();
  }
  ArrayRef<int64_t> dims = type.getShape();
  FailureOr<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> split =
      shapes(dims[0], dims[1], dims[2], dims[3], block);
  if (failed(split))
    return failure();
  FailureOr<Value> reshaped =
      node.createWithType<mllm::ReshapeOp>(type.clone(split->first), *input);
  if (failed(reshaped))
    return failure();
  FailureOr<Value> transposed =
      node.create<mllm::TransposeOp>(*reshaped, permutation);
  if (failed(transposed))
    return failure();
  return node.setResult(node.createWithType<mllm::ReshapeOp>(
      type.clone(split->second), *transposed));
}

/// DepthToSpace: blocks of `blocksize`^2 channels become spatial blocks;
/// DCR (the default) takes the block offset from the leading channel bits,
/// CRD from the trailing ones.
LogicalResult convertDepthToSpace(NodeContext &node) {
  std::string mode = node.getStringAttr("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") {
    node.emitError() << "unknown mode '" << mode << "'; expected DCR or CRD";
    return failure();
  }
  bool dcr = mode == "DCR";
  auto shapes = [&](int64_t n, int64_t c, int64_t h, int64_t w, int64_t b)
      -> FailureOr<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> {
    if (c % (b * b) != 0) {
      node.emitError() << c << " channels are not divisible by blocksize^2 = "
                       << b * b;
      return failure();
    }
    int64_t depth = c / (b * b);
    SmallVector<int64_t> split =
        dcr ? SmallVector<int64_t>{n, b, b, depth, h, w}
            : SmallVector<int64_t>{n, depth, b, b, h, w};
    return std::make_pair(split, SmallVector<int64_t>{n, depth, h * b, w * b});
  };
  return convertBlockRearrangement(node, shapes,
                                   dcr ? ArrayRef<int64_t>{0, 3, 4, 1, 5, 2}
                                       : ArrayRef<int64_t>{0, 1, 4, 2, 5, 3});
}

/// SpaceToDepth: spatial blocks of `blocksize` x `blocksize` become channels,
/// the inverse of DepthToSpace in the same mode (DCR by default).
LogicalResult convertSpaceToDepth(NodeContext &node) {
  std::string mode = node.getStringAttr("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") {
    node.emitError() << "unknown mode '" << mode << "'; expected DCR or CRD";
    return failure();
  }
  auto shapes = [&](int64_t n, int64_t c, int64_t h, int64_t w, int64_t b)
      -> FailureOr<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> {
    if (h % b != 0 || w % b != 0) {
      node.emitError() << "the spatial size " << h << " x " << w
                       << " is not divisible by blocksize " << b;
      return failure();
    }
    return std::make_pair(SmallVector<int64_t>{n, c, h / b, b, w / b, b},
                          SmallVector<int64_t>{n, c * b * b, h / b, w / b});
  };
  return convertBlockRearrangement(node, shapes,
                                   mode == "DCR"
                                       ? ArrayRef<int64_t>{0, 3, 5, 1, 2, 4}
                                       : ArrayRef<int64_t>{0, 1, 3, 5, 2, 4});
}

} // namespace

void mllmc::onnx_frontend::registerDataMovementOps(OpRegistry &registry) {
  registry.add("Expand", 8, convertExpand,
               "constant shape; a broadcasting add of zero");
  registry.add("Split", 11, convertSplit,
               "constant split sizes, or num_outputs equal parts");
  registry.add("Pad", 11, convertPad,
               "constant pads and axes; constant, edge, reflect, wrap modes");
  registry.add("Tile", 6, convertTile, "constant repeats");
  registry.add("Trilu", 14, convertTrilu, "constant k; static last two dims");
  registry.add("DepthToSpace", 13, convertDepthToSpace,
               "DCR and CRD modes; static C, H, W");
  registry.add("SpaceToDepth", 13, convertSpaceToDepth,
               "DCR and CRD modes; static C, H, W");
}
