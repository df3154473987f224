//===- Plugin.cpp - Entry point of the example pass plugin ----------------===//
//
// `mllmc --load-pass-plugin=` and `mllmc-opt --load-pass-plugin=` look up
// mlirGetPassPluginInfo in the library and call its callback, which registers
// the plugin's passes by name.
//
//===----------------------------------------------------------------------===//

#include "Passes.h"

#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "MllmExamplePasses", LLVM_VERSION_STRING,
          [] { mllm_example::registerMllmExamplePasses(); }};
}
