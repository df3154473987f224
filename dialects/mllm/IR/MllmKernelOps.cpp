//===- MllmKernelOps.cpp - Ops lowered after bufferizing ------------------===//

#include "dialects/mllm/IR/MllmKernelOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::mllm;
using namespace mlir::bufferization;

#define GET_OP_CLASSES
#include "dialects/mllm/IR/MllmKernelOps.cpp.inc"

//===----------------------------------------------------------------------===//
// What every kernel op shares
//===----------------------------------------------------------------------===//

static ShapedType shapeOf(Value v) { return cast<ShapedType>(v.getType()); }

/// Operands all tensors (with one result per init) or all memrefs (with no
/// result).
static LogicalResult verifyDestinationForm(DestinationStyleOpInterface op) {
  bool onTensors = isa<RankedTensorType>(op.getDpsInits()[0].getType());
  for (Value operand : op->getOperands())
    if (isa<RankedTensorType>(operand.getType()) != onTensors)
      return op->emitOpError("takes tensors only or memrefs only");
  if (op->getNumResults() != (onTensors ? op.getNumDpsInits() : 0))
    return op->emitOpError(
        "returns one result per init on tensors and none on memrefs");
  for (OpResult result : op->getResults())
    if (result.getType() !=
        op.getDpsInits()[result.getResultNumber()].getType())
      return op->emitOpError("result types must be the types of the inits");
  return success();
}

/// The attention operands: 4-D query, key and value whose heads match the
/// attributes, a mask of at most 4 dims.
template <typename OpTy> static LogicalResult verifyAttentionOperands(OpTy op) {
  for (Value operand : {op.getQuery(), op.getKey(), op.getValue()})
    if (shapeOf(operand).getRank() != 4)
      return op.emitOpError("query, key and value must be 4-D");
  if (op.getMask() && shapeOf(op.getMask()).getRank() > 4)
    return op.emitOpError("the mask has at most 4 dims");
  ArrayRef<int64_t> q = shapeOf(op.getQuery()).getShape();
  ArrayRef<int64_t> k = shapeOf(op.getKey()).getShape();
  ArrayRef<int64_t> v = shapeOf(op.getValue()).getShape();
  int64_t heads = op.getNumHeads(), kvHeads = op.getNumKvHeads();
  if (kvHeads <= 0 || heads % kvHeads || q[1] != heads || k[1] != kvHeads ||
      v[1] != kvHeads)
    return op.emitOpError(
        "head counts do not match num_heads and num_kv_heads");
  if (k[0] != q[0] || v[0] != q[0] || k[3] != q[3] || v[2] != k[2])
    return op.emitOpError("operand shapes do not agree: query ")
           << shapeOf(op.getQuery()) << ", key " << shapeOf(op.getKey())
           << ", value " << shapeOf(op.getValue());
  return success();
}

/// Inputs are read; inits are only written (every element of them).
static void getKernelEffects(
    DestinationStyleOpInterface op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (op.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

static AliasingValueList getInitAliases(DestinationStyleOpInterface op,
                                        OpOperand &operand) {
  if (!op.isDpsInit(&operand))
    return {};
  return {{op.getTiedOpResult(&operand), BufferRelation::Equivalent}};
}

/// The same op on the buffers of its operands, writing its inits' buffers.
static LogicalResult bufferizeKernelOp(DestinationStyleOpInterface op,
                                       RewriterBase &rewriter,
                                       const BufferizationOptions &options,
                                       BufferizationState &state) {
  SmallVector<Value> buffers, initBuffers;
  for (OpOperand &operand : op->getOpOperands()) {
    FailureOr<Value> buffer =
        getBuffer(rewriter, operand.get(), options, state);
    if (failed(buffer))
      return failure();
    buffers.push_back(*buffer);
    if (op.isDpsInit(&operand))
      initBuffers.push_back(*buffer);
  }
  rewriter.setInsertionPoint(op);
  OperationState bufferized(op->getLoc(), op->getName(), buffers, TypeRange(),
                            op->getAttrs());
  rewriter.create(bufferized);
  replaceOpWithBufferizedValues(rewriter, op, initBuffers);
  return success();
}

//===----------------------------------------------------------------------===//
// KernelAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult KernelAttentionOp::verify() {
  if (failed(verifyDestinationForm(*this)) ||
      failed(verifyAttentionOperands(*this)))
    return failure();
  ArrayRef<int64_t> q = shapeOf(getQuery()).getShape();
  ArrayRef<int64_t> o = shapeOf(getInit()).getShape();
  if (o.size() != 4 || o[0] != q[0] || o[1] != q[1] || o[2] != q[2] ||
      o[3] != shapeOf(getValue()).getDimSize(3))
    return emitOpError("init must be [B, Hq, Sq, Dv], got ")
           << shapeOf(getInit());
  return success();
}

void KernelAttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getKernelEffects(*this, effects);
}

