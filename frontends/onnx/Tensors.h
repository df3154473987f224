//===- Tensors.h - ONNX element types and tensor data ------------*- C++
//-*-===//

#ifndef MLLMC_FRONTENDS_ONNX_TENSORS_H
#define MLLMC_FRONTENDS_ONNX_TENSORS_H

#include "frontends/onnx/ModelStorage.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#include <string>

namespace mllmc::onnx_frontend {

/// The element types the importer accepts, for error messages.
inline constexpr llvm::StringLiteral kSupportedDataTypes =
    "FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32, INT16, INT8, UINT64, "
    "UINT32, UINT16, UINT8, BOOL";

/// Maps an ONNX TensorProto.DataType to an MLIR element type (f32, f16, bf16,
/// f64, i64, i32, i16, i8, ui64, ui32, ui16, ui8, i1); null if the importer
/// does not support it.
mlir::Type convertElementType(mlir::MLIRContext *context, int32_t dataType);

/// The ONNX name of a data type, e.g. "FLOAT16", or its number if unknown.
std::string getDataTypeName(int32_t dataType);

/// Converts an ONNX tensor type to a ranked tensor type: dim_value becomes a
/// static dimension, dim_param or an unknown dimension becomes `?`. When
/// `dimNames` is given it receives one name per dimension (the dim_param, or
/// "" when there is none). On failure (not a tensor, no shape, unsupported
/// element type) emits an error through `emitError` and returns null.
mlir::RankedTensorType
convertTensorType(mlir::MLIRContext *context, const onnx::TypeProto &type,
                  llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
                  llvm::SmallVectorImpl<std::string> *dimNames = nullptr);

/// Tensors with at most this many elements become inline DenseElementsAttr
/// (readable, easy to fold and match); larger ones become resource blobs.
inline constexpr int64_t kInlineElementLimit = 16;

/// Converts a TensorProto (an initializer or a Constant's value) to an
/// ElementsAttr. Large tensors stored as raw_data or external data become a
/// DenseResourceElementsAttr whose blob points into `storage` without a copy
/// (copied only when misaligned or stored in typed fields such as
/// float_data); `blobName` is the hint for the blob's key. On failure emits an
/// error through `emitError` and returns failure.
mlir::FailureOr<mlir::ElementsAttr>
convertTensor(mlir::MLIRContext *context, const onnx::TensorProto &tensor,
              llvm::StringRef blobName, ModelStorage &storage,
              llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_TENSORS_H
