//===- InputBindings.h - Graph inputs fixed at compile time -----*- C++ -*-===//
//
// ONNX makes axes, pads, shapes, slice bounds and split sizes tensors, and a
// model may take them as graph inputs. Their values decide the shapes of the
// results, which an ahead-of-time compiler plans memory for; binding such an
// input to values at compile time turns it into an initializer, so that the
// importer folds it like any other constant and the artifact no longer takes
// it as an input.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_INPUTBINDINGS_H
#define MLLMC_FRONTENDS_ONNX_INPUTBINDINGS_H

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mllmc::onnx_frontend {

/// A graph input and the values it takes, as written on the command line.
struct InputBinding {
  std::string name;
  llvm::SmallVector<std::string> values;
};

/// Parses `NAME=V0,V1,...` (one value for a scalar, none after `NAME=` for
/// an empty tensor). Returns failure with a message in `error` when the text
/// has no name or no `=`.
mlir::FailureOr<InputBinding> parseInputBinding(llvm::StringRef text,
                                                std::string &error);

/// Replaces each bound graph input of `graph` by an initializer of its
/// declared element type holding the values: a scalar for a rank-0 input, the
/// declared shape when it is static, else a 1-D tensor. On failure (no such
/// input, a value that is not a number of the input's type, a count that does
/// not fit the declared shape) emits an error through `emitError` and returns
/// failure.
mlir::LogicalResult
bindInputs(onnx::GraphProto &graph, llvm::ArrayRef<InputBinding> bindings,
           llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_INPUTBINDINGS_H
