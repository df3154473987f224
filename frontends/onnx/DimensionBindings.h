//===- DimensionBindings.h - Symbolic dims set at compile time --*- C++ -*-===//
//
// Exporters name the dimensions that vary (`batch`, `sequence_length`); an
// artifact's memory plan is static, so a model with symbolic dimensions
// compiles once a size is chosen for each. Binding a dimension name to a
// size rewrites it to that size wherever the graph declares it (inputs,
// outputs and intermediate value infos), as ONNX Runtime's free dimension
// overrides do; shapes then flow statically through the import.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_DIMENSIONBINDINGS_H
#define MLLMC_FRONTENDS_ONNX_DIMENSIONBINDINGS_H

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mllmc::onnx_frontend {

/// A symbolic dimension name and the size it takes.
struct DimensionBinding {
  std::string name;
  int64_t size;
};

/// Parses `NAME=SIZE` (a non-negative integer). Returns failure with a
/// message in `error` otherwise.
mlir::FailureOr<DimensionBinding> parseDimensionBinding(llvm::StringRef text,
                                                        std::string &error);

/// Gives every dimension of `graph` named by a binding its size. On failure
/// (a name no graph input uses) emits an error listing the graph inputs'
/// symbolic dimensions through `emitError` and returns failure.
mlir::LogicalResult
bindDimensions(onnx::GraphProto &graph,
               llvm::ArrayRef<DimensionBinding> bindings,
               llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_DIMENSIONBINDINGS_H
