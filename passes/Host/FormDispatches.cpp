//===- FormDispatches.cpp - Split entry functions into dispatches ---------===//
//
// Every op of an entry function that computes (a linalg op, a tensor op that
// moves data) becomes its own dispatch function, called from the entry
// function. What is cheap to recompute travels with it: `tensor.empty`
// destinations, constants, and a `linalg.fill` that only initializes it.
// Buffer aliases (reshapes), weight loads and the arguments stay in the entry
// function, which is left as the host program: values flowing between calls.
// So does the size arithmetic of dynamic shapes (tensor.dim, index
// arithmetic): a dispatch that needs a size takes it as an index argument,
// and the runtime evaluates it from the input shapes (SizeExpressions.h).
//
// A matmul and the elementwise op that is the only user of its result
// (bias, activation, residual: one generic after mllmc-fuse-elementwise) form
// one dispatch, so that a target can apply the elementwise op to the
// accumulators before they are stored (an epilogue). The generic then writes
// in place into the matmul's result: it is the generic's init.
//
// An entry function result that no dispatch writes (an argument, a weight, a
// value returned twice) gets a copy dispatch, so that every output has a
// buffer of its own. Ops that compute only empty tensors get no dispatch.
//
//===----------------------------------------------------------------------===//

#include "passes/HostProgram.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mllmc {
#define GEN_PASS_DEF_FORMDISPATCHES
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;
using namespace mllmc;

/// Whether `op` computes a size: tensor.dim, or arithmetic on index values
/// without memory effects (divisions included: they are not speculatable,
/// but a size's divisor is never 0).
static bool isSizeComputation(Operation *op) {
  if (isa<tensor::DimOp>(op))
    return true;
  auto isIndex = [](Type type) { return type.isIndex(); };
  return op->getNumResults() > 0 && op->getNumRegions() == 0 &&
         isMemoryEffectFree(op) &&
         llvm::all_of(op->getResultTypes(), isIndex) &&
         llvm::all_of(op->getOperandTypes(), isIndex);
}

/// Ops that stay in the host program.
static bool staysOnHost(Operation *op) {
  return isa<func::ReturnOp, func::CallOp, tensor::EmptyOp,
             ml_program::GlobalLoadConstOp>(op) ||
         op->hasTrait<OpTrait::ConstantLike>() || isBufferAlias(op) ||
         isSizeComputation(op);
}

/// Whether `producer` is cloned into the dispatch of its users rather than
/// passed to it as a buffer: destinations, constants and fills are cheaper to
/// recompute than to read.
static bool isClonedIntoDispatch(Operation *producer) {
  if (isBufferAlias(producer)) {
    Operation *root = getBufferRoot(producer->getResult(0)).getDefiningOp();
    return root && isClonedIntoDispatch(root);
  }
  return isa<tensor::EmptyOp, linalg::FillOp>(producer) ||
         producer->hasTrait<OpTrait::ConstantLike>();
}

/// The values `op` reads: its operands and the values its regions capture.
static llvm::SetVector<Value> getInputs(Operation *op) {
  llvm::SetVector<Value> inputs(op->getOperands().begin(),
                                op->getOperands().end());
  for (Region &region : op->getRegions())
    getUsedValuesDefinedAbove(region, inputs);
  return inputs;
}

/// The ops to clone into the dispatch of `group`, in program order.
static SmallVector<Operation *>
collectClonedProducers(ArrayRef<Operation *> group) {
  llvm::SetVector<Operation *> cloned;
  SmallVector<Operation *> worklist(group);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Value operand : getInputs(op)) {
      Operation *producer = operand.getDefiningOp();
      if (producer && isClonedIntoDispatch(producer) && cloned.insert(producer))
        worklist.push_back(producer);
    }
  }
  SmallVector<Operation *> ordered = cloned.takeVector();
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

/// "dispatch_<index>_<op>_<sizes>_<element type>", as IREE names its
/// dispatches: what a profile or a disassembly shows of the dispatch. The
/// sizes are the loop ranges of a linalg op ("D" where dynamic), else the
/// shape of the first result; e.g. dispatch_3_matmul_577x4096x1024_f32.
static std::string getDispatchName(Operation *op, unsigned index) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "dispatch_" << index << '_' << op->getName().stripDialect();
  auto shaped = op->getNumResults() == 0
                    ? ShapedType()
                    : dyn_cast<ShapedType>(op->getResult(0).getType());
  SmallVector<int64_t> sizes;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    sizes = linalgOp.getStaticLoopRanges();
  else if (shaped && shaped.hasRank())
    sizes = llvm::to_vector(shaped.getShape());
  if (!sizes.empty()) {
    os << '_';
    llvm::interleave(
        sizes, os,
        [&](int64_t size) {
          if (ShapedType::isDynamic(size))
            os << 'D';
          else
            os << size;
        },
        "x");
  }
  if (shaped)
    os << '_' << shaped.getElementType();
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

