//===- CpuCodegen.cpp - Bufferized linalg to vector code ------------------===//

#include "targets/cpu/CpuCodegen.h"
#include "targets/cpu/MatmulKernel.h"
#include "targets/cpu/Vectorization.h"
#include "targets/cpu/Workgroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace mllmc::cpu {
namespace {

struct CpuCodegenPass
    : public PassWrapper<CpuCodegenPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CpuCodegenPass)

  CpuCodegenPass() = default;
  CpuCodegenPass(const CpuCodegenPass &other) : PassWrapper(other) {}

  StringRef getArgument() const override { return "mllmc-cpu-codegen"; }
  StringRef getDescription() const override {
    return "Splits a bufferized dispatch function into workgroups, tiles and "
           "vectorizes its linalg ops for the CPU";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, arith::ArithDialect,
                    memref::MemRefDialect, scf::SCFDialect,
                    vector::VectorDialect>();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    MatmulTiles tiles = chooseMatmulTiles(vectorWidth);
    unsigned count = distributeToWorkgroups(rewriter, func, tiles);
    func->setAttr(kWorkgroupCountAttr, rewriter.getI64IntegerAttr(count));

    SmallVector<linalg::LinalgOp> matmuls;
    func.walk([&](linalg::LinalgOp op) {
      if (isKernelMatmul(op, tiles))
        matmuls.push_back(op);
    });
    for (linalg::LinalgOp op : matmuls)
      emitMatmulKernel(rewriter, op, getRegisterEpilogue(op), tiles);
    vectorizeLinalgOps(rewriter, func, 2 * vectorWidth);
    if (failed(lowerVectorOps(func)))
      return signalPassFailure();
  }

  Option<unsigned> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of the target's vector registers"),
      llvm::cl::init(16)};
};

PassRegistration<CpuCodegenPass> registration;

} // namespace

std::string getCodegenPipeline(unsigned vectorWidth) {
  return "func.func(mllmc-cpu-codegen{vector-width=" +
         std::to_string(vectorWidth) + "}, canonicalize, cse)";
}

} // namespace mllmc::cpu
