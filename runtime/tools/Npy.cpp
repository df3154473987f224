//===- Npy.cpp - Reads and writes NumPy .npy files ------------------------===//
//
// Format: "\x93NUMPY", major and minor version bytes, the header length
// (uint16 in 1.0, uint32 in 2.0 and 3.0), then a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
// spaces and ending in '\n', then the raw elements.
//
//===----------------------------------------------------------------------===//

#include "runtime/tools/Npy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

namespace mllm::tools {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

struct DtypeCode {
  const char *descr;
  mllm_dtype dtype;
};
/// Every descr the reader accepts, and the one the writer emits first.
constexpr DtypeCode kDtypes[] = {
    {"<f4", MLLM_DTYPE_F32},
    {"<f2", MLLM_DTYPE_F16},
    {"<f8", MLLM_DTYPE_F64},
    {"<i8", MLLM_DTYPE_I64},
    {"<i4", MLLM_DTYPE_I32},
    {"<i2", MLLM_DTYPE_I16},
    {"|i1", MLLM_DTYPE_I8},
    {"|u1", MLLM_DTYPE_U8},
    {"<u2", MLLM_DTYPE_U16},
    {"<u4", MLLM_DTYPE_U32},
    {"<u8", MLLM_DTYPE_U64},
    {"|b1", MLLM_DTYPE_I1},
    {"<i1", MLLM_DTYPE_I8},
    {"<u1", MLLM_DTYPE_U8},
    {"<b1", MLLM_DTYPE_I1},
    {"=i1", MLLM_DTYPE_I8},
    {"=u1", MLLM_DTYPE_U8},
    {"=b1", MLLM_DTYPE_I1},
    // NumPy has no bfloat16: ml_dtypes' bfloat16 arrays save as 2-byte voids.
    {"<V2", MLLM_DTYPE_BF16},
    {"|V2", MLLM_DTYPE_BF16},
};

/// A value of the header dict: a string, a bool or a tuple of integers.
struct HeaderValue {
  enum Kind { String, Bool, Tuple } kind;
  std::string text;
  bool flag = false;
  std::vector<int64_t> tuple;
};

/// Parses the dict literal of a .npy header.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  std::optional<std::map<std::string, HeaderValue>> parse() {
    std::map<std::string, HeaderValue> dict;
    if (!consume('{'))
      return std::nullopt;
    while (!consume('}')) {
      std::string key;
      HeaderValue value;
      if (!parseString(key) || !consume(':') || !parseValue(value))
        return std::nullopt;
      dict[key] = std::move(value);
      if (!consume(',')) {
        if (!consume('}'))
          return std::nullopt;
        break;
      }
    }
    skipSpaces();
    return position == text.size() ? std::optional(dict) : std::nullopt;
  }

private:
  void skipSpaces() {
    while (position < text.size() && std::isspace(text[position]))
      ++position;
  }
  bool consume(char c) {
    skipSpaces();
    if (position < text.size() && text[position] == c) {
      ++position;
      return true;
    }
    return false;
  }
  bool parseString(std::string &out) {
    skipSpaces();
    if (position >= text.size() ||
        (text[position] != '\'' && text[position] != '"'))
      return false;
    char quote = text[position++];
    size_t end = text.find(quote, position);
    if (end == std::string::npos)
      return false;
    out = text.substr(position, end - position);
    position = end + 1;
    return true;
  }
  bool parseInteger(int64_t &out) {
    skipSpaces();
    size_t start = position;
    while (position < text.size() && std::isdigit(text[position]))
      ++position;
    if (start == position || position - start > 18)
      return false;
    out = std::stoll(text.substr(start, position - start));
    // Python 2 wrote longs as "3L".
    if (position < text.size() && text[position] == 'L')
      ++position;
    return true;
  }
  bool parseValue(HeaderValue &value) {
    skipSpaces();
    if (text.compare(position, 4, "True") == 0) {
      value.kind = HeaderValue::Bool;
      value.flag = true;
      position += 4;
      return true;
    }
    if (text.compare(position, 5, "False") == 0) {
      value.kind = HeaderValue::Bool;
      position += 5;
      return true;
    }
    if (consume('(')) {
      value.kind = HeaderValue::Tuple;
      while (!consume(')')) {
        int64_t dim;
        if (!parseInteger(dim))
          return false;
        value.tuple.push_back(dim);
        if (!consume(',')) {
          if (!consume(')'))
            return false;
          break;
        }
      }
      return true;
    }
    value.kind = HeaderValue::String;
    return parseString(value.text);
  }

  const std::string &text;
  size_t position = 0;
};

uint64_t loadLE(const uint8_t *bytes, unsigned count) {
  uint64_t value = 0;
  for (unsigned i = 0; i < count; ++i)
    value |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  return value;
}

} // namespace

