//===- ModelDiagnostics.h - Diagnostics that name model nodes ---*- C++ -*-===//

#ifndef MLLMC_COMPILER_MODELDIAGNOSTICS_H
#define MLLMC_COMPILER_MODELDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace mllmc {

/// Prints diagnostics located in a model file (not MLIR text) as
///
///   model.onnx: node '/linear_1/MatMul': error: message
///
/// taking the file from the location's FileLineColLoc and the node from its
/// NameLoc, never quoting the (binary) file's contents.
class ModelDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  ModelDiagnosticHandler(mlir::MLIRContext *context, llvm::raw_ostream &os);
};

} // namespace mllmc

#endif // MLLMC_COMPILER_MODELDIAGNOSTICS_H
