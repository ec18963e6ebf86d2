//===- attn-run.cpp - JIT-run an attention kernel and check it -----------===//
//
// attn-run compiles one function of an .mlir file through the CPU pipeline
// (attn-lower-to-llvm) with MLIR's ExecutionEngine, fills its tensor
// arguments with seeded random data (or .npy files), runs it, checks every
// result against an independent float64 reference of the attention op it
// contains, and times it. The last line of its output is machine-readable:
//
//   rel_err=<x> max_abs_err=<x> ms=<x> gflops=<x>
//
// The exit status is non-zero when the error exceeds the tolerance of the
// element type, and on any input it cannot handle.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "Reference.h"

#include "attn/Conversion/AttnToGPU/AttnToGPU.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/InitAll.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "attn/Runtime/CUDARuntime.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <unistd.h>

using namespace mlir;
using namespace attn_run;
namespace cl = llvm::cl;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::OptionCategory runCategory("attn-run options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input .mlir file>"),
                                          cl::cat(runCategory));
static cl::opt<std::string> entryName(
    "entry",
    cl::desc("Function to run (default: the only public function, or the "
             "first public function holding an attn op)"),
    cl::value_desc("name"), cl::cat(runCategory));
static cl::opt<std::string> seedOption(
    "seed",
    cl::desc("Seed of the random inputs (default: a fresh seed each run, "
             "printed so a run can be repeated)"),
    cl::value_desc("N"), cl::cat(runCategory));
static cl::list<std::string> npyInputs(
    "input",
    cl::desc("Read the next function argument from a C-ordered .npy file "
             "(float <f8, <f4, <f2; bool |b1; integer <i8, <i4, <u4, <i2, "
             "<u2, |i1, |u1) instead of random data; repeat for later "
             "arguments, in order"),
    cl::value_desc("file.npy"), cl::cat(runCategory));
static cl::opt<unsigned> iterations(
    "iterations", cl::desc("Timed calls; the median is reported (default 10)"),
    cl::init(10), cl::cat(runCategory));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed calls before timing "
                                         "(default 1)"),
                                cl::init(1), cl::cat(runCategory));
static cl::opt<double> toleranceOption(
    "tolerance",
    cl::desc("Largest accepted relative error (default by element type: "
             "f32 1e-5, f16 5e-3, bf16 2e-2)"),
    cl::init(-1.0), cl::cat(runCategory));
