//===- MllmOps.td - mllm operations ------------------------*- tablegen -*-===//

#ifndef MLLM_IR_MLLMOPS_TD
#define MLLM_IR_MLLMOPS_TD

include "dialects/mllm/IR/MllmDialect.td"
include "dialects/mllm/IR/MllmEnums.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Elementwise binary operations (broadcasting)
//===----------------------------------------------------------------------===//

/// Shared inference of broadcasting ops: the result shape is the numpy/ONNX
/// broadcast of the operand shapes.
class Mllm_BroadcastInference<string elementType> {
  code inferBroadcast = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context,
        ::std::optional<::mlir::Location> location, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::mlir::mllm::detail::inferBroadcastType(
          getOperationName(), location, adaptor.getOperands(),
          }] # elementType # [{, inferredReturnTypes);
    }
  }];
}

class Mllm_BinaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Mllm_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition =
      Mllm_BroadcastInference<"::mlir::Type()">.inferBroadcast;
  string semantics = "";
  let description = [{
    Elementwise }] # semantics # [{ with numpy/ONNX multidirectional
    broadcasting: shapes are aligned at the trailing dimension, a dimension
    of size 1 stretches to the other operand's size, and the ranks may
    differ. Both operands have the same element type, which is also the
    result's.

    Example:

    ```mlir
    %r = mllm.}] # mnemonic # [{ %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
    ```
  }];
}

def Mllm_AddOp : Mllm_BinaryOp<"add", Mllm_NumericTensor, [Commutative]> {
  let summary = "elementwise addition";
  let semantics = "`lhs + rhs`";
  let hasFolder = 1;
}
def Mllm_SubOp : Mllm_BinaryOp<"sub", Mllm_NumericTensor> {
  let summary = "elementwise subtraction";
  let semantics = "`lhs - rhs`";
  let hasFolder = 1;
}
def Mllm_MulOp : Mllm_BinaryOp<"mul", Mllm_NumericTensor, [Commutative]> {
  let summary = "elementwise multiplication";
  let semantics = "`lhs * rhs`";
  let hasFolder = 1;
}
def Mllm_DivOp : Mllm_BinaryOp<"div", Mllm_NumericTensor> {
  let summary = "elementwise division";
  let semantics = [{`lhs / rhs` (integer division truncates toward zero, as
    in ONNX)}];
  let hasFolder = 1;
}
def Mllm_RemOp : Mllm_BinaryOp<"rem", Mllm_NumericTensor> {
  let summary = "elementwise remainder";
  let semantics = [{`lhs - trunc(lhs / rhs) * rhs`: the remainder of the
    truncating division, with the sign of `lhs` (C `fmod` and `%`; ONNX `Mod`
    with `fmod = 1`)}];
  let hasFolder = 1;
}
def Mllm_PowOp : Mllm_BinaryOp<"pow", Mllm_NumericTensor> {
  let summary = "elementwise power";
  let semantics = "`lhs ^ rhs`";
  let hasFolder = 1;
}
def Mllm_MaxOp : Mllm_BinaryOp<"max", Mllm_NumericTensor, [Commutative]> {
  let summary = "elementwise maximum";
  let semantics = "`max(lhs, rhs)` (NaN propagates)";
  let hasFolder = 1;
}
def Mllm_MinOp : Mllm_BinaryOp<"min", Mllm_NumericTensor, [Commutative]> {
  let summary = "elementwise minimum";
  let semantics = "`min(lhs, rhs)` (NaN propagates)";
  let hasFolder = 1;
}
def Mllm_AndOp : Mllm_BinaryOp<"and", Mllm_BoolTensor, [Commutative]> {
  let summary = "elementwise logical and";
  let semantics = "`lhs && rhs` on `i1`";
  let hasFolder = 1;
}
def Mllm_OrOp : Mllm_BinaryOp<"or", Mllm_BoolTensor, [Commutative]> {
  let summary = "elementwise logical or";
  let semantics = "`lhs || rhs` on `i1`";
  let hasFolder = 1;
}

