//===- AttentionKernel.cpp - mllm.kernel.attention as one GPU kernel ------===//
//
// A cooperative flash-attention kernel, built directly in the gpu dialect: a
// workgroup of 128 threads computes a tile of query rows of one head, staging
// the query tile once and each tile of keys, then of values, in workgroup
// memory, where all of its threads read them (the thread-per-row loop nest
// reads every key and value from device memory once per row). Its threads
// are laid out as 16 row groups of 8 lanes:
//
//   tx = thread % 8, ty = thread / 8
//   a thread's query rows:  ty + 16 i,          i < R  (tile: 16 R rows)
//   its keys of a tile:     tx + 8 j,           j < 4  (tile: 32 keys)
//   its output columns:     32 c + 4 tx + [0,4), c < Dv / 32
//
//   Q tile [16 R, D] -> workgroup memory
//   for each key tile (up to the diagonal of the tile's last row if causal):
//     K tile [32, D] -> workgroup memory
//     s = scale * q . k (+ mask; -inf past the keys or the diagonal)  R x 4
//     per row: m' = max(m, max over the row's 8 lanes (shuffles)),
//       alpha = exp(m - m'), p = exp(s - m'), l = alpha l + sum p
//     p -> workgroup memory [16 R, 32];  acc *= alpha
//     V tile [32, Dv] -> workgroup memory (K's buffer)
//     acc += p . V                                      R x Dv / 8 floats
//   out = l == 0 ? 0 : acc / l
//
// The row statistics and acc stay in registers (the loops over a thread's
// rows, keys and columns are unrolled here, so every index is a constant),
// all in f32; f16/bf16 inputs are widened as they are staged. Rows of
// workgroup memory are padded so that the lanes of a warp read distinct
// banks. A max still -inf (every key so far masked) shifts by 0, so exp
// gives 0 instead of NaN, and a row with no key to attend to gives zeros, as
// on the CPU. R is 4, or fewer when that leaves fewer than 256 workgroups
// (the GPU would idle) or the tiles exceed 64 KiB of workgroup memory (the
// most an AMD workgroup has).
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuKernels.h"

#include "dialects/mllm/IR/MllmKernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;

