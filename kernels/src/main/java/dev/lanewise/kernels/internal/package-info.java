/**
 * Internal: the GEMM driver (blocking, packing, threads), the micro-kernel contract, the
 * implementation providers and the shared worker pool. Exported only to lanewise's own modules;
 * no compatibility promise.
 */
package dev.lanewise.kernels.internal;
