//===- DimensionBindings.cpp - Symbolic dimensions fixed at compile time --===//

#include "frontends/onnx/DimensionBindings.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mllmc::onnx_frontend;

FailureOr<DimensionBinding>
mllmc::onnx_frontend::parseDimensionBinding(StringRef text,
                                            std::string &error) {
  auto [name, size] = text.split('=');
  DimensionBinding binding{name.str(), 0};
  if (name.empty() || !text.contains('=') ||
      size.trim().getAsInteger(10, binding.size) || binding.size < 0) {
    error = "expected NAME=SIZE with a non-negative integer SIZE in '" +
            text.str() + "'";
    return failure();
  }
  return binding;
}

/// The value infos whose shapes may name dimensions.
static auto getValueInfos(onnx::GraphProto &graph) {
  return llvm::concat<onnx::ValueInfoProto>(*graph.mutable_input(),
                                            *graph.mutable_output(),
                                            *graph.mutable_value_info());
}

LogicalResult mllmc::onnx_frontend::bindDimensions(
    onnx::GraphProto &graph, ArrayRef<DimensionBinding> bindings,
    function_ref<InFlightDiagnostic()> emitError) {
  llvm::SetVector<StringRef> inputDimensions;
  for (const onnx::ValueInfoProto &input : graph.input())
    for (const auto &dim : input.type().tensor_type().shape().dim())
      if (dim.has_dim_param())
        inputDimensions.insert(dim.dim_param());
  for (const DimensionBinding &binding : bindings) {
    if (inputDimensions.contains(binding.name))
      continue;
    InFlightDiagnostic diag = emitError();
    diag << "--bind-dim: no graph input has a dimension named '" << binding.name
         << "'; ";
    if (inputDimensions.empty())
      diag << "the graph inputs have no symbolic dimensions";
    else
      diag << "the symbolic dimensions of the graph inputs are '"
           << llvm::join(inputDimensions, "', '") << "'";
    return failure();
  }
  for (onnx::ValueInfoProto &info : getValueInfos(graph)) {
    // mutable_shape() would give a value of unknown rank an empty shape.
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      continue;
    auto *shape = info.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (auto &dim : *shape->mutable_dim()) {
      if (!dim.has_dim_param())
        continue;
      const auto *binding =
          llvm::find_if(bindings, [&](const DimensionBinding &b) {
            return b.name == dim.dim_param();
          });
      if (binding != bindings.end())
        dim.set_dim_value(binding->size);
    }
  }
  return success();
}