std::string parseNpy(const std::string &path, const std::vector<uint8_t> &bytes,
                     NpyArray &array) {
  std::string where = "'" + path + "'";
  if (bytes.size() < kMagicSize + 4 ||
      std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    return where + " is not a .npy file";
  unsigned major = bytes[6];
  size_t headerStart = major == 1 ? 10 : 12;
  if (major < 1 || major > 3)
    return where + " has .npy format version " + std::to_string(major) +
           ", which is not supported (1, 2 and 3 are)";
  if (bytes.size() < headerStart)
    return where + " is truncated";
  uint64_t headerSize = loadLE(&bytes[8], major == 1 ? 2 : 4);
  if (headerSize > bytes.size() - headerStart)
    return where + " is truncated: its header ends past the file";
  std::string header(bytes.begin() + headerStart,
                     bytes.begin() + headerStart + headerSize);

  auto dict = HeaderParser(header).parse();
  if (!dict || !dict->count("descr") || !dict->count("fortran_order") ||
      !dict->count("shape") || dict->at("descr").kind != HeaderValue::String ||
      dict->at("fortran_order").kind != HeaderValue::Bool ||
      dict->at("shape").kind != HeaderValue::Tuple)
    return where + " has a malformed .npy header: " + header;
  if (dict->at("fortran_order").flag)
    return where + " is in Fortran order, which is not supported; save it in "
                   "C order (numpy.ascontiguousarray)";
  const std::string &descr = dict->at("descr").text;
  const DtypeCode *code = nullptr;
  for (const DtypeCode &candidate : kDtypes)
    if (descr == candidate.descr)
      code = &candidate;
  if (!code)
    return where + " has element type '" + descr +
           "', which is not supported (supported: <f4 <f2 <f8 <i8 <i4 <i2 "
           "|i1 |u1 |b1, and <V2 for bfloat16 as ml_dtypes saves it)";

  array.dtype = code->dtype;
  array.shape = dict->at("shape").tuple;
  uint64_t size = mllm_dtype_size(code->dtype);
  for (int64_t dim : array.shape)
    if (__builtin_mul_overflow(size, static_cast<uint64_t>(dim), &size))
      return where + " has a shape too large for memory";
  uint64_t available = bytes.size() - headerStart - headerSize;
  if (available != size)
    return where + " has " + std::to_string(available) +
           " bytes of data, but its shape and type need " +
           std::to_string(size) + (available < size ? " (truncated)" : "");
  array.data.assign(bytes.begin() + headerStart + headerSize, bytes.end());
  return "";
}

std::string readNpy(const std::string &path, NpyArray &array) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return "cannot open '" + path + "': " + std::strerror(errno);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (file.bad())
    return "cannot read '" + path + "': " + std::strerror(errno);
  return parseNpy(path, bytes, array);
}

std::string encodeNpy(mllm_dtype dtype, const std::vector<int64_t> &shape,
                      const void *data, uint64_t size,
                      std::vector<uint8_t> &bytes) {
  const char *descr = nullptr;
  for (const DtypeCode &code : kDtypes) {
    if (code.dtype == dtype) {
      descr = code.descr;
      break;
    }
  }
  if (!descr)
    return std::string("element type ") + mllm_dtype_name(dtype) +
           " has no .npy equivalent";
  std::string shapeText = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    shapeText += (i ? ", " : "") + std::to_string(shape[i]);
  shapeText += shape.size() == 1 ? ",)" : ")";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shapeText +
                       ", }";

  // Pad with spaces so the data starts at a multiple of 64, then '\n'.
  bool version2 = header.size() + 11 + 64 > 0xffff;
  size_t prefix = version2 ? 12 : 10;
  size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';

  bytes.assign(kMagic, kMagic + kMagicSize);
  bytes.push_back(version2 ? 2 : 1);
  bytes.push_back(0);
  for (unsigned i = 0; i < (version2 ? 4u : 2u); ++i)
    bytes.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  const auto *elements = static_cast<const uint8_t *>(data);
  bytes.insert(bytes.end(), elements, elements + size);
  return "";
}

std::string writeNpy(const std::string &path, mllm_dtype dtype,
                     const std::vector<int64_t> &shape, const void *data,
                     uint64_t size) {
  std::vector<uint8_t> bytes;
  if (std::string message = encodeNpy(dtype, shape, data, size, bytes);
      !message.empty())
    return "cannot write '" + path + "': " + message;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return "cannot create '" + path + "': " + std::strerror(errno);
  file.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  file.close();
  if (!file)
    return "cannot write '" + path + "': " + std::strerror(errno);
  return "";
}

} // namespace mllm::tools
