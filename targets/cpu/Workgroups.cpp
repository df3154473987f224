//===- Workgroups.cpp - Splits a CPU dispatch into workgroups -------------===//

#include "targets/cpu/Workgroups.h"
#include "targets/cpu/MatmulKernel.h"
#include "targets/cpu/PackedWeights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;

namespace mllmc::cpu {
namespace {

/// Below this many loop iterations a dispatch runs as one workgroup.
constexpr int64_t kMinWorkToSplit = 1 << 16;
/// Aim for about this many iterations per workgroup ...
constexpr int64_t kWorkPerWorkgroup = 1 << 15;
/// ... and at most this many workgroups.
constexpr int64_t kMaxWorkgroups = 64;

/// How a dispatch is split: loop `dim` of `root` in chunks of `chunk`.
struct Split {
  linalg::LinalgOp root;
  /// An elementwise epilogue of a matmul root (isMatmulEpilogue), if any.
  linalg::LinalgOp epilogue;
  SmallVector<linalg::FillOp> fills;
  unsigned dim = 0;
  int64_t extent = 0;
  int64_t chunk = 0;
};

/// The position of loop `dim` among the results of `map`, if it is one.
std::optional<unsigned> resultPosition(AffineMap map, unsigned dim) {
  for (auto [i, expr] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(expr); d && d.getPosition() == dim)
      return i;
  return std::nullopt;
}

/// A chunk of about extent / count, a multiple of `granule`, preferring one
/// that divides `extent` (so that every slice has a static size).
int64_t chooseChunk(int64_t extent, int64_t count, int64_t granule) {
  int64_t chunk =
      llvm::divideCeil(llvm::divideCeil(extent, count), granule) * granule;
  for (int64_t c = chunk; c <= 2 * chunk && c < extent; c += granule)
    if (extent % c == 0)
      return c;
  return chunk;
}

std::optional<Split> planSplit(func::FuncOp func, const MatmulTiles &tiles) {
  Split split;
  for (Operation &op : func.front()) {
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      if (split.root)
        return std::nullopt;
      split.fills.push_back(fill);
      continue;
    }
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      if (!split.root) {
        split.root = linalgOp;
        continue;
      }
      // The epilogue of a matmul runs on the matmul's slice.
      if (split.epilogue || !isMatmulLike(split.root) ||
          !isMatmulEpilogue(split.root, linalgOp))
        return std::nullopt;
      split.epilogue = linalgOp;
      continue;
    }
    // Anything else must not write memory (views, constants, allocations).
    if (op.getNumRegions() != 0)
      return std::nullopt;
    if (!isMemoryEffectFree(&op)) {
      auto effects = dyn_cast<MemoryEffectOpInterface>(op);
      if (!effects || effects.hasEffect<MemoryEffects::Write>())
        return std::nullopt;
    }
  }
  linalg::LinalgOp root = split.root;
  if (!root || !root.hasPureBufferSemantics() ||
      !isa<TilingInterface>(root.getOperation()))
    return std::nullopt;
  for (linalg::FillOp fill : split.fills)
    if (!llvm::is_contained(root.getDpsInits(), fill.getOutputs()[0]))
      return std::nullopt;

  SmallVector<int64_t> ranges = root.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  int64_t work = 1;
  for (int64_t range : ranges)
    work *= range;
  if (work < kMinWorkToSplit)
    return std::nullopt;

  auto splitsOutputs = [&](unsigned dim) {
    if (root.getIteratorTypesArray()[dim] != utils::IteratorType::parallel)
      return false;
    for (OpOperand &init : root.getDpsInitsMutable())
      if (!resultPosition(root.getMatchingIndexingMap(&init), dim))
        return false;
    return true;
  };
  int64_t granule = 1;
  if (isMatmulLike(root)) {
    unsigned columns = isa<linalg::BatchMatmulOp>(root) ? 2 : 1;
    split.dim = columns;
    std::optional<int64_t> columnGranule =
        getWorkgroupColumns(tiles, ranges[columns - 1],
                            getPackedMatmulPanelWidth(root).has_value());
    // Many batches (attention heads): split those instead.
    if (columns == 2 && ranges[0] > 1)
      split.dim = 0, granule = 1;
    else if (!columnGranule)
      return std::nullopt;
    else
      granule = *columnGranule;
  } else {
    auto dim = llvm::find_if(llvm::seq<unsigned>(0, ranges.size()),
                             [&](unsigned d) { return ranges[d] > 1; });
    if (dim == llvm::seq<unsigned>(0, ranges.size()).end())
      return std::nullopt;
    split.dim = *dim;
  }
  if (!splitsOutputs(split.dim))
    return std::nullopt;
  split.extent = ranges[split.dim];
  int64_t count =
      std::min<int64_t>({kMaxWorkgroups, work / kWorkPerWorkgroup,
                         int64_t(llvm::divideCeil(split.extent, granule))});
  if (count <= 1)
    return std::nullopt;
  split.chunk = chooseChunk(split.extent, count, granule);
  if (split.chunk >= split.extent)
    return std::nullopt;
  return split;
}

/// Replaces `op` by its slice [offsets, offsets + sizes); returns the slice.
Operation *narrow(RewriterBase &rewriter, Operation *op,
                  ArrayRef<OpFoldResult> offsets,
                  ArrayRef<OpFoldResult> sizes) {
  rewriter.setInsertionPoint(op);
  FailureOr<TilingResult> tiled =
      cast<TilingInterface>(op).getTiledImplementation(rewriter, offsets,
                                                       sizes);
  rewriter.eraseOp(op);
  return succeeded(tiled) ? tiled->tiledOps.front() : nullptr;
}

