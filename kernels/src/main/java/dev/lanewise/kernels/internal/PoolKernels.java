package dev.lanewise.kernels.internal;

/**
 * Pooling over one plane of {@code height x width} floats, row-major from an offset, into an
 * {@code outputHeight x outputWidth} plane (see {@link WindowShape} for the window). Arguments are
 * not checked: the operators validate once per call. A kernel's buffers come from the calling
 * thread's {@link PoolScratch}, passed in; the kernels themselves are stateless and thread-safe.
 *
 * <h2>What every implementation computes, bit for bit</h2>
 * For output {@code (oy, ox)} the window's taps inside the input are visited in row-major window
 * order, kernel row {@code r} then kernel column {@code s}, at input {@code (rowStart(oy) + r dh,
 * columnStart(ox) + s dw)}; padding is never visited.
 * <ul>
 *   <li>Max: {@code m = fold(Math.max)} over the taps, so NaN wins and {@code -0.0 < +0.0}. The
 *       index is that of the first tap holding the result: the running index moves to a tap exactly
 *       when {@code Math.max(m, x)} differs from {@code m} in its bits and {@code m} is not NaN
 *       (so the first NaN wins, and {@code +0.0} after {@code -0.0} moves it).</li>
 *   <li>Average: {@code sum} starts at {@code -0.0f} (the exact identity of float addition, so a
 *       window of {@code -0.0} averages to {@code -0.0}) and adds the taps in float, in the order
 *       above; the result is {@code sum / count} in float, {@code count} being the taps inside the
 *       input, or inside the padded extent when padding counts.</li>
 *   <li>Global sum of {@code n} floats: sixteen partial sums, each starting at {@code -0.0f};
 *       element {@code i} is added to partial {@code i % 16} in increasing {@code i}; the partials
 *       are then combined pairwise, {@code p[j] += p[j + w]} for {@code j < w}, {@code w = 8, 4, 2,
 *       1}. The order is fixed whatever the vector width, so every provider agrees.</li>
 * </ul>
 * Each output element is a function of its own taps only, computed the same way on every path, so
 * the vector implementation equals the scalar one bit for bit. A maximum without an index may take
 * its taps in any order ({@code Math.max} is associative and commutative on values), which leaves
 * only the bit pattern of a NaN result open (some NaN of the window).
 */
public abstract class PoolKernels {

    /** Partial sums of a global sum: a fixed count, so its rounding never depends on the vector width. */
    public static final int SUM_PARTIALS = 16;

    /** Bytes of {@link PoolScratch} that {@link #globalAverage} grows it to at most: the partial sums. */
    public static final long GLOBAL_SCRATCH_BYTES = (long) SUM_PARTIALS * Float.BYTES;

    /**
     * Bytes of {@link PoolScratch} that {@link #max}, {@link #maxWithIndices} and {@link #average}
     * over {@code s} grow it to at most, whatever the number of planes. Pure.
     */
    public abstract long scratchBytes(WindowShape s);

    /**
     * Max pool of {@code planes} planes: plane {@code p} read from {@code inOff + p * inStride},
     * output {@code (oy, ox)} written to {@code out[outOff + p * outStride + oy * outputWidth + ox]}.
     */
    public abstract void max(WindowShape s, int planes, float[] in, int inOff, int inStride,
                             float[] out, int outOff, int outStride, PoolScratch scratch);

    /**
     * Max pool of one plane with each maximum's index: {@code indices[indicesOff + oy * outputWidth + ox]
     * = indexBase + y * width + x} for the winning input element {@code (y, x)}.
     */
    public abstract void maxWithIndices(WindowShape s, float[] in, int inOff, float[] out, int outOff,
                                        long[] indices, int indicesOff, long indexBase, PoolScratch scratch);

    /**
     * Average pool of {@code planes} planes, laid out as in {@link #max}; {@code countPadding}
     * divides by the taps inside the padded extent.
     */
    public abstract void average(WindowShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                                 float[] out, int outOff, int outStride, PoolScratch scratch);

    /**
     * Global max pool of {@code planes} planes of {@code n >= 1} floats, plane {@code p} read from
     * {@code inOff + p * inStride}: {@code out[outOff + p] = fold(Math.max)} of the plane.
     */
    public abstract void globalMax(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff);

    /**
     * Global average pool of {@code planes} planes laid out as in {@link #globalMax}:
     * {@code out[outOff + p] = sum / n} in float, the plane's global sum taken in the fixed order above.
     */
    public abstract void globalAverage(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff,
                                       PoolScratch scratch);

