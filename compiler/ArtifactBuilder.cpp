//===- ArtifactBuilder.cpp - A compiled program as an artifact ------------===//

#include "compiler/ArtifactBuilder.h"
#include "passes/Host/SizeExpressions.h"
#include "passes/HostProgram.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/MathExtras.h"

#include <map>
#include <optional>
#include <tuple>

using namespace mlir;
using namespace mllmc;

/// Alignment of every weight inside the weight section.
static constexpr uint64_t kWeightAlignment = 64;

static FailureOr<artifact::ElementType> getElementType(Location loc,
                                                       Type type) {
  if (auto integer = dyn_cast<IntegerType>(type);
      integer && integer.isUnsigned()) {
    switch (integer.getWidth()) {
    case 64:
      return artifact::ElementType::U64;
    case 32:
      return artifact::ElementType::U32;
    case 16:
      return artifact::ElementType::U16;
    case 8:
      return artifact::ElementType::U8;
    }
  }
  if (type.isF32())
    return artifact::ElementType::F32;
  if (type.isF16())
    return artifact::ElementType::F16;
  if (type.isBF16())
    return artifact::ElementType::BF16;
  if (type.isF64())
    return artifact::ElementType::F64;
  if (type.isInteger(1))
    return artifact::ElementType::I1;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    switch (integer.getWidth()) {
    case 64:
      return artifact::ElementType::I64;
    case 32:
      return artifact::ElementType::I32;
    case 16:
      return artifact::ElementType::I16;
    case 8:
      return artifact::ElementType::I8;
    }
  }
  return emitError(loc) << "element type " << type
                        << " cannot cross the artifact boundary";
}

/// The raw bytes of a weight, as the kernels read them.
static FailureOr<ArrayRef<char>> getWeightBytes(ml_program::GlobalOp global) {
  Attribute value = global.getValueAttr();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
    return global.emitError()
           << "weight '" << global.getSymName() << "' has no data";
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.isSplat() ||
      dense.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return global.emitError() << "weight '" << global.getSymName()
                              << "' is not stored as dense bytes";
  return dense.getRawData();
}

namespace {
/// Assigns buffer slot indices, one per distinct (location, offset, size).
class SlotTable {
public:
  explicit SlotTable(std::vector<artifact::BufferSlot> &slots) : slots(slots) {}

  uint32_t get(artifact::BufferLocation location, uint64_t offset,
               uint64_t size) {
    auto key = std::make_tuple(location, offset, size);
    auto [it, inserted] = indices.try_emplace(key, slots.size());
    if (inserted)
      slots.push_back({location, offset, size});
    return it->second;
  }

private:
  std::vector<artifact::BufferSlot> &slots;
  std::map<std::tuple<artifact::BufferLocation, uint64_t, uint64_t>, uint32_t>
      indices;
};

/// The size programs of one function, each built once.
class ProgramTable {
public:
  ProgramTable(std::vector<artifact::SizeProgram> &programs,
               const SizeExpressions &sizes)
      : programs(programs), sizes(sizes) {}

  uint32_t add(artifact::SizeProgram program) {
    std::vector<std::pair<int, int64_t>> key;
    for (const artifact::SizeInstruction &instruction : program)
      key.push_back({int(instruction.opcode), instruction.operand});
    auto [it, inserted] = indices.try_emplace(key, programs.size());
    if (inserted)
      programs.push_back(std::move(program));
    return it->second;
  }

  /// The program that computes `expr` (its symbols are Function::symbols).
  uint32_t get(AffineExpr expr) {
    auto it = exprIndices.find(expr);
    if (it != exprIndices.end())
      return it->second;
    artifact::SizeProgram program;
    emit(expr, program);
    uint32_t index = add(std::move(program));
    exprIndices[expr] = index;
    return index;
  }

