//===- OnnxImporter.cpp - ONNX model to mllm dialect ----------------------===//
//
// Imports the main graph of a model as `func.func @main`: graph inputs become
// arguments, initializers `mllm.constant` ops, each node is converted by its
// registered conversion (OpRegistry) and the graph outputs are returned.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/OnnxImporter.h"
#include "frontends/onnx/ModelStorage.h"
#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ShapeValues.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/mllm/IR/MllmDialect.h"
#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

ImportedModel::ImportedModel(std::unique_ptr<ModelStorage> storage,
                             OwningOpRef<ModuleOp> module)
    : storage(std::move(storage)), module(std::move(module)) {}

ImportedModel::~ImportedModel() = default;

namespace {

/// Builds `func.func @main` from the model's main graph.
class GraphImporter {
public:
  GraphImporter(MLIRContext &context, ModelStorage &storage)
      : context(context), storage(storage), builder(&context),
        graph(storage.getModel().graph()),
        fileLoc(FileLineColLoc::get(&context, storage.getPath(), 0, 0)) {}

  OwningOpRef<ModuleOp> import();

private:
  InFlightDiagnostic emitFileError() {
    // Located at the model file: printed as "<file>: error: <message>".
    return emitError(fileLoc);
  }
  Location getNameLoc(StringRef name) {
    return NameLoc::get(StringAttr::get(&context, name), fileLoc);
  }

  LogicalResult collectDeclaredTypes();
  FailureOr<func::FuncOp> createFunction(ModuleOp module);
  LogicalResult importInitializers();
  LogicalResult importNode(const onnx::NodeProto &node, int index);
  LogicalResult createReturn(func::FuncOp func);

  MLIRContext &context;
  ModelStorage &storage;
  OpBuilder builder;
  const onnx::GraphProto &graph;
  Location fileLoc;
  ValueTable table;
};

} // namespace

LogicalResult GraphImporter::collectDeclaredTypes() {
  for (const onnx::ValueInfoProto &info : graph.value_info())
    table.declaredTypes[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.output())
    table.declaredTypes[info.name()] = &info.type();
  return success();
}

FailureOr<func::FuncOp> GraphImporter::createFunction(ModuleOp module) {
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());

  SmallVector<Type> argTypes;
  SmallVector<Attribute> argAttrs;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    // Inputs with an initializer are weights (IR version < 4 lists them).
    if (initializerNames.contains(input.name()))
      continue;
    SmallVector<std::string> dimNames;
    RankedTensorType type = convertTensorType(
        &context, input.type(),
        [&] {
          return emitFileError() << "graph input '" << input.name() << "': ";
        },
        &dimNames);
    if (!type)
      return failure();
    NamedAttrList attrs;
    attrs.set("mllm.name", builder.getStringAttr(input.name()));
    if (!type.hasStaticShape()) {
      SmallVector<Attribute> names;
      for (const std::string &dimName : dimNames)
        names.push_back(builder.getStringAttr(dimName));
      attrs.set("mllm.dim_names", builder.getArrayAttr(names));
    }
    argTypes.push_back(type);
    argAttrs.push_back(attrs.getDictionary(&context));
    argNames.push_back(input.name());
  }

  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  func.setAllArgAttrs(argAttrs);
  Block *entry = func.addEntryBlock();
  for (auto [name, arg] : llvm::zip(argNames, entry->getArguments())) {
    arg.setLoc(getNameLoc(name));
    table.values[name] = arg;
  }
  builder.setInsertionPointToStart(entry);
  return func;
}

