//===- NpyTest.cpp - The .npy reader and writer of the tools --------------===//

#include "runtime/tools/Npy.h"
#include "test/runtime/TestArtifacts.h"

#include <cstring>
#include <gtest/gtest.h>
#include <tuple>

using namespace mllm::test;
using namespace mllm::tools;

namespace {

/// A .npy file with the given version and header dict, followed by `data`.
std::vector<uint8_t> npyBytes(unsigned major, const std::string &dict,
                              const std::vector<uint8_t> &data) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::vector<uint8_t> bytes = {
      0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  for (unsigned i = 0; i < (major == 1 ? 2u : 4u); ++i)
    bytes.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

TEST(Npy, RoundTripsEveryType) {
  TempDir dir;
  const std::pair<mllm_dtype, const char *> types[] = {
      {MLLM_DTYPE_F32, "<f4"}, {MLLM_DTYPE_F16, "<f2"},
      {MLLM_DTYPE_F64, "<f8"}, {MLLM_DTYPE_I64, "<i8"},
      {MLLM_DTYPE_I32, "<i4"}, {MLLM_DTYPE_I16, "<i2"},
      {MLLM_DTYPE_I8, "|i1"},  {MLLM_DTYPE_U8, "|u1"},
      {MLLM_DTYPE_I1, "|b1"},  {MLLM_DTYPE_BF16, "<V2"},
      {MLLM_DTYPE_U16, "<u2"}, {MLLM_DTYPE_U32, "<u4"},
      {MLLM_DTYPE_U64, "<u8"}};
  for (const auto &[dtype, descr] : types) {
    std::vector<int64_t> shape = {2, 3};
    std::vector<uint8_t> data(6 * mllm_dtype_size(dtype));
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<uint8_t>(dtype == MLLM_DTYPE_I1 ? i % 2 : i * 7);
    std::string path = dir.file(std::string(mllm_dtype_name(dtype)) + ".npy");
    ASSERT_EQ(writeNpy(path, dtype, shape, data.data(), data.size()), "");

    std::vector<uint8_t> bytes = readFile(path);
    std::string header(bytes.begin() + 10, bytes.begin() + 10 + 64);
    EXPECT_NE(header.find(std::string("'descr': '") + descr + "'"),
              std::string::npos)
        << header;
    size_t headerEnd = 10 + bytes[8] + (bytes[9] << 8);
    EXPECT_EQ(headerEnd % 64, 0u);
    EXPECT_EQ(bytes[headerEnd - 1], '\n');

    NpyArray array;
    ASSERT_EQ(readNpy(path, array), "");
    EXPECT_EQ(array.dtype, dtype);
    EXPECT_EQ(array.shape, shape);
    EXPECT_EQ(array.data, data);
  }
}

TEST(Npy, WritesScalarsAndVectorsAsPythonTuples) {
  std::vector<uint8_t> bytes;
  float value = 1.5f;
  ASSERT_EQ(encodeNpy(MLLM_DTYPE_F32, {}, &value, 4, bytes), "");
  EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("'shape': ()"),
            std::string::npos);
  ASSERT_EQ(encodeNpy(MLLM_DTYPE_F32, {1}, &value, 4, bytes), "");
  EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("'shape': (1,)"),
            std::string::npos);
  NpyArray array;
  ASSERT_EQ(parseNpy("v.npy", bytes, array), "");
  EXPECT_EQ(array.shape, std::vector<int64_t>{1});
}

TEST(Npy, ReadsNumpyHeadersOfVersionsOneAndTwo) {
  std::vector<uint8_t> data(2 * 3 * 4, 9);
  for (unsigned major : {1u, 2u}) {
    NpyArray array;
    ASSERT_EQ(parseNpy("x.npy",
                       npyBytes(major,
                                "{'descr': '<i4', 'fortran_order': False, "
                                "'shape': (2, 3), }",
                                data),
                       array),
              "");
    EXPECT_EQ(array.dtype, MLLM_DTYPE_I32);
    EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(array.data, data);
  }
}

TEST(Npy, RefusesFortranOrder) {
  NpyArray array;
  std::string message = parseNpy(
      "f.npy",
      npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",
               std::vector<uint8_t>(8)),
      array);
  EXPECT_NE(message.find("'f.npy' is in Fortran order"), std::string::npos)
      << message;
}

TEST(Npy, RefusesUnsupportedTypes) {
  NpyArray array;
  for (const char *descr : {">f4", ">u4", "<c8", "|O"}) {
    std::string message =
        parseNpy("t.npy",
                 npyBytes(1,
                          std::string("{'descr': '") + descr +
                              "', 'fortran_order': False, 'shape': (1,), }",
                          std::vector<uint8_t>(8)),
                 array);
    EXPECT_NE(message.find(std::string("'t.npy' has element type '") + descr +
                           "', which is not supported"),
              std::string::npos)
        << message;
  }
}

TEST(Npy, RefusesTruncatedAndMalformedFiles) {
  NpyArray array;
  std::string message = parseNpy(
      "short.npy",
      npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
               std::vector<uint8_t>(12)),
      array);
  EXPECT_NE(message.find("'short.npy' has 12 bytes of data, but its shape and "
                         "type need 16 (truncated)"),
            std::string::npos)
      << message;
  message = parseNpy(
      "bad.npy", npyBytes(1, "{'descr': '<f4', 'shape': [4], }", {}), array);
  EXPECT_NE(message.find("'bad.npy' has a malformed .npy header"),
            std::string::npos)
      << message;
  message =
      parseNpy("text.npy",
               {'h', 'e', 'l', 'l', 'o', '!', '!', '!', '!', '!', '!'}, array);
  EXPECT_EQ(message, "'text.npy' is not a .npy file");
  EXPECT_NE(readNpy("/nonexistent/x.npy", array)
                .find("cannot open '/nonexistent/x.npy'"),
            std::string::npos);
}

} // namespace

TEST(Dtype, NamesAndSizesOfTheUnsignedTypes) {
  const std::tuple<mllm_dtype, const char *, size_t> types[] = {
      {MLLM_DTYPE_U8, "u8", 1},
      {MLLM_DTYPE_U16, "u16", 2},
      {MLLM_DTYPE_U32, "u32", 4},
      {MLLM_DTYPE_U64, "u64", 8}};
  for (const auto &[dtype, name, size] : types) {
    EXPECT_STREQ(mllm_dtype_name(dtype), name);
    EXPECT_EQ(mllm_dtype_size(dtype), size);
  }
  auto next = static_cast<mllm_dtype>(MLLM_DTYPE_U64 + 1);
  EXPECT_STREQ(mllm_dtype_name(next), "unknown");
  EXPECT_EQ(mllm_dtype_size(next), 0u);
}