bool KernelAttentionOp::bufferizesToMemoryRead(OpOperand &operand,
                                               const AnalysisState &) {
  return !isDpsInit(&operand);
}

bool KernelAttentionOp::bufferizesToMemoryWrite(OpOperand &operand,
                                                const AnalysisState &) {
  return isDpsInit(&operand);
}

AliasingValueList KernelAttentionOp::getAliasingValues(OpOperand &operand,
                                                       const AnalysisState &) {
  return getInitAliases(*this, operand);
}

LogicalResult KernelAttentionOp::bufferize(RewriterBase &rewriter,
                                           const BufferizationOptions &options,
                                           BufferizationState &state) {
  return bufferizeKernelOp(*this, rewriter, options, state);
}

//===----------------------------------------------------------------------===//
// KernelAttentionPartialOp
//===----------------------------------------------------------------------===//

LogicalResult KernelAttentionPartialOp::verify() {
  if (failed(verifyDestinationForm(*this)) ||
      failed(verifyAttentionOperands(*this)))
    return failure();
  ArrayRef<int64_t> q = shapeOf(getQuery()).getShape();
  ShapedType max = shapeOf(getMaxInit()), sum = shapeOf(getSumInit()),
             acc = shapeOf(getAccInit());
  int64_t splits = max.getRank() == 4 ? max.getDimSize(3) : 0;
  SmallVector<int64_t> statistics = {q[0], q[1], q[2], splits};
  SmallVector<int64_t> accumulators = statistics;
  accumulators.push_back(shapeOf(getValue()).getDimSize(3));
  if (max.getShape() != ArrayRef(statistics) || max != sum || splits <= 0 ||
      acc.getShape() != ArrayRef(accumulators) ||
      !max.getElementType().isF32() || !acc.getElementType().isF32())
    return emitOpError("inits must be f32 [B, Hq, Sq, S], [B, Hq, Sq, S] and "
                       "[B, Hq, Sq, S, Dv], got ")
           << max << ", " << sum << ", " << acc;
  return success();
}

void KernelAttentionPartialOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getKernelEffects(*this, effects);
}

bool KernelAttentionPartialOp::bufferizesToMemoryRead(OpOperand &operand,
                                                      const AnalysisState &) {
  return !isDpsInit(&operand);
}

bool KernelAttentionPartialOp::bufferizesToMemoryWrite(OpOperand &operand,
                                                       const AnalysisState &) {
  return isDpsInit(&operand);
}

AliasingValueList
KernelAttentionPartialOp::getAliasingValues(OpOperand &operand,
                                            const AnalysisState &) {
  return getInitAliases(*this, operand);
}

LogicalResult
KernelAttentionPartialOp::bufferize(RewriterBase &rewriter,
                                    const BufferizationOptions &options,
                                    BufferizationState &state) {
  return bufferizeKernelOp(*this, rewriter, options, state);
}
