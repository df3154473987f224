//===- Tensors.cpp - ONNX element types and tensor data -------------------===//

#include "frontends/onnx/Tensors.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Alignment.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <vector>

using namespace mllmc::onnx_frontend;
using namespace mlir;

// ONNX stores raw_data little-endian; so does every host mllmc targets.
static_assert(llvm::endianness::native == llvm::endianness::little,
              "the ONNX importer reads raw_data in host byte order");

Type mllmc::onnx_frontend::convertElementType(MLIRContext *context,
                                              int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT16:
    return b.getI16Type();
  case onnx::TensorProto::INT8:
    return b.getI8Type();
  case onnx::TensorProto::UINT64:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  case onnx::TensorProto::UINT32:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case onnx::TensorProto::UINT8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

std::string mllmc::onnx_frontend::getDataTypeName(int32_t dataType) {
  if (onnx::TensorProto::DataType_IsValid(dataType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

RankedTensorType mllmc::onnx_frontend::convertTensorType(
    MLIRContext *context, const onnx::TypeProto &type,
    function_ref<InFlightDiagnostic()> emitError,
    SmallVectorImpl<std::string> *dimNames) {
  if (!type.has_tensor_type()) {
    emitError() << "only tensor values are supported (not sequences, maps or "
                   "optionals)";
    return nullptr;
  }
  const onnx::TypeProto::Tensor &tensorType = type.tensor_type();
  Type elementType = convertElementType(context, tensorType.elem_type());
  if (!elementType) {
    emitError() << "unsupported element type "
                << getDataTypeName(tensorType.elem_type())
                << "; supported types are " << kSupportedDataTypes;
    return nullptr;
  }
  if (!tensorType.has_shape()) {
    emitError() << "the tensor has no shape (unknown rank); give it a shape, "
                   "e.g. with onnx.shape_inference.infer_shapes or "
                   "dynamic_axes at export";
    return nullptr;
  }
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim :
       tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      if (dimNames)
        dimNames->push_back("");
      continue;
    }
    if (dim.has_dim_value()) {
      emitError() << "the tensor has a negative dimension (" << dim.dim_value()
                  << ")";
      return nullptr;
    }
    shape.push_back(ShapedType::kDynamic);
    if (dimNames)
      dimNames->push_back(dim.dim_param());
  }
  return RankedTensorType::get(shape, elementType);
}

/// Bytes per element in raw_data (i1 is stored as one byte).
static size_t getElementSize(Type type) {
  return std::max<size_t>(1, type.getIntOrFloatBitWidth() / 8);
}

/// Copies the typed repeated field that holds the tensor's values (float_data,
/// int32_data, ...) into little-endian bytes of `elementSize` each.
static std::vector<char> copyTypedData(const onnx::TensorProto &tensor,
                                       size_t elementSize, int64_t &count) {
  std::vector<char> bytes;
  auto append = [&](const auto &field, size_t size) {
    count = field.size();
    bytes.resize(field.size() * size);
    for (int i = 0; i < field.size(); ++i) {
      auto value = field.Get(i);
      // Narrowing keeps the low bytes: int32_data holds int8/int16/uint8/
      // uint16/bool values and the bit patterns of float16/bfloat16,
      // uint64_data holds uint32 values.
      std::memcpy(bytes.data() + i * size, &value, size);
    }
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    append(tensor.float_data(), elementSize);
    break;
  case onnx::TensorProto::DOUBLE:
    append(tensor.double_data(), elementSize);
    break;
  case onnx::TensorProto::INT64:
    append(tensor.int64_data(), elementSize);
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    append(tensor.uint64_data(), elementSize);
    break;
  default:
    append(tensor.int32_data(), elementSize);
    break;
  }
  return bytes;
}

FailureOr<ElementsAttr> mllmc::onnx_frontend::convertTensor(
    MLIRContext *context, const onnx::TensorProto &tensor, StringRef blobName,
    ModelStorage &storage, function_ref<InFlightDiagnostic()> emitError) {
  Type elementType = convertElementType(context, tensor.data_type());
  if (!elementType) {
    emitError() << "unsupported tensor data type "
                << getDataTypeName(tensor.data_type())
                << "; supported types are " << kSupportedDataTypes;
    return failure();
  }
  if (tensor.has_segment()) {
    emitError() << "segmented tensors are not supported; re-save the model "
                   "with onnx.save_model";
    return failure();
  }
  // The sizes the dims claim are checked for overflow: a wrapped product
  // could match the (empty) data of a corrupt tensor.
  auto emitTooLarge = [&] {
    emitError() << "the tensor's dimensions describe more than 2^63 bytes; "
                   "the model is corrupt, re-export it";
    return failure();
  };
  SmallVector<int64_t> shape;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      emitError() << "the tensor has a negative dimension (" << dim << ")";
      return failure();
    }
    shape.push_back(dim);
    if (llvm::MulOverflow(numElements, dim, numElements))
      return emitTooLarge();
  }
  auto type = RankedTensorType::get(shape, elementType);
  size_t elementSize = getElementSize(elementType);
  int64_t numBytes;
  if (llvm::MulOverflow(numElements, static_cast<int64_t>(elementSize),
                        numBytes))
    return emitTooLarge();

  // Locate the bytes: raw_data or an external file (no copy), else a copy of
  // the typed field.
  ArrayRef<char> bytes;
  std::vector<char> copied;
  bool isCopy = false;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<ArrayRef<char>> external =
        storage.getExternalData(tensor, emitError);
    if (failed(external))
      return failure();
    bytes = *external;
  } else if (tensor.has_raw_data()) {
    bytes = ArrayRef<char>(tensor.raw_data().data(), tensor.raw_data().size());
  } else {
    int64_t count = 0;
    copied = copyTypedData(tensor, elementSize, count);
    isCopy = true;
    bytes = copied;
  }
  if (bytes.size() != static_cast<uint64_t>(numBytes)) {
    emitError() << "the tensor has " << bytes.size() << " bytes of data, but "
                << type << " needs " << numBytes
                << "; the model is corrupt, re-export it";
    return failure();
  }

  if (numElements <= kInlineElementLimit) {
    if (elementType.isInteger(1)) {
      SmallVector<bool> values;
      for (char byte : bytes)
        values.push_back(byte != 0);
      return ElementsAttr(DenseElementsAttr::get(type, values));
    }
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, bytes));
  }

  AsmResourceBlob blob;
  if (!isCopy && llvm::isAddrAligned(llvm::Align(elementSize), bytes.data()))
    blob = UnmanagedAsmResourceBlob::allocateWithAlign(bytes, elementSize);
  else
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, elementSize);

  // Resource keys print as identifiers: keep names readable and valid.
  std::string key;
  for (char c : blobName)
    key.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (key.empty() || llvm::isDigit(key.front()))
    key.insert(0, "onnx_");
  return ElementsAttr(
      DenseResourceElementsAttr::get(type, key, std::move(blob)));
}
