//===- OnnxImporterFuzzer.cpp - libFuzzer target for the ONNX importer ----===//
//
// Bytes -> ModelProto parse -> import into the mllm dialect -> module
// verifier, exactly as `mllmc --compile-to=import` does for a file, but from
// memory: external data is refused, so no input makes the importer read from
// disk. Every diagnostic is captured; the importer must fail with a message,
// never crash, trip a sanitizer or run away with memory or time.
//
// Set MLLMC_FUZZ_PRINT_DIAGNOSTICS=1 to print the diagnostics (to see why a
// reproducer is rejected).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool printDiagnostics =
      std::getenv("MLLMC_FUZZ_PRINT_DIAGNOSTICS") != nullptr;

  // A fresh context per input: imported weights become resources of the
  // context that point into the parsed model, which dies with this input.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    if (printDiagnostics)
      llvm::errs() << diag.getLocation() << ": " << diag << "\n";
    return mlir::success();
  });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  // Imported or not, the result is dropped: only the way there is tested.
  mllmc::onnx_frontend::importOnnxModelFromMemory(context, bytes, "fuzz.onnx");
  return 0;
}
