//===- FlashAttention.cpp - Attention tiled over keys, online softmax -----===//
//
// mllm.attention as a flash-attention loop nest on tensors, which never holds
// the [Sq, Skv] score matrix. For every batch b, query head h and tile of Tq
// query rows (one iteration of an scf.forall: the parallel work):
//
//   m = -inf, l = 0, acc = 0                        [Tq], [Tq], [Tq, Dv]
//   for k0 in [0, Skv) step Tk:                     (scf.for over key tiles)
//     s     = scale * Q_t . K_t^T (+ mask) (causal -inf)    [Tq, Tk]
//     m'    = max(m, rowmax(s))
//     alpha = exp(m - m'),  l = alpha * l,  m = m'
//     p     = exp(s - m),    l = l + rowsum(p)
//     acc   = alpha * acc + p . V_t
//   out_t = l == 0 ? 0 : acc / l
//
// where K_t, V_t are rows k0.. of kv head h / (Hq / Hkv): grouped-query
// attention slices the shared kv head, never a copy. A max still -inf (all
// keys so far masked) shifts by 0, so that exp gives 0 instead of NaN, and a
// row with no key to attend to gives zeros, as the decomposition does. The
// running statistics and acc are f32 for f16/bf16 inputs.
//
// When batch x heads x query tiles leave parallel iterations to fill (a
// decode step: one query row per head), the keys are split too (flash
// decoding): each of `splits` iterations per query tile runs the online
// softmax over its own range of whole key tiles into partial m, l and acc
// (f32 workspaces [B, Hq, Sq, splits(, Dv)]), and a combine step after the
// forall merges them: M = max_c m_c, w_c = exp(m_c - M),
// out = sum_c w_c acc_c / sum_c w_c l_c.
//
// Causal attention stops at the last key the tile's bottom row sees
// (bottom-right alignment: row i sees keys j <= i + Skv - Sq), so tiles above
// the diagonal are never computed. The key loop runs over whole tiles of
// static size; the last partial tile has a loop (or straight-line code, for
// static shapes) of its own, so that the vectorizer sees static tiles.
//
// Key-major scores (query tiles of several rows with f32 operands and a
// static head dimension: the CPU's tiles, Tq = 32, Tk = 64; a GPU thread's
// single row keeps the dot products above). The query rows are transposed
// once per query tile into a zeroed [D, Tq] stack tile and scaled there, and
// each key step computes
//
//     sT = K_t . Q_t^T                                  [Tk, Tq]
//     s  = sT^T on the tile's rows (+ mask) (causal -inf)
//
// S^T is a plain row-major linalg.matmul, which the CPU target register-tiles
// (MatmulKernel.h: a key element broadcast against a vector of query
// columns), where Q_t . K_t^T would be one dot product per score, each
// vector reduced horizontally; p . V_t is one already. Causal attention
// splits the whole key tiles in two loops: those every row of the tile sees
// whole (left of the diagonal) take no mask at all, and with the scale on
// the query rows their scores go to the softmax as the transpose leaves
// them; only the tiles at the diagonal build the causal mask.
//
// A grouped-query decode step (one query row, Hq / Hkv = G > 1, static
// shapes, a mask shared by the heads) with such tiles folds the G query
// heads of each kv head into the rows of one query tile: Q [B, Hq, 1, D] is
// seen as [B, Hkv, G, D] (the same bytes; the result back as [B, Hq, 1,
// Dv]), so that each kv head's keys and values are read once per step, not
// G times, and the scores are key-major ([Tk, G] tiles).
//
// The tile temporaries (s [Tq, Tk], m, l, alpha [Tq], a copy of the query
// rows [Tq, D] (key-major: [D, Tq], and sT [Tk, Tq]) and acc [Tq, Dv], all
// f32) are static memref.allocas of each iteration seen as tensors
// (bufferization.to_tensor restrict writable): Tq * (Tk + 3 + D + Dv) floats
// (key-major: Tq * Tk more) of stack per iteration (private memory of a
// GPU thread, where the accumulator must be: in the result, each update would
// be a read and a write of device memory, and neighbouring threads' rows are
// Dv apart), never a heap allocation, which a dispatch cannot make (the
// memory plan gives it its buffers); the result gets the normalized tile by a
// copy. So the head dimension of V must be
// static (the decomposition lowers the rest); Q with a dynamic head
// dimension is read in place.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;

namespace mllmc {
namespace {

/// Keys per step of the online softmax.
constexpr int64_t kKeyTile = 64;

using utils::IteratorType;

void yield(OpBuilder &b, Location loc, ValueRange values) {
  linalg::YieldOp::create(b, loc, values);
}
void yield(OpBuilder &b, Location loc, Value value) {
  linalg::YieldOp::create(b, loc, value);
}

/// Builds the loop nest of one mllm.attention; the values are those of the
/// op's adaptor.
class FlashAttentionBuilder {
public:
  FlashAttentionBuilder(OpBuilder &b, Location loc, mllm::AttentionOp op,
                        Value query, Value key, Value value, Value mask,
                        int64_t maxQueryTile, int64_t minParallelism)
      : b(b), loc(loc), op(op), query(query), key(key), value(value),
        mask(mask), maxQueryTile(maxQueryTile), minParallelism(minParallelism) {
    elementType = getElementTypeOrSelf(query.getType());
    accType = getComputeType(elementType);
    groups = op.getNumHeads() / op.getNumKvHeads();
    causal = op.getCausal();
  }

