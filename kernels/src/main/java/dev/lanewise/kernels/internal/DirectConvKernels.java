package dev.lanewise.kernels.internal;

/**
 * Direct convolution of one group: {@code channels} input planes, each filter a
 * {@code channels x KH x KW} window (strides, dilations, pads of {@link WindowShape#convolution})
 * producing its own output plane. The kernel of grouped layers with few channels per group
 * (ResNeXt's, RegNet's) and of first layers on a 3-channel image, where the GEMM lowering multiplies
 * small or short, wide matrices. {@link DepthwiseKernels} is its one-channel case with the filters'
 * layout simplified. Arguments are not checked: the operators validate once per call.
 *
 * <h2>Layouts</h2>
 * Input plane {@code c < channels}: {@code x_c(y, x) = in[inOff + (c * H + y) * W + x]}; weights
 * OIHW: {@code w[f][c][r][s] = w[wOff + ((f * channels + c) * KH + r) * KW + s]}; output plane
 * {@code f < filters}: {@code out[outOff + (f * OH + oy) * OW + ox]}; bias {@code bias[biasOff + f]}.
 *
 * <h2>What every implementation computes, bit for bit</h2>
 * For filter {@code f} and output {@code (oy, ox)}:
 * <pre>
 *   acc = +0.0f
 *   for c in [0, channels), then r in [firstRow(oy), endRow(oy)), then s in [0, KW):
 *       acc = fma(x_c(rowStart(oy) + r dh, columnStart(ox) + s dw), w[f][c][r][s], acc)
 *   t   = bias == null ? acc : acc + bias[biasOff + f]
 *   out[outOff + (f * OH + oy) * OW + ox] = min(max(t, lo), hi)
 * </pre>
 * where {@code x_c(y, x)} is {@code +0.0f} for a column outside {@code [0, W)}: as in
 * {@link DepthwiseKernels}, kernel rows outside the input are skipped and padding columns take part
 * as zero products, and that rule with the channel loop outermost is this one. One FMA chain per
 * output, in the same order on every path, so the vector implementations equal the scalar one bit
 * for bit, whatever their register blocking, and the result does not depend on how the filters are
 * split over threads. {@code max} and {@code min} are {@link Math}'s: NaN propagates,
 * {@code -0.0 < +0.0}.
 *
 * <h2>The band</h2>
 * The vector implementations read their input from a {@link RowBand} of the {@code channels}
 * planes, staged once per band of output rows for steps of {@link #granule()} outputs along a row;
 * callers pass a band of at least {@link RowBand#FLOATS} floats and a tile of at least
 * {@link #TILE_FLOATS} floats (per-thread scratch, both overwritten), and only windows that
 * {@link #fits} them. The scalar implementation ignores both.
 */
public abstract class DirectConvKernels {

    /** Floats of the tile scratch a vector implementation dumps its accumulators into before the store. */
    public static final int TILE_FLOATS = GemmMicroKernel.SCRATCH_FLOATS;

    /**
     * Convolves {@code filters} filters over {@code channels} consecutive {@code H x W} input planes
     * at {@code in[inOff]} into {@code filters} consecutive {@code OH x OW} output planes at
     * {@code out[outOff]}, as above.
     *
     * @param bias one value per filter from {@code biasOff}, or {@code null} for none
     * @param band scratch of at least {@link RowBand#FLOATS} floats; contents are overwritten
     * @param tile scratch of at least {@link #TILE_FLOATS} floats; contents are overwritten
     */
    public abstract void convolve(WindowShape s, int channels, float[] in, int inOff, int filters, float[] w, int wOff,
                                  float[] bias, int biasOff, float lo, float hi, float[] out, int outOff,
                                  float[] band, float[] tile);

    /** The register block, e.g. {@code "4x4v"} (4 filters x 4 vectors), or {@code "scalar"}. */
    public abstract String name();

    /** Filters computed together: the granule in which {@link #convolve}'s callers best split filters. */
    public abstract int filtersPerBlock();

    /** Outputs of a row computed together, the {@link RowBand} granule (1 for the scalar implementation). */
    public abstract int granule();

    /** Whether {@code channels} planes of {@code s}'s rows fit the band: the domain of {@link #convolve}. */
    public final boolean fits(WindowShape s, int channels) {
        return RowBand.fits(s, channels, granule());
    }

    @Override
    public String toString() {
        return name();
    }
}
