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

#endif // MLLM_IR_MLLMKERNELOPS_TD
