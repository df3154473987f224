//===- MllmDialect.td - mllm dialect, types and op base ----*- tablegen -*-===//
//
// The `mllm` dialect: tensor operations plus the operations that carry
// multimodal-LLM knowledge (attention, MLP projectors, norms).
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_IR_MLLMDIALECT_TD
#define MLLM_IR_MLLMDIALECT_TD

include "mlir/IR/OpBase.td"

def Mllm_Dialect : Dialect {
  let name = "mllm";
  let cppNamespace = "::mlir::mllm";
  let summary = "Tensor and multimodal-LLM operations";
  let description = [{
    The `mllm` dialect is the compiler's main level: ONNX graphs are imported
    into it, fusion raises decomposed subgraphs to its MLLM operations
    (`mllm.attention`, `mllm.mlp`, `mllm.layer_norm`, `mllm.rms_norm`) and
    the lowering turns it into linalg/tensor.

    All operations work on ranked builtin tensors. Integer element types are
    signless (signed semantics) or unsigned (`ui8` to `ui64`). Elementwise
    operations use numpy/ONNX multidirectional broadcasting. Every operation
    except `mllm.reshape` and `mllm.cast` infers its result type, and
    dynamic dimensions (`?`) propagate: a result dimension is dynamic when
    it cannot be derived from the operand types.
  }];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Mllm_Float : AnyTypeOf<[F16, BF16, F32, F64], "16-, 32- or 64-bit float">;
/// Signless integers are signed in the ops' semantics (ONNX INT8..INT64);
/// the unsigned types ui8..ui64 (ONNX UINT8..UINT64) select the unsigned
/// division, comparison, min/max and conversions.
def Mllm_Int : AnyTypeOf<[SignlessIntOfWidths<[8, 16, 32, 64]>,
                          UI8, UI16, UI32, UI64],
                         "8-, 16-, 32- or 64-bit signless or unsigned integer">;

def Mllm_FloatTensor : RankedTensorOf<[Mllm_Float]>;
def Mllm_NumericTensor : RankedTensorOf<[Mllm_Float, Mllm_Int]>;
def Mllm_BoolTensor : RankedTensorOf<[I1]>;
def Mllm_IntTensor : RankedTensorOf<[Mllm_Int]>;
def Mllm_IndexTensor : RankedTensorOf<[I32, I64]>;
def Mllm_Tensor : RankedTensorOf<[Mllm_Float, Mllm_Int, I1]>;

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

/// A signless 64-bit integer attribute read and built as `int64_t` (the
/// upstream `I64Attr` uses `uint64_t`, which hides negative values).
def Mllm_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
    "64-bit signless integer attribute">;

/// A 32-bit float attribute read and built as `float`.
def Mllm_F32Attr : TypedAttrBase<F32, "FloatAttr",
    And<[CPred<"::llvm::isa<::mlir::FloatAttr>($_self)">,
         CPred<"::llvm::cast<::mlir::FloatAttr>($_self).getType().isF32()">]>,
    "32-bit float attribute"> {
  let returnType = "float";
  let convertFromStorage = "$_self.getValue().convertToFloat()";
  let constBuilderCall = "$_builder.getF32FloatAttr($0)";
}

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

class Mllm_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mllm_Dialect, mnemonic, traits>;

#endif // MLLM_IR_MLLMDIALECT_TD
