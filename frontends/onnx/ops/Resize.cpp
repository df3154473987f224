//===- Resize.cpp - ONNX Resize -------------------------------------------===//
//
// Resize (and the deprecated Upsample) import into mllm.resize. The output
// sizes and the per-axis scales are settled at compile time from the constant
// `scales` or `sizes` input (with `axes` and `keep_aspect_ratio_policy`)
// exactly as the ONNX reference computes them; axes left as they are drop out.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <optional>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The float values of constant input `i`, or nullopt when it is not a
/// float constant.
std::optional<SmallVector<double>> getConstantFloats(NodeContext &node,
                                                     unsigned i) {
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(node.getConstantInput(i));
  if (!dense)
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &value : dense.getValues<APFloat>()) {
    APFloat converted = value;
    bool lost;
    converted.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                      &lost);
    values.push_back(converted.convertToDouble());
  }
  return values;
}

/// Whether input `i` is present and not an empty tensor.
bool hasNonEmptyInput(NodeContext &node, unsigned i) {
  Value value = node.getInput(i);
  if (!value)
    return false;
  RankedTensorType type = NodeContext::getType(value);
  return !type.hasStaticShape() || type.getNumElements() != 0;
}

/// Emits "<what> input ('<name>') must be a constant ..." and fails.
LogicalResult emitNotConstant(NodeContext &node, unsigned i, StringRef what) {
  InFlightDiagnostic diag = node.emitError();
  diag << "the '" << what << "' input ('" << node.getNode().input(i)
       << "') must be a constant";
  if (isa<BlockArgument>(node.getInput(i)))
    diag << "; it is a graph input: fix its values at compile time with "
            "--bind-input="
         << node.getNode().input(i) << "=V0,V1,...";
  return failure();
}

template <typename EnumTy>
FailureOr<EnumTy> getEnumAttr(NodeContext &node, StringRef name,
                              StringRef defaultValue,
                              std::optional<EnumTy> (*symbolize)(StringRef),
                              StringRef supported) {
  std::string value = node.getStringAttr(name, defaultValue.str());
  if (std::optional<EnumTy> parsed = symbolize(value))
    return *parsed;
  node.emitError() << name << " '" << value << "' is not supported; expected "
                   << supported;
  return failure();
}

/// Binds the output to mllm.resize of `input` along the axes that change
/// (or to `input` when none does), with the node's cubic_coeff_a,
/// exclude_outside, antialias and extrapolation_value. `roi` holds the
/// starts then the ends of `axes` with tf_crop_and_resize, else nothing.
LogicalResult createResize(NodeContext &node, Value input,
                           mllm::ResizeMode mode,
                           mllm::ResizeCoordinateMode coordinates,
                           mllm::ResizeNearestMode nearest,
                           ArrayRef<int64_t> axes, ArrayRef<int64_t> sizes,
                           ArrayRef<double> scales, ArrayRef<double> roi) {
  RankedTensorType type = NodeContext::getType(input);
  bool crop = !roi.empty();
  size_t count = axes.size();
  SmallVector<int64_t> keptAxes, keptSizes;
  SmallVector<double> keptScales, starts, ends;
  for (size_t i = 0; i < count; ++i) {
    bool identity = scales[i] == 1.0 && sizes[i] == type.getDimSize(axes[i]) &&
                    (!crop || (roi[i] == 0.0 && roi[count + i] == 1.0));
    if (identity)
      continue;
    keptAxes.push_back(axes[i]);
    keptSizes.push_back(sizes[i]);
    keptScales.push_back(scales[i]);
    if (crop) {
      starts.push_back(roi[i]);
      ends.push_back(roi[count + i]);
    }
  }
  if (keptAxes.empty()) {
    node.setOutput(0, input);
    return success();
  }
  llvm::append_range(starts, ends);

  APFloat coeffA(
      static_cast<double>(node.getFloatAttr("cubic_coeff_a", -0.75f)));
  APFloat extrapolation(
      static_cast<double>(node.getFloatAttr("extrapolation_value", 0.0f)));
  Builder b(node.getContext());
  return node.setResult(node.create<mllm::ResizeOp>(
      input, mode, ArrayRef<int64_t>(keptAxes), ArrayRef<int64_t>(keptSizes),
      b.getF64ArrayAttr(keptScales), coordinates, nearest, coeffA,
      node.getIntAttr("exclude_outside", 0) != 0,
      node.getIntAttr("antialias", 0) != 0,
      crop ? b.getF64ArrayAttr(starts) : ArrayAttr(), extrapolation));
}