namespace mllmc::gpu {
namespace {

constexpr int64_t kThreads = 128;
constexpr int64_t kLanesPerRow = 8;
constexpr int64_t kRowGroups = kThreads / kLanesPerRow;
constexpr int64_t kKeysPerLane = 4;
constexpr int64_t kKeyTile = kLanesPerRow * kKeysPerLane;
/// Elements per vector access; every staged row holds a multiple of it.
constexpr int64_t kVector = 4;
/// Floats added to each staged row of Q, K and V (a multiple of kVector, so
/// rows stay 16-byte aligned) and of p, so that a warp's lanes, which read
/// different rows, hit different banks.
constexpr int64_t kRowPad = 4;
constexpr int64_t kProbabilityPad = 8;
constexpr int64_t kMaxWorkgroupBytes = 64 * 1024;
constexpr int64_t kMinWorkgroups = 256;
/// Accumulator floats per thread above which the registers would spill.
constexpr int64_t kMaxAccumulators = 64;

/// The shapes of one attention: batch, query heads, kv heads, query rows,
/// keys, key head dimension, value head dimension.
struct AttentionShape {
  int64_t batch, heads, kvHeads, queries, keys, headDim, valueDim;
};

/// Rows per thread and the workgroup memory layout (offsets in bytes, row
/// strides in floats) of the Q, K/V and p tiles.
struct Tiling {
  int64_t rowsPerThread, queryTile;
  int64_t queryStride, kvStride, probabilityStride;
  int64_t kvOffset, probabilityOffset, bytes;
};

/// The layout of tiles of `rows` rows per thread.
Tiling makeTiling(const AttentionShape &shape, int64_t rows) {
  constexpr int64_t floatBytes = 4;
  Tiling tiling;
  tiling.rowsPerThread = rows;
  tiling.queryTile = kRowGroups * rows;
  tiling.queryStride = shape.headDim + kRowPad;
  tiling.kvStride = std::max(shape.headDim, shape.valueDim) + kRowPad;
  tiling.probabilityStride = kKeyTile + kProbabilityPad;
  tiling.kvOffset = tiling.queryTile * tiling.queryStride * floatBytes;
  tiling.probabilityOffset =
      tiling.kvOffset + kKeyTile * tiling.kvStride * floatBytes;
  tiling.bytes = tiling.probabilityOffset +
                 tiling.queryTile * tiling.probabilityStride * floatBytes;
  return tiling;
}

/// The most rows per thread that keep 256 workgroups, the accumulators in
/// registers and the tiles within 64 KiB.
Tiling chooseTiling(const AttentionShape &shape) {
  for (int64_t rows : {4, 2}) {
    Tiling tiling = makeTiling(shape, rows);
    int64_t workgroups = llvm::divideCeil(shape.queries, tiling.queryTile) *
                         shape.heads * shape.batch;
    if (tiling.bytes <= kMaxWorkgroupBytes && workgroups >= kMinWorkgroups &&
        rows * shape.valueDim / kLanesPerRow <= kMaxAccumulators)
      return tiling;
  }
  return makeTiling(shape, 1);
}

class AttentionKernelBuilder {
public:
  /// The whole attention into `out`.
  AttentionKernelBuilder(mllm::KernelAttentionOp op)
      : AttentionKernelBuilder(op, op.getQuery(), op.getKey(), op.getValue(),
                               op.getMask(), op.getScale(), op.getCausal(),
                               op.getNumKvHeads()) {
    out = op.getInit();
    tiling = chooseTiling(shape);
  }
  /// The online softmax states of key ranges into maxOut, sumOut, accOut.
  AttentionKernelBuilder(mllm::KernelAttentionPartialOp op)
      : AttentionKernelBuilder(op, op.getQuery(), op.getKey(), op.getValue(),
                               op.getMask(), op.getScale(), op.getCausal(),
                               op.getNumKvHeads()) {
    maxOut = op.getMaxInit();
    sumOut = op.getSumInit();
    accOut = op.getAccInit();
    splits = op.getKeySplits();
    groupRows = shape.queries * (shape.heads / shape.kvHeads);
    tiling = makeTiling(shape, llvm::divideCeil(groupRows, kRowGroups));
  }

  /// Replaces the op with the kernel's gpu.launch.
  void build();

private:
  AttentionKernelBuilder(Operation *op, Value query, Value key, Value value,
                         Value mask, float scale, bool causal, int64_t kvHeads)
      : b(op), loc(op->getLoc()), op(op), query(query), key(key), value(value),
        mask(mask), scale(scale), causal(causal) {
    auto dims = [&](Value v) {
      return cast<MemRefType>(v.getType()).getShape();
    };
    ArrayRef<int64_t> q = dims(query), v = dims(value);
    shape = {q[0], q[1], kvHeads, q[2], dims(key)[2], q[3], v[3]};
    f32 = b.getF32Type();
    elementType = cast<MemRefType>(query.getType()).getElementType();
  }

  bool isPartial() const { return splits > 0; }
  // Constants and index arithmetic.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value constant(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value minusInf() {
    return constant(-std::numeric_limits<double>::infinity());
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) {
    return arith::MulIOp::create(b, loc, x, index(y));
  }
  Value lessThan(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }
  Value minimum(Value x, int64_t y) {
    return arith::MinSIOp::create(b, loc, x, index(y));
  }

  /// A thread's query row `i` within the tile, key `j` within a key tile and
  /// first column of its column vector `c`.
  Value tileRow(int64_t i) { return add(ty, index(kRowGroups * i)); }
  Value tileKey(int64_t j) { return add(tx, index(kLanesPerRow * j)); }
  Value column(int64_t c) {
    return add(mul(tx, kVector), index(kLanesPerRow * kVector * c));
  }

  /// `v` combined across the 8 lanes of its row group by `combine`.
  Value acrossRow(Value v, function_ref<Value(Value, Value)> combine);

