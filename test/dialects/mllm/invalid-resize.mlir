// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Inference errors are followed by upstream's "failed to infer returned types"
// on the same op; both are expected below.

func.func @axis_out_of_range(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.resize' op axis 4 is out of range [0, 4)}}
  // expected-error @+1 {{'mllm.resize' op failed to infer returned types}}
  %0 = mllm.resize %x linear axes = [4] sizes = [4] scales = [0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x8x4xf32>
  return
}

// -----

func.func @repeated_axis(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.resize' op axis 2 appears twice}}
  // expected-error @+1 {{'mllm.resize' op failed to infer returned types}}
  %0 = mllm.resize %x linear axes = [2, 2] sizes = [4, 4] scales = [0.5, 0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @sizes_per_axis(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.resize' op expected one size per axis, got 1 sizes for 2 axes}}
  // expected-error @+1 {{'mllm.resize' op failed to infer returned types}}
  %0 = mllm.resize %x linear axes = [2, 3] sizes = [4] scales = [0.5, 0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @zero_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.resize' op size 0 of axis 2 must be positive}}
  // expected-error @+1 {{'mllm.resize' op failed to infer returned types}}
  %0 = mllm.resize %x linear axes = [2] sizes = [0] scales = [0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x0x8xf32>
  return
}

// -----

func.func @wrong_result(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.resize' op inferred type(s) 'tensor<1x3x4x8xf32>' are incompatible with return type(s) of operation 'tensor<1x3x8x4xf32>'}}
  // expected-error @+1 {{'mllm.resize' op failed to infer returned types}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x8x4xf32>
  return
}

// -----

func.func @scales_per_axis(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op expected one scale per axis, got 2 scales for 1 axes}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [0.5, 0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @negative_scale(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op scale -5.000000e-01 of axis 2 must be positive}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [-0.5] : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @dynamic_axis(%x: tensor<1x3x?x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op resized axis 2 must be static}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [0.5] : tensor<1x3x?x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @missing_roi(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op expected 2 roi values (starts then ends, one per axis) with tf_crop_and_resize, got 0}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [0.5] coordinates = tf_crop_and_resize : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @stray_roi(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op expected 0 roi values (starts then ends, one per axis) with half_pixel, got 2}}
  %0 = mllm.resize %x linear axes = [2] sizes = [4] scales = [0.5] roi = [0.0, 1.0] : tensor<1x3x8x8xf32> -> tensor<1x3x4x8xf32>
  return
}

// -----

func.func @integer_cubic(%x: tensor<1x8xi32>) {
  // expected-error @+1 {{'mllm.resize' op cubic interpolation needs a float element type, got 'i32'}}
  %0 = mllm.resize %x cubic axes = [1] sizes = [4] scales = [0.5] : tensor<1x8xi32> -> tensor<1x4xi32>
  return
}

// -----

func.func @nearest_antialias(%x: tensor<1x8xf32>) {
  // expected-error @+1 {{'mllm.resize' op antialias needs linear or cubic interpolation}}
  %0 = mllm.resize %x nearest axes = [1] sizes = [4] scales = [0.5] {antialias} : tensor<1x8xf32> -> tensor<1x4xf32>
  return
}
