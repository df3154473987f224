//===- PackedWeights.cpp - Matmul weights packed in column panels ---------===//

#include "targets/cpu/PackedWeights.h"
#include "passes/HostProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

#include <cstring>

using namespace mlir;

namespace mllmc::cpu {

/// The indexing maps of a packed matmul with panels of `width` columns.
static SmallVector<AffineMap> getPackedMaps(MLIRContext *context,
                                            int64_t width) {
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  return {AffineMap::get(3, 0, {m, k}, context),
          AffineMap::get(3, 0, {n.floorDiv(width), k, n % width}, context),
          AffineMap::get(3, 0, {m, n}, context)};
}

/// Whether the body of `op` is yield(out + in0 * in1) on f32 (either order
/// of each operation's operands).
static bool hasMultiplyAddBody(linalg::GenericOp op) {
  Block *body = op.getBody();
  if (body->getNumArguments() != 3 ||
      !llvm::all_of(body->getArgumentTypes(),
                    [](Type type) { return type.isF32(); }) ||
      std::distance(body->begin(), body->end()) != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (yield->getNumOperands() != 1 || !add)
    return false;
  auto isPair = [](Value x, Value y, Value p, Value q) {
    return (x == p && y == q) || (x == q && y == p);
  };
  Value out = body->getArgument(2);
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  return mul && isPair(add.getLhs(), add.getRhs(), out, product) &&
         isPair(mul.getLhs(), mul.getRhs(), body->getArgument(0),
                body->getArgument(1));
}

std::optional<int64_t> getPackedMatmulPanelWidth(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() != 3)
    return std::nullopt;
  using utils::IteratorType;
  if (generic.getIteratorTypesArray() !=
      SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                IteratorType::reduction})
    return std::nullopt;
  AffineMap packed = generic.getIndexingMapsArray()[1];
  if (packed.getNumResults() != 3)
    return std::nullopt;
  auto panel = dyn_cast<AffineBinaryOpExpr>(packed.getResult(0));
  if (!panel || panel.getKind() != AffineExprKind::FloorDiv)
    return std::nullopt;
  auto width = dyn_cast<AffineConstantExpr>(panel.getRHS());
  if (!width || width.getValue() <= 0 ||
      generic.getIndexingMapsArray() !=
          getPackedMaps(op->getContext(), width.getValue()) ||
      !hasMultiplyAddBody(generic))
    return std::nullopt;
  return width.getValue();
}

bool isMatmulLike(linalg::LinalgOp op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
         getPackedMatmulPanelWidth(op);
}

namespace {

/// The packed matmul C + A * Bp (see the header) on tensors.
Value createPackedMatmul(OpBuilder &b, Location loc, Value a, Value packed,
                         Value init, int64_t width) {
  using utils::IteratorType;
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{a, packed}, ValueRange{init},
      getPackedMaps(b.getContext(), width),
      {IteratorType::parallel, IteratorType::parallel, IteratorType::reduction},
      [](OpBuilder &b, Location loc, ValueRange args) {
        Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
        Value sum = arith::AddFOp::create(b, loc, args[2], product);
        linalg::YieldOp::create(b, loc, sum);
      });
  return generic.getResult(0);
}

/// The bytes of a weight's value, if it holds them densely.
std::optional<ArrayRef<char>> getDenseBytes(Attribute value) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
    return std::nullopt;
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.isSplat())
    return std::nullopt;
  return dense.getRawData();
}

/// Writes B [K, N] (f32) into `packed` as [ceil(N / width), K, width], zero
/// past column N. B[k, n] lies at `weight` + 4 * (k * rowStride + n *
/// columnStride): row-major, or the rows of a weight stored transposed.
void packPanels(ArrayRef<char> weight, int64_t k, int64_t n, int64_t rowStride,
                int64_t columnStride, int64_t width,
                MutableArrayRef<char> packed) {
  std::memset(packed.data(), 0, packed.size());
  constexpr int64_t f32 = sizeof(float);
  for (int64_t row = 0; row < k; ++row)
    for (int64_t column = 0; column < n; ++column)
      std::memcpy(
          packed.data() +
              (((column / width) * k + row) * width + column % width) * f32,
          weight.data() + (row * rowStride + column * columnStride) * f32, f32);
}