  /// max over `terms` of the sum of the programs of each term (0 if none).
  uint32_t maxOfSums(ArrayRef<std::pair<uint32_t, uint32_t>> terms) {
    using artifact::SizeOpcode;
    artifact::SizeProgram program;
    if (terms.empty())
      program.push_back({SizeOpcode::Constant, 0});
    for (auto [i, term] : llvm::enumerate(terms)) {
      program.push_back({SizeOpcode::Size, term.first});
      program.push_back({SizeOpcode::Size, term.second});
      program.push_back({SizeOpcode::Add, 0});
      if (i > 0)
        program.push_back({SizeOpcode::Max, 0});
    }
    return add(std::move(program));
  }

private:
  void emit(AffineExpr expr, artifact::SizeProgram &program) {
    using artifact::SizeOpcode;
    if (auto constant = dyn_cast<AffineConstantExpr>(expr))
      return program.push_back({SizeOpcode::Constant, constant.getValue()});
    if (auto symbol = dyn_cast<AffineSymbolExpr>(expr)) {
      unsigned position = symbol.getPosition();
      if (position < sizes.getSymbols().size())
        return program.push_back({SizeOpcode::Symbol, position});
      // A derived symbol: the min or max of two expressions.
      const DerivedSize &derived =
          sizes.getDerived()[position - sizes.getSymbols().size()];
      emit(derived.lhs, program);
      emit(derived.rhs, program);
      return program.push_back(
          {derived.isMin ? SizeOpcode::Min : SizeOpcode::Max, 0});
    }
    auto binary = cast<AffineBinaryOpExpr>(expr);
    emit(binary.getLHS(), program);
    if (binary.getKind() == AffineExprKind::Mod) {
      // a mod b = a - floor(a / b) * b
      emit(binary.getLHS(), program);
      emit(binary.getRHS(), program);
      program.push_back({SizeOpcode::FloorDiv, 0});
      emit(binary.getRHS(), program);
      program.push_back({SizeOpcode::Mul, 0});
      program.push_back({SizeOpcode::Constant, -1});
      program.push_back({SizeOpcode::Mul, 0});
      program.push_back({SizeOpcode::Add, 0});
      return;
    }
    emit(binary.getRHS(), program);
    switch (binary.getKind()) {
    case AffineExprKind::Add:
      return program.push_back({SizeOpcode::Add, 0});
    case AffineExprKind::Mul:
      return program.push_back({SizeOpcode::Mul, 0});
    case AffineExprKind::FloorDiv:
      return program.push_back({SizeOpcode::FloorDiv, 0});
    default:
      return program.push_back({SizeOpcode::CeilDiv, 0});
    }
  }

  std::vector<artifact::SizeProgram> &programs;
  const SizeExpressions &sizes;
  std::map<std::vector<std::pair<int, int64_t>>, uint32_t> indices;
  llvm::DenseMap<AffineExpr, uint32_t> exprIndices;
};

/// Builds one entry function of the artifact.
class FunctionBuilder {
public:
  FunctionBuilder(artifact::Artifact &artifact, SlotTable &slots,
                  const TargetExecutable &executable,
                  llvm::StringMap<uint32_t> &entryPoints,
                  const llvm::StringMap<uint64_t> &weightOffsets)
      : artifact(artifact), slots(slots), executable(executable),
        entryPoints(entryPoints), weightOffsets(weightOffsets) {}

  FailureOr<artifact::Function> build(func::FuncOp func);

private:
  /// Run-time sizes: the symbols, the plan's programs, the arena size.
  LogicalResult buildSymbolicPlan(func::FuncOp func,
                                  artifact::Function &function);
  FailureOr<uint32_t> getSlot(Value value);
  FailureOr<artifact::TensorSignature> getSignature(Value value,
                                                    DictionaryAttr attrs,
                                                    unsigned index,
                                                    llvm::StringRef prefix);

  artifact::Artifact &artifact;
  SlotTable &slots;
  const TargetExecutable &executable;
  llvm::StringMap<uint32_t> &entryPoints;
  const llvm::StringMap<uint64_t> &weightOffsets;
  /// Arena offset of every planned value.
  llvm::DenseMap<Value, uint64_t> arenaOffsets;
  /// Run-time sizes (functions with symbolic dims).
  std::optional<SizeExpressions> sizes;
  std::optional<ProgramTable> programs;
  /// The offset program of every planned value.
  llvm::DenseMap<Value, uint32_t> offsetPrograms;
};
} // namespace

FailureOr<uint32_t> FunctionBuilder::getSlot(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Value root = getBufferRoot(value);
  if (sizes && !(type.hasStaticShape() && type.getNumElements() == 0) &&
      !root.getDefiningOp<ml_program::GlobalLoadConstOp>()) {
    auto it = offsetPrograms.find(root);
    FailureOr<AffineExpr> bytes = sizes->getBytes(value);
    if (failed(bytes))
      return failure();
    if (it == offsetPrograms.end())
      return emitError(value.getLoc())
             << "value has no buffer in the memory plan; run "
                "mllmc-plan-memory";
    return slots.get(artifact::BufferLocation::DynamicArena, it->second,
                     programs->get(*bytes));
  }
  uint64_t size = getTensorBytes(type);
  if (auto load = root.getDefiningOp<ml_program::GlobalLoadConstOp>())
    return slots.get(artifact::BufferLocation::Weights,
                     weightOffsets.lookup(load.getGlobal().getLeafReference()),
                     size);
  // An empty tensor needs no memory (no dispatch writes it).
  if (size == 0)
    return slots.get(artifact::BufferLocation::Arena, 0, 0);
  auto it = arenaOffsets.find(root);
  if (it == arenaOffsets.end())
    return emitError(value.getLoc())
           << "value has no buffer in the memory plan; run mllmc-plan-memory";
  return slots.get(artifact::BufferLocation::Arena, it->second, size);
}

