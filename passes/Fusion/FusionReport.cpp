//===- FusionReport.cpp - What fusion did, and why it did not -------------===//

#include "passes/Fusion/FusionReport.h"

#include "mlir/IR/Remarks.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace mlir;
using namespace mllmc;

Location mllmc::getFusedLoc(ArrayRef<Operation *> ops) {
  assert(!ops.empty() && "a fused op replaces at least one op");
  SmallVector<Location> locs =
      llvm::map_to_vector(ops, [](Operation *op) { return op->getLoc(); });
  return FusedLoc::get(ops.front()->getContext(), locs);
}

static void collectNodeNames(Location loc, llvm::SetVector<StringRef> &names) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    names.insert(name.getName().getValue());
    return;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations())
      collectNodeNames(inner, names);
    return;
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    collectNodeNames(callSite.getCallee(), names);
}

SmallVector<std::string> mllmc::getNodeNames(Location loc) {
  llvm::SetVector<StringRef> names;
  collectNodeNames(loc, names);
  return llvm::map_to_vector(names, [](StringRef n) { return n.str(); });
}

/// The name of the function holding `op`, or "" outside of one.
static StringRef getFunctionName(Operation *op) {
  auto func = op->getParentOfType<FunctionOpInterface>();
  return func ? func.getName() : StringRef();
}

void mllmc::reportFused(Operation *fusedOp, StringRef pass, StringRef pattern) {
  remark::passed(fusedOp->getLoc(),
                 remark::RemarkOpts::name(pattern).category(pass).function(
                     getFunctionName(fusedOp)))
      << remark::detail::Remark::Arg("Op", fusedOp->getName().getStringRef());
}

LogicalResult mllmc::reportNearMiss(PatternRewriter &rewriter, Operation *op,
                                    StringRef pass, StringRef pattern,
                                    const Twine &reason) {
  std::string text = reason.str();
  remark::missed(op->getLoc(),
                 remark::RemarkOpts::name(pattern).category(pass).function(
                     getFunctionName(op)))
      << remark::detail::Remark::Arg("Reason", text);
  return rewriter.notifyMatchFailure(
      op, [&](Diagnostic &diag) { diag << pattern << ": " << text; });
}

//===----------------------------------------------------------------------===//
// FusionReport
//===----------------------------------------------------------------------===//

namespace {
/// Streams the fusion remarks of a context into a FusionReport.
class FusionRemarkCollector : public remark::detail::MLIRRemarkStreamerBase {
public:
  explicit FusionRemarkCollector(FusionReport &report) : report(report) {}

  void streamOptimizationRemark(const remark::detail::Remark &remark) override {
    llvm::remarks::Type type = remark.getRemarkType();
    if (type != llvm::remarks::Type::Passed &&
        type != llvm::remarks::Type::Missed)
      return;
    FusionReport::Entry entry;
    entry.function = remark.getFunction().str();
    entry.pass = remark.getCategoryName().str();
    entry.pattern = remark.getRemarkName().str();
    entry.nodes = getNodeNames(remark.getLocation());
    for (const remark::detail::Remark::Arg &arg : remark.getArgs()) {
      if (arg.key == "Op")
        entry.opName = arg.val;
      else if (arg.key == "Reason")
        entry.reason = arg.val;
    }
    // A remark of the wrong shape is not a fusion remark.
    if ((type == llvm::remarks::Type::Passed) == entry.opName.empty())
      return;
    report.add(std::move(entry));
  }

private:
  FusionReport &report;
};
} // namespace

LogicalResult FusionReport::attach(MLIRContext &context) {
  remark::RemarkCategories categories;
  categories.passed = "mllm-fuse-.*";
  categories.missed = "mllm-fuse-.*";
  return remark::enableOptimizationRemarks(
      context, std::make_unique<FusionRemarkCollector>(*this),
      std::make_unique<remark::RemarkEmittingPolicyAll>(), categories);
}

