//===- MllmKernelOps.td - Ops lowered after bufferizing ---*- tablegen -*-===//
//
// Destination-passing forms of mllm ops for which a target has a kernel of
// its own. convert-mllm-to-linalg produces them, when a target asks for it,
// instead of a linalg lowering; they bufferize like linalg ops (the result is
// written into the `init` buffer) and the target lowers the memref form.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_IR_MLLMKERNELOPS_TD
#define MLLM_IR_MLLMKERNELOPS_TD

include "dialects/mllm/IR/MllmDialect.td"
include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mllm_StaticTensorOrMemRef
    : AnyTypeOf<[AnyStaticShapeTensor, AnyStaticShapeMemRef],
                "statically shaped tensor or memref">;

def Mllm_KernelAttentionOp : Mllm_Op<"kernel.attention", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<BufferizableOpInterface,
        ["bufferizesToMemoryRead", "bufferizesToMemoryWrite",
         "getAliasingValues", "bufferize"]>]> {
  let summary = "mllm.attention written into a destination, for a target's "
                "fused attention kernel";
  let description = [{
    Computes what `mllm.attention` computes (same operands, same attributes,
    same semantics) into `init`. On tensors it returns the result; on memrefs
    it writes `init` and returns nothing. All shapes are static.

    convert-mllm-to-linalg creates it for targets with a fused attention
    kernel of their own (`attention-kernel-min-queries`); the GPU targets
    lower the memref form to one cooperative kernel (a workgroup per tile of
    query rows, keys and values staged in workgroup memory).

    ```mlir
    %o = mllm.kernel.attention ins(%q, %k, %v : tensor<1x8x128x64xf32>,
        tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>)
        outs(%init : tensor<1x8x128x64xf32>)
        {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64,
         scale = 1.250000e-01 : f32} -> tensor<1x8x128x64xf32>
    ```
  }];
  let arguments = (ins Mllm_StaticTensorOrMemRef:$query,
                       Mllm_StaticTensorOrMemRef:$key,
                       Mllm_StaticTensorOrMemRef:$value,
                       Optional<Mllm_StaticTensorOrMemRef>:$mask,
                       Mllm_StaticTensorOrMemRef:$init,
                       Mllm_F32Attr:$scale, UnitAttr:$causal,
                       Mllm_I64Attr:$num_heads, Mllm_I64Attr:$num_kv_heads);
  let results = (outs Variadic<AnyStaticShapeTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value (`,` $mask^)? `:` type($query) `,`
    type($key) `,` type($value) (`,` type($mask)^)? `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

def Mllm_KernelAttentionPartialOp : Mllm_Op<"kernel.attention_partial", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<BufferizableOpInterface,
        ["bufferizesToMemoryRead", "bufferizesToMemoryWrite",
         "getAliasingValues", "bufferize"]>]> {
  let summary = "the online-softmax state of mllm.attention over key splits "
                "(flash decoding), for a target's fused attention kernel";
  let description = [{
    Splits the keys of an attention (operands and attributes as
    `mllm.attention`) into `S` contiguous ranges of `ceil(Skv / S)` keys (the
    last one shorter) and computes, for every query row and range `c`, what
    the online softmax holds after that range: the largest masked, scaled
    score `max[b, h, i, c]` (`-inf` when every key of the range is masked),
    `sum[b, h, i, c] = sum_j exp(s_j - max)` and the unnormalized
    `acc[b, h, i, c, :] = sum_j exp(s_j - max) value_j` (a max of `-inf`
    shifts by 0), all f32. A combine step merges the ranges:
    `M = max_c max_c`, `out = sum_c acc_c exp(max_c - M) / sum_c sum_c
    exp(max_c - M)`. `S` is dimension 3 of `max`.

    It gives a decode step, which has too few query rows to fill a GPU, work
    for every multiprocessor: convert-mllm-to-linalg creates it for targets
    with a fused attention kernel (`attention-kernel-min-queries`) when an
    attention has fewer query rows than that.

    ```mlir
    %m, %l, %a = mllm.kernel.attention_partial ins(%q, %k, %v :
        tensor<1x32x1x128xf32>, tensor<1x8x4096x128xf32>,
        tensor<1x8x4096x128xf32>)
        outs(%m0, %l0, %a0 : tensor<1x32x1x32xf32>, tensor<1x32x1x32xf32>,
             tensor<1x32x1x32x128xf32>)
        {num_heads = 32 : i64, num_kv_heads = 8 : i64,
         scale = 0.0883883 : f32}
        -> tensor<1x32x1x32xf32>, tensor<1x32x1x32xf32>,
           tensor<1x32x1x32x128xf32>
    ```
  }];
  let arguments = (ins Mllm_StaticTensorOrMemRef:$query,
                       Mllm_StaticTensorOrMemRef:$key,
                       Mllm_StaticTensorOrMemRef:$value,
                       Optional<Mllm_StaticTensorOrMemRef>:$mask,
                       Mllm_StaticTensorOrMemRef:$max_init,
                       Mllm_StaticTensorOrMemRef:$sum_init,
                       Mllm_StaticTensorOrMemRef:$acc_init,
                       Mllm_F32Attr:$scale, UnitAttr:$causal,
                       Mllm_I64Attr:$num_heads, Mllm_I64Attr:$num_kv_heads);
  let results = (outs Variadic<AnyStaticShapeTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value (`,` $mask^)? `:` type($query) `,`
    type($key) `,` type($value) (`,` type($mask)^)? `)`
    `outs` `(` $max_init `,` $sum_init `,` $acc_init `:` type($max_init) `,`
    type($sum_init) `,` type($acc_init) `)` attr-dict
    (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(getOperation(), getNumOperands() - 3, 3);
    }
    /// The number of key ranges.
    int64_t getKeySplits() {
      return ::llvm::cast<::mlir::ShapedType>(getMaxInit().getType())
          .getDimSize(3);
    }
  }];
  let hasVerifier = 1;
}

#endif // MLLM_IR_MLLMKERNELOPS_TD
