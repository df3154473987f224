//===- SizePrograms.h - Run-time sizes of a function ------------*- C++ -*-===//
//
// A function compiled for symbolic dimensions (schema 1.2) carries a table
// of symbols, each read from dims of its inputs, and small integer programs
// for everything that depends on them: buffer offsets and sizes, the arena
// size, output dims, the dims a kernel's loops run to. The runtime knows no
// ops; it binds the symbols from the shapes it is given and evaluates the
// programs, nothing more.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_SIZEPROGRAMS_H
#define MLLM_RUNTIME_CORE_SIZEPROGRAMS_H

#include "compiler/artifact/Artifact_generated.h"
#include "runtime/core/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mllm::runtime {

namespace fb = mllmc::artifact::fb;

/// Checks that every program of `function` is well formed: each instruction
/// finds its operands on the stack, a program leaves exactly one value,
/// Symbol names a symbol, Size an earlier program. `where` prefixes messages.
Status checkSizePrograms(const fb::Function &function,
                         const std::string &where);

/// Evaluates the programs of `function` in order into `values` (resized;
/// reusing it across calls allocates nothing), with `symbols` the extents of
/// Function.symbols. Fails on overflow, division by zero and negative
/// results, naming the program.
Status evaluateSizePrograms(const fb::Function &function,
                            const std::vector<int64_t> &symbols,
                            std::vector<int64_t> &values,
                            std::vector<int64_t> &stack);

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_SIZEPROGRAMS_H
