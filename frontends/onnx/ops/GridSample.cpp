//===- GridSample.cpp - GridSample ----------------------------------------===//
//
// GridSample reads X [N, C, D1, ..., Dr] at the points of grid
// [N, O1, ..., Or, r] (coordinates in [-1, 1], x first) as the ONNX
// reference does: each coordinate is denormalized (align_corners or not),
// rounded half to even for nearest, clamped (border) or reflected
// (reflection) when it lies outside the borders, and the taps around it (1,
// 2 or 4 per axis for nearest, linear, cubic with a = -0.75) are read with
// mllm.gather_elements on X flattened to [N, C, D1 * ... * Dr] and summed
// with their weights; a tap outside the image reads 0 (zeros), the nearest
// edge pixel (border) or its reflection (reflection).
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
  int64_t spatialRank = type.getRank() - 2;
  if (spatialRank < 1 || !type.hasStaticShape() ||
      gridType.getRank() != type.getRank() || !gridType.hasStaticShape() ||
      gridType.getDimSize(spatialRank + 1) != spatialRank ||
      gridType.getDimSize(0) != type.getDimSize(0)) {
    node.emitError() << "X must be a static [N, C, D1, ..., Dr] and grid a "
                        "static [N, O1, ..., Or, r], got "
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
  ArrayRef<int64_t> sizes = type.getShape().drop_front(2);
  ArrayRef<int64_t> outSizes = gridType.getShape().slice(1, spatialRank);
  int64_t points = 1, elements = 1;
  for (int64_t d = 0; d < spatialRank; ++d) {
    points *= outSizes[d];
    elements *= sizes[d];
  }
  Type elementType = type.getElementType();
  Type i64 = node.getBuilder().getI64Type();
  Ops b{node};

  // The coordinate of each point along one axis, [N, 1, points], with the
  // reference's denormalization, rounding and coordinate padding.
  auto coordinate = [&](int64_t component, int64_t size) -> Expr {
    Expr g = sliceAxis(node, *grid, spatialRank + 1, component, component + 1);
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

  Expr flat = node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get({n, channels, elements}, elementType), *input);
  if (failed(flat))
    return failure();

  // Per spatial axis d (grid component r - 1 - d: x is the last axis), the
  // taps with their index scaled by the axis' stride in `flat`.
  struct AxisTap {
    Expr offset;
    Expr weight;
    Expr inside;
  };
  SmallVector<SmallVector<AxisTap>> axisTaps(spatialRank);
  int64_t stride = elements;
  for (int64_t d = 0; d < spatialRank; ++d) {
    stride /= sizes[d];
    Expr position = coordinate(spatialRank - 1 - d, sizes[d]);
    if (failed(position))
      return failure();
    for (Tap &tap : getTaps(b, position, mode)) {
      AxisTap axisTap;
      Expr index = tapIndex(tap.position, sizes[d], axisTap.inside);
      axisTap.offset = b.mul(index, b.c(index, stride));
      axisTap.weight = tap.weight;
      axisTaps[d].push_back(axisTap);
    }
  }

  // Indices broadcast over the channels.
  Value channelZeros = node.createConstant(DenseElementsAttr::get(
      RankedTensorType::get({1, channels, 1}, i64), int64_t(0)));
  Value sum;
  // Every combination of one tap per axis, as an odometer.
  SmallVector<size_t> choice(spatialRank, 0);
  while (true) {
    Expr index = axisTaps[0][choice[0]].offset;
    Expr weight = axisTaps[0][choice[0]].weight;
    Expr inside = axisTaps[0][choice[0]].inside;
    for (int64_t d = 1; d < spatialRank; ++d) {
      const AxisTap &tap = axisTaps[d][choice[d]];
      index = b.add(index, tap.offset);
      weight = b.mul(weight, tap.weight);
      if (padding == Padding::Zeros)
        inside = binary<mllm::AndOp>(node, inside, tap.inside);
    }
    if (failed(index))
      return failure();
    Expr indices = node.createWithType<mllm::CastOp>(
        NodeContext::getType(*index).clone(i64), *index);
    indices = binary<mllm::AddOp>(node, indices, channelZeros);
    if (failed(indices))
      return failure();
    Expr values =
        node.create<mllm::GatherElementsOp>(*flat, *indices, /*axis=*/2);
    if (padding == Padding::Zeros)
      weight = select(node, inside, weight, b.c(weight, 0.0));
    Expr term = b.mul(values, weight);
    Expr next = sum ? b.add(sum, term) : term;
    if (failed(next))
      return failure();
    sum = *next;

    int64_t d = spatialRank - 1;
    while (d >= 0 && ++choice[d] == axisTaps[d].size())
      choice[d--] = 0;
    if (d < 0)
      break;
  }
  SmallVector<int64_t> resultShape{n, channels};
  resultShape.append(outSizes.begin(), outSizes.end());
  return node.setResult(node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get(resultShape, elementType), sum));
}

} // namespace

void mllmc::onnx_frontend::registerGridSampleOps(OpRegistry &registry) {
  registry.add("GridSample", 16, convertGridSample,
               "N-D, static shapes; linear/bilinear, nearest, cubic/bicubic; "
               "zeros, border, reflection; taps read with gather_elements");
}
