//===- MatmulKernel.cpp - Register-tiled f32 matmul on memrefs ------------===//

#include "targets/cpu/MatmulKernel.h"
#include "targets/cpu/PackedWeights.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include <functional>

using namespace mlir;

namespace mllmc::cpu {

int64_t getFewRowsVectors(const MatmulTiles &tiles, int64_t rows, bool packed) {
  int64_t vectors = std::max<int64_t>(1, tiles.fewRowsAccumulators / rows);
  // Whole panels: a panel's rows are read once, in order.
  int64_t panel = tiles.columns / tiles.vectorWidth;
  return packed ? llvm::alignTo(vectors, panel) : vectors;
}

MatmulTiles chooseMatmulTiles(unsigned vectorWidth) {
  MatmulTiles tiles;
  tiles.vectorWidth = vectorWidth;
  tiles.columns = 2 * vectorWidth;
  // 32 registers with AVX-512 (16 accumulators), 16 otherwise (12 or 8).
  tiles.rows = vectorWidth >= 16 ? 8 : vectorWidth >= 8 ? 6 : 4;
  // Half the main tile's accumulators: measured faster than all of them for
  // a decode step (docs/performance.md).
  tiles.fewRowsAccumulators = tiles.rows;
  return tiles;
}

std::optional<int64_t> getWorkgroupColumns(const MatmulTiles &tiles,
                                           int64_t rows, bool packed) {
  if (rows >= tiles.rows)
    return tiles.columns;
  if (!packed)
    return std::nullopt;
  return getFewRowsVectors(tiles, rows, packed) * tiles.vectorWidth;
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

bool isKernelMatmul(linalg::LinalgOp op, const MatmulTiles &tiles) {
  bool batch = isa<linalg::BatchMatmulOp>(op);
  std::optional<int64_t> panelWidth = getPackedMatmulPanelWidth(op);
  if (!batch && !isa<linalg::MatmulOp>(op) && !panelWidth)
    return false;
  // Column tiles must not straddle panels.
  if (panelWidth && *panelWidth % tiles.columns != 0)
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
  return panelWidth ||
         op.getIndexingMapsArray() == defaultMaps(op->getContext(), batch);
}

/// Whether the innermost dimension of memref `value` is contiguous.
static bool hasContiguousRows(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  int64_t offset;
  SmallVector<int64_t> strides;
  return type && type.getRank() > 0 &&
         succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

bool isMatmulEpilogue(linalg::LinalgOp matmul, Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops())
    return false;
  OpOperand *init = generic.getDpsInitOperand(0);
  if (init->get() != matmul.getDpsInitOperand(0)->get() ||
      !generic.getMatchingIndexingMap(init).isIdentity())
    return false;
  return llvm::all_of(generic.getIndexingMapsArray(), [](AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/true);
  });
}

linalg::GenericOp getRegisterEpilogue(linalg::LinalgOp matmul) {
  // Views of the epilogue's operands may lie in between.
  Operation *next = matmul->getNextNode();
  while (next && next->getNumRegions() == 0 && isMemoryEffectFree(next))
    next = next->getNextNode();
  if (!isMatmulEpilogue(matmul, next))
    return {};
  auto epilogue = cast<linalg::GenericOp>(next);
  // Vectors of i1 are bit-packed and bf16 vectors need compiler-rt on x86
  // (see Vectorization.cpp): such epilogues stay generics.
  auto isVectorElement = [](Type type) {
    return (isa<FloatType>(type) && !type.isBF16()) ||
           (isa<IntegerType>(type) && type.getIntOrFloatBitWidth() >= 8);
  };
  auto isVectorCondition = [&](Type type) {
    return isVectorElement(type) || type.isInteger(1);
  };
  unsigned columns = epilogue.getNumLoops() - 1;
  AffineExpr column = getAffineDimExpr(columns, matmul->getContext());
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    if (!isa<MemRefType>(input->get().getType()) ||
        !isVectorElement(getElementTypeOrSelf(input->get().getType())))
      return {};
    // Read along the columns as vectors, or once per row and broadcast.
    if (map.isFunctionOfDim(columns) &&
        (map.getResults().back() != column || !hasContiguousRows(input->get())))
      return {};
  }
  for (Operation &op : epilogue.getBody()->without_terminator()) {
    if (op.getNumRegions() != 0 ||
        !(op.hasTrait<OpTrait::Elementwise>() ||
          op.hasTrait<OpTrait::ConstantLike>()) ||
        !llvm::all_of(op.getResultTypes(), isVectorCondition))
      return {};
  }
  return epilogue;
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
  Value add(Value x, Value y) {
    return b.createOrFold<arith::AddIOp>(loc, x, y);
  }
  Value add(Value x, int64_t y) { return add(x, constant(y)); }
  Value sub(Value x, Value y) {
    return b.createOrFold<arith::SubIOp>(loc, x, y);
  }
};

