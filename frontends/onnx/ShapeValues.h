//===- ShapeValues.h - Shape computations on run-time dims ------*- C++ -*-===//
//
// ONNX graphs compute shapes with tensors: Shape, Gather, Unsqueeze, Concat,
// arithmetic, Equal/Where, and feed the results to Reshape, Expand,
// ConstantOfShape and Range. Where every dim is static these fold to
// constants. Where a dim is symbolic, its size is an `index` value read with
// `tensor.dim`, and a shape tensor holding it is a *shape value*:
// `tensor.from_elements` of index values cast to the element type. Shape
// computations on shape values fold, element by element, to index
// arithmetic (as IREE and torch-mlir keep shapes as SSA index values), so
// that the consumers get their dynamic sizes as index values the host
// program evaluates at run time (passes/Host/SizeExpressions).
//
// An element is an OpFoldResult: an IntegerAttr when it is known, else an
// `index` value (integer tensors) or an `i1` value (boolean tensors).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_SHAPEVALUES_H
#define MLLMC_FRONTENDS_ONNX_SHAPEVALUES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>

namespace mllmc::onnx_frontend {

/// The largest shape value folded element by element.
constexpr int64_t kMaxShapeElements = 64;

/// The elements of `value` when it is a small integer constant or a shape
/// value, in row-major order; else nullopt.
std::optional<llvm::SmallVector<mlir::OpFoldResult>>
getShapeElements(mlir::Value value);

/// Whether `value` is a shape value with an element known only at run time.
bool isRuntimeShape(mlir::Value value);

/// A tensor of `type` (static shape, integer elements) holding `elements`:
/// an mllm.constant when all are known, else a shape value.
mlir::Value createShapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<mlir::OpFoldResult> elements);

/// Folds `op`, an mllm op whose operands are shape values or small integer
/// constants (at least one shape value), element by element into index
/// arithmetic: add, sub, mul, div, max, min, neg, cmp, select, and, or,
/// not, integer and boolean casts, reshape, slice, gather with constant
/// indices and concat. Returns the replacement (the caller erases `op`), or
/// null when `op` is not such an op.
mlir::Value foldShapeValues(mlir::OpBuilder &b, mlir::Operation *op);

/// Whether the index element `value` is known to be non-negative: a
/// non-negative constant, a tensor dim, or sums, products and quotients of
/// such values.
bool isNonNegative(mlir::OpFoldResult value);

/// `value` as an `index` value (constants are materialized).
mlir::Value getIndexValue(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::OpFoldResult value);

/// Index arithmetic that folds known operands.
mlir::OpFoldResult addIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult subIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult mulIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
/// Division rounding toward zero (ONNX integer Div).
mlir::OpFoldResult divIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult ceilDivIndex(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);

/// The dims of `value` (a ranked tensor) as elements: static sizes as
/// attributes, dynamic ones read with tensor.dim of the tensor they come
/// from (through elementwise, broadcasting, norm, transpose, linear and
/// gather ops) or taken from the reshape or tensor.empty that set them.
llvm::SmallVector<mlir::OpFoldResult>
getDimElements(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// Whether two index elements are the same size: equal constants, one
/// value, or tensor.dim of one tensor and axis.
bool isSameElement(mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);

/// The quotient of two products of index elements, with the factors common
/// to both cancelled (the -1 entry of a Reshape: the input's element count
/// over the other entries).
mlir::OpFoldResult divideProducts(mlir::OpBuilder &b, mlir::Location loc,
                                  llvm::ArrayRef<mlir::OpFoldResult> dividend,
                                  llvm::ArrayRef<mlir::OpFoldResult> divisor);

/// `input` reshaped to `sizes` (non-negative element counts, at least one
/// known only at run time): flattened with tensor.collapse_shape and
/// expanded with tensor.expand_shape at the run-time sizes.
mlir::Value reshapeToSizes(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input,
                           llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// A tensor of `sizes` (some run-time) filled with `element`:
/// linalg.fill of a tensor.empty.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::TypedAttr element,
                         llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Ends the import of `func`: erases the shape values and size arithmetic
/// nothing uses, and turns each shape value still used as data (a graph
/// output, an operand of a data op) into a linalg.generic that writes its
/// elements, computed in the body from the index values it captures (the
/// host program passes those to the kernel as sizes).
void finalizeShapeValues(mlir::Operation *func);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_SHAPEVALUES_H
