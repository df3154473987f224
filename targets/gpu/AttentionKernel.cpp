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

Tiling chooseTiling(const AttentionShape &shape) {
  Tiling tiling;
  for (int64_t rows : {4, 2, 1}) {
    tiling.rowsPerThread = rows;
    tiling.queryTile = kRowGroups * rows;
    tiling.queryStride = shape.headDim + kRowPad;
    tiling.kvStride = std::max(shape.headDim, shape.valueDim) + kRowPad;
    tiling.probabilityStride = kKeyTile + kProbabilityPad;
    int64_t floatBytes = 4;
    tiling.kvOffset = tiling.queryTile * tiling.queryStride * floatBytes;
    tiling.probabilityOffset =
        tiling.kvOffset + kKeyTile * tiling.kvStride * floatBytes;
    tiling.bytes = tiling.probabilityOffset +
                   tiling.queryTile * tiling.probabilityStride * floatBytes;
    if (rows == 1)
      break;
    int64_t workgroups = llvm::divideCeil(shape.queries, tiling.queryTile) *
                         shape.heads * shape.batch;
    if (tiling.bytes <= kMaxWorkgroupBytes && workgroups >= kMinWorkgroups &&
        rows * shape.valueDim / kLanesPerRow <= kMaxAccumulators)
      break;
  }
  return tiling;
}

class AttentionKernelBuilder {
public:
  AttentionKernelBuilder(mllm::KernelAttentionOp op)
      : b(op), loc(op.getLoc()), op(op) {
    auto dims = [&](Value v) {
      return cast<MemRefType>(v.getType()).getShape();
    };
    ArrayRef<int64_t> q = dims(op.getQuery()), v = dims(op.getValue());
    shape = {q[0], q[1], op.getNumKvHeads(), q[2], dims(op.getKey())[2],
             q[3], v[3]};
    tiling = chooseTiling(shape);
    f32 = b.getF32Type();
    elementType = cast<MemRefType>(op.getQuery().getType()).getElementType();
  }

  /// Replaces the op with the kernel's gpu.launch.
  void build();

private:
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

  /// Rows [first, first + rows) of head `head` of `source` ([B, H, S, cols])
  /// into `tile` (f32, `rows` x stride, workgroup memory), the threads
  /// sharing out its 4-element vectors; rows at or past `limit` are zeros.
  void stage(Value source, Value head, Value first, int64_t rows, int64_t limit,
             int64_t cols, Value tile);

  /// The scaled, masked scores s[i * 4 + j] of the thread's rows and keys of
  /// the key tile at `firstKey`.
  SmallVector<Value> scores(Value firstKey);
  /// s with the mask added (float) or applied (i1), and -inf for keys past
  /// the end or the causal diagonal.
  Value maskScore(Value s, Value row, Value key);

