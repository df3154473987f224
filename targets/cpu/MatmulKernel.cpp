//===- MatmulKernel.cpp - Register-tiled f32 matmul on memrefs ------------===//

#include "targets/cpu/MatmulKernel.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;

namespace mllmc::cpu {

MatmulTiles chooseMatmulTiles(unsigned vectorWidth) {
  MatmulTiles tiles;
  tiles.columns = 2 * vectorWidth;
  // 32 registers with AVX-512 (16 accumulators), 16 otherwise (12 or 8).
  tiles.rows = vectorWidth >= 16 ? 8 : vectorWidth >= 8 ? 6 : 4;
  return tiles;
}

/// The default maps of a (batch) matmul with `batch` leading batch loops.
static SmallVector<AffineMap> defaultMaps(MLIRContext *context, bool batch) {
  unsigned n = batch ? 4 : 3, first = batch ? 1 : 0;
  auto dim = [&](unsigned i) { return getAffineDimExpr(first + i, context); };
  SmallVector<AffineExpr> prefix;
  if (batch)
    prefix.push_back(getAffineDimExpr(0, context));
  auto make = [&](AffineExpr a, AffineExpr b) {
    SmallVector<AffineExpr> results(prefix);
    results.append({a, b});
    return AffineMap::get(n, 0, results, context);
  };
  return {make(dim(0), dim(2)), make(dim(2), dim(1)), make(dim(0), dim(1))};
}

bool isKernelMatmul(linalg::LinalgOp op) {
  bool batch = isa<linalg::BatchMatmulOp>(op);
  if (!batch && !isa<linalg::MatmulOp>(op))
    return false;
  if (!op.hasPureBufferSemantics())
    return false;
  Type f32 = Float32Type::get(op->getContext());
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || type.getElementType() != f32)
      return false;
    // The innermost dimension must be contiguous for vector loads.
    int64_t offset;
    SmallVector<int64_t> strides;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 1)
      return false;
  }
  return op.getIndexingMapsArray() == defaultMaps(op->getContext(), batch);
}

