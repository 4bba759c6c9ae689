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
 * The vector implementation reads its input from a band: input rows copied once into
 * {@code band}, each row padded with zero columns and split into {@code sw} phases (phase {@code q}
 * holds padded columns {@code q, q + sw, q + 2 sw, ...}), so that for every tap {@code s} the
 * outputs of a row read consecutive floats of phase {@code (s dw) mod sw}: one vector load per tap at
 * any stride and dilation. A band holds the input rows of as many output rows as fit
 * {@link #BAND_FLOATS}; rows shared by two bands are copied twice. Callers pass a band of at least
 * {@link #BAND_FLOATS} floats (per-thread scratch); the scalar implementation ignores it.
 */
public abstract class DepthwiseKernels {

    /** Floats of a band: 128 KiB, so that a band of rows stays in L2 while its filters run over it. */
    public static final int BAND_FLOATS = 1 << 15;

    /**
     * Convolves {@code filters} filters over one {@code H x W} input plane at {@code in[inOff]} into
     * {@code filters} consecutive {@code OH x OW} output planes at {@code out[outOff]}, as above.
     *
     * @param epilogue what each output is stored with, its row {@code f} being filter {@code f}; read only
     * @param band     scratch of at least {@link #BAND_FLOATS} floats; contents are overwritten
     */
    public abstract void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                                  BoundEpilogue epilogue, float[] out, int outOff, float[] band);

    /**
     * Whether a band of {@link #BAND_FLOATS} floats holds the input rows of at least one output row
     * of {@code s} when rows are padded for {@code lanes}-wide vectors: the domain of the banded
     * implementation. Windows too tall or rows too wide for it (kernel rows times padded width above
     * 32 Ki floats) are left to other algorithms.
     */
    public static boolean fitsBand(WindowShape s, int lanes) {
        return (long) bandRowFloats(s, lanes) * rowsOfOutputRow(s) <= BAND_FLOATS;
    }

    /**
     * Floats of one phase of a band row: every output column's taps, plus the slack the last
     * vector of a row reads past {@code OW} (lanes it then discards):
     * {@code roundUp(OW, lanes) + floor((KW - 1) dw / sw) + 1}.
     */
    public static int phaseFloats(WindowShape s, int lanes) {
        int ow = s.outputWidth();
        return (ow + lanes - 1) / lanes * lanes + (s.kernelWidth() - 1) * s.dilationWidth() / s.strideWidth() + 1;
    }

    /** Floats of one band row: {@code sw} phases. */
    public static int bandRowFloats(WindowShape s, int lanes) {
        return s.strideWidth() * phaseFloats(s, lanes);
    }

    /** Input rows one output row's window spans: {@code (KH - 1) dh + 1}. */
    static int rowsOfOutputRow(WindowShape s) {
        return (s.kernelHeight() - 1) * s.dilationHeight() + 1;
    }
}