  /// Where tile row `r` (a Value) of a staged tile comes from: a head, a
  /// row of the source (in range) and whether it is a real row.
  struct SourceRow {
    Value head, row, inside;
  };
  /// The tile rows [0, rows) of `source` ([B, H, S, cols]) at `locate` into
  /// `tile` (f32, `rows` x stride, workgroup memory), the threads sharing out
  /// its 4-element vectors; rows that are not real are zeros.
  void stage(Value source, int64_t rows, int64_t cols, Value tile,
             function_ref<SourceRow(Value)> locate);
  /// Tile rows [0, rows) as rows [first, first + rows) of head `head`, real
  /// below `limit`.
  void stageRows(Value source, Value head, Value first, int64_t rows,
                 int64_t limit, int64_t cols, Value tile);

  /// The query head and row of the thread's tile row `i` (clamped into
  /// range), and whether it is a real row.
  SourceRow queryRow(int64_t i);
  SourceRow queryRowOf(Value r);

  /// The scaled, masked scores s[i * 4 + j] of the thread's rows and keys of
  /// the key tile at `firstKey`.
  SmallVector<Value> scores(Value firstKey);
  /// s with the mask added (float) or applied (i1), and -inf for keys past
  /// keyEnd or the causal diagonal.
  Value maskScore(Value s, SourceRow row, Value key);

  /// Stores the thread's rows: acc / l (whole attention), or m, l and acc
  /// (partial).
  void storeResults(ValueRange acc, ValueRange m, ValueRange l);