def Mllm_CmpOp : Mllm_Op<"cmp", [Pure, InferTypeOpAdaptor]> {
  let summary = "elementwise comparison";
  let description = [{
    Compares `lhs` and `rhs` elementwise with `predicate` (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`) and broadcasts like `mllm.add`. The operands have the
    same element type; the result is `i1`. Float comparisons are ordered: a
    NaN operand makes every predicate false except `ne`.

    ```mlir
    %r = mllm.cmp lt, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
    ```
  }];
  let arguments = (ins Mllm_CmpPredicate:$predicate,
                       Mllm_NumericTensor:$lhs, Mllm_NumericTensor:$rhs);
  let results = (outs Mllm_BoolTensor:$result);
  let hasFolder = 1;
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  // The operands share an element type; the result is i1.
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context,
        ::std::optional<::mlir::Location> location, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      if (::mlir::failed(::mlir::mllm::detail::inferBroadcastType(
              getOperationName(), location, adaptor.getOperands(),
              ::mlir::Type(), inferredReturnTypes)))
        return ::mlir::failure();
      inferredReturnTypes.back() =
          ::llvm::cast<::mlir::RankedTensorType>(inferredReturnTypes.back())
              .clone(::mlir::IntegerType::get(context, 1));
      return ::mlir::success();
    }
  }];
}

def Mllm_SelectOp : Mllm_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "elementwise choice between two tensors";
  let description = [{
    `condition ? true_value : false_value`, elementwise, with three-way
    numpy/ONNX broadcasting (ONNX `Where`). `condition` is `i1`; the two
    values have the same element type, which is the result's.

    ```mlir
    %r = mllm.select %c, %x, %y : (tensor<1x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Mllm_BoolTensor:$condition,
                       Mllm_Tensor:$true_value,
                       Mllm_Tensor:$false_value);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    functional-type(operands, results)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Bitwise operations on integers
//===----------------------------------------------------------------------===//

def Mllm_BitwiseAndOp : Mllm_BinaryOp<"bitwise_and", Mllm_IntTensor,
                                      [Commutative]> {
  let summary = "elementwise bitwise and";
  let semantics = "`lhs & rhs` on integers";
}
def Mllm_BitwiseOrOp : Mllm_BinaryOp<"bitwise_or", Mllm_IntTensor,
                                     [Commutative]> {
  let summary = "elementwise bitwise or";
  let semantics = "`lhs | rhs` on integers";
}
def Mllm_BitwiseXorOp : Mllm_BinaryOp<"bitwise_xor", Mllm_IntTensor,
                                      [Commutative]> {
  let summary = "elementwise bitwise exclusive or";
  let semantics = "`lhs ^ rhs` on integers";
}
def Mllm_ShiftLeftOp : Mllm_BinaryOp<"shift_left", Mllm_IntTensor> {
  let summary = "elementwise left shift";
  let semantics = [{`lhs << rhs` on integers: the shift amount is read as
    unsigned, and an amount of at least the bit width (a negative signed
    amount among them) gives 0 (ONNX `BitShift` with `direction = LEFT`)}];
}
def Mllm_ShiftRightOp : Mllm_BinaryOp<"shift_right", Mllm_IntTensor> {
  let summary = "elementwise right shift";
  let semantics = [{`lhs >> rhs` on integers, arithmetic (sign-filling) on
    signless integers and logical on unsigned ones: the shift amount is read
    as unsigned, and an amount of at least the bit width (a negative signed
    amount among them) fills every bit with the sign (ONNX `BitShift` with
    `direction = RIGHT`)}];
}

//===----------------------------------------------------------------------===//
// Elementwise unary operations
//===----------------------------------------------------------------------===//

class Mllm_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Mllm_Op<mnemonic, !listconcat(traits,
          [Pure, SameOperandsAndResultType, InferTypeOpInterface])> {
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  string semantics = "";
  let description = [{
    Elementwise }] # semantics # [{. The result has the type of `input`.

    ```mlir
    %r = mllm.}] # mnemonic # [{ %x : tensor<2x8xf32>
    ```
  }];
}

def Mllm_NegOp : Mllm_UnaryOp<"neg", Mllm_NumericTensor> {
  let summary = "elementwise negation";
  let semantics = "`-x`";
  let hasFolder = 1;
}
def Mllm_AbsOp : Mllm_UnaryOp<"abs", Mllm_NumericTensor> {
  let summary = "elementwise absolute value";
  let semantics = "`|x|`";
}
def Mllm_ExpOp : Mllm_UnaryOp<"exp", Mllm_FloatTensor> {
  let summary = "elementwise exponential";
  let semantics = "`e^x`";
}
def Mllm_LogOp : Mllm_UnaryOp<"log", Mllm_FloatTensor> {
  let summary = "elementwise natural logarithm";
  let semantics = "`ln(x)`";
}
def Mllm_SqrtOp : Mllm_UnaryOp<"sqrt", Mllm_FloatTensor> {
  let summary = "elementwise square root";
  let semantics = "`sqrt(x)`";
  let hasFolder = 1;
}
def Mllm_RsqrtOp : Mllm_UnaryOp<"rsqrt", Mllm_FloatTensor> {
  let summary = "elementwise reciprocal square root";
  let semantics = "`1 / sqrt(x)`";
  let hasFolder = 1;
}
def Mllm_ReciprocalOp : Mllm_UnaryOp<"reciprocal", Mllm_FloatTensor> {
  let summary = "elementwise reciprocal";
  let semantics = "`1 / x`";
  let hasFolder = 1;
}
def Mllm_ErfOp : Mllm_UnaryOp<"erf", Mllm_FloatTensor> {
  let summary = "elementwise error function";
  let semantics = "`erf(x)`";
}
def Mllm_TanhOp : Mllm_UnaryOp<"tanh", Mllm_FloatTensor> {
  let summary = "elementwise hyperbolic tangent";
  let semantics = "`tanh(x)`";
}
def Mllm_CosOp : Mllm_UnaryOp<"cos", Mllm_FloatTensor> {
  let summary = "elementwise cosine";
  let semantics = "`cos(x)` (radians)";
}
def Mllm_SinOp : Mllm_UnaryOp<"sin", Mllm_FloatTensor> {
  let summary = "elementwise sine";
  let semantics = "`sin(x)` (radians)";
}
def Mllm_FloorOp : Mllm_UnaryOp<"floor", Mllm_FloatTensor> {
  let summary = "elementwise rounding down";
  let semantics = "`floor(x)`";
}
def Mllm_CeilOp : Mllm_UnaryOp<"ceil", Mllm_FloatTensor> {
  let summary = "elementwise rounding up";
  let semantics = "`ceil(x)`";
}
def Mllm_RoundOp : Mllm_UnaryOp<"round", Mllm_FloatTensor> {
  let summary = "elementwise rounding to nearest, ties to even (ONNX Round)";
  let semantics = "rounding to the nearest integer, halves to even";
}
def Mllm_SigmoidOp : Mllm_UnaryOp<"sigmoid", Mllm_FloatTensor> {
  let summary = "elementwise logistic sigmoid";
  let semantics = "`1 / (1 + e^-x)`";
}
def Mllm_ReluOp : Mllm_UnaryOp<"relu", Mllm_NumericTensor> {
  let summary = "elementwise rectified linear unit";
  let semantics = "`max(x, 0)`";
}
def Mllm_QuickGeluOp : Mllm_UnaryOp<"quick_gelu", Mllm_FloatTensor> {
  let summary = "elementwise QuickGELU (CLIP)";
  let semantics = "`x * sigmoid(1.702 * x)`";
}
def Mllm_SiluOp : Mllm_UnaryOp<"silu", Mllm_FloatTensor> {
  let summary = "elementwise SiLU (swish)";
  let semantics = "`x * sigmoid(x)`";
}
def Mllm_NotOp : Mllm_UnaryOp<"not", Mllm_BoolTensor> {
  let summary = "elementwise logical not";
  let semantics = "`!x` on `i1`";
  let hasFolder = 1;
}
def Mllm_BitwiseNotOp : Mllm_UnaryOp<"bitwise_not", Mllm_IntTensor> {
  let summary = "elementwise bitwise not";
  let semantics = "`~x` on integers";
}
def Mllm_TanOp : Mllm_UnaryOp<"tan", Mllm_FloatTensor> {
  let summary = "elementwise tangent";
  let semantics = "`tan(x)` (radians)";
}
def Mllm_AsinOp : Mllm_UnaryOp<"asin", Mllm_FloatTensor> {
  let summary = "elementwise arcsine";
  let semantics = "`asin(x)` (NaN outside `[-1, 1]`)";
}
def Mllm_AcosOp : Mllm_UnaryOp<"acos", Mllm_FloatTensor> {
  let summary = "elementwise arccosine";
  let semantics = "`acos(x)` (NaN outside `[-1, 1]`)";
}
def Mllm_AtanOp : Mllm_UnaryOp<"atan", Mllm_FloatTensor> {
  let summary = "elementwise arctangent";
  let semantics = "`atan(x)`";
}
def Mllm_SinhOp : Mllm_UnaryOp<"sinh", Mllm_FloatTensor> {
  let summary = "elementwise hyperbolic sine";
  let semantics = "`sinh(x)`";
}
def Mllm_CoshOp : Mllm_UnaryOp<"cosh", Mllm_FloatTensor> {
  let summary = "elementwise hyperbolic cosine";
  let semantics = "`cosh(x)`";
}
def Mllm_AsinhOp : Mllm_UnaryOp<"asinh", Mllm_FloatTensor> {
  let summary = "elementwise inverse hyperbolic sine";
  let semantics = "`asinh(x)`";
}
def Mllm_AcoshOp : Mllm_UnaryOp<"acosh", Mllm_FloatTensor> {
  let summary = "elementwise inverse hyperbolic cosine";
  let semantics = "`acosh(x)` (NaN below 1)";
}
def Mllm_AtanhOp : Mllm_UnaryOp<"atanh", Mllm_FloatTensor> {
  let summary = "elementwise inverse hyperbolic tangent";
  let semantics = "`atanh(x)` (NaN outside `[-1, 1]`, infinite at -1 and 1)";
}

def Mllm_GeluOp : Mllm_Op<"gelu",
    [Pure, SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "elementwise GELU";
  let description = [{
    Gaussian error linear unit. With `approximate = none` (the default, then
    not printed): `0.5 * x * (1 + erf(x / sqrt(2)))`. With
    `approximate = tanh`: `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 *
    x^3)))`.

    ```mlir
    %r = mllm.gelu %x : tensor<2x8xf32>
    %t = mllm.gelu %x approximate = tanh : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input,
      DefaultValuedAttr<Mllm_GeluApproximation,
                        "::mlir::mllm::GeluApproximation::none">:$approximate);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`approximate` `=` $approximate^)? attr-dict `:` type($input)
  }];
}

def Mllm_CastOp : Mllm_Op<"cast", [Pure]> {
  let summary = "elementwise element-type conversion";
  let description = [{
    Converts every element of `input` to the result's element type; the
    shape is kept. Float to integer truncates toward zero (out-of-range
    values wrap for the unsigned types narrower than 64 bits), integer to
    float rounds to nearest, signless integers are sign-extended and
    unsigned ones zero-extended, narrowing keeps the low bits, and a
    conversion to `i1` tests for non-zero (ONNX `Cast`).

    ```mlir
    %r = mllm.cast %x : tensor<2x8xf32> to tensor<2x8xf16>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$input);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Type":$elementType), [{
      build($_builder, $_state,
            ::llvm::cast<::mlir::RankedTensorType>(input.getType())
                .clone(elementType),
            input);
    }]>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Resampling
//===----------------------------------------------------------------------===//

def Mllm_ResizeOp : Mllm_Op<"resize", [Pure, InferTypeOpAdaptor]> {
  let summary = "image and tensor resampling (ONNX Resize)";
  let description = [{
    Resamples `input` along `axes` to `sizes` (ONNX `Resize`, opset 19):
    every other dimension is kept. Along an axis of input size `I`, with
    the scale `s` of that axis (`scales`: the ratio of the output to the
    input size, or the aspect-preserving scale ONNX computes from `sizes`),
    the output index `y` maps to the input coordinate `x` by
    `coordinate_mode` (default `half_pixel`; `L = s * I`):

    ```
    half_pixel            x = (y + 0.5) / s - 0.5
    half_pixel_symmetric  x = I / 2 * (1 - size / L) + (y + 0.5) / s - 0.5
    pytorch_half_pixel    x = L == 1 ? -0.5 : (y + 0.5) / s - 0.5
    align_corners         x = L == 1 ? 0 : y * (I - 1) / (L - 1)
    asymmetric            x = y / s
    tf_crop_and_resize    x = y * (end - start) * (I - 1) / (L - 1) + start * (I - 1)
                          (L == 1: x = (end - start) * (I - 1) / 2 + start * (I - 1))
    ```

    `mode` picks the interpolation: `nearest` takes one element, rounded by
    `nearest_mode` (default `round_prefer_floor`); `linear` weighs the two
    neighbours and `cubic` four, with the cubic convolution kernel of
    parameter `cubic_coeff_a` (default -0.75; -0.5 is PIL's bicubic).
    Neighbours outside the input repeat its edge, or with `exclude_outside`
    get weight 0 (the other weights renormalized). With `antialias`, a
    downscaling linear or cubic filter is stretched by `1 / s` (PIL's and
    torchvision's antialiased resize). With `tf_crop_and_resize`, `roi`
    holds the crop box as normalized starts then ends, one per axis, and
    an output element whose coordinate falls outside the input is
    `extrapolation_value` (default 0). Axes are resampled one after the
    other, in the order of `axes`, computing in f64.

    `linear` and `cubic` need floats; `nearest` moves any element type.
    The resampled input dimensions are static.

    ```mlir
    %y = mllm.resize %x cubic axes = [2, 3] sizes = [224, 224] scales = [0.66666666666666663, 0.66666666666666663] : tensor<1x3x336x336xf32> -> tensor<1x3x224x224xf32>
    %n = mllm.resize %x nearest axes = [2] sizes = [8] scales = [2.0] coordinates = asymmetric nearest = floor : tensor<1x1x4x4xf32> -> tensor<1x1x8x4xf32>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$input, Mllm_ResizeMode:$mode,
      DenseI64ArrayAttr:$axes, DenseI64ArrayAttr:$sizes, F64ArrayAttr:$scales,
      DefaultValuedAttr<Mllm_ResizeCoordinateMode,
          "::mlir::mllm::ResizeCoordinateMode::half_pixel">:$coordinate_mode,
      DefaultValuedAttr<Mllm_ResizeNearestMode,
          "::mlir::mllm::ResizeNearestMode::round_prefer_floor">:$nearest_mode,
      DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
      UnitAttr:$exclude_outside, UnitAttr:$antialias,
      OptionalAttr<F64ArrayAttr>:$roi,
      DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $input $mode `axes` `=` $axes `sizes` `=` $sizes `scales` `=` $scales
    (`coordinates` `=` $coordinate_mode^)? (`nearest` `=` $nearest_mode^)?
    (`roi` `=` $roi^)? attr-dict `:` type($input) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// `scales` and `roi` (empty when absent) as doubles.
    ::llvm::SmallVector<double> getScaleValues();
    ::llvm::SmallVector<double> getRoiValues();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

def Mllm_SoftmaxOp : Mllm_Op<"softmax",
    [Pure, SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`, which is
    non-negative (the importer resolves negative ONNX axes):
    `0 <= axis < rank`. A row that is all `-inf` gives NaN, as ONNX Softmax
    does; with `zero_masked_rows` it gives zeros, as the probabilities of
    ONNX Attention do for a query with no key to attend to.

    ```mlir
    %r = mllm.softmax %x axis = 1 : tensor<4x8xf32>
    %p = mllm.softmax %s axis = 3 {zero_masked_rows} : tensor<1x2x4x4xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_I64Attr:$axis,
                       UnitAttr:$zero_masked_rows);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Mllm_LayerNormOp : Mllm_Op<"layer_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "layer normalization";
  let description = [{
    Normalizes `input` over the dimensions `axis..rank-1` (mean and variance
    over all of them together), then scales and shifts:
    `(x - mean) / sqrt(var + epsilon) * scale + bias` (ONNX
    `LayerNormalization`). `scale` and the optional `bias` have the shape
    `input.shape[axis:]` or one that broadcasts to it (unidirectionally).
    The result has the type of `input`.

    ```mlir
    %r = mllm.layer_norm %x, %gamma, %beta axis = 2 epsilon = 1.0e-05
        : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_FloatTensor:$scale,
                       Optional<Mllm_FloatTensor>:$bias,
                       Mllm_I64Attr:$axis, Mllm_F32Attr:$epsilon);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? `axis` `=` $axis `epsilon` `=` $epsilon
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location>,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      inferredReturnTypes.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
  let hasVerifier = 1;
}

def Mllm_RmsNormOp : Mllm_Op<"rms_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "root-mean-square normalization";
  let description = [{
    `x / sqrt(mean(x^2) + epsilon) * scale`, the mean taken over the
    dimensions `axis..rank-1` (ONNX `RMSNormalization`, LLaMA/Qwen RMSNorm).
    `scale` has the shape `input.shape[axis:]` or one that broadcasts to it.
    The result has the type of `input`.

    ```mlir
    %r = mllm.rms_norm %x, %w axis = 2 epsilon = 1.0e-06
        : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_FloatTensor:$scale,
                       Mllm_I64Attr:$axis, Mllm_F32Attr:$epsilon);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `axis` `=` $axis `epsilon` `=` $epsilon
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location>,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      inferredReturnTypes.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Mllm_ReduceOp<string mnemonic, string onnxName, Type tensorType>
    : Mllm_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keepdims` `=` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location> location,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::mlir::mllm::detail::inferReduceType(
          getOperationName(), location, adaptor.getInput(), adaptor.getAxes(),
          adaptor.getKeepdims(), inferredReturnTypes);
    }
  }];
  let hasFolder = 1;
  string semantics = "";
  let description = [{
    The }] # semantics # [{ of `input` over the dimensions `axes` (ONNX
    `}] # onnxName # [{`). `axes` are strictly increasing and lie in
    `[0, rank)` (the importer resolves negative and omitted ONNX axes); an
    empty list reduces nothing. With `keepdims` (the default, then not
    printed) the reduced dimensions stay with size 1, otherwise they are
    dropped.

    ```mlir
    %r = mllm.}] # mnemonic # [{ %x axes = [2] : tensor<1x16x64xf32> -> tensor<1x16x1xf32>
    %s = mllm.}] # mnemonic # [{ %x axes = [1, 2] keepdims = false : tensor<1x16x64xf32> -> tensor<1xf32>
    ```
  }];
}