LogicalResult GraphImporter::importInitializers() {
  for (const onnx::TensorProto &init : graph.initializer()) {
    FailureOr<ElementsAttr> value =
        convertTensor(&context, init, init.name(), storage, [&] {
          return emitFileError() << "initializer '" << init.name() << "': ";
        });
    if (failed(value))
      return failure();
    Location loc = getNameLoc(init.name());
    // The artifact stores weights as whole bytes: a bool initializer of
    // mixed values (an inline i1 attribute would be bit-packed) is kept as
    // i8 bytes and cast to i1.
    auto dense = dyn_cast<DenseElementsAttr>(*value);
    if (dense && dense.getElementType().isInteger(1) && !dense.isSplat()) {
      SmallVector<int8_t> bytes;
      for (bool bit : dense.getValues<bool>())
        bytes.push_back(bit);
      Value stored = mllm::ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(dense.getType().clone(builder.getI8Type()),
                                 ArrayRef(bytes)));
      table.values[init.name()] =
          mllm::CastOp::create(builder, loc, dense.getType(), stored);
      continue;
    }
    table.values[init.name()] = mllm::ConstantOp::create(builder, loc, *value);
  }
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        int index) {
  std::string name = node.name();
  if (name.empty())
    name = node.op_type() + "_" + std::to_string(index);
  Location loc = getNameLoc(name);
  auto emitNodeError = [&]() {
    return emitError(loc) << node.op_type() << ": ";
  };

  const OpConversion *conversion =
      OpRegistry::get().lookup(node.domain(), node.op_type());
  if (!conversion) {
    emitError(loc) << "unsupported ONNX op '" << node.op_type() << "' (domain '"
                   << node.domain()
                   << "'); supported ops are listed in docs/onnx-support.md "
                      "(mllmc --list-onnx-ops)";
    return failure();
  }

  // An op whose semantics changed after the model's opset is imported only
  // from the opset its conversion implements.
  int64_t opset = storage.getOpsetVersion();
  if (conversion->domain.empty() && opset < conversion->sinceVersion) {
    emitNodeError() << "the model uses ONNX opset " << opset
                    << "; mllmc imports " << node.op_type() << " from opset "
                    << conversion->sinceVersion
                    << " on. Convert the model with onnx.version_converter, "
                       "e.g. to opset 17: python -c \"import onnx, "
                       "onnx.version_converter as vc; onnx.save("
                       "vc.convert_version(onnx.load('"
                    << storage.getPath() << "'), 17), 'model-opset17.onnx')\"";
    return failure();
  }

  SmallVector<Value> inputs;
  for (const std::string &inputName : node.input()) {
    if (inputName.empty()) {
      inputs.push_back(nullptr);
      continue;
    }
    Value value = table.values.lookup(inputName);
    if (!value) {
      emitNodeError() << "input '" << inputName
                      << "' is not a graph input, an initializer or the "
                         "output of an earlier node; the graph is invalid or "
                         "not topologically sorted (check it with "
                         "onnx.checker.check_model)";
      return failure();
    }
    inputs.push_back(value);
  }

  NodeContext nodeContext(builder, storage, table, node, name, loc,
                          std::move(inputs));
  if (failed(conversion->convert(nodeContext)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i) {
    if (!node.output(i).empty() && !table.values.count(node.output(i))) {
      emitNodeError() << "output #" << i << " ('" << node.output(i)
                      << "') is not supported by the importer; remove its "
                         "uses from the model";
      return failure();
    }
  }
  return success();
}

LogicalResult GraphImporter::createReturn(func::FuncOp func) {
  SmallVector<Value> results;
  SmallVector<Attribute> resultAttrs;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = table.values.lookup(output.name());
    if (!value) {
      emitFileError() << "graph output '" << output.name()
                      << "' is not produced by any node, graph input or "
                         "initializer; the graph is invalid";
      return failure();
    }
    // The declared type must agree with the computed one where both are
    // known; the computed type is kept (it may be more precise).
    RankedTensorType declared;
    {
      ScopedDiagnosticHandler ignore(&context,
                                     [](Diagnostic &) { return success(); });
      declared = convertTensorType(&context, output.type(),
                                   [&] { return emitError(fileLoc); });
    }
    if (declared &&
        (failed(verifyCompatibleShape(declared, value.getType())) ||
         declared.getElementType() != getElementTypeOrSelf(value.getType()))) {
      emitFileError() << "graph output '" << output.name()
                      << "' is declared as " << declared
                      << " but the graph computes " << value.getType()
                      << "; the model's shapes are inconsistent (check it "
                         "with onnx.shape_inference.infer_shapes(model, "
                         "strict_mode=True))";
      return failure();
    }
    results.push_back(value);
    resultAttrs.push_back(builder.getDictionaryAttr(builder.getNamedAttr(
        "mllm.name", builder.getStringAttr(output.name()))));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(func.getArgumentTypes(),
                                               ValueRange(results).getTypes()));
  func.setAllResultAttrs(resultAttrs);
  finalizeShapeValues(func);
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::import() {
  // Shape computations on symbolic dims (ShapeValues.h) use index
  // arithmetic and tensor ops, Range and ConstantOfShape linalg.
  context.loadDialect<func::FuncDialect, mllm::MllmDialect, arith::ArithDialect,
                      tensor::TensorDialect, linalg::LinalgDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (failed(collectDeclaredTypes()))
    return nullptr;
  FailureOr<func::FuncOp> func = createFunction(*module);
  if (failed(func) || failed(importInitializers()))
    return nullptr;
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return nullptr;
  if (failed(createReturn(*func)))
    return nullptr;

  // Weights no node uses and constants left over from folded shape
  // computations.
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(func->getBody().front())))
    if (isa<mllm::ConstantOp>(op) && op.use_empty())
      op.erase();

  if (failed(verify(*module))) {
    emitFileError() << "the imported module is invalid (an importer bug); "
                       "please report it with the model";
    return nullptr;
  }
  return module;
}

/// Binds the dimensions and inputs of a loaded model and imports its graph.
static std::unique_ptr<ImportedModel>
importStorage(MLIRContext &context, std::unique_ptr<ModelStorage> storage,
              ArrayRef<InputBinding> bindings,
              ArrayRef<DimensionBinding> dimensions, Location fileLoc) {
  if (!storage || failed(storage->bindDimensions(dimensions, fileLoc)) ||
      failed(storage->bindInputs(bindings, fileLoc)))
    return nullptr;
  OwningOpRef<ModuleOp> module = GraphImporter(context, *storage).import();
  if (!module)
    return nullptr;
  return std::make_unique<ImportedModel>(std::move(storage), std::move(module));
}

std::unique_ptr<ImportedModel>
mllmc::onnx_frontend::importOnnxModel(MLIRContext &context, StringRef path,
                                      ArrayRef<InputBinding> bindings,
                                      ArrayRef<DimensionBinding> dimensions) {
  Location fileLoc = FileLineColLoc::get(&context, path, 0, 0);
  return importStorage(context, ModelStorage::load(path, fileLoc), bindings,
                       dimensions, fileLoc);
}

std::unique_ptr<ImportedModel> mllmc::onnx_frontend::importOnnxModelFromMemory(
    MLIRContext &context, StringRef bytes, StringRef name,
    ArrayRef<InputBinding> bindings) {
  Location fileLoc = FileLineColLoc::get(&context, name, 0, 0);
  return importStorage(context,
                       ModelStorage::loadFromMemory(bytes, name, fileLoc),
                       bindings, /*dimensions=*/{}, fileLoc);
}