static cl::opt<bool> noCheck(
    "no-check",
    cl::desc("Run and time only; skip the float64 reference (for functions "
             "that are not a single attn op, or very large shapes)"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<double> keepProbability(
    "mask-keep-probability",
    cl::desc("Random masks: probability that a (query, key) pair is kept "
             "(default 0.8)"),
    cl::init(0.8), cl::cat(runCategory));
static cl::opt<double> maskedRowFraction(
    "masked-row-fraction",
    cl::desc("Random masks: fraction of query rows with every key masked, to "
             "exercise the fully-masked-row rule (default 0.1)"),
    cl::init(0.1), cl::cat(runCategory));
static cl::opt<std::string> saveOutput(
    "save-output",
    cl::desc("Write the first result to this .npy file (float32)"),
    cl::value_desc("file.npy"), cl::cat(runCategory));
static cl::opt<bool> useReference(
    "reference",
    cl::desc("Compile with the reference lowering (scores materialized, "
             "attn-lower-to-llvm{flash=false}) instead of the flash schedule"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<bool> serial(
    "serial",
    cl::desc("Run parallel loops serially instead of on OpenMP threads "
             "(attn-lower-to-llvm{openmp=false}); with OpenMP the thread "
             "count comes from OMP_NUM_THREADS"),
    cl::init(false), cl::cat(runCategory));
static cl::opt<std::string> scheduleOption(
    "schedule",
    cl::desc("Use this #attn.schedule<...> for every attn.sdpa instead of "
             "the derived one"),
    cl::value_desc("attr"), cl::cat(runCategory));
static cl::opt<std::string> targetOption(
    "target",
    cl::desc("Where to run: cpu (attn-lower-to-llvm, the default) or nvptx "
             "(attn-lower-to-nvvm on GPU 0: device buffers, CUDA-event "
             "timing)"),
    cl::init("cpu"), cl::cat(runCategory));

static cl::opt<std::string> chipOption(
    "chip",
    cl::desc("--target=nvptx: GPU architecture (default: GPU 0's, e.g. "
             "sm_90a on an H100)"),
    cl::init(""), cl::cat(runCategory));

static cl::opt<std::string> gpuKernel(
    "gpu-kernel",
    cl::desc("--target=nvptx: kernel of convert-attn-to-gpu (simt, mma, "
             "wgmma on sm_90a, or auto)"),
    cl::init("auto"), cl::cat(runCategory));

static cl::opt<unsigned> optLevel(
    "O", cl::desc("LLVM optimization level of the JIT (0-3, default 3)"),
    cl::init(3), cl::Prefix, cl::cat(runCategory));

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

namespace {

/// One tensor argument or result: its values as doubles (already rounded to
/// the element type) and the memory the kernel reads or writes.
struct Buffer {
  std::string name;
  std::vector<int64_t> shape;
  ElementKind kind = ElementKind::F32;
  std::vector<double> values;
  void *data = nullptr;
  std::vector<int64_t> descriptor; // allocated, aligned, offset, sizes, strides

  Buffer() = default;
  Buffer(const Buffer &) = delete;
  Buffer(Buffer &&other) noexcept { *this = std::move(other); }
  Buffer &operator=(Buffer &&other) noexcept {
    std::swap(name, other.name);
    std::swap(shape, other.shape);
    std::swap(kind, other.kind);
    std::swap(values, other.values);
    std::swap(data, other.data);
    std::swap(descriptor, other.descriptor);
    return *this;
  }
  ~Buffer() { std::free(data); }

  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }
  /// The same without int64 overflow (for the memory check that guards
  /// numElements).
  double approximateElements() const {
    double count = 1;
    for (int64_t dim : shape)
      count *= static_cast<double>(dim);
    return count;
  }
  size_t elementBytes() const {
    switch (kind) {
    case ElementKind::F32:
      return 4;
    case ElementKind::F16:
    case ElementKind::BF16:
      return 2;
    case ElementKind::I1:
      return 1;
    case ElementKind::I32:
      return 4;
    }
    return 4;
  }

  /// Allocates 64-byte aligned memory and builds the memref descriptor.
  void allocate() {
    size_t bytes = std::max<size_t>(numElements() * elementBytes(), 1);
    bytes = (bytes + 63) / 64 * 64;
    data = std::aligned_alloc(64, bytes);
    std::memset(data, 0, bytes);
    int64_t rank = shape.size();
    descriptor.assign(3 + 2 * rank, 0);
    descriptor[0] = reinterpret_cast<int64_t>(data);
    descriptor[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      descriptor[3 + d] = shape[d];
      descriptor[3 + rank + d] = stride;
      stride *= shape[d];
    }
  }

  /// Stores `values` into the kernel's memory in the element type.
  void store() {
    for (int64_t i = 0, e = numElements(); i < e; ++i) {
      double value = values[i];
      switch (kind) {
      case ElementKind::F32:
        static_cast<float *>(data)[i] = static_cast<float>(value);
        break;
      case ElementKind::F16:
        static_cast<_Float16 *>(data)[i] =
            static_cast<_Float16>(static_cast<float>(value));
        break;
      case ElementKind::BF16: {
        float rounded = static_cast<float>(roundTo(ElementKind::BF16, value));
        uint32_t bits;
        std::memcpy(&bits, &rounded, 4);
        static_cast<uint16_t *>(data)[i] = static_cast<uint16_t>(bits >> 16);
        break;
      }
      case ElementKind::I1:
        static_cast<uint8_t *>(data)[i] = value != 0.0;
        break;
      case ElementKind::I32:
        static_cast<int32_t *>(data)[i] = static_cast<int32_t>(value);
        break;
      }
    }
  }

  /// Fills the kernel's memory with NaN so unwritten elements show.
  void poison() {
    switch (kind) {
    case ElementKind::F32:
      std::fill_n(static_cast<float *>(data), numElements(),
                  std::numeric_limits<float>::quiet_NaN());
      break;
    case ElementKind::F16:
      std::fill_n(static_cast<uint16_t *>(data), numElements(), 0x7E00);
      break;
    case ElementKind::BF16:
      std::fill_n(static_cast<uint16_t *>(data), numElements(), 0x7FC0);
      break;
    case ElementKind::I1:
      std::fill_n(static_cast<uint8_t *>(data), numElements(), 0xAB);
      break;
    case ElementKind::I32:
      std::fill_n(static_cast<int32_t *>(data), numElements(), INT32_MIN);
      break;
    }
  }

  /// Reads the kernel's memory back into `values`.
  void load() {
    values.resize(numElements());
    for (int64_t i = 0, e = numElements(); i < e; ++i) {
      switch (kind) {
      case ElementKind::F32:
        values[i] = static_cast<float *>(data)[i];
        break;
      case ElementKind::F16:
        values[i] = static_cast<float>(static_cast<_Float16 *>(data)[i]);
        break;
      case ElementKind::BF16: {
        uint32_t bits = static_cast<uint32_t>(static_cast<uint16_t *>(data)[i])
                        << 16;
        float value;
        std::memcpy(&value, &bits, 4);
        values[i] = value;
        break;
      }
      case ElementKind::I1:
        values[i] = static_cast<uint8_t *>(data)[i];
        break;
      case ElementKind::I32:
        values[i] = static_cast<int32_t *>(data)[i];
        break;
      }
    }
  }
};

} // namespace

static std::optional<ElementKind> kindOf(Type type) {
  if (type.isF32())
    return ElementKind::F32;
  if (type.isF16())
    return ElementKind::F16;
  if (type.isBF16())
    return ElementKind::BF16;
  if (type.isInteger(1))
    return ElementKind::I1;
  if (type.isInteger(32))
    return ElementKind::I32;
  return std::nullopt;
}

static const char *kindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "f32";
  case ElementKind::F16:
    return "f16";
  case ElementKind::BF16:
    return "bf16";
  case ElementKind::I1:
    return "i1";
  case ElementKind::I32:
    return "i32";
  }
  return "?";
}

static double defaultTolerance(ElementKind kind) {
  switch (kind) {
  case ElementKind::F16:
    return 5e-3;
  case ElementKind::BF16:
    return 2e-2;
  default:
    return 1e-5;
  }
}

static std::string shapeString(const std::vector<int64_t> &shape) {
  std::string result = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    result += (i ? "," : "") + std::to_string(shape[i]);
  return result + "]";
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "attn-run: error: " << message << "\n";
  return 2;
}

//===----------------------------------------------------------------------===//
// Reference
//===----------------------------------------------------------------------===//

/// Why the function cannot be checked, or empty when it can.
static std::string checkableReason(func::FuncOp func, Operation *&attnOp) {
  attnOp = nullptr;
  Block &body = func.getBody().front();
  for (Operation &op : body) {
    if (isa<attn::SDPAOp, attn::MultiHeadOp>(op)) {
      if (attnOp)
        return "it holds more than one attn op";
      attnOp = &op;
    } else if (!isa<func::ReturnOp>(op)) {
      return "it holds '" + op.getName().getStringRef().str() +
             "', which the reference does not model";
    }
  }
  if (!attnOp)
    return "it holds no attn.sdpa or attn.multi_head op";
  for (Value operand : attnOp->getOperands())
    if (!isa<BlockArgument>(operand))
      return "an operand of the attn op is not a function argument";
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  if (ret.getOperands() != ValueRange(attnOp->getResults()))
    return "it does not return the attn op's results in order";
  return "";
}

/// The static-pattern predicate of `pattern` for the given lengths, written
/// here again (not taken from the compiler) for the known patterns.
static std::function<bool(int64_t, int64_t)>
patternPredicate(Attribute pattern, int64_t querySeq, int64_t keySeq) {
  if (!pattern)
    return {};
  if (auto causal = dyn_cast<attn::CausalAttr>(pattern)) {
    if (causal.getAlignment() == attn::CausalAlignment::TopLeft)
      return [](int64_t i, int64_t j) { return j <= i; };
    int64_t shift = keySeq - querySeq;
    return [shift](int64_t i, int64_t j) { return j <= i + shift; };
  }
  if (auto window = dyn_cast<attn::SlidingWindowAttr>(pattern)) {
    int64_t shift = window.getAlignment() == attn::CausalAlignment::TopLeft
                        ? 0
                        : keySeq - querySeq;
    int64_t left = window.getLeft(), right = window.getRight();
    return [shift, left, right](int64_t i, int64_t j) {
      return i + shift - left <= j && j <= i + shift + right;
    };
  }
  if (auto strided = dyn_cast<attn::StridedAttr>(pattern)) {
    int64_t shift = strided.getAlignment() == attn::CausalAlignment::TopLeft
                        ? 0
                        : keySeq - querySeq;
    int64_t stride = strided.getStride();
    return [shift, stride](int64_t i, int64_t j) {
      int64_t distance = i + shift - j;
      return distance >= 0 && distance % stride == 0;
    };
  }
  auto iface = cast<attn::MaskPatternAttrInterface>(pattern);
  return [iface, querySeq, keySeq](int64_t i, int64_t j) {
    return iface.isKeyVisible(i, j, querySeq, keySeq);
  };
}

/// The (query, key) pairs `vis` leaves visible among the first `keys` keys.
static int64_t countVisible(const std::function<bool(int64_t, int64_t)> &vis,
                            int64_t querySeq, int64_t keys) {
  if (!vis)
    return querySeq * keys;
  int64_t count = 0;
  for (int64_t i = 0; i < querySeq; ++i)
    for (int64_t j = 0; j < keys; ++j)
      count += vis(i, j);
  return count;
}

/// FLOPs of one call of `op`: 2 per multiply-add of QKᵀ and P·V over the
/// (query, key) pairs the static pattern and the key lengths (in `args`)
/// leave visible (causal halves them; keys past a length are never
/// visited), plus the projections of attn.multi_head.
static double countFlops(Operation *op, const std::vector<Buffer> &args) {
  auto shape = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getShape();
  };
  if (auto sdpa = dyn_cast<attn::SDPAOp>(op)) {
    ArrayRef<int64_t> q = shape(sdpa.getQuery()), k = shape(sdpa.getKey()),
                      v = shape(sdpa.getValue());
    auto visible = patternPredicate(sdpa.getPatternAttr(), q[2], k[2]);
    double pairs = 0;
    if (Value lengths = sdpa.getKeyLengths()) {
      // Per batch entry, over its keys; equal lengths counted once.
      std::map<int64_t, int64_t> perLength;
      for (double length :
           args[cast<BlockArgument>(lengths).getArgNumber()].values) {
        int64_t keys =
            std::clamp<int64_t>(static_cast<int64_t>(length), 0, k[2]);
        auto [it, inserted] = perLength.try_emplace(keys, 0);
        if (inserted)
          it->second = countVisible(visible, q[2], keys);
        pairs += it->second;
      }
    } else {
      pairs = static_cast<double>(q[0]) * countVisible(visible, q[2], k[2]);
    }
    return 2.0 * q[1] * (q[3] + v[3]) * pairs;
  }
  auto mha = cast<attn::MultiHeadOp>(op);
  ArrayRef<int64_t> x = shape(mha.getInput()), kv = shape(mha.getKVSource());
  ArrayRef<int64_t> wq = shape(mha.getQueryWeight()),
                    wv = shape(mha.getValueWeight()),
                    wo = shape(mha.getOutputWeight());
  int64_t heads = mha.getNumHeads(), kvHeads = mha.getNumKVHeads();
  double headDim = wq[1] / heads, valueDim = wv[1] / kvHeads;
  double flops = 2.0 * x[0] *
                 (x[1] * x[2] * heads * headDim +
                  kv[1] * kv[2] * kvHeads * (headDim + valueDim) +
                  x[1] * heads * valueDim * wo[1]);
  return flops + 2.0 * x[0] * heads * (headDim + valueDim) *
                     countVisible(patternPredicate(mha.getPatternAttr(), x[1],
                                                   kv[1]),
                                  x[1], kv[1]);
}