/// Whether `func` (a dispatch) only transposes its one 2-D argument (a
/// weight stored as [N, K], which Gemm with transB = 1 reads transposed).
bool isTransposeDispatch(func::FuncOp func) {
  Block &body = func.front();
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return false;
  auto transpose = cast<func::ReturnOp>(body.getTerminator())
                       .getOperand(0)
                       .getDefiningOp<linalg::TransposeOp>();
  return transpose && transpose.getInput() == body.getArgument(0) &&
         transpose.getPermutation() == ArrayRef<int64_t>{1, 0} &&
         llvm::all_of(body.without_terminator(), [&](Operation &op) {
           return &op == transpose.getOperation() || isa<tensor::EmptyOp>(op);
         });
}

struct PackMatmulWeightsPass
    : public PassWrapper<PackMatmulWeightsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PackMatmulWeightsPass)

  PackMatmulWeightsPass() = default;
  PackMatmulWeightsPass(const PackMatmulWeightsPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const override {
    return "mllmc-cpu-pack-matmul-weights";
  }
  StringRef getDescription() const override {
    return "Stores the weights that dispatches' matmuls read as B in column "
           "panels, and makes those matmuls read the panels";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, linalg::LinalgDialect,
                    ml_program::MLProgramDialect>();
  }

  void runOnOperation() override;

  /// The global holding `weight` (B, or B transposed where `transposed`)
  /// packed, created on first use.
  ml_program::GlobalOp getPackedGlobal(ml_program::GlobalOp weight,
                                       ArrayRef<char> bytes, bool transposed);

  Option<int64_t> panelWidth{*this, "panel-width",
                             llvm::cl::desc("columns of a panel (NR)"),
                             llvm::cl::init(32)};

  std::optional<SymbolTable> symbols;
  llvm::DenseMap<std::pair<Operation *, unsigned>, ml_program::GlobalOp>
      packedGlobals;
};

ml_program::GlobalOp
PackMatmulWeightsPass::getPackedGlobal(ml_program::GlobalOp weight,
                                       ArrayRef<char> bytes, bool transposed) {
  if (ml_program::GlobalOp packed =
          packedGlobals.lookup({weight, unsigned(transposed)}))
    return packed;
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t k = type.getDimSize(transposed ? 1 : 0);
  int64_t n = type.getDimSize(transposed ? 0 : 1);
  int64_t panels = llvm::divideCeil(n, panelWidth);
  auto packedType =
      RankedTensorType::get({panels, k, panelWidth}, type.getElementType());
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
      packedType.getNumElements() * sizeof(float), alignof(float));
  packPanels(bytes, k, n, transposed ? 1 : n, transposed ? k : 1, panelWidth,
             blob.getMutableData());
  std::string name =
      (weight.getSymName() + (transposed ? "_t_panels" : "_panels")).str();
  auto value =
      DenseResourceElementsAttr::get(packedType, name, std::move(blob));
  OpBuilder builder(weight->getNextNode());
  auto packed = ml_program::GlobalOp::create(
      builder, weight.getLoc(), name, packedType, /*is_mutable=*/false, value,
      builder.getStringAttr("private"));
  symbols->insert(packed); // Renames on collision.
  packedGlobals[{weight, unsigned(transposed)}] = packed;
  return packed;
}

