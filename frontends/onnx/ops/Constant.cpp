//===- Constant.cpp - Constant, EyeLike, Identity and Dropout -------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Constant: one of value (a tensor), value_float(s), value_int(s).
LogicalResult convertConstant(NodeContext &node) {
  if (failed(node.checkNumInputs(0, 0)))
    return failure();
  const onnx::NodeProto &proto = node.getNode();
  if (proto.attribute_size() != 1) {
    node.emitError() << "expected exactly one value attribute, got "
                     << proto.attribute_size();
    return failure();
  }
  const onnx::AttributeProto &attr = proto.attribute(0);
  Builder b(node.getContext());
  ElementsAttr value;
  if (attr.name() == "value") {
    FailureOr<ElementsAttr> tensor = convertTensor(
        node.getContext(), attr.t(), node.getName(), node.getStorage(),
        [&] { return node.emitError() << "attribute 'value': "; });
    if (failed(tensor))
      return failure();
    value = *tensor;
  } else if (attr.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   attr.f());
  } else if (attr.name() == "value_floats") {
    SmallVector<float> floats(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(floats.size())}, b.getF32Type()),
        ArrayRef(floats));
  } else if (attr.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   int64_t(attr.i()));
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> ints(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(ints.size())}, b.getI64Type()),
        ArrayRef(ints));
  } else {
    node.emitError() << "unsupported attribute '" << attr.name()
                     << "'; supported are value, value_float, value_floats, "
                        "value_int and value_ints";
    return failure();
  }
  node.setOutput(0, node.createConstant(value));
  return success();
}

LogicalResult convertIdentity(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  return node.setResult(node.getRequiredInput(0));
}

/// Dropout at inference is the identity; its optional mask output is all
/// true (static shapes only).
LogicalResult convertDropout(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  if (node.getInput(2)) {
    std::optional<SmallVector<int64_t>> training = node.getConstantInts(2);
    if (!training || training->size() != 1 || (*training)[0] != 0) {
      node.emitError() << "training_mode must be a constant false; mllmc "
                          "compiles models for inference";
      return failure();
    }
  }
  node.setOutput(0, *input);
  if (!node.hasOutput(1))
    return success();
  RankedTensorType type = NodeContext::getType(*input);
  if (!type.hasStaticShape()) {
    node.emitError() << "the mask output of a Dropout on " << type
                     << " (dynamic shape) is not supported";
    return failure();
  }
  node.setOutput(
      1, node.createConstant(DenseElementsAttr::get(
             type.clone(IntegerType::get(node.getContext(), 1)), true)));
  return success();
}

/// EyeLike: ones on the k-th diagonal of a static 2-D shape, as a constant
/// of `dtype` (default: the input's element type).
LogicalResult convertEyeLike(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  if (type.getRank() != 2 || !type.hasStaticShape()) {
    node.emitError() << "expected a static 2-D input, got " << type;
    return failure();
  }
  Type elementType = type.getElementType();
  if (const onnx::AttributeProto *dtype = node.getAttr("dtype")) {
    elementType = convertElementType(node.getContext(), dtype->i());
    if (!elementType) {
      node.emitError() << "dtype " << getDataTypeName(dtype->i())
                       << " is not supported; supported types are "
                       << kSupportedDataTypes;
      return failure();
    }
  }
  int64_t k = node.getIntAttr("k", 0);
  int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
  // An i8 constant converted by mllm.cast (which folds) covers every dtype.
  SmallVector<int8_t> ones(rows * columns, 0);
  for (int64_t i = 0; i < rows; ++i)
    if (i + k >= 0 && i + k < columns)
      ones[i * columns + i + k] = 1;
  Value eye = node.createConstant(DenseElementsAttr::get(
      type.clone(IntegerType::get(node.getContext(), 8)), ArrayRef(ones)));
  if (elementType.isInteger(8)) {
    node.setOutput(0, eye);
    return success();
  }
  return node.setResult(
      node.createWithType<mllm::CastOp>(type.clone(elementType), eye));
}

} // namespace

void mllmc::onnx_frontend::registerConstantOps(OpRegistry &registry) {
  registry.add("Constant", 9, convertConstant,
               "value, value_float(s), value_int(s)");
  registry.add("Identity", 1, convertIdentity, "");
  registry.add("EyeLike", 9, convertEyeLike,
               "static 2-D shape; folded to a constant");
  registry.add("Dropout", 10, convertDropout,
               "inference: identity; mask output all true");
}
