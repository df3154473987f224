//===- Conv.h - Building an mllm.conv from a Conv-like node -----*- C++ -*-===//
//
// ONNX Conv, ConvInteger and QLinearConv share their attributes
// (kernel_shape, strides, dilations, pads, auto_pad, group).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_CONV_H
#define MLLMC_FRONTENDS_ONNX_OPS_CONV_H

#include "frontends/onnx/NodeContext.h"

namespace mllmc::onnx_frontend {

/// An mllm.conv of `input` [N, C, spatial...] with `weight` [F, C / group,
/// kernel...] and the optional `bias` [F], its window read from the node's
/// Conv attributes (kernel_shape checked against the weight, auto_pad
/// resolved into pads).
mlir::FailureOr<mlir::Value> createConv(NodeContext &node, mlir::Value input,
                                        mlir::Value weight, mlir::Value bias);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPS_CONV_H