/// Moves `group` (ops in program order, with their cloned producers) into a
/// new dispatch function named after its first op (getDispatchName), and calls
/// that function in place of the last op, `root`, the only one whose results
/// are used after.
static func::FuncOp outlineDispatch(ArrayRef<Operation *> group,
                                    SymbolTable &symbols, unsigned index) {
  Operation *root = group.back();
  SmallVector<Operation *> producers = collectClonedProducers(group);
  SmallVector<Operation *> ordered(producers);
  ordered.append(group.begin(), group.end());
  llvm::SmallPtrSet<Operation *, 8> inside(ordered.begin(), ordered.end());
  // Inputs in program order, so that the signature is deterministic.
  llvm::SetVector<Value> inputs;
  for (Operation *op : ordered)
    for (Value operand : getInputs(op))
      if (!operand.getDefiningOp() || !inside.contains(operand.getDefiningOp()))
        inputs.insert(operand);

  MLIRContext *context = root->getContext();
  auto module = root->getParentOfType<ModuleOp>();
  auto moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
  std::string name = getDispatchName(group.front(), index);
  auto type = FunctionType::get(context, TypeRange(inputs.getArrayRef()),
                                root->getResultTypes());
  auto dispatch =
      func::FuncOp::create(moduleBuilder, root->getLoc(), name, type);
  dispatch->setAttr(kDispatchAttr, UnitAttr::get(context));
  // Dispatches never write their inputs: bufferization copies instead.
  for (unsigned i = 0, e = inputs.size(); i < e; ++i)
    dispatch.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(context, false));
  symbols.insert(dispatch);

  Block *body = dispatch.addEntryBlock();
  OpBuilder builder = OpBuilder::atBlockBegin(body);
  IRMapping mapping;
  mapping.map(inputs.getArrayRef(), body->getArguments());
  for (Operation *op : ordered)
    builder.clone(*op, mapping);
  func::ReturnOp::create(builder, root->getLoc(),
                         llvm::map_to_vector(root->getResults(), [&](Value v) {
                           return mapping.lookup(v);
                         }));

  OpBuilder callBuilder(root);
  auto call = func::CallOp::create(callBuilder, root->getLoc(), dispatch,
                                   inputs.getArrayRef());
  root->replaceAllUsesWith(call.getResults());
  for (Operation *op : llvm::reverse(group))
    op->erase();
  for (Operation *producer : llvm::reverse(producers))
    if (producer->use_empty())
      producer->erase();
  return dispatch;
}

/// The elementwise op that forms one dispatch with the (batch) matmul `op`:
/// an all-parallel linalg.generic that is the only user of the matmul's
/// result and reads it at the same index (identity map), writing an output
/// of the same type whose old value it does not read. Its other operands may
/// be broadcast (a bias row) or of the same shape (a residual).
static linalg::GenericOp getEpilogue(Operation *op) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
      op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return {};
  OpOperand &use = *op->getResult(0).getUses().begin();
  auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!consumer || consumer->getBlock() != op->getBlock() ||
      !consumer.isDpsInput(&use) || consumer.getNumDpsInits() != 1 ||
      consumer.getNumLoops() != consumer.getNumParallelLoops())
    return {};
  OpOperand *init = consumer.getDpsInitOperand(0);
  if (init->get().getType() != use.get().getType() ||
      consumer.payloadUsesValueFromOperand(init) ||
      !consumer.getMatchingIndexingMap(init).isIdentity() ||
      !consumer.getMatchingIndexingMap(&use).isIdentity())
    return {};
  if (!llvm::all_of(consumer.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return {};
  return consumer;
}

/// Rewrites `consumer` (getEpilogue of `matmul`) so that it reads the
/// matmul's result as its init instead of an input: it then writes in place.
static Operation *readResultAsInit(linalg::GenericOp consumer,
                                   Operation *matmul) {
  Value result = matmul->getResult(0);
  OpOperand &use = *result.getUses().begin();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    if (input == &use)
      continue;
    inputs.push_back(input->get());
    maps.push_back(consumer.getMatchingIndexingMap(input));
  }
  maps.push_back(consumer.getMatchingIndexingMap(&use));
  OpBuilder builder(consumer);
  auto fused = linalg::GenericOp::create(
      builder, consumer.getLoc(), consumer.getResultTypes(), inputs, result,
      maps, consumer.getIteratorTypesArray());
  Block *oldBody = consumer.getBlock();
  Block *body = builder.createBlock(&fused.getRegion());
  IRMapping mapping;
  for (OpOperand &operand : consumer->getOpOperands()) {
    BlockArgument old = oldBody->getArgument(operand.getOperandNumber());
    if (&operand == &use || consumer.isDpsInit(&operand))
      continue;
    mapping.map(old, body->addArgument(old.getType(), old.getLoc()));
  }
  BlockArgument out = body->addArgument(getElementTypeOrSelf(result.getType()),
                                        consumer.getLoc());
  mapping.map(oldBody->getArgument(use.getOperandNumber()), out);
  mapping.map(consumer.getMatchingBlockArgument(consumer.getDpsInitOperand(0)),
              out);
  for (Operation &op : *oldBody)
    builder.clone(op, mapping);
  consumer->replaceAllUsesWith(fused->getResults());
  consumer->erase();
  return fused;
}