FailureOr<artifact::TensorSignature>
FunctionBuilder::getSignature(Value value, DictionaryAttr attrs, unsigned index,
                              llvm::StringRef prefix) {
  auto type = cast<RankedTensorType>(value.getType());
  // The lowering made unsigned types signless and recorded the model's.
  auto modelType = attrs ? attrs.getAs<TypeAttr>(kElementTypeAttr) : TypeAttr();
  FailureOr<artifact::ElementType> elementType = getElementType(
      value.getLoc(), modelType ? modelType.getValue() : type.getElementType());
  FailureOr<uint32_t> slot = getSlot(value);
  if (failed(elementType) || failed(slot))
    return failure();
  artifact::TensorSignature signature;
  auto name = attrs ? attrs.getAs<StringAttr>(kNameAttr) : StringAttr();
  signature.name = name ? name.str() : (prefix + Twine(index)).str();
  signature.elementType = *elementType;
  for (int64_t dim : type.getShape())
    signature.shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  // The runtime computes an output's dynamic dims; an input's bind symbols.
  if (sizes && prefix == "output_" && !type.hasStaticShape()) {
    for (unsigned axis = 0; axis < type.getRank(); ++axis) {
      if (!type.isDynamicDim(axis)) {
        signature.dimPrograms.push_back(-1);
        continue;
      }
      FailureOr<AffineExpr> dim = sizes->getDim(value, axis);
      if (failed(dim))
        return failure();
      signature.dimPrograms.push_back(programs->get(*dim));
    }
  }
  if (auto names = attrs ? attrs.getAs<ArrayAttr>(kDimNamesAttr) : ArrayAttr())
    for (auto dimName : names.getAsValueRange<StringAttr>())
      signature.dimNames.push_back(dimName.str());
  signature.buffer = *slot;
  return signature;
}

LogicalResult FunctionBuilder::buildSymbolicPlan(func::FuncOp func,
                                                 artifact::Function &function) {
  sizes.emplace(func);
  programs.emplace(function.sizes, *sizes);
  for (const DimSymbol &symbol : sizes->getSymbols())
    function.symbols.push_back(
        {symbol.name, {symbol.sources.begin(), symbol.sources.end()}});

  auto plan = func->getAttrOfType<ArrayAttr>(kArenaPlanAttr);
  // Each buffer's offset is the largest end of the buffers below it.
  SmallVector<std::pair<uint32_t, uint32_t>> ends;
  for (Attribute entry : plan) {
    auto dict = cast<DictionaryAttr>(entry);
    AffineMap size = dict.getAs<AffineMapAttr>("size").getValue();
    SmallVector<std::pair<uint32_t, uint32_t>> below;
    for (int64_t index : dict.getAs<DenseI64ArrayAttr>("above").asArrayRef()) {
      if (index < 0 || index >= int64_t(ends.size()))
        return func.emitError() << "the memory plan is malformed";
      below.push_back(ends[index]);
    }
    uint32_t offset = programs->maxOfSums(below);
    ends.push_back({offset, programs->get(size.getResult(0))});
  }
  function.arenaSizeProgram = programs->maxOfSums(ends);

  Block &body = func.getBody().front();
  for (BlockArgument argument : func.getArguments())
    if (auto index = func.getArgAttrOfType<IntegerAttr>(argument.getArgNumber(),
                                                        kArenaBufferAttr))
      offsetPrograms[argument] = ends[index.getInt()].first;
  for (auto call : body.getOps<func::CallOp>())
    if (auto indices =
            call->getAttrOfType<DenseI64ArrayAttr>(kArenaBuffersAttr))
      for (auto [result, index] :
           llvm::zip_equal(call.getResults(), indices.asArrayRef()))
        offsetPrograms[result] = ends[index].first;
  return success();
}

