//===- GridSample.cpp - GridSample (2-D) ----------------------------------===//
//
// GridSample reads X [N, C, H, W] at the points of grid [N, Ho, Wo, 2]
// (x, y in [-1, 1]) as the ONNX reference does: each coordinate is
// denormalized (align_corners or not), rounded half to even for nearest,
// clamped (border) or reflected (reflection) when it lies outside the
// borders, and the taps around it (1, 2 or 4 per axis for nearest, linear,
// cubic with a = -0.75) are read with mllm.gather_elements on X flattened to
// [N, C, H * W] and summed with their weights; a tap outside the image reads
// 0 (zeros), the nearest edge pixel (border) or its reflection
// (reflection).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

enum class Padding { Zeros, Border, Reflection };

/// The elementwise helpers of one node, over values of one float type.
struct Ops {
  NodeContext &node;

  Expr c(Expr like, double value) { return scalar(node, like, value); }
  Expr add(Expr a, Expr b) { return binary<mllm::AddOp>(node, a, b); }
  Expr sub(Expr a, Expr b) { return binary<mllm::SubOp>(node, a, b); }
  Expr mul(Expr a, Expr b) { return binary<mllm::MulOp>(node, a, b); }
  Expr div(Expr a, Expr b) { return binary<mllm::DivOp>(node, a, b); }
  Expr floor(Expr a) { return unary<mllm::FloorOp>(node, a); }
  Expr clamp(Expr a, double lo, double hi) {
    return binary<mllm::MinOp>(node, binary<mllm::MaxOp>(node, a, c(a, lo)),
                               c(a, hi));
  }
  Expr lt(Expr a, Expr b) { return cmp(node, mllm::CmpPredicate::lt, a, b); }

  /// The reference's _gs_reflect: v reflected by the nearer border until it
  /// lies in [lo, hi].
  Expr reflect(Expr v, double lo, double hi) {
    double range = hi - lo;
    auto side = [&](Expr distance, double near, double far, double sign) {
      Expr folds = floor(div(distance, c(distance, range)));
      Expr rest = sub(distance, mul(folds, c(distance, range)));
      Expr half = mul(folds, c(folds, 0.5));
      Expr even = cmp(node, mllm::CmpPredicate::eq, floor(half), half);
      return select(node, even, add(c(rest, near), mul(rest, c(rest, sign))),
                    sub(c(rest, far), mul(rest, c(rest, sign))));
    };
    Expr below = side(sub(c(v, lo), v), lo, hi, 1.0);
    Expr above = side(sub(v, c(v, hi)), hi, lo, -1.0);
    return select(node, lt(v, c(v, lo)), below,
                  select(node, lt(c(v, hi), v), above, v));
  }
};

/// A tap along one axis: its (float, integral) position and weight.
struct Tap {
  Expr position;
  Expr weight;
};

/// The taps of coordinate `x` along an axis: nearest (x itself), linear
/// (floor and floor + 1) or cubic (floor - 1 .. floor + 2, Keys a = -0.75).
SmallVector<Tap> getTaps(Ops &b, Expr x, StringRef mode) {
  if (mode == "nearest")
    return {{x, b.c(x, 1.0)}};
  Expr base = b.floor(x);
  Expr t = b.sub(x, base);
  if (mode == "linear")
    return {{base, b.sub(b.c(t, 1.0), t)}, {b.add(base, b.c(base, 1.0)), t}};
  constexpr double a = -0.75;
  // The reference's coefficients at distances 1 + t, t, 1 - t, 2 - t.
  auto far = [&](Expr d) {
    return b.sub(
        b.mul(b.add(b.mul(b.sub(b.mul(b.c(d, a), d), b.c(d, 5 * a)), d),
                    b.c(d, 8 * a)),
              d),
        b.c(d, 4 * a));
  };
  auto near = [&](Expr d) {
    return b.add(
        b.mul(b.mul(b.sub(b.mul(b.c(d, a + 2), d), b.c(d, a + 3)), d), d),
        b.c(d, 1.0));
  };
  Expr one = b.c(t, 1.0);
  SmallVector<Tap> taps;
  Expr distances[4] = {b.add(one, t), t, b.sub(one, t), b.sub(b.c(t, 2.0), t)};
  for (int k = 0; k < 4; ++k) {
    Expr weight = (k == 0 || k == 3) ? far(distances[k]) : near(distances[k]);
    taps.push_back({b.add(base, b.c(base, k - 1)), weight});
  }
  return taps;
}

