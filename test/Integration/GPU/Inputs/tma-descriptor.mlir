// Input of tma-descriptor-without-driver.c (not a test itself): the host
// side of nvgpu.tma.create.descriptor calls the runtime's
// mgpuTensorMapEncodeTiledMemref, and a kernel takes the descriptor.
!desc = !nvgpu.tensormap.descriptor<tensor = memref<64x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
func.func @encode(%buffer: memref<256x64xbf16>) {
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %unranked = memref.cast %buffer : memref<256x64xbf16> to memref<*xbf16>
  %desc = nvgpu.tma.create.descriptor %unranked box[%c64, %c64] : memref<*xbf16> -> !desc
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    nvgpu.tma.prefetch.descriptor %desc : !desc
    gpu.terminator
  }
  return
}
