//===- SignalTransforms.cpp - DFT and STFT --------------------------------===//
//
// A DFT of length L is a linear map: with the real and imaginary parts of
// each sample interleaved along the last dimension (ONNX's [..., 1 or 2]
// layout), it is one real matrix, the twiddle matrix, built at import in
// double and rounded once to the element type. DFT moves its axis next to
// the complex dimension, merges the two and multiplies by the matrix
// (mllm.matmul against a constant); STFT gathers the frames with constant
// indices and multiplies them by the matrix with the window folded into its
// rows. For the sizes of audio front ends (n_fft 400, 201 bins) this is one
// well-tiled matmul.
//
// Accuracy: each output is a dot product of length n = samples x channels
// against twiddles rounded once from double (relative error <= u, the unit
// roundoff: 2^-24 in f32), so |error| <= gamma_(n+1) * sum |x| with
// gamma_m = m u / (1 - m u), the bound of a summed dot product (Higham,
// Accuracy and Stability of Numerical Algorithms, 3.1); for n_fft 400 in f32
// that is about 2.4e-5 * sum |x|. An FFT's bound grows with log2(n) instead
// of n, but rounding errors of a dot product are not worst case: the
// observed error is about sqrt(n) u * ||x|| (test/frontends/onnx/signal-e2e).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"
#include "frontends/onnx/ops/SignalUtils.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// Twiddle matrices larger than this many elements are refused: the matmul
/// form costs O(L^2) memory (2^25 f32 elements are 128 MiB).
constexpr int64_t kMaxTwiddleElements = int64_t(1) << 25;

/// One DFT as a matrix from `inputCount` samples of `inputChannels` (1: real,
/// 2: complex) to `outputCount` values of `outputChannels`.
struct TwiddlePlan {
  int64_t length = 0; // L, the DFT length
  bool inverse = false;
  /// Inverse of a one-sided spectrum (IRFFT): the input holds bins
  /// 0..L/2 of a Hermitian spectrum and the output is real.
  bool halfSpectrumInverse = false;
  int64_t inputCount = 0;
  int64_t inputChannels = 1;
  int64_t outputCount = 0;
  int64_t outputChannels = 2;

  int64_t rows() const { return inputCount * inputChannels; }
  int64_t columns() const { return outputCount * outputChannels; }
};

/// cos and sin of 2 pi turn / length (0 <= turn < length), exact (0, 1 or
/// -1) at multiples of a quarter turn.
std::pair<double, double> unitCircle(int64_t turn, int64_t length) {
  if ((4 * turn) % length == 0) {
    switch ((4 * turn) / length) {
    case 0:
      return {1.0, 0.0};
    case 1:
      return {0.0, 1.0};
    case 2:
      return {-1.0, 0.0};
    default:
      return {0.0, -1.0};
    }
  }
  double angle = 2 * llvm::numbers::pi * static_cast<double>(turn) / length;
  return {std::cos(angle), std::sin(angle)};
}

/// The matrix of `plan`, row (i * inputChannels + ci), column
/// (o * outputChannels + co); row i is scaled by window[i] when a window is
/// given.
DenseElementsAttr buildTwiddleMatrix(const TwiddlePlan &plan, Type elementType,
                                     ArrayRef<double> window) {
  int64_t length = plan.length;
  SmallVector<double> matrix(plan.rows() * plan.columns(), 0.0);
  auto at = [&](int64_t i, int64_t ci, int64_t o, int64_t co) -> double & {
    return matrix[(i * plan.inputChannels + ci) * plan.columns() +
                  o * plan.outputChannels + co];
  };
  for (int64_t i = 0; i < plan.inputCount; ++i) {
    double weight = window.empty() ? 1.0 : window[i];
    for (int64_t o = 0; o < plan.outputCount; ++o) {
      // The angle 2 pi (i o mod L) / L, reduced exactly in integers.
      auto [c, s] = unitCircle((i * o) % length, length);
      if (plan.halfSpectrumInverse) {
        // x[o] = 1/L sum_k w_k Re(X[k] e^(+j angle)), with w_k = 2 for the
        // bins whose conjugate mirror is not in the input, 1 for 0 and L/2.
        double scale = (i == 0 || 2 * i == length ? 1.0 : 2.0) / length;
        at(i, 0, o, 0) = weight * scale * c;
        if (plan.inputChannels == 2)
          at(i, 1, o, 0) = -weight * scale * s;
        continue;
      }
      // y[o] = scale * sum_i x[i] e^(-+j angle); (a + jb)(c + js) =
      // (ac - bs) + j(as + bc).
      double scale = plan.inverse ? 1.0 / length : 1.0;
      double sine = plan.inverse ? s : -s;
      at(i, 0, o, 0) = weight * scale * c;
      at(i, 0, o, 1) = weight * scale * sine;
      if (plan.inputChannels == 2) {
        at(i, 1, o, 0) = -weight * scale * sine;
        at(i, 1, o, 1) = weight * scale * c;
      }
    }
  }
  auto type = RankedTensorType::get({plan.rows(), plan.columns()}, elementType);
  // Negated zeros would print as -0.0: make them +0.
  for (double &value : matrix)
    value += 0.0;
  return signal::denseFromDoubles(type, matrix);
}

