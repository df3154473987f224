//===- mllmc.cpp - The mllmc compiler driver ------------------------------===//
//
//   mllmc MODEL.onnx --target=cpu|cuda|rocm [--gpu-arch=...] -o OUT.mllm
//   mllmc MODEL.onnx --compile-to=import|fusion|linalg|dispatch -o OUT.mlir
//   mllmc MODEL.onnx --load-pass-plugin=LIB.so --add-passes=fusion:PIPELINE
//
// Reads an ONNX model (or `mllm` dialect text), runs the compiler's phases and
// writes an artifact, or the IR after the requested phase. Pass plugins add
// passes that --add-passes can run after a phase.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compiler.h"
#include "compiler/ModelDiagnostics.h"
#include "dialects/mllm/IR/MllmDialect.h"
#include "frontends/onnx/OnnxImporter.h"
#include "passes/Fusion/FusionReport.h"
#include "passes/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mllmc;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory category("mllmc options");

cl::opt<std::string> inputPath(cl::Positional,
                               cl::desc("<model.onnx or mllm .mlir>"),
                               cl::cat(category));
cl::opt<std::string>
    outputPath("o", cl::value_desc("path"),
               cl::desc("Output: the artifact, or with --compile-to the IR "
                        "after that phase ('-' for stdout)"),
               cl::cat(category));
cl::opt<std::string> targetName("target", cl::value_desc("name"),
                                cl::desc("Target: cpu, cuda or rocm"),
                                cl::init("cpu"), cl::cat(category));
cl::opt<std::string> gpuArch(
    "gpu-arch", cl::value_desc("arch"),
    cl::desc("GPU architecture: sm_80..sm_90 for cuda, gfx90a|gfx942|gfx1100 "
             "for rocm"),
    cl::cat(category));
cl::opt<std::string>
    cpuName("cpu", cl::value_desc("name"),
            cl::desc("CPU for --target=cpu: host, or an LLVM CPU name "
                     "(default x86-64, portable)"),
            cl::cat(category));
cl::opt<std::string>
    cudaToolkit("cuda-toolkit", cl::value_desc("dir"),
                cl::desc("CUDA toolkit root (default $CUDA_HOME, else "
                         "/usr/local/cuda)"),
                cl::cat(category));
cl::opt<std::string>
    rocmToolkit("rocm-toolkit", cl::value_desc("dir"),
                cl::desc("ROCm root holding amdgcn/bitcode and llvm/bin/ld.lld "
                         "(default $ROCM_PATH, else Debian's packages)"),
                cl::cat(category));
cl::opt<std::string> compileTo(
    "compile-to", cl::value_desc("phase"),
    cl::desc("Stop after a phase and write its IR: import, fusion, linalg, "
             "dispatch (default end: the artifact)"),
    cl::init("end"), cl::cat(category));
cl::opt<bool> noFusion(
    "no-fusion",
    cl::desc("Skip the fusion passes: attention, norms and projectors lower "
             "op by op (to compare with the fused path)"),
    cl::cat(category));
cl::opt<bool> fusionReport(
    "fusion-report",
    cl::desc("Print to stderr each region the fusion phase raised to an mllm "
             "op, with the ONNX nodes it absorbed, and each near miss with "
             "its reason"),
    cl::cat(category));
cl::list<std::string> bindInputs(
    "bind-input", cl::value_desc("name=v0,v1,..."),
    cl::desc("Fix an ONNX graph input to these values at compile time: for "
             "inputs that set shapes (axes, pads, shape, starts/ends, split "
             "sizes). The artifact no longer takes it as an input"),
    cl::cat(category));
cl::list<std::string> bindDimensions(
    "bind-dim", cl::value_desc("name=size"),
    cl::desc("Give a symbolic dimension of the ONNX graph inputs (e.g. "
             "batch, sequence_length) a size at compile time; the artifact "
             "is planned for that size"),
    cl::cat(category));
cl::list<std::string> passPlugins(
    "load-pass-plugin", cl::value_desc("lib.so"),
    cl::desc("Load an MLIR pass plugin and register its passes, for "
             "--add-passes"),
    cl::cat(category));