    /** {@link #max} by the per-output rule, output by output. */
    protected static void maxByOutput(WindowShape s, int planes, float[] in, int inOff, int inStride,
                                      float[] out, int outOff, int outStride) {
        int ow = s.outputWidth();
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < s.outputHeight(); oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    out[outOff + p * outStride + oy * ow + ox] = maxAt(s, in, inOff + p * inStride, oy, ox);
                }
            }
        }
    }

    /** {@link #average} by the per-output rule, output by output. */
    protected static void averageByOutput(WindowShape s, boolean countPadding, int planes, float[] in, int inOff,
                                          int inStride, float[] out, int outOff, int outStride) {
        int ow = s.outputWidth();
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < s.outputHeight(); oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    out[outOff + p * outStride + oy * ow + ox] =
                            averageAt(s, countPadding, in, inOff + p * inStride, oy, ox);
                }
            }
        }
    }

    /** {@link #maxWithIndices} by the per-output rule, output by output. */
    protected static void maxWithIndicesByOutput(WindowShape s, float[] in, int inOff, float[] out, int outOff,
                                                 long[] indices, int indicesOff, long indexBase) {
        int ow = s.outputWidth();
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            for (int ox = 0; ox < ow; ox++) {
                long packed = maxAndIndexAt(s, in, inOff, oy, ox);
                out[outOff + oy * ow + ox] = Float.intBitsToFloat((int) packed);
                indices[indicesOff + oy * ow + ox] = indexBase + (packed >>> 32);
            }
        }
    }

    /** Max of output {@code (oy, ox)} by the scalar rule. */
    protected static float maxAt(WindowShape s, float[] in, int inOff, int oy, int ox) {
        int w = s.width();
        int y0 = s.rowStart(oy);
        int x0 = s.columnStart(ox);
        int c0 = s.firstColumn(ox);
        int c1 = s.endColumn(ox);
        float m = Float.NEGATIVE_INFINITY;
        for (int r = s.firstRow(oy); r < s.endRow(oy); r++) {
            int row = inOff + (y0 + r * s.dilationHeight()) * w + x0;
            for (int c = c0; c < c1; c++) {
                m = Math.max(m, in[row + c * s.dilationWidth()]);
            }
        }
        return m;
    }

    /**
     * Max of output {@code (oy, ox)} and its index within the plane ({@code y * width + x}), packed
     * as {@code index << 32 | floatToRawIntBits(max)}.
     */
    protected static long maxAndIndexAt(WindowShape s, float[] in, int inOff, int oy, int ox) {
        int w = s.width();
        int y0 = s.rowStart(oy);
        int x0 = s.columnStart(ox);
        int c0 = s.firstColumn(ox);
        int c1 = s.endColumn(ox);
        int r0 = s.firstRow(oy);
        int index = (y0 + r0 * s.dilationHeight()) * w + x0 + c0 * s.dilationWidth();
        float m = in[inOff + index];
        for (int r = r0; r < s.endRow(oy); r++) {
            int row = (y0 + r * s.dilationHeight()) * w + x0;
            for (int c = c0; c < c1; c++) {
                int at = row + c * s.dilationWidth();
                float next = Math.max(m, in[inOff + at]);
                if (Float.floatToRawIntBits(next) != Float.floatToRawIntBits(m) && !Float.isNaN(m)) {
                    m = next;
                    index = at;
                }
            }
        }
        return (long) index << 32 | (Float.floatToRawIntBits(m) & 0xFFFF_FFFFL);
    }

    /** Average of output {@code (oy, ox)} by the scalar rule. */
    protected static float averageAt(WindowShape s, boolean countPadding, float[] in, int inOff, int oy, int ox) {
        int w = s.width();
        int y0 = s.rowStart(oy);
        int x0 = s.columnStart(ox);
        int r0 = s.firstRow(oy);
        int r1 = s.endRow(oy);
        int c0 = s.firstColumn(ox);
        int c1 = s.endColumn(ox);
        float sum = -0.0f;
        for (int r = r0; r < r1; r++) {
            int row = inOff + (y0 + r * s.dilationHeight()) * w + x0;
            for (int c = c0; c < c1; c++) {
                sum += in[row + c * s.dilationWidth()];
            }
        }
        return sum / (rowCount(s, countPadding, oy) * columnCount(s, countPadding, ox));
    }

    /** The rows of output row {@code oy}'s windows that count in an average's divisor. */
    protected static int rowCount(WindowShape s, boolean countPadding, int oy) {
        return countPadding ? s.paddedRows(oy) : s.endRow(oy) - s.firstRow(oy);
    }

    /** The columns of output column {@code ox}'s window that count in an average's divisor. */
    protected static int columnCount(WindowShape s, boolean countPadding, int ox) {
        return countPadding ? s.paddedColumns(ox) : s.endColumn(ox) - s.firstColumn(ox);
    }

    /** The global sum of {@code n} floats by the rule, element by element, in {@code partials} ({@link #SUM_PARTIALS} floats). */
    protected static float sumByElement(float[] in, int off, int n, float[] partials) {
        java.util.Arrays.fill(partials, -0.0f);
        for (int i = 0; i < n; i++) {
            partials[i % SUM_PARTIALS] += in[off + i];
        }
        return combinePartials(partials);
    }

    /** Combines {@link #SUM_PARTIALS} partial sums pairwise, in place, and returns the total. */
    private static float combinePartials(float[] partials) {
        for (int w = SUM_PARTIALS / 2; w >= 1; w /= 2) {
            for (int j = 0; j < w; j++) {
                partials[j] += partials[j + w];
            }
        }
        return partials[0];
    }
}