/// Emits an error unless the twiddle matrix of `plan` is small enough.
LogicalResult checkTwiddleSize(NodeContext &node, const TwiddlePlan &plan) {
  // The length is checked first: rows x columns cannot overflow then.
  if (plan.length <= kMaxTwiddleElements &&
      plan.rows() * plan.columns() <= kMaxTwiddleElements)
    return success();
  node.emitError() << "a DFT of length " << plan.length << " would need a "
                   << plan.rows() << "x" << plan.columns()
                   << " twiddle matrix; mllmc computes DFTs as a matmul "
                      "against a constant matrix of at most "
                   << kMaxTwiddleElements << " elements";
  return failure();
}

/// `value` ([..., count, channels]) times the twiddle matrix of `plan`:
/// [..., outputCount, outputChannels].
Expr applyTwiddles(NodeContext &node, Value value, const TwiddlePlan &plan,
                   ArrayRef<double> window = {}) {
  RankedTensorType type = NodeContext::getType(value);
  Type elementType = type.getElementType();
  SmallVector<int64_t> rows(type.getShape().drop_back(2));
  rows.push_back(plan.rows());
  // mllm.matmul needs a rank-2 lhs at least.
  bool promoted = rows.size() == 1;
  if (promoted)
    rows.insert(rows.begin(), 1);
  Expr lhs = node.createWithType<mllm::ReshapeOp>(type.clone(rows), value);
  Value matrix =
      node.createConstant(buildTwiddleMatrix(plan, elementType, window));
  Expr product = binary<mllm::MatmulOp>(node, lhs, matrix);
  if (failed(product))
    return failure();
  SmallVector<int64_t> shape(type.getShape().drop_back(2));
  shape.append({plan.outputCount, plan.outputChannels});
  return node.createWithType<mllm::ReshapeOp>(type.clone(shape), *product);
}

/// The single value of an optional integer input `i` when it is given and
/// constant; nullopt when it is absent; failure (with an error naming
/// `role`) when it is not a constant scalar.
FailureOr<std::optional<int64_t>>
getOptionalScalar(NodeContext &node, unsigned i, StringRef role) {
  if (!node.getInput(i))
    return std::optional<int64_t>();
  std::optional<SmallVector<int64_t>> values = node.getConstantInts(i);
  if (!values) {
    node.emitError() << "input '" << role
                     << "' must be an integer constant (an initializer, a "
                        "Constant node, or a graph input bound with "
                        "--bind-input): it decides the shape of the result";
    return failure();
  }
  if (values->size() != 1) {
    node.emitError() << "input '" << role << "' must be a scalar, got "
                     << values->size() << " values";
    return failure();
  }
  return std::optional<int64_t>(values->front());
}

