//===- OpRegistry.h - ONNX op conversions by domain and name ----*- C++ -*-===//
//
// Every supported ONNX op has one entry: its domain and type, the opset that
// introduced the semantics the conversion implements (a node of a model with
// an older opset is rejected with a message), a note for the support table
// and the conversion function. Op families register their entries in
// ops/*.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_FRONTENDS_ONNX_OPREGISTRY_H
#define MLLMC_FRONTENDS_ONNX_OPREGISTRY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mllmc::onnx_frontend {

class NodeContext;

/// Converts one ONNX node, binding its outputs through the context. Emits an
/// error through the context and returns failure when the node cannot be
/// imported.
using ConvertFn = mlir::LogicalResult (*)(NodeContext &node);

struct OpConversion {
  std::string domain;
  std::string opType;
  int sinceVersion;
  std::string notes;
  ConvertFn convert;
};

class OpRegistry {
public:
  /// Adds the conversion of `opType` in `domain` ("" is the default domain).
  void add(llvm::StringRef opType, int sinceVersion, ConvertFn convert,
           llvm::StringRef notes = "", llvm::StringRef domain = "");

  /// The conversion for an op, or null. "ai.onnx" is the default domain.
  const OpConversion *lookup(llvm::StringRef domain,
                             llvm::StringRef opType) const;

  /// All conversions, sorted by domain then op type.
  std::vector<const OpConversion *> getSorted() const;

  /// The registry holding every conversion of the importer.
  static const OpRegistry &get();

private:
  llvm::StringMap<OpConversion> conversions;
};

// Op families (ops/*.cpp).
void registerActivationOps(OpRegistry &registry);
void registerAttentionOps(OpRegistry &registry);
void registerConstantOps(OpRegistry &registry);
void registerConvOps(OpRegistry &registry);
void registerDataMovementOps(OpRegistry &registry);
void registerEinsumOps(OpRegistry &registry);
void registerGridSampleOps(OpRegistry &registry);
void registerElementwiseOps(OpRegistry &registry);
void registerLossOps(OpRegistry &registry);
void registerMatMulOps(OpRegistry &registry);
void registerMicrosoftActivationOps(OpRegistry &registry);
void registerMicrosoftAttentionOps(OpRegistry &registry);
void registerMicrosoftNormalizationOps(OpRegistry &registry);
void registerNormalizationOps(OpRegistry &registry);
void registerOneHotOps(OpRegistry &registry);
void registerPoolOps(OpRegistry &registry);
void registerQuantizeOps(OpRegistry &registry);
void registerReduceOps(OpRegistry &registry);
void registerResizeOps(OpRegistry &registry);
void registerRotaryOps(OpRegistry &registry);
void registerSelectionOps(OpRegistry &registry);
void registerShapeOps(OpRegistry &registry);
void registerSignalConstantOps(OpRegistry &registry);
void registerSignalTransformOps(OpRegistry &registry);

} // namespace mllmc::onnx_frontend

#endif // MLLMC_FRONTENDS_ONNX_OPREGISTRY_H