cl::list<std::string> addedPasses(
    "add-passes", cl::value_desc("phase:pipeline"),
    cl::desc("Run a textual pass pipeline on the module right after a phase "
             "(fusion, linalg or dispatch), e.g. "
             "--add-passes=fusion:canonicalize; repeatable, run in order"),
    cl::cat(category));
cl::opt<bool> listOnnxOps("list-onnx-ops",
                          cl::desc("Print the supported ONNX ops as a "
                                   "markdown table and exit"),
                          cl::cat(category));

/// Collects every pass manager's timing under one report.
struct Instrumentation {
  DefaultTimingManager timing;
  TimingScope root;

  Instrumentation() {
    applyDefaultTimingManagerCLOptions(timing);
    root = timing.getRootScope();
  }

  LogicalResult configure(PassManager &pm) {
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    pm.enableTiming(root);
    return success();
  }
};
} // namespace

static int fail(const Twine &message) {
  llvm::errs() << "mllmc: error: " << message << "\n";
  return 1;
}

/// Loads every --load-pass-plugin library and registers its passes.
static LogicalResult loadPassPlugins() {
  for (const std::string &path : passPlugins) {
    llvm::Expected<PassPlugin> plugin = PassPlugin::load(path);
    if (!plugin) {
      fail("cannot load pass plugin '" + path +
           "': " + llvm::toString(plugin.takeError()));
      return failure();
    }
    plugin->registerPassRegistryCallbacks();
  }
  return success();
}

/// The --add-passes pipelines, each checked against the registered passes
/// before the model is read.
static FailureOr<std::vector<AddedPipeline>> parseAddedPasses(Phase lastPhase) {
  std::vector<AddedPipeline> added;
  for (const std::string &flag : addedPasses) {
    auto [phaseName, pipeline] = llvm::StringRef(flag).split(':');
    std::string where = "--add-passes=" + flag + ": ";
    std::optional<Phase> phase = parsePhase(phaseName);
    if (!phase || *phase == Phase::Import || *phase == Phase::End) {
      fail(Twine(where) + "unknown phase '" + phaseName +
           "'; use fusion, linalg or dispatch, as in "
           "--add-passes=fusion:canonicalize");
      return failure();
    }
    if (*phase > lastPhase) {
      fail(Twine(where) + "these passes would never run: --compile-to=" +
           compileTo + " stops before the " + phaseName + " phase");
      return failure();
    }
    std::string error;
    llvm::raw_string_ostream errorStream(error);
    OpPassManager pm(ModuleOp::getOperationName());
    if (pipeline.trim().empty() ||
        failed(parsePassPipeline(pipeline, pm, errorStream))) {
      fail(Twine(where) + "not a valid pass pipeline" +
           (error.empty() ? "" : ":\n" + error));
      return failure();
    }
    added.push_back({*phase, pipeline.str()});
  }
  return added;
}

static TargetOptions getTargetOptions(llvm::StringRef target) {
  TargetOptions options;
  if (target == "cpu") {
    options.arch = cpuName;
  } else {
    options.arch = gpuArch;
    options.toolkitPath = target == "cuda" ? cudaToolkit : rocmToolkit;
  }
  return options;
}

/// The output path: the user's, else the input's stem with the right suffix
/// next to it.
static std::string getOutputPath(Phase phase) {
  if (!outputPath.empty())
    return outputPath;
  if (phase != Phase::End)
    return "-";
  llvm::SmallString<128> path(inputPath);
  llvm::sys::path::replace_extension(path, "mllm");
  return std::string(path);
}