/// Emits an error unless `input` has a static trailing dimension of 1 (real)
/// or 2 (complex) and static dimensions at `staticDims`.
LogicalResult checkSignalType(NodeContext &node, RankedTensorType type,
                              StringRef what, ArrayRef<int64_t> staticDims) {
  if (type.getRank() < 2 || type.isDynamicDim(type.getRank() - 1) ||
      (type.getDimSize(type.getRank() - 1) != 1 &&
       type.getDimSize(type.getRank() - 1) != 2)) {
    node.emitError() << what
                     << " must end in a dimension of 1 (real) or 2 (real "
                        "and imaginary parts), got "
                     << type;
    return failure();
  }
  if (!isa<FloatType>(type.getElementType())) {
    node.emitError() << what << " must hold floats, got " << type;
    return failure();
  }
  for (int64_t dim : staticDims) {
    if (type.isDynamicDim(dim)) {
      node.emitError() << "dimension " << dim << " of the " << what
                       << " must be static (it is the transformed axis), got "
                       << type;
      return failure();
    }
  }
  return success();
}

/// DFT (opset 17: axis attribute, default 1; opset 20: axis input, default
/// -2). inverse, onesided (forward: the first L/2 + 1 bins; inverse: IRFFT,
/// a one-sided spectrum to a real signal) and dft_length (zero padding or
/// truncation) as in the ONNX reference; dft_length and axis must be
/// constants.
LogicalResult convertDft(NodeContext &node) {
  bool axisIsInput = node.getOpsetVersion() >= 20;
  if (failed(node.checkNumInputs(1, axisIsInput ? 3 : 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  if (failed(checkSignalType(node, type, "input", {})))
    return failure();
  int64_t rank = type.getRank();

  int64_t axis = node.getIntAttr("axis", 1);
  if (axisIsInput) {
    FailureOr<std::optional<int64_t>> axisInput =
        getOptionalScalar(node, 2, "axis");
    if (failed(axisInput))
      return failure();
    axis = axisInput->value_or(-2);
  }
  FailureOr<int64_t> normalized = node.normalizeAxis(axis, rank);
  if (failed(normalized))
    return failure();
  if (*normalized == rank - 1) {
    node.emitError() << "axis " << axis << " is the last dimension, which "
                     << "holds the real and imaginary parts; the DFT axis "
                        "must be one of the signal dimensions";
    return failure();
  }
  axis = *normalized;
  if (failed(checkSignalType(node, type, "input", {axis})))
    return failure();

  TwiddlePlan plan;
  plan.inverse = node.getIntAttr("inverse", 0) != 0;
  bool onesided = node.getIntAttr("onesided", 0) != 0;
  plan.halfSpectrumInverse = plan.inverse && onesided;
  plan.inputChannels = type.getDimSize(rank - 1);
  int64_t axisSize = type.getDimSize(axis);
  FailureOr<std::optional<int64_t>> dftLength =
      getOptionalScalar(node, 1, "dft_length");
  if (failed(dftLength))
    return failure();
  plan.length = dftLength->value_or(
      plan.halfSpectrumInverse ? 2 * (axisSize - 1) : axisSize);
  if (plan.length < 1) {
    node.emitError() << "dft_length must be positive, got " << plan.length;
    return failure();
  }
  if (plan.halfSpectrumInverse) {
    // IRFFT reads bins 0..L/2 (the rest are their conjugates).
    plan.inputCount = std::min(axisSize, plan.length / 2 + 1);
    plan.outputCount = plan.length;
    plan.outputChannels = 1;
  } else {
    plan.inputCount = std::min(axisSize, plan.length);
    plan.outputCount = onesided ? plan.length / 2 + 1 : plan.length;
  }
  if (failed(checkTwiddleSize(node, plan)))
    return failure();

  // The axis moves next to the complex dimension and back.
  SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  permutation.erase(permutation.begin() + axis);
  permutation.insert(permutation.end() - 1, axis);
  bool moved = axis != rank - 2;
  Expr signal = *input;
  if (plan.inputCount < axisSize)
    signal = sliceAxis(node, signal, axis, 0, plan.inputCount);
  if (moved && succeeded(signal))
    signal = node.create<mllm::TransposeOp>(*signal, permutation);
  if (failed(signal))
    return failure();
  Expr result = applyTwiddles(node, *signal, plan);
  if (!moved || failed(result))
    return node.setResult(result);
  SmallVector<int64_t> inverse(rank);
  for (auto [position, dim] : llvm::enumerate(permutation))
    inverse[dim] = position;
  return node.setResult(node.create<mllm::TransposeOp>(*result, inverse));
}

/// STFT (opset 17): frames of frame_length samples every frame_step samples
/// of a [batch, length, 1 or 2] signal, each multiplied by the window and
/// transformed ([batch, frames, bins, 2]). frame_step and frame_length must
/// be constants; a constant window is folded into the twiddle matrix, a
/// run-time one multiplies the frames.
LogicalResult convertStft(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 4)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  if (type.getRank() != 3) {
    node.emitError() << "signal must be [batch, length, 1 or 2], got " << type;
    return failure();
  }
  if (failed(checkSignalType(node, type, "signal", {1})))
    return failure();
  FailureOr<std::optional<int64_t>> frameStep =
      getOptionalScalar(node, 1, "frame_step");
  FailureOr<std::optional<int64_t>> frameLength =
      getOptionalScalar(node, 3, "frame_length");
  if (failed(frameStep) || failed(frameLength))
    return failure();
  if (!*frameStep) {
    node.emitError() << "input 'frame_step' is required";
    return failure();
  }
  int64_t step = **frameStep;
  int64_t signalLength = type.getDimSize(1);

  Value window = node.getInput(2);
  int64_t length = frameLength->value_or(signalLength);
  if (window) {
    RankedTensorType windowType = NodeContext::getType(window);
    if (windowType.getRank() != 1 || windowType.isDynamicDim(0) ||
        windowType.getElementType() != type.getElementType()) {
      node.emitError() << "window must be a 1-D tensor of static size and "
                          "the signal's element type, got "
                       << windowType;
      return failure();
    }
    if (*frameLength && windowType.getDimSize(0) != length) {
      node.emitError() << "the window has " << windowType.getDimSize(0)
                       << " samples but frame_length is " << length;
      return failure();
    }
    length = windowType.getDimSize(0);
  }
  if (step < 1 || length < 1 || length > signalLength) {
    node.emitError() << "frame_step (" << step << ") and frame_length ("
                     << length << ") must be positive, and frame_length at "
                     << "most the signal length (" << signalLength << ")";
    return failure();
  }

  TwiddlePlan plan;
  plan.length = length;
  plan.inputCount = length;
  plan.inputChannels = type.getDimSize(2);
  plan.outputCount = node.getIntAttr("onesided", 1) ? length / 2 + 1 : length;
  if (failed(checkTwiddleSize(node, plan)))
    return failure();

  // frames[b, f, n] = signal[b, f * step + n]: one gather with constant
  // indices.
  int64_t numFrames = (signalLength - length) / step + 1;
  SmallVector<int64_t> indices;
  for (int64_t f = 0; f < numFrames; ++f)
    for (int64_t n = 0; n < length; ++n)
      indices.push_back(f * step + n);
  auto indicesType = RankedTensorType::get({numFrames, length},
                                           node.getBuilder().getI64Type());
  Value indicesValue = node.createConstant(
      DenseElementsAttr::get(indicesType, ArrayRef(indices)));
  Expr frames = node.create<mllm::GatherOp>(*input, indicesValue, /*axis=*/1);

  std::optional<SmallVector<double>> windowValues;
  if (window) {
    windowValues = signal::doublesFromElements(node.getConstantInput(2));
    if (!windowValues) {
      Expr column = node.createWithType<mllm::ReshapeOp>(
          RankedTensorType::get({length, 1}, type.getElementType()), window);
      frames = binary<mllm::MulOp>(node, frames, column);
    }
  }
  if (failed(frames))
    return failure();
  return node.setResult(applyTwiddles(
      node, *frames, plan,
      windowValues ? ArrayRef<double>(*windowValues) : ArrayRef<double>()));
}

} // namespace

void mllmc::onnx_frontend::registerSignalTransformOps(OpRegistry &registry) {
  registry.add("DFT", 17, convertDft,
               "a matmul against a constant twiddle matrix (L^2 memory, up "
               "to 2^25 elements); axis (attribute, or input since 20) and "
               "dft_length constants; inverse, onesided (RFFT, IRFFT)");
  registry.add("STFT", 17, convertStft,
               "frames gathered with constant indices, then a matmul with the "
               "window folded into the twiddles; frame_step and "
               "frame_length constants");
}
