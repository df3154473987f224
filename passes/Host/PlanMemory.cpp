//===- PlanMemory.cpp - One arena for an entry function, by liveness ------===//
//
// Every buffer of the host program (inputs and dispatch results; aliases
// share their root's buffer, weights live in the weight section) gets an
// offset in one arena. Two buffers share bytes only when their lifetimes do
// not overlap. Lifetimes are intervals over the program's op positions:
// arguments are defined before the first op, results live to the end.
// Placement is greedy, largest buffer first, at the lowest offset that does
// not collide with a placed buffer whose lifetime overlaps (the classic
// offset-assignment heuristic of TFLite's arena planner).
//
// With symbolic dims (SizeExpressions.h) the sizes are known only at run
// time, so no offset can be a number. The order is chosen at a hint size
// (every symbol = `dim-hint`), largest first as above, and each buffer is
// placed above every earlier buffer whose lifetime overlaps its own: its
// offset is max(end of each of them), an expression valid at every size.
// Filling a gap below an earlier buffer, as the static plan does, would be
// valid at the hint but not at every size, so the dynamic plan does not.
// Buffers whose lifetimes do not overlap still share bytes.
//
//===----------------------------------------------------------------------===//

#include "passes/Host/SizeExpressions.h"
#include "passes/HostProgram.h"
#include "passes/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/MathExtras.h"