LogicalResult convertGridSample(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> grid = node.getRequiredInput(1);
  if (failed(input) || failed(grid))
    return failure();
  RankedTensorType type = NodeContext::getType(*input);
  RankedTensorType gridType = NodeContext::getType(*grid);
  if (type.getRank() != 4 || !type.hasStaticShape() ||
      gridType.getRank() != 4 || !gridType.hasStaticShape() ||
      gridType.getDimSize(3) != 2 ||
      gridType.getDimSize(0) != type.getDimSize(0)) {
    node.emitError() << "only 2-D sampling is supported: X must be a static "
                        "[N, C, H, W] and grid a static [N, Ho, Wo, 2], got "
                     << type << " and " << gridType;
    return failure();
  }
  if (!isa<FloatType>(type.getElementType()) ||
      gridType.getElementType() != type.getElementType()) {
    node.emitError() << "X and grid must have the same float type, got " << type
                     << " and " << gridType;
    return failure();
  }
  std::string mode = node.getStringAttr("mode", "linear");
  if (mode == "bilinear")
    mode = "linear";
  if (mode == "bicubic")
    mode = "cubic";
  if (mode != "linear" && mode != "nearest" && mode != "cubic") {
    node.emitError() << "mode '" << mode
                     << "' is not supported; expected linear (bilinear), "
                        "nearest or cubic (bicubic)";
    return failure();
  }
  std::string paddingName = node.getStringAttr("padding_mode", "zeros");
  Padding padding;
  if (paddingName == "zeros")
    padding = Padding::Zeros;
  else if (paddingName == "border")
    padding = Padding::Border;
  else if (paddingName == "reflection")
    padding = Padding::Reflection;
  else {
    node.emitError() << "padding_mode '" << paddingName
                     << "' is not supported; expected zeros, border or "
                        "reflection";
    return failure();
  }
  bool alignCorners = node.getIntAttr("align_corners", 0) != 0;

  int64_t n = type.getDimSize(0), channels = type.getDimSize(1);
  int64_t height = type.getDimSize(2), width = type.getDimSize(3);
  int64_t outHeight = gridType.getDimSize(1), outWidth = gridType.getDimSize(2);
  int64_t points = outHeight * outWidth;
  Type elementType = type.getElementType();
  Type i64 = node.getBuilder().getI64Type();
  Ops b{node};

  // The coordinate of each point along one axis, [N, 1, points], with the
  // reference's denormalization, rounding and coordinate padding.
  auto coordinate = [&](int64_t component, int64_t size) -> Expr {
    Expr g = sliceAxis(node, *grid, 3, component, component + 1);
    if (failed(g))
      return failure();
    Expr x = node.createWithType<mllm::ReshapeOp>(
        RankedTensorType::get({n, 1, points}, elementType), *g);
    Expr one = b.c(x, 1.0);
    x = alignCorners ? b.mul(b.add(x, one), b.c(x, 0.5 * (size - 1)))
                     : b.mul(b.sub(b.mul(b.add(x, one), b.c(x, size)), one),
                             b.c(x, 0.5));
    if (mode == "nearest")
      x = unary<mllm::RoundOp>(node, x);
    double lo = alignCorners ? 0.0 : -0.5;
    double hi = alignCorners ? size - 1.0 : size - 0.5;
    if (padding == Padding::Border) {
      Expr outside =
          binary<mllm::OrOp>(node, b.lt(x, b.c(x, lo)), b.lt(b.c(x, hi), x));
      x = select(node, outside, b.clamp(x, 0, size - 1), x);
    } else if (padding == Padding::Reflection) {
      x = b.reflect(x, lo, hi);
    }
    return x;
  };
  // A tap's index along an axis (integral, in range) and, for zeros padding,
  // whether it lies inside the image.
  auto tapIndex = [&](Expr position, int64_t size, Expr &inside) -> Expr {
    if (padding == Padding::Zeros)
      inside = binary<mllm::AndOp>(
          node, cmp(node, mllm::CmpPredicate::ge, position, b.c(position, 0.0)),
          b.lt(position, b.c(position, size)));
    else if (padding == Padding::Reflection) {
      double lo = alignCorners ? 0.0 : -0.5;
      double hi = alignCorners ? size - 1.0 : size - 0.5;
      // int() of the reflected position truncates toward zero.
      Expr reflected = b.reflect(position, lo, hi);
      Expr negative = b.lt(reflected, b.c(reflected, 0.0));
      position = select(node, negative, unary<mllm::CeilOp>(node, reflected),
                        b.floor(reflected));
    }
    return b.clamp(position, 0, size - 1);
  };

  Expr x = coordinate(0, width);
  Expr y = coordinate(1, height);
  if (failed(x) || failed(y))
    return failure();
  SmallVector<Tap> xTaps = getTaps(b, x, mode);
  SmallVector<Tap> yTaps = getTaps(b, y, mode);

  Expr flat = node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get({n, channels, height * width}, elementType),
      *input);
  // Indices broadcast over the channels.
  Value channelZeros = node.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({1, channels, 1}, i64), int64_t(0)));
  Value sum;
  for (Tap &yTap : yTaps) {
    Expr yInside;
    Expr row = tapIndex(yTap.position, height, yInside);
    for (Tap &xTap : xTaps) {
      Expr xInside;
      Expr column = tapIndex(xTap.position, width, xInside);
      Expr index = b.add(b.mul(row, b.c(row, width)), column);
      if (failed(index))
        return failure();
      Expr indices = node.createWithType<mllm::CastOp>(
          NodeContext::getType(*index).clone(i64), *index);
      indices = binary<mllm::AddOp>(node, indices, channelZeros);
      if (failed(indices) || failed(flat))
        return failure();
      Expr values = node.create<mllm::GatherElementsOp>(*flat, *indices,
                                                        /*axis=*/2);
      Expr weight = b.mul(yTap.weight, xTap.weight);
      if (padding == Padding::Zeros)
        weight = select(node, binary<mllm::AndOp>(node, yInside, xInside),
                        weight, b.c(weight, 0.0));
      Expr term = b.mul(values, weight);
      Expr next = sum ? b.add(sum, term) : term;
      if (failed(next))
        return failure();
      sum = *next;
    }
  }
  return node.setResult(node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get({n, channels, outHeight, outWidth}, elementType),
      sum));
}

} // namespace

void mllmc::onnx_frontend::registerGridSampleOps(OpRegistry &registry) {
  registry.add("GridSample", 16, convertGridSample,
               "2-D, static shapes; linear/bilinear, nearest, cubic/bicubic; "
               "zeros, border, reflection; taps read with gather_elements");
}
