//===- ModelStorage.h - A parsed ONNX model and its weight files -*- C++
//-*-===//
//
// Owns everything the imported module's weights point into: the parsed
// ModelProto and the memory-mapped external data files.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_MODELSTORAGE_H
#define MLLMC_FRONTENDS_ONNX_MODELSTORAGE_H

#include "frontends/onnx/DimensionBindings.h"
#include "frontends/onnx/InputBindings.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace mllmc::onnx_frontend {

class ModelStorage {
public:
  /// Reads and parses the model at `path` and checks what the importer relies
  /// on (a main graph, a default-domain opset >= 13). On failure emits an error
  /// at `fileLoc` and returns nullptr.
  static std::unique_ptr<ModelStorage> load(llvm::StringRef path,
                                            mlir::Location fileLoc);
  /// Parses and checks a model held in `bytes` like load(); `name` stands for
  /// its path in messages. The model has no folder, so tensors stored as
  /// external data are refused rather than looked up on disk.
  static std::unique_ptr<ModelStorage> loadFromMemory(llvm::StringRef bytes,
                                                      llvm::StringRef name,
                                                      mlir::Location fileLoc);

  const onnx::ModelProto &getModel() const { return model; }
  /// Turns the bound graph inputs into initializers (see InputBindings.h);
  /// errors are located at `fileLoc`.
  mlir::LogicalResult bindInputs(llvm::ArrayRef<InputBinding> bindings,
                                 mlir::Location fileLoc);
  /// Gives the bound symbolic dimensions their sizes (see
  /// DimensionBindings.h); errors are located at `fileLoc`.
  mlir::LogicalResult bindDimensions(llvm::ArrayRef<DimensionBinding> bindings,
                                     mlir::Location fileLoc);
  llvm::StringRef getPath() const { return path; }
  /// The opset version of the default ("" / "ai.onnx") domain.
  int64_t getOpsetVersion() const { return opsetVersion; }

  /// Returns the bytes of a tensor stored as external data (`location`,
  /// `offset`, `length` entries, location relative to the model's folder),
  /// mapping each file once. On failure emits an error through `emitError`
  /// (whose message already names the tensor) and returns failure.
  mlir::FailureOr<llvm::ArrayRef<char>>
  getExternalData(const onnx::TensorProto &tensor,
                  llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

private:
  ModelStorage() = default;
  /// Parses `bytes` into `model` and checks it; false after an error.
  bool parse(llvm::StringRef bytes, mlir::Location fileLoc);

  onnx::ModelProto model;
  std::string path;
  int64_t opsetVersion = 0;
  /// Loaded from memory: no folder to resolve external data in.
  bool inMemory = false;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> externalFiles;
};

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_MODELSTORAGE_H