static LogicalResult writeText(ModuleOp module, llvm::StringRef path) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output) {
    fail(error);
    return failure();
  }
  module.print(output->os());
  output->os() << "\n";
  output->keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(
      argc, argv,
      "mllmc: ahead-of-time compiler for multimodal LLMs\n\n"
      "  mllmc MODEL.onnx --target=cpu|cuda|rocm [--gpu-arch=ARCH] -o "
      "OUT.mllm\n");

  if (listOnnxOps) {
    onnx_frontend::printSupportedOps(llvm::outs());
    return 0;
  }
  if (inputPath.empty())
    return fail("no input file; usage: mllmc MODEL.onnx -o OUT.mllm (see "
                "--help)");
  std::optional<Phase> phase = parsePhase(compileTo);
  if (!phase)
    return fail("unknown phase '" + compileTo +
                "' for --compile-to; use import, fusion, linalg, dispatch or "
                "end");
  const Target *target = lookupTarget(targetName);
  if (!target)
    return fail("unknown target '" + targetName +
                "'; available targets: " + llvm::join(getTargetNames(), ", "));

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<mllm::MllmDialect>();
  registerAllPasses();
  registerMllmcPasses();
  if (failed(loadPassPlugins()))
    return 1;
  FailureOr<std::vector<AddedPipeline>> addedPipelines =
      parseAddedPasses(*phase);
  if (failed(addedPipelines))
    return 1;
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.printStackTraceOnDiagnostic(false);

  // The model and its weights; `module` points into it.
  std::unique_ptr<onnx_frontend::ImportedModel> model;
  OwningOpRef<ModuleOp> parsed;
  ModuleOp module;
  std::optional<ModelDiagnosticHandler> modelDiagnostics;
  llvm::SourceMgr sourceMgr;
  std::optional<SourceMgrDiagnosticHandler> textDiagnostics;
  if (llvm::StringRef(inputPath).ends_with(".mlir")) {
    if (!bindInputs.empty() || !bindDimensions.empty())
      return fail("--bind-input and --bind-dim apply to ONNX models, not to " +
                  inputPath);
    textDiagnostics.emplace(sourceMgr, &context);
    parsed =
        parseSourceFile<ModuleOp>(inputPath, sourceMgr, ParserConfig(&context));
    if (!parsed)
      return 1;
    module = *parsed;
  } else {
    SmallVector<onnx_frontend::InputBinding> bindings;
    for (const std::string &text : bindInputs) {
      std::string error;
      FailureOr<onnx_frontend::InputBinding> binding =
          onnx_frontend::parseInputBinding(text, error);
      if (failed(binding))
        return fail("--bind-input: " + error);
      bindings.push_back(std::move(*binding));
    }
    SmallVector<onnx_frontend::DimensionBinding> dimensions;
    for (const std::string &text : bindDimensions) {
      std::string error;
      FailureOr<onnx_frontend::DimensionBinding> dimension =
          onnx_frontend::parseDimensionBinding(text, error);
      if (failed(dimension))
        return fail("--bind-dim: " + error);
      dimensions.push_back(std::move(*dimension));
    }
    modelDiagnostics.emplace(&context, llvm::errs());
    model = onnx_frontend::importOnnxModel(context, inputPath, bindings,
                                           dimensions);
    if (!model)
      return 1;
    module = model->getModule();
  }

  FusionReport report;
  if (fusionReport && failed(report.attach(context)))
    return fail("cannot enable the fusion report");

  Instrumentation instrumentation;
  CompileOptions options;
  options.compileTo = *phase;
  options.noFusion = noFusion;
  options.addedPipelines = std::move(*addedPipelines);
  options.targetOptions = getTargetOptions(targetName);
  options.targetOptions.configurePassManager = [&](PassManager &pm) {
    return instrumentation.configure(pm);
  };
  LogicalResult compiled = runPhases(module, *target, options);
  if (fusionReport)
    report.print(llvm::errs(), llvm::sys::path::filename(inputPath));
  if (failed(compiled))
    return 1;
  std::string output = getOutputPath(*phase);
  if (*phase != Phase::End)
    return failed(writeText(module, output)) ? 1 : 0;

  FailureOr<artifact::Artifact> artifact =
      generateArtifact(module, *target, options);
  if (failed(artifact))
    return 1;
  std::string error = artifact::writeArtifact(*artifact, output);
  if (!error.empty())
    return fail(error);
  return 0;
}