/// The shape of a register tile: `rows` rows of `vectors` vectors of `width`
/// f32 lanes each. With a mask (vectors = 1), lanes where it is false lie
/// past the last column: they are neither read nor written.
struct TileShape {
  int64_t rows;
  int64_t vectors;
  int64_t width;
  Value mask;
};

/// Where the rows of B lie: B[batch..., k, column] (row-major), or, packed
/// in panels of `panelWidth` columns (PackedWeights.h),
/// Bp[column floordiv panelWidth, k, column mod panelWidth].
struct BOperand {
  Value memref;
  std::optional<int64_t> panelWidth;
};

/// A vector of `type` at `indices` of `memref`, lanes off in `mask` (if any)
/// not read (zero).
Value loadVector(OpBuilder &b, Location loc, VectorType type, Value memref,
                 ValueRange indices, Value mask) {
  if (!mask)
    return vector::LoadOp::create(b, loc, type, memref, indices);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  return vector::MaskedLoadOp::create(b, loc, type, memref, indices, mask,
                                      zero);
}

/// Stores `value` at `indices` of `memref`, lanes off in `mask` (if any)
/// not written.
void storeVector(OpBuilder &b, Location loc, Value value, Value memref,
                 ValueRange indices, Value mask) {
  if (mask)
    vector::MaskedStoreOp::create(b, loc, memref, indices, mask, value);
  else
    vector::StoreOp::create(b, loc, value, memref, indices);
}
} // namespace

/// The value of `epilogue` for one vector of accumulators: `acc` holds
/// C[batch, row, n1 : n1 + width] (the lanes on in `mask`, if any). Inputs
/// along the columns are read as vectors; the others once and broadcast.
static Value applyEpilogue(OpBuilder &b, Location loc,
                           linalg::GenericOp epilogue, ValueRange batch,
                           Value row, Value n1, Value acc, Value mask) {
  int64_t width = cast<VectorType>(acc.getType()).getDimSize(0);
  SmallVector<Value> loops(batch.begin(), batch.end());
  loops.append({row, n1});
  unsigned columns = loops.size() - 1;
  auto splat = [&](Value scalar) -> Value {
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({width}, scalar.getType()), scalar);
  };
  IRMapping mapping;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    SmallVector<Value> indices;
    for (AffineExpr expr : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        indices.push_back(loops[dim.getPosition()]);
      else
        indices.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    }
    Type element = getElementTypeOrSelf(input->get().getType());
    Value value;
    if (map.isFunctionOfDim(columns))
      value = loadVector(b, loc, VectorType::get({width}, element),
                         input->get(), indices, mask);
    else
      value = splat(memref::LoadOp::create(b, loc, input->get(), indices));
    mapping.map(epilogue.getMatchingBlockArgument(input), value);
  }
  mapping.map(epilogue.getMatchingBlockArgument(epilogue.getDpsInitOperand(0)),
              acc);
  // Scalars from outside the body (constants) are broadcast.
  auto lookup = [&](Value value) -> Value {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    return splat(value);
  };
  Block *body = epilogue.getBody();
  for (Operation &op : body->without_terminator()) {
    if (op.hasTrait<OpTrait::ConstantLike>()) {
      mapping.map(op.getResult(0), splat(b.clone(op)->getResult(0)));
      continue;
    }
    OperationState state(loc, op.getName());
    state.addOperands(llvm::map_to_vector(op.getOperands(), lookup));
    for (Type type : op.getResultTypes())
      state.addTypes(VectorType::get({width}, type));
    state.addAttributes(op.getAttrs());
    mapping.map(op.getResults(), b.create(state)->getResults());
  }
  return lookup(body->getTerminator()->getOperand(0));
}

