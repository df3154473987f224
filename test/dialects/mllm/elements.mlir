// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of gather_elements and scatter_elements; reduction = none is
// the default and not printed.

// CHECK-LABEL: func @gather_elements
func.func @gather_elements(%logp: tensor<3x5xf32>, %t: tensor<3x1xi64>,
                           %x: tensor<?x4x2xi32>, %i: tensor<?x9x2xi32>) {
  // CHECK: mllm.gather_elements %{{.*}}[%{{.*}}] axis = 1 : (tensor<3x5xf32>, tensor<3x1xi64>) -> tensor<3x1xf32>
  %0 = mllm.gather_elements %logp[%t] axis = 1 : (tensor<3x5xf32>, tensor<3x1xi64>) -> tensor<3x1xf32>
  // More indices than the axis is long; a dynamic dimension.
  // CHECK: mllm.gather_elements %{{.*}}[%{{.*}}] axis = 1 : (tensor<?x4x2xi32>, tensor<?x9x2xi32>) -> tensor<?x9x2xi32>
  %1 = mllm.gather_elements %x[%i] axis = 1 : (tensor<?x4x2xi32>, tensor<?x9x2xi32>) -> tensor<?x9x2xi32>
  return
}

// CHECK-LABEL: func @scatter_elements
func.func @scatter_elements(%x: tensor<1x5xf32>, %i: tensor<1x2xi64>,
                            %u: tensor<1x2xf32>, %m: tensor<4xi1>,
                            %j: tensor<2xi32>, %b: tensor<2xi1>) {
  // CHECK: mllm.scatter_elements %{{.*}}[%{{.*}}], %{{.*}} axis = 1 : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  %0 = mllm.scatter_elements %x[%i], %u axis = 1 : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  // CHECK: mllm.scatter_elements %{{.*}}[%{{.*}}], %{{.*}} axis = 1 reduction = add : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  %1 = mllm.scatter_elements %x[%i], %u axis = 1 reduction = add : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  // CHECK: mllm.scatter_elements %{{.*}}[%{{.*}}], %{{.*}} axis = 0 : (tensor<4xi1>, tensor<2xi32>, tensor<2xi1>) -> tensor<4xi1>
  %2 = mllm.scatter_elements %m[%j], %b axis = 0 : (tensor<4xi1>, tensor<2xi32>, tensor<2xi1>) -> tensor<4xi1>
  return
}