/// Computes the reference results of `op` from the argument buffers.
static void runReference(Operation *op, std::vector<Buffer> &args,
                         std::vector<std::vector<double>> &expected) {
  auto argBuffer = [&](Value value) -> Buffer * {
    if (!value)
      return nullptr;
    return &args[cast<BlockArgument>(value).getArgNumber()];
  };
  auto maskInput = [&](Value mask) {
    MaskInput input;
    if (Buffer *buffer = argBuffer(mask)) {
      input.values = &buffer->values;
      input.isBoolean = buffer->kind == ElementKind::I1;
      input.batch = buffer->shape[0];
      input.heads = buffer->shape[1];
    }
    return input;
  };

  if (auto sdpa = dyn_cast<attn::SDPAOp>(op)) {
    Buffer &q = *argBuffer(sdpa.getQuery()), &k = *argBuffer(sdpa.getKey()),
           &v = *argBuffer(sdpa.getValue());
    SDPAProblem problem{q.shape[0], q.shape[1], k.shape[1], q.shape[2],
                        k.shape[2], q.shape[3], v.shape[3],
                        sdpa.getEffectiveScale(), {}, {}};
    problem.visible = patternPredicate(sdpa.getPatternAttr(),
                                       problem.querySeq, problem.keySeq);
    problem.mask = maskInput(sdpa.getMask());
    if (Buffer *lengths = argBuffer(sdpa.getKeyLengths()))
      problem.keyLengths = &lengths->values;
    std::vector<double> output, lse;
    referenceSDPA(problem, q.values, k.values, v.values, output, lse);
    expected.push_back(std::move(output));
    if (sdpa.getLse())
      expected.push_back(std::move(lse));
    return;
  }

  auto mha = cast<attn::MultiHeadOp>(op);
  Buffer &x = *argBuffer(mha.getInput());
  Buffer &kv = *argBuffer(mha.getKVSource());
  Buffer &wq = *argBuffer(mha.getQueryWeight()),
         &wk = *argBuffer(mha.getKeyWeight()),
         &wv = *argBuffer(mha.getValueWeight()),
         &wo = *argBuffer(mha.getOutputWeight());
  auto biasValues = [&](Value bias) -> const std::vector<double> * {
    Buffer *buffer = argBuffer(bias);
    return buffer ? &buffer->values : nullptr;
  };
  int64_t batch = x.shape[0], querySeq = x.shape[1], width = x.shape[2];
  int64_t keySeq = kv.shape[1], kvWidth = kv.shape[2];
  int64_t heads = mha.getNumHeads(), kvHeads = mha.getNumKVHeads();
  int64_t headDim = wq.shape[1] / heads, valueDim = wv.shape[1] / kvHeads;
  int64_t outWidth = wo.shape[1];
  ElementKind kind = x.kind;

  std::vector<double> qFlat = referenceLinear(
      x.values, batch * querySeq, width, wq.values, heads * headDim,
      biasValues(mha.getQueryBias()), kind);
  std::vector<double> kFlat = referenceLinear(
      kv.values, batch * keySeq, kvWidth, wk.values, kvHeads * headDim,
      biasValues(mha.getKeyBias()), kind);
  std::vector<double> vFlat = referenceLinear(
      kv.values, batch * keySeq, kvWidth, wv.values, kvHeads * valueDim,
      biasValues(mha.getValueBias()), kind);
  // [B*S, H*D] -> [B, H, S, D].
  auto split = [&](const std::vector<double> &flat, int64_t seq, int64_t h,
                   int64_t d) {
    std::vector<double> result(flat.size());
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t s = 0; s < seq; ++s)
        for (int64_t hh = 0; hh < h; ++hh)
          for (int64_t dd = 0; dd < d; ++dd)
            result[((b * h + hh) * seq + s) * d + dd] =
                flat[(b * seq + s) * h * d + hh * d + dd];
    return result;
  };
  SDPAProblem problem{batch, heads, kvHeads, querySeq, keySeq, headDim,
                      valueDim, 0.0, {}, {}};
  // The default as SDPAOp::getEffectiveScale has it (1 at D = 0).
  problem.scale = mha.getScaleAttr() ? mha.getScaleAttr().getValueAsDouble()
                  : headDim == 0
                      ? 1.0
                      : 1.0 / std::sqrt(static_cast<double>(headDim));
  problem.visible = patternPredicate(mha.getPatternAttr(), querySeq, keySeq);
  problem.mask = maskInput(mha.getMask());
  std::vector<double> attention, lse;
  referenceSDPA(problem, split(qFlat, querySeq, heads, headDim),
                split(kFlat, keySeq, kvHeads, headDim),
                split(vFlat, keySeq, kvHeads, valueDim), attention, lse);
  // [B, H, Sq, Dv] -> [B*Sq, H*Dv], rounded like the kernel's sdpa result.
  std::vector<double> merged(attention.size());
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t s = 0; s < querySeq; ++s)
        for (int64_t e = 0; e < valueDim; ++e)
          merged[(b * querySeq + s) * heads * valueDim + h * valueDim + e] =
              roundTo(kind,
                      attention[((b * heads + h) * querySeq + s) * valueDim +
                                e]);
  expected.push_back(referenceLinear(merged, batch * querySeq,
                                     heads * valueDim, wo.values, outWidth,
                                     biasValues(mha.getOutputBias()),
                                     ElementKind::F32));
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// Fills a data tensor with N(0, 1) samples.
static void fillData(Buffer &buffer, std::mt19937_64 &rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double &value : buffer.values)
    value = roundTo(buffer.kind, normal(rng));
}