  OpBuilder b;
  Location loc;
  mllm::KernelAttentionOp op;
  AttentionShape shape;
  Tiling tiling;
  Type f32, elementType;
  // Set at the top of the kernel.
  Value thread, tx, ty, batch, head, kvHead, firstRow;
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

void AttentionKernelBuilder::stage(Value source, Value head, Value first,
                                   int64_t rows, int64_t limit, int64_t cols,
                                   Value tile) {
  int64_t vectorsPerRow = cols / kVector;
  auto loop = scf::ForOp::create(b, loc, thread, index(rows * vectorsPerRow),
                                 index(kThreads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value e = loop.getInductionVar();
  Value row = arith::DivUIOp::create(b, loc, e, index(vectorsPerRow));
  Value col =
      mul(arith::RemUIOp::create(b, loc, e, index(vectorsPerRow)), kVector);
  Value sourceRow = add(first, row);
  Value inside = lessThan(sourceRow, index(limit));
  auto sourceType = VectorType::get({kVector}, elementType);
  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  Value loaded = vector::LoadOp::create(
      b, loc, sourceType, source,
      ValueRange{batch, head, minimum(sourceRow, limit - 1), col},
      /*nontemporal=*/false, llvm::Align(kVector * elementBytes));
  auto tileType = VectorType::get({kVector}, f32);
  if (elementType != f32)
    loaded = arith::ExtFOp::create(b, loc, tileType, loaded);
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(tileType, b.getF32FloatAttr(0)));
  loaded = arith::SelectOp::create(b, loc, inside, loaded, zeros);
  vector::StoreOp::create(b, loc, loaded, tile, ValueRange{row, col},
                          /*nontemporal=*/false, llvm::Align(16));
}

Value AttentionKernelBuilder::maskScore(Value s, Value row, Value key) {
  Value valid = lessThan(key, index(shape.keys));
  if (op.getCausal()) {
    // Bottom-right aligned: row i sees keys j <= i + (Skv - Sq).
    Value diagonal = add(row, index(shape.keys - shape.queries));
    valid = arith::AndIOp::create(
        b, loc, valid,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, key,
                              diagonal));
  }
  if (Value mask = op.getMask()) {
    // The mask broadcasts to [B, Hq, Sq, Skv], aligned at the right; rows
    // and keys past the end read the last ones (their scores are dropped).
    auto maskType = cast<MemRefType>(mask.getType());
    Value full[] = {batch, head, minimum(row, shape.queries - 1),
                    minimum(key, shape.keys - 1)};
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
  Value scale = constant(op.getScale());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < kKeysPerLane; ++j) {
      Value scaled = arith::MulFOp::create(
          b, loc, loop.getResult(i * kKeysPerLane + j), scale);
      s.push_back(maskScore(scaled, add(firstRow, tileRow(i)),
                            add(firstKey, tileKey(j))));
    }
  return s;
}

void AttentionKernelBuilder::build() {
  MLIRContext *context = b.getContext();
  int64_t rows = tiling.rowsPerThread;
  int64_t columnVectors = shape.valueDim / (kLanesPerRow * kVector);
  auto workgroupSpace = mlir::gpu::AddressSpaceAttr::get(
      context, mlir::gpu::AddressSpace::Workgroup);

  Value sharedBytes =
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), tiling.bytes);
  auto launch = mlir::gpu::LaunchOp::create(
      b, loc, index(llvm::divideCeil(shape.queries, tiling.queryTile)),
      index(shape.heads), index(shape.batch), index(kThreads), index(1),
      index(1), sharedBytes);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  mlir::gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);

  thread = launch.getThreadIds().x;
  tx = arith::RemUIOp::create(b, loc, thread, index(kLanesPerRow));
  ty = arith::DivUIOp::create(b, loc, thread, index(kLanesPerRow));
  firstRow = mul(launch.getBlockIds().x, tiling.queryTile);
  head = launch.getBlockIds().y;
  batch = launch.getBlockIds().z;
  kvHead =
      arith::DivUIOp::create(b, loc, head, index(shape.heads / shape.kvHeads));

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

  stage(op.getQuery(), head, firstRow, tiling.queryTile, shape.queries,
        shape.headDim, queryTile);

  // Key tiles up to the last key the tile's last row sees.
  Value keyEnd = index(shape.keys);
  if (op.getCausal()) {
    Value rowEnd = arith::MinSIOp::create(
        b, loc, add(firstRow, index(tiling.queryTile)), index(shape.queries));
    Value end = add(rowEnd, index(shape.keys - shape.queries));
    keyEnd = arith::MaxSIOp::create(b, loc, minimum(end, shape.keys), index(0));
  }
  Value keyTiles = arith::DivUIOp::create(
      b, loc, add(keyEnd, index(kKeyTile - 1)), index(kKeyTile));

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
        Value firstKey = mul(t, kKeyTile);

        mlir::gpu::BarrierOp::create(b, loc);
        stage(op.getKey(), kvHead, firstKey, kKeyTile, shape.keys,
              shape.headDim, kvTile);
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
        stage(op.getValue(), kvHead, firstKey, kKeyTile, shape.keys,
              shape.valueDim, kvTile);
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
                Value key = add(k, index(e));
                SmallVector<Value> v;
                for (int64_t c = 0; c < columnVectors; ++c)
                  v.push_back(vector::LoadOp::create(b, loc, vectorType, kvTile,
                                                     ValueRange{key, column(c)},
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

  // out = acc / l, zeros for a row without a key; rows past the end are not
  // stored.
  auto outType = VectorType::get({kVector}, elementType);
  for (int64_t i = 0; i < rows; ++i) {
    Value row = add(firstRow, tileRow(i));
    auto inside = scf::IfOp::create(b, loc, lessThan(row, index(shape.queries)),
                                    /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(inside.thenBlock());
    Value l = loop.getResult(rows * columnVectors + rows + i);
    Value noKey = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, l,
                                        constant(0));
    Value sums = vector::BroadcastOp::create(b, loc, vectorType, l);
    for (int64_t c = 0; c < columnVectors; ++c) {
      Value out = arith::DivFOp::create(
          b, loc, loop.getResult(i * columnVectors + c), sums);
      out = arith::SelectOp::create(b, loc, noKey, zeroVector, out);
      if (elementType != f32)
        out = arith::TruncFOp::create(b, loc, outType, out);
      int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
      vector::StoreOp::create(
          b, loc, out, op.getInit(), ValueRange{batch, head, row, column(c)},
          /*nontemporal=*/false, llvm::Align(kVector * elementBytes));
    }
  }
  op.erase();
}

} // namespace

void lowerAttentionKernels(func::FuncOp func) {
  SmallVector<mllm::KernelAttentionOp> ops(
      func.getBody().getOps<mllm::KernelAttentionOp>());
  if (ops.empty())
    return;
  func.getContext()
      ->loadDialect<arith::ArithDialect, mlir::gpu::GPUDialect,
                    math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                    vector::VectorDialect>();
  for (mllm::KernelAttentionOp op : ops)
    AttentionKernelBuilder(op).build();
}

} // namespace mllmc::gpu
