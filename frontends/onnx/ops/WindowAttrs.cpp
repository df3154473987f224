//===- WindowAttrs.cpp - Sliding-window attributes of ONNX nodes ----------===//

#include "frontends/onnx/ops/WindowAttrs.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

FailureOr<SmallVector<int64_t>>
mllmc::onnx_frontend::getSpatialAttr(NodeContext &node, StringRef name,
                                     size_t count, int64_t defaultValue,
                                     int64_t min) {
  std::optional<SmallVector<int64_t>> values = node.getIntsAttr(name);
  if (!values)
    return SmallVector<int64_t>(count, defaultValue);
  if (values->size() != count) {
    bool twice = name == "pads";
    node.emitError() << "'" << name << "' has " << values->size()
                     << " values, expected " << count << " for an input with "
                     << (twice ? count / 2 : count) << " spatial dimension(s)";
    return failure();
  }
  if (llvm::any_of(*values, [&](int64_t v) { return v < min; })) {
    node.emitError() << "'" << name << "' must be "
                     << (min > 0 ? "positive" : "non-negative") << ", got ["
                     << *values << "]";
    return failure();
  }
  return *values;
}

FailureOr<SmallVector<int64_t>>
mllmc::onnx_frontend::getRequiredKernelShape(NodeContext &node,
                                             size_t spatial) {
  if (!node.getAttr("kernel_shape")) {
    node.emitError() << "the required attribute 'kernel_shape' is missing";
    return failure();
  }
  return getSpatialAttr(node, "kernel_shape", spatial, 1, 1);
}

FailureOr<StridesAndDilations>
mllmc::onnx_frontend::getStridesAndDilations(NodeContext &node,
                                             size_t spatial) {
  FailureOr<SmallVector<int64_t>> strides =
      getSpatialAttr(node, "strides", spatial, 1, 1);
  if (failed(strides))
    return failure();
  FailureOr<SmallVector<int64_t>> dilations =
      getSpatialAttr(node, "dilations", spatial, 1, 1);
  if (failed(dilations))
    return failure();
  return StridesAndDilations{*strides, *dilations};
}

void mllmc::onnx_frontend::splitSamePad(int64_t total, bool lower,
                                        int64_t &begin, int64_t &end) {
  int64_t small = total / 2;
  begin = lower ? total - small : small;
  end = total - begin;
}

FailureOr<SmallVector<int64_t>> mllmc::onnx_frontend::getWindowPads(
    NodeContext &node, RankedTensorType inputType, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  size_t spatial = kernel.size();
  std::string autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (autoPad == "NOTSET")
    return getSpatialAttr(node, "pads", 2 * spatial, 0, 0);
  if (autoPad == "VALID")
    return SmallVector<int64_t>(2 * spatial, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    node.emitError() << "unsupported auto_pad '" << autoPad
                     << "'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID";
    return failure();
  }
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
    splitSamePad(total, autoPad == "SAME_LOWER", pads[i], pads[spatial + i]);
  }
  return pads;
}

LogicalResult
mllmc::onnx_frontend::checkSpatialInput(NodeContext &node,
                                        RankedTensorType inputType) {
  if (inputType.getRank() >= 3)
    return success();
  node.emitError() << "the input must have rank >= 3 [N, C, spatial...], got "
                   << inputType;
  return failure();
}