void FusionReport::add(Entry entry) {
  std::lock_guard<std::mutex> lock(mutex);
  entries.push_back(std::move(entry));
}

/// Whether every node of `inner` is one of `outer`'s.
static bool isAbsorbedBy(const FusionReport::Entry &inner,
                         const FusionReport::Entry &outer) {
  if (inner.function != outer.function || inner.nodes.empty())
    return false;
  return llvm::all_of(inner.nodes, [&](const std::string &node) {
    return llvm::is_contained(outer.nodes, node);
  });
}

static bool isBefore(const FusionReport::Entry &a,
                     const FusionReport::Entry &b) {
  return std::tie(a.function, a.nodes, a.pattern, a.reason) <
         std::tie(b.function, b.nodes, b.pattern, b.reason);
}

std::vector<FusionReport::Entry> FusionReport::getFused() const {
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<Entry> fused;
  for (auto [i, entry] : llvm::enumerate(entries)) {
    if (entry.opName.empty())
      continue;
    // Kept unless a later region absorbed it, or a region that is strictly
    // larger (function passes interleave their remarks).
    bool absorbed = false;
    for (auto [j, other] : llvm::enumerate(entries)) {
      if (i == j || other.opName.empty() || !isAbsorbedBy(entry, other))
        continue;
      if (j > i || other.nodes.size() > entry.nodes.size())
        absorbed = true;
    }
    if (!absorbed)
      fused.push_back(entry);
  }
  llvm::sort(fused, isBefore);
  return fused;
}

std::vector<FusionReport::Entry> FusionReport::getNearMisses() const {
  std::vector<Entry> fused = getFused();
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<Entry> misses;
  llvm::StringSet<> seen;
  for (const Entry &entry : entries) {
    if (!entry.opName.empty())
      continue;
    if (llvm::any_of(fused, [&](const Entry &region) {
          return isAbsorbedBy(entry, region);
        }))
      continue;
    std::string key = entry.function + "\n" + entry.pass + "\n" +
                      entry.pattern + "\n" + entry.reason + "\n" +
                      llvm::join(entry.nodes, "\n");
    if (seen.insert(key).second)
      misses.push_back(entry);
  }
  llvm::sort(misses, isBefore);
  return misses;
}

static void printNodes(llvm::raw_ostream &os, ArrayRef<std::string> nodes) {
  if (nodes.empty()) {
    os << "(no ONNX node names)";
    return;
  }
  llvm::interleaveComma(nodes, os);
}

void FusionReport::print(llvm::raw_ostream &os, StringRef modelName) const {
  std::vector<Entry> fused = getFused();
  std::vector<Entry> misses = getNearMisses();
  os << "fusion report for " << modelName << ": " << fused.size()
     << " fused region" << (fused.size() == 1 ? "" : "s") << ", "
     << misses.size() << " near miss" << (misses.size() == 1 ? "" : "es")
     << "\n";
  llvm::SmallVector<std::string> functions;
  for (const std::vector<Entry> *list : {&fused, &misses})
    for (const Entry &entry : *list)
      if (!llvm::is_contained(functions, entry.function))
        functions.push_back(entry.function);
  llvm::sort(functions);
  for (const std::string &function : functions) {
    os << "@" << function << ":\n";
    for (const Entry &entry : fused) {
      if (entry.function != function)
        continue;
      os << "  fused " << entry.opName << " (" << entry.pass << ", "
         << entry.pattern << ") from " << entry.nodes.size() << " node"
         << (entry.nodes.size() == 1 ? "" : "s") << ": ";
      printNodes(os, entry.nodes);
      os << "\n";
    }
    for (const Entry &entry : misses) {
      if (entry.function != function)
        continue;
      os << "  near miss (" << entry.pass << ", " << entry.pattern << ") at ";
      printNodes(os, entry.nodes);
      os << ": " << entry.reason << "\n";
    }
  }
}
