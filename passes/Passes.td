//===- Passes.td - mllmc pass declarations -----------------*- tablegen -*-===//
//
// Every pass of the mllmc compiler, declared once. `Passes.h.inc` is generated
// from this file with `-gen-pass-decls -name Mllmc`.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_TD
#define MLLMC_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMllmToLinalg : Pass<"convert-mllm-to-linalg"> {
  let summary = "Lower the mllm dialect to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `mllm` op of a function into upstream ops on builtin
    tensors: elementwise ops become `linalg.generic` with numpy broadcasting
    indexing maps, reductions (softmax, norms) become `linalg.generic`
    reductions accumulating in f32 for f16/bf16, matmul and linear become
    `linalg.matmul`/`linalg.batch_matmul` (or a contraction `linalg.generic`
    when batch dims broadcast), shape ops become `tensor` ops, MLP decomposes
    into the above, and attention becomes a flash-attention loop nest
    (`scf.forall` over query tiles, `scf.for` over key tiles with an online
    softmax; `flash-attention=false` decomposes it instead). The result
    bufferizes with one-shot bufferization and lowers to loops for CPU and
    GPU.

    An op that cannot be lowered gets an error at its location (which names
    the ONNX node) and the pass fails. The pass runs on any op (a module, or
    nested on each function to lower functions in parallel).
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"flashAttention", "flash-attention", "bool", /*default=*/"true",
           "Lower mllm.attention to a flash-attention loop nest (key tiles, "
           "online softmax) instead of the decomposition that materializes "
           "the scores">,
    Option<"flashQueryTile", "flash-query-tile", "int64_t", /*default=*/"32",
           "Query rows per parallel iteration of the flash-attention loop "
           "nest (CPU: 32, a workgroup's tile; GPU targets: 1, a thread per "
           "query row)">,
    Option<"flashMinParallelism", "flash-min-parallelism", "int64_t",
           /*default=*/"64",
           "Parallel iterations below which the flash-attention loop nest "
           "splits each query tile's keys across iterations too (flash "
           "decoding), at least one key tile per split">,
    Option<"attentionKernelMinQueries", "attention-kernel-min-queries",
           "int64_t", /*default=*/"0",
           "Query rows from which attention with static shapes becomes "
           "mllm.kernel.attention, which the target lowers to a fused kernel "
           "of its own after bufferization (GPU targets: 16), and under which "
           "it becomes mllm.kernel.attention_partial over key ranges and "
           "their combine (a decode step); 0 never">,
  ];
}

//===----------------------------------------------------------------------===//
// Linalg
//===----------------------------------------------------------------------===//

