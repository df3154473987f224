//===- InputBindings.cpp - Graph inputs fixed at compile time -------------===//

#include "frontends/onnx/InputBindings.h"

#include "frontends/onnx/Tensors.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"

#include <limits>

using namespace mlir;
using namespace mllmc::onnx_frontend;

FailureOr<InputBinding>
mllmc::onnx_frontend::parseInputBinding(StringRef text, std::string &error) {
  auto [name, values] = text.split('=');
  if (name.empty() || !text.contains('=')) {
    error = "expected NAME=V0,V1,... in '" + text.str() + "'";
    return failure();
  }
  InputBinding binding;
  binding.name = name.str();
  SmallVector<StringRef> parts;
  if (!values.empty())
    values.split(parts, ',');
  for (StringRef part : parts)
    binding.values.push_back(part.trim().str());
  return binding;
}

namespace {

/// Appends `text` as a value of ONNX type `dataType` to `tensor`'s typed
/// field; false when it is not a number of that type.
bool appendValue(onnx::TensorProto &tensor, int32_t dataType, StringRef text) {
  auto signedIn = [&](int64_t min, int64_t max) -> std::optional<int64_t> {
    int64_t value;
    if (text.getAsInteger(10, value) || value < min || value > max)
      return std::nullopt;
    return value;
  };
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE: {
    double value;
    if (text.getAsDouble(value))
      return false;
    if (dataType == onnx::TensorProto::FLOAT)
      tensor.add_float_data(static_cast<float>(value));
    else
      tensor.add_double_data(value);
    return true;
  }
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    // int32_data holds the 16-bit patterns, rounded to nearest even.
    llvm::APFloat value(dataType == onnx::TensorProto::FLOAT16
                            ? llvm::APFloat::IEEEhalf()
                            : llvm::APFloat::BFloat());
    auto status =
        value.convertFromString(text, llvm::APFloat::rmNearestTiesToEven);
    if (!status) {
      llvm::consumeError(status.takeError());
      return false;
    }
    tensor.add_int32_data(
        static_cast<int32_t>(value.bitcastToAPInt().getZExtValue()));
    return true;
  }
  case onnx::TensorProto::INT64:
    if (auto value = signedIn(std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max()))
      return tensor.add_int64_data(*value), true;
    return false;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8: {
    int bits = dataType == onnx::TensorProto::INT32   ? 32
               : dataType == onnx::TensorProto::INT16 ? 16
                                                      : 8;
    int64_t max = (int64_t(1) << (bits - 1)) - 1;
    if (auto value = signedIn(-max - 1, max))
      return tensor.add_int32_data(static_cast<int32_t>(*value)), true;
    return false;
  }
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
    if (auto value =
            signedIn(0, dataType == onnx::TensorProto::UINT8 ? 0xff : 0xffff))
      return tensor.add_int32_data(static_cast<int32_t>(*value)), true;
    return false;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64: {
    uint64_t value;
    uint64_t max = dataType == onnx::TensorProto::UINT32
                       ? std::numeric_limits<uint32_t>::max()
                       : std::numeric_limits<uint64_t>::max();
    if (text.getAsInteger(10, value) || value > max)
      return false;
    return tensor.add_uint64_data(value), true;
  }
  case onnx::TensorProto::BOOL:
    if (text == "true" || text == "1")
      return tensor.add_int32_data(1), true;
    if (text == "false" || text == "0")
      return tensor.add_int32_data(0), true;
    return false;
  default:
    return false;
  }
}

/// The integer, bool and float types the importer reads.
bool isBindable(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return true;
  default:
    return false;
  }
}

/// The bound tensor's dims: a scalar, the declared static shape, or 1-D.
FailureOr<SmallVector<int64_t>>
getBoundShape(const onnx::TypeProto::Tensor &type, int64_t count,
              function_ref<InFlightDiagnostic()> emitError) {
  if (!type.has_shape())
    return SmallVector<int64_t>{count};
  const onnx::TensorShapeProto &shape = type.shape();
  if (shape.dim_size() == 0) {
    if (count != 1) {
      emitError() << "is a scalar but " << count << " values are given";
      return failure();
    }
    return SmallVector<int64_t>{};
  }
  SmallVector<int64_t> dims;
  int64_t product = 1;
  bool isStatic = true;
  for (const onnx::TensorShapeProto::Dimension &dim : shape.dim()) {
    isStatic &= dim.has_dim_value();
    dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    product *= dims.back();
  }
  if (isStatic) {
    if (product != count) {
      emitError() << "has " << product << " elements but " << count
                  << " values are given";
      return failure();
    }
    return dims;
  }
  if (dims.size() != 1) {
    emitError() << "has dynamic dims and rank " << dims.size()
                << "; only a 1-D input can take its length from the values";
    return failure();
  }
  return SmallVector<int64_t>{count};
}

} // namespace

LogicalResult
mllmc::onnx_frontend::bindInputs(onnx::GraphProto &graph,
                                 ArrayRef<InputBinding> bindings,
                                 function_ref<InFlightDiagnostic()> emitError) {
  for (const InputBinding &binding : bindings) {
    auto emitBindingError = [&]() {
      return emitError() << "--bind-input: graph input '" << binding.name
                         << "' ";
    };
    auto *inputs = graph.mutable_input();
    auto input = llvm::find_if(*inputs, [&](const onnx::ValueInfoProto &in) {
      return in.name() == binding.name;
    });
    if (input == inputs->end()) {
      SmallVector<std::string> names;
      for (const onnx::ValueInfoProto &in : graph.input())
        names.push_back("'" + in.name() + "'");
      emitBindingError() << "does not exist; the graph inputs are "
                         << llvm::join(names, ", ");
      return failure();
    }
    const onnx::TypeProto::Tensor &type = input->type().tensor_type();
    int32_t dataType = type.elem_type();
    if (!input->type().has_tensor_type() || !isBindable(dataType)) {
      emitBindingError() << "is " << getDataTypeName(dataType)
                         << "; only integer, bool, float and double inputs "
                            "can be bound";
      return failure();
    }
    FailureOr<SmallVector<int64_t>> dims =
        getBoundShape(type, binding.values.size(), emitBindingError);
    if (failed(dims))
      return failure();

    onnx::TensorProto tensor;
    tensor.set_name(binding.name);
    tensor.set_data_type(dataType);
    for (int64_t dim : *dims)
      tensor.add_dims(dim);
    for (const std::string &value : binding.values) {
      if (!appendValue(tensor, dataType, value)) {
        emitBindingError() << "is " << getDataTypeName(dataType) << "; '"
                           << value << "' is not a value of that type";
        return failure();
      }
    }
    inputs->erase(input);
    *graph.add_initializer() = std::move(tensor);
  }
  return success();
}
