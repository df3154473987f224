// The example pass on mllm IR, in both directions. test/plugins/pass-plugin.test
// runs these checks against the installed mllmc-opt; by hand:
//
//   mllmc-opt --load-pass-plugin=build/MllmExamplePasses.so \
//     --pass-pipeline='builtin.module(mllm-example-convert-gelu{to=erf})' \
//     test/convert-gelu.mlir | FileCheck test/convert-gelu.mlir --check-prefix=ERF

// ERF-LABEL: func.func @activations
// ERF-NEXT:    %[[A:.*]] = mllm.gelu %arg0 : tensor<2x8xf32>
// ERF-NEXT:    %[[B:.*]] = mllm.gelu %[[A]] : tensor<2x8xf32>
// TANH-LABEL: func.func @activations
// TANH-NEXT:    %[[A:.*]] = mllm.gelu %arg0 approximate = tanh : tensor<2x8xf32>
// TANH-NEXT:    %[[B:.*]] = mllm.gelu %[[A]] approximate = tanh : tensor<2x8xf32>
func.func @activations(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = mllm.gelu %x approximate = tanh : tensor<2x8xf32>
  %1 = mllm.gelu %0 : tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}

// Each MLP's GELU takes the requested form; SiLU is no GELU and stays.
// ERF-LABEL: func.func @mlps
// ERF:         %[[A:.*]] = mllm.mlp gelu %arg0
// ERF:         %[[B:.*]] = mllm.mlp gelu %[[A]]
// ERF:         mllm.mlp silu %[[B]]
// TANH-LABEL: func.func @mlps
// TANH:        %[[A:.*]] = mllm.mlp gelu_tanh %arg0
// TANH:        %[[B:.*]] = mllm.mlp gelu_tanh %[[A]]
// TANH:        mllm.mlp silu %[[B]]
func.func @mlps(%x: tensor<2x8xf32>, %up: tensor<8x16xf32>,
                %down: tensor<16x8xf32>) -> tensor<2x8xf32> {
  %0 = mllm.mlp gelu_tanh %x up %up down %down
      : (tensor<2x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<2x8xf32>
  %1 = mllm.mlp gelu %0 up %up down %down
      : (tensor<2x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<2x8xf32>
  %2 = mllm.mlp silu %1 up %up down %down
      : (tensor<2x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}