  Value build();
  /// Builds the loop nest for `query` [B, Hkv, G, D], the G = Hq / Hkv query
  /// heads of each kv head of a one-row `op` folded into rows; see
  /// FlashAttentionLowering.
  Value buildFoldedGroups() {
    groups = 1;
    // A single query row (bottom-right aligned) sees every key.
    causal = false;
    return build();
  }
  /// The result from the partial m, l and acc of the key splits (f32
  /// [B, Hq, Sq, S], [B, Hq, Sq, S], [B, Hq, Sq, S, Dv]).
  Value combineSplits(Value partialM, Value partialL, Value partialAcc);

private:
  // Index arithmetic on OpFoldResults that folds static values.
  Value materialize(OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  }
  OpFoldResult index(int64_t v) { return b.getIndexAttr(v); }
  template <typename OpTy> OpFoldResult binary(OpFoldResult x, OpFoldResult y) {
    return getAsOpFoldResult(
        b.createOrFold<OpTy>(loc, materialize(x), materialize(y)));
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) {
    return binary<arith::AddIOp>(x, y);
  }
  OpFoldResult sub(OpFoldResult x, OpFoldResult y) {
    return binary<arith::SubIOp>(x, y);
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    return binary<arith::MulIOp>(x, y);
  }
  OpFoldResult div(OpFoldResult x, OpFoldResult y) {
    return binary<arith::DivUIOp>(x, y);
  }
  OpFoldResult rem(OpFoldResult x, OpFoldResult y) {
    return binary<arith::RemUIOp>(x, y);
  }
  OpFoldResult min(OpFoldResult x, OpFoldResult y) {
    return binary<arith::MinSIOp>(x, y);
  }
  OpFoldResult max(OpFoldResult x, OpFoldResult y) {
    return binary<arith::MaxSIOp>(x, y);
  }

  Value constant(double v) { return createScalarConstant(b, loc, accType, v); }
  Value minusInf() {
    return arith::ConstantOp::create(b, loc, getLowestValueAttr(accType));
  }

  /// The slice [offsets, offsets + sizes) of a rank-4 tensor with its leading
  /// unit dimensions (batch, head) dropped down to `rank`.
  Value slice(Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<OpFoldResult> sizes, unsigned rank);
  /// The inverse of `slice`, inside the forall's terminator.
  void insertInParallel(Value tile, Value dest, ArrayRef<OpFoldResult> offsets,
                        ArrayRef<OpFoldResult> sizes);

  /// A tile of `sizes` (rows, then columns) of the accumulator type on the
  /// stack of the iteration: a static [Tq, ...] alloca seen as a tensor, cut
  /// to the tile's rows.
  Value scratch(ArrayRef<OpFoldResult> sizes);

  Value empty(ArrayRef<OpFoldResult> sizes, Type type) {
    return tensor::EmptyOp::create(b, loc, sizes, type);
  }
  Value fill(Value tensor, Value scalar) {
    return linalg::FillOp::create(b, loc, ValueRange{scalar},
                                  ValueRange{tensor})
        .getResult(0);
  }
  /// A linalg.generic whose results have the types of `outputs`.
  SmallVector<Value>
  generic(ValueRange inputs, ValueRange outputs, ArrayRef<AffineMap> maps,
          ArrayRef<IteratorType> iterators,
          function_ref<void(OpBuilder &, Location, ValueRange)> body) {
    return linalg::GenericOp::create(b, loc, TypeRange(outputs), inputs,
                                     outputs, maps, iterators, body)
        ->getResults();
  }

  /// A max of -inf (no key seen yet) shifts the scores by 0.
  static Value shiftOf(OpBuilder &nb, Location nl, Value max) {
    Type type = max.getType();
    Value inf = arith::ConstantOp::create(
        nb, nl,
        nb.getFloatAttr(type, -std::numeric_limits<double>::infinity()));
    Value isInf =
        arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, max, inf);
    Value zero = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(type, 0.0));
    return arith::SelectOp::create(nb, nl, isInf, zero, max);
  }

  /// A static tile of `shape` in the accumulator type on the stack of the
  /// iteration, seen as a tensor.
  Value stackTile(ArrayRef<int64_t> shape);

  /// The state the key loop carries: tiles of the workspaces and of acc, and
  /// the key-major score tile sT (null where the scores are row-major).
  struct State {
    Value s, m, l, alpha, acc, sT;
    SmallVector<Value> values() const {
      SmallVector<Value> v = {s, m, l, alpha, acc};
      if (sT)
        v.push_back(sT);
      return v;
    }
    static State from(ValueRange v) {
      return {v[0], v[1], v[2], v[3], v[4], v.size() > 5 ? v[5] : Value()};
    }
  };

  /// One step of the online softmax over keys [k0, k0 + tk).
  State buildKeyStep(State state, OpFoldResult k0, OpFoldResult tk);
  /// scale * s, the mask and the causal mask on a [tq, tk] score tile.
  Value buildMaskedScores(Value s, OpFoldResult k0, OpFoldResult tk);
  /// The key loop over [begin, end) in steps of Tk with tiles of `tk` keys.
  State buildKeyLoop(State state, OpFoldResult begin, OpFoldResult end,
                     OpFoldResult tk);
  /// Into how many ranges of whole key tiles each query tile's keys split,
  /// for `iterations` (batch x heads x query tiles) and a key length of
  /// `keyLength` (static shapes only; 1 otherwise).
  int64_t getKeySplits(int64_t iterations, int64_t keyLength) const;

