//===- TargetRegistry.cpp - Targets by name -------------------------------===//

#include "targets/Target.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mllmc;

namespace {
std::vector<std::unique_ptr<Target>> &getRegistry() {
  static std::vector<std::unique_ptr<Target>> targets;
  return targets;
}
} // namespace

void mllmc::registerTarget(std::function<std::unique_ptr<Target>()> factory) {
  getRegistry().push_back(factory());
}

const Target *mllmc::lookupTarget(llvm::StringRef name) {
  for (const std::unique_ptr<Target> &target : getRegistry())
    if (target->getName() == name)
      return target.get();
  return nullptr;
}

std::vector<std::string> mllmc::getTargetNames() {
  std::vector<std::string> names;
  for (const std::unique_ptr<Target> &target : getRegistry())
    names.push_back(target->getName().str());
  llvm::sort(names);
  return names;
}

mlir::LogicalResult mllmc::runPipeline(mlir::ModuleOp module,
                                       llvm::StringRef pipeline,
                                       const TargetOptions &options) {
  mlir::PassManager pm(module.getContext());
  if (options.configurePassManager &&
      mlir::failed(options.configurePassManager(pm)))
    return mlir::failure();
  if (mlir::failed(mlir::parsePassPipeline(pipeline, pm)))
    return module.emitError() << "invalid pass pipeline: " << pipeline;
  return pm.run(module);
}
