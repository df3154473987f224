//===- Indexing.cpp - slice, gather, gather_elements and gather_nd --------===//
//
// slice with positive steps is a tensor.extract_slice (a strided view after
// bufferization); a negative step needs a copy, done by a linalg.generic that
// reads `start + i * step` (through its indexing map when the start is
// static, with tensor.extract when it is clamped at run time). gather,
// gather_elements and gather_nd are linalg.generics over the result that
// read the index tensor and extract from the data tensor.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mllmc {
namespace {

/// `index` (an integer of the index tensor) as an `index` value, counting
/// from the end of a dimension of `size` when negative, as ONNX does.
Value createWrappedIndex(OpBuilder &b, Location loc, Value index, Value size) {
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(b, loc, index, size);
  return arith::SelectOp::create(b, loc, isNegative, wrapped, index);
}

/// Where a sliced dim starts and how many elements it takes. Static dims use
/// the normalized bounds as they are; on a dynamic dim they are clamped at
/// run time: a positive step reads [min(start, dim), min(end, dim)), a
/// negative one walks down from min(start, dim - 1) to end (exclusive).
struct SliceDim {
  OpFoldResult offset;
  OpFoldResult size;
};

SliceDim getSliceDim(OpBuilder &b, Location loc, Value input, int64_t dim,
                     int64_t start, int64_t end, int64_t step) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t stride = std::abs(step);
  if (!type.isDynamicDim(dim)) {
    int64_t extent = step > 0 ? end - start : start - end;
    int64_t count = std::max<int64_t>(0, (extent + stride - 1) / stride);
    // An empty slice may start at the end (Split with a zero-sized part);
    // tensor.extract_slice wants offsets inside the dimension.
    return {b.getIndexAttr(count == 0 ? 0 : start), b.getIndexAttr(count)};
  }
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  Value dimSize = tensor::DimOp::create(b, loc, input, dim);
  Value first, extent;
  if (step > 0) {
    first = arith::MinSIOp::create(b, loc, constant(start), dimSize);
    Value last = arith::MinSIOp::create(b, loc, constant(end), dimSize);
    extent = arith::SubIOp::create(b, loc, last, first);
  } else {
    Value lastIndex = arith::SubIOp::create(b, loc, dimSize, constant(1));
    first = arith::MinSIOp::create(b, loc, constant(start), lastIndex);
    extent = arith::SubIOp::create(b, loc, first, constant(end));
  }
  Value count = arith::CeilDivSIOp::create(b, loc, extent, constant(stride));
  Value size = arith::MaxSIOp::create(b, loc, count, constant(0));
  return {first, size};
}

struct SliceOpLowering : OpConversionPattern<mllm::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> starts = op.getStarts(), ends = op.getEnds(),
                      steps = op.getSteps();
    int64_t rank = inputType.getRank();
    if (static_cast<int64_t>(starts.size()) != rank ||
        static_cast<int64_t>(ends.size()) != rank ||
        static_cast<int64_t>(steps.size()) != rank ||
        llvm::is_contained(steps, 0))
      return emitLoweringError(
          op, "starts/ends/steps need one entry per dimension and steps != 0");

    SmallVector<OpFoldResult> offsets, sizes;
    for (int64_t dim = 0; dim < rank; ++dim) {
      SliceDim slice = getSliceDim(rewriter, loc, input, dim, starts[dim],
                                   ends[dim], steps[dim]);
      offsets.push_back(slice.offset);
      sizes.push_back(slice.size);
    }

    Value result;
    if (llvm::all_of(steps, [](int64_t step) { return step > 0; })) {
      result = tensor::ExtractSliceOp::create(
          rewriter, loc, input, offsets, sizes,
          getAsIndexOpFoldResult(getContext(), steps));
    } else if (llvm::all_of(offsets, [](OpFoldResult offset) {
                 return getConstantIntValue(offset).has_value();
               })) {
      // Static offsets: read `offset + i * step` through the indexing map.
      SmallVector<AffineExpr> exprs;
      for (int64_t dim = 0; dim < rank; ++dim)
        exprs.push_back(rewriter.getAffineDimExpr(dim) * steps[dim] +
                        *getConstantIntValue(offsets[dim]));
      AffineMap map = AffineMap::get(rank, 0, exprs, getContext());
      result = buildParallelGeneric(
          rewriter, loc, sizes, inputType.getElementType(), input, map,
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    } else {
      // Run-time offsets: compute the position and extract it.
      result = buildParallelGeneric(
          rewriter, loc, sizes, inputType.getElementType(), ValueRange{}, {},
          [&](OpBuilder &b, Location l, ValueRange) -> Value {
            SmallVector<Value> position;
            for (int64_t dim = 0; dim < rank; ++dim) {
              Value i = linalg::IndexOp::create(b, l, dim);
              Value scaled = arith::MulIOp::create(
                  b, l, i, arith::ConstantIndexOp::create(b, l, steps[dim]));
              Value offset =
                  getValueOrCreateConstantIndexOp(b, l, offsets[dim]);
              position.push_back(arith::AddIOp::create(b, l, offset, scaled));
            }
            return tensor::ExtractOp::create(b, l, input, position);
          });
    }
    rewriter.replaceOp(
        op, castToType(rewriter, loc, result, getSignlessType(op.getType())));
    return success();
  }
};