  OpBuilder b;
  Location loc;
  Operation *op;
  Value query, key, value, mask;
  float scale;
  bool causal;
  /// The result (whole attention), or the per-range states (partial).
  Value out, maxOut, sumOut, accOut;
  /// Partial: key ranges and the tile rows in use (query rows x heads per
  /// kv head); 0 for the whole attention.
  int64_t splits = 0, groupRows = 0;
  AttentionShape shape;
  Tiling tiling;
  Type f32, elementType;
  // Set at the top of the kernel.
  Value thread, tx, ty, batch, kvHead;
  /// Whole attention: the head and the tile's first query row.
  Value head, firstRow;
  /// The keys [keyBegin, keyEnd) of this workgroup.
  Value keyBegin, keyEnd;
  Value queryTile, kvTile, probabilityTile;
};

Value AttentionKernelBuilder::acrossRow(
    Value v, function_ref<Value(Value, Value)> combine) {
  for (int32_t offset = kLanesPerRow / 2; offset > 0; offset /= 2) {
    Value other = mlir::gpu::ShuffleOp::create(b, loc, v, offset, /*width=*/32,
                                               mlir::gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    v = combine(v, other);
  }
  return v;
}

void AttentionKernelBuilder::stage(Value source, int64_t rows, int64_t cols,
                                   Value tile,
                                   function_ref<SourceRow(Value)> locate) {
  int64_t vectorsPerRow = cols / kVector;
  auto loop = scf::ForOp::create(b, loc, thread, index(rows * vectorsPerRow),
                                 index(kThreads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value e = loop.getInductionVar();
  Value row = arith::DivUIOp::create(b, loc, e, index(vectorsPerRow));
  Value col =
      mul(arith::RemUIOp::create(b, loc, e, index(vectorsPerRow)), kVector);
  SourceRow from = locate(row);
  auto sourceType = VectorType::get({kVector}, elementType);
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Value loaded = vector::LoadOp::create(
      b, loc, sourceType, source, ValueRange{batch, from.head, from.row, col},
      /*nontemporal=*/false, llvm::Align(kVector * elementBytes));
  auto tileType = VectorType::get({kVector}, f32);
  if (elementType != f32)
    loaded = arith::ExtFOp::create(b, loc, tileType, loaded);
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(tileType, b.getF32FloatAttr(0)));
  loaded = arith::SelectOp::create(b, loc, from.inside, loaded, zeros);
  vector::StoreOp::create(b, loc, loaded, tile, ValueRange{row, col},
                          /*nontemporal=*/false, llvm::Align(16));
}

void AttentionKernelBuilder::stageRows(Value source, Value head, Value first,
                                       int64_t rows, int64_t limit,
                                       int64_t cols, Value tile) {
  stage(source, rows, cols, tile, [&](Value r) {
    Value row = add(first, r);
    return SourceRow{head, minimum(row, limit - 1),
                     lessThan(row, index(limit))};
  });
}

AttentionKernelBuilder::SourceRow AttentionKernelBuilder::queryRowOf(Value r) {
  if (!isPartial()) {
    Value row = add(firstRow, r);
    return {head, minimum(row, shape.queries - 1),
            lessThan(row, index(shape.queries))};
  }
  // Row r of the tile is row r % Sq of head kvHead * G + r / Sq.
  Value clamped = minimum(r, groupRows - 1);
  Value group = arith::DivUIOp::create(b, loc, clamped, index(shape.queries));
  Value rowHead = add(mul(kvHead, shape.heads / shape.kvHeads), group);
  Value row = arith::RemUIOp::create(b, loc, clamped, index(shape.queries));
  return {rowHead, row, lessThan(r, index(groupRows))};
}

AttentionKernelBuilder::SourceRow AttentionKernelBuilder::queryRow(int64_t i) {
  return queryRowOf(tileRow(i));
}

Value AttentionKernelBuilder::maskScore(Value s, SourceRow row, Value key) {
  Value valid = lessThan(key, keyEnd);
  if (causal) {
    // Bottom-right aligned: row i sees keys j <= i + (Skv - Sq).
    Value diagonal = add(row.row, index(shape.keys - shape.queries));
    valid = arith::AndIOp::create(
        b, loc, valid,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, key,
                              diagonal));
  }
  if (mask) {
    // The mask broadcasts to [B, Hq, Sq, Skv], aligned at the right; rows
    // and keys past the end read the last ones (their scores are dropped).
    auto maskType = cast<MemRefType>(mask.getType());
    Value full[] = {batch, row.head, row.row, minimum(key, shape.keys - 1)};
    SmallVector<Value> indices;
    int64_t skipped = 4 - maskType.getRank();
    for (auto [i, size] : llvm::enumerate(maskType.getShape()))
      indices.push_back(size == 1 ? index(0) : full[skipped + i]);
    Value m = memref::LoadOp::create(b, loc, mask, indices);
    if (m.getType().isInteger(1)) {
      valid = arith::AndIOp::create(b, loc, valid, m);
    } else {
      if (m.getType() != f32)
        m = arith::ExtFOp::create(b, loc, f32, m);
      s = arith::AddFOp::create(b, loc, s, m);
    }
  }
  return arith::SelectOp::create(b, loc, valid, s, minusInf());
}

SmallVector<Value> AttentionKernelBuilder::scores(Value firstKey) {
  int64_t rows = tiling.rowsPerThread;
  SmallVector<Value> zeros(rows * kKeysPerLane, constant(0));
  auto vectorType = VectorType::get({kVector}, f32);
  auto loop = scf::ForOp::create(
      b, loc, index(0), index(shape.headDim), index(kVector), zeros,
      [&](OpBuilder &, Location, Value d, ValueRange sums) {
        SmallVector<Value> q, k, next(sums);
        for (int64_t i = 0; i < rows; ++i)
          q.push_back(vector::LoadOp::create(b, loc, vectorType, queryTile,
                                             ValueRange{tileRow(i), d}, false,
                                             llvm::Align(16)));
        for (int64_t j = 0; j < kKeysPerLane; ++j)
          k.push_back(vector::LoadOp::create(b, loc, vectorType, kvTile,
                                             ValueRange{tileKey(j), d}, false,
                                             llvm::Align(16)));
        for (int64_t e = 0; e < kVector; ++e) {
          SmallVector<Value> qe, ke;
          for (Value v : q)
            qe.push_back(vector::ExtractOp::create(b, loc, v, e));
          for (Value v : k)
            ke.push_back(vector::ExtractOp::create(b, loc, v, e));
          for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < kKeysPerLane; ++j) {
              Value &sum = next[i * kKeysPerLane + j];
              sum = math::FmaOp::create(b, loc, qe[i], ke[j], sum);
            }
        }
        scf::YieldOp::create(b, loc, next);
      });
  SmallVector<Value> s;
  Value scaleValue = constant(scale);
  for (int64_t i = 0; i < rows; ++i) {
    SourceRow row = queryRow(i);
    for (int64_t j = 0; j < kKeysPerLane; ++j) {
      Value scaled = arith::MulFOp::create(
          b, loc, loop.getResult(i * kKeysPerLane + j), scaleValue);
      s.push_back(maskScore(scaled, row, add(firstKey, tileKey(j))));
    }
  }
  return s;
}

void AttentionKernelBuilder::storeResults(ValueRange acc, ValueRange m,
                                          ValueRange l) {
  int64_t rows = tiling.rowsPerThread;
  int64_t columnVectors = shape.valueDim / (kLanesPerRow * kVector);
  auto vectorType = VectorType::get({kVector}, f32);
  auto outType = VectorType::get({kVector}, elementType);
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vectorType, b.getF32FloatAttr(0)));
  Value split =
      isPartial()
          ? mlir::gpu::BlockIdOp::create(b, loc, mlir::gpu::Dimension::x)
          : Value();
  for (int64_t i = 0; i < rows; ++i) {
    SourceRow row = queryRow(i);
    auto inside = scf::IfOp::create(b, loc, row.inside,
                                    /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inside.thenBlock());
    if (isPartial()) {
      // The range's state as it is: the combine normalizes.
      for (int64_t c = 0; c < columnVectors; ++c)
        vector::StoreOp::create(
            b, loc, acc[i * columnVectors + c], accOut,
            ValueRange{batch, row.head, row.row, split, column(c)},
            /*nontemporal=*/false, llvm::Align(16));
      // The 8 lanes of the row hold the same m and l: one stores them.
      auto first = scf::IfOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tx, index(0)),
          /*withElseRegion=*/false);
      b.setInsertionPointToStart(first.thenBlock());
      SmallVector<Value> where = {batch, row.head, row.row, split};
      memref::StoreOp::create(b, loc, m[i], maxOut, where);
      memref::StoreOp::create(b, loc, l[i], sumOut, where);
      continue;
    }
    // out = acc / l, zeros for a row without a key.
    Value noKey = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, l[i],
                                        constant(0));
    Value sums = vector::BroadcastOp::create(b, loc, vectorType, l[i]);
    for (int64_t c = 0; c < columnVectors; ++c) {
      Value result =
          arith::DivFOp::create(b, loc, acc[i * columnVectors + c], sums);
      result = arith::SelectOp::create(b, loc, noKey, zeros, result);
      if (elementType != f32)
        result = arith::TruncFOp::create(b, loc, outType, result);
      vector::StoreOp::create(
          b, loc, result, out, ValueRange{batch, row.head, row.row, column(c)},
          /*nontemporal=*/false, llvm::Align(kVector * elementBytes));
    }
  }
}

