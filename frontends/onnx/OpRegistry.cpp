//===- OpRegistry.cpp - ONNX op conversions by domain and name ------------===//

#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/OnnxImporter.h"

#include "llvm/ADT/STLExtras.h"

#include <tuple>

using namespace mllmc::onnx_frontend;
using llvm::StringRef;

static std::string getKey(StringRef domain, StringRef opType) {
  if (domain == "ai.onnx")
    domain = "";
  return (domain + "::" + opType).str();
}

void OpRegistry::add(StringRef opType, int sinceVersion, ConvertFn convert,
                     StringRef notes, StringRef domain) {
  conversions[getKey(domain, opType)] = OpConversion{
      domain.str(), opType.str(), sinceVersion, notes.str(), convert};
}

const OpConversion *OpRegistry::lookup(StringRef domain,
                                       StringRef opType) const {
  auto it = conversions.find(getKey(domain, opType));
  return it == conversions.end() ? nullptr : &it->second;
}

std::vector<const OpConversion *> OpRegistry::getSorted() const {
  std::vector<const OpConversion *> sorted;
  for (const auto &entry : conversions)
    sorted.push_back(&entry.second);
  llvm::sort(sorted, [](const OpConversion *a, const OpConversion *b) {
    return std::tie(a->domain, a->opType) < std::tie(b->domain, b->opType);
  });
  return sorted;
}

const OpRegistry &OpRegistry::get() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    registerActivationOps(r);
    registerAttentionOps(r);
    registerConstantOps(r);
    registerConvOps(r);
    registerDataMovementOps(r);
    registerEinsumOps(r);
    registerGridSampleOps(r);
    registerElementwiseOps(r);
    registerLossOps(r);
    registerMatMulOps(r);
    registerMicrosoftActivationOps(r);
    registerMicrosoftAttentionOps(r);
    registerMicrosoftNormalizationOps(r);
    registerNormalizationOps(r);
    registerOneHotOps(r);
    registerPoolOps(r);
    registerQuantizeOps(r);
    registerReduceOps(r);
    registerResizeOps(r);
    registerRotaryOps(r);
    registerSelectionOps(r);
    registerShapeOps(r);
    registerSignalConstantOps(r);
    registerSignalTransformOps(r);
    return r;
  }();
  return registry;
}

void mllmc::onnx_frontend::printSupportedOps(llvm::raw_ostream &os) {
  os << "| Domain | Op | Since opset | Notes |\n";
  os << "|---|---|---|---|\n";
  for (const OpConversion *op : OpRegistry::get().getSorted()) {
    os << "| " << (op->domain.empty() ? "ai.onnx" : op->domain) << " | "
       << op->opType << " | " << op->sinceVersion << " | " << op->notes
       << " |\n";
  }
}
