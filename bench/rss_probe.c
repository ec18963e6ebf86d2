// Peak-memory probe for the flash kernel: allocates Q, K, V and O for the
// shape given at compile time (-DB= -DH= -DS= -DD=), calls the compiled
// _mlir_ciface_attention once, and prints the peak resident set size next
// to the bytes of inputs + output. Built and run by attn_bench.py memory.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} MemRef4D;

void _mlir_ciface_attention(MemRef4D *q, MemRef4D *k, MemRef4D *v,
                            MemRef4D *out);

static MemRef4D make(float *data) {
  MemRef4D m = {data, data, 0, {B, H, S, D}, {(int64_t)H * S * D, (int64_t)S * D, D, 1}};
  return m;
}

int main(void) {
  size_t count = (size_t)B * H * S * D;
  float *buffers[4];
  for (int i = 0; i < 4; ++i) {
    buffers[i] = aligned_alloc(64, count * sizeof(float));
    for (size_t j = 0; j < count; ++j)
      buffers[i][j] = (float)((j * 2654435761u + i) % 1000) / 1000.0f - 0.5f;
  }
  MemRef4D q = make(buffers[0]), k = make(buffers[1]), v = make(buffers[2]),
           o = make(buffers[3]);
  _mlir_ciface_attention(&q, &k, &v, &o);
  double checksum = 0;
  for (size_t j = 0; j < count; ++j)
    checksum += buffers[3][j];
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("peak_rss_mib=%.1f inputs_output_mib=%.1f checksum=%g\n",
         usage.ru_maxrss / 1024.0, 4.0 * count * sizeof(float) / (1 << 20),
         checksum);
  return 0;
}