namespace {
/// Index arithmetic helpers at one location.
struct Emitter {
  OpBuilder &b;
  Location loc;
  Value constant(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  /// `value` rounded down to a multiple of `step`.
  Value floorToMultiple(Value value, int64_t step) {
    Value c = constant(step);
    Value quotient = b.createOrFold<arith::DivUIOp>(loc, value, c);
    return b.createOrFold<arith::MulIOp>(loc, quotient, c);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return add(x, constant(y)); }
  Value min(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }
};
} // namespace

/// The MR x NR register tile at (m0, n1) over k in [k0, kEnd).
static void emitRegisterTile(OpBuilder &b, Location loc, ValueRange batch,
                             Value a, Value bMat, Value c, Value m0, Value n1,
                             Value k0, Value kEnd, const MatmulTiles &tiles) {
  Emitter e{b, loc};
  auto vectorType = VectorType::get({tiles.columns}, b.getF32Type());
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  auto indices = [&](Value row, Value column) {
    SmallVector<Value> result(batch.begin(), batch.end());
    result.append({row, column});
    return result;
  };
  SmallVector<Value> rows;
  for (int64_t i = 0; i < tiles.rows; ++i)
    rows.push_back(e.add(m0, i));

  SmallVector<Value> accumulators;
  for (Value row : rows)
    accumulators.push_back(vector::TransferReadOp::create(
        b, loc, vectorType, c, indices(row, n1), zero, ArrayRef<bool>{true}));
  auto loop = scf::ForOp::create(
      b, loc, k0, kEnd, e.constant(1), accumulators,
      [&](OpBuilder &nested, Location loc, Value k, ValueRange acc) {
        Value row = vector::TransferReadOp::create(nested, loc, vectorType,
                                                   bMat, indices(k, n1), zero,
                                                   ArrayRef<bool>{true});
        SmallVector<Value> next;
        for (auto [i, rowIndex] : llvm::enumerate(rows)) {
          Value scalar =
              memref::LoadOp::create(nested, loc, a, indices(rowIndex, k));
          Value splat =
              vector::BroadcastOp::create(nested, loc, vectorType, scalar);
          next.push_back(
              vector::FMAOp::create(nested, loc, splat, row, acc[i]));
        }
        scf::YieldOp::create(nested, loc, next);
      });
  for (auto [row, result] : llvm::zip(rows, loop.getResults()))
    vector::TransferWriteOp::create(b, loc, result, c, indices(row, n1),
                                    ArrayRef<bool>{true});
}

/// The leftover part [offsets, offsets + sizes) of the iteration space of
/// `op`, as a clone of `op` on subviews.
static void emitLeftover(OpBuilder &b, linalg::LinalgOp op,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) {
  auto tilable = cast<TilingInterface>(op.getOperation());
  (void)tilable.getTiledImplementation(b, offsets, sizes);
}

void emitMatmulKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                      const MatmulTiles &tiles) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Emitter e{rewriter, loc};
  Value a = op.getDpsInputOperand(0)->get();
  Value bMat = op.getDpsInputOperand(1)->get();
  Value c = op.getDpsInitOperand(0)->get();
  bool batched = isa<linalg::BatchMatmulOp>(op);
  unsigned first = batched ? 1 : 0;

  auto dim = [&](Value memref, unsigned i) -> Value {
    return rewriter.createOrFold<memref::DimOp>(loc, memref, i);
  };
  Value m = dim(c, first), n = dim(c, first + 1), k = dim(a, first + 1);
  Value batches = batched ? dim(c, 0) : Value();
  // An empty product leaves C as it is (mllmc-fold-zero-trip-ops removes
  // these before codegen; the pass stays safe on its own).
  SmallVector<Value> extents{m, n, k};
  if (batched)
    extents.push_back(batches);
  if (llvm::any_of(extents, [](Value v) { return isConstantIntValue(v, 0); })) {
    rewriter.eraseOp(op);
    return;
  }
  Value mMain = e.floorToMultiple(m, tiles.rows);
  Value nMain = e.floorToMultiple(n, tiles.columns);
  Value zero = e.constant(0);

  auto emitTiles = [&](OpBuilder &b, Location loc, ValueRange batch) {
    Emitter e{b, loc};
    scf::ForOp::create(
        b, loc, zero, nMain, e.constant(tiles.columns), ValueRange{},
        [&](OpBuilder &b, Location loc, Value n1, ValueRange) {
          Emitter e{b, loc};
          scf::ForOp::create(
              b, loc, zero, k, e.constant(tiles.reduction), ValueRange{},
              [&](OpBuilder &b, Location loc, Value k0, ValueRange) {
                Emitter e{b, loc};
                Value kEnd = e.min(e.add(k0, tiles.reduction), k);
                scf::ForOp::create(
                    b, loc, zero, mMain, e.constant(tiles.rows), ValueRange{},
                    [&](OpBuilder &b, Location loc, Value m0, ValueRange) {
                      emitRegisterTile(b, loc, batch, a, bMat, c, m0, n1, k0,
                                       kEnd, tiles);
                      scf::YieldOp::create(b, loc);
                    });
                scf::YieldOp::create(b, loc);
              });
          scf::YieldOp::create(b, loc);
        });
  };
  if (batched) {
    scf::ForOp::create(
        rewriter, loc, zero, batches, e.constant(1), ValueRange{},
        [&](OpBuilder &b, Location loc, Value batch, ValueRange) {
          emitTiles(b, loc, batch);
          scf::YieldOp::create(b, loc);
        });
  } else {
    emitTiles(rewriter, loc, ValueRange{});
  }

  // Leftover columns (all rows), then leftover rows (full-tile columns).
  SmallVector<OpFoldResult> batchOffset, batchSize;
  if (batched) {
    batchOffset.push_back(rewriter.getIndexAttr(0));
    batchSize.push_back(batches);
  }
  auto domain = [&](OpFoldResult mOffset, OpFoldResult mSize,
                    OpFoldResult nOffset, OpFoldResult nSize,
                    SmallVector<OpFoldResult> &offsets,
                    SmallVector<OpFoldResult> &sizes) {
    offsets = batchOffset;
    sizes = batchSize;
    offsets.append({mOffset, nOffset, rewriter.getIndexAttr(0)});
    sizes.append({mSize, nSize, k});
  };
  auto sub = [&](Value x, Value y) -> Value {
    return rewriter.createOrFold<arith::SubIOp>(loc, x, y);
  };
  auto known = [](Value v) { return getConstantIntValue(v); };
  SmallVector<OpFoldResult> offsets, sizes;
  std::optional<int64_t> nStatic = known(n), nMainStatic = known(nMain);
  if (!nStatic || !nMainStatic || *nStatic != *nMainStatic) {
    domain(rewriter.getIndexAttr(0), m, nMain, sub(n, nMain), offsets, sizes);
    emitLeftover(rewriter, op, offsets, sizes);
  }
  // A static zero size would mean "untiled" to getTiledImplementation.
  std::optional<int64_t> mStatic = known(m), mMainStatic = known(mMain);
  if ((!mStatic || !mMainStatic || *mStatic != *mMainStatic) &&
      nMainStatic != 0) {
    domain(mMain, sub(m, mMain), rewriter.getIndexAttr(0), nMain, offsets,
           sizes);
    emitLeftover(rewriter, op, offsets, sizes);
  }
  rewriter.eraseOp(op);
}

} // namespace mllmc::cpu