FailureOr<artifact::Function> FunctionBuilder::build(func::FuncOp func) {
  artifact::Function function;
  function.name = func.getName().str();
  sizes.reset();
  programs.reset();
  offsetPrograms.clear();
  arenaOffsets.clear();
  auto arenaSize = func->getAttrOfType<IntegerAttr>(kArenaSizeAttr);
  if (func->hasAttr(kArenaPlanAttr)) {
    if (failed(buildSymbolicPlan(func, function)))
      return failure();
  } else if (!arenaSize) {
    return func.emitError() << "function has no memory plan";
  } else {
    function.arenaSize = arenaSize.getInt();
  }

  Block &body = func.getBody().front();
  for (BlockArgument argument : func.getArguments())
    if (auto offset = func.getArgAttrOfType<IntegerAttr>(
            argument.getArgNumber(), kArenaOffsetAttr))
      arenaOffsets[argument] = offset.getInt();
  for (auto call : body.getOps<func::CallOp>())
    if (auto offsets =
            call->getAttrOfType<DenseI64ArrayAttr>(kArenaOffsetsAttr))
      for (auto [result, offset] :
           llvm::zip_equal(call.getResults(), offsets.asArrayRef()))
        arenaOffsets[result] = offset;

  for (BlockArgument argument : func.getArguments()) {
    FailureOr<artifact::TensorSignature> signature =
        getSignature(argument, func.getArgAttrDict(argument.getArgNumber()),
                     argument.getArgNumber(), "input_");
    if (failed(signature))
      return failure();
    function.inputs.push_back(std::move(*signature));
  }
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    FailureOr<artifact::TensorSignature> signature =
        getSignature(value, func.getResultAttrDict(index), index, "output_");
    if (failed(signature))
      return failure();
    function.outputs.push_back(std::move(*signature));
  }

  for (auto call : body.getOps<func::CallOp>()) {
    auto launches = executable.launches.find(call.getCallee());
    if (launches == executable.launches.end())
      return call.emitError()
             << "no kernels were generated for dispatch @" << call.getCallee();
    SmallVector<Value> arguments(call.getOperands());
    llvm::append_range(arguments, call.getResults());
    for (const KernelLaunch &launch : launches->second) {
      artifact::DispatchCommand dispatch;
      auto [entry, inserted] = entryPoints.try_emplace(
          launch.entryPoint, artifact.kernels.entryPoints.size());
      if (inserted)
        artifact.kernels.entryPoints.push_back(launch.entryPoint);
      dispatch.entryPoint = entry->second;
      dispatch.workgroupCount = launch.workgroupCount;
      dispatch.workgroupSize = launch.workgroupSize;
      dispatch.sharedMemoryBytes = launch.sharedMemoryBytes;
      for (unsigned index : launch.arguments) {
        FailureOr<uint32_t> slot = getSlot(arguments[index]);
        if (failed(slot))
          return failure();
        dispatch.bindings.push_back(*slot);
      }
      for (KernelLaunch::SizeArgument size : launch.sizes) {
        if (!sizes)
          return call.emitError()
                 << "dispatch @" << call.getCallee()
                 << " takes run-time sizes, but its function has none";
        Value argument = arguments[size.argument];
        FailureOr<AffineExpr> expr = size.axis < 0
                                         ? sizes->getIndex(argument)
                                         : sizes->getDim(argument, size.axis);
        if (failed(expr))
          return failure();
        dispatch.constants.push_back(programs->get(*expr));
      }
      function.commands.push_back(std::move(dispatch));
    }
  }
  return function;
}

FailureOr<artifact::Artifact> mllmc::buildArtifact(ModuleOp module,
                                                   TargetExecutable executable,
                                                   llvm::StringRef targetName) {
  artifact::Artifact artifact;
  artifact.target = targetName.str();
  artifact.producer = "mllmc";
  artifact.kernels.format = executable.format;
  artifact.kernels.arch = executable.arch;
  artifact.kernels.binary = std::move(executable.binary);

  llvm::StringMap<uint64_t> weightOffsets;
  for (auto global : module.getOps<ml_program::GlobalOp>()) {
    FailureOr<ArrayRef<char>> bytes = getWeightBytes(global);
    if (failed(bytes))
      return failure();
    uint64_t offset = llvm::alignTo(artifact.weightsSize, kWeightAlignment);
    weightOffsets[global.getSymName()] = offset;
    artifact.weights.push_back({offset, bytes->data(), bytes->size()});
    artifact.weightsSize = offset + bytes->size();
  }

  SlotTable slots(artifact.buffers);
  llvm::StringMap<uint32_t> entryPoints;
  FunctionBuilder builder(artifact, slots, executable, entryPoints,
                          weightOffsets);
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || isDispatch(func))
      continue;
    FailureOr<artifact::Function> function = builder.build(func);
    if (failed(function))
      return failure();
    artifact.functions.push_back(std::move(*function));
  }
  return artifact;
}
