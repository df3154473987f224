//===- SignalConstants.cpp - Window functions and MelWeightMatrix ---------===//
//
// HannWindow, HammingWindow, BlackmanWindow and MelWeightMatrix depend on
// nothing but their (scalar) inputs, which decide the shape of the result:
// they are evaluated at import, in double, and become one constant of
// output_datatype. Their inputs must be constants (or graph inputs bound
// with --bind-input).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/SignalUtils.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The element type named by the output_datatype attribute (default FLOAT);
/// emits an error unless it is a float or an integer (not bool) type.
FailureOr<Type> getOutputDataType(NodeContext &node) {
  int64_t dataType =
      node.getIntAttr("output_datatype", onnx::TensorProto::FLOAT);
  Type type = convertElementType(node.getContext(), dataType);
  if (!type || type.isInteger(1)) {
    node.emitError() << "output_datatype " << getDataTypeName(dataType)
                     << " is not supported; use a float or integer type";
    return failure();
  }
  return type;
}

/// The single value of constant input `i`, an integer or float scalar (or
/// one-element tensor); emits an error naming `role` when it is not one.
FailureOr<double> getConstantScalar(NodeContext &node, unsigned i,
                                    StringRef role) {
  ElementsAttr attr = node.getConstantInput(i);
  if (auto floats = signal::doublesFromElements(attr)) {
    if (floats->size() == 1)
      return floats->front();
  } else if (std::optional<SmallVector<int64_t>> ints =
                 node.getConstantInts(i)) {
    if (ints->size() == 1)
      return static_cast<double>(ints->front());
  }
  if (!node.getInput(i))
    node.emitError() << "input '" << role << "' is required";
  else if (!attr)
    node.emitError() << "input '" << role
                     << "' must be a constant (an initializer, a Constant "
                        "node, or a graph input bound with --bind-input)";
  else
    node.emitError() << "input '" << role << "' must be one number, got "
                     << attr.getType();
  return failure();
}

/// `getConstantScalar` for a count that must be a non-negative integer.
FailureOr<int64_t> getConstantCount(NodeContext &node, unsigned i,
                                    StringRef role) {
  FailureOr<double> value = getConstantScalar(node, i, role);
  if (failed(value))
    return failure();
  if (*value < 0 || *value != std::floor(*value)) {
    node.emitError() << "'" << role << "' must be a non-negative integer, got "
                     << *value;
    return failure();
  }
  return static_cast<int64_t>(*value);
}

/// A window of `size` samples: w[n] = sum_j coeffs[j] * cos(2 pi j n / N)
/// with N = size (periodic) or size - 1 (symmetric). A symmetric window of
/// one sample is [1], its value at the centre.
LogicalResult convertCosineWindow(NodeContext &node,
                                  ArrayRef<double> coefficients) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<int64_t> size = getConstantCount(node, 0, "size");
  FailureOr<Type> elementType = getOutputDataType(node);
  if (failed(size) || failed(elementType))
    return failure();
  int64_t periodic = node.getIntAttr("periodic", 1);
  int64_t period = periodic ? *size : *size - 1;
  SmallVector<double> samples;
  for (int64_t n = 0; n < *size; ++n) {
    if (period == 0) {
      samples.push_back(1.0);
      continue;
    }
    double sample = 0;
    for (auto [j, coefficient] : llvm::enumerate(coefficients)) {
      // j * n is reduced modulo the period first: the angle stays small and
      // exact multiples of pi stay exact.
      int64_t turn = (static_cast<int64_t>(j) * n) % period;
      sample += coefficient * std::cos(2 * llvm::numbers::pi * turn / period);
    }
    samples.push_back(sample);
  }
  auto type = RankedTensorType::get({*size}, *elementType);
  node.setOutput(0,
                 node.createConstant(signal::denseFromDoubles(type, samples)));
  return success();
}

/// Hann: sin^2(pi n / N) = 0.5 - 0.5 cos(2 pi n / N).
LogicalResult convertHannWindow(NodeContext &node) {
  return convertCosineWindow(node, {0.5, -0.5});
}

/// Hamming with ONNX's coefficients alpha = 25/46, beta = 1 - alpha.
LogicalResult convertHammingWindow(NodeContext &node) {
  constexpr double alpha = 25.0 / 46.0;
  return convertCosineWindow(node, {alpha, -(1 - alpha)});
}