  OpBuilder &b;
  Location loc;
  mllm::AttentionOp op;
  Value query, key, value, mask;
  Type elementType, accType;
  int64_t groups;
  /// Whether the attention is causal (op's attribute).
  bool causal;
  /// Query rows per parallel iteration (fewer for a shorter query).
  int64_t maxQueryTile;
  /// Parallel iterations below which the keys are split too.
  int64_t minParallelism;
  /// Whether the key steps built now apply the causal mask (not on the key
  /// tiles that every row of a key-major query tile sees whole).
  bool causalMasking = true;

  // Per query tile, set inside the forall.
  Value batchIndex, headIndex, kvHeadIndex;
  OpFoldResult queryStart, queryRows;
  Value queryTile;
  /// Key-major scores (CPU query tiles): the transposed query rows [D, Tq]
  /// and S^T = K_t . Q_t^T as a plain matmul; null otherwise.
  Value queryTransposed;
  // Sizes of the operands.
  OpFoldResult queryLen, keyLen, headDim, valueDim, keyTile, queryTileSize;
};

Value FlashAttentionBuilder::slice(Value source, ArrayRef<OpFoldResult> offsets,
                                   ArrayRef<OpFoldResult> sizes,
                                   unsigned rank) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> strides(sizes.size(), index(1));
  RankedTensorType type =
      tensor::ExtractSliceOp::inferCanonicalRankReducedResultType(
          rank, sourceType, sizes);
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizes,
                                        strides);
}

Value FlashAttentionBuilder::stackTile(ArrayRef<int64_t> shape) {
  Value buffer =
      memref::AllocaOp::create(b, loc, MemRefType::get(shape, accType));
  return bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(shape, accType), buffer, /*restrict=*/true,
      /*writable=*/true);
}

Value FlashAttentionBuilder::scratch(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape = {*getConstantIntValue(queryTileSize)};
  for (OpFoldResult size : sizes.drop_front())
    shape.push_back(*getConstantIntValue(size));
  Value tile = stackTile(shape);
  if (isEqualConstantIntOrValue(sizes.front(), queryTileSize))
    return tile;
  SmallVector<OpFoldResult> offsets(sizes.size(), index(0));
  SmallVector<OpFoldResult> strides(sizes.size(), index(1));
  return tensor::ExtractSliceOp::create(b, loc, tile, offsets, sizes, strides);
}

void FlashAttentionBuilder::insertInParallel(Value tile, Value dest,
                                             ArrayRef<OpFoldResult> offsets,
                                             ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(sizes.size(), index(1));
  tensor::ParallelInsertSliceOp::create(b, loc, tile, dest, offsets, sizes,
                                        strides);
}

Value FlashAttentionBuilder::buildMaskedScores(Value s, OpFoldResult k0,
                                               OpFoldResult tk) {
  MLIRContext *context = b.getContext();
  AffineExpr i = getAffineDimExpr(0, context), j = getAffineDimExpr(1, context);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  if (mask) {
    // The mask broadcasts to [B, Hq, Sq, Skv] from the right; a unit
    // dimension of it is read at 0 for every position.
    auto maskType = cast<RankedTensorType>(mask.getType());
    int64_t rank = maskType.getRank();
    OpFoldResult fullOffsets[] = {batchIndex, headIndex, queryStart, k0};
    OpFoldResult fullSizes[] = {index(1), index(1), queryRows, tk};
    AffineExpr fullExprs[] = {getAffineConstantExpr(0, context),
                              getAffineConstantExpr(0, context), i, j};
    SmallVector<OpFoldResult> offsets, sizes;
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t full = 4 - rank + d;
      if (maskType.getDimSize(d) == 1) {
        offsets.push_back(index(0));
        sizes.push_back(index(1));
        exprs.push_back(getAffineConstantExpr(0, context));
        continue;
      }
      offsets.push_back(fullOffsets[full]);
      sizes.push_back(fullSizes[full]);
      exprs.push_back(full < 2 ? getAffineConstantExpr(0, context)
                               : fullExprs[full]);
    }
    inputs.push_back(slice(mask, offsets, sizes, rank));
    maps.push_back(AffineMap::get(2, 0, exprs, context));
  }
  maps.push_back(identity);

  // Row i (absolute queryStart + i) sees key k0 + j when
  // k0 + j <= queryStart + i + Skv - Sq, i.e. j <= i + delta.
  Value delta;
  if (causal && causalMasking)
    delta = materialize(sub(add(queryStart, sub(keyLen, queryLen)), k0));
  bool booleanMask = mask && getElementTypeOrSelf(mask.getType()).isInteger(1);
  float scale = op.getScale();
  Type type = accType;
  return generic(
      inputs, s, maps, {IteratorType::parallel, IteratorType::parallel},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value score = args.back();
        // Key-major scores come from query rows scaled already.
        if (!queryTransposed)
          score = arith::MulFOp::create(
              nb, nl, score, createScalarConstant(nb, nl, type, scale));
        auto lowest = [&]() -> Value {
          return arith::ConstantOp::create(nb, nl, getLowestValueAttr(type));
        };
        if (booleanMask)
          score = arith::SelectOp::create(nb, nl, args[0], score, lowest());
        else if (mask)
          score = arith::AddFOp::create(
              nb, nl, score, createScalarCast(nb, nl, args[0], type));
        if (delta) {
          Value row = linalg::IndexOp::create(nb, nl, 0);
          Value col = linalg::IndexOp::create(nb, nl, 1);
          Value limit = arith::AddIOp::create(nb, nl, row, delta);
          Value future = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::sgt, col, limit);
          score = arith::SelectOp::create(nb, nl, future, lowest(), score);
        }
        yield(nb, nl, score);
      })[0];
}

