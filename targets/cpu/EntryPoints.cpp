//===- EntryPoints.cpp - CPU kernel entry points --------------------------===//

#include "targets/cpu/EntryPoints.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

void mllmc::cpu::addEntryPointWrappers(ModuleOp module) {
  MLIRContext *context = module.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(context);
  auto i32Type = IntegerType::get(context, 32);
  auto voidType = LLVM::LLVMVoidType::get(context);

  SmallVector<LLVM::LLVMFuncOp> dispatches;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal() && func.getLinkage() == LLVM::Linkage::External)
      dispatches.push_back(func);

  OpBuilder builder(context);
  for (LLVM::LLVMFuncOp impl : dispatches) {
    std::string name = impl.getName().str();
    impl.setName(name + ".impl");
    impl.setLinkage(LLVM::Linkage::Internal);

    builder.setInsertionPointAfter(impl);
    Location loc = impl.getLoc();
    auto entryType = LLVM::LLVMFunctionType::get(
        voidType, {ptrType, i32Type, i32Type, i32Type});
    auto entry = LLVM::LLVMFuncOp::create(builder, loc, name, entryType);
    Block *body = entry.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);

    Value bindings = body->getArgument(0);
    ArrayRef<Type> params = impl.getFunctionType().getParams();
    SmallVector<Value> arguments;
    // Pointers take the first slots, in order; integers the slots after.
    int32_t pointers = llvm::count_if(params.drop_back(), [](Type type) {
      return isa<LLVM::LLVMPointerType>(type);
    });
    int32_t nextPointer = 0, nextInteger = pointers;
    for (Type type : params.drop_back()) {
      int32_t index =
          isa<LLVM::LLVMPointerType>(type) ? nextPointer++ : nextInteger++;
      Value slot = LLVM::GEPOp::create(builder, loc, ptrType, ptrType, bindings,
                                       ArrayRef<LLVM::GEPArg>{index});
      arguments.push_back(LLVM::LoadOp::create(builder, loc, type, slot));
    }
    // The workgroup id, widened to the index type.
    arguments.push_back(LLVM::ZExtOp::create(builder, loc, params.back(),
                                             body->getArgument(1)));
    LLVM::CallOp::create(builder, loc, impl, arguments);
    LLVM::ReturnOp::create(builder, loc, ValueRange{});
  }
}
