//===- Conv.cpp - Conv ----------------------------------------------------===//
//
// ONNX Conv into mllm.conv and ConvTranspose into mllm.conv_transpose:
// defaults filled in, kernel_shape checked against (or read from) the weight,
// and auto_pad (and ConvTranspose's output_shape) resolved into explicit
// pads.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ops/Conv.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/WindowAttrs.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The spatial sizes of the weight [*, *, kernel...], checked against the
/// node's kernel_shape when it has one (which also gives dynamic sizes).
FailureOr<SmallVector<int64_t>>
getKernelShape(NodeContext &node, RankedTensorType weightType, size_t spatial) {
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  std::optional<SmallVector<int64_t>> given = node.getIntsAttr("kernel_shape");
  if (!given)
    return kernel;
  bool matches = given->size() == spatial;
  for (size_t i = 0; matches && i < spatial; ++i)
    matches = ShapedType::isDynamic(kernel[i]) || kernel[i] == (*given)[i];
  if (!matches) {
    node.emitError() << "'kernel_shape' [" << *given
                     << "] does not match the weight " << weightType;
    return failure();
  }
  return *given;
}

/// The window of a Conv or ConvTranspose node: its kernel sizes, strides and
/// dilations, one per spatial dimension.
struct ConvWindow {
  SmallVector<int64_t> kernel;
  SmallVector<int64_t> strides;
  SmallVector<int64_t> dilations;
};

/// Checks the input [N, C, spatial...] and the weight's rank (`layout` names
/// its dimensions for the message) and reads the window attributes.
FailureOr<ConvWindow> getConvWindow(NodeContext &node,
                                    RankedTensorType inputType,
                                    RankedTensorType weightType,
                                    StringRef layout) {
  if (failed(checkSpatialInput(node, inputType)))
    return failure();
  if (weightType.getRank() != inputType.getRank()) {
    node.emitError() << "the weight must have the input's rank "
                     << inputType.getRank() << " " << layout << ", got "
                     << weightType;
    return failure();
  }
  size_t spatial = inputType.getRank() - 2;
  FailureOr<SmallVector<int64_t>> kernel =
      getKernelShape(node, weightType, spatial);
  if (failed(kernel))
    return failure();
  FailureOr<StridesAndDilations> window = getStridesAndDilations(node, spatial);
  if (failed(window))
    return failure();
  return ConvWindow{*kernel, window->strides, window->dilations};
}

} // namespace

FailureOr<Value> mllmc::onnx_frontend::createConv(NodeContext &node,
                                                  Value input, Value weight,
                                                  Value bias) {
  RankedTensorType inputType = NodeContext::getType(input);
  FailureOr<ConvWindow> window =
      getConvWindow(node, inputType, NodeContext::getType(weight),
                    "[F, C / group, kernel...]");
  if (failed(window))
    return failure();
  FailureOr<SmallVector<int64_t>> pads = getWindowPads(
      node, inputType, window->kernel, window->strides, window->dilations);
  if (failed(pads))
    return failure();

  int64_t group = node.getIntAttr("group", 1);
  return node.create<mllm::ConvOp>(input, weight, bias, window->strides,
                                   window->dilations, *pads, group);
}

namespace {

LogicalResult convertConv(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> weight = node.getRequiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  return node.setResult(createConv(node, *input, *weight, node.getInput(2)));
}

/// The pads of a ConvTranspose node: its `pads`, or, with `output_shape` or
/// auto_pad SAME_UPPER/SAME_LOWER (whose output shape is input * stride),
/// the total padding that gives that shape, split as ONNX specifies (the odd
/// element at the end for SAME_UPPER, else at the beginning). A shape larger
/// than the unpadded result grows `outputPadding` instead.
FailureOr<SmallVector<int64_t>>
getConvTransposePads(NodeContext &node, RankedTensorType inputType,
                     ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                     ArrayRef<int64_t> dilations,
                     SmallVectorImpl<int64_t> &outputPadding) {
  size_t spatial = kernel.size();
  std::string autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    node.emitError() << "unsupported auto_pad '" << autoPad
                     << "'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID";
    return failure();
  }
  std::optional<SmallVector<int64_t>> outputShape =
      node.getIntsAttr("output_shape");
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!outputShape && !same)
    return autoPad == "VALID" ? SmallVector<int64_t>(2 * spatial, 0)
                              : getSpatialAttr(node, "pads", 2 * spatial, 0, 0);
  // output_shape may also name N and C.
  if (outputShape && outputShape->size() == spatial + 2)
    outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
  if (outputShape && outputShape->size() != spatial) {
    node.emitError() << "'output_shape' has " << outputShape->size()
                     << " values, expected " << spatial << " for an input with "
                     << spatial << " spatial dimension(s)";
    return failure();
  }
  SmallVector<int64_t> pads(2 * spatial, 0);
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = inputType.getDimSize(2 + i);
    if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel[i])) {
      node.emitError() << "output_shape and auto_pad SAME need static spatial "
                          "sizes, but spatial dimension "
                       << i << " of the input " << inputType
                       << " or of the kernel is dynamic";
      return failure();
    }
    int64_t out = outputShape ? (*outputShape)[i] : size * strides[i];
    int64_t total = strides[i] * (size - 1) + outputPadding[i] +
                    (kernel[i] - 1) * dilations[i] + 1 - out;
    if (total < 0) {
      outputPadding[i] -= total;
      continue;
    }
    splitSamePad(total, autoPad != "SAME_UPPER", pads[i], pads[spatial + i]);
  }
  return pads;
}

LogicalResult convertConvTranspose(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> weight = node.getRequiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  FailureOr<ConvWindow> window =
      getConvWindow(node, inputType, NodeContext::getType(*weight),
                    "[C, F / group, kernel...]");
  if (failed(window))
    return failure();
  FailureOr<SmallVector<int64_t>> outputPadding =
      getSpatialAttr(node, "output_padding", window->kernel.size(), 0, 0);
  if (failed(outputPadding))
    return failure();
  FailureOr<SmallVector<int64_t>> pads =
      getConvTransposePads(node, inputType, window->kernel, window->strides,
                           window->dilations, *outputPadding);
  if (failed(pads))
    return failure();

  int64_t group = node.getIntAttr("group", 1);
  return node.setResult(node.create<mllm::ConvTransposeOp>(
      *input, *weight, node.getInput(2), window->strides, window->dilations,
      *pads, *outputPadding, group));
}

} // namespace

void mllmc::onnx_frontend::registerConvOps(OpRegistry &registry) {
  registry.add("Conv", 11, convertConv,
               "1-D, 2-D and N-D; group (depthwise too), dilations, strides, "
               "pads and auto_pad (SAME needs static spatial sizes), bias");
  registry.add("ConvTranspose", 11, convertConvTranspose,
               "1-D, 2-D and N-D; group, dilations, strides, pads, "
               "output_padding, output_shape and auto_pad (both need static "
               "spatial sizes), bias");
}
