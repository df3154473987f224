//===- Conv.cpp - Conv ----------------------------------------------------===//
//
// ONNX Conv into mllm.conv: defaults filled in, kernel_shape checked against
// (or read from) the weight, and auto_pad resolved into explicit pads.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The INTS attribute `name` with `count` values, or `defaultValue` repeated
/// when it is absent.
FailureOr<SmallVector<int64_t>> getSpatialAttr(NodeContext &node,
                                               StringRef name, size_t count,
                                               int64_t defaultValue) {
  std::optional<SmallVector<int64_t>> values = node.getIntsAttr(name);
  if (!values)
    return SmallVector<int64_t>(count, defaultValue);
  if (values->size() != count) {
    node.emitError() << "'" << name << "' has " << values->size()
                     << " values, expected " << count << " for an input with "
                     << (name == "pads" ? count / 2 : count)
                     << " spatial dimension(s)";
    return failure();
  }
  return *values;
}

/// The pads auto_pad SAME_UPPER/SAME_LOWER gives: the output size is
/// ceil(input / stride), and an odd total pad puts the extra element at the
/// end (SAME_UPPER) or the beginning (SAME_LOWER).
FailureOr<SmallVector<int64_t>>
getSamePads(NodeContext &node, RankedTensorType inputType,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> dilations, bool lower) {
  size_t spatial = kernel.size();
  SmallVector<int64_t> pads(2 * spatial, 0);
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = inputType.getDimSize(2 + i);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel[i])) {
      node.emitError() << "auto_pad SAME needs static spatial sizes, but "
                          "spatial dimension "
                       << i << " of the input " << inputType
                       << " or of the kernel is dynamic; export with explicit "
                          "pads or a static input size";
      return failure();
    }
    int64_t out = (size + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
    int64_t small = total / 2;
    pads[i] = lower ? total - small : small;
    pads[spatial + i] = total - pads[i];
  }
  return pads;
}

LogicalResult convertConv(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> weight = node.getRequiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  RankedTensorType weightType = NodeContext::getType(*weight);
  if (inputType.getRank() < 3) {
    node.emitError() << "the input must have rank >= 3 [N, C, spatial...], "
                        "got "
                     << inputType;
    return failure();
  }
  if (weightType.getRank() != inputType.getRank()) {
    node.emitError() << "the weight must have the input's rank "
                     << inputType.getRank() << " [F, C / group, kernel...], "
                     << "got " << weightType;
    return failure();
  }
  size_t spatial = inputType.getRank() - 2;

  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  if (std::optional<SmallVector<int64_t>> given =
          node.getIntsAttr("kernel_shape")) {
    bool matches = given->size() == spatial;
    for (size_t i = 0; matches && i < spatial; ++i)
      matches = ShapedType::isDynamic(kernel[i]) || kernel[i] == (*given)[i];
    if (!matches) {
      node.emitError() << "'kernel_shape' [" << *given
                       << "] does not match the weight " << weightType;
      return failure();
    }
    kernel = *given;
  }
  FailureOr<SmallVector<int64_t>> strides =
      getSpatialAttr(node, "strides", spatial, 1);
  FailureOr<SmallVector<int64_t>> dilations =
      getSpatialAttr(node, "dilations", spatial, 1);
  if (failed(strides) || failed(dilations))
    return failure();
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"strides", *strides},
        {"dilations", *dilations}}) {
    if (llvm::any_of(values, [](int64_t v) { return v < 1; })) {
      node.emitError() << "'" << name << "' must be positive, got [" << values
                       << "]";
      return failure();
    }
  }

  std::string autoPad = node.getStringAttr("auto_pad", "NOTSET");
  FailureOr<SmallVector<int64_t>> pads = failure();
  if (autoPad == "NOTSET") {
    pads = getSpatialAttr(node, "pads", 2 * spatial, 0);
  } else if (autoPad == "VALID") {
    pads = SmallVector<int64_t>(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    pads = getSamePads(node, inputType, kernel, *strides, *dilations,
                       autoPad == "SAME_LOWER");
  } else {
    node.emitError() << "unsupported auto_pad '" << autoPad
                     << "'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID";
    return failure();
  }
  if (failed(pads))
    return failure();

  int64_t group = node.getIntAttr("group", 1);
  return node.setResult(node.create<mllm::ConvOp>(
      *input, *weight, node.getInput(2), *strides, *dilations, *pads, group));
}

} // namespace

void mllmc::onnx_frontend::registerConvOps(OpRegistry &registry) {
  registry.add("Conv", 11, convertConv,
               "1-D, 2-D and N-D; group (depthwise too), dilations, strides, "
               "pads and auto_pad (SAME needs static spatial sizes), bias");
}