def Mllm_ReduceMeanOp : Mllm_ReduceOp<"reduce_mean", "ReduceMean", Mllm_FloatTensor> {
  let summary = "mean over some dimensions";
  let semantics = "arithmetic mean";
}
def Mllm_ReduceSumOp : Mllm_ReduceOp<"reduce_sum", "ReduceSum", Mllm_NumericTensor> {
  let summary = "sum over some dimensions";
  let semantics = "sum";
}
def Mllm_ReduceMaxOp : Mllm_ReduceOp<"reduce_max", "ReduceMax", Mllm_Tensor> {
  let summary = "maximum over some dimensions";
  let semantics = "maximum (NaN propagates; logical or on `i1`, false over an empty set)";
}
def Mllm_ReduceMinOp : Mllm_ReduceOp<"reduce_min", "ReduceMin", Mllm_Tensor> {
  let summary = "minimum over some dimensions";
  let semantics = "minimum (NaN propagates; logical and on `i1`, true over an empty set)";
}
def Mllm_ReduceProdOp : Mllm_ReduceOp<"reduce_prod", "ReduceProd", Mllm_NumericTensor> {
  let summary = "product over some dimensions";
  let semantics = "product (1 over an empty set)";
}

/// ArgMax and ArgMin: the index of the extreme element along one axis.
class Mllm_ArgReduceOp<string mnemonic, string onnxName>
    : Mllm_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       UnitAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`keepdims` `=` $keepdims^)?
    (`select_last_index` $select_last_index^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context,
        ::std::optional<::mlir::Location> location, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      return ::mlir::mllm::detail::inferArgReduceType(
          getOperationName(), location, adaptor.getInput(), adaptor.getAxis(),
          adaptor.getKeepdims(), inferredReturnTypes);
    }
  }];
  string extreme = "";
  let description = [{
    The index (`i64`) of the }] # extreme # [{ element of `input` along `axis`
    (ONNX `}] # onnxName # [{`). `axis` lies in `[0, rank)` (the importer
    resolves negative ONNX axes). When several elements are equal to the
    }] # extreme # [{, the first index wins, or the last with
    `select_last_index`. With `keepdims` (the default, then not printed) the
    reduced dimension stays with size 1, otherwise it is dropped. The result
    is unspecified when the reduced elements contain a NaN.

    ```mlir
    %i = mllm.}] # mnemonic # [{ %x axis = 1 : tensor<2x8xf32> -> tensor<2x1xi64>
    %j = mllm.}] # mnemonic # [{ %x axis = 0 keepdims = false select_last_index : tensor<2x8xf32> -> tensor<8xi64>
    ```
  }];
}

