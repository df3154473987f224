//===- RuntimeSizes.cpp - Dispatch shapes known at run time ---------------===//

#include "targets/cpu/RuntimeSizes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

FailureOr<mllmc::KernelLaunch> mllmc::cpu::passRuntimeSizes(func::FuncOp func) {
  KernelLaunch launch;
  launch.entryPoint = func.getName().str();
  Block &body = func.front();
  unsigned count = func.getNumArguments();
  SmallVector<KernelLaunch::SizeArgument> dims;
  OpBuilder builder = OpBuilder::atBlockBegin(&body);
  for (unsigned i = 0; i < count; ++i) {
    BlockArgument argument = body.getArgument(i);
    Type type = argument.getType();
    if (type.isIndex()) {
      launch.sizes.push_back({i, -1});
      continue;
    }
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref)
      return func.emitError() << "dispatch argument " << i << " has type "
                              << type << ", which no kernel parameter takes";
    launch.arguments.push_back(i);
    if (memref.hasStaticShape())
      continue;
    if (!memref.getLayout().isIdentity())
      return func.emitError() << "dispatch argument " << i << " of type "
                              << type << " has a layout";
    Location loc = argument.getLoc();
    SmallVector<OpFoldResult> sizes;
    for (auto [axis, size] : llvm::enumerate(memref.getShape())) {
      if (!ShapedType::isDynamic(size)) {
        sizes.push_back(builder.getIndexAttr(size));
        continue;
      }
      sizes.push_back(body.addArgument(builder.getIndexType(), loc));
      dims.push_back({i, int(axis)});
    }
    // Row-major strides of the identity layout.
    SmallVector<OpFoldResult> strides(sizes.size(), builder.getIndexAttr(1));
    for (int axis = int(sizes.size()) - 2; axis >= 0; --axis) {
      std::optional<int64_t> next = getConstantIntValue(strides[axis + 1]);
      std::optional<int64_t> size = getConstantIntValue(sizes[axis + 1]);
      if (next && size) {
        strides[axis] = builder.getIndexAttr(*next * *size);
        continue;
      }
      strides[axis] =
          arith::MulIOp::create(
              builder, loc,
              getValueOrCreateConstantIndexOp(builder, loc, strides[axis + 1]),
              getValueOrCreateConstantIndexOp(builder, loc, sizes[axis + 1]))
              .getResult();
    }
    auto view = memref::ReinterpretCastOp::create(
        builder, loc, memref, argument, builder.getIndexAttr(0), sizes,
        strides);
    argument.replaceAllUsesExcept(view.getResult(), view);
    argument.setType(MemRefType::get({}, memref.getElementType()));
  }
  llvm::append_range(launch.sizes, dims);
  SmallVector<Type> inputs(body.getArgumentTypes());
  func.setType(
      FunctionType::get(func.getContext(), inputs, func.getResultTypes()));
  return launch;
}