FlashAttentionBuilder::State
FlashAttentionBuilder::buildKeyStep(State state, OpFoldResult k0,
                                    OpFoldResult tk) {
  MLIRContext *context = b.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context),
             d1 = getAffineDimExpr(1, context),
             d2 = getAffineDimExpr(2, context);
  auto map = [&](unsigned dims, ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(dims, 0, exprs, context);
  };
  IteratorType par = IteratorType::parallel, red = IteratorType::reduction;
  Type type = accType;

  Value keys = slice(key, {batchIndex, kvHeadIndex, k0, index(0)},
                     {index(1), index(1), tk, headDim}, 2);
  Value values = slice(value, {batchIndex, kvHeadIndex, k0, index(0)},
                       {index(1), index(1), tk, valueDim}, 2);
  // The score tile: all of the workspace tile, or its first tk columns.
  bool wholeTile = isEqualConstantIntOrValue(tk, keyTile);
  Value s = state.s;
  if (!wholeTile)
    s = tensor::ExtractSliceOp::create(b, loc, s, {index(0), index(0)},
                                       {queryRows, tk}, {index(1), index(1)});

  Value sT = state.sT;
  if (queryTransposed) {
    // S^T = K_t . Q_t^T over all Tq columns (a plain matmul, which the CPU
    // target register-tiles), then s = (S^T)^T on the tile's rows.
    OpFoldResult tq = queryTileSize;
    if (!wholeTile)
      sT = tensor::ExtractSliceOp::create(b, loc, sT, {index(0), index(0)},
                                          {tk, tq}, {index(1), index(1)});
    sT = fill(sT, constant(0.0));
    sT = linalg::MatmulOp::create(b, loc, ValueRange{keys, queryTransposed},
                                  ValueRange{sT})
             .getResult(0);
    Value rows = sT;
    if (!isEqualConstantIntOrValue(queryRows, tq))
      rows =
          tensor::ExtractSliceOp::create(b, loc, sT, {index(0), index(0)},
                                         {tk, queryRows}, {index(1), index(1)});
    s = linalg::TransposeOp::create(b, loc, rows, s, ArrayRef<int64_t>{1, 0})
            ->getResult(0);
    if (!wholeTile)
      sT = tensor::InsertSliceOp::create(b, loc, sT, state.sT,
                                         {index(0), index(0)}, {tk, tq},
                                         {index(1), index(1)});
  } else {
    // s = Q_t . K_t^T
    s = fill(s, constant(0.0));
    s = generic(
        {queryTile, keys}, s,
        {map(3, {d0, d2}), map(3, {d1, d2}), map(3, {d0, d1})}, {par, par, red},
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value q = createScalarCast(nb, nl, args[0], type);
          Value k = createScalarCast(nb, nl, args[1], type);
          Value product = arith::MulFOp::create(nb, nl, q, k);
          yield(nb, nl, arith::AddFOp::create(nb, nl, args[2], product));
        })[0];
  }
  if (!queryTransposed || mask || (causal && causalMasking))
    s = buildMaskedScores(s, k0, tk);

  // alpha = rowmax(s); then in one elementwise step over the rows (outputs
  // only, so that each is updated in place): m' = max(m, alpha),
  // alpha = exp(m - shift(m')), l = alpha * l, m = m'. (A copy of m would
  // fold away as an identity and then need a buffer of its own.)
  AffineMap rows1 = map(1, {d0});
  AffineMap tile2 = map(2, {d0, d1}), rows2 = map(2, {d0});
  Value alpha = fill(state.alpha, minusInf());
  alpha = generic(s, alpha, {tile2, rows2}, {par, red},
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    yield(nb, nl,
                          arith::MaximumFOp::create(nb, nl, args[0], args[1]));
                  })[0];
  SmallVector<Value> rescaled =
      generic(ValueRange{}, {alpha, state.m, state.l}, {rows1, rows1, rows1},
              {par}, [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value max = arith::MaximumFOp::create(nb, nl, args[1], args[0]);
                Value shift = shiftOf(nb, nl, max);
                Value factor = math::ExpOp::create(
                    nb, nl, arith::SubFOp::create(nb, nl, args[1], shift));
                Value l = arith::MulFOp::create(nb, nl, args[2], factor);
                yield(nb, nl, ValueRange{factor, max, l});
              });
  alpha = rescaled[0];
  Value m = rescaled[1];
  // p = exp(s - shift(m)) in place of s; l += rowsum(p).
  s = generic(m, s, {rows2, tile2}, {par, par},
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value shift = shiftOf(nb, nl, args[0]);
                yield(
                    nb, nl,
                    math::ExpOp::create(
                        nb, nl, arith::SubFOp::create(nb, nl, args[1], shift)));
              })[0];
  Value l =
      generic(s, rescaled[2], {tile2, rows2}, {par, red},
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                yield(nb, nl, arith::AddFOp::create(nb, nl, args[1], args[0]));
              })[0];
  // acc = alpha * acc + p . V_t
  Value acc =
      generic(alpha, state.acc, {rows2, tile2}, {par, par},
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                yield(nb, nl, arith::MulFOp::create(nb, nl, args[1], args[0]));
              })[0];
  acc = linalg::MatmulOp::create(b, loc, ValueRange{s, values}, ValueRange{acc})
            .getResult(0);

  if (!wholeTile)
    s = tensor::InsertSliceOp::create(b, loc, s, state.s, {index(0), index(0)},
                                      {queryRows, tk}, {index(1), index(1)});
  return {s, m, l, alpha, acc, sT};
}

