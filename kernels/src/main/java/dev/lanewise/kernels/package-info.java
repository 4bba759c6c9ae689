/**
 * The public API of lanewise's kernels: {@link dev.lanewise.kernels.Sgemm} (single-precision GEMM
 * with an optional fused {@link dev.lanewise.kernels.Epilogue}), {@link dev.lanewise.kernels.Lanewise}
 * (thread count, implementation in use) and {@link dev.lanewise.kernels.Scratch} (scratch memory a
 * caller owns and passes into calls instead of the per-thread default).
 *
 * <p>Every entry point validates its arguments once, before touching memory, and is safe to call from
 * many threads at once.
 */
package dev.lanewise.kernels;
