//===- Vectorization.cpp - Vector code for the CPU's linalg ops -----------===//

#include "targets/cpu/Vectorization.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace mllmc::cpu {

/// Tiles `op` to [1, ..., 1, tile] and vectorizes the tile.
static void tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op,
                             int64_t vectorTile) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty())
    return;
  // Plain loads and stores only: no index arithmetic in the maps (grouped
  // attention's `h floordiv g`) or in the body (masks built from indices).
  if (!llvm::all_of(
          op.getIndexingMapsArray(),
          [](AffineMap map) { return map.isProjectedPermutation(); }) ||
      !op.getBlock()->getOps<linalg::IndexOp>().empty())
    return;
  // A vector of i1 is bit-packed in memory, but buffers hold a byte per
  // bool; LLVM legalizes bf16 vectors on x86 with compiler-rt calls, which
  // the kernel library does not link: such ops stay scalar loops.
  if (llvm::any_of(op->getOperandTypes(), [](Type type) {
        Type element = getElementTypeOrSelf(type);
        return element.isBF16() || element.getIntOrFloatBitWidth() < 8;
      }))
    return;
  SmallVector<int64_t> tileSizes(ranges.size(), 1);
  int64_t inner = ranges.back();
  tileSizes.back() = vectorTile;
  // A short innermost loop that tiles unevenly is one vector.
  if (!ShapedType::isDynamic(inner) &&
      (inner <= vectorTile || (inner % vectorTile && inner <= 4 * vectorTile)))
    tileSizes.back() = inner;
  // Only the innermost loop may reduce (a row reduction becomes one
  // vector.reduction per tile); other reductions stay scalar loops.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (llvm::any_of(ArrayRef(iterators).drop_back(), [](auto iterator) {
        return iterator == utils::IteratorType::reduction;
      }))
    return;
  // Masked reductions do not lower cleanly: those stay scalar loops.
  bool partial = ShapedType::isDynamic(inner) || inner % tileSizes.back();
  if (partial && op.getNumReductionLoops() > 0)
    return;
  // Masked tiles of an operand the innermost loop does not walk last (a
  // transpose to an uneven innermost extent: unfused attention's Kᵀ) make
  // the transfer lowering patterns rewrite each other without end: those
  // stay scalar loops.
  unsigned innermost = ranges.size() - 1;
  if (partial && llvm::any_of(op.getIndexingMapsArray(), [&](AffineMap map) {
        return map.isFunctionOfDim(innermost) &&
               map.getResults().back() !=
                   getAffineDimExpr(innermost, map.getContext());
      }))
    return;

  scf::SCFTilingOptions options;
  options.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), tileSizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return;
  rewriter.eraseOp(op);

  auto tile = cast<linalg::LinalgOp>(tiled->tiledOps.back());
  // Static tiles vectorize as they are; partial ones with masks.
  SmallVector<int64_t> vectorSizes;
  if (llvm::any_of(tile.getStaticLoopRanges(), ShapedType::isDynamic))
    vectorSizes = tileSizes;
  SmallVector<bool> scalable(vectorSizes.size(), false);
  if (failed(linalg::vectorizeOpPrecondition(tile, vectorSizes, scalable)))
    return;
  rewriter.setInsertionPoint(tile);
  if (succeeded(linalg::vectorize(rewriter, tile, vectorSizes, scalable)))
    rewriter.eraseOp(tile);
}

void vectorizeLinalgOps(RewriterBase &rewriter, func::FuncOp func,
                        int64_t vectorTile) {
  SmallVector<linalg::LinalgOp> ops;
  func.walk([&](linalg::LinalgOp op) {
    // Matmul edges left by the kernel: few iterations, scalar loops.
    if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
        op.hasPureBufferSemantics() && isa<TilingInterface>(op.getOperation()))
      ops.push_back(op);
  });
  for (linalg::LinalgOp op : ops)
    tileAndVectorize(rewriter, op, vectorTile);
}

LogicalResult lowerVectorOps(func::FuncOp func) {
  MLIRContext *context = func.getContext();
  RewritePatternSet patterns(context);
  vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
  vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorTransferLoweringPatterns(patterns,
                                                 /*maxTransferRank=*/1);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerReduction);
  vector::populateVectorContractLoweringPatterns(
      patterns, vector::VectorContractLowering::OuterProduct);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  vector::populateVectorBroadcastLoweringPatterns(patterns);
  vector::populateVectorMaskOpLoweringPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
  return applyPatternsGreedily(func, std::move(patterns));
}

} // namespace mllmc::cpu