FlashAttentionBuilder::State
FlashAttentionBuilder::buildKeyLoop(State state, OpFoldResult begin,
                                    OpFoldResult end, OpFoldResult tk) {
  std::optional<int64_t> first = getConstantIntValue(begin);
  std::optional<int64_t> last = getConstantIntValue(end);
  if (first && last) {
    if (*first >= *last)
      return state;
    // One static step needs no loop.
    if (*last - *first <= getConstantIntValue(keyTile).value_or(0))
      return buildKeyStep(state, begin, tk);
  }
  auto loop = scf::ForOp::create(
      b, loc, materialize(begin), materialize(end), materialize(keyTile),
      state.values(),
      [&](OpBuilder &nb, Location nl, Value k0, ValueRange args) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        State next = buildKeyStep(State::from(args), k0, tk);
        scf::YieldOp::create(b, nl, next.values());
      });
  return State::from(loop.getResults());
}

int64_t FlashAttentionBuilder::getKeySplits(int64_t iterations,
                                            int64_t keyLength) const {
  if (ShapedType::isDynamic(iterations) || ShapedType::isDynamic(keyLength) ||
      iterations <= 0 || iterations >= minParallelism)
    return 1;
  // At least one whole key tile per split.
  int64_t most = keyLength / kKeyTile;
  return std::max<int64_t>(
      1, std::min<int64_t>(llvm::divideCeil(minParallelism, iterations), most));
}

Value FlashAttentionBuilder::combineSplits(Value partialM, Value partialL,
                                           Value partialAcc) {
  MLIRContext *context = b.getContext();
  auto dims = [&](unsigned count) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d = 0; d < count; ++d)
      exprs.push_back(getAffineDimExpr(d, context));
    return exprs;
  };
  auto map = [&](unsigned count, ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(count, 0, exprs, context);
  };
  IteratorType par = IteratorType::parallel, red = IteratorType::reduction;
  valueDim = tensor::getMixedSize(b, loc, partialAcc, 4);
  SmallVector<OpFoldResult> rows = tensor::getMixedSizes(b, loc, partialM);
  rows.pop_back();
  SmallVector<OpFoldResult> sizes = rows;
  sizes.push_back(valueDim);

  // (b, h, i, c): M = max_c m_c.
  SmallVector<AffineExpr> e4 = dims(4);
  AffineMap all4 = map(4, e4), rows4 = map(4, ArrayRef(e4).take_front(3));
  Value maxM = generic(
      partialM, fill(empty(rows, accType), minusInf()), {all4, rows4},
      {par, par, par, red}, [&](OpBuilder &nb, Location nl, ValueRange args) {
        yield(nb, nl, arith::MaximumFOp::create(nb, nl, args[0], args[1]));
      })[0];
  auto weight = [&](OpBuilder &nb, Location nl, Value m, Value max) {
    return math::ExpOp::create(
        nb, nl, arith::SubFOp::create(nb, nl, m, shiftOf(nb, nl, max)));
  };
  // L = sum_c l_c exp(m_c - M).
  Value sum = generic(
      {partialM, partialL, maxM}, fill(empty(rows, accType), constant(0.0)),
      {all4, all4, rows4, rows4}, {par, par, par, red},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value w = weight(nb, nl, args[0], args[2]);
        Value term = arith::MulFOp::create(nb, nl, args[1], w);
        yield(nb, nl, arith::AddFOp::create(nb, nl, args[3], term));
      })[0];
  // (b, h, i, d, c): O = sum_c acc_c exp(m_c - M).
  SmallVector<AffineExpr> e5 = dims(5);
  AffineMap acc5 = map(5, {e5[0], e5[1], e5[2], e5[4], e5[3]});
  AffineMap stat5 = map(5, {e5[0], e5[1], e5[2], e5[4]});
  AffineMap rows5 = map(5, ArrayRef(e5).take_front(3));
  AffineMap out5 = map(5, ArrayRef(e5).take_front(4));
  Value merged = generic(
      {partialAcc, partialM, maxM}, fill(empty(sizes, accType), constant(0.0)),
      {acc5, stat5, rows5, out5}, {par, par, par, par, red},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value w = weight(nb, nl, args[1], args[2]);
        Value term = arith::MulFOp::create(nb, nl, args[0], w);
        yield(nb, nl, arith::AddFOp::create(nb, nl, args[3], term));
      })[0];
  // out = L == 0 ? 0 : O / L, in the result's element type.
  AffineMap all = map(4, e4), rowsOf = map(4, ArrayRef(e4).take_front(3));
  Type type = accType, resultType = elementType;
  return generic(
      {merged, sum}, empty(sizes, elementType), {all, rowsOf, all},
      {par, par, par, par}, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value zero = createScalarConstant(nb, nl, type, 0.0);
        Value none = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ,
                                           args[1], zero);
        Value quotient = arith::DivFOp::create(nb, nl, args[0], args[1]);
        Value out = arith::SelectOp::create(nb, nl, none, zero, quotient);
        yield(nb, nl, createScalarCast(nb, nl, out, resultType));
      })[0];
}

