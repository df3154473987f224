//===- SizePrograms.cpp - Run-time sizes of a function --------------------===//

#include "runtime/core/SizePrograms.h"

namespace mllm::runtime {

namespace {

using fb::SizeOpcode;

bool isBinary(SizeOpcode opcode) {
  return opcode >= SizeOpcode::Add && opcode <= SizeOpcode::Min;
}

/// floor(a / b) and ceil(a / b) for b > 0 (C++ division truncates).
int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && (a < 0));
}
int64_t ceilDiv(int64_t a, int64_t b) {
  return a / b + ((a % b != 0) && (a > 0));
}

/// Applies a binary opcode; false on overflow or division by zero.
bool apply(SizeOpcode opcode, int64_t a, int64_t b, int64_t &result) {
  switch (opcode) {
  case SizeOpcode::Add:
    return !__builtin_add_overflow(a, b, &result);
  case SizeOpcode::Mul:
    return !__builtin_mul_overflow(a, b, &result);
  case SizeOpcode::FloorDiv:
  case SizeOpcode::CeilDiv:
    if (b <= 0)
      return false;
    result = opcode == SizeOpcode::FloorDiv ? floorDiv(a, b) : ceilDiv(a, b);
    return true;
  case SizeOpcode::Max:
    result = a > b ? a : b;
    return true;
  case SizeOpcode::Min:
    result = a < b ? a : b;
    return true;
  default:
    return false;
  }
}

} // namespace

Status checkSizePrograms(const fb::Function &function,
                         const std::string &where) {
  uint32_t symbols = function.symbols() ? function.symbols()->size() : 0;
  uint32_t programs = function.sizes() ? function.sizes()->size() : 0;
  for (uint32_t index = 0; index < programs; ++index) {
    std::string program = where + ": size program " + std::to_string(index);
    const fb::SizeProgram *sizeProgram = function.sizes()->Get(index);
    if (!sizeProgram->code() || sizeProgram->code()->size() == 0)
      return Status::error(program + " is empty");
    // The flatbuffers verifier does not check the alignment of structs.
    if (reinterpret_cast<uintptr_t>(sizeProgram->code()->Data()) %
            alignof(fb::SizeInstruction) !=
        0)
      return Status::error(program + " is misaligned");
    uint32_t depth = 0;
    for (const fb::SizeInstruction *instruction : *sizeProgram->code()) {
      SizeOpcode opcode = instruction->opcode();
      int64_t operand = instruction->operand();
      if (opcode == SizeOpcode::Symbol &&
          (operand < 0 || operand >= int64_t(symbols)))
        return Status::error(
            program + " reads symbol " + std::to_string(operand) +
            ", but the function has " + std::to_string(symbols));
      if (opcode == SizeOpcode::Size && (operand < 0 || operand >= index))
        return Status::error(program + " reads size program " +
                             std::to_string(operand) +
                             ", which is not an earlier one");
      if (opcode > SizeOpcode::MAX)
        return Status::error(program + " has an unknown instruction (" +
                             std::to_string(static_cast<int>(opcode)) +
                             "); use a newer mllmc runtime");
      if (isBinary(opcode)) {
        if (depth < 2)
          return Status::error(program + " runs out of operands");
        --depth;
      } else {
        ++depth;
      }
    }
    if (depth != 1)
      return Status::error(program + " leaves " + std::to_string(depth) +
                           " values instead of one");
  }
  return {};
}

Status evaluateSizePrograms(const fb::Function &function,
                            const std::vector<int64_t> &symbols,
                            std::vector<int64_t> &values,
                            std::vector<int64_t> &stack) {
  uint32_t programs = function.sizes() ? function.sizes()->size() : 0;
  values.resize(programs);
  for (uint32_t index = 0; index < programs; ++index) {
    stack.clear();
    for (const fb::SizeInstruction *instruction :
         *function.sizes()->Get(index)->code()) {
      int64_t operand = instruction->operand();
      switch (SizeOpcode opcode = instruction->opcode()) {
      case SizeOpcode::Constant:
        stack.push_back(operand);
        break;
      case SizeOpcode::Symbol:
        stack.push_back(symbols.at(operand));
        break;
      case SizeOpcode::Size:
        stack.push_back(values[operand]);
        break;
      default: {
        int64_t b = stack.back();
        stack.pop_back();
        int64_t a = stack.back();
        if (!apply(opcode, a, b, stack.back()))
          return Status::error(
              "size program " + std::to_string(index) +
              " fails: " + fb::EnumNameSizeOpcode(opcode) + " of " +
              std::to_string(a) + " and " + std::to_string(b) +
              (opcode == SizeOpcode::FloorDiv || opcode == SizeOpcode::CeilDiv
                   ? " (a divisor must be positive)"
                   : " overflows"));
      }
      }
    }
    if (stack.back() < 0)
      return Status::error("size program " + std::to_string(index) +
                           " gives a negative size (" +
                           std::to_string(stack.back()) + ")");
    values[index] = stack.back();
  }
  return {};
}

} // namespace mllm::runtime
