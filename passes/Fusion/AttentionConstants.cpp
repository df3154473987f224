//===- AttentionConstants.cpp - Constants around attention ----------------===//

#include "passes/Fusion/AttentionConstants.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mllmc;
using namespace mllmc::attention;

bool ConstantTensor::isSplat() const {
  return llvm::all_of(values, [&](double v) {
    return v == values.front() || (std::isnan(v) && std::isnan(values[0]));
  });
}

//===----------------------------------------------------------------------===//
// Constant evaluation
//===----------------------------------------------------------------------===//

namespace {

/// Rounds `value` to the precision of the float type `type`.
double roundToFloatType(double value, FloatType type) {
  APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  rounded.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  return rounded.convertToDouble();
}

/// Converts `value` to the element type `type` as mllm.cast does.
double castTo(double value, Type type) {
  if (type.isInteger(1))
    return value != 0.0 ? 1.0 : 0.0;
  if (isa<IntegerType>(type))
    return std::trunc(value);
  return roundToFloatType(value, cast<FloatType>(type));
}

double toDouble(const APFloat &value) {
  APFloat copy = value;
  bool losesInfo = false;
  copy.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return copy.convertToDouble();
}

/// The elements of a constant attribute, or nullopt for an unsupported
/// storage or element type.
std::optional<std::vector<double>> readElements(ElementsAttr attr) {
  Type elementType = attr.getElementType();
  std::vector<double> values;
  values.reserve(attr.getNumElements());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (isa<FloatType>(elementType)) {
      for (const APFloat &v : dense.getValues<APFloat>())
        values.push_back(toDouble(v));
      return values;
    }
    if (elementType.isInteger(1)) {
      for (bool v : dense.getValues<bool>())
        values.push_back(v ? 1.0 : 0.0);
      return values;
    }
    if (isa<IntegerType>(elementType)) {
      for (const APInt &v : dense.getValues<APInt>())
        values.push_back(static_cast<double>(v.getSExtValue()));
      return values;
    }
    return std::nullopt;
  }
  // A resource blob holds little-endian elements of the type's width (bools
  // one byte each).
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || !resource.getRawHandle().getBlob())
    return std::nullopt;
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  unsigned width = elementType.getIntOrFloatBitWidth();
  size_t bytes = elementType.isInteger(1) ? 1 : width / 8;
  if (bytes == 0 || data.size() != bytes * attr.getNumElements())
    return std::nullopt;
  for (size_t offset = 0; offset < data.size(); offset += bytes) {
    uint64_t raw = 0;
    std::memcpy(&raw, data.data() + offset, bytes);
    if (auto floatType = dyn_cast<FloatType>(elementType)) {
      values.push_back(
          toDouble(APFloat(floatType.getFloatSemantics(), APInt(width, raw))));
    } else if (elementType.isInteger(1)) {
      values.push_back(raw != 0 ? 1.0 : 0.0);
    } else if (isa<IntegerType>(elementType)) {
      values.push_back(static_cast<double>(APInt(width, raw).getSExtValue()));
    } else {
      return std::nullopt;
    }
  }
  return values;
}

