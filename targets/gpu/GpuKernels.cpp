//===- GpuKernels.cpp - Dispatch functions to GPU kernels -----------------===//

#include "targets/gpu/GpuKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

#include <numeric>

using namespace mlir;

/// A lowering's own parallel loop at the top of a dispatch (an scf.forall,
/// such as flash attention's over batch x heads x query tiles) becomes a
/// parallel loop, one thread per iteration, which runs the linalg ops inside
/// it as sequential loops.
static LogicalResult convertForalls(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  SmallVector<scf::ForallOp> foralls(
      func.getBody().front().getOps<scf::ForallOp>());
  for (scf::ForallOp forall : foralls) {
    SmallVector<linalg::LinalgOp> ops;
    forall.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      if (failed(linalg::linalgOpToLoops(rewriter, op)))
        return op.emitError() << "cannot lower this op to loops in a thread";
      rewriter.eraseOp(op);
    }
    if (failed(scf::forallToParallelLoop(rewriter, forall)))
      return forall.emitError() << "cannot map this loop onto GPU threads";
  }
  return success();
}

/// Moves every run of top-level operations that is not a parallel loop or a
/// kernel launch already (a
/// reduction to a scalar, a zero-dimensional op) into a one-iteration
/// parallel loop placed after the run, so that it runs as a one-thread kernel.
/// Operations free of memory effects that do not depend on the run (views,
/// constants, index arithmetic) stay on the host, where kernels capture them.
static void wrapSerialCode(func::FuncOp func) {
  Block &body = func.getBody().front();
  SmallVector<SmallVector<Operation *>> runs(1);
  llvm::SmallPtrSet<Operation *, 16> inRun;
  for (Operation &op : body.without_terminator()) {
    if (isa<scf::ParallelOp, mlir::gpu::LaunchOp>(op)) {
      if (!runs.back().empty())
        runs.emplace_back();
      inRun.clear();
      continue;
    }
    bool usesRun = llvm::any_of(op.getOperands(), [&](Value operand) {
      return inRun.contains(operand.getDefiningOp());
    });
    if (isMemoryEffectFree(&op) && !usesRun)
      continue;
    runs.back().push_back(&op);
    inRun.insert(&op);
  }
  for (ArrayRef<Operation *> run : runs) {
    if (run.empty())
      continue;
    OpBuilder builder(run.front()->getContext());
    builder.setInsertionPointAfter(run.back());
    Location loc = run.front()->getLoc();
    Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
    Value one = arith::ConstantIndexOp::create(builder, loc, 1);
    auto loop = scf::ParallelOp::create(builder, loc, zero, one, one);
    Operation *yield = loop.getBody()->getTerminator();
    for (Operation *op : run)
      op->moveBefore(yield);
  }
}

/// Collapses a parallel loop nest into one dimension: the innermost
/// (contiguous) dimension varies fastest, so neighbouring threads touch
/// neighbouring elements.
static void linearize(scf::ParallelOp loop) {
  unsigned rank = loop.getNumLoops();
  if (rank < 2)
    return;
  std::vector<unsigned> all(rank);
  std::iota(all.begin(), all.end(), 0);
  IRRewriter rewriter(loop);
  collapseParallelLoops(rewriter, loop, {all});
}

/// Splits a one-dimensional parallel loop into blocks of kThreadsPerBlock
/// threads (guarded, so every block has the same size) and marks the loops
/// for block and thread ids.
static LogicalResult mapToBlocksAndThreads(scf::ParallelOp loop) {
  MLIRContext *context = loop.getContext();
  auto [blocks, threads] =
      scf::tileParallelLoop(loop, {mllmc::gpu::kThreadsPerBlock},
                            /*noMinMaxBounds=*/true);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, context);
  auto mapTo = [&](scf::ParallelOp op, mlir::gpu::Processor processor) {
    return mlir::gpu::setMappingAttr(
        op, {mlir::gpu::ParallelLoopDimMappingAttr::get(context, processor,
                                                        identity, identity)});
  };
  if (failed(mapTo(blocks, mlir::gpu::Processor::BlockX)) ||
      failed(mapTo(threads, mlir::gpu::Processor::ThreadX)))
    return loop.emitError() << "cannot map this loop nest onto the GPU";
  return success();
}

