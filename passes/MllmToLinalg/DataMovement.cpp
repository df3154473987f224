//===- DataMovement.cpp - reshape, transpose, concat, constant ------------===//
//
// Shape ops become tensor ops that bufferize to views or copies: reshape to
// tensor.collapse_shape/expand_shape, transpose to linalg.transpose, concat
// to tensor.concat, constant to arith.constant with the same ElementsAttr.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// `source` expanded to `resultType` along `reassociation`, with the
/// dynamic output sizes inferred from the source (at most one dynamic dim
/// per group). Fails when a group has more.
FailureOr<Value> expandTo(OpBuilder &b, Location loc, Value source,
                          RankedTensorType resultType,
                          ArrayRef<ReassociationIndices> reassociation) {
  FailureOr<SmallVector<OpFoldResult>> outputShape =
      tensor::ExpandShapeOp::inferOutputShape(
          b, loc, resultType, reassociation,
          tensor::getMixedSizes(b, loc, source));
  if (failed(outputShape))
    return failure();
  return tensor::ExpandShapeOp::create(b, loc, resultType, source,
                                       reassociation, *outputShape)
      .getResult();
}

/// All dims of a tensor of rank `rank` >= 1 in one group.
SmallVector<ReassociationIndices> oneGroup(int64_t rank) {
  ReassociationIndices group;
  for (int64_t dim = 0; dim < rank; ++dim)
    group.push_back(dim);
  return {group};
}

struct ReshapeOpLowering : OpConversionPattern<mllm::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto sourceType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    if (sourceType == resultType && sourceType.hasStaticShape()) {
      rewriter.replaceOp(op, input);
      return success();
    }

    // A single collapse or expand when the dims group up.
    if (sourceType.getRank() != resultType.getRank() &&
        resultType.getRank() != 0 && sourceType.getRank() != 0) {
      if (std::optional<SmallVector<ReassociationIndices>> reassociation =
              getReassociationIndicesForReshape(sourceType, resultType)) {
        if (sourceType.getRank() > resultType.getRank()) {
          rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
              op, resultType, input, *reassociation);
          return success();
        }
        FailureOr<Value> expanded =
            expandTo(rewriter, loc, input, resultType, *reassociation);
        if (succeeded(expanded)) {
          rewriter.replaceOp(op, *expanded);
          return success();
        }
      }
    }

    // Rank 0 <-> all-ones shapes: an empty reassociation.
    if (sourceType.getRank() == 0) {
      SmallVector<OpFoldResult> ones(resultType.getRank(),
                                     rewriter.getIndexAttr(1));
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          op, resultType, input, SmallVector<ReassociationIndices>{}, ones);
      return success();
    }
    if (resultType.getRank() == 0) {
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, resultType, input, SmallVector<ReassociationIndices>{});
      return success();
    }

    // Otherwise flatten to 1-D and expand to the result shape.
    Value flat = input;
    if (sourceType.getRank() != 1)
      flat = tensor::CollapseShapeOp::create(rewriter, loc, input,
                                             oneGroup(sourceType.getRank()));
    if (resultType.getRank() == 1) {
      rewriter.replaceOp(op, castToType(rewriter, loc, flat, resultType));
      return success();
    }
    FailureOr<Value> expanded = expandTo(rewriter, loc, flat, resultType,
                                         oneGroup(resultType.getRank()));
    if (failed(expanded))
      return emitLoweringError(
          op, "a reshape to several dynamic dimensions that do not group with "
              "the input's dimensions is not supported");
    rewriter.replaceOp(op, *expanded);
    return success();
  }
};

struct TransposeOpLowering : OpConversionPattern<mllm::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    ArrayRef<int64_t> permutation = op.getPermutation();
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim : permutation)
      sizes.push_back(inputSizes[dim]);
    Value init = tensor::EmptyOp::create(
        rewriter, loc, sizes,
        cast<RankedTensorType>(input.getType()).getElementType());
    Value transposed =
        linalg::TransposeOp::create(rewriter, loc, input, init, permutation)
            .getResult()[0];
    rewriter.replaceOp(op, castToType(rewriter, loc, transposed,
                                      getSignlessType(op.getType())));
    return success();
  }
};

struct ConcatOpLowering : OpConversionPattern<mllm::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Inputs empty along the axis add nothing; tensor.concat would insert
    // them at the end of the axis, an offset insert_slice rejects.
    int64_t axis = op.getAxis();
    SmallVector<Value> inputs;
    for (Value input : adaptor.getInputs())
      if (cast<RankedTensorType>(input.getType()).getDimSize(axis) != 0)
        inputs.push_back(input);
    if (inputs.empty())
      inputs.push_back(adaptor.getInputs()[0]);
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, castToType(rewriter, op.getLoc(), inputs[0],
                                        getSignlessType(op.getType())));
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        op, getSignlessType(op.getType()), static_cast<uint64_t>(axis), inputs);
    return success();
  }
};

struct ConstantOpLowering : OpConversionPattern<mllm::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return emitLoweringError(op, "the constant's value has no type");
    FailureOr<TypedAttr> signless = getSignlessElements(op.getValue());
    if (failed(signless))
      return emitLoweringError(op, "cannot make the constant's unsigned "
                                   "elements signless");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, *signless);
    return success();
  }
};

} // namespace

void populateMllmDataMovementToLinalgPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<ReshapeOpLowering, TransposeOpLowering, ConcatOpLowering,
               ConstantOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
