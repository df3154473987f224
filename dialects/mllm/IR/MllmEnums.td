//===- MllmEnums.td - mllm enum attributes -----------------*- tablegen -*-===//

#ifndef MLLM_IR_MLLMENUMS_TD
#define MLLM_IR_MLLMENUMS_TD

include "mlir/IR/EnumAttr.td"

def Mllm_CmpPredicate : I32EnumAttr<"CmpPredicate",
    "comparison predicate of mllm.cmp", [
      I32EnumAttrCase<"eq", 0>,
      I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>,
      I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>,
      I32EnumAttrCase<"ge", 5>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "approximation of mllm.gelu", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_ResizeMode : I32EnumAttr<"ResizeMode",
    "interpolation of mllm.resize", [
      I32EnumAttrCase<"nearest", 0>,
      I32EnumAttrCase<"linear", 1>,
      I32EnumAttrCase<"cubic", 2>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_ResizeCoordinateMode : I32EnumAttr<"ResizeCoordinateMode",
    "how mllm.resize maps an output index to an input coordinate", [
      I32EnumAttrCase<"half_pixel", 0>,
      I32EnumAttrCase<"half_pixel_symmetric", 1>,
      I32EnumAttrCase<"pytorch_half_pixel", 2>,
      I32EnumAttrCase<"align_corners", 3>,
      I32EnumAttrCase<"asymmetric", 4>,
      I32EnumAttrCase<"tf_crop_and_resize", 5>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_ResizeNearestMode : I32EnumAttr<"ResizeNearestMode",
    "how mllm.resize rounds a coordinate in nearest mode", [
      I32EnumAttrCase<"round_prefer_floor", 0>,
      I32EnumAttrCase<"round_prefer_ceil", 1>,
      I32EnumAttrCase<"floor", 2>,
      I32EnumAttrCase<"ceil", 3>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_MlpActivation : I32EnumAttr<"MlpActivation",
    "activation of mllm.mlp", [
      I32EnumAttrCase<"gelu", 0>,
      I32EnumAttrCase<"gelu_tanh", 1>,
      I32EnumAttrCase<"quick_gelu", 2>,
      I32EnumAttrCase<"silu", 3>,
      I32EnumAttrCase<"relu", 4>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_ScatterReduction : I32EnumAttr<"ScatterReduction",
    "how mllm.scatter_nd combines an update with the element it replaces", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"add", 1>,
      I32EnumAttrCase<"mul", 2>,
      I32EnumAttrCase<"max", 3>,
      I32EnumAttrCase<"min", 4>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

def Mllm_PoolKind : I32EnumAttr<"PoolKind",
    "what mllm.pool computes over a window", [
      I32EnumAttrCase<"max", 0>,
      I32EnumAttrCase<"avg", 1>,
      I32EnumAttrCase<"lp", 2>
    ]> {
  let cppNamespace = "::mlir::mllm";
}

#endif // MLLM_IR_MLLMENUMS_TD