/// Row-major strides of `shape`.
SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Calls `fn(outputIndex, multiIndex)` for every element of `shape`.
void forEachIndex(ArrayRef<int64_t> shape,
                  function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  int64_t count = ShapedType::getNumElements(shape);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < count; ++linear) {
    fn(linear, index);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Evaluates mllm ops on constants, remembering what it computed.
class Evaluator {
public:
  std::optional<ConstantTensor> evaluate(Value value, int depth = 0) {
    auto it = cache.find(value);
    if (it != cache.end())
      return it->second;
    std::optional<ConstantTensor> result = compute(value, depth);
    cache[value] = result;
    return result;
  }

private:
  static constexpr int kMaxDepth = 64;

  std::optional<ConstantTensor> compute(Value value, int depth) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    Operation *op = value.getDefiningOp();
    if (!op || !type || !type.hasStaticShape() || depth > kMaxDepth ||
        type.getNumElements() > kMaxEvaluatedElements)
      return std::nullopt;
    SmallVector<ConstantTensor> operands;
    if (!isa<mllm::ConstantOp>(op)) {
      for (Value operand : op->getOperands()) {
        std::optional<ConstantTensor> evaluated = evaluate(operand, depth + 1);
        if (!evaluated)
          return std::nullopt;
        operands.push_back(std::move(*evaluated));
      }
    }
    ConstantTensor result;
    result.shape.assign(type.getShape().begin(), type.getShape().end());
    Type elementType = type.getElementType();
    bool isInteger = isa<IntegerType>(elementType);
    auto binary = [&](function_ref<double(double, double)> fn) {
      return elementwise(operands, result,
                         [&](ArrayRef<double> x) { return fn(x[0], x[1]); });
    };
    auto unary = [&](function_ref<double(double)> fn) {
      return elementwise(operands, result,
                         [&](ArrayRef<double> x) { return fn(x[0]); });
    };
    return llvm::TypeSwitch<Operation *, std::optional<ConstantTensor>>(op)
        .Case([&](mllm::ConstantOp constant) -> std::optional<ConstantTensor> {
          std::optional<std::vector<double>> values =
              readElements(constant.getValue());
          if (!values)
            return std::nullopt;
          result.values = std::move(*values);
          return result;
        })
        .Case([&](mllm::CastOp) {
          return unary([&](double x) { return castTo(x, elementType); });
        })
        .Case([&](mllm::ReshapeOp) -> std::optional<ConstantTensor> {
          result.values = std::move(operands[0].values);
          return result;
        })
        .Case([&](mllm::TransposeOp transpose) {
          return permute(operands[0], transpose.getPermutation(), result);
        })
        .Case([&](mllm::SliceOp slice) {
          return this->slice(operands[0], slice.getStarts(), slice.getSteps(),
                             result);
        })
        .Case([&](mllm::ConcatOp concat) {
          return this->concat(operands, concat.getAxis(), result);
        })
        .Case([&](mllm::GatherOp gather) {
          return this->gather(operands[0], operands[1], gather.getAxis(),
                              result);
        })
        .Case([&](mllm::NegOp) { return unary([](double x) { return -x; }); })
        .Case([&](mllm::NotOp) {
          return unary([](double x) { return x == 0.0 ? 1.0 : 0.0; });
        })
        .Case([&](mllm::SqrtOp) {
          return unary([&](double x) {
            return roundToFloatType(std::sqrt(x), cast<FloatType>(elementType));
          });
        })
        .Case([&](mllm::RsqrtOp) {
          return unary([&](double x) {
            return roundToFloatType(1.0 / std::sqrt(x),
                                    cast<FloatType>(elementType));
          });
        })
        .Case([&](mllm::ReciprocalOp) {
          return unary([&](double x) {
            return roundToFloatType(1.0 / x, cast<FloatType>(elementType));
          });
        })
        .Case([&](mllm::AddOp) {
          return binary([&](double a, double b) { return a + b; });
        })
        .Case([&](mllm::SubOp) {
          return binary([&](double a, double b) { return a - b; });
        })
        .Case([&](mllm::MulOp) {
          return binary([&](double a, double b) { return a * b; });
        })
        .Case([&](mllm::DivOp) -> std::optional<ConstantTensor> {
          if (isInteger && llvm::is_contained(operands[1].values, 0.0))
            return std::nullopt;
          return binary([&](double a, double b) {
            return isInteger ? std::trunc(a / b) : a / b;
          });
        })
        .Case([&](mllm::PowOp) {
          return binary([&](double a, double b) { return std::pow(a, b); });
        })
        .Case([&](mllm::MaxOp) {
          return binary([](double a, double b) {
            return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
          });
        })
        .Case([&](mllm::MinOp) {
          return binary([](double a, double b) {
            return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
          });
        })
        .Case([&](mllm::AndOp) {
          return binary([](double a, double b) {
            return a != 0.0 && b != 0.0 ? 1.0 : 0.0;
          });
        })
        .Case([&](mllm::OrOp) {
          return binary([](double a, double b) {
            return a != 0.0 || b != 0.0 ? 1.0 : 0.0;
          });
        })
        .Case([&](mllm::CmpOp cmp) {
          mllm::CmpPredicate predicate = cmp.getPredicate();
          return binary([predicate](double a, double b) {
            bool r = false;
            switch (predicate) {
            case mllm::CmpPredicate::eq:
              r = a == b;
              break;
            case mllm::CmpPredicate::ne:
              r = a != b;
              break;
            case mllm::CmpPredicate::lt:
              r = a < b;
              break;
            case mllm::CmpPredicate::le:
              r = a <= b;
              break;
            case mllm::CmpPredicate::gt:
              r = a > b;
              break;
            case mllm::CmpPredicate::ge:
              r = a >= b;
              break;
            }
            return r ? 1.0 : 0.0;
          });
        })
        .Case([&](mllm::SelectOp) {
          return elementwise(operands, result, [](ArrayRef<double> x) {
            return x[0] != 0.0 ? x[1] : x[2];
          });
        })
        .Default([](Operation *) { return std::nullopt; });
  }

  /// Broadcasting elementwise `fn` of `operands` into `result` (whose shape
  /// is set).
  static std::optional<ConstantTensor>
  elementwise(ArrayRef<ConstantTensor> operands, ConstantTensor &result,
              function_ref<double(ArrayRef<double>)> fn) {
    int64_t rank = result.shape.size();
    SmallVector<SmallVector<int64_t>> strides;
    for (const ConstantTensor &operand : operands) {
      int64_t offset = rank - int64_t(operand.shape.size());
      if (offset < 0)
        return std::nullopt;
      SmallVector<int64_t> own = getStrides(operand.shape);
      SmallVector<int64_t> aligned(rank, 0);
      for (auto [d, dim] : llvm::enumerate(operand.shape)) {
        if (dim != 1 && dim != result.shape[offset + d])
          return std::nullopt;
        aligned[offset + d] = dim == 1 ? 0 : own[d];
      }
      strides.push_back(std::move(aligned));
    }
    result.values.resize(ShapedType::getNumElements(result.shape));
    SmallVector<double> args(operands.size());
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      for (auto [i, operand] : llvm::enumerate(operands)) {
        int64_t at = 0;
        for (int64_t d = 0; d < rank; ++d)
          at += index[d] * strides[i][d];
        args[i] = operand.values[at];
      }
      result.values[linear] = fn(args);
    });
    return result;
  }

  static std::optional<ConstantTensor> permute(const ConstantTensor &input,
                                               ArrayRef<int64_t> permutation,
                                               ConstantTensor &result) {
    SmallVector<int64_t> strides = getStrides(input.shape);
    result.values.resize(input.values.size());
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t at = 0;
      for (auto [d, source] : llvm::enumerate(permutation))
        at += index[d] * strides[source];
      result.values[linear] = input.values[at];
    });
    return result;
  }

  static std::optional<ConstantTensor> slice(const ConstantTensor &input,
                                             ArrayRef<int64_t> starts,
                                             ArrayRef<int64_t> steps,
                                             ConstantTensor &result) {
    SmallVector<int64_t> strides = getStrides(input.shape);
    result.values.resize(ShapedType::getNumElements(result.shape));
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t at = 0;
      for (size_t d = 0; d < index.size(); ++d)
        at += (starts[d] + index[d] * steps[d]) * strides[d];
      result.values[linear] = input.values[at];
    });
    return result;
  }

  /// result[i.., j.., k..] = data[i.., indices[j..], k..] (negative indices
  /// count from the end).
  static std::optional<ConstantTensor> gather(const ConstantTensor &data,
                                              const ConstantTensor &indices,
                                              int64_t axis,
                                              ConstantTensor &result) {
    SmallVector<int64_t> strides = getStrides(data.shape);
    SmallVector<int64_t> indexStrides = getStrides(indices.shape);
    int64_t indexRank = indices.shape.size();
    int64_t size = data.shape[axis];
    result.values.resize(ShapedType::getNumElements(result.shape));
    bool inBounds = true;
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t at = 0;
      for (int64_t d = 0; d < axis; ++d)
        at += index[d] * strides[d];
      int64_t which = 0;
      for (int64_t d = 0; d < indexRank; ++d)
        which += index[axis + d] * indexStrides[d];
      int64_t i = static_cast<int64_t>(indices.values[which]);
      if (i < 0)
        i += size;
      inBounds &= i >= 0 && i < size;
      at += std::clamp<int64_t>(i, 0, size - 1) * strides[axis];
      for (int64_t d = axis + 1; d < int64_t(data.shape.size()); ++d)
        at += index[d + indexRank - 1] * strides[d];
      result.values[linear] = data.values[at];
    });
    if (!inBounds)
      return std::nullopt;
    return result;
  }

  static std::optional<ConstantTensor> concat(ArrayRef<ConstantTensor> inputs,
                                              int64_t axis,
                                              ConstantTensor &result) {
    result.values.resize(ShapedType::getNumElements(result.shape));
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t position = index[axis];
      for (const ConstantTensor &input : inputs) {
        if (position >= input.shape[axis]) {
          position -= input.shape[axis];
          continue;
        }
        SmallVector<int64_t> strides = getStrides(input.shape);
        int64_t at = 0;
        for (size_t d = 0; d < index.size(); ++d)
          at += (int64_t(d) == axis ? position : index[d]) * strides[d];
        result.values[linear] = input.values[at];
        return;
      }
    });
    return result;
  }

  llvm::DenseMap<Value, std::optional<ConstantTensor>> cache;
};

} // namespace