/// Blackman: 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N).
LogicalResult convertBlackmanWindow(NodeContext &node) {
  return convertCosineWindow(node, {0.42, -0.5, 0.08});
}

/// MelWeightMatrix as the ONNX reference computes it: num_mel_bins + 2 edges
/// evenly spaced on the mel scale mel(f) = 2595 log10(1 + f / 700) between
/// the edge frequencies (the step divides by num_mel_bins + 2), mapped to
/// spectrogram bins floor((dft_length + 1) * f / sample_rate), and one
/// triangle per mel bin rising from its left edge to 1 at its centre and
/// falling to its right edge. The result is [dft_length / 2 + 1,
/// num_mel_bins].
LogicalResult convertMelWeightMatrix(NodeContext &node) {
  if (failed(node.checkNumInputs(5, 5)))
    return failure();
  FailureOr<int64_t> numMelBins = getConstantCount(node, 0, "num_mel_bins");
  FailureOr<int64_t> dftLength = getConstantCount(node, 1, "dft_length");
  FailureOr<int64_t> sampleRate = getConstantCount(node, 2, "sample_rate");
  FailureOr<double> lowerHertz = getConstantScalar(node, 3, "lower_edge_hertz");
  FailureOr<double> upperHertz = getConstantScalar(node, 4, "upper_edge_hertz");
  FailureOr<Type> elementType = getOutputDataType(node);
  if (failed(numMelBins) || failed(dftLength) || failed(sampleRate) ||
      failed(lowerHertz) || failed(upperHertz) || failed(elementType))
    return failure();
  if (*sampleRate == 0) {
    node.emitError() << "sample_rate must be positive";
    return failure();
  }
  if (*lowerHertz < 0 || *upperHertz < *lowerHertz) {
    node.emitError() << "the edges must satisfy 0 <= lower_edge_hertz <= "
                        "upper_edge_hertz, got "
                     << *lowerHertz << " and " << *upperHertz;
    return failure();
  }
  int64_t numSpectrogramBins = *dftLength / 2 + 1;
  auto toMel = [](double hertz) { return 2595 * std::log10(1 + hertz / 700); };
  double lowMel = toMel(*lowerHertz);
  double melStep = (toMel(*upperHertz) - lowMel) / (*numMelBins + 2);
  SmallVector<int64_t> edges;
  for (int64_t i = 0; i < *numMelBins + 2; ++i) {
    double hertz =
        700 * std::expm1((i * melStep + lowMel) / 2595 * llvm::numbers::ln10);
    edges.push_back(static_cast<int64_t>(
        std::floor((*dftLength + 1) * hertz / *sampleRate)));
  }
  if (edges.back() >= numSpectrogramBins) {
    node.emitError() << "upper_edge_hertz " << *upperHertz
                     << " maps to spectrogram bin " << edges.back()
                     << ", past the " << numSpectrogramBins
                     << " bins of a DFT of length " << *dftLength
                     << "; it must be at most sample_rate / 2";
    return failure();
  }

  SmallVector<double> weights(numSpectrogramBins * *numMelBins, 0.0);
  auto at = [&](int64_t bin, int64_t mel) -> double & {
    return weights[bin * *numMelBins + mel];
  };
  for (int64_t i = 0; i < *numMelBins; ++i) {
    int64_t left = edges[i], centre = edges[i + 1], right = edges[i + 2];
    if (centre == left)
      at(centre, i) = 1;
    else
      for (int64_t j = left; j <= centre; ++j)
        at(j, i) = static_cast<double>(j - left) / (centre - left);
    for (int64_t j = centre; j < right; ++j)
      at(j, i) = static_cast<double>(right - j) / (right - centre);
  }
  auto type =
      RankedTensorType::get({numSpectrogramBins, *numMelBins}, *elementType);
  node.setOutput(0,
                 node.createConstant(signal::denseFromDoubles(type, weights)));
  return success();
}

} // namespace

void mllmc::onnx_frontend::registerSignalConstantOps(OpRegistry &registry) {
  constexpr StringLiteral windowNotes =
      "size a constant (or --bind-input); folded to a constant at import";
  registry.add("BlackmanWindow", 17, convertBlackmanWindow, windowNotes);
  registry.add("HammingWindow", 17, convertHammingWindow, windowNotes);
  registry.add("HannWindow", 17, convertHannWindow, windowNotes);
  registry.add("MelWeightMatrix", 17, convertMelWeightMatrix,
               "constant inputs (or --bind-input); folded to a constant at "
               "import");
}
