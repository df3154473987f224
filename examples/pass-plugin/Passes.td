//===- Passes.td - The example plugin's passes -------------*- tablegen -*-===//
//
// Declared like mllmc's own passes (passes/Passes.td); `Passes.h.inc` is
// generated from this file with `-gen-pass-decls -name MllmExample`.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_EXAMPLE_PASSES_TD
#define MLLM_EXAMPLE_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGelu : Pass<"mllm-example-convert-gelu"> {
  let summary = "Switch every GELU to its exact (erf) or tanh form";
  let description = [{
    Rewrites `mllm.gelu` and the GELU activations of `mllm.mlp` to one form
    of GELU: the exact `0.5 x (1 + erf(x / sqrt(2)))` (`to=erf`, the default)
    or the tanh approximation `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715
    x^3)))` (`to=tanh`). A model exported with one form can be compiled with
    the other, for accuracy against a reference or for speed. Other ops are
    left alone.
  }];
  let options = [
    Option<"form", "to", "::mlir::mllm::GeluApproximation",
           "::mlir::mllm::GeluApproximation::none",
           "The GELU form to produce",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mllm::GeluApproximation::none, "erf",
                          "exact, with erf"),
               clEnumValN(::mlir::mllm::GeluApproximation::tanh, "tanh",
                          "the tanh approximation"))}]>,
  ];
  let dependentDialects = ["mlir::mllm::MllmDialect"];
}

#endif // MLLM_EXAMPLE_PASSES_TD
