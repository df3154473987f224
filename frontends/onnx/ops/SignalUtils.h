//===- SignalUtils.h - Constants of the ONNX signal ops ---------*- C++ -*-===//
//
// The signal ops (windows, MelWeightMatrix, DFT, STFT) compute their
// constants (window samples, filter banks, twiddle matrices) in double at
// import and round them once to the element type of the graph. These helpers
// convert between doubles and ElementsAttrs of any float or integer type.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPS_SIGNALUTILS_H
#define MLLMC_FRONTENDS_ONNX_OPS_SIGNALUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <optional>

namespace mllmc::onnx_frontend::signal {

/// `values` rounded to the nearest value of `type`'s element type (floats),
/// or truncated toward zero (integers, as numpy's astype does).
inline mlir::DenseElementsAttr denseFromDoubles(mlir::RankedTensorType type,
                                                llvm::ArrayRef<double> values) {
  mlir::Type elementType = type.getElementType();
  if (elementType.isF64())
    return mlir::DenseElementsAttr::get(type, values);
  if (elementType.isF32()) {
    llvm::SmallVector<float> floats(values.begin(), values.end());
    return mlir::DenseElementsAttr::get(type, llvm::ArrayRef(floats));
  }
  if (auto floatType = llvm::dyn_cast<mlir::FloatType>(elementType)) {
    llvm::SmallVector<llvm::APFloat> floats;
    for (double value : values) {
      llvm::APFloat rounded(value);
      bool lost;
      rounded.convert(floatType.getFloatSemantics(),
                      llvm::APFloat::rmNearestTiesToEven, &lost);
      floats.push_back(rounded);
    }
    return mlir::DenseElementsAttr::get(type, floats);
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  llvm::SmallVector<llvm::APInt> ints;
  for (double value : values)
    ints.emplace_back(width, static_cast<uint64_t>(std::trunc(value)),
                      /*isSigned=*/true, /*implicitTrunc=*/true);
  return mlir::DenseElementsAttr::get(type, ints);
}

/// The values of a float constant (inline or a resource blob of f32 or
/// f64), or nullopt.
inline std::optional<llvm::SmallVector<double>>
doublesFromElements(mlir::ElementsAttr attr) {
  if (!attr || !llvm::isa<mlir::FloatType>(attr.getElementType()))
    return std::nullopt;
  llvm::SmallVector<double> values;
  if (auto dense = llvm::dyn_cast<mlir::DenseFPElementsAttr>(attr)) {
    for (llvm::APFloat value : dense.getValues<llvm::APFloat>()) {
      bool lost;
      value.convert(llvm::APFloat::IEEEdouble(),
                    llvm::APFloat::rmNearestTiesToEven, &lost);
      values.push_back(value.convertToDouble());
    }
    return values;
  }
  if (auto f32 = llvm::dyn_cast<mlir::DenseF32ResourceElementsAttr>(attr)) {
    if (std::optional<llvm::ArrayRef<float>> data = f32.tryGetAsArrayRef()) {
      values.assign(data->begin(), data->end());
      return values;
    }
  }
  if (auto f64 = llvm::dyn_cast<mlir::DenseF64ResourceElementsAttr>(attr)) {
    if (std::optional<llvm::ArrayRef<double>> data = f64.tryGetAsArrayRef()) {
      values.assign(data->begin(), data->end());
      return values;
    }
  }
  return std::nullopt;
}

} // namespace mllmc::onnx_frontend::signal

#endif // MLLMC_FRONTENDS_ONNX_OPS_SIGNALUTILS_H
