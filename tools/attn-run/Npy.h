//===- Npy.h - minimal .npy reader and writer for attn-run -------*- C++ -*-===//
//
// Reads C-ordered little-endian .npy arrays of float64, float32, float16 or
// bool into doubles, and writes float32 arrays.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TOOLS_ATTN_RUN_NPY_H
#define ATTN_TOOLS_ATTN_RUN_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace attn_run {

/// Reads `path`; on failure returns false and sets `error`.
bool readNpy(const std::string &path, std::vector<int64_t> &shape,
             std::vector<double> &values, std::string &error);

/// Writes `values` with `shape` as a float32 .npy file.
bool writeNpyF32(const std::string &path, const std::vector<int64_t> &shape,
                 const std::vector<double> &values, std::string &error);

} // namespace attn_run

#endif // ATTN_TOOLS_ATTN_RUN_NPY_H