struct GatherOpLowering : OpConversionPattern<mllm::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    int64_t axis = op.getAxis();
    int64_t indexRank = indicesType.getRank();
    if (axis < 0 || axis >= dataType.getRank())
      return emitLoweringError(op, "axis " + Twine(axis) + " out of range");

    // Result sizes: data[:axis] + indices + data[axis+1:].
    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sizes(dataSizes.begin(),
                                    dataSizes.begin() + axis);
    llvm::append_range(sizes, tensor::getMixedSizes(rewriter, loc, indices));
    sizes.append(dataSizes.begin() + axis + 1, dataSizes.end());
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[axis]);

    SmallVector<AffineExpr> indexExprs;
    for (int64_t dim = 0; dim < indexRank; ++dim)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + dim));
    AffineMap indexMap =
        AffineMap::get(sizes.size(), 0, indexExprs, getContext());
    int64_t resultRank = sizes.size();
    Value result = buildParallelGeneric(
        rewriter, loc, sizes, dataType.getElementType(), indices, indexMap,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value index = createWrappedIndex(b, l, args[0], axisSize);
          SmallVector<Value> position;
          for (int64_t dim = 0; dim < axis; ++dim)
            position.push_back(linalg::IndexOp::create(b, l, dim));
          position.push_back(index);
          for (int64_t dim = axis + indexRank; dim < resultRank; ++dim)
            position.push_back(linalg::IndexOp::create(b, l, dim));
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// gather_elements: a linalg.generic over the indices' shape reading
/// `data[i0, ..., indices[i], ..., ir]`.
struct GatherElementsOpLowering : OpConversionPattern<mllm::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    int64_t axis = op.getAxis();
    int64_t rank = dataType.getRank();
    Value axisSize = getValueOrCreateConstantIndexOp(
        rewriter, loc, tensor::getMixedSize(rewriter, loc, data, axis));
    Value result = buildParallelGeneric(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, indices),
        dataType.getElementType(), indices,
        rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value index = createWrappedIndex(b, l, args[0], axisSize);
          SmallVector<Value> position;
          for (int64_t dim = 0; dim < rank; ++dim)
            position.push_back(
                dim == axis ? index
                            : linalg::IndexOp::create(b, l, dim).getResult());
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// gather_nd: a linalg.generic over the result [indices.shape[:-1] +
/// data.shape[b+k:]] that extracts the k index values of its row and reads
/// `data[p[:b], indices[p, 0..k-1], ...]`.
struct GatherNdOpLowering : OpConversionPattern<mllm::GatherNdOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::GatherNdOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    int64_t batchDims = op.getBatchDims();
    int64_t rows = indicesType.getRank() - 1;
    int64_t depth = indicesType.getDimSize(rows);
    if (ShapedType::isDynamic(depth) || batchDims + depth > dataType.getRank())
      return emitLoweringError(op, "the last dimension of indices must be "
                                   "static and fit the data");

    // Result sizes: indices.shape[:-1] + data.shape[b+k:].
    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    sizes.pop_back();
    sizes.append(dataSizes.begin() + batchDims + depth, dataSizes.end());
    SmallVector<Value> indexedSizes;
    for (int64_t j = 0; j < depth; ++j)
      indexedSizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, dataSizes[batchDims + j]));

    int64_t resultRank = sizes.size();
    Value result = buildParallelGeneric(
        rewriter, loc, sizes, dataType.getElementType(), ValueRange{}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> row;
          for (int64_t dim = 0; dim < rows; ++dim)
            row.push_back(linalg::IndexOp::create(b, l, dim));
          SmallVector<Value> position(row.begin(), row.begin() + batchDims);
          for (int64_t j = 0; j < depth; ++j) {
            row.push_back(arith::ConstantIndexOp::create(b, l, j));
            Value index = tensor::ExtractOp::create(b, l, indices, row);
            row.pop_back();
            position.push_back(
                createWrappedIndex(b, l, index, indexedSizes[j]));
          }
          for (int64_t dim = rows; dim < resultRank; ++dim)
            position.push_back(linalg::IndexOp::create(b, l, dim));
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void populateMllmIndexingToLinalgPatterns(const TypeConverter &typeConverter,
                                          RewritePatternSet &patterns) {
  patterns.add<SliceOpLowering, GatherOpLowering, GatherElementsOpLowering,
               GatherNdOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
