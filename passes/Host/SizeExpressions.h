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
// A min or max of two sizes that no side decides at compile time (the clamp
// of a slice bound to a run-time dim) is a *derived symbol*: a symbol
// position after the arguments' symbols, defined as the min or max of two
// expressions over earlier symbols. The definitions are recorded on the
// function (kDerivedSizesAttr), so that the memory plan's expressions keep
// their meaning for the artifact builder, which emits each derived symbol as
// the Min or Max instruction of a size program.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H
#define MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace mllmc {

/// The derived symbols of a function, in order: an array of dictionaries
/// {kind = "min" | "max", operands = affine_map<()[s0, ...] -> (lhs, rhs)>}.
constexpr llvm::StringLiteral kDerivedSizesAttr = "mllm.derived_sizes";

/// A derived symbol: the min or max of two expressions over earlier symbols.
struct DerivedSize {
  bool isMin;
  mlir::AffineExpr lhs, rhs;
};

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
  /// The derived symbols, at positions getSymbols().size() onwards.
  const std::vector<DerivedSize> &getDerived() const { return derived; }
  /// Symbols and derived symbols: the symbol count of every expression.
  unsigned getNumSymbols() const { return symbols.size() + derived.size(); }
  /// Whether `expr` is non-negative at every size.
  bool isNonNegative(mlir::AffineExpr expr) const;

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
  /// min(lhs, rhs) or max(lhs, rhs): decided at compile time where one side
  /// decides it at every size, else a derived symbol (one per definition).
  mlir::AffineExpr getMinMax(mlir::AffineExpr lhs, mlir::AffineExpr rhs,
                             bool isMin);
  mlir::FailureOr<mlir::AffineExpr>
  getDefinedDim(mlir::OpResult result, unsigned axis, mlir::func::CallOp call);

  mlir::func::FuncOp func;
  std::vector<DimSymbol> symbols;
  std::vector<DerivedSize> derived;
  /// Whether each derived symbol is non-negative at every size.
  std::vector<bool> derivedNonNegative;
  /// (isMin, lhs, rhs) → derived symbol position.
  std::map<std::tuple<bool, const void *, const void *>, unsigned> derivedOf;
  /// (argument number, axis) → symbol position.
  llvm::DenseMap<std::pair<unsigned, unsigned>, unsigned> symbolOf;
  /// Dims of the entry function's values.
  llvm::DenseMap<std::pair<mlir::Value, unsigned>, mlir::AffineExpr> dimCache;
};

} // namespace mllmc

#endif // MLLMC_PASSES_HOST_SIZEEXPRESSIONS_H