/// Whether `type` is a static tensor without elements.
static bool isEmptyTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getNumElements() == 0;
}

/// A `tensor.empty` of the static tensor type `type`.
static Value createEmpty(OpBuilder &builder, Location loc, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return tensor::EmptyOp::create(builder, loc, tensor.getShape(),
                                 tensor.getElementType());
}

/// A `tensor.empty` of the shape of `value` (its dynamic dims read with
/// tensor.dim).
static Value createEmptyLike(OpBuilder &builder, Location loc, Value value) {
  auto tensor = cast<RankedTensorType>(value.getType());
  return tensor::EmptyOp::create(builder, loc,
                                 tensor::getMixedSizes(builder, loc, value),
                                 tensor.getElementType());
}

/// Replaces an op that computes only empty tensors by `tensor.empty`s: no
/// dispatch writes them, and none takes a zero-size buffer.
static void replaceByEmpty(Operation *op) {
  OpBuilder builder(op);
  for (OpResult result : op->getResults())
    result.replaceAllUsesWith(
        createEmpty(builder, op->getLoc(), result.getType()));
  op->erase();
}

/// Gives `value` a buffer of its own with a copy dispatch.
static void insertCopy(OpOperand &use, SymbolTable &symbols, unsigned index) {
  Value value = use.get();
  OpBuilder builder(use.getOwner());
  Location loc = value.getLoc();
  auto copy = linalg::CopyOp::create(builder, loc, value,
                                     createEmptyLike(builder, loc, value));
  use.set(copy.getResult(0));
  outlineDispatch(copy.getOperation(), symbols, index);
}

namespace {
struct FormDispatchesPass
    : mllmc::impl::FormDispatchesBase<FormDispatchesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && !isDispatch(func))
        entries.push_back(func);

    unsigned index = 0;
    for (func::FuncOp entry : entries) {
      // Matmuls with an elementwise epilogue, keyed by the epilogue.
      Block &body = entry.getBody().front();
      llvm::DenseMap<Operation *, Operation *> epilogues;
      for (Operation &op : body)
        if (linalg::GenericOp consumer = getEpilogue(&op);
            consumer && !llvm::any_of(op.getResultTypes(), isEmptyTensor))
          epilogues[readResultAsInit(consumer, &op)] = &op;
      llvm::SmallPtrSet<Operation *, 8> withEpilogue;
      for (auto [epilogue, matmul] : epilogues)
        withEpilogue.insert(matmul);

      // A fill travels with the dispatches that use it (directly or through
      // a reshape), so it is skipped here; so does a matmul, which travels
      // with its epilogue.
      for (Operation &op : llvm::make_early_inc_range(body)) {
        if (staysOnHost(&op) || withEpilogue.contains(&op))
          continue;
        if (op.getNumResults() > 0 &&
            llvm::all_of(op.getResultTypes(), isEmptyTensor))
          replaceByEmpty(&op);
        else if (Operation *matmul = epilogues.lookup(&op))
          outlineDispatch({matmul, &op}, symbols, index++);
        else if (!isa<linalg::FillOp>(op))
          outlineDispatch(&op, symbols, index++);
      }
      // A fill still used is one the host program needs a buffer of (it is
      // returned): it gets a dispatch of its own too.
      for (auto fill :
           llvm::make_early_inc_range(body.getOps<linalg::FillOp>()))
        if (!fill->use_empty())
          outlineDispatch(fill.getOperation(), symbols, index++);

      // A reshaped destination is a destination of the new shape (a reshaped
      // fill, a fill of the new shape); without this, bufferization would
      // allocate and copy.
      RewritePatternSet patterns(&getContext());
      tensor::populateFoldTensorEmptyPatterns(patterns);
      linalg::FillOp::getCanonicalizationPatterns(patterns, &getContext());
      FrozenRewritePatternSet frozen(std::move(patterns));
      for (auto func : module.getOps<func::FuncOp>())
        if (isDispatch(func) && failed(applyPatternsGreedily(func, frozen)))
          return signalPassFailure();

      // Every result needs a buffer written by a dispatch, one per result.
      auto ret = cast<func::ReturnOp>(entry.getBody().front().getTerminator());
      llvm::SmallPtrSet<Value, 4> written;
      for (OpOperand &use : ret->getOpOperands()) {
        // An empty result has nothing to write.
        if (isEmptyTensor(use.get().getType())) {
          if (!use.get().getDefiningOp<tensor::EmptyOp>()) {
            OpBuilder builder(ret);
            use.set(createEmpty(builder, ret->getLoc(), use.get().getType()));
          }
          continue;
        }
        Value root = getBufferRoot(use.get());
        if (!root.getDefiningOp<func::CallOp>() || !written.insert(root).second)
          insertCopy(use, symbols, index++);
      }
    }
  }
};
} // namespace