/// A register tile of `shape` at (m0, n1) over k in [k0, kEnd), followed by
/// `epilogue` (if any) on the accumulators. Each of its rows x vectors
/// accumulators is a dependency chain of its own: per k, one load of B per
/// vector feeds `rows` independent FMAs.
static void emitRegisterTile(OpBuilder &b, Location loc, ValueRange batch,
                             Value a, const BOperand &bMat, Value c, Value m0,
                             Value n1, Value k0, Value kEnd,
                             const TileShape &shape,
                             linalg::GenericOp epilogue) {
  Emitter e{b, loc};
  auto vectorType = VectorType::get({shape.width}, b.getF32Type());
  auto indices = [&](Value row, Value column) {
    SmallVector<Value> result(batch.begin(), batch.end());
    result.append({row, column});
    return result;
  };
  SmallVector<Value> rowIndices, columnIndices;
  for (int64_t i = 0; i < shape.rows; ++i)
    rowIndices.push_back(e.add(m0, i));
  for (int64_t j = 0; j < shape.vectors; ++j)
    columnIndices.push_back(e.add(n1, j * shape.width));
  // The indices of B's vector in row k at each column.
  SmallVector<std::function<SmallVector<Value>(Value)>> bIndices;
  for (Value column : columnIndices) {
    if (!bMat.panelWidth) {
      bIndices.push_back([&, column](Value k) { return indices(k, column); });
      continue;
    }
    Value width = e.constant(*bMat.panelWidth);
    Value panel = b.createOrFold<arith::DivUIOp>(loc, column, width);
    Value offset = b.createOrFold<arith::RemUIOp>(loc, column, width);
    bIndices.push_back([=](Value k) {
      return SmallVector<Value>{panel, k, offset};
    });
  }

  // Accumulators row-major: acc[i * vectors + j].
  SmallVector<Value> accumulators;
  for (Value row : rowIndices)
    for (Value column : columnIndices)
      accumulators.push_back(
          loadVector(b, loc, vectorType, c, indices(row, column), shape.mask));
  auto loop = scf::ForOp::create(
      b, loc, k0, kEnd, e.constant(1), accumulators,
      [&](OpBuilder &nested, Location loc, Value k, ValueRange acc) {
        SmallVector<Value> bVectors;
        for (auto &bIndex : bIndices)
          bVectors.push_back(loadVector(nested, loc, vectorType, bMat.memref,
                                        bIndex(k), shape.mask));
        SmallVector<Value> next;
        for (Value rowIndex : rowIndices) {
          Value scalar =
              memref::LoadOp::create(nested, loc, a, indices(rowIndex, k));
          Value splat =
              vector::BroadcastOp::create(nested, loc, vectorType, scalar);
          for (Value bVector : bVectors)
            next.push_back(vector::FMAOp::create(nested, loc, splat, bVector,
                                                 acc[next.size()]));
        }
        scf::YieldOp::create(nested, loc, next);
      });
  for (auto [i, row] : llvm::enumerate(rowIndices)) {
    for (auto [j, column] : llvm::enumerate(columnIndices)) {
      Value value = loop.getResult(i * shape.vectors + j);
      if (epilogue)
        value = applyEpilogue(b, loc, epilogue, batch, row, column, value,
                              shape.mask);
      storeVector(b, loc, value, c, indices(row, column), shape.mask);
    }
  }
}

