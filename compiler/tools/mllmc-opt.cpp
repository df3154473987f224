//===- mllmc-opt.cpp - mlir-opt with the mllm dialect and mllmc passes ----===//
//
// Registers every upstream dialect, extension and pass, the `mllm` dialect and
// every mllmc pass. Pass plugins load with `--load-pass-plugin`, dialect
// plugins with `--load-dialect-plugin`, as in mlir-opt.
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mllmc::registerMllmcPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::mllm::MllmDialect>();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mllmc optimizer driver\n", registry));
}
