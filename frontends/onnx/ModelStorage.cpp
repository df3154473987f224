//===- ModelStorage.cpp - Load an ONNX model and its weight files ---------===//

#include "frontends/onnx/ModelStorage.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>

using namespace mllmc::onnx_frontend;
using llvm::StringRef;

std::unique_ptr<ModelStorage> ModelStorage::load(StringRef path,
                                                 mlir::Location fileLoc) {
  auto fail = [&]() { return mlir::emitError(fileLoc); };

  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    fail() << "cannot open the ONNX model: " << buffer.getError().message();
    return nullptr;
  }
  std::unique_ptr<ModelStorage> storage(new ModelStorage());
  storage->path = path.str();
  if (!storage->parse((*buffer)->getBuffer(), fileLoc))
    return nullptr;
  return storage;
}

std::unique_ptr<ModelStorage>
ModelStorage::loadFromMemory(StringRef bytes, StringRef name,
                             mlir::Location fileLoc) {
  std::unique_ptr<ModelStorage> storage(new ModelStorage());
  storage->path = name.str();
  storage->inMemory = true;
  if (!storage->parse(bytes, fileLoc))
    return nullptr;
  return storage;
}

bool ModelStorage::parse(StringRef bytes, mlir::Location fileLoc) {
  auto fail = [&]() { return mlir::emitError(fileLoc); };
  size_t size = bytes.size();
  if (size == 0) {
    fail() << "the file is empty; expected an ONNX model (a serialized "
              "onnx.ModelProto)";
    return false;
  }
  if (size > size_t(INT_MAX)) {
    fail() << "the model file is " << size / (1024 * 1024)
           << " MiB; protobuf cannot parse files over 2 GB. Save the weights "
              "as external data: onnx.save_model(model, path, "
              "save_as_external_data=True)";
    return false;
  }

  google::protobuf::io::ArrayInputStream input(bytes.data(),
                                               static_cast<int>(size));
  google::protobuf::io::CodedInputStream coded(&input);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    fail() << "cannot parse the file as an ONNX model (truncated or not a "
              "serialized onnx.ModelProto); check that the file is complete, "
              "e.g. with python -c \"import onnx; onnx.checker.check_model('"
           << path << "')\"";
    return false;
  }
  if (!model.has_graph() || model.ir_version() <= 0) {
    fail() << "not an ONNX model: the file parses as protobuf but has no "
              "graph or IR version; check that it is an .onnx file";
    return false;
  }

  bool hasDefaultDomain = false;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") {
      hasDefaultDomain = true;
      opsetVersion = opset.version();
    }
  }
  if (!hasDefaultDomain) {
    fail() << "the model imports no version of the default ONNX domain "
              "(opset_import has no entry for domain ''); re-export it with "
              "an opset version, e.g. 17";
    return false;
  }
  // The opset has no lower bound of its own: each node is checked against
  // the first opset of the semantics its conversion implements (OpRegistry;
  // e.g. Not from opset 1, Add with numpy broadcasting from 7).
  return true;
}

mlir::FailureOr<llvm::ArrayRef<char>> ModelStorage::getExternalData(
    const onnx::TensorProto &tensor,
    llvm::function_ref<mlir::InFlightDiagnostic()> emitError) {
  StringRef location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    StringRef value = entry.value();
    if (entry.key() == "location") {
      location = value;
    } else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t number;
      if (value.getAsInteger(10, number)) {
        emitError() << "external data entry '" << entry.key() << "' is '"
                    << value << "', not a number; re-save the model";
        return mlir::failure();
      }
      if (entry.key() == "offset")
        offset = number;
      else
        length = number;
    }
  }
  if (location.empty()) {
    emitError() << "the tensor is stored as external data but names no "
                   "'location'; re-save the model";
    return mlir::failure();
  }
  if (inMemory) {
    emitError() << "the tensor is stored in external data file '" << location
                << "', which a model read from memory cannot refer to; import "
                   "the model from its file";
    return mlir::failure();
  }
  if (llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         "..")) {
    emitError() << "external data location '" << location
                << "' must be a path inside the model's folder";
    return mlir::failure();
  }

  llvm::SmallString<256> filePath(llvm::sys::path::parent_path(path));
  llvm::sys::path::append(filePath, location);
  auto it = externalFiles.find(filePath);
  if (it == externalFiles.end()) {
    auto buffer = llvm::MemoryBuffer::getFile(filePath, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      emitError() << "cannot open external data file '" << location
                  << "' (looked for '" << filePath
                  << "'): " << buffer.getError().message()
                  << "; keep the data files next to the model, in the "
                     "folder they were saved to";
      return mlir::failure();
    }
    it = externalFiles.try_emplace(filePath, std::move(*buffer)).first;
  }
  StringRef contents = it->second->getBuffer();
  uint64_t size = length.value_or(contents.size() -
                                  std::min<uint64_t>(offset, contents.size()));
  if (offset > contents.size() || size > contents.size() - offset) {
    emitError() << "external data file '" << location << "' has "
                << contents.size() << " bytes, but the tensor needs bytes "
                << offset << " to " << offset + size
                << "; the file is truncated or belongs to another model";
    return mlir::failure();
  }
  return llvm::ArrayRef<char>(contents.data() + offset, size);
}

mlir::LogicalResult
ModelStorage::bindInputs(llvm::ArrayRef<InputBinding> bindings,
                         mlir::Location fileLoc) {
  return onnx_frontend::bindInputs(*model.mutable_graph(), bindings,
                                   [&] { return mlir::emitError(fileLoc); });
}

mlir::LogicalResult
ModelStorage::bindDimensions(llvm::ArrayRef<DimensionBinding> bindings,
                             mlir::Location fileLoc) {
  return onnx_frontend::bindDimensions(*model.mutable_graph(), bindings, [&] {
    return mlir::emitError(fileLoc);
  });
}
