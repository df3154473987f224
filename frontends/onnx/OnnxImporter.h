//===- OnnxImporter.h - ONNX model to mllm dialect ---------------*- C++
//-*-===//
//
// The entry point of the ONNX frontend: parses an ONNX model with the ONNX
// protobuf library and imports its main graph as one `func.func @main` over
// `mllm` dialect ops.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_ONNXIMPORTER_H
#define MLLMC_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "frontends/onnx/DimensionBindings.h"
#include "frontends/onnx/InputBindings.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace mllmc::onnx_frontend {

class ModelStorage;

/// An imported model. Owns the parsed ModelProto (and the mapped external data
/// files) so that weights referenced by the module stay valid: large
/// initializers become `dense_resource` blobs that point into the protobuf's
/// `raw_data` without a copy. Keep this object alive as long as the module or
/// anything derived from its weights is in use.
class ImportedModel {
public:
  ImportedModel(std::unique_ptr<ModelStorage> storage,
                mlir::OwningOpRef<mlir::ModuleOp> module);
  ~ImportedModel();

  mlir::ModuleOp getModule() { return module.get(); }

private:
  // Destroyed after the module: the module refers to the storage.
  std::unique_ptr<ModelStorage> storage;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

/// Parses and imports the ONNX model at `path` into `context` (which gets the
/// `func` and `mllm` dialects loaded). On failure emits diagnostics through
/// the context's diagnostic engine, located at the file or the offending node,
/// and returns nullptr. The graph inputs in `bindings` become constants, and
/// the symbolic dimensions in `dimensions` take their sizes.
std::unique_ptr<ImportedModel>
importOnnxModel(mlir::MLIRContext &context, llvm::StringRef path,
                llvm::ArrayRef<InputBinding> bindings = {},
                llvm::ArrayRef<DimensionBinding> dimensions = {});

/// Like importOnnxModel, for a serialized model held in `bytes` (copied while
/// parsing); `name` stands for its path in locations and messages. Tensors
/// stored as external data are refused: there is no folder to find them in.
std::unique_ptr<ImportedModel>
importOnnxModelFromMemory(mlir::MLIRContext &context, llvm::StringRef bytes,
                          llvm::StringRef name,
                          llvm::ArrayRef<InputBinding> bindings = {});

/// Prints the ONNX ops the importer supports as a markdown table (domain, op,
/// since opset, notes), sorted by domain and name.
void printSupportedOps(llvm::raw_ostream &os);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_ONNXIMPORTER_H
