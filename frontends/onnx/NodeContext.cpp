//===- NodeContext.cpp - What an op conversion sees of its node -----------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/ShapeValues.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <cstring>

using namespace mllmc::onnx_frontend;
using namespace mlir;

NodeContext::NodeContext(OpBuilder &builder, ModelStorage &storage,
                         ValueTable &table, const onnx::NodeProto &node,
                         StringRef name, Location loc,
                         SmallVector<Value> inputs)
    : builder(builder), storage(storage), table(table), node(node),
      name(name.str()), loc(loc), inputs(std::move(inputs)) {}

// Diagnostics are located at the node (NameLoc in the model file): the
// driver prints "<file>: node '<name>': error: <OpType>: <message>".
InFlightDiagnostic NodeContext::emitError() {
  return mlir::emitError(loc) << node.op_type() << ": ";
}

FailureOr<Value> NodeContext::getRequiredInput(unsigned i) {
  if (Value value = getInput(i))
    return value;
  emitError() << "input #" << i << " is required but missing";
  return failure();
}

LogicalResult NodeContext::checkNumInputs(unsigned min, unsigned max) {
  if (inputs.size() >= min && inputs.size() <= max)
    return success();
  InFlightDiagnostic diag = emitError() << "expected ";
  if (min == max)
    diag << min;
  else
    diag << min << " to " << max;
  diag << " inputs, got " << inputs.size();
  return failure();
}

ElementsAttr NodeContext::getConstantInput(unsigned i) const {
  Value value = getInput(i);
  if (!value)
    return nullptr;
  if (auto constant = value.getDefiningOp<mllm::ConstantOp>())
    return constant.getValue();
  return nullptr;
}

std::optional<SmallVector<int64_t>>
NodeContext::getConstantInts(unsigned i) const {
  ElementsAttr attr = getConstantInput(i);
  if (!attr || !attr.getElementType().isSignlessInteger())
    return std::nullopt;
  SmallVector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(v.getSExtValue());
    return values;
  }
  // A resource blob: little-endian values of the element type's width.
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  unsigned width = attr.getElementType().getIntOrFloatBitWidth();
  if (!resource || (width != 32 && width != 64))
    return std::nullopt;
  ArrayRef<char> data = resource.getData();
  size_t size = width / 8;
  for (size_t offset = 0; offset + size <= data.size(); offset += size) {
    if (width == 64) {
      int64_t v;
      std::memcpy(&v, data.data() + offset, size);
      values.push_back(v);
    } else {
      int32_t v;
      std::memcpy(&v, data.data() + offset, size);
      values.push_back(v);
    }
  }
  return values;
}

FailureOr<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    emitError() << "axis " << axis << " is out of range [" << -rank << ", "
                << rank << ")";
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
NodeContext::getRequiredConstantInts(unsigned i, StringRef role) {
  if (!getInput(i)) {
    emitError() << "the '" << role << "' input (#" << i << ") is missing";
    return failure();
  }
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(i))
    return *values;
  InFlightDiagnostic diag = emitError();
  diag << "the '" << role << "' input ('" << node.input(i)
       << "') must be an integer constant (an initializer, a Constant node "
          "or a shape computation on static shapes); ";
  if (isa<BlockArgument>(inputs[i]))
    diag << "it is a graph input: fix its values at compile time with "
            "--bind-input="
         << node.input(i) << "=V0,V1,...";
  else
    diag << "fold it first, e.g. with onnxsim, or export with static shapes";
  return failure();
}

const onnx::AttributeProto *NodeContext::getAttr(StringRef attrName) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == attrName)
      return &attr;
  return nullptr;
}

int64_t NodeContext::getIntAttr(StringRef attrName,
                                int64_t defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(attrName);
  return attr ? attr->i() : defaultValue;
}

float NodeContext::getFloatAttr(StringRef attrName, float defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(attrName);
  return attr ? attr->f() : defaultValue;
}

std::string NodeContext::getStringAttr(StringRef attrName,
                                       StringRef defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(attrName);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>>
NodeContext::getIntsAttr(StringRef attrName) const {
  const onnx::AttributeProto *attr = getAttr(attrName);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

bool NodeContext::hasOutput(unsigned i) const {
  return i < unsigned(node.output_size()) && !node.output(i).empty();
}

RankedTensorType NodeContext::getDeclaredOutputType(unsigned i) const {
  if (!hasOutput(i))
    return nullptr;
  const onnx::TypeProto *type = table.declaredTypes.lookup(node.output(i));
  if (!type)
    return nullptr;
  // A declared type the importer cannot use is no error here: the op's own
  // type inference decides.
  ScopedDiagnosticHandler ignore(builder.getContext(),
                                 [](Diagnostic &) { return success(); });
  return convertTensorType(builder.getContext(), *type,
                           [&] { return mlir::emitError(loc); });
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (hasOutput(i))
    table.values[node.output(i)] = value;
}

Value NodeContext::createConstant(ElementsAttr value) {
  return mllm::ConstantOp::create(builder, loc, value);
}

Value NodeContext::createScalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return createConstant(
        DenseElementsAttr::get(type, builder.getFloatAttr(elementType, value)));
  return createConstant(DenseElementsAttr::get(
      type, builder.getIntegerAttr(elementType, static_cast<int64_t>(value))));
}

FailureOr<Value> NodeContext::finishCreate(OperationState &state,
                                           InferFn infer) {
  // Inference and verifier diagnostics are captured and reported as one
  // error that names the node.
  std::string reason;
  auto capture = [&](Diagnostic &diag) {
    if (reason.empty() && diag.getSeverity() == DiagnosticSeverity::Error)
      reason = diag.str();
    return success();
  };
  auto fail = [&]() -> FailureOr<Value> {
    emitError() << "cannot import the node as '" << state.name
                << "': " << (reason.empty() ? "invalid operands" : reason)
                << "; check the input shapes and types in the model";
    return failure();
  };

  if (infer) {
    LogicalResult inferred = failure();
    {
      ScopedDiagnosticHandler handler(builder.getContext(), capture);
      inferred = infer(builder.getContext(), state.location, state.operands,
                       state.attributes.getDictionary(builder.getContext()),
                       state.getRawProperties(), state.regions, state.types);
    }
    if (failed(inferred))
      return fail();
  }
  Operation *op = builder.create(state);
  LogicalResult verified = failure();
  {
    ScopedDiagnosticHandler handler(builder.getContext(), capture);
    verified = verify(op);
  }
  if (failed(verified)) {
    op->erase();
    return fail();
  }
  return foldShapeComputation(op);
}

/// Whether `value` is an inline (not resource) integer constant: the values
/// of shape computations, small enough to fold at import time.
static bool isInlineIntConstant(Value value) {
  auto constant = value.getDefiningOp<mllm::ConstantOp>();
  return constant && isa<DenseIntElementsAttr>(constant.getValue());
}

Value NodeContext::foldShapeComputation(Operation *op) {
  Value result = op->getResult(0);
  if (Value folded = foldShapeValues(builder, op)) {
    op->erase();
    return folded;
  }
  if (op->getNumOperands() == 0 ||
      !llvm::all_of(op->getOperands(), isInlineIntConstant))
    return result;
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(folded)) || folded.size() != 1)
    return result;
  Value replacement;
  if (auto value = dyn_cast<Value>(folded.front()))
    replacement = value;
  else if (auto attr = dyn_cast_or_null<ElementsAttr>(
               dyn_cast<Attribute>(folded.front()));
           attr && attr.getType() == result.getType())
    replacement = createConstant(attr);
  if (!replacement)
    return result;
  op->erase();
  return replacement;
}