Value FlashAttentionBuilder::build() {
  auto queryType = cast<RankedTensorType>(query.getType());
  OpFoldResult batch = tensor::getMixedSize(b, loc, query, 0);
  OpFoldResult heads = tensor::getMixedSize(b, loc, query, 1);
  queryLen = tensor::getMixedSize(b, loc, query, 2);
  headDim = tensor::getMixedSize(b, loc, query, 3);
  keyLen = tensor::getMixedSize(b, loc, key, 2);
  valueDim = tensor::getMixedSize(b, loc, value, 3);

  // Tiles no larger than the operands, so that static shapes stay static.
  int64_t staticQueryLen = queryType.getDimSize(2);
  int64_t staticKeyLen = cast<RankedTensorType>(key.getType()).getDimSize(2);
  queryTileSize = index(ShapedType::isDynamic(staticQueryLen)
                            ? maxQueryTile
                            : std::min(maxQueryTile, staticQueryLen));
  keyTile = index(ShapedType::isDynamic(staticKeyLen) || staticKeyLen == 0
                      ? kKeyTile
                      : std::min(kKeyTile, staticKeyLen));
  OpFoldResult queryTiles =
      div(add(queryLen, sub(queryTileSize, index(1))), queryTileSize);
  OpFoldResult tiles = mul(mul(batch, heads), queryTiles);
  int64_t splits = getKeySplits(
      getConstantIntValue(tiles).value_or(ShapedType::kDynamic), staticKeyLen);
  // Keys per split: whole key tiles, and no split left without keys.
  int64_t chunk = 0;
  if (splits > 1) {
    chunk = llvm::alignTo(llvm::divideCeil(staticKeyLen, splits), kKeyTile);
    splits = llvm::divideCeil(staticKeyLen, chunk);
  }
  OpFoldResult count = mul(tiles, index(splits));

  // The result and the workspaces: the result itself, or the partial
  // statistics and accumulators of the key splits.
  SmallVector<Value> outputs;
  if (splits == 1) {
    outputs.push_back(empty({batch, heads, queryLen, valueDim}, elementType));
  } else {
    OpFoldResult split = index(splits);
    outputs.push_back(empty({batch, heads, queryLen, split}, accType));
    outputs.push_back(empty({batch, heads, queryLen, split}, accType));
    outputs.push_back(
        empty({batch, heads, queryLen, split, valueDim}, accType));
  }

  auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{index(0)},
                                      ArrayRef<OpFoldResult>{count},
                                      ArrayRef<OpFoldResult>{index(1)}, outputs,
                                      /*mapping=*/std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value iteration = forall.getInductionVar(0);
  ValueRange shared = forall.getRegionIterArgs();

  // (b, h, query tile[, split]) of this iteration.
  OpFoldResult tileIteration = iteration, splitIndex = index(0);
  if (splits > 1) {
    splitIndex = rem(iteration, index(splits));
    tileIteration = div(iteration, index(splits));
  }
  OpFoldResult tileIndex = rem(tileIteration, queryTiles);
  OpFoldResult batchHead = div(tileIteration, queryTiles);
  headIndex = materialize(rem(batchHead, heads));
  batchIndex = materialize(div(batchHead, heads));
  kvHeadIndex = materialize(div(headIndex, index(groups)));
  queryStart = mul(tileIndex, queryTileSize);
  queryRows = queryTileSize;
  std::optional<int64_t> staticTile = getConstantIntValue(queryTileSize);
  if (ShapedType::isDynamic(staticQueryLen) || staticQueryLen % *staticTile)
    queryRows = min(queryTileSize, sub(queryLen, queryStart));

  auto offsets4 = [&](OpFoldResult last) -> SmallVector<OpFoldResult> {
    return {batchIndex, headIndex, queryStart, last};
  };
  SmallVector<OpFoldResult> resultSizes = {index(1), index(1), queryRows,
                                           valueDim};
  SmallVector<OpFoldResult> accOffsets = {batchIndex, headIndex, queryStart,
                                          splitIndex, index(0)};
  SmallVector<OpFoldResult> accSizes = {index(1), index(1), queryRows, index(1),
                                        valueDim};
  SmallVector<OpFoldResult> statSizes = {index(1), index(1), queryRows,
                                         index(1)};
  queryTile = slice(query, offsets4(index(0)),
                    {index(1), index(1), queryRows, headDim}, 2);
  // The query rows are read once per key: a copy on the stack of the
  // iteration (in the accumulator type) keeps them close, converted once,
  // and, on a GPU, makes the reads of neighbouring threads (neighbouring
  // rows, a head dimension apart in Q) contiguous in private memory.
  // (A converting linalg.copy: a generic that does not read its destination
  // would have it replaced by a tensor.empty, and an f32 one folds away.)
  //
  // Query tiles of several rows of f32 with a static head dimension (the
  // CPU's) are stored transposed instead, [D, Tq], zero beyond the tile's
  // rows: the scores are then S^T = K_t . Q_t^T, a matmul with plain
  // row-major operands whose register tiles broadcast one key element
  // against a vector of query rows (a dot product per score would reduce
  // each vector horizontally). A tile of one row (a GPU thread's) keeps the
  // dot products.
  std::optional<int64_t> staticHeadDim = getConstantIntValue(headDim);
  bool keyMajor = *staticTile > 1 && staticHeadDim && accType.isF32() &&
                  elementType == accType;
  if (keyMajor) {
    Value transposed = stackTile({*staticHeadDim, *staticTile});
    bool partialRows = !isEqualConstantIntOrValue(queryRows, queryTileSize);
    SmallVector<OpFoldResult> zeros = {index(0), index(0)},
                              sizes = {headDim, queryRows},
                              ones = {index(1), index(1)};
    if (partialRows)
      transposed = fill(transposed, constant(0.0));
    Value rows = partialRows ? tensor::ExtractSliceOp::create(
                                   b, loc, transposed, zeros, sizes, ones)
                                   .getResult()
                             : transposed;
    rows = linalg::TransposeOp::create(b, loc, queryTile, rows,
                                       ArrayRef<int64_t>{1, 0})
               ->getResult(0);
    transposed = partialRows ? tensor::InsertSliceOp::create(
                                   b, loc, rows, transposed, zeros, sizes, ones)
                                   .getResult()
                             : rows;
    // The scale on the query rows, once per query tile instead of on every
    // score tile: key tiles without a mask then need no elementwise step
    // before the softmax.
    float scale = op.getScale();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, b.getContext());
    queryTransposed =
        generic(ValueRange{}, transposed, identity,
                {IteratorType::parallel, IteratorType::parallel},
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  Value factor = createScalarConstant(nb, nl, accType, scale);
                  yield(nb, nl, arith::MulFOp::create(nb, nl, args[0], factor));
                })[0];
  } else if (staticHeadDim) {
    queryTile =
        linalg::CopyOp::create(b, loc, queryTile, scratch({queryRows, headDim}))
            .getResult(0);
  }
  State state;
  if (keyMajor)
    state.sT = stackTile({*getConstantIntValue(keyTile), *staticTile});
  state.s = scratch({queryRows, keyTile});
  state.m = fill(scratch({queryRows}), minusInf());
  state.l = fill(scratch({queryRows}), constant(0.0));
  state.alpha = scratch({queryRows});
  state.acc = fill(scratch({queryRows, valueDim}), constant(0.0));

  // Keys [begin, end): causal attention stops after the last key of the
  // tile's bottom row, i.e. queryStart + queryRows - 1 + Skv - Sq; a split
  // takes its own whole key tiles of that range (maybe none).
  OpFoldResult begin = index(0), end = keyLen;
  if (causal)
    end = max(index(0), add(add(queryStart, queryRows), sub(keyLen, queryLen)));
  if (splits > 1) {
    begin = mul(splitIndex, index(chunk));
    end = max(begin, min(add(begin, index(chunk)), end));
  }
  OpFoldResult wholeEnd =
      add(begin, mul(div(sub(end, begin), keyTile), keyTile));
  if (keyMajor && causal) {
    // The whole key tiles left of the diagonal, which the tile's top row
    // (queryStart: keys up to queryStart + Skv - Sq) sees whole, need no
    // causal mask: a plain scale on the scores.
    OpFoldResult seen =
        max(begin, min(wholeEnd,
                       add(queryStart, sub(add(keyLen, index(1)), queryLen))));
    OpFoldResult unmaskedEnd =
        add(begin, mul(div(sub(seen, begin), keyTile), keyTile));
    causalMasking = false;
    state = buildKeyLoop(state, begin, unmaskedEnd, keyTile);
    causalMasking = true;
    begin = unmaskedEnd;
  }
  state = buildKeyLoop(state, begin, wholeEnd, keyTile);
  state = buildKeyLoop(state, wholeEnd, end, sub(end, wholeEnd));

  MLIRContext *context = b.getContext();
  if (splits > 1) {
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> statOffsets = offsets4(splitIndex);
    insertInParallel(state.m, shared[0], statOffsets, statSizes);
    insertInParallel(state.l, shared[1], statOffsets, statSizes);
    insertInParallel(state.acc, shared[2], accOffsets, accSizes);
    b.setInsertionPointAfter(forall);
    return combineSplits(forall.getResult(0), forall.getResult(1),
                         forall.getResult(2));
  }

  // acc = l == 0 ? 0 : acc / l, in place; the result gets it by a
  // (converting) linalg.copy (a generic writing the result tile without
  // reading it would have its destination replaced by a tensor.empty, which
  // bufferizes to an allocation).
  AffineExpr d0 = getAffineDimExpr(0, context);
  Type type = accType;
  Value normalized = generic(
      state.l, state.acc,
      {AffineMap::get(2, 0, {d0}, context),
       AffineMap::getMultiDimIdentityMap(2, context)},
      {IteratorType::parallel, IteratorType::parallel},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value sum = args[0];
        Value zero = createScalarConstant(nb, nl, type, 0.0);
        Value empty =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, sum, zero);
        Value quotient = arith::DivFOp::create(nb, nl, args[1], sum);
        yield(nb, nl, arith::SelectOp::create(nb, nl, empty, zero, quotient));
      })[0];
  Value resultTile = slice(shared[0], offsets4(index(0)), resultSizes, 2);
  normalized =
      linalg::CopyOp::create(b, loc, normalized, resultTile).getResult(0);

  b.setInsertionPointToStart(forall.getTerminator().getBody());
  insertInParallel(normalized, shared[0], offsets4(index(0)), resultSizes);
  return forall.getResult(0);
}

