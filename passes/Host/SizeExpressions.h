//===- SizeExpressions.h - Run-time sizes of the host program ---*- C++ -*-===//
//
// An entry function whose arguments have dynamic dims runs at sizes known
// only at run time. Its symbols are those dims: one per ONNX dim_param name
// (two arguments that name the same dim share a symbol, and the runtime
// checks that they agree), one per unnamed dynamic dim. Every size the host
// program needs (a buffer's bytes, an output's dims, an index value passed
// to a dispatch) is an affine expression over the symbols, `s0 * s1` allowed
// (semi-affine), found by walking the host program back to the arguments'
// dims: through index arithmetic, reshapes, and into the dispatch functions,
// whose results take their dims from their destinations.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H
#define MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace mllmc {

/// A symbolic dimension of an entry function and the argument dims it is
/// read from: (argument number, axis).
struct DimSymbol {
  std::string name;
  std::vector<std::pair<unsigned, unsigned>> sources;
};

/// The symbols of an entry function and the expressions of its sizes.
class SizeExpressions {
public:
  explicit SizeExpressions(mlir::func::FuncOp func);

  /// Symbols in the order of the arguments' dynamic dims.
  const std::vector<DimSymbol> &getSymbols() const { return symbols; }
  bool isDynamic() const { return !symbols.empty(); }

  /// The extent of dim `axis` of the tensor `value` (a value of the entry
  /// function or of a dispatch it calls); emits an error naming the op
  /// where a dim cannot be expressed.
  mlir::FailureOr<mlir::AffineExpr> getDim(mlir::Value value, unsigned axis);
  /// The value of the index `value`.
  mlir::FailureOr<mlir::AffineExpr> getIndex(mlir::Value value);
  /// Bytes of the tensor `value` (i1 takes a byte per element).
  mlir::FailureOr<mlir::AffineExpr> getBytes(mlir::Value value);
  mlir::FailureOr<mlir::AffineExpr> getOpFoldResult(mlir::OpFoldResult ofr);

  /// The value of `expr` when every symbol is `hint`.
  int64_t evaluate(mlir::AffineExpr expr, int64_t hint) const;

private:
  /// `value` lives in the entry function, or with `call` in its callee.
  mlir::FailureOr<mlir::AffineExpr> getDimIn(mlir::Value value, unsigned axis,
                                             mlir::func::CallOp call);
  mlir::FailureOr<mlir::AffineExpr> getIndexIn(mlir::Value value,
                                               mlir::func::CallOp call);
  mlir::FailureOr<mlir::AffineExpr> getOpFoldResultIn(mlir::OpFoldResult ofr,
                                                      mlir::func::CallOp call);
  mlir::FailureOr<mlir::AffineExpr>
  getDefinedDim(mlir::OpResult result, unsigned axis, mlir::func::CallOp call);

  mlir::func::FuncOp func;
  std::vector<DimSymbol> symbols;
  /// (argument number, axis) → symbol position.
  llvm::DenseMap<std::pair<unsigned, unsigned>, unsigned> symbolOf;
  /// Dims of the entry function's values.
  llvm::DenseMap<std::pair<mlir::Value, unsigned>, mlir::AffineExpr> dimCache;
};

} // namespace mllmc

#endif // MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H