LogicalResult convertResize(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 4)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  int64_t rank = type.getRank();

  FailureOr<mllm::ResizeMode> mode =
      getEnumAttr(node, "mode", "nearest", mllm::symbolizeResizeMode,
                  "nearest, linear or cubic");
  FailureOr<mllm::ResizeCoordinateMode> coordinates = getEnumAttr(
      node, "coordinate_transformation_mode", "half_pixel",
      mllm::symbolizeResizeCoordinateMode,
      "half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, "
      "asymmetric or tf_crop_and_resize");
  FailureOr<mllm::ResizeNearestMode> nearest =
      getEnumAttr(node, "nearest_mode", "round_prefer_floor",
                  mllm::symbolizeResizeNearestMode,
                  "round_prefer_floor, round_prefer_ceil, floor or ceil");
  if (failed(mode) || failed(coordinates) || failed(nearest))
    return failure();
  bool antialias = node.getIntAttr("antialias", 0) != 0;
  if (antialias && *mode == mllm::ResizeMode::nearest) {
    node.emitError() << "antialias with mode 'nearest' is not supported "
                        "(ONNX defines it for linear and cubic)";
    return failure();
  }
  std::string policy =
      node.getStringAttr("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && policy != "not_larger" &&
      policy != "not_smaller") {
    node.emitError() << "keep_aspect_ratio_policy '" << policy
                     << "' is not supported; expected stretch, not_larger or "
                        "not_smaller";
    return failure();
  }

  // The axes `scales`, `sizes` and `roi` describe.
  SmallVector<int64_t> axes;
  if (std::optional<SmallVector<int64_t>> attr = node.getIntsAttr("axes")) {
    for (int64_t axis : *attr) {
      FailureOr<int64_t> normalized = node.normalizeAxis(axis, rank);
      if (failed(normalized))
        return failure();
      axes.push_back(*normalized);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  size_t count = axes.size();
  for (int64_t axis : axes) {
    if (type.isDynamicDim(axis)) {
      node.emitError() << "resizing the dynamic dimension " << axis << " of "
                       << type << " is not supported";
      return failure();
    }
  }

  // Scales and output sizes, as the ONNX reference computes them.
  bool hasScales = hasNonEmptyInput(node, 2);
  bool hasSizes = hasNonEmptyInput(node, 3);
  if (hasScales == hasSizes) {
    node.emitError() << "expected exactly one of the 'scales' and 'sizes' "
                        "inputs";
    return failure();
  }
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  if (hasScales) {
    std::optional<SmallVector<double>> values = getConstantFloats(node, 2);
    if (!values)
      return emitNotConstant(node, 2, "scales");
    scales = *values;
    if (scales.size() != count) {
      node.emitError() << "expected " << count << " scales, got "
                       << scales.size();
      return failure();
    }
    for (auto [axis, scale] : llvm::zip_equal(axes, scales)) {
      if (!(scale > 0.0)) {
        node.emitError() << "scale " << scale << " of axis " << axis
                         << " must be positive";
        return failure();
      }
      sizes.push_back(static_cast<int64_t>(
          std::floor(scale * static_cast<double>(type.getDimSize(axis)))));
    }
  } else {
    std::optional<SmallVector<int64_t>> values = node.getConstantInts(3);
    if (!values)
      return emitNotConstant(node, 3, "sizes");
    sizes = *values;
    if (sizes.size() != count) {
      node.emitError() << "expected " << count << " sizes, got "
                       << sizes.size();
      return failure();
    }
    for (auto [axis, size] : llvm::zip_equal(axes, sizes))
      scales.push_back(static_cast<double>(size) /
                       static_cast<double>(type.getDimSize(axis)));
    if (policy != "stretch") {
      double scale = policy == "not_larger" ? *llvm::min_element(scales)
                                            : *llvm::max_element(scales);
      for (auto [axis, size, axisScale] :
           llvm::zip_equal(axes, sizes, scales)) {
        axisScale = scale;
        size = static_cast<int64_t>(
            scale * static_cast<double>(type.getDimSize(axis)) + 0.5);
      }
    }
  }
  for (auto [axis, size] : llvm::zip_equal(axes, sizes)) {
    if (size < 1) {
      node.emitError() << "the output size " << size << " of axis " << axis
                       << " is not supported (it must be positive)";
      return failure();
    }
  }

  // The crop box of tf_crop_and_resize: starts then ends, one per axis.
  bool crop = *coordinates == mllm::ResizeCoordinateMode::tf_crop_and_resize;
  SmallVector<double> roi;
  if (crop) {
    if (!hasNonEmptyInput(node, 1)) {
      node.emitError() << "tf_crop_and_resize needs the 'roi' input";
      return failure();
    }
    std::optional<SmallVector<double>> values = getConstantFloats(node, 1);
    if (!values)
      return emitNotConstant(node, 1, "roi");
    roi = *values;
    if (roi.size() != 2 * count) {
      node.emitError() << "expected " << 2 * count
                       << " roi values (starts then ends), got " << roi.size();
      return failure();
    }
  }

  return createResize(node, *input, *mode, *coordinates, *nearest, axes, sizes,
                      scales, roi);
}

/// Upsample (opset 9, deprecated): Resize with asymmetric coordinates,
/// nearest rounding down, and constant scales for every axis.
LogicalResult convertUpsample(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<mllm::ResizeMode> mode = getEnumAttr(
      node, "mode", "nearest", mllm::symbolizeResizeMode, "nearest or linear");
  if (failed(mode))
    return failure();
  if (*mode == mllm::ResizeMode::cubic) {
    node.emitError() << "mode 'cubic' is not supported by Upsample; expected "
                        "nearest or linear";
    return failure();
  }
  std::optional<SmallVector<double>> scales = getConstantFloats(node, 1);
  if (!scales)
    return emitNotConstant(node, 1, "scales");
  RankedTensorType type = NodeContext::getType(*input);
  if (static_cast<int64_t>(scales->size()) != type.getRank()) {
    node.emitError() << "expected " << type.getRank() << " scales, got "
                     << scales->size();
    return failure();
  }
  SmallVector<int64_t> axes, sizes;
  for (auto [axis, scale] : llvm::enumerate(*scales)) {
    if (type.isDynamicDim(axis) || !(scale > 0.0)) {
      node.emitError() << "expected a positive scale of a static dimension "
                          "for axis "
                       << axis;
      return failure();
    }
    axes.push_back(axis);
    sizes.push_back(static_cast<int64_t>(
        std::floor(scale * static_cast<double>(type.getDimSize(axis)))));
  }
  return createResize(node, *input, *mode,
                      mllm::ResizeCoordinateMode::asymmetric,
                      mllm::ResizeNearestMode::floor, axes, sizes, *scales, {});
}

} // namespace

void mllmc::onnx_frontend::registerResizeOps(OpRegistry &registry) {
  registry.add("Resize", 11, convertResize,
               "nearest, linear and cubic (antialias, exclude_outside), every "
               "coordinate_transformation_mode; constant scales or sizes, "
               "axes, keep_aspect_ratio_policy");
  registry.add("Upsample", 9, convertUpsample,
               "nearest or linear; constant scales (deprecated: Resize)");
}