def Mllm_ArgMaxOp : Mllm_ArgReduceOp<"arg_max", "ArgMax"> {
  let summary = "index of the maximum along one axis";
  let extreme = "largest";
}
def Mllm_ArgMinOp : Mllm_ArgReduceOp<"arg_min", "ArgMin"> {
  let summary = "index of the minimum along one axis";
  let extreme = "smallest";
}

//===----------------------------------------------------------------------===//
// Selection, scans and scatters
//===----------------------------------------------------------------------===//

def Mllm_TopKOp : Mllm_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "the k largest (or smallest) elements along one axis";
  let description = [{
    The `k` largest elements of `input` along `axis` (the `k` smallest with
    `largest = false`) and their indices (`i64`), as ONNX `TopK`. `axis`
    lies in `[0, rank)` (the importer resolves negative ONNX axes); `k` is a
    compile-time constant with `0 <= k <= input.shape[axis]` when that
    dimension is static. Both results have `input`'s shape with dimension
    `axis` replaced by `k`.

    With `sorted` (the default) the elements come in order, the largest (or
    smallest) first; of equal elements, the one with the lower index comes
    first. Without `sorted` the order is unspecified (the lowering sorts
    anyway). The results are unspecified when the input contains a NaN.
    `largest` and `sorted` are printed only when false.

    ```mlir
    %v, %i = mllm.top_k %logits k = 50 axis = 1 : tensor<1x32000xf32> -> tensor<1x50xf32>, tensor<1x50xi64>
    %s, %j = mllm.top_k %x k = 2 axis = 0 largest = false : tensor<8xi32> -> tensor<2xi32>, tensor<2xi64>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_I64Attr:$k,
                       Mllm_I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Mllm_NumericTensor:$values,
                      RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input `k` `=` $k `axis` `=` $axis (`largest` `=` $largest^)?
    (`sorted` `=` $sorted^)? attr-dict `:` type($input) `->` type($values)
    `,` type($indices)
  }];
}

/// CumSum and CumProd: a running sum or product along one axis.
class Mllm_CumulativeOp<string mnemonic, string onnxName, string what,
                        string operator, string identity>
    : Mllm_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let description = [{
    The running }] # what # [{ of `input` along `axis`
    (ONNX `}] # onnxName # [{`), with the result of `input`'s type. `axis`
    lies in `[0, rank)` (the importer resolves negative ONNX axes). For a
    1-D input of size `n`:

    ```
    default:             result[j] = input[0] }] # operator # [{ ... }] # operator # [{ input[j]
    exclusive:           result[j] = input[0] }] # operator # [{ ... }] # operator # [{ input[j - 1]   (result[0] = }] # identity # [{)
    reverse:             result[j] = input[j] }] # operator # [{ ... }] # operator # [{ input[n - 1]
    exclusive reverse:   result[j] = input[j + 1] }] # operator # [{ ... }] # operator # [{ input[n - 1]
    ```

    Integer results wrap around; floats accumulate in the element type.

    ```mlir
    %p = mllm.}] # mnemonic # [{ %mask axis = 1 : tensor<1x?xi64> -> tensor<1x?xi64>
    %c = mllm.}] # mnemonic # [{ %probs axis = 1 exclusive reverse : tensor<2x8xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_I64Attr:$axis,
                       UnitAttr:$exclusive, UnitAttr:$reverse);
  let results = (outs Mllm_NumericTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`exclusive` $exclusive^)? (`reverse` $reverse^)?
    attr-dict `:` type($input) `->` type($result)
  }];
}

def Mllm_CumsumOp : Mllm_CumulativeOp<"cumsum", "CumSum", "sum", "+", "0"> {
  let summary = "cumulative sum along one axis";
}
def Mllm_CumprodOp : Mllm_CumulativeOp<"cumprod", "CumProd", "product", "*", "1"> {
  let summary = "cumulative product along one axis";
}

def Mllm_ScatterNdOp : Mllm_Op<"scatter_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "write slices into a copy of a tensor at run-time indices";
  let description = [{
    A copy of `data` (rank `r`) where the slices that the last dimension of
    `indices` (rank `q >= 1`, last dimension `m`, static, `1 <= m <= r`)
    addresses are replaced by (or, with a `reduction`, combined with) the
    slices of `updates` (ONNX `ScatterND`):

    ```
    updates.shape = indices.shape[:q-1] + data.shape[m:]
    for every position p of indices.shape[:q-1], in row-major order:
      result[indices[p, 0], ..., indices[p, m-1], ...] =
          updates[p, ...]                      (reduction = none)
          result[...] op updates[p, ...]       (add, mul, max, min)
    ```

    Indices are `i32` or `i64`, run-time values; a negative index counts
    from the end of its dimension, as in ONNX. With `reduction = none` and
    duplicate indices the last update wins (ONNX leaves it undefined). An
    index out of range after that adjustment is undefined behaviour.
    `data` and `updates` have the same element type, which is the result's;
    `reduction` other than `none` needs a numeric (not `i1`) element type.
    `reduction` is printed only when it is not `none`.

    ```mlir
    // A KV-cache update: write one new token's keys at position %pos.
    %c = mllm.scatter_nd %cache[%pos], %k : (tensor<1x8x128x64xf32>, tensor<1x1x3xi64>, tensor<1x1x64xf32>) -> tensor<1x8x128x64xf32>
    %s = mllm.scatter_nd %x[%idx], %u reduction = add : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$data, Mllm_IndexTensor:$indices,
                       Mllm_Tensor:$updates,
                       DefaultValuedAttr<Mllm_ScatterReduction,
                           "::mlir::mllm::ScatterReduction::none">:$reduction);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `,` $updates (`reduction` `=` $reduction^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Mllm_ScatterElementsOp : Mllm_Op<"scatter_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "write single elements into a copy of a tensor along one axis";
  let description = [{
    A copy of `data` where each element of `updates` replaces (or, with a
    `reduction`, is combined with) the element that its position addresses
    with the index in `indices` put along `axis` (ONNX `ScatterElements`):

    ```
    for every position p = (p0, ..., pr) of indices, in row-major order:
      q = p with q[axis] = indices[p]
      result[q] = updates[p]                   (reduction = none)
      result[q] = result[q] op updates[p]      (add, mul, max, min)
    ```

    `indices` and `updates` have the same shape and the rank of `data`; off
    the axis their dimensions must not exceed the data's. Indices are `i32`
    or `i64` run-time values; a negative index counts from the end of the
    axis, as in ONNX. With `reduction = none` and duplicate indices the last
    update wins (ONNX leaves it undefined). An index out of range after that
    adjustment is undefined behaviour. `data` and `updates` have the same
    element type, which is the result's; `reduction` other than `none` needs
    a numeric (not `i1`) element type. `reduction` is printed only when it is
    not `none`.

    ```mlir
    %s = mllm.scatter_elements %x[%idx], %u axis = 1 reduction = add : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$data, Mllm_IndexTensor:$indices,
                       Mllm_Tensor:$updates, Mllm_I64Attr:$axis,
                       DefaultValuedAttr<Mllm_ScatterReduction,
                           "::mlir::mllm::ScatterReduction::none">:$reduction);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `,` $updates `axis` `=` $axis
    (`reduction` `=` $reduction^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Mllm_MatmulOp : Mllm_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "batched matrix product (numpy matmul)";
  let description = [{
    `lhs [..., M, K] x rhs [..., K, N] -> [..., M, N]` with numpy `matmul`
    semantics for operands of rank >= 2: the batch dimensions (all but the
    last two) broadcast like `mllm.add`, so a rank-2 `rhs` is shared by every
    batch of a higher-rank `lhs`. `K` must match where both are static.
    Both operands have the same element type.

    ```mlir
    %r = mllm.matmul %a, %b : (tensor<2x4x8x16xf32>, tensor<16x32xf32>) -> tensor<2x4x8x32xf32>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$lhs, Mllm_NumericTensor:$rhs);
  let results = (outs Mllm_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Mllm_LinearOp : Mllm_Op<"linear", [Pure, InferTypeOpAdaptor]> {
  let summary = "fully connected layer";
  let description = [{
    `input [..., K] x weight [K, N] + bias [N] -> [..., N]`. The weight uses
    the ONNX `MatMul` layout (`K` rows, `N` columns), i.e. it is the
    transpose of a PyTorch `nn.Linear` weight. `bias` is optional.

    ```mlir
    %r = mllm.linear %x, %w, %b : (tensor<1x16x64xf32>, tensor<64x256xf32>, tensor<256xf32>) -> tensor<1x16x256xf32>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_NumericTensor:$weight,
                       Optional<Mllm_NumericTensor>:$bias);
  let results = (outs Mllm_NumericTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def Mllm_ConvOp : Mllm_Op<"conv", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-D convolution (patch embeddings, audio front ends)";
  let description = [{
    Cross-correlation of `input` with `weight` (ONNX `Conv`, PyTorch
    `nn.Conv1d`/`nn.Conv2d`), with `k` spatial dimensions (`k >= 1`):

    ```
    input  : [N, C, D1, ..., Dk]
    weight : [F, C / group, K1, ..., Kk]
    bias   : [F]                         (optional)
    result : [N, F, O1, ..., Ok]
    Oi = floor((Di + pads[i] + pads[k + i] - dilations[i] * (Ki - 1) - 1)
               / strides[i]) + 1

    result[n, f, o...] = bias[f] + sum over c < C / group and kernel
      offsets j... of  weight[f, c, j...] *
      input[n, g * (C / group) + c, o_i * strides[i] + j_i * dilations[i]
            - pads[i] ...]
    where g = f / (F / group) and input positions outside [0, Di) read 0.
    ```

    Attributes, each with one entry per spatial dimension:

    - `strides` and `dilations`: positive.
    - `pads`: non-negative zero padding in the ONNX layout, the begin pads
      of every spatial dimension followed by the end pads
      (`[D1_begin, ..., Dk_begin, D1_end, ..., Dk_end]`). The importer
      resolves ONNX `auto_pad` into explicit pads.
    - `group` (default 1, then not printed): divides `C` and `F`;
      `group = C` is a depthwise convolution.

    All operands have the same element type, which is the result's: a
    float, or an integer for quantized convolutions (ONNX ConvInteger
    accumulates in i32). A dynamic input dimension gives a dynamic result
    dimension; every static result dimension must be at least 1.

    ```mlir
    // A ViT patch embedding: 16x16 patches, no bias.
    %p = mllm.conv %img, %w strides = [16, 16] dilations = [1, 1] pads = [0, 0, 0, 0]
        : (tensor<1x3x224x224xf32>, tensor<768x3x16x16xf32>) -> tensor<1x768x14x14xf32>
    // A depthwise 1-D convolution with bias, padded on the left only.
    %d = mllm.conv %x, %k, %b strides = [1] dilations = [1] pads = [3, 0] group = 4
        : (tensor<2x4x?xf32>, tensor<4x1x4xf32>, tensor<4xf32>) -> tensor<2x4x?xf32>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_NumericTensor:$weight,
                       Optional<Mllm_NumericTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<Mllm_I64Attr, "1">:$group);
  let results = (outs Mllm_NumericTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` `=` $strides
    `dilations` `=` $dilations `pads` `=` $pads (`group` `=` $group^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Mllm_ConvTransposeOp : Mllm_Op<"conv_transpose",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "N-D transposed convolution (upsampling decoders)";
  let description = [{
    The gradient of `mllm.conv` with respect to its input (ONNX
    `ConvTranspose`, PyTorch `nn.ConvTranspose1d/2d/3d`), with `k` spatial
    dimensions (`k >= 1`):

    ```
    input  : [N, C, D1, ..., Dk]
    weight : [C, F / group, K1, ..., Kk]
    bias   : [F]                         (optional)
    result : [N, F, O1, ..., Ok]
    Oi = strides[i] * (Di - 1) + output_padding[i]
         + dilations[i] * (Ki - 1) + 1 - pads[i] - pads[k + i]

    result[n, f, o...] = bias[f] + sum over c < C / group, d... and kernel
      offsets j... with o_i + pads[i] = d_i * strides[i] + j_i * dilations[i]
      of  input[n, g * (C / group) + c, d...] *
          weight[g * (C / group) + c, f mod (F / group), j...]
    where g = f / (F / group).
    ```

    `strides` and `dilations` are positive, `pads` (the begin pads, then the
    end pads, as in `mllm.conv`: they crop the full result) and
    `output_padding` (extra result elements at the end) non-negative;
    `group` (default 1) divides `C` and `F`. The importer resolves ONNX
    `auto_pad` and `output_shape` into `pads` and `output_padding`.

    ```mlir
    %y = mllm.conv_transpose %x, %w strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] output_padding = [1, 1]
        : (tensor<1x8x4x4xf32>, tensor<8x4x3x3xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_FloatTensor:$weight,
                       Optional<Mllm_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$output_padding,
                       DefaultValuedAttr<Mllm_I64Attr, "1">:$group);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` `=` $strides
    `dilations` `=` $dilations `pads` `=` $pads
    `output_padding` `=` $output_padding (`group` `=` $group^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Mllm_PoolOp : Mllm_Op<"pool", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-D max, average or Lp pooling";
  let description = [{
    Slides a window over the `k` spatial dimensions of `input`
    `[N, C, D1, ..., Dk]` (ONNX `MaxPool`, `AveragePool`, `LpPool`) and
    reduces each window of `kernel_shape` taps, spaced by `dilations`, to
    one element of `result` `[N, C, O1, ..., Ok]`:

    ```
    Oi = floor((Di + pads[i] + pads[k + i] - dilations[i] * (Ki - 1) - 1)
               / strides[i]) + 1
    ```

    With `ceil_mode` the division rounds up, but a window that would start
    in the end padding is dropped (ONNX, PyTorch). `pads` has the layout of
    `mllm.conv` (begin pads, then end pads); the importer resolves ONNX
    `auto_pad` into it. Window taps outside the input are skipped:

    - `max`: the largest tap (an integer or float input); with
      `storage_order` the op also returns `indices`, the position of that
      tap (the first one on ties) in the flattened input, counting the
      spatial dimensions row-major (`storage_order = 0`) or column-major
      (`storage_order = 1`), as ONNX MaxPool's `Indices`.
    - `avg`: the mean of the taps inside the input, or, with
      `count_include_pad`, the sum divided by the number of taps inside the
      explicitly padded input (ceil-mode overhang never counts).
    - `lp`: `(sum |x|^p)^(1/p)` over the taps inside the input, `p >= 1`.

    ```mlir
    %m = mllm.pool max %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1]
        : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    %a = mllm.pool avg %x kernel = [3] strides = [2] dilations = [1] pads = [0, 0] {ceil_mode}
        : tensor<1x8x7xf32> -> tensor<1x8x3xf32>
    %v, %i = mllm.pool max %x kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] {storage_order = 0 : i64}
        : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
    ```
  }];
  let arguments = (ins Mllm_NumericTensor:$input, Mllm_PoolKind:$kind,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       UnitAttr:$ceil_mode, UnitAttr:$count_include_pad,
                       DefaultValuedAttr<Mllm_I64Attr, "2">:$p,
                       OptionalAttr<Mllm_I64Attr>:$storage_order);
  let results = (outs Mllm_NumericTensor:$result,
                      Optional<RankedTensorOf<[I64]>>:$indices);
  let assemblyFormat = [{
    $kind $input `kernel` `=` $kernel_shape `strides` `=` $strides
    `dilations` `=` $dilations `pads` `=` $pads (`p` `=` $p^)?
    attr-dict `:` type($input) `->` type($result) (`,` type($indices)^)?
  }];
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Mllm_ReshapeOp : Mllm_Op<"reshape", [Pure]> {
  let summary = "reinterpret a tensor with another shape";
  let description = [{
    Returns `input`'s elements, in row-major order, with the result type's
    shape (ONNX `Reshape` after the importer resolved `0` and `-1`). The
    result type is explicit and may have dynamic dimensions. Element types
    are equal, and so are the element counts when both shapes are static.

    ```mlir
    %r = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mllm_TransposeOp : Mllm_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    `result.shape[i] = input.shape[permutation[i]]` (ONNX `Transpose`).
    `permutation` is a permutation of `[0, rank)`. An identity permutation
    folds away and a transpose of a transpose folds into one.

    ```mlir
    %r = mllm.transpose %x permutation = [0, 2, 1, 3] : tensor<1x16x8x64xf32> -> tensor<1x8x16x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `permutation` `=` $permutation attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasFolder = 1;
}

def Mllm_ConcatOp : Mllm_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "concatenate tensors along one axis";
  let description = [{
    Joins `inputs` (at least one) along `axis` (`0 <= axis < rank`). All
    inputs have the same rank and element type and agree on every other
    dimension. The result's `axis` dimension is the sum of the inputs' (or
    dynamic if one of them is).

    ```mlir
    %r = mllm.concat %a, %b axis = 1 : (tensor<1x4x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, Mllm_I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` functional-type($inputs, results)
  }];
  let hasFolder = 1;
}

def Mllm_SliceOp : Mllm_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "strided slice";
  let description = [{
    Takes, in every dimension `d`, the elements `starts[d]`,
    `starts[d] + steps[d]`, ... up to but excluding `ends[d]` (ONNX `Slice`).
    `starts`, `ends` and `steps` have one entry per dimension and are
    normalized by the importer (no negative indices counting from the end):
    `steps[d] != 0`; for a positive step `starts[d]` and `ends[d]` lie in
    `[0, dim]`; for a negative step the slice walks backwards, `starts[d]`
    lies in `[0, dim - 1]` and `ends[d]` in `[-1, dim - 1]`, where `-1` means
    "through index 0". An empty range gives a zero-sized dimension.

    A dynamic dimension cannot be clamped at compile time: there the bounds
    need only be non-negative (`ends[d] >= -1` for a negative step), a
    positive step's end may exceed the run-time size (e.g. `INT64_MAX` for
    "to the end") and is clamped to it at run time, and the result dimension
    is dynamic.

    ```mlir
    %r = mllm.slice %x starts = [0, 2] ends = [4, 8] steps = [1, 2] : tensor<4x8xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `starts` `=` $starts `ends` `=` $ends `steps` `=` $steps attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Mllm_GatherOp : Mllm_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "gather slices along one axis by index (ONNX Gather)";
  let description = [{
    `result[i0.., j.., k..] = data[i0.., indices[j..], k..]` where `axis`
    selects the gathered dimension of `data` (`0 <= axis < rank(data)`). The
    result shape is `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.
    Indices are `i32` or `i64`; negative indices count from the end as in
    ONNX. Embedding lookups are `mllm.gather` with `axis = 0`.

    ```mlir
    %r = mllm.gather %table[%ids] axis = 0 : (tensor<32000x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, Mllm_IndexTensor:$indices,
                       Mllm_I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `axis` `=` $axis attr-dict `:`
    functional-type(operands, results)
  }];
}

def Mllm_GatherElementsOp : Mllm_Op<"gather_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "gather single elements along one axis (ONNX GatherElements)";
  let description = [{
    `result[i0, ..., j, ..., ir] = data[i0, ..., indices[i0, ..., j, ..., ir],
    ..., ir]` where `axis` (`0 <= axis < rank(data)`) is the position of `j`
    (numpy `take_along_axis`). `indices` has the rank of `data` and is the
    shape of the result; off the axis its dimensions must not exceed the
    data's. Indices are `i32` or `i64` run-time values; a negative index
    counts from the end of the axis, as in ONNX. An index out of range after
    that is undefined behaviour.

    ```mlir
    %r = mllm.gather_elements %logp[%target] axis = 1 : (tensor<3x5xf32>, tensor<3x1xi64>) -> tensor<3x1xf32>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$data, Mllm_IndexTensor:$indices,
                       Mllm_I64Attr:$axis);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `axis` `=` $axis attr-dict `:`
    functional-type(operands, results)
  }];
}

def Mllm_GatherNdOp : Mllm_Op<"gather_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "gather slices by run-time index tuples (ONNX GatherND)";
  let description = [{
    Each row of the last dimension of `indices` (rank `q >= 1`, last
    dimension `k`, static) is the position of a slice of `data` (rank `r`)
    after its first `batch_dims` (`b`) dimensions, which `data` and `indices`
    share (`b < q`, `b + k <= r`):

    ```
    result.shape = indices.shape[:q-1] + data.shape[b+k:]
    result[p, ...] = data[p[:b], indices[p, 0], ..., indices[p, k-1], ...]
    ```

    Indices are `i32` or `i64` run-time values; a negative index counts from
    the end of its dimension, as in ONNX. An index out of range after that is
    undefined behaviour. `batch_dims` is printed only when it is not 0.

    ```mlir
    // transformers' padding mask: attention_mask[batch_idx, kv_idx].
    %m = mllm.gather_nd %mask[%idx] : (tensor<3x5xi1>, tensor<3x5x2xi64>) -> tensor<3x5xi1>
    %r = mllm.gather_nd %x[%idx] batch_dims = 1 : (tensor<2x4x8xf32>, tensor<2x3x1xi64>) -> tensor<2x3x8xf32>
    ```
  }];
  let arguments = (ins Mllm_Tensor:$data, Mllm_IndexTensor:$indices,
                       DefaultValuedAttr<Mllm_I64Attr, "0">:$batch_dims);
  let results = (outs Mllm_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` (`batch_dims` `=` $batch_dims^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Mllm_ConstantOp : Mllm_Op<"constant",
    [Pure, ConstantLike, InferTypeOpAdaptor]> {
  let summary = "constant tensor";
  let description = [{
    A tensor constant. `value` is any `ElementsAttr`; weights imported from
    ONNX are `dense_resource` blobs so that they are not copied.

    ```mlir
    %c = mllm.constant dense<1.0> : tensor<4xf32>
    %w = mllm.constant dense_resource<w0> : tensor<64x64xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location> location,
        Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
      auto type = ::llvm::dyn_cast<::mlir::RankedTensorType>(
          adaptor.getValue().getType());
      if (!type)
        return ::mlir::emitOptionalError(location, "'", getOperationName(),
                                         "' op value must be a ranked tensor");
      inferredReturnTypes.push_back(type);
      return ::mlir::success();
    }
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// MLLM operations
//===----------------------------------------------------------------------===//

def Mllm_AttentionOp : Mllm_Op<"attention", [Pure, InferTypeOpAdaptor]> {
  let summary = "multi-head scaled dot-product attention (MHA, GQA, MQA)";
  let description = [{
    Scaled dot-product attention over heads, with grouped-query support:

    ```
    query : [B, Hq,  Sq,  D ]      result : [B, Hq, Sq, Dv]
    key   : [B, Hkv, Skv, D ]
    value : [B, Hkv, Skv, Dv]
    mask  : broadcastable to [B, Hq, Sq, Skv]   (optional)

    for every batch b and query head h, with g = Hq / Hkv and kv head
    h' = h / g (floor):
      s[i, j] = scale * sum_d query[b, h, i, d] * key[b, h', j, d]
      s[i, j] = mask is i1  ? (mask[b, h, i, j] ? s[i, j] : -inf)
              : mask is float ? s[i, j] + mask[b, h, i, j]
      s[i, j] = causal && j > i + (Skv - Sq) ? -inf : s[i, j]
      p[i, :] = softmax(s[i, :])
      result[b, h, i, :] = sum_j p[i, j] * value[b, h', j, :]
    ```

    Attributes:

    - `scale` (f32): the factor applied to `query . key^T`, normally
      `1 / sqrt(D)`; exporters that pre-scale `query` and `key` fold into it.
    - `causal` (unit): adds the causal mask. The mask is aligned at the
      **bottom-right**: query row `i` attends key columns
      `j <= i + (Skv - Sq)`. With `Sq == Skv` this is the usual lower-
      triangular mask; in a KV-cache decode step (`Sq = 1`, `Skv` = past +
      1) the new token sees every key. (PyTorch's `is_causal=True` is
      top-left aligned, `j <= i`, and differs from this when `Sq != Skv`.)
    - `num_heads` (`Hq`), `num_kv_heads` (`Hkv`): `num_heads` is a multiple
      of `num_kv_heads`; equal for MHA, `num_kv_heads = 1` for MQA. They must
      match the head dimensions of `query` and `key`/`value` where those are
      static.

    `mask` is optional: `i1` (true = attend, as in PyTorch SDPA) or of the
    query's float type (added to the scores, `-inf`/large negative =
    masked). It broadcasts to `[B, Hq, Sq, Skv]` (it may have lower rank,
    e.g. `[Sq, Skv]` or `[B, 1, 1, Skv]` for padding). A row whose keys are
    all masked gives an unspecified result.

    `query`, `key` and `value` have the same float element type, which is
    the result's.

    ```mlir
    %o = mllm.attention %q, %k, %v mask %m {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32}
        : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x1x?x?xi1>) -> tensor<1x8x?x64xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$query, Mllm_FloatTensor:$key,
                       Mllm_FloatTensor:$value,
                       Optional<RankedTensorOf<[Mllm_Float, I1]>>:$mask,
                       Mllm_F32Attr:$scale, UnitAttr:$causal,
                       Mllm_I64Attr:$num_heads, Mllm_I64Attr:$num_kv_heads);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mllm_RotaryEmbeddingOp : Mllm_Op<"rotary_embedding",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "rotary position embedding (RoPE)";
  let description = [{
    Rotates pairs of elements of every head of `input` by position-dependent
    angles given as cosine and sine caches (ONNX `RotaryEmbedding`, opset 23;
    ONNX Runtime's `com.microsoft.RotaryEmbedding`; LLaMA/Qwen/Phi RoPE).

    ```
    input        : [B, H, S, D]   or  [B, S, H * D] with num_heads = H
    position_ids : [B, S] or [1, S] (integer)   or  [1] (offset)  (optional)
    cos_cache    : [P, R / 2]          with position_ids
                   [B, S, R / 2] or [S, R / 2]   without
    sin_cache    : the shape of cos_cache
    result       : the type of input

    R = rotary_embedding_dim, or D when it is 0; h = R / 2.
    For batch b, head n, token s and head element i:
      p = position_ids[b, s]  ([B, S]; [1, S] is shared by every batch)
        = position_ids[0] + s ([1]: the position of the first token)
        = none                (no position_ids: the caches are indexed by
                               [b, s] or [s])
      c[k] = cos_cache[p, k] (or cos_cache[b, s, k], cos_cache[s, k]),
      s[k] likewise from sin_cache.
      not interleaved (rotate-half, LLaMA/HF):  for k < h,
        out[k]     = x[k] * c[k] - x[k + h] * s[k]
        out[k + h] = x[k + h] * c[k] + x[k] * s[k]
      interleaved (GPT-J, Meta LLaMA):          for k < h,
        out[2k]     = x[2k] * c[k] - x[2k + 1] * s[k]
        out[2k + 1] = x[2k + 1] * c[k] + x[2k] * s[k]
      out[i] = x[i] for R <= i < D (partial rotation).
    ```

    In the 3-D form, head `n` is the elements `n * D .. (n + 1) * D - 1` of
    the last dimension. Positions outside `[0, P)` give an unspecified
    result.

    Attributes:

    - `interleaved` (unit): pairs adjacent elements instead of the two
      halves of the rotated part.
    - `rotary_embedding_dim` (default 0 = the whole head, then not printed):
      the number `R` of rotated leading elements of each head; even and at
      most `D`.
    - `num_heads` (default 0, then not printed): `H`. Required for a 3-D
      input, whose last dimension it divides; for a 4-D input, 0 or
      `input.shape[1]`.

    `input`, `cos_cache` and `sin_cache` have the same float element type.
    The last dimension of the caches is `R / 2`.

    ```mlir
    // LLaMA: [B, H, S, D] with a position-indexed cache.
    %q = mllm.rotary_embedding %x, %cos, %sin positions %pos
        : (tensor<1x8x?x64xf32>, tensor<2048x32xf32>, tensor<2048x32xf32>, tensor<1x?xi64>) -> tensor<1x8x?x64xf32>
    // Phi-2: partial, interleaved rotation of [B, S, H * D] without position_ids.
    %k = mllm.rotary_embedding %y, %c, %s interleaved rotary_embedding_dim = 32 num_heads = 4
        : (tensor<2x16x320xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32>) -> tensor<2x16x320xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_FloatTensor:$cos_cache,
                       Mllm_FloatTensor:$sin_cache,
                       Optional<Mllm_IndexTensor>:$position_ids,
                       UnitAttr:$interleaved,
                       DefaultValuedAttr<Mllm_I64Attr, "0">:$rotary_embedding_dim,
                       DefaultValuedAttr<Mllm_I64Attr, "0">:$num_heads);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $cos_cache `,` $sin_cache (`positions` $position_ids^)?
    (`interleaved` $interleaved^)?
    (`rotary_embedding_dim` `=` $rotary_embedding_dim^)?
    (`num_heads` `=` $num_heads^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The head size `D`: input.shape[3], or input.shape[2] / num_heads for a
    /// 3-D input (dynamic when that dimension is).
    int64_t getHeadDim();
    /// The number `R` of rotated elements per head: rotary_embedding_dim, or
    /// the head size when it is 0 (dynamic when that is).
    int64_t getRotaryDim();
  }];
}

def Mllm_MlpOp : Mllm_Op<"mlp",
    [Pure, InferTypeOpAdaptor, AttrSizedOperandSegments]> {
  let summary = "two-layer MLP, plain or gated (projectors, FFN blocks)";
  let description = [{
    A feed-forward block: the transformer FFN, the LLaVA-style MLP projector,
    and the gated (SwiGLU/GeGLU) MLP of LLaMA/Qwen.

    ```
    input      : [..., K]
    up_weight  : [K, F]      up_bias   : [F]   (optional)
    gate_weight: [K, F]      gate_bias : [F]   (optional, needs gate_weight)
    down_weight: [F, N]      down_bias : [N]   (optional)
    result     : [..., N]

    without gate: h = act(x . up_weight + up_bias)
    with gate:    h = act(x . gate_weight + gate_bias) * (x . up_weight + up_bias)
    result        = h . down_weight + down_bias
    ```

    Weights use the ONNX `MatMul` layout (`[in, out]`). `activation` is
    one of `gelu` (erf form), `gelu_tanh`, `quick_gelu` (`x * sigmoid(1.702
    x)`, CLIP), `silu` (`x * sigmoid(x)`, SwiGLU) and `relu`. All operands
    have the same float element type, which is the result's.

    ```mlir
    // LLaVA projector: Linear -> GELU -> Linear
    %p = mllm.mlp gelu %x up %w1 bias %b1 down %w2 bias %b2
        : (tensor<1x576x1024xf32>, tensor<1024x4096xf32>, tensor<4096xf32>, tensor<4096x4096xf32>, tensor<4096xf32>) -> tensor<1x576x4096xf32>
    // LLaMA FFN: down(silu(gate(x)) * up(x))
    %f = mllm.mlp silu %x up %wu gate %wg down %wd
        : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
    ```
  }];
  let arguments = (ins Mllm_FloatTensor:$input, Mllm_FloatTensor:$up_weight,
                       Optional<Mllm_FloatTensor>:$up_bias,
                       Optional<Mllm_FloatTensor>:$gate_weight,
                       Optional<Mllm_FloatTensor>:$gate_bias,
                       Mllm_FloatTensor:$down_weight,
                       Optional<Mllm_FloatTensor>:$down_bias,
                       Mllm_MlpActivation:$activation);
  let results = (outs Mllm_FloatTensor:$result);
  let assemblyFormat = [{
    $activation $input `up` $up_weight (`bias` $up_bias^)?
    (`gate` $gate_weight^)? (`bias` $gate_bias^)?
    `down` $down_weight (`bias` $down_bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // MLLM_IR_MLLMOPS_TD