std::optional<ConstantTensor> attention::evaluateConstant(Value value) {
  return Evaluator().evaluate(value);
}

std::optional<double> attention::getSplatConstant(Value value) {
  // A splat attribute needs no evaluation (and may be larger than the
  // evaluator's limit).
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat()) {
    if (isa<FloatType>(dense.getElementType()))
      return toDouble(dense.getSplatValue<APFloat>());
    if (dense.getElementType().isInteger(1))
      return dense.getSplatValue<bool>() ? 1.0 : 0.0;
    if (isa<IntegerType>(dense.getElementType()))
      return static_cast<double>(dense.getSplatValue<APInt>().getSExtValue());
    return std::nullopt;
  }
  std::optional<ConstantTensor> tensor = evaluateConstant(value);
  if (!tensor || tensor->values.empty() || !tensor->isSplat())
    return std::nullopt;
  return tensor->values.front();
}

std::optional<std::pair<Value, double>> attention::matchScaling(Operation *op) {
  if (!op || !isa<mllm::MulOp, mllm::DivOp>(op))
    return std::nullopt;
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  Type resultType = op->getResult(0).getType();
  if (isa<mllm::DivOp>(op)) {
    std::optional<double> divisor = getSplatConstant(rhs);
    if (!divisor || *divisor == 0.0 || lhs.getType() != resultType)
      return std::nullopt;
    return std::make_pair(lhs, 1.0 / *divisor);
  }
  for (auto [x, c] : {std::make_pair(lhs, rhs), std::make_pair(rhs, lhs)}) {
    std::optional<double> factor = getSplatConstant(c);
    if (factor && x.getType() == resultType)
      return std::make_pair(x, *factor);
  }
  return std::nullopt;
}
