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
// KernelAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult KernelAttentionOp::verify() {
  auto shape = [](Value v) { return cast<ShapedType>(v.getType()); };
  bool onTensors = isa<RankedTensorType>(getInit().getType());
  for (Value operand : getOperands())
    if (isa<RankedTensorType>(operand.getType()) != onTensors)
      return emitOpError("takes tensors only or memrefs only");
  if (onTensors != (getNumResults() == 1))
    return emitOpError("returns one result on tensors and none on memrefs");
  if (onTensors && getResult()[0].getType() != getInit().getType())
    return emitOpError("result type must be the type of 'init'");
  for (Value operand : {getQuery(), getKey(), getValue(), getInit()})
    if (shape(operand).getRank() != 4)
      return emitOpError("query, key, value and init must be 4-D");
  if (getMask() && shape(getMask()).getRank() > 4)
    return emitOpError("the mask has at most 4 dims");
  ArrayRef<int64_t> q = shape(getQuery()).getShape();
  ArrayRef<int64_t> k = shape(getKey()).getShape();
  ArrayRef<int64_t> v = shape(getValue()).getShape();
  ArrayRef<int64_t> o = shape(getInit()).getShape();
  int64_t heads = getNumHeads(), kvHeads = getNumKvHeads();
  if (kvHeads <= 0 || heads % kvHeads || q[1] != heads || k[1] != kvHeads ||
      v[1] != kvHeads)
    return emitOpError("head counts do not match num_heads and num_kv_heads");
  if (k[0] != q[0] || v[0] != q[0] || k[3] != q[3] || v[2] != k[2] ||
      o[0] != q[0] || o[1] != q[1] || o[2] != q[2] || o[3] != v[3])
    return emitOpError("operand shapes do not agree: query ")
           << shape(getQuery()) << ", key " << shape(getKey()) << ", value "
           << shape(getValue()) << ", init " << shape(getInit());
  return success();
}

void KernelAttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : getOperation()->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

/// The inputs are read; `init` is only written (every element of it).
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
  if (!isDpsInit(&operand))
    return {};
  return {{getTiedOpResult(&operand), BufferRelation::Equivalent}};
}

LogicalResult KernelAttentionOp::bufferize(RewriterBase &rewriter,
                                           const BufferizationOptions &options,
                                           BufferizationState &state) {
  SmallVector<Value> buffers;
  for (Value operand : getOperands()) {
    FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
    if (failed(buffer))
      return failure();
    buffers.push_back(*buffer);
  }
  rewriter.setInsertionPoint(*this);
  Value mask = getMask() ? buffers[3] : Value();
  KernelAttentionOp::create(rewriter, getLoc(), TypeRange(), buffers[0],
                            buffers[1], buffers[2], mask, buffers.back(),
                            getScaleAttr(), getCausalAttr(), getNumHeadsAttr(),
                            getNumKvHeadsAttr());
  replaceOpWithBufferizedValues(rewriter, *this, buffers.back());
  return success();
}