void PackMatmulWeightsPass::runOnOperation() {
  ModuleOp module = getOperation();
  symbols.emplace(module);
  packedGlobals.clear();
  SmallVector<func::FuncOp> dispatches;
  for (auto func : module.getOps<func::FuncOp>())
    if (isDispatch(func))
      dispatches.push_back(func);

  for (func::FuncOp dispatch : dispatches) {
    // The one call of the dispatch, which tells where its arguments come
    // from.
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(dispatch, module);
    if (!uses || !llvm::hasSingleElement(*uses))
      continue;
    auto call = dyn_cast<func::CallOp>(uses->begin()->getUser());
    if (!call)
      continue;
    SmallVector<linalg::MatmulOp> matmuls(
        dispatch.front().getOps<linalg::MatmulOp>());
    for (linalg::MatmulOp matmul : matmuls) {
      if (!matmul.hasPureTensorSemantics() ||
          matmul.getIndexingMapsArray() !=
              linalg::MatmulOp::getDefaultIndexingMaps(&getContext()))
        continue;
      Value a = matmul.getDpsInputOperand(0)->get();
      auto b = dyn_cast<BlockArgument>(matmul.getDpsInputOperand(1)->get());
      Value init = matmul.getDpsInitOperand(0)->get();
      auto bType =
          b ? dyn_cast<RankedTensorType>(b.getType()) : RankedTensorType();
      if (!bType || b.getOwner() != &dispatch.front() || !b.hasOneUse() ||
          !bType.hasStaticShape() || !bType.getElementType().isF32() ||
          !getElementTypeOrSelf(a.getType()).isF32() ||
          !getElementTypeOrSelf(init.getType()).isF32())
        continue;
      // A weight, or a weight that a dispatch of its own transposes for
      // this matmul only: its panels are then read from the weight's columns.
      unsigned index = b.getArgNumber();
      Value source = call.getOperand(index);
      auto transpose = source.getDefiningOp<func::CallOp>();
      if (transpose) {
        auto callee = symbols->lookup<func::FuncOp>(transpose.getCallee());
        if (!callee || !isDispatch(callee) || !isTransposeDispatch(callee) ||
            !source.hasOneUse())
          continue;
        source = transpose.getOperand(0);
      }
      auto load = source.getDefiningOp<ml_program::GlobalLoadConstOp>();
      if (!load)
        continue;
      auto weight = symbols->lookup<ml_program::GlobalOp>(
          load.getGlobal().getRootReference());
      if (!weight || weight.getIsMutable() || !weight.getValue())
        continue;
      std::optional<ArrayRef<char>> bytes = getDenseBytes(*weight.getValue());
      if (!bytes || bytes->size() != size_t(bType.getNumElements()) * 4)
        continue;
      ml_program::GlobalOp packed =
          getPackedGlobal(weight, *bytes, transpose != nullptr);
      auto packedType = cast<RankedTensorType>(packed.getType());

      // The host passes the panels ...
      OpBuilder builder(call);
      Value panels = ml_program::GlobalLoadConstOp::create(
          builder, load.getLoc(), packedType,
          FlatSymbolRefAttr::get(packed.getSymNameAttr()));
      call->setOperand(index, panels);
      if (transpose)
        transpose->erase();
      if (load->use_empty())
        load->erase();
      // ... which the dispatch reads.
      b.setType(packedType);
      dispatch.setType(
          builder.getFunctionType(dispatch.front().getArgumentTypes(),
                                  dispatch.getFunctionType().getResults()));
      builder.setInsertionPoint(matmul);
      Value result =
          createPackedMatmul(builder, matmul.getLoc(), a, b, init, panelWidth);
      matmul.getResult(0).replaceAllUsesWith(result);
      matmul->erase();
    }
  }
  // Weights now read only as panels, and the transposes they needed.
  for (auto [key, packed] : packedGlobals)
    if (SymbolTable::symbolKnownUseEmpty(key.first, module))
      symbols->erase(key.first);
  for (func::FuncOp dispatch : dispatches)
    if (SymbolTable::symbolKnownUseEmpty(dispatch, module))
      symbols->erase(dispatch);
}

PassRegistration<PackMatmulWeightsPass> registration;

} // namespace

std::string getPackMatmulWeightsPipeline(int64_t panelWidth) {
  return "mllmc-cpu-pack-matmul-weights{panel-width=" +
         std::to_string(panelWidth) + "}";
}

} // namespace mllmc::cpu
