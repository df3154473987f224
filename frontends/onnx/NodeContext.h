//===- NodeContext.h - What an op conversion sees of its node ---*- C++ -*-===//
//
// The interface between the graph importer and the op conversions: resolved
// inputs, attributes with ONNX defaults, constant inputs, op creation that
// turns shape-inference and verifier failures into node-located errors, and
// output binding.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_NODECONTEXT_H
#define MLLMC_FRONTENDS_ONNX_NODECONTEXT_H

#include "frontends/onnx/ModelStorage.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mllmc::onnx_frontend {

/// The values of the graph by ONNX name, and the declared types
/// (value_info, graph inputs and outputs).
struct ValueTable {
  llvm::StringMap<mlir::Value> values;
  llvm::StringMap<const onnx::TypeProto *> declaredTypes;
};

class NodeContext {
public:
  NodeContext(mlir::OpBuilder &builder, ModelStorage &storage,
              ValueTable &table, const onnx::NodeProto &node,
              llvm::StringRef name, mlir::Location loc,
              llvm::SmallVector<mlir::Value> inputs);

  const onnx::NodeProto &getNode() const { return node; }
  /// The node's name, or "<OpType>_<index>" when it has none.
  llvm::StringRef getName() const { return name; }
  mlir::Location getLoc() const { return loc; }
  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::MLIRContext *getContext() { return builder.getContext(); }
  int64_t getOpsetVersion() const { return storage.getOpsetVersion(); }
  ModelStorage &getStorage() { return storage; }

  /// Emits an error at the node, prefixed with the file, node and op.
  mlir::InFlightDiagnostic emitError();

  //===--------------------------------------------------------------------===//
  // Inputs
  //===--------------------------------------------------------------------===//

  unsigned getNumInputs() const { return inputs.size(); }
  /// The `i`th input, or null when it is absent (an omitted optional input).
  mlir::Value getInput(unsigned i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  /// The `i`th input; emits an error when it is absent.
  mlir::FailureOr<mlir::Value> getRequiredInput(unsigned i);
  /// Checks the number of given inputs (absent trailing ones included).
  mlir::LogicalResult checkNumInputs(unsigned min, unsigned max);

  /// The elements of input `i` when it is a constant (an initializer, a
  /// Constant node or a folded shape computation), else null.
  mlir::ElementsAttr getConstantInput(unsigned i) const;
  /// The values of input `i` when it is an integer constant, else nullopt.
  std::optional<llvm::SmallVector<int64_t>> getConstantInts(unsigned i) const;
  /// Like getConstantInts, but emits an error naming `role` (e.g. "shape")
  /// when the input is not a constant.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getRequiredConstantInts(unsigned i, llvm::StringRef role);

  /// Normalizes `axis` in [-rank, rank) to [0, rank); emits an error when
  /// it is out of range, which it always is for rank 0.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *getAttr(llvm::StringRef attrName) const;
  int64_t getIntAttr(llvm::StringRef attrName, int64_t defaultValue) const;
  float getFloatAttr(llvm::StringRef attrName, float defaultValue) const;
  std::string getStringAttr(llvm::StringRef attrName,
                            llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>>
  getIntsAttr(llvm::StringRef attrName) const;

  //===--------------------------------------------------------------------===//
  // Results
  //===--------------------------------------------------------------------===//

  unsigned getNumOutputs() const { return node.output_size(); }
  /// Whether output `i` exists and has a name (is used by the graph).
  bool hasOutput(unsigned i) const;
  /// The type the graph declares for output `i` (value_info or graph output)
  /// when it is a ranked tensor of a supported element type, else null.
  mlir::RankedTensorType getDeclaredOutputType(unsigned i) const;
  /// Binds output `i` to `value`.
  void setOutput(unsigned i, mlir::Value value);
  /// Binds output 0 to `value`; returns failure when creating it failed.
  mlir::LogicalResult setResult(mlir::FailureOr<mlir::Value> value) {
    if (mlir::failed(value))
      return mlir::failure();
    setOutput(0, *value);
    return mlir::success();
  }

  //===--------------------------------------------------------------------===//
  // Creating ops
  //===--------------------------------------------------------------------===//

  /// Creates an op whose result type is inferred, e.g.
  /// `create<mllm::AddOp>(lhs, rhs)`. When inference or the verifier rejects
  /// the operands, emits an error at the node saying why and returns failure
  /// instead of aborting.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    // The builder that takes the result type fills operands, attributes and
    // properties without running inference (which aborts on failure).
    OpTy::build(builder, state, mlir::Type(), std::forward<Args>(args)...);
    state.types.clear();
    return finishCreate(state, &OpTy::inferReturnTypes);
  }

  /// Creates an op with an explicit result type (mllm.reshape, mllm.cast).
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createWithType(mlir::Type resultType,
                                              Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(builder, state, resultType, std::forward<Args>(args)...);
    return finishCreate(state, nullptr);
  }

  /// Creates an `mllm.constant`.
  mlir::Value createConstant(mlir::ElementsAttr value);
  /// A rank-0 constant of `elementType` (a float or integer type).
  mlir::Value createScalar(mlir::Type elementType, double value);

  /// The type of a value: every value in the graph is a ranked tensor.
  static mlir::RankedTensorType getType(mlir::Value value) {
    return mlir::cast<mlir::RankedTensorType>(value.getType());
  }

private:
  using InferFn = mlir::LogicalResult (*)(
      mlir::MLIRContext *, std::optional<mlir::Location>, mlir::ValueRange,
      mlir::DictionaryAttr, mlir::OpaqueProperties, mlir::RegionRange,
      llvm::SmallVectorImpl<mlir::Type> &);
  /// Infers the result types (when `infer` is set), creates and verifies the
  /// op; on failure emits one node-located error carrying the reason.
  mlir::FailureOr<mlir::Value> finishCreate(mlir::OperationState &state,
                                            InferFn infer);
  /// Folds `op` when all its operands are inline integer constants (shape
  /// computations), or element by element when they are shape values
  /// (ShapeValues.h), and returns the folded value, else op's result.
  mlir::Value foldShapeComputation(mlir::Operation *op);

  mlir::OpBuilder &builder;
  ModelStorage &storage;
  ValueTable &table;
  const onnx::NodeProto &node;
  std::string name;
  mlir::Location loc;
  llvm::SmallVector<mlir::Value> inputs;
};

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_NODECONTEXT_H