def FoldZeroTripOps : Pass<"mllmc-fold-zero-trip-ops"> {
  let summary = "Replace linalg ops that iterate zero times by their inits";
  let description = [{
    A linalg op on tensors whose iteration domain has a static extent of zero
    (an empty input or output) runs its body zero times: its results are its
    init operands. Folding it leaves no kernel that indexes a zero-size
    buffer; a reduction over an empty axis becomes the fill of its identity.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FuseElementwise : Pass<"mllmc-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg producers into elementwise consumers";
  let description = [{
    Upstream elementwise fusion with a control that never multiplies work by
    a reduction: a producer with one use fuses into an elementwise consumer
    only. Fusing into a contraction or reduction would recompute the producer
    once per reduced element. Broadcast producers are fused: recomputing a few
    arithmetic ops per element is cheaper than a buffer round trip. An
    elementwise op on the expand_shape of a contraction (or of its tail)
    collapses its loops to the contraction's, so that a linear layer's
    activation and residual on [batch, tokens, hidden] fuse with its bias
    and become the matmul's epilogue (mllmc-form-dispatches).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// Host program: weights, dispatches, memory
//===----------------------------------------------------------------------===//

def OutlineConstants : Pass<"mllmc-outline-constants", "mlir::ModuleOp"> {
  let summary = "Turn non-splat tensor constants into weight globals";
  let description = [{
    Every non-splat tensor `arith.constant` becomes a private
    `ml_program.global` named after its location (the ONNX initializer name)
    and is read with `ml_program.global_load_const`. Globals are the weights:
    written once into the artifact's weight section and never cloned into
    kernels. Splat constants stay, so kernels fold them.
  }];
  let dependentDialects = ["mlir::ml_program::MLProgramDialect"];
}

def FormDispatches : Pass<"mllmc-form-dispatches", "mlir::ModuleOp"> {
  let summary = "Split entry functions into calls of dispatch functions";
  let description = [{
    Every computing op of an entry function (a linalg op, a tensor op that
    moves data) moves into its own dispatch function (`mllm.dispatch`),
    together with what is cheap to recompute: `tensor.empty` destinations,
    constants, and a `linalg.fill` that only initializes it. Reshapes that keep
    the bytes in place, weight loads and arguments stay; the entry function is
    left as the host program. Results that no dispatch writes, or that are
    returned twice, get a copy dispatch so every output has its own buffer.
  }];
  let dependentDialects = [
    "mlir::bufferization::BufferizationDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def PlanMemory : Pass<"mllmc-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place every buffer of the host program in one arena";
  let description = [{
    Gives every argument and dispatch result of an entry function an offset in
    one arena (`mllm.arena_offset` on arguments, `mllm.arena_offsets` on
    calls, `mllm.arena_size` on the function). Buffers share bytes only when
    their lifetimes, extended through reshape aliases, do not overlap;
    placement is greedy, largest first, lowest offset first.

    With symbolic dims (dynamic argument dims), sizes are affine expressions
    over the symbols and the plan is `mllm.arena_plan` (see
    passes/HostProgram.h): the order is chosen at `dim-hint`, and each buffer
    lies above every earlier buffer it is live with.
  }];
  let options = [
    Option<"alignment", "alignment", "uint64_t", /*default=*/"64",
           "Alignment of every buffer in bytes">,
    Option<"dimHint", "dim-hint", "int64_t", /*default=*/"64",
           "Size assumed for every symbolic dim when ordering buffers">,
  ];
}

//===----------------------------------------------------------------------===//
// Fusion: exporter subgraphs raised to mllm ops
//===----------------------------------------------------------------------===//

def FuseProjector : Pass<"mllm-fuse-projector"> {
  let summary = "Raise linear layers, activations and MLPs to mllm ops";
  let description = [{
    Layered (each layer matches what the one before created):

    1. linear: `mllm.matmul` with a constant rank-2 weight (a constant, or a
       transpose of one as Gemm imports), plus a bias `mllm.add` of a `[N]`
       or `[1, ..., 1, N]` vector in either operand order, becomes
       `mllm.linear`;
    2. activations: the erf GELU decomposition (`Div` by √2 or `Mul` by
       1/√2, `Erf`, `Add` 1, and the product with x and 0.5 in any
       association), the tanh GELU (`Pow` 3 or `Mul` cube), QuickGELU
       (`x * sigmoid(1.702 x)`) and SiLU (`x * sigmoid(x)`) become
       `mllm.gelu`, `mllm.quick_gelu` and `mllm.silu`;
    3. mlp: linear → activation → linear, and the gated form
       `act(x Wg) * (x Wu) → linear` (SwiGLU), become `mllm.mlp`.

    Fused ops carry the FusedLoc of the ops they replace. Near misses (a
    GELU with a wrong constant, an MLP whose hidden value has other uses) are
    reported as optimization remarks (category `mllm-fuse-projector`) and to
    `notifyMatchFailure`; see passes/Fusion/FusionReport.h.
  }];
}

def FuseNorm : Pass<"mllm-fuse-norm"> {
  let summary = "Raise LayerNorm and RMSNorm decompositions to mllm ops";
  let description = [{
    LayerNorm: `ReduceMean`, `Sub`, `Pow` 2 (or `Mul` of the difference by
    itself), `ReduceMean`, `Add` epsilon, then `Sqrt` and `Div`, or a
    reciprocal square root (`Rsqrt`, `Reciprocal(Sqrt)`, `Div(1, Sqrt)`) and
    `Mul`, then an optional `Mul` by the scale and `Add` of the bias, becomes
    `mllm.layer_norm`. RMSNorm: `x * rsqrt(mean(x^2) + eps)` in the same
    forms, then an optional `Mul` by the weight, becomes `mllm.rms_norm`.
    The reductions must cover the trailing dimensions with `keepdims`.

    A residual `Add` before the norm stays an `mllm.add` that the norm reads:
    pre-norm transformers use that sum twice (as the norm input and as the
    next residual), so it is not part of the norm op.

    Fused ops carry the FusedLoc of the ops they replace; near misses are
    reported as remarks of category `mllm-fuse-norm`.
  }];
}

//===----------------------------------------------------------------------===//
// Fusion: attention
//===----------------------------------------------------------------------===//

def FuseAttention : Pass<"mllm-fuse-attention"> {
  let summary = "Raise decomposed scaled-dot-product attention to mllm.attention";
  let description = [{
    Finds MatMul(Q, Kᵀ) → [scale] → [masks] → Softmax → MatMul(·, V) in every
    variant exporters write (scale by Mul or Div after QKᵀ, folded into Q, or
    √scale split into Q and K; additive masks by Add, boolean ones by Where
    with -inf or a large negative; rank-4 [B, H, S, D] or rank-3 [B*H, S, D]
    operands) and replaces it with one `mllm.attention`. Layers on top turn
    a constant causal triangle (given, or built by Trilu/Where/Less) into
    `causal`, recover the heads of rank-3 exports, and use the key and value
    of repeat_kv (GQA/MQA) unrepeated. Head split/merge reshapes and KV-cache
    concatenation stay as the attention's operands. Before them, rotate-half
    RoPE (`x * cos + rotate_half(x) * sin` on the last axis, with cos and sin
    repeating their halves) becomes `mllm.rotary_embedding`.

    Every pattern that recognised a region but could not raise it says why
    (`notifyMatchFailure`, and a "missed" remark for the fusion report).
  }];
}

#endif // MLLMC_PASSES_TD