void AttentionKernelBuilder::build() {
  MLIRContext *context = b.getContext();
  int64_t rows = tiling.rowsPerThread;
  int64_t columnVectors = shape.valueDim / (kLanesPerRow * kVector);
  auto workgroupSpace = mlir::gpu::AddressSpaceAttr::get(
      context, mlir::gpu::AddressSpace::Workgroup);

  // Whole attention: (query tiles, heads, batch); partial: (key ranges, kv
  // heads, batch).
  Value sharedBytes =
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), tiling.bytes);
  auto launch = mlir::gpu::LaunchOp::create(
      b, loc,
      index(isPartial() ? splits
                        : llvm::divideCeil(shape.queries, tiling.queryTile)),
      index(isPartial() ? shape.kvHeads : shape.heads), index(shape.batch),
      index(kThreads), index(1), index(1), sharedBytes);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  mlir::gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);

  thread = launch.getThreadIds().x;
  tx = arith::RemUIOp::create(b, loc, thread, index(kLanesPerRow));
  ty = arith::DivUIOp::create(b, loc, thread, index(kLanesPerRow));
  batch = launch.getBlockIds().z;
  if (isPartial()) {
    kvHead = launch.getBlockIds().y;
    // Range c holds keys [c * ceil(Skv / S), (c + 1) * ceil(Skv / S)).
    int64_t chunk = llvm::divideCeil(shape.keys, splits);
    keyBegin = mul(launch.getBlockIds().x, chunk);
    keyEnd = minimum(add(keyBegin, index(chunk)), shape.keys);
  } else {
    head = launch.getBlockIds().y;
    kvHead = arith::DivUIOp::create(b, loc, head,
                                    index(shape.heads / shape.kvHeads));
    // Causal tiles further down see more keys: the GPU starts those first,
    // so that the short ones fill the last wave.
    Value tile = launch.getBlockIds().x;
    if (causal)
      tile = arith::SubIOp::create(
          b, loc, index(llvm::divideCeil(shape.queries, tiling.queryTile) - 1),
          tile);
    firstRow = mul(tile, tiling.queryTile);
    keyBegin = index(0);
    keyEnd = index(shape.keys);
    if (causal) {
      // Up to the last key the tile's last row sees.
      Value rowEnd = arith::MinSIOp::create(
          b, loc, add(firstRow, index(tiling.queryTile)), index(shape.queries));
      Value end = add(rowEnd, index(shape.keys - shape.queries));
      keyEnd =
          arith::MaxSIOp::create(b, loc, minimum(end, shape.keys), index(0));
    }
  }
  Value keyCount = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, keyEnd, keyBegin), index(0));
  Value keyTiles = arith::DivUIOp::create(
      b, loc, add(keyCount, index(kKeyTile - 1)), index(kKeyTile));

  Value shared = mlir::gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), workgroupSpace));
  auto view = [&](int64_t offset, int64_t rowCount, int64_t stride) {
    auto type = MemRefType::get({rowCount, stride}, f32,
                                MemRefLayoutAttrInterface(), workgroupSpace);
    return memref::ViewOp::create(b, loc, type, shared, index(offset),
                                  ValueRange{});
  };
  queryTile = view(0, tiling.queryTile, tiling.queryStride);
  kvTile = view(tiling.kvOffset, kKeyTile, tiling.kvStride);
  probabilityTile = view(tiling.probabilityOffset, tiling.queryTile,
                         tiling.probabilityStride);

  stage(query, tiling.queryTile, shape.headDim, queryTile,
        [&](Value r) { return queryRowOf(r); });

  auto vectorType = VectorType::get({kVector}, f32);
  Value zeroVector = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vectorType, b.getF32FloatAttr(0)));
  // Loop-carried: acc (rows x columnVectors vectors), then m and l per row.
  SmallVector<Value> init(rows * columnVectors, zeroVector);
  init.append(rows, minusInf());
  init.append(rows, constant(0));
  auto loop = scf::ForOp::create(
      b, loc, index(0), keyTiles, index(1), init,
      [&](OpBuilder &, Location, Value t, ValueRange carried) {
        SmallVector<Value> acc(carried.take_front(rows * columnVectors));
        SmallVector<Value> m(carried.slice(rows * columnVectors, rows));
        SmallVector<Value> l(carried.take_back(rows));
        Value firstKey = add(keyBegin, mul(t, kKeyTile));

        mlir::gpu::BarrierOp::create(b, loc);
        stageRows(key, kvHead, firstKey, kKeyTile, shape.keys, shape.headDim,
                  kvTile);
        mlir::gpu::BarrierOp::create(b, loc);
        SmallVector<Value> s = scores(firstKey);

        auto maximum = [&](Value x, Value y) -> Value {
          return arith::MaximumFOp::create(b, loc, x, y);
        };
        auto sum = [&](Value x, Value y) -> Value {
          return arith::AddFOp::create(b, loc, x, y);
        };
        for (int64_t i = 0; i < rows; ++i) {
          ArrayRef<Value> row =
              ArrayRef(s).slice(i * kKeysPerLane, kKeysPerLane);
          Value tileMax = row[0];
          for (Value v : row.drop_front())
            tileMax = maximum(tileMax, v);
          Value newMax = maximum(m[i], acrossRow(tileMax, maximum));
          Value noKey = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                              newMax, minusInf());
          Value shift =
              arith::SelectOp::create(b, loc, noKey, constant(0), newMax);
          auto expShifted = [&](Value x) -> Value {
            return math::ExpOp::create(b, loc,
                                       arith::SubFOp::create(b, loc, x, shift));
          };
          Value alpha = expShifted(m[i]);
          Value rowSum = constant(0);
          for (int64_t j = 0; j < kKeysPerLane; ++j) {
            Value p = expShifted(row[j]);
            rowSum = sum(rowSum, p);
            memref::StoreOp::create(b, loc, p, probabilityTile,
                                    ValueRange{tileRow(i), tileKey(j)});
          }
          l[i] = sum(arith::MulFOp::create(b, loc, l[i], alpha),
                     acrossRow(rowSum, sum));
          m[i] = newMax;
          Value alphas = vector::BroadcastOp::create(b, loc, vectorType, alpha);
          for (int64_t c = 0; c < columnVectors; ++c) {
            Value &a = acc[i * columnVectors + c];
            a = arith::MulFOp::create(b, loc, a, alphas);
          }
        }

        mlir::gpu::BarrierOp::create(b, loc);
        stageRows(value, kvHead, firstKey, kKeyTile, shape.keys, shape.valueDim,
                  kvTile);
        mlir::gpu::BarrierOp::create(b, loc);
        auto update = scf::ForOp::create(
            b, loc, index(0), index(kKeyTile), index(kVector), acc,
            [&](OpBuilder &, Location, Value k, ValueRange sums) {
              SmallVector<Value> next(sums), p;
              for (int64_t i = 0; i < rows; ++i)
                p.push_back(vector::LoadOp::create(
                    b, loc, vectorType, probabilityTile,
                    ValueRange{tileRow(i), k}, false, llvm::Align(16)));
              for (int64_t e = 0; e < kVector; ++e) {
                Value keyRow = add(k, index(e));
                SmallVector<Value> v;
                for (int64_t c = 0; c < columnVectors; ++c)
                  v.push_back(vector::LoadOp::create(
                      b, loc, vectorType, kvTile, ValueRange{keyRow, column(c)},
                      false, llvm::Align(16)));
                for (int64_t i = 0; i < rows; ++i) {
                  Value pe = vector::BroadcastOp::create(
                      b, loc, vectorType,
                      vector::ExtractOp::create(b, loc, p[i], e));
                  for (int64_t c = 0; c < columnVectors; ++c) {
                    Value &a = next[i * columnVectors + c];
                    a = vector::FMAOp::create(b, loc, pe, v[c], a);
                  }
                }
              }
              scf::YieldOp::create(b, loc, next);
            });
        SmallVector<Value> results(update.getResults());
        results.append(m);
        results.append(l);
        scf::YieldOp::create(b, loc, results);
      });

  ValueRange results = loop.getResults();
  storeResults(results.take_front(rows * columnVectors),
               results.slice(rows * columnVectors, rows),
               results.take_back(rows));
  op->erase();
}

} // namespace

void lowerAttentionKernels(func::FuncOp func) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<mllm::KernelAttentionOp, mllm::KernelAttentionPartialOp>(op))
      ops.push_back(op);
  });
  if (ops.empty())
    return;
  func.getContext()
      ->loadDialect<arith::ArithDialect, mlir::gpu::GPUDialect,
                    math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                    vector::VectorDialect>();
  for (Operation *op : ops) {
    if (auto whole = dyn_cast<mllm::KernelAttentionOp>(op))
      AttentionKernelBuilder(whole).build();
    else
      AttentionKernelBuilder(cast<mllm::KernelAttentionPartialOp>(op)).build();
  }
}

} // namespace mllmc::gpu
