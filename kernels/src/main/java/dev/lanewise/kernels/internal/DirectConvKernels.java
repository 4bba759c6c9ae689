package dev.lanewise.kernels.internal;

/**
 * Direct convolution of one group: {@code channels} input planes, each filter a
 * {@code channels x KH x KW} window (strides, dilations, pads of {@link WindowShape#convolution})
 * producing its own output plane. The kernel of grouped layers with few channels per group
 * (ResNeXt's, RegNet's) and of first layers on a 3-channel image, where the GEMM lowering multiplies
 * small or short, wide matrices. {@link DepthwiseKernels} computes its one-channel case. Arguments
 * are not checked: the operators validate once per call.
 *
 * <h2>Layouts</h2>
 * Input plane {@code c < channels}: {@code x_c(y, x) = in[inOff + (c * H + y) * W + x]}; output
 * plane {@code f < filters}: {@code out[outOff + (f * OH + oy) * OW + ox]}; bias
 * {@code bias[biasOff + f]}. Weights in blocks of {@code F = }{@link #filtersPerBlock()} filters,
 * tap-major inside a block, the taps {@code k = (c * KH + r) * KW + s} in OIHW order:
 * <pre>
 *   w[f][c][r][s] = w[wOff + ((f / F) * K + k) * F + f % F],    K = channels * KH * KW
 * </pre>
 * as {@link #pack} lays them out (with {@code F = 1} that is OIHW itself).
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
 * where {@code x_c(y, x)} is {@code +0.0f} for a column outside {@code [0, W)}: kernel rows outside
 * the input are skipped and padding columns take part as zero products (unlike
 * {@link DepthwiseKernels}, whose padding rows take part too: the two differ only in the sign of a
 * zero sum and in NaN from an infinite weight, and the GEMM lowering agrees with neither bit for bit). One FMA chain per output, in the same order on every path,
 * so the vector implementations equal the scalar one bit for bit, whatever their register blocking,
 * and the result does not depend on how the filters are split over threads. {@code max} and
 * {@code min} are {@link Math}'s: NaN propagates, {@code -0.0 < +0.0}.
 *
 * <h2>The band</h2>
 * The vector implementations read their input from a {@link RowBand} of the {@code channels}
 * planes (granule {@link #granule()}), through a table of each tap's offset in it made once per
 * window ({@link #taps}); callers pass a band of at least {@link RowBand#FLOATS} floats and a tile
 * of at least {@link #TILE_FLOATS} floats (per-thread scratch, both overwritten), and only windows
 * that {@link #fits} them. The scalar implementation ignores the table, the band and the tile.
 */
public abstract class DirectConvKernels {

    /** Floats of the tile scratch a vector implementation dumps its accumulators into before the store. */
    public static final int TILE_FLOATS = GemmMicroKernel.SCRATCH_FLOATS;

    /**
     * Convolves {@code filters} filters over {@code channels} consecutive {@code H x W} input planes
     * at {@code in[inOff]} into {@code filters} consecutive {@code OH x OW} output planes at
     * {@code out[outOff]}, as above.
     *
     * @param taps {@link #taps}{@code (s, channels)}
     * @param w    weights in this kernel's blocks from {@code wOff} ({@link #pack})
     * @param bias one value per filter from {@code biasOff}, or {@code null} for none
     * @param band scratch of at least {@link RowBand#FLOATS} floats; contents are overwritten
     * @param tile scratch of at least {@link #TILE_FLOATS} floats; contents are overwritten
     */
    public abstract void convolve(WindowShape s, int channels, int[] taps, float[] in, int inOff, int filters,
                                  float[] w, int wOff, float[] bias, int biasOff, float lo, float hi,
                                  float[] out, int outOff, float[] band, float[] tile);

    /**
     * The table of {@link #convolve}: per tap {@code k = (c * KH + r) * KW + s}, its offset in the
     * band from the output's position in plane 0's row {@code rowStart(oy)}. Made once per window;
     * immutable.
     */
    public abstract int[] taps(WindowShape s, int channels);

    /** The register block, e.g. {@code "8x3"} (8 filters x 3 output rows of one vector), or {@code "scalar"}. */
    public abstract String name();

    /** Filters computed together, {@code F}: the blocks of the weights' layout, and of a split over threads. */
    public abstract int filtersPerBlock();

    /** Outputs of a row computed together, the {@link RowBand} granule (1 for the scalar implementation). */
    public abstract int granule();

    /** Whether {@code channels} planes of {@code s}'s rows fit the band: the domain of {@link #convolve}. */
    public final boolean fits(WindowShape s, int channels) {
        return RowBand.fits(s, channels, granule());
    }

    /** Floats of one group's packed weights: {@code ceil(filters / F) * F * weightsPerFilter}. */
    public final int packedFloats(int filters, int weightsPerFilter) {
        int fb = filtersPerBlock();
        return (filters + fb - 1) / fb * fb * weightsPerFilter;
    }

    /**
     * The weights of {@code groups} groups of {@code filters} filters each, OIHW ({@code w[(f *
     * weightsPerFilter) + k]} for the layer's filter {@code f}), in this kernel's layout: group
     * {@code g} from {@code g * packedFloats(filters, weightsPerFilter)}, its last block filled up
     * with zero filters.
     */
    public final float[] pack(float[] w, int groups, int filters, int weightsPerFilter) {
        int fb = filtersPerBlock();
        int groupFloats = packedFloats(filters, weightsPerFilter);
        float[] packed = new float[groups * groupFloats];
        for (int g = 0; g < groups; g++) {
            for (int f = 0; f < filters; f++) {
                int src = (g * filters + f) * weightsPerFilter;
                int dst = g * groupFloats + f / fb * fb * weightsPerFilter + f % fb;
                for (int k = 0; k < weightsPerFilter; k++) {
                    packed[dst + k * fb] = w[src + k];
                }
            }
        }
        return packed;
    }

    @Override
    public String toString() {
        return name();
    }
}