static SmallVector<scf::ParallelOp> getTopLevelLoops(func::FuncOp func) {
  return llvm::to_vector(func.getBody().front().getOps<scf::ParallelOp>());
}

/// Clones into `launch` every operation free of memory effects (views,
/// constants, index arithmetic) whose result the kernel uses, transitively,
/// so that kernels take the dispatch's buffers themselves, not views of them.
static void sinkPureOperations(mlir::gpu::LaunchOp launch) {
  Region &body = launch.getBody();
  OpBuilder builder = OpBuilder::atBlockBegin(&body.front());
  bool changed = true;
  while (changed) {
    changed = false;
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(body, captured);
    for (Value value : captured) {
      Operation *producer = value.getDefiningOp();
      if (!producer || !isMemoryEffectFree(producer) ||
          producer->getNumRegions() != 0)
        continue;
      Operation *clone = builder.clone(*producer);
      for (auto [original, sunk] :
           llvm::zip(producer->getResults(), clone->getResults()))
        replaceAllUsesInRegionWith(original, sunk, body);
      changed = true;
    }
  }
}

/// Moves a thread's stack tiles (static allocas, such as flash attention's)
/// to the top of its kernel, in private memory: an alloca further down is a
/// dynamic stack allocation, which the AMDGPU backend cannot select (and
/// NVPTX makes slow), and the stack of a GPU thread is its private address
/// space. A cast to the default space keeps every use as it is.
static void hoistAllocasToKernelEntry(mlir::gpu::LaunchOp launch) {
  Block &entry = launch.getBody().front();
  SmallVector<memref::AllocaOp> allocas;
  launch.getBody().walk([&](memref::AllocaOp alloca) {
    if (alloca.getDynamicSizes().empty() &&
        alloca.getSymbolOperands().empty() &&
        !alloca.getType().getMemorySpace())
      allocas.push_back(alloca);
  });
  auto privateSpace = mlir::gpu::AddressSpaceAttr::get(
      launch.getContext(), mlir::gpu::AddressSpace::Private);
  OpBuilder builder = OpBuilder::atBlockBegin(&entry);
  for (memref::AllocaOp alloca : allocas) {
    MemRefType type = alloca.getType();
    auto privateType = MemRefType::get(type.getShape(), type.getElementType(),
                                       type.getLayout(), privateSpace);
    Value buffer = memref::AllocaOp::create(
        builder, alloca.getLoc(), privateType, alloca.getAlignmentAttr());
    Value cast = memref::MemorySpaceCastOp::create(builder, alloca.getLoc(),
                                                   type, buffer);
    alloca.replaceAllUsesWith(cast);
    alloca.erase();
  }
}

/// Moves every outlined kernel into one module, named after its own module
/// (unique), so the whole program is one binary.
static void gatherKernels(ModuleOp module) {
  OpBuilder builder(module.getBodyRegion());
  auto kernels = mlir::gpu::GPUModuleOp::create(builder, module.getLoc(),
                                                mllmc::gpu::kKernelModuleName);
  SmallVector<mlir::gpu::GPUModuleOp> outlined;
  for (auto gpuModule : module.getOps<mlir::gpu::GPUModuleOp>())
    if (gpuModule != kernels)
      outlined.push_back(gpuModule);
  for (mlir::gpu::GPUModuleOp gpuModule : outlined) {
    for (auto kernel :
         llvm::make_early_inc_range(gpuModule.getOps<mlir::gpu::GPUFuncOp>())) {
      kernel.setName(gpuModule.getName());
      kernel->moveBefore(kernels.getBody(), kernels.getBody()->end());
    }
  }
  module.walk([&](mlir::gpu::LaunchFuncOp launch) {
    launch.setKernelAttr(SymbolRefAttr::get(
        builder.getStringAttr(mllmc::gpu::kKernelModuleName),
        {FlatSymbolRefAttr::get(launch.getKernelModuleName())}));
  });
  for (mlir::gpu::GPUModuleOp gpuModule : outlined)
    gpuModule.erase();
  if (kernels.getBody()->empty())
    kernels.erase();
}

