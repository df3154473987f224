//===- LinalgBuilders.h - Tensor-level building blocks ------------*- C++
//-*-===//
//
// Building blocks shared by the mllm-to-linalg patterns: broadcasting
// elementwise generics, reductions, element type casts, softmax and matmul.
// Composite ops (attention, mlp) are written in terms of these, so every op
// family lowers the same way.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_LINALGBUILDERS_H
#define MLLMC_PASSES_MLLMTOLINALG_LINALGBUILDERS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

namespace mllmc {

/// Builds the scalar body of a linalg.generic from its block arguments and
/// returns the value to yield.
using ScalarBodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The indexing map that reads an operand of `operandShape` in the iteration
/// space `resultShape` with numpy broadcasting: dims align at the end, missing
/// leading dims are dropped, and a static size-1 dim facing a dim that is not
/// statically 1 reads index 0.
mlir::AffineMap getBroadcastIndexingMap(llvm::ArrayRef<int64_t> operandShape,
                                        llvm::ArrayRef<int64_t> resultShape,
                                        mlir::MLIRContext *context);

/// The sizes of `resultShape` where every dynamic dim is read with tensor.dim
/// from an operand that is dynamic at the aligned position. Fails when a
/// dynamic result dim has no such operand.
mlir::FailureOr<llvm::SmallVector<mlir::OpFoldResult>>
getBroadcastResultSizes(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::ValueRange operands,
                        llvm::ArrayRef<int64_t> resultShape);

/// The map of a rank-`rank` iteration space onto the dims not in
/// `droppedDims`: how elementwise code reads back a reduction's result.
mlir::AffineMap getDropDimsMap(unsigned rank,
                               llvm::ArrayRef<int64_t> droppedDims,
                               mlir::MLIRContext *context);

/// `tensor.empty` of `sizes` filled with `value` by linalg.fill.
mlir::Value createFilledTensor(mlir::OpBuilder &b, mlir::Location loc,
                               llvm::ArrayRef<mlir::OpFoldResult> sizes,
                               mlir::TypedAttr value);

/// An all-parallel linalg.generic over the iteration space `sizes` writing a
/// fresh tensor of `elementType`; `inputs[i]` is read through `inputMaps[i]`
/// and `body` gets one scalar per input.
mlir::Value buildParallelGeneric(mlir::OpBuilder &b, mlir::Location loc,
                                 llvm::ArrayRef<mlir::OpFoldResult> sizes,
                                 mlir::Type elementType,
                                 mlir::ValueRange inputs,
                                 llvm::ArrayRef<mlir::AffineMap> inputMaps,
                                 ScalarBodyBuilder body);

/// `1 / prod(sizes)` as a scalar of the float `type`: a constant when every
/// size is static, computed from the dynamic sizes otherwise (the factor of
/// a mean).
mlir::Value createReciprocalCount(mlir::OpBuilder &b, mlir::Location loc,
                                  llvm::ArrayRef<mlir::OpFoldResult> sizes,
                                  mlir::Type type);

/// A linalg.generic over the iteration space `sizes` that reduces
/// `reducedDims` into a tensor without them, initialized to `init` (whose type
/// is the accumulator type). `body` gets one scalar per input followed by
/// the accumulator and returns the new accumulator.
mlir::Value buildReductionGeneric(mlir::OpBuilder &b, mlir::Location loc,
                                  llvm::ArrayRef<mlir::OpFoldResult> sizes,
                                  llvm::ArrayRef<int64_t> reducedDims,
                                  mlir::TypedAttr init, mlir::ValueRange inputs,
                                  llvm::ArrayRef<mlir::AffineMap> inputMaps,
                                  ScalarBodyBuilder body);

/// An elementwise linalg.generic over `inputs`, broadcast numpy-style to
/// `resultType`, producing `resultType`. Fails when a dynamic result dim
/// cannot be sized from the inputs.
mlir::FailureOr<mlir::Value> buildBroadcastElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
    mlir::RankedTensorType resultType, ScalarBodyBuilder body);

/// `value` as `type` through tensor.cast (static <-> dynamic dims), or
/// `value` itself when it already has that type.
mlir::Value castToType(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value, mlir::Type type);

/// `tensor` with every element converted to `elementType` (see
/// createScalarCast, which also says what the signedness flags do);
/// `tensor` itself when the types already match, nullptr when the
/// conversion is unsupported.
mlir::Value buildElementTypeCast(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value tensor, mlir::Type elementType,
                                 bool srcUnsigned = false,
                                 bool dstUnsigned = false);

/// Numerically stable softmax of the float tensor `input` along `axis`:
/// max-reduce, exp(x - max), sum-reduce, divide; computed in f32 for narrower
/// floats and returned with `resultElementType`. With `zeroMaskedRows`, a row
/// that is all -inf (attention with no key to attend to) gives zeros, as
/// ONNX Attention specifies, instead of NaN.
mlir::Value buildSoftmax(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, int64_t axis,
                         mlir::Type resultElementType,
                         bool zeroMaskedRows = false);

/// numpy matmul of `lhs` and `rhs` (rank >= 2, broadcast batch dims) into
/// `resultType`. Floats narrower than f32 accumulate in f32.
mlir::FailureOr<mlir::Value> buildMatmul(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::Value lhs, mlir::Value rhs,
                                         mlir::RankedTensorType resultType);

/// `[..., K]` as the matrix `[M, K]` that folds the leading dims into M
/// (`[K]` becomes `[1, K]`); a matrix is returned as is.
mlir::Value collapseToMatrix(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value input);

/// The inverse of collapseToMatrix for a result: `matrix [M, N]` as
/// `[..., N]` with the leading dims of `original` (`[..., K]`).
mlir::Value expandFromMatrix(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value matrix, mlir::Value original);

/// Whether buildLinear accepts these operands: `input` of rank >= 1,
/// `weight` of rank 2 with the same non-i1 element type, `bias` (nullable) of
/// rank 1, all convertible to `resultElementType`.
mlir::LogicalResult verifyLinearOperands(mlir::Value input, mlir::Value weight,
                                         mlir::Value bias,
                                         mlir::Type resultElementType);

/// `input [..., K] x weight [K, N] (+ bias [N])` into `[..., N]` of
/// `resultElementType`: leading dims collapse into one, one linalg.matmul,
/// bias add and cast in one generic, then the leading dims expand back.
/// Fails, creating nothing, when verifyLinearOperands fails.
mlir::FailureOr<mlir::Value> buildLinear(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::Value input, mlir::Value weight,
                                         mlir::Value bias,
                                         mlir::Type resultElementType);

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_LINALGBUILDERS_H
