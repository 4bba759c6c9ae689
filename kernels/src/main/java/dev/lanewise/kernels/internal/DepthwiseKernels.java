package dev.lanewise.kernels.internal;

/**
 * Direct depthwise convolution: the filters of one input plane, each a {@code KH x KW} window
 * (strides, dilations, pads of {@link WindowShape#convolution}) producing its own output plane. The
 * kernel of a grouped convolution with one input channel per group (MobileNet's, EfficientNet's
 * depthwise layers), where the GEMM lowering would multiply a 1-row matrix. Arguments are not
 * checked: the operators validate once per call.
 *
 * <h2>What every implementation computes, bit for bit</h2>
 * For input plane {@code p < planes} ({@code x_p(y, c) = in[inOff + p * H * W + y * W + c]}), its
 * filter {@code f < filters}, row {@code i = p * filters + f} of the call (weights
 * {@code w[wOff + i * KH * KW + r * KW + s]}), and output {@code (oy, ox)}:
 * <pre>
 *   acc = +0.0f
 *   for r in [0, KH), then s in [0, KW):
 *       acc = fma(x_p(rowStart(oy) + r dh, columnStart(ox) + s dw), w[i][r][s], acc)
 *   out[outOff + i * OH * OW + oy * OW + ox] = epilogue.apply(acc, i, oy * OW + ox)
 * </pre>
 * where {@code x_p(y, c)} is {@code +0.0f} outside the input: padding takes part as zero products,
 * as in im2col and in PyTorch's and ONNX Runtime's convolutions (a product with zero changes no sum
 * but the sign of a zero, or makes a NaN from an infinite weight; all of a window's taps being real
 * products is what lets the vector kernel run every output row, at the edges too, in one form over
 * zero-padded rows). One FMA chain per output, in the same order on every path, so the vector
 * implementation equals the scalar one bit for bit, and the result does not depend on how planes are
 * spread over threads or calls.
 * The {@link BoundEpilogue} (bias, residual, activation) sees the call's output planes as the rows of
 * a matrix: its bias is per row {@code i}, its residual {@code R(i, oy * OW + ox)} has
 * {@code ldr = OH * OW}. A call takes many planes so that what a plane costs besides its arithmetic
 * (staging set-up, masks, the epilogue's fields) is paid once: MobileNet's 7 x 7 planes hold 49 outputs.
 *
 * <h2>The band</h2>
 * The vector implementation stages each plane's rows, padding rows included (as zero rows), into a
 * {@link RowBand}-layout band and computes the sums of a band of output rows, four rows at a time,
 * into the same scratch before storing them through the epilogue; callers pass at least
 * {@link RowBand#FLOATS} floats of scratch, and only windows that {@link #fits} one for
 * {@code L}-float steps ({@link KernelProvider#floatLanes()}). The scalar implementation ignores it.
 */
public abstract class DepthwiseKernels {

    /**
     * Convolves {@code planes} consecutive {@code H x W} input planes at {@code in[inOff]}, each with
     * its {@code filters} filters, into {@code planes * filters} consecutive {@code OH x OW} output
     * planes at {@code out[outOff]}, as above.
     *
     * @param epilogue what each output is stored with, its row {@code i} being output plane {@code i}; read only
     * @param band     scratch of at least {@link RowBand#FLOATS} floats; contents are overwritten
     */
    public abstract void convolve(WindowShape s, int planes, float[] in, int inOff, int filters, float[] w, int wOff,
                                  BoundEpilogue epilogue, float[] out, int outOff, float[] band);

    /** Output rows the vector implementation computes together, and the granule of a band's output rows. */
    public static final int ROW_GROUP = 4;

    /**
     * Output rows of {@code s} a band holds at once for {@code lanes}-float steps: a multiple of
     * {@link #ROW_GROUP} (or all {@code OH}), such that the padded input rows of whole groups,
     * {@code (rows - 1) sh + (KH - 1) dh + 1} rows of {@link RowBand#rowFloats} for {@code rows}
     * rounded up to the group, and their rows of sums ({@link #sumRowFloats}) fit {@link RowBand#FLOATS};
     * 0 when not even one group fits.
     */
    public static int bandOutputRows(WindowShape s, int lanes) {
        long rowFloats = RowBand.rowFloats(s, lanes);
        long sumFloats = sumRowFloats(s, lanes);
        int sh = s.strideHeight();
        long free = RowBand.FLOATS - (RowBand.rowsOfOutputRow(s) - sh) * rowFloats;
        long groups = free / (ROW_GROUP * (sh * rowFloats + sumFloats));
        return (int) Math.max(0, Math.min(s.outputHeight(), groups * ROW_GROUP));
    }

    /** Floats between two rows of sums in the band: {@code OW} rounded up to {@code lanes}. */
    public static int sumRowFloats(WindowShape s, int lanes) {
        return (s.outputWidth() + lanes - 1) / lanes * lanes;
    }

    /** Whether the band holds one output row of {@code s} for {@code lanes}-float steps: the vector kernel's domain. */
    public static boolean fits(WindowShape s, int lanes) {
        return bandOutputRows(s, lanes) >= 1;
    }
}
