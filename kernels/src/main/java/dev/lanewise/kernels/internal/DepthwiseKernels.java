package dev.lanewise.kernels.internal;

/**
 * Direct depthwise convolution: the filters of one input plane, each a {@code KH x KW} window
 * (strides, dilations, pads of {@link WindowShape#convolution}) producing its own output plane. The
 * kernel of a grouped convolution with one input channel per group (MobileNet's, EfficientNet's
 * depthwise layers), where the GEMM lowering would multiply a 1-row matrix. Arguments are not
 * checked: the operators validate once per call.
 *
 * <h2>What every implementation computes, bit for bit</h2>
 * For filter {@code f < filters} (weights {@code w[wOff + f * KH * KW + r * KW + s]}) and output
 * {@code (oy, ox)}:
 * <pre>
 *   acc = +0.0f
 *   for r in [firstRow(oy), endRow(oy)), then s in [0, KW):       (kernel rows inside the input only)
 *       acc = fma(x(rowStart(oy) + r dh, columnStart(ox) + s dw), w[f][r][s], acc)
 *   out[outOff + f * OH * OW + oy * OW + ox] = epilogue.apply(acc, f, oy * OW + ox)
 * </pre>
 * where {@code x(y, c)} is {@code in[inOff + y * W + c]}, or {@code +0.0f} for a column outside
 * {@code [0, W)}: padding columns take part as zero products, padding rows are skipped (a product
 * with zero changes no sum but the sign of a zero, or a NaN from an infinite weight; skipping rows is
 * what lets a kernel run a band of rows without bounds logic, zero columns what lets it read padded
 * rows with plain vector loads). One FMA chain per output, in the same order on every path, so the
 * vector implementation equals the scalar one bit for bit, and the result does not depend on how
 * planes are spread over threads. The {@link BoundEpilogue} (bias, residual, activation) sees the
 * filters' planes as the rows of a matrix: its bias is per filter, its residual
 * {@code R(f, oy * OW + ox)} has {@code ldr = OH * OW}.
 *
 * <h2>The band</h2>
 * The vector implementation reads its input from a {@link RowBand} of one plane, staged once per
 * band of output rows; callers pass a band of at least {@link RowBand#FLOATS} floats (per-thread
 * scratch), and only windows whose rows {@linkplain RowBand#fits fit} one, for {@code L}-float steps
 * ({@link KernelProvider#floatLanes()}). The scalar implementation ignores it.
 */
public abstract class DepthwiseKernels {

    /**
     * Convolves {@code filters} filters over one {@code H x W} input plane at {@code in[inOff]} into
     * {@code filters} consecutive {@code OH x OW} output planes at {@code out[outOff]}, as above.
     *
     * @param epilogue what each output is stored with, its row {@code f} being filter {@code f}; read only
     * @param band     scratch of at least {@link RowBand#FLOATS} floats; contents are overwritten
     */
    public abstract void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                                  BoundEpilogue epilogue, float[] out, int outOff, float[] band);
}