namespace mllmc {
#define GEN_PASS_DEF_PLANMEMORY
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;
using namespace mllmc;

namespace {
struct Buffer {
  Value root;
  /// Bytes; with symbolic dims, at the hint size.
  uint64_t size;
  unsigned firstUse, lastUse;
  uint64_t offset = 0;
  /// Symbolic dims: the bytes as an expression, the buffers below.
  AffineExpr sizeExpr;
  SmallVector<int64_t> below;
};

struct PlanMemoryPass : mllmc::impl::PlanMemoryBase<PlanMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!llvm::isPowerOf2_64(alignment)) {
      emitError(getOperation().getLoc())
          << "mllmc-plan-memory: alignment must be a power of two, got "
          << static_cast<uint64_t>(alignment);
      return signalPassFailure();
    }
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && !isDispatch(func) && failed(plan(func)))
        return signalPassFailure();
  }

  LogicalResult plan(func::FuncOp func) {
    Block &body = func.getBody().front();
    llvm::DenseMap<Operation *, unsigned> position;
    unsigned end = 1;
    for (Operation &op : body)
      position[&op] = end++;

    SizeExpressions sizes(func);
    SmallVector<Buffer> buffers;
    llvm::DenseMap<Value, unsigned> bufferOf;
    auto addBuffer = [&](Value root, unsigned first) -> LogicalResult {
      auto type = dyn_cast<RankedTensorType>(root.getType());
      if (!type || (!type.hasStaticShape() && !sizes.isDynamic()))
        return emitError(root.getLoc())
               << "memory planning needs static shapes or shapes derived "
                  "from the input shapes, got "
               << root.getType();
      Buffer buffer{root, 0, first, first};
      if (type.hasStaticShape()) {
        buffer.size = llvm::alignTo(getTensorBytes(type), alignment);
        buffer.sizeExpr = getAffineConstantExpr(buffer.size, func.getContext());
      } else {
        FailureOr<AffineExpr> bytes = sizes.getBytes(root);
        if (failed(bytes))
          return failure();
        int64_t align = alignment;
        buffer.sizeExpr = bytes->ceilDiv(align) * align;
        buffer.size = sizes.evaluate(buffer.sizeExpr, dimHint);
      }
      bufferOf[root] = buffers.size();
      buffers.push_back(buffer);
      return success();
    };
    for (BlockArgument argument : func.getArguments())
      if (failed(addBuffer(argument, 0)))
        return failure();
    for (auto call : body.getOps<func::CallOp>())
      for (Value result : call.getResults())
        if (failed(addBuffer(result, position[call])))
          return failure();

    // A buffer lives until the last use of its root or of any alias of it.
    for (Operation &op : body) {
      unsigned at = isa<func::ReturnOp>(op) ? end : position[&op];
      for (Value operand : op.getOperands()) {
        auto it = bufferOf.find(getBufferRoot(operand));
        if (it != bufferOf.end())
          buffers[it->second].lastUse =
              std::max(buffers[it->second].lastUse, at);
      }
    }

    SmallVector<Buffer *> order;
    for (Buffer &buffer : buffers)
      order.push_back(&buffer);
    llvm::stable_sort(order, [](const Buffer *a, const Buffer *b) {
      return a->size > b->size;
    });
    if (sizes.isDynamic())
      return planSymbolic(func, buffers, order, bufferOf, sizes);
    SmallVector<Buffer *> placed;
    uint64_t arenaSize = 0;
    for (Buffer *buffer : order) {
      SmallVector<Buffer *> live;
      for (Buffer *other : placed)
        if (other->firstUse <= buffer->lastUse &&
            buffer->firstUse <= other->lastUse)
          live.push_back(other);
      llvm::sort(live, [](const Buffer *a, const Buffer *b) {
        return a->offset < b->offset;
      });
      uint64_t offset = 0;
      for (Buffer *other : live) {
        if (offset + buffer->size <= other->offset)
          break;
        offset = std::max(offset, other->offset + other->size);
      }
      buffer->offset = offset;
      arenaSize = std::max(arenaSize, offset + buffer->size);
      placed.push_back(buffer);
    }

    Builder builder(func.getContext());
    func->setAttr(kArenaSizeAttr, builder.getI64IntegerAttr(arenaSize));
    for (BlockArgument argument : func.getArguments())
      func.setArgAttr(
          argument.getArgNumber(), kArenaOffsetAttr,
          builder.getI64IntegerAttr(buffers[bufferOf[argument]].offset));
    for (auto call : body.getOps<func::CallOp>()) {
      SmallVector<int64_t> offsets;
      for (Value result : call.getResults())
        offsets.push_back(buffers[bufferOf[result]].offset);
      call->setAttr(kArenaOffsetsAttr, builder.getDenseI64ArrayAttr(offsets));
    }
    return success();
  }

  /// Places each buffer of `order` above the earlier ones it is live with.
  LogicalResult planSymbolic(func::FuncOp func, SmallVector<Buffer> &buffers,
                             ArrayRef<Buffer *> order,
                             llvm::DenseMap<Value, unsigned> &bufferOf,
                             const SizeExpressions &sizes) {
    Builder builder(func.getContext());
    llvm::DenseMap<Buffer *, int64_t> planIndex;
    SmallVector<Attribute> plan;
    for (Buffer *buffer : order) {
      for (Buffer *other : order) {
        if (other == buffer)
          break;
        if (other->firstUse <= buffer->lastUse &&
            buffer->firstUse <= other->lastUse)
          buffer->below.push_back(planIndex[other]);
      }
      planIndex[buffer] = plan.size();
      plan.push_back(builder.getDictionaryAttr({
          builder.getNamedAttr(
              "size", AffineMapAttr::get(AffineMap::get(
                          0, sizes.getNumSymbols(), buffer->sizeExpr))),
          builder.getNamedAttr("above",
                               builder.getDenseI64ArrayAttr(buffer->below)),
      }));
    }
    SmallVector<Attribute> names;
    for (const DimSymbol &symbol : sizes.getSymbols())
      names.push_back(builder.getStringAttr(symbol.name));
    func->setAttr(kSymbolsAttr, builder.getArrayAttr(names));
    func->setAttr(kArenaPlanAttr, builder.getArrayAttr(plan));
    for (BlockArgument argument : func.getArguments())
      func.setArgAttr(
          argument.getArgNumber(), kArenaBufferAttr,
          builder.getI64IntegerAttr(planIndex[&buffers[bufferOf[argument]]]));
    for (auto call : func.getBody().front().getOps<func::CallOp>()) {
      SmallVector<int64_t> indices;
      for (Value result : call.getResults())
        indices.push_back(planIndex[&buffers[bufferOf[result]]]);
      call->setAttr(kArenaBuffersAttr, builder.getDenseI64ArrayAttr(indices));
    }
    return success();
  }
};
} // namespace