/// Runs a contiguous chunk of the iterations of `forall` (one-dimensional,
/// bufferized, static bounds) in each workgroup; returns the workgroup count,
/// or 0 where it leaves the loop as it is.
unsigned distributeForall(RewriterBase &rewriter, scf::ForallOp forall,
                          Value workgroup) {
  if (forall.getRank() != 1 || forall.getNumResults() != 0)
    return 0;
  std::optional<int64_t> lower =
      getConstantIntValue(forall.getMixedLowerBound()[0]);
  std::optional<int64_t> upper =
      getConstantIntValue(forall.getMixedUpperBound()[0]);
  std::optional<int64_t> step = getConstantIntValue(forall.getMixedStep()[0]);
  if (!lower || !upper || step != 1 || *upper - *lower <= 1)
    return 0;
  int64_t trips = *upper - *lower;
  int64_t chunk = llvm::divideCeil(trips, std::min(kMaxWorkgroups, trips));

  Location loc = forall.getLoc();
  rewriter.setInsertionPoint(forall);
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value begin = arith::AddIOp::create(
      rewriter, loc, constant(*lower),
      arith::MulIOp::create(rewriter, loc, workgroup, constant(chunk)));
  Value end = arith::MinUIOp::create(
      rewriter, loc, constant(*upper),
      arith::AddIOp::create(rewriter, loc, begin, constant(chunk)));
  auto loop = scf::ForOp::create(rewriter, loc, begin, end, constant(1));
  Block *body = forall.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, loop.getBody()->getTerminator(),
                             {loop.getInductionVar()});
  rewriter.eraseOp(forall);
  return llvm::divideCeil(trips, chunk);
}

} // namespace

unsigned distributeToWorkgroups(RewriterBase &rewriter, func::FuncOp func,
                                const MatmulTiles &tiles) {
  // Planned before the function changes: the root is the last op that writes.
  std::optional<Split> split = planSplit(func, tiles);

  Type indexType = rewriter.getIndexType();
  Value workgroup = func.front().addArgument(indexType, func.getLoc());
  SmallVector<Type> inputs(func.front().getArgumentTypes());
  func.setType(rewriter.getFunctionType(inputs, func.getResultTypes()));

  // A lowering's own parallel loop (flash attention over query tiles) is
  // split by its iterations; foralls left over run sequentially.
  SmallVector<scf::ForallOp> foralls(func.front().getOps<scf::ForallOp>());
  if (!foralls.empty()) {
    unsigned count = 0;
    if (foralls.size() == 1)
      count = distributeForall(rewriter, foralls.front(), workgroup);
    SmallVector<scf::ForallOp> rest;
    func.walk([&](scf::ForallOp forall) { rest.push_back(forall); });
    for (scf::ForallOp forall : rest)
      (void)scf::forallToForLoop(rewriter, forall);
    // The iterations of a workgroup run one after another: their stack tiles
    // (static allocas) are allocated once, at the top of the function, not
    // once per iteration.
    SmallVector<memref::AllocaOp> allocas;
    func.walk([&](memref::AllocaOp alloca) {
      if (alloca->getBlock() != &func.front() &&
          alloca.getDynamicSizes().empty() &&
          alloca.getSymbolOperands().empty())
        allocas.push_back(alloca);
    });
    for (memref::AllocaOp alloca : allocas)
      alloca->moveBefore(&func.front(), func.front().begin());
    return std::max(count, 1u);
  }
  if (!split)
    return 1;

  Location loc = split->root.getLoc();
  rewriter.setInsertionPointToStart(&func.front());
  Value chunk = arith::ConstantIndexOp::create(rewriter, loc, split->chunk);
  Value offset = arith::MulIOp::create(rewriter, loc, workgroup, chunk);
  OpFoldResult size = rewriter.getIndexAttr(split->chunk);
  if (split->extent % split->chunk != 0) {
    Value extent = arith::ConstantIndexOp::create(rewriter, loc, split->extent);
    Value left = arith::SubIOp::create(rewriter, loc, extent, offset);
    size = arith::MinUIOp::create(rewriter, loc, chunk, left).getResult();
  }
  unsigned count = llvm::divideCeil(split->extent, split->chunk);

  // The fills first, each on the slice of its output that the root writes.
  for (linalg::FillOp fill : split->fills) {
    OpOperand *init = nullptr;
    for (OpOperand &operand : split->root.getDpsInitsMutable())
      if (operand.get() == fill.getOutputs()[0])
        init = &operand;
    unsigned position =
        *resultPosition(split->root.getMatchingIndexingMap(init), split->dim);
    auto type = cast<ShapedType>(init->get().getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(rewriter.getContext(), type.getShape());
    offsets[position] = offset;
    sizes[position] = size;
    narrow(rewriter, fill, offsets, sizes);
  }
  SmallVector<int64_t> ranges = split->root.getStaticLoopRanges();
  SmallVector<OpFoldResult> offsets(ranges.size(), rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(rewriter.getContext(), ranges);
  offsets[split->dim] = offset;
  sizes[split->dim] = size;
  Operation *root = narrow(rewriter, split->root, offsets, sizes);
  // The epilogue's loops are the matmul's without the reduction; its slice
  // updates the matmul's slice of C (the same view).
  if (split->epilogue) {
    auto epilogue = cast<linalg::LinalgOp>(narrow(rewriter, split->epilogue,
                                                  ArrayRef(offsets).drop_back(),
                                                  ArrayRef(sizes).drop_back()));
    epilogue.getDpsInitOperand(0)->set(
        cast<linalg::LinalgOp>(root).getDpsInitOperand(0)->get());
  }
  return count;
}

} // namespace mllmc::cpu
