// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// reduce_mean, reduce_sum and reduce_max lowered to loops and run on the CPU.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [2.0, -4.0, 6.0, 8.0]]> : tensor<2x4xf32>

  // Row means with keepdims: 2.5 and 3.
  // CHECK: [2.5],
  // CHECK-NEXT: [3]
  %mean = mllm.reduce_mean %x axes = [1] : tensor<2x4xf32> -> tensor<2x1xf32>
  %meanu = tensor.cast %mean : tensor<2x1xf32> to tensor<*xf32>
  call @printMemrefF32(%meanu) : (tensor<*xf32>) -> ()

  // Column sums without keepdims.
  // CHECK: [3,  -2,  9,  12]
  %sum = mllm.reduce_sum %x axes = [0] keepdims = false : tensor<2x4xf32> -> tensor<4xf32>
  %sumu = tensor.cast %sum : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%sumu) : (tensor<*xf32>) -> ()

  // The maximum of everything, keepdims.
  // CHECK: {{\[}}[8]]
  %max = mllm.reduce_max %x axes = [0, 1] : tensor<2x4xf32> -> tensor<1x1xf32>
  %maxu = tensor.cast %max : tensor<1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%maxu) : (tensor<*xf32>) -> ()

  // An f16 mean accumulates in f32: summed in f16, 2048 + 1 rounds back to
  // 2048 and the mean would come out as 512.
  // CHECK: [513]
  %h = arith.constant dense<[[2048.0, 1.0, 1.0, 2.0]]> : tensor<1x4xf16>
  %hmean = mllm.reduce_mean %h axes = [1] keepdims = false : tensor<1x4xf16> -> tensor<1xf16>
  %hmeanf = mllm.cast %hmean : tensor<1xf16> to tensor<1xf32>
  %hmeanu = tensor.cast %hmeanf : tensor<1xf32> to tensor<*xf32>
  call @printMemrefF32(%hmeanu) : (tensor<*xf32>) -> ()

  // Integer max over the middle axis of [2, 3, 1].
  // CHECK: {{\[}}[7],
  // CHECK-NEXT: [9]]
  %i = arith.constant dense<[[[1], [7], [-3]], [[9], [0], [2]]]> : tensor<2x3x1xi32>
  %imax = mllm.reduce_max %i axes = [1] keepdims = false : tensor<2x3x1xi32> -> tensor<2x1xi32>
  %imaxu = tensor.cast %imax : tensor<2x1xi32> to tensor<*xi32>
  call @printMemrefI32(%imaxu) : (tensor<*xi32>) -> ()
  return
}