/// After outlining, a dispatch function may only launch kernels: any other
/// work left on the host would never run.
static LogicalResult verifyHostCode(ModuleOp module) {
  WalkResult result = module.walk([](func::FuncOp func) {
    for (Operation &op : func.getBody().front()) {
      if (isa<mlir::gpu::LaunchFuncOp, func::ReturnOp>(op) ||
          isMemoryEffectFree(&op))
        continue;
      op.emitError() << "'" << op.getName()
                     << "' would run on the host between GPU kernels; it "
                        "has no GPU lowering yet";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult mllmc::gpu::formKernels(ModuleOp module,
                                      const TargetOptions &options) {
  module.getContext()->getOrLoadDialect<mlir::gpu::GPUDialect>();
  for (auto func : module.getOps<func::FuncOp>()) {
    lowerAttentionKernels(func);
    if (failed(convertForalls(func)))
      return failure();
  }
  if (failed(runPipeline(module,
                         "func.func(convert-linalg-to-parallel-loops, "
                         "canonicalize, cse)",
                         options)))
    return failure();

  for (auto func : module.getOps<func::FuncOp>()) {
    wrapSerialCode(func);
    for (scf::ParallelOp loop : getTopLevelLoops(func))
      linearize(loop);
    for (scf::ParallelOp loop : getTopLevelLoops(func))
      if (failed(mapToBlocksAndThreads(loop)))
        return failure();
  }

  if (failed(runPipeline(module,
                         "func.func(convert-parallel-loops-to-gpu), "
                         "lower-affine, canonicalize, cse",
                         options)))
    return failure();
  module.walk(sinkPureOperations);
  module.walk(hoistAllocasToKernelEntry);
  if (failed(runPipeline(module, "gpu-kernel-outlining", options)))
    return failure();

  gatherKernels(module);
  return verifyHostCode(module);
}

static FailureOr<uint32_t> getConstantSize(mlir::gpu::LaunchFuncOp launch,
                                           Value size, llvm::StringRef what) {
  if (!size)
    return 0u;
  IntegerAttr attr;
  if (!matchPattern(size, m_Constant(&attr)))
    return launch.emitError() << "the " << what
                              << " of this kernel is not a constant; dynamic "
                                 "shapes are not supported on GPUs yet";
  return static_cast<uint32_t>(attr.getInt());
}

FailureOr<mllmc::TargetExecutable>
mllmc::gpu::collectExecutable(ModuleOp module, artifact::KernelFormat format,
                              llvm::StringRef arch) {
  TargetExecutable executable;
  executable.format = format;
  executable.arch = arch.str();

  for (auto binary : module.getOps<mlir::gpu::BinaryOp>()) {
    auto object = cast<mlir::gpu::ObjectAttr>(binary.getObjects()[0]);
    llvm::StringRef bytes = object.getObject().getValue();
    executable.binary.assign(bytes.begin(), bytes.end());
  }

  for (auto func : module.getOps<func::FuncOp>()) {
    std::vector<KernelLaunch> &launches = executable.launches[func.getName()];
    WalkResult walk = func.walk([&](mlir::gpu::LaunchFuncOp op) {
      KernelLaunch launch;
      launch.entryPoint = op.getKernelName().str();
      mlir::gpu::KernelDim3 grid = op.getGridSizeOperandValues();
      mlir::gpu::KernelDim3 block = op.getBlockSizeOperandValues();
      Value sizes[] = {grid.x, grid.y, grid.z, block.x, block.y, block.z};
      for (auto [i, size] : llvm::enumerate(sizes)) {
        FailureOr<uint32_t> value =
            getConstantSize(op, size, i < 3 ? "grid size" : "block size");
        if (failed(value))
          return WalkResult::interrupt();
        (i < 3 ? launch.workgroupCount[i] : launch.workgroupSize[i - 3]) =
            *value;
      }
      FailureOr<uint32_t> shared = getConstantSize(
          op, op.getDynamicSharedMemorySize(), "shared memory size");
      if (failed(shared))
        return WalkResult::interrupt();
      launch.sharedMemoryBytes = *shared;
      for (Value operand : op.getKernelOperands()) {
        auto argument = dyn_cast<BlockArgument>(operand);
        if (!argument || argument.getOwner()->getParentOp() != func) {
          op.emitError() << "kernel operand is not a dispatch buffer; "
                            "temporary buffers inside a dispatch are not "
                            "supported on GPUs yet";
          return WalkResult::interrupt();
        }
        launch.arguments.push_back(argument.getArgNumber());
      }
      launches.push_back(std::move(launch));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
  }
  return executable;
}
