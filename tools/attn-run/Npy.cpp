//===- Npy.cpp - minimal .npy reader and writer for attn-run -------------===//
//
// Parses the version 1/2/3 .npy header ({'descr': ..., 'fortran_order': ...,
// 'shape': (...)}) and converts the payload to doubles.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace attn_run {

static bool fail(std::string &error, const std::string &message) {
  error = message;
  return false;
}

/// Returns the text after `'key':` in the header dictionary.
static std::string headerField(const std::string &header,
                               const std::string &key) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return "";
  pos = header.find(':', pos);
  if (pos == std::string::npos)
    return "";
  return header.substr(pos + 1);
}

bool readNpy(const std::string &path, std::vector<int64_t> &shape,
             std::vector<double> &values, std::string &error) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail(error, "cannot open '" + path + "'");
  char magic[8];
  if (!file.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return fail(error, "'" + path + "' is not a .npy file (bad magic)");
  uint32_t headerLen = 0;
  if (magic[6] == 1) {
    unsigned char len[2];
    if (!file.read(reinterpret_cast<char *>(len), 2))
      return fail(error, "'" + path + "': truncated header");
    headerLen = len[0] | (len[1] << 8);
  } else {
    unsigned char len[4];
    if (!file.read(reinterpret_cast<char *>(len), 4))
      return fail(error, "'" + path + "': truncated header");
    headerLen = len[0] | (len[1] << 8) | (len[2] << 16) |
                (static_cast<uint32_t>(len[3]) << 24);
  }
  if (headerLen > (1u << 20))
    return fail(error, "'" + path + "': header too large");
  std::string header(headerLen, '\0');
  if (!file.read(header.data(), headerLen))
    return fail(error, "'" + path + "': truncated header");

  std::string descrField = headerField(header, "descr");
  size_t q1 = descrField.find('\''), q2 = descrField.find('\'', q1 + 1);
  if (q1 == std::string::npos || q2 == std::string::npos)
    return fail(error, "'" + path + "': header has no 'descr'");
  std::string descr = descrField.substr(q1 + 1, q2 - q1 - 1);
  if (headerField(header, "fortran_order").find("True") == 0 ||
      headerField(header, "fortran_order").find(" True") == 0)
    return fail(error, "'" + path + "': Fortran-ordered arrays are not "
                                    "supported; save a C-ordered copy");

  std::string shapeField = headerField(header, "shape");
  size_t open = shapeField.find('('), close = shapeField.find(')');
  if (open == std::string::npos || close == std::string::npos)
    return fail(error, "'" + path + "': header has no 'shape'");
  shape.clear();
  std::stringstream dims(shapeField.substr(open + 1, close - open - 1));
  std::string dim;
  int64_t count = 1;
  while (std::getline(dims, dim, ',')) {
    if (dim.find_first_not_of(" ") == std::string::npos)
      continue;
    int64_t size = std::stoll(dim);
    if (size < 0)
      return fail(error, "'" + path + "': negative dimension");
    shape.push_back(size);
    count *= size;
  }

  // Floats, booleans and integers (e.g. key lengths saved as int32 or
  // int64), little-endian.
  size_t elementSize;
  bool integer = descr == "<i4" || descr == "<i8" || descr == "<u4" ||
                 descr == "<i2" || descr == "<u2";
  if (descr == "<f8" || descr == "<i8")
    elementSize = 8;
  else if (descr == "<f4" || descr == "<i4" || descr == "<u4")
    elementSize = 4;
  else if (descr == "<f2" || descr == "<i2" || descr == "<u2")
    elementSize = 2;
  else if (descr == "|b1" || descr == "|u1" || descr == "|i1")
    elementSize = 1;
  else
    return fail(error, "'" + path + "': unsupported dtype '" + descr +
                           "' (expected <f8, <f4, <f2, |b1, or integers "
                           "<i8, <i4, <u4, <i2, <u2, |i1, |u1)");
  std::vector<char> raw(count * elementSize);
  if (!file.read(raw.data(), raw.size()))
    return fail(error, "'" + path + "': file is shorter than its shape says");
  values.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    const char *element = raw.data() + i * elementSize;
    if (integer) {
      if (descr == "<i8") {
        int64_t v;
        std::memcpy(&v, element, 8);
        values[i] = static_cast<double>(v);
      } else if (descr == "<i4") {
        int32_t v;
        std::memcpy(&v, element, 4);
        values[i] = v;
      } else if (descr == "<u4") {
        uint32_t v;
        std::memcpy(&v, element, 4);
        values[i] = v;
      } else if (descr == "<i2") {
        int16_t v;
        std::memcpy(&v, element, 2);
        values[i] = v;
      } else {
        uint16_t v;
        std::memcpy(&v, element, 2);
        values[i] = v;
      }
    } else if (elementSize == 8) {
      std::memcpy(&values[i], element, 8);
    } else if (elementSize == 4) {
      float value;
      std::memcpy(&value, element, 4);
      values[i] = value;
    } else if (elementSize == 2) {
      _Float16 value;
      std::memcpy(&value, element, 2);
      values[i] = static_cast<float>(value);
    } else {
      values[i] = descr == "|i1" ? static_cast<int8_t>(*element)
                                 : static_cast<uint8_t>(*element);
    }
  }
  return true;
}

bool writeNpyF32(const std::string &path, const std::vector<int64_t> &shape,
                 const std::vector<double> &values, std::string &error) {
  std::ofstream file(path, std::ios::binary);
  if (!file)
    return fail(error, "cannot write '" + path + "'");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int64_t dim : shape)
    header += std::to_string(dim) + ", ";
  header += "), }";
  // Pad so that magic + length + header is a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  uint16_t len = static_cast<uint16_t>(header.size());
  file.write("\x93NUMPY\x01\x00", 8);
  char lenBytes[2] = {static_cast<char>(len & 0xFF),
                      static_cast<char>(len >> 8)};
  file.write(lenBytes, 2);
  file.write(header.data(), header.size());
  for (double value : values) {
    float single = static_cast<float>(value);
    file.write(reinterpret_cast<const char *>(&single), 4);
  }
  return static_cast<bool>(file);
}

} // namespace attn_run
