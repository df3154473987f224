//===- OutlineConstants.cpp - Tensor constants become weights -------------===//
//
// Every non-splat tensor `arith.constant` becomes a private
// `ml_program.global` named after the constant's location (the ONNX
// initializer name), read with `ml_program.global_load_const`. Globals are the
// weights: they are written once into the artifact's weight section, never
// cloned into kernels. Splats stay constants: kernels fold them.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/SymbolTable.h"

namespace mllmc {
#define GEN_PASS_DEF_OUTLINECONSTANTS
#include "passes/Passes.h.inc"
} // namespace mllmc

using namespace mlir;

/// A symbol name for a constant: the first non-empty name in its location
/// (outermost first), or "constant", made a bare identifier so that it prints
/// without quotes: other characters become '_', and a name that does not
/// start with a letter or '_' gets a leading '_'.
static std::string getWeightName(Location loc) {
  std::string name = "constant";
  loc->walk([&](Location inner) {
    auto named = dyn_cast<NameLoc>(inner);
    if (!named || named.getName().empty())
      return WalkResult::advance();
    name = named.getName().str();
    return WalkResult::interrupt();
  });
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (!llvm::isAlpha(name.front()) && name.front() != '_')
    name.insert(name.begin(), '_');
  return name;
}

namespace {
struct OutlineConstantsPass
    : mllmc::impl::OutlineConstantsBase<OutlineConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<arith::ConstantOp> constants;
    module.walk([&](arith::ConstantOp constant) {
      auto value = dyn_cast<ElementsAttr>(constant.getValue());
      if (value && isa<RankedTensorType>(constant.getType()) &&
          !value.isSplat())
        constants.push_back(constant);
    });

    OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
    for (arith::ConstantOp constant : constants) {
      auto type = cast<RankedTensorType>(constant.getType());
      auto global = ml_program::GlobalOp::create(
          moduleBuilder, constant.getLoc(), getWeightName(constant.getLoc()),
          type, /*is_mutable=*/false, constant.getValue(),
          moduleBuilder.getStringAttr("private"));
      symbols.insert(global); // Renames on collision.
      OpBuilder builder(constant);
      Value load = ml_program::GlobalLoadConstOp::create(
          builder, constant.getLoc(), type,
          FlatSymbolRefAttr::get(global.getSymNameAttr()));
      constant.replaceAllUsesWith(load);
      constant.erase();
    }
  }
};
} // namespace
