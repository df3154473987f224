//===- ObjectEmitter.cpp - LLVM dialect to host object code ---------------===//

#include "targets/cpu/ObjectEmitter.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

/// The portable default: every x86-64 CPU runs it.
static constexpr llvm::StringLiteral kPortableCpu = "x86-64";

static const llvm::Target *lookupLLVMTarget(const std::string &triple,
                                            std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  return llvm::TargetRegistry::lookupTarget(llvm::Triple(triple), error);
}

FailureOr<mllmc::cpu::HostCpu>
mllmc::cpu::resolveHostCpu(llvm::StringRef requested, std::string &error) {
  HostCpu cpu;
  cpu.triple = llvm::sys::getDefaultTargetTriple();
  if (requested == "host") {
    cpu.name = llvm::sys::getHostCPUName().str();
    std::string features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (feature.second ? "+" : "-") + feature.first().str() + ",";
    if (!features.empty())
      features.pop_back();
    cpu.features = features;
  } else {
    cpu.name = requested.empty() ? kPortableCpu.str() : requested.str();
  }
  const llvm::Target *target = lookupLLVMTarget(cpu.triple, error);
  if (!target)
    return failure();
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(llvm::Triple(cpu.triple), cpu.name,
                                    cpu.features));
  if (!subtarget || !subtarget->isCPUStringValid(cpu.name)) {
    error = "unknown CPU '" + cpu.name + "' for " + cpu.triple +
            " (use 'host', or an LLVM CPU name such as x86-64, x86-64-v3, "
            "x86-64-v4, skylake-avx512)";
    return failure();
  }
  cpu.vectorWidth = subtarget->checkFeatures("+avx512f") ? 16
                    : subtarget->checkFeatures("+avx")   ? 8
                                                         : 4;
  return cpu;
}

FailureOr<std::vector<uint8_t>> mllmc::cpu::emitObject(ModuleOp module,
                                                       const HostCpu &cpu) {
  std::string error;
  const llvm::Target *target = lookupLLVMTarget(cpu.triple, error);
  if (!target)
    return module.emitError()
           << "cannot generate code for " << cpu.triple << ": " << error;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      llvm::Triple(cpu.triple), cpu.name, cpu.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "mllmc_kernels");
  if (!llvmModule)
    return module.emitError() << "cannot translate the kernels to LLVM IR";
  llvmModule->setTargetTriple(llvm::Triple(cpu.triple));
  llvmModule->setDataLayout(machine->createDataLayout());

  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(err));

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError()
           << "the " << cpu.triple << " backend cannot emit object files";
  codegen.run(*llvmModule);
  return std::vector<uint8_t>(buffer.begin(), buffer.end());
}