/// Fills key lengths [B] with values in [0, keySeq]: often the full length,
/// sometimes 0 (every key padding), otherwise uniform.
static void fillKeyLengths(Buffer &buffer, int64_t keySeq,
                           std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uniform_int_distribution<int64_t> length(1, std::max<int64_t>(keySeq, 1));
  for (double &value : buffer.values) {
    double draw = uniform(rng);
    value = draw < 0.2 ? keySeq : draw < 0.3 ? 0 : std::min(length(rng), keySeq);
  }
}

/// Fills a mask tensor (last two dims [Sq, Skv]): masked pairs are false
/// (boolean) or -inf (additive, other entries uniform in [-1, 1]); a
/// fraction of rows is masked entirely.
static void fillMask(Buffer &buffer, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t keySeq = buffer.shape.back();
  int64_t rows = keySeq ? buffer.numElements() / keySeq : 0;
  bool boolean = buffer.kind == ElementKind::I1;
  double masked = boolean ? 0.0 : -std::numeric_limits<double>::infinity();
  for (int64_t row = 0; row < rows; ++row) {
    bool rowMasked = uniform(rng) < maskedRowFraction;
    for (int64_t j = 0; j < keySeq; ++j) {
      bool keep = !rowMasked && uniform(rng) < keepProbability;
      double value = boolean ? 1.0 : roundTo(buffer.kind, 2 * uniform(rng) - 1);
      buffer.values[row * keySeq + j] = keep ? value : masked;
    }
  }
}