/// Calls `body(n1, vectors, mask)` for every column tile of [0, n): tiles of
/// `wide` columns (wide / width vectors) while they fit, then tiles of one
/// vector, then one masked vector for the last n mod width columns. Leftover
/// columns are vector code too, not scalar loops.
static void forEachColumnTile(
    OpBuilder &b, Location loc, Value n, int64_t wide, int64_t width,
    function_ref<void(OpBuilder &, Location, Value, int64_t, Value)> body) {
  Emitter e{b, loc};
  auto known = [](Value v) { return getConstantIntValue(v); };
  Value nWide = e.floorToMultiple(n, wide);
  Value nVector = e.floorToMultiple(n, width);
  auto loopOver = [&](Value start, Value end, int64_t vectors) {
    if (known(start) && known(end) && *known(start) >= *known(end))
      return;
    scf::ForOp::create(b, loc, start, end, e.constant(vectors * width),
                       ValueRange{},
                       [&](OpBuilder &b, Location loc, Value n1, ValueRange) {
                         body(b, loc, n1, vectors, Value());
                         scf::YieldOp::create(b, loc);
                       });
  };
  loopOver(e.constant(0), nWide, wide / width);
  if (wide != width)
    loopOver(nWide, nVector, 1);
  std::optional<int64_t> rest = known(e.sub(n, nVector));
  if (rest && *rest == 0)
    return;
  auto emitMasked = [&](OpBuilder &b, Location loc) {
    Value mask = vector::CreateMaskOp::create(
        b, loc, VectorType::get({width}, b.getI1Type()),
        ValueRange{Emitter{b, loc}.sub(n, nVector)});
    body(b, loc, nVector, 1, mask);
  };
  if (rest) {
    emitMasked(b, loc);
    return;
  }
  Value any =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, nVector, n);
  scf::IfOp::create(b, loc, any, [&](OpBuilder &b, Location loc) {
    emitMasked(b, loc);
    scf::YieldOp::create(b, loc);
  });
}

/// The leftover part [offsets, offsets + sizes) of the iteration space of
/// the matmul `op` (batch, rows, columns, reduction), as a clone of `op` on
/// subviews, followed by `epilogue` (if any) on the same part of C.
static void emitLeftover(OpBuilder &b, linalg::LinalgOp op,
                         linalg::GenericOp epilogue,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) {
  auto tilable = cast<TilingInterface>(op.getOperation());
  (void)tilable.getTiledImplementation(b, offsets, sizes);
  if (epilogue)
    (void)cast<TilingInterface>(epilogue.getOperation())
        .getTiledImplementation(b, offsets.drop_back(), sizes.drop_back());
}

void emitMatmulKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                      linalg::GenericOp epilogue, const MatmulTiles &tiles) {
  OpBuilder::InsertionGuard guard(rewriter);
  // After the views of the epilogue's operands, if any.
  rewriter.setInsertionPoint(epilogue ? epilogue.getOperation() : op);
  Location loc = op.getLoc();
  Emitter e{rewriter, loc};
  Value a = op.getDpsInputOperand(0)->get();
  BOperand bMat{op.getDpsInputOperand(1)->get(), getPackedMatmulPanelWidth(op)};
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
  // An empty reduction leaves C as it is, but an epilogue still applies.
  if (llvm::any_of(extents, [](Value v) { return isConstantIntValue(v, 0); }) &&
      !(epilogue && isConstantIntValue(k, 0))) {
    rewriter.eraseOp(op);
    if (epilogue)
      rewriter.eraseOp(epilogue);
    return;
  }
  Value mMain = e.floorToMultiple(m, tiles.rows);
  Value zero = e.constant(0);
  // Rows left by full row tiles: one tile of that many rows where static.
  std::optional<int64_t> mStatic = getConstantIntValue(m);
  int64_t rowsLeft = mStatic ? *mStatic % tiles.rows : 0;
  // The last reduction block of `step`, which ends with the epilogue, starts
  // at the returned value (0 for an empty reduction).
  auto lastBlock = [&](int64_t step) {
    return e.floorToMultiple(
        rewriter.createOrFold<arith::SubIOp>(
            loc, rewriter.createOrFold<arith::MaxUIOp>(loc, k, e.constant(1)),
            e.constant(1)),
        step);
  };
  Value kLast = lastBlock(tiles.reduction);
  Value kLastFewRows = lastBlock(tiles.fewRowsReduction);

  // For each column tile: for each KC block: every row tile (MR rows, then
  // the rows left), so that a KC x NR panel of B is reused from cache.
  auto emitLarge = [&](OpBuilder &b, Location loc, ValueRange batch) {
    forEachColumnTile(
        b, loc, n, tiles.columns, tiles.vectorWidth,
        [&](OpBuilder &b, Location loc, Value n1, int64_t vectors, Value mask) {
          int64_t width = tiles.vectorWidth;
          // A row of a full tile is one vector of NR lanes (LLVM splits it
          // into registers), as before the narrower tiles existed.
          if (!mask)
            width = vectors * tiles.vectorWidth, vectors = 1;
          // Every row tile of the columns at n1 over k in [k0, kEnd).
          auto emitRowTiles = [&](OpBuilder &b, Location loc, Value k0,
                                  Value kEnd, linalg::GenericOp epilogue) {
            Emitter e{b, loc};
            scf::ForOp::create(
                b, loc, zero, mMain, e.constant(tiles.rows), ValueRange{},
                [&](OpBuilder &b, Location loc, Value m0, ValueRange) {
                  emitRegisterTile(b, loc, batch, a, bMat, c, m0, n1, k0, kEnd,
                                   {tiles.rows, vectors, width, mask},
                                   epilogue);
                  scf::YieldOp::create(b, loc);
                });
            if (rowsLeft)
              emitRegisterTile(b, loc, batch, a, bMat, c, mMain, n1, k0, kEnd,
                               {rowsLeft, vectors, width, mask}, epilogue);
          };
          Emitter e{b, loc};
          scf::ForOp::create(
              b, loc, zero, kLast, e.constant(tiles.reduction), ValueRange{},
              [&](OpBuilder &b, Location loc, Value k0, ValueRange) {
                emitRowTiles(b, loc, k0,
                             Emitter{b, loc}.add(k0, tiles.reduction), {});
                scf::YieldOp::create(b, loc);
              });
          emitRowTiles(b, loc, kLast, k, epilogue);
        });
  };

  // Fewer rows than a register tile (a decode step): B is streamed once, so
  // its rows are read in order, a short block of rows at a time, each row
  // in wide tiles; the tile's many accumulators keep loads in flight.
  auto emitFewRows = [&](OpBuilder &b, Location loc, ValueRange batch) {
    bool packed = bMat.panelWidth.has_value();
    int64_t vectors = getFewRowsVectors(tiles, rowsLeft, packed);
    int64_t width = tiles.vectorWidth;
    auto emitColumns = [&](OpBuilder &b, Location loc, Value k0, Value kEnd,
                           linalg::GenericOp epilogue) {
      forEachColumnTile(b, loc, n, vectors * width, width,
                        [&](OpBuilder &b, Location loc, Value n1,
                            int64_t vectors, Value mask) {
                          emitRegisterTile(
                              b, loc, batch, a, bMat, c, zero, n1, k0, kEnd,
                              {rowsLeft, vectors, width, mask}, epilogue);
                        });
    };
    // Packed panels are contiguous: one pass over the whole reduction, C in
    // registers throughout.
    if (packed) {
      emitColumns(b, loc, zero, k, epilogue);
      return;
    }
    scf::ForOp::create(
        b, loc, zero, kLastFewRows,
        Emitter{b, loc}.constant(tiles.fewRowsReduction), ValueRange{},
        [&](OpBuilder &b, Location loc, Value k0, ValueRange) {
          emitColumns(b, loc, k0,
                      Emitter{b, loc}.add(k0, tiles.fewRowsReduction), {});
          scf::YieldOp::create(b, loc);
        });
    emitColumns(b, loc, kLastFewRows, k, epilogue);
  };

  auto emitTiles = [&](OpBuilder &b, Location loc, ValueRange batch) {
    if (mStatic && *mStatic < tiles.rows)
      emitFewRows(b, loc, batch);
    else
      emitLarge(b, loc, batch);
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

  // Rows left where M is dynamic (static ones had a register tile), all
  // columns.
  if (!mStatic) {
    SmallVector<OpFoldResult> offsets, sizes;
    if (batched) {
      offsets.push_back(rewriter.getIndexAttr(0));
      sizes.push_back(batches);
    }
    offsets.append({mMain, rewriter.getIndexAttr(0), rewriter.getIndexAttr(0)});
    sizes.append({e.sub(m, mMain), n, k});
    emitLeftover(rewriter, op, epilogue, offsets, sizes);
  }
  rewriter.eraseOp(op);
  if (epilogue)
    rewriter.eraseOp(epilogue);
}

} // namespace mllmc::cpu
