//===- ModelDiagnostics.cpp - Diagnostics that name model nodes -----------===//

#include "compiler/ModelDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

using namespace mlir;

static llvm::StringRef getSeverityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  llvm_unreachable("unknown severity");
}

static void printLocation(Location loc, llvm::raw_ostream &os) {
  std::string file, node;
  loc->walk([&](Location inner) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner); fileLoc && file.empty())
      file = fileLoc.getFilename().str();
    if (auto name = dyn_cast<NameLoc>(inner); name && node.empty())
      node = name.getName().str();
    return WalkResult::advance();
  });
  if (!file.empty())
    os << file << ": ";
  if (!node.empty())
    os << "node '" << node << "': ";
}

static void printDiagnostic(Diagnostic &diagnostic, llvm::raw_ostream &os) {
  printLocation(diagnostic.getLocation(), os);
  os << getSeverityName(diagnostic.getSeverity()) << ": " << diagnostic << "\n";
  for (Diagnostic &note : diagnostic.getNotes())
    printDiagnostic(note, os);
}

mllmc::ModelDiagnosticHandler::ModelDiagnosticHandler(MLIRContext *context,
                                                      llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(context) {
  setHandler([&os](Diagnostic &diagnostic) {
    printDiagnostic(diagnostic, os);
    os.flush();
  });
}