//===----------------------------------------------------------------------===//
// main
//===----------------------------------------------------------------------===//

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  cl::HideUnrelatedOptions(runCategory);
  // A bad flag is an input that cannot be run (2), not a numerical failure.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "attn-run: compile an attention function through attn-lower-to-llvm "
          "(or, with --target=nvptx, attn-lower-to-nvvm for GPU 0), run it on "
          "random (or .npy) inputs, check it against a float64 reference and "
          "time it (median of --iterations after --warmup calls; on the GPU "
          "with CUDA events).\n\n"
          "The function's arguments and results must be statically shaped "
          "tensors of f32, f16, bf16, i1 or i32. To be checked it must hold "
          "exactly "
          "one attn.sdpa or attn.multi_head whose operands are the function's "
          "arguments and whose results it returns. Masks get random keep/drop "
          "patterns with some fully masked rows, key lengths random values in "
          "[0, Skv] (often Skv, sometimes 0); other tensors N(0,1) data.\n\n"
          "Output ends with one line for scripts:\n"
          "  rel_err=<x> max_abs_err=<x> ms=<x> gflops=<x>\n"
          "Exit status: 0 when within tolerance, 1 when the error is too "
          "large, "
          "2 when the input or the command line cannot be run.\n",
          &llvm::errs()))
    return 2;

  if (inputFilename.empty())
    return fail("no input file; usage: attn-run FILE.mlir [options] (see "
                "--help)");
  if (optLevel > 3)
    return fail("-O" + llvm::Twine(optLevel.getValue()) +
                " is not an optimization level (0-3)");
  if (iterations == 0)
    return fail("--iterations must be at least 1");
  if (targetOption != "cpu" && targetOption != "nvptx")
    return fail("--target must be cpu or nvptx, got '" + targetOption + "'");
  const bool onGPU = targetOption == "nvptx";
  if (onGPU && (useReference || serial))
    return fail("--reference and --serial select CPU lowerings; they do not "
                "apply to --target=nvptx");
  if (!onGPU && (chipOption.getNumOccurrences() || gpuKernel.getNumOccurrences()))
    return fail("--chip and --gpu-kernel select the GPU kernel; they apply "
                "to --target=nvptx only");
  if (useReference && !scheduleOption.empty())
    return fail("--schedule sets the flash schedule; --reference runs the "
                "reference lowering, which has none");
  if (onGPU && !scheduleOption.empty())
    return fail("--schedule sets the CPU flash schedule; with --target=nvptx "
                "give the kernel with --gpu-kernel (and block sizes as "
                "#attn.gpu_schedule on the op)");
  std::string chip = chipOption;
  if (onGPU) {
    // Fail fast (before compiling) on a machine without a usable GPU.
    if (const char *problem = attnCudaProblem())
      return fail(llvm::Twine("--target=nvptx needs an NVIDIA GPU: ") +
                  problem);
    int capability = attnCudaComputeCapability();
    if (chip.empty()) {
      chip = "sm_" + std::to_string(capability) +
             (capability == 90 ? "a" : "");
    } else {
      // A cubin runs on its own major version from its minor one up (an
      // "a" chip only on itself): say so before compiling, not as the
      // driver's "no kernel image".
      unsigned number = 0;
      llvm::StringRef digits = llvm::StringRef(chip).drop_front(3);
      bool archSpecific = digits.consume_back("a");
      if (llvm::StringRef(chip).starts_with("sm_") &&
          !digits.getAsInteger(10, number) &&
          (number / 10 != unsigned(capability) / 10 ||
           number % 10 > unsigned(capability) % 10 ||
           (archSpecific && number != unsigned(capability))))
        return fail(llvm::Twine("--chip=") + chip +
                    " builds code GPU 0 cannot run (compute capability " +
                    llvm::Twine(capability / 10) + "." +
                    llvm::Twine(capability % 10) + ")");
    }
  }
  if (toleranceOption.getNumOccurrences() &&
      !(toleranceOption >= 0 && std::isfinite(toleranceOption)))
    return fail(llvm::formatv("--tolerance must be a non-negative number, got "
                              "{0}",
                              toleranceOption.getValue())
                    .str());
  // (written so that NaN fails too)
  if (!(keepProbability >= 0 && keepProbability <= 1) ||
      !(maskedRowFraction >= 0 && maskedRowFraction <= 1))
    return fail("--mask-keep-probability and --masked-row-fraction must lie "
                "in [0, 1]");

  DialectRegistry registry;
  attn::registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  llvm::SourceMgr sourceMgr;
  auto file = llvm::MemoryBuffer::getFileOrSTDIN(inputFilename);
  if (!file)
    return fail("cannot read '" + inputFilename + "': " +
                file.getError().message());
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFilename + "'");

  // Choose the entry function.
  func::FuncOp func;
  if (!entryName.empty()) {
    func = module->lookupSymbol<func::FuncOp>(entryName);
    if (!func)
      return fail("no function named '@" + entryName + "' in '" +
                  inputFilename + "'");
  } else {
    SmallVector<func::FuncOp> candidates;
    for (auto f : module->getOps<func::FuncOp>())
      if (f.isPublic() && !f.isExternal())
        candidates.push_back(f);
    if (candidates.empty())
      return fail("'" + inputFilename + "' holds no public function with a "
                  "body to run");
    func = candidates.front();
    if (candidates.size() > 1) {
      auto withAttn = llvm::find_if(candidates, [](func::FuncOp f) {
        return f.walk([](Operation *op) {
                  return isa<attn::SDPAOp, attn::MultiHeadOp>(op)
                             ? WalkResult::interrupt()
                             : WalkResult::advance();
                }).wasInterrupted();
      });
      if (withAttn != candidates.end())
        func = *withAttn;
    }
  }
  if (func.isExternal())
    return fail("'@" + func.getName() + "' is a declaration, it has no body");
  if (!func.isPublic())
    return fail("'@" + func.getName() +
                "' is private; attn-run calls public functions");
  std::string name = func.getName().str();

  // Describe the arguments and results.
  std::vector<Buffer> args, results;
  auto describe = [&](Type type, const std::string &what,
                      Buffer &buffer) -> bool {
    auto tensor = dyn_cast<RankedTensorType>(type);
    std::string typeText;
    llvm::raw_string_ostream os(typeText);
    os << type;
    if (!tensor) {
      fail("'@" + name + "' " + what + " has type " + typeText +
           "; attn-run handles ranked tensors only");
      return false;
    }
    if (!tensor.hasStaticShape()) {
      fail("'@" + name + "' " + what + " has dynamic shape " + typeText +
           "; attn-run needs static shapes to fill inputs");
      return false;
    }
    std::optional<ElementKind> kind = kindOf(tensor.getElementType());
    if (!kind) {
      std::string elementText;
      llvm::raw_string_ostream(elementText) << tensor.getElementType();
      fail("'@" + name + "' " + what + " has element type " + elementText +
           "; attn-run handles f32, f16, bf16, i1 and i32");
      return false;
    }
    buffer.name = what;
    buffer.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    buffer.kind = *kind;
    return true;
  };
  FunctionType funcType = func.getFunctionType();
  for (auto [index, type] : llvm::enumerate(funcType.getInputs())) {
    args.emplace_back();
    if (!describe(type, "argument #" + std::to_string(index), args.back()))
      return 2;
  }
  for (auto [index, type] : llvm::enumerate(funcType.getResults())) {
    results.emplace_back();
    if (!describe(type, "result #" + std::to_string(index), results.back()))
      return 2;
  }
  if (results.empty())
    return fail("'@" + name + "' returns nothing; attn-run checks results");
  // Host memory for the buffers (each value as a double for the reference,
  // plus the kernel's copy): refuse what this machine cannot hold instead
  // of aborting in the allocator.
  double neededBytes = 0;
  for (auto *list : {&args, &results})
    for (Buffer &buffer : *list)
      neededBytes += buffer.approximateElements() *
                     (sizeof(double) + buffer.elementBytes());
  const double physicalBytes = static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                               static_cast<double>(sysconf(_SC_PAGE_SIZE));
  if (physicalBytes > 0 && neededBytes > 0.8 * physicalBytes)
    return fail(llvm::formatv("'@{0}' needs {1:F1} GiB of host memory for its "
                              "arguments and results, more than this "
                              "machine's {2:F1} GiB allow",
                              name, neededBytes / (1 << 30),
                              physicalBytes / (1 << 30))
                    .str());
  for (auto *list : {&args, &results})
    for (Buffer &buffer : *list)
      buffer.values.assign(buffer.numElements(), 0.0);

  Operation *attnOp = nullptr;
  bool check = !noCheck;
  std::string reason = checkableReason(func, attnOp);
  if (check && !reason.empty())
    return fail("cannot check '@" + name + "' against the reference: " +
                reason + "; pass --no-check to only run and time it");
  if (!reason.empty())
    attnOp = nullptr;
  if (npyInputs.size() > args.size())
    return fail(llvm::Twine(npyInputs.size()) + " --input files given but '@" +
                name + "' takes " + llvm::Twine(args.size()) + " arguments");

  // Inputs: .npy files first, random data for the rest.
  uint64_t seed;
  if (seedOption.empty()) {
    seed = std::random_device{}();
  } else {
    // strtoull would take "-1" as 2^64 - 1 and clamp an overflow.
    if (llvm::StringRef(seedOption).getAsInteger(10, seed))
      return fail("--seed expects a non-negative integer below 2^64, got '" +
                  seedOption + "'");
  }
  std::mt19937_64 rng(seed);
  llvm::DenseSet<unsigned> maskArgs;
  std::optional<unsigned> keyLengthsArg;
  int64_t keySeq = 0;
  if (attnOp) {
    Value mask = isa<attn::SDPAOp>(attnOp) ? cast<attn::SDPAOp>(attnOp).getMask()
                                           : cast<attn::MultiHeadOp>(attnOp).getMask();
    if (mask)
      maskArgs.insert(cast<BlockArgument>(mask).getArgNumber());
    if (auto sdpa = dyn_cast<attn::SDPAOp>(attnOp)) {
      keySeq = sdpa.getKeyType().getDimSize(2);
      if (Value lengths = sdpa.getKeyLengths())
        keyLengthsArg = cast<BlockArgument>(lengths).getArgNumber();
    }
  }
  for (auto [index, buffer] : llvm::enumerate(args)) {
    if (index < npyInputs.size()) {
      std::vector<int64_t> shape;
      std::string error;
      if (!readNpy(npyInputs[index], shape, buffer.values, error))
        return fail(error);
      if (shape != buffer.shape)
        return fail("'" + npyInputs[index] + "' has shape " +
                    shapeString(shape) + " but argument #" +
                    llvm::Twine(index) + " has shape " +
                    shapeString(buffer.shape));
      if (buffer.kind == ElementKind::I32)
        for (double value : buffer.values)
          if (value != std::trunc(value) || value < INT32_MIN ||
              value > INT32_MAX) {
            std::string text;
            llvm::raw_string_ostream(text) << llvm::format("%.17g", value);
            return fail("'" + npyInputs[index] + "' holds " + text +
                        ", which is not an i32 as argument #" +
                        llvm::Twine(index) + " needs");
          }
      for (double &value : buffer.values)
        value = buffer.kind == ElementKind::I1 ? (value != 0.0)
                                               : roundTo(buffer.kind, value);
    } else if (keyLengthsArg && index == *keyLengthsArg) {
      fillKeyLengths(buffer, keySeq, rng);
    } else if (buffer.kind == ElementKind::I32) {
      std::uniform_int_distribution<int32_t> small(0, 100);
      for (double &value : buffer.values)
        value = small(rng);
    } else if (buffer.kind == ElementKind::I1 || maskArgs.contains(index)) {
      if (buffer.shape.empty())
        return fail("argument #" + llvm::Twine(index) +
                    " is a scalar mask; masks are [B|1, H|1, Sq, Skv]");
      fillMask(buffer, rng);
    } else {
      fillData(buffer, rng);
    }
  }
  // Generated key lengths: the key and value rows past them hold NaN, as
  // an unwritten KV-cache slot may, and must not reach any result.
  if (keyLengthsArg && *keyLengthsArg >= npyInputs.size()) {
    auto sdpa = cast<attn::SDPAOp>(attnOp);
    const std::vector<double> &lengths = args[*keyLengthsArg].values;
    for (Value operand : {sdpa.getKey(), sdpa.getValue()}) {
      auto arg = dyn_cast<BlockArgument>(operand);
      if (!arg || arg.getArgNumber() < npyInputs.size())
        continue;
      Buffer &buffer = args[arg.getArgNumber()];
      int64_t batch = buffer.shape[0], heads = buffer.shape[1],
              rows = buffer.shape[2], width = buffer.shape[3];
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t h = 0; h < heads; ++h)
          for (int64_t j = std::max<int64_t>(lengths[b], 0); j < rows; ++j)
            std::fill_n(buffer.values.begin() +
                            ((b * heads + h) * rows + j) * width,
                        width, std::nan(""));
    }
  }
  for (Buffer &buffer : args) {
    buffer.allocate();
    buffer.store();
  }
  for (Buffer &buffer : results)
    buffer.allocate();

  // Name arguments after the attn op operands they feed.
  if (attnOp) {
    auto label = [&](Value value, StringRef role) {
      if (auto arg = dyn_cast_or_null<BlockArgument>(value))
        args[arg.getArgNumber()].name += " (" + role.str() + ")";
    };
    if (auto sdpa = dyn_cast<attn::SDPAOp>(attnOp)) {
      label(sdpa.getQuery(), "query");
      label(sdpa.getKey(), "key");
      label(sdpa.getValue(), "value");
      label(sdpa.getMask(), "mask");
      label(sdpa.getKeyLengths(), "key_lengths");
    } else {
      auto mha = cast<attn::MultiHeadOp>(attnOp);
      label(mha.getInput(), "input");
      label(mha.getKvInput(), "kv");
      label(mha.getQueryWeight(), "query_weight");
      label(mha.getKeyWeight(), "key_weight");
      label(mha.getValueWeight(), "value_weight");
      label(mha.getOutputWeight(), "output_weight");
      label(mha.getQueryBias(), "query_bias");
      label(mha.getKeyBias(), "key_bias");
      label(mha.getValueBias(), "value_bias");
      label(mha.getOutputBias(), "output_bias");
      label(mha.getMask(), "mask");
    }
  }
  llvm::outs() << "attn-run: @" << name << " (" << inputFilename << ")\n";
  for (Buffer &buffer : args)
    llvm::outs() << "  " << buffer.name << ": " << kindName(buffer.kind)
                 << shapeString(buffer.shape) << "\n";
  for (Buffer &buffer : results)
    llvm::outs() << "  " << buffer.name << ": " << kindName(buffer.kind)
                 << shapeString(buffer.shape) << "\n";
  llvm::outs() << "  seed: " << seed << "\n";

  // A schedule given on the command line replaces the derived ones (set
  // once attn.multi_head is decomposed into the attn.sdpa it holds).
  attn::ScheduleAttr forcedSchedule;
  if (!scheduleOption.empty()) {
    Attribute parsed = parseAttribute(scheduleOption, &context);
    if (!parsed) // the parser or the verifier said why, above
      return fail("--schedule: cannot use '" + scheduleOption + "'");
    auto schedule = llvm::dyn_cast<attn::ScheduleAttr>(parsed);
    if (!schedule)
      return fail("--schedule expects an #attn.schedule<...> attribute, got '" +
                  scheduleOption + "'");
    forcedSchedule = schedule;
  }

  // Reference first: it reads the op before lowering replaces it.
  std::vector<std::vector<double>> expected;
  double flops = attnOp ? countFlops(attnOp, args) : 0.0;
  if (check) {
    llvm::outs() << "computing float64 reference...\n";
    llvm::outs().flush();
    runReference(attnOp, args, expected);
  }

  // Only the entry (and what it calls) is compiled: another function of
  // the file that a pipeline or kernel cannot take must not stop this run.
  for (bool erased = true; erased;) {
    erased = false;
    for (auto other :
         llvm::make_early_inc_range(module->getOps<func::FuncOp>())) {
      if (other == func ||
          !SymbolTable::symbolKnownUseEmpty(other, module->getOperation()))
        continue;
      other.erase();
      erased = true;
    }
  }

  // Compile.
  auto compileStart = std::chrono::steady_clock::now();
  PassManager pm(&context);
  ExecutionEngineOptions engineOptions;
  SmallVector<StringRef> sharedLibs;
  if (onGPU) {
    char deviceName[256];
    attnCudaDeviceName(deviceName, sizeof(deviceName));
    llvm::outs() << "compiling through attn-lower-to-nvvm{chip=" << chip
                 << " kernel=" << gpuKernel << "} for " << deviceName
                 << "...\n";
    llvm::outs().flush();
    // The schedule policy sees this GPU (its shared memory and SMs) and the
    // chip the code is built for (--chip=sm_80 on an sm_86 card builds
    // sm_80 code). A module's own attn.gpu_target is kept: the pipeline
    // checks it against the chip.
    int chipNumber = attn::parseGPUChip(chip);
    int multiprocessors = attnCudaMultiprocessorCount();
    int sharedKB = attnCudaMaxSharedBytesPerBlock() / 1024;
    if (!(*module)->hasAttr("attn.gpu_target") && chipNumber >= 75 &&
        multiprocessors > 0 && sharedKB >= 48)
      (*module)->setAttr("attn.gpu_target",
                         attn::GPUTargetAttr::get(&context, chipNumber,
                                                  sharedKB, multiprocessors));
    // Derive the GPU schedules first (the pipeline keeps them) to show them.
    PassManager schedulePM(&context);
    schedulePM.addPass(attn::createDecomposeMultiHeadPass());
    attn::DeriveGPUSchedulePassOptions scheduleOptions;
    scheduleOptions.chip = chip;
    scheduleOptions.kernel = gpuKernel;
    schedulePM.addPass(attn::createDeriveGPUSchedulePass(scheduleOptions));
    if (failed(schedulePM.run(*module)))
      return fail("compiling '" + inputFilename + "' failed (see above)");
    module->walk([&](attn::SDPAOp op) {
      if (auto schedule = op.getGpuScheduleAttr())
        llvm::outs() << "  gpu schedule: " << schedule << "\n";
    });
    attn::AttnNVPTXPipelineOptions pipelineOptions;
    pipelineOptions.chip = chip;
    pipelineOptions.kernel = gpuKernel;
    attn::buildAttnNVPTXPipeline(pm, pipelineOptions);
    if (failed(pm.run(*module)))
      return fail("compiling '" + inputFilename + "' failed (see above)");
    // The mgpu* runtime the host code calls is linked into attn-run: the
    // JIT resolves it from the process (one copy, wherever attn-run is
    // installed), not from a build-tree path.
  } else {
    llvm::outs() << "compiling through attn-lower-to-llvm"
                 << (useReference ? "{flash=false}" : "")
                 << (serial ? " without OpenMP" : "") << "...\n";
    llvm::outs().flush();
    if (!useReference) {
      // Derive the schedules first (the pipeline keeps them) to show them.
      PassManager decomposePM(&context);
      decomposePM.addPass(attn::createDecomposeMultiHeadPass());
      if (failed(decomposePM.run(*module)))
        return fail("compiling '" + inputFilename + "' failed (see above)");
      if (forcedSchedule)
        module->walk(
            [&](attn::SDPAOp op) { op.setScheduleAttr(forcedSchedule); });
      PassManager schedulePM(&context);
      schedulePM.addPass(attn::createDeriveSchedulePass());
      if (failed(schedulePM.run(*module)))
        return fail("compiling '" + inputFilename + "' failed (see above)");
      module->walk([&](attn::SDPAOp op) {
        if (auto schedule = op.getScheduleAttr())
          llvm::outs() << "  schedule: " << schedule << "\n";
        else
          llvm::outs() << "  no flash schedule (reference lowering)\n";
      });
    }
    attn::AttnCPUPipelineOptions pipelineOptions;
    pipelineOptions.flash = !useReference;
    pipelineOptions.openmp = !serial;
    attn::buildAttnCPUPipeline(pm, pipelineOptions);
    if (failed(pm.run(*module)))
      return fail("compiling '" + inputFilename + "' failed (see above)");
    if (!serial) {
      if (!llvm::sys::fs::exists(ATTN_OMP_LIBRARY))
        return fail(llvm::Twine("the OpenMP runtime '") + ATTN_OMP_LIBRARY +
                    "' is missing (install libomp-22-dev) or pass --serial");
      sharedLibs.push_back(ATTN_OMP_LIBRARY);
    }
  }
  engineOptions.sharedLibPaths = sharedLibs;
  auto transformer = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(optLevel.getValue());
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return fail("JIT compilation failed: " +
                llvm::toString(engine.takeError()));
  double compileSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - compileStart)
                              .count();
  llvm::outs() << llvm::format("  compiled in %.3f s\n", compileSeconds);

  // Arguments of the C interface: one descriptor pointer per argument, then
  // one per result (caller-allocated outputs).
  // On the GPU the descriptors point at device copies of the buffers.
  struct DeviceBuffer {
    Buffer *host;
    void *pointer;
    size_t bytes;
    std::vector<int64_t> descriptor;
  };
  std::vector<DeviceBuffer> deviceBuffers;
  std::vector<void *> descriptorPtrs;
  auto addBuffer = [&](Buffer &buffer) {
    if (!onGPU) {
      descriptorPtrs.push_back(buffer.descriptor.data());
      return;
    }
    size_t bytes = std::max<size_t>(buffer.numElements() *
                                        buffer.elementBytes(), 1);
    void *pointer = mgpuMemAlloc(bytes, nullptr, false);
    std::vector<int64_t> descriptor = buffer.descriptor;
    descriptor[0] = descriptor[1] = reinterpret_cast<int64_t>(pointer);
    deviceBuffers.push_back({&buffer, pointer, bytes, std::move(descriptor)});
  };
  for (Buffer &buffer : args)
    addBuffer(buffer);
  for (Buffer &buffer : results)
    addBuffer(buffer);
  for (DeviceBuffer &device : deviceBuffers)
    descriptorPtrs.push_back(device.descriptor.data());
  auto upload = [&](Buffer &buffer) {
    for (DeviceBuffer &device : deviceBuffers)
      if (device.host == &buffer)
        mgpuMemcpy(device.pointer, buffer.data, device.bytes, nullptr);
  };
  auto download = [&](Buffer &buffer) {
    for (DeviceBuffer &device : deviceBuffers)
      if (device.host == &buffer)
        mgpuMemcpy(buffer.data, device.pointer, device.bytes, nullptr);
  };
  if (onGPU)
    for (Buffer &buffer : args)
      upload(buffer);
  SmallVector<void *> packedArgs;
  for (void *&ptr : descriptorPtrs)
    packedArgs.push_back(&ptr);
  auto call = [&]() -> bool {
    if (llvm::Error error = (*engine)->invokePacked("_mlir_ciface_" + name,
                                                    packedArgs)) {
      fail("calling '@" + name + "' failed: " +
           llvm::toString(std::move(error)));
      return false;
    }
    return true;
  };

  // One checked call on poisoned outputs.
  for (Buffer &buffer : results) {
    buffer.poison();
    if (onGPU)
      upload(buffer);
  }
  if (!call())
    return 2;
  for (Buffer &buffer : results) {
    if (onGPU)
      download(buffer);
    buffer.load();
  }

  double relErr = check ? 0.0 : std::nan(""),
         maxAbsErr = check ? 0.0 : std::nan("");
  bool nanSeen = false;
  bool ok = true;
  double tolerance = toleranceOption >= 0
                         ? toleranceOption.getValue()
                         : defaultTolerance(args.empty() ? ElementKind::F32
                                                         : args[0].kind);
  if (check) {
    for (auto [index, buffer] : llvm::enumerate(results)) {
      const std::vector<double> &want = expected[index];
      double diffNorm = 0.0, refNorm = 0.0, maxAbs = 0.0;
      int64_t bad = 0, infMismatch = 0;
      for (int64_t i = 0, e = buffer.numElements(); i < e; ++i) {
        double got = buffer.values[i], ref = want[i];
        // NaN the reference gives too (a row with a +inf additive mask
        // entry: inf - inf in the softmax, as in PyTorch) is a match.
        if (std::isnan(got) && std::isnan(ref))
          continue;
        if (std::isnan(got)) {
          ++bad;
          continue;
        }
        if (std::isinf(ref) || std::isinf(got)) {
          infMismatch += got != ref;
          continue;
        }
        diffNorm += (got - ref) * (got - ref);
        refNorm += ref * ref;
        maxAbs = std::max(maxAbs, std::abs(got - ref));
      }
      double rel = refNorm > 0 ? std::sqrt(diffNorm / refNorm)
                               : std::sqrt(diffNorm);
      llvm::outs() << llvm::format("  %s: rel_err=%.3e max_abs_err=%.3e",
                                   buffer.name.c_str(), rel, maxAbs);
      if (bad)
        llvm::outs() << " NaN/unwritten=" << bad;
      if (infMismatch)
        llvm::outs() << " inf-mismatch=" << infMismatch;
      llvm::outs() << "\n";
      relErr = std::max(relErr, rel);
      maxAbsErr = std::max(maxAbsErr, maxAbs);
      if (bad || infMismatch || !(rel <= tolerance))
        ok = false;
      // The summary line is what scripts read: a NaN, unwritten or
      // wrongly infinite element makes its errors NaN, not those of the
      // finite rest.
      if (bad || infMismatch)
        nanSeen = true;
    }
    llvm::outs() << llvm::format("check: %s (tolerance %.1e)\n",
                                 ok ? "PASS" : "FAIL", tolerance);
    if (nanSeen)
      relErr = maxAbsErr = std::nan("");
  } else {
    for (Buffer &buffer : results)
      for (double value : buffer.values)
        if (std::isnan(value)) {
          llvm::outs() << "  " << buffer.name
                       << " has NaN or unwritten elements\n";
          break;
        }
  }
  if (!saveOutput.empty()) {
    std::string error;
    if (!writeNpyF32(saveOutput, results[0].shape, results[0].values, error))
      return fail(error);
    llvm::outs() << "  wrote result #0 to " << saveOutput << "\n";
  }

  // Timing.
  for (unsigned i = 0; i < warmup; ++i)
    if (!call())
      return 2;
  std::vector<double> times;
  // On the GPU: CUDA events recorded around each (synchronous) call.
  void *startEvent = onGPU ? mgpuEventCreate() : nullptr;
  void *endEvent = onGPU ? mgpuEventCreate() : nullptr;
  for (unsigned i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (onGPU)
      mgpuEventRecord(startEvent, nullptr);
    if (!call())
      return 2;
    if (onGPU) {
      mgpuEventRecord(endEvent, nullptr);
      mgpuEventSynchronize(endEvent);
      times.push_back(attnEventElapsedMs(startEvent, endEvent));
      continue;
    }
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  if (onGPU) {
    mgpuEventDestroy(startEvent);
    mgpuEventDestroy(endEvent);
    for (DeviceBuffer &device : deviceBuffers)
      mgpuMemFree(device.pointer, nullptr);
  }
  std::sort(times.begin(), times.end());
  double ms = times[times.size() / 2];
  double gflops = ms > 0 ? flops / (ms * 1e6) : 0.0;
  llvm::outs() << llvm::format("time: %.4f ms/call (median of %u), "
                               "%.2f GFLOP/s\n",
                               ms, iterations.getValue(), gflops);
  llvm::outs() << llvm::format("rel_err=%.6e max_abs_err=%.6e ms=%.6f "
                               "gflops=%.4f\n",
                               relErr, maxAbsErr, ms, gflops);
  return ok ? 0 : 1;
}