struct FlashAttentionLowering : OpConversionPattern<mllm::AttentionOp> {
  FlashAttentionLowering(MLIRContext *context, int64_t queryTile,
                         int64_t minParallelism)
      : OpConversionPattern(context, /*benefit=*/2), queryTile(queryTile),
        minParallelism(minParallelism) {}

  LogicalResult
  matchAndRewrite(mllm::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto rank = [](Value v) {
      return cast<RankedTensorType>(v.getType()).getRank();
    };
    // The decomposition reports these errors.
    if (rank(adaptor.getQuery()) != 4 || rank(adaptor.getKey()) != 4 ||
        rank(adaptor.getValue()) != 4 ||
        (adaptor.getMask() && rank(adaptor.getMask()) > 4) ||
        op.getNumKvHeads() <= 0 || op.getNumHeads() % op.getNumKvHeads())
      return rewriter.notifyMatchFailure(
          op, "operand ranks or head counts the flash kernel does not take");
    if (cast<RankedTensorType>(adaptor.getValue().getType()).isDynamicDim(3))
      return rewriter.notifyMatchFailure(
          op, "the flash kernel's stack tiles need a static value head "
              "dimension; the decomposition lowers this one");
    // One (batch, head, query tile) would be one forall iteration, which
    // canonicalization folds into the function: its stack tiles would end up
    // in the host program.
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(adaptor.getQuery().getType()).getShape();
    if (!ShapedType::isDynamicShape(shape.take_front(3)) &&
        shape[0] * shape[1] * llvm::divideCeil(shape[2], queryTile) == 1)
      return rewriter.notifyMatchFailure(
          op, "a single query tile of a single head: the decomposition lowers "
              "it");
    Location loc = op.getLoc();
    Value query = adaptor.getQuery(), mask = adaptor.getMask();
    int64_t kvHeads = op.getNumKvHeads();
    int64_t groups = op.getNumHeads() / kvHeads;
    // Grouped-query decode (one query row) with query tiles of several rows
    // (the CPU's): the G query heads of each kv head become the G rows of
    // one query tile, Q [B, Hq, 1, D] seen as [B, Hkv, G, D] (the same
    // bytes), so that a step reads each kv head's keys and values once
    // instead of once per query head, and its scores are the key-major
    // matmul. A mask must be the same for all heads.
    auto maskType =
        mask ? cast<RankedTensorType>(mask.getType()) : RankedTensorType();
    bool sharedMask = !mask || maskType.getRank() < 3 ||
                      maskType.getDimSize(maskType.getRank() - 3) == 1;
    bool foldGroups =
        queryTile > 1 && groups > 1 && !ShapedType::isDynamicShape(shape) &&
        shape[2] == 1 && sharedMask &&
        shape[0] * kvHeads * llvm::divideCeil(groups, queryTile) > 1;
    SmallVector<ReassociationIndices> heads = {{0}, {1, 2}, {3}};
    if (foldGroups) {
      query = tensor::CollapseShapeOp::create(rewriter, loc, query, heads);
      auto folded = RankedTensorType::get(
          {shape[0], kvHeads, groups, shape[3]},
          cast<RankedTensorType>(query.getType()).getElementType());
      query =
          tensor::ExpandShapeOp::create(rewriter, loc, folded, query, heads);
    }
    FlashAttentionBuilder builder(rewriter, loc, op, query, adaptor.getKey(),
                                  adaptor.getValue(), mask, queryTile,
                                  minParallelism);
    Value result = foldGroups ? builder.buildFoldedGroups() : builder.build();
    if (foldGroups) {
      auto resultType = cast<RankedTensorType>(result.getType());
      result = tensor::CollapseShapeOp::create(rewriter, loc, result, heads);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(
              {shape[0], op.getNumHeads(), 1, resultType.getDimSize(3)},
              resultType.getElementType()),
          result, heads);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }

private:
  int64_t queryTile, minParallelism;
};

} // namespace

Value buildFlashAttentionCombine(OpBuilder &b, mllm::AttentionOp op,
                                 Value query, Value partialMax,
                                 Value partialSum, Value partialAcc) {
  FlashAttentionBuilder builder(b, op.getLoc(), op, query, Value(), Value(),
                                Value(), /*maxQueryTile=*/1,
                                /*minParallelism=*/1);
  return builder.combineSplits(partialMax, partialSum, partialAcc);
}

void populateMllmFlashAttentionToLinalgPatterns(RewritePatternSet &patterns,
                                                int64_t queryTile,
                                                int64_t minParallelism) {
  assert(queryTile > 0 && "a query tile holds at least one row");
  patterns.add<FlashAttentionLowering>(patterns.getContext(), queryTile,
                                       minParallelism);
}

} // namespace mllmc
