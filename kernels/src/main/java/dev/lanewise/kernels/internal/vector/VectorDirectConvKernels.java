package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.DirectConvKernels;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectConvKernels} vectorised along the output row and blocked over filters and output
 * rows: a block is {@code F} filters times {@code R} output rows of one vector of {@code L}
 * adjacent outputs each, held in {@code F * R} accumulators. Per tap a block loads {@code R}
 * input vectors from the band and broadcasts {@code F} weights, and each input vector feeds
 * {@code F} FMAs; every lane runs the scalar rule's FMA chain on its own taps, so the results agree
 * bit for bit. One vector wide, a block wastes lanes only in a row's last vector.
 *
 * <p>Input rows of all {@code channels} planes are first copied into the band (zero padding
 * columns, {@code sw} phases, granule {@code L}; see {@link RowBand}), after which tap
 * {@code k = (c * KH + r) * KW + s} of the outputs {@code ox .. ox + L - 1} of output row
 * {@code oy} is one plain load from the band at that row's start plus {@code ox} plus
 * {@code taps[k]} ({@link #taps}: plane {@code c}, kernel row {@code r}, phase and index of column
 * {@code s}), and row {@code oy + j} lies {@code j sh} band rows further. The taps of one channel
 * that fall inside the input are consecutive in the table, so the inner loop runs over them in one
 * go; the weights of a block, packed tap-major ({@link DirectConvKernels#pack}), are read from one
 * index. Loops: per band of output rows, per block of up to {@code R} rows whose windows have the
 * same rows inside the input, per block of {@code F} filters, per vector of the row, so the band
 * rows of an output row stay in L1 while every filter runs over them.
 *
 * <p>Tails: the last block of filters computes zero filters in the missing ones' accumulators (the
 * packed weights' padding) and stores only the real ones; a block of fewer than {@code R} rows (the
 * band's last, or rows whose windows are clipped differently at the image's top or bottom edge)
 * computes its last real row again in the missing ones and stores only the real ones; the last
 * vector of a row reads the band's slack and is stored under a mask. A block dumps its accumulators
 * into the tile and {@link #store} applies bias and clamp: the one place of the epilogue (vectors
 * cannot be passed to a method without boxing them, unless C2 inlines it).
 *
 * <p>As in the other vector kernels, every vector is made and used in one method and nothing is
 * returned or passed as a vector, so nothing is boxed.
 */
final class VectorDirectConvKernels extends DirectConvKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    /** The register blocks: {@code F} filters x {@code R} output rows; registers: {@code F R} accumulators, {@code R} input vectors, a broadcast. */
    enum Block {
        /** 24 accumulators: 28 registers. */
        F8R3(8, 3),
        /** 16 accumulators: 21 registers. */
        F4R4(4, 4),
        /** 8 accumulators: 11 registers. */
        F4R2(4, 2);

        final int filters;
        final int rows;

        Block(int filters, int rows) {
            this.filters = filters;
            this.rows = rows;
        }
    }

    private final ArrayKernels arrays;
    private final Block block;

    VectorDirectConvKernels(ArrayKernels arrays, Block block) {
        this.arrays = arrays;
        this.block = block;
    }

    @Override
    public String name() {
        return block.filters + "x" + block.rows;
    }

    @Override
    public int filtersPerBlock() {
        return block.filters;
    }

    @Override
    public int granule() {
        return L;
    }

    @Override
    public int[] taps(WindowShape s, int channels) {
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int sw = s.strideWidth();
        int rowFloats = RowBand.rowFloats(s, L);
        int phase = RowBand.phaseFloats(s, L);
        int planeFloats = RowBand.planeFloats(s, channels, L);
        int[] taps = new int[channels * kh * kw];
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < kh; r++) {
                for (int t = 0; t < kw; t++) {
                    int column = t * s.dilationWidth();
                    taps[(c * kh + r) * kw + t] = c * planeFloats + r * s.dilationHeight() * rowFloats
                            + column % sw * phase + column / sw;
                }
            }
        }
        return taps;
    }

    @Override
    public void convolve(WindowShape s, int channels, int[] taps, float[] in, int inOff, int filters,
                         float[] w, int wOff, float[] bias, int biasOff, float lo, float hi,
                         float[] out, int outOff, float[] band, float[] tile) {
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        int plane = oh * ow;
        int kw = s.kernelWidth();
        int khkw = s.kernelHeight() * kw;
        int weightsPerFilter = channels * khkw;
        int rowFloats = RowBand.rowFloats(s, L);
        int rowStride = s.strideHeight() * rowFloats;
        int outRowsPerBand = RowBand.outputRows(s, channels, L);
        assert outRowsPerBand >= 1 : "the caller checks fits";
        int fb = block.filters;
        for (int oy0 = 0; oy0 < oh; oy0 += outRowsPerBand) {
            int oy1 = Math.min(oh, oy0 + outRowsPerBand);
            int y0 = RowBand.firstInputRow(s, oy0);
            RowBand.stage(arrays, s, L, channels, in, inOff, y0, RowBand.endInputRow(s, oy1), band);
            for (int oy = oy0, rows; oy < oy1; oy += rows) {
                // Up to R rows whose windows keep the same kernel rows [r0, r1) inside the input.
                int r0 = s.firstRow(oy);
                int r1 = s.endRow(oy);
                rows = 1;
                while (rows < block.rows && oy + rows < oy1 && s.firstRow(oy + rows) == r0 && s.endRow(oy + rows) == r1) {
                    rows++;
                }
                int rowAt = (s.rowStart(oy) - y0) * rowFloats;
                for (int f0 = 0; f0 < filters; f0 += fb) {
                    int wb = wOff + f0 * weightsPerFilter;
                    int outAt = outOff + f0 * plane + oy * ow;
                    for (int ox = 0; ox < ow; ox += L) {
                        int at = rowAt + ox;
                        switch (block) {
                            case F8R3 -> block8x3(channels, khkw, kw, r0, r1, taps, band, at, rowStride, rows, w, wb, tile);
                            case F4R4 -> block4x4(channels, khkw, kw, r0, r1, taps, band, at, rowStride, rows, w, wb, tile);
                            case F4R2 -> block4x2(channels, khkw, kw, r0, r1, taps, band, at, rowStride, rows, w, wb, tile);
                        }
                        store(tile, block.rows, Math.min(fb, filters - f0), rows, ox, ow, bias, biasOff + f0, lo, hi,
                                out, outAt + ox, plane);
                    }
                }
            }
        }
    }

    /**
     * The epilogue of a block dumped into {@code tile} (filter {@code i}'s row {@code j} at
     * {@code (i * rowsPerBlock + j) * L}): {@code min(max(acc + bias, lo), hi)}, adding {@code -0.0}
     * when there is no bias (which changes no float, not even {@code -0.0} or a NaN: the rule's
     * "no addition"), stored to {@code out[at + i * plane + j * OW]}; the first {@code filters}
     * filters and {@code rows} rows only, and the outputs before {@code OW} only (the vector at
     * column {@code ox}).
     */
    private static void store(float[] tile, int rowsPerBlock, int filters, int rows, int ox, int ow, float[] bias,
                              int biasAt, float lo, float hi, float[] out, int at, int plane) {
        FloatVector loV = FloatVector.broadcast(S, lo);
        FloatVector hiV = FloatVector.broadcast(S, hi);
        boolean full = ox + L <= ow;
        for (int i = 0; i < filters; i++) {
            float b = bias == null ? -0f : bias[biasAt + i];
            for (int j = 0; j < rows; j++) {
                FloatVector t = FloatVector.fromArray(S, tile, (i * rowsPerBlock + j) * L).add(b).max(loV).min(hiV);
                int o = at + i * plane + j * ow;
                if (full) {
                    t.intoArray(out, o);
                } else {
                    t.intoArray(out, o, S.indexInRange(ox, ow));
                }
            }
        }
    }

    /**
     * 8 filters x 3 output rows of one vector into {@code tile}: kernel rows {@code [r0, r1)} of
     * every channel ({@code khkw} taps per channel, {@code kw} per kernel row), the band from index
     * {@code at} plus each tap's offset, rows {@code rowStride} apart ({@code rows} real ones, the
     * last repeated), the weights from {@code w[wb]} in blocks of 8.
     */
    private static void block8x3(int channels, int khkw, int kw, int r0, int r1, int[] taps, float[] band, int at,
                                 int rowStride, int rows, float[] w, int wb, float[] tile) {
        int o1 = Math.min(1, rows - 1) * rowStride;
        int o2 = Math.min(2, rows - 1) * rowStride;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00;
        FloatVector a60 = a00, a61 = a00, a62 = a00;
        FloatVector a70 = a00, a71 = a00, a72 = a00;
        for (int c = 0, cb = 0; c < channels; c++, cb += khkw) {
            for (int k = cb + r0 * kw, end = cb + r1 * kw; k < end; k++) {
                int x = at + taps[k];
                FloatVector x0 = FloatVector.fromArray(S, band, x);
                FloatVector x1 = FloatVector.fromArray(S, band, x + o1);
                FloatVector x2 = FloatVector.fromArray(S, band, x + o2);
                int wk = wb + k * 8;
                FloatVector wv = FloatVector.broadcast(S, w[wk]);
                a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01); a02 = x2.fma(wv, a02);
                wv = FloatVector.broadcast(S, w[wk + 1]);
                a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11); a12 = x2.fma(wv, a12);
                wv = FloatVector.broadcast(S, w[wk + 2]);
                a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21); a22 = x2.fma(wv, a22);
                wv = FloatVector.broadcast(S, w[wk + 3]);
                a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31); a32 = x2.fma(wv, a32);
                wv = FloatVector.broadcast(S, w[wk + 4]);
                a40 = x0.fma(wv, a40); a41 = x1.fma(wv, a41); a42 = x2.fma(wv, a42);
                wv = FloatVector.broadcast(S, w[wk + 5]);
                a50 = x0.fma(wv, a50); a51 = x1.fma(wv, a51); a52 = x2.fma(wv, a52);
                wv = FloatVector.broadcast(S, w[wk + 6]);
                a60 = x0.fma(wv, a60); a61 = x1.fma(wv, a61); a62 = x2.fma(wv, a62);
                wv = FloatVector.broadcast(S, w[wk + 7]);
                a70 = x0.fma(wv, a70); a71 = x1.fma(wv, a71); a72 = x2.fma(wv, a72);
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L); a02.intoArray(tile, 2 * L);
        a10.intoArray(tile, 3 * L); a11.intoArray(tile, 4 * L); a12.intoArray(tile, 5 * L);
        a20.intoArray(tile, 6 * L); a21.intoArray(tile, 7 * L); a22.intoArray(tile, 8 * L);
        a30.intoArray(tile, 9 * L); a31.intoArray(tile, 10 * L); a32.intoArray(tile, 11 * L);
        a40.intoArray(tile, 12 * L); a41.intoArray(tile, 13 * L); a42.intoArray(tile, 14 * L);
        a50.intoArray(tile, 15 * L); a51.intoArray(tile, 16 * L); a52.intoArray(tile, 17 * L);
        a60.intoArray(tile, 18 * L); a61.intoArray(tile, 19 * L); a62.intoArray(tile, 20 * L);
        a70.intoArray(tile, 21 * L); a71.intoArray(tile, 22 * L); a72.intoArray(tile, 23 * L);
    }

    /** {@link #block8x3} with 4 filters x 4 rows. */
    private static void block4x4(int channels, int khkw, int kw, int r0, int r1, int[] taps, float[] band, int at,
                                 int rowStride, int rows, float[] w, int wb, float[] tile) {
        int o1 = Math.min(1, rows - 1) * rowStride;
        int o2 = Math.min(2, rows - 1) * rowStride;
        int o3 = Math.min(3, rows - 1) * rowStride;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0, cb = 0; c < channels; c++, cb += khkw) {
            for (int k = cb + r0 * kw, end = cb + r1 * kw; k < end; k++) {
                int x = at + taps[k];
                FloatVector x0 = FloatVector.fromArray(S, band, x);
                FloatVector x1 = FloatVector.fromArray(S, band, x + o1);
                FloatVector x2 = FloatVector.fromArray(S, band, x + o2);
                FloatVector x3 = FloatVector.fromArray(S, band, x + o3);
                int wk = wb + k * 4;
                FloatVector wv = FloatVector.broadcast(S, w[wk]);
                a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01); a02 = x2.fma(wv, a02); a03 = x3.fma(wv, a03);
                wv = FloatVector.broadcast(S, w[wk + 1]);
                a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11); a12 = x2.fma(wv, a12); a13 = x3.fma(wv, a13);
                wv = FloatVector.broadcast(S, w[wk + 2]);
                a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21); a22 = x2.fma(wv, a22); a23 = x3.fma(wv, a23);
                wv = FloatVector.broadcast(S, w[wk + 3]);
                a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31); a32 = x2.fma(wv, a32); a33 = x3.fma(wv, a33);
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L); a02.intoArray(tile, 2 * L); a03.intoArray(tile, 3 * L);
        a10.intoArray(tile, 4 * L); a11.intoArray(tile, 5 * L); a12.intoArray(tile, 6 * L); a13.intoArray(tile, 7 * L);
        a20.intoArray(tile, 8 * L); a21.intoArray(tile, 9 * L); a22.intoArray(tile, 10 * L); a23.intoArray(tile, 11 * L);
        a30.intoArray(tile, 12 * L); a31.intoArray(tile, 13 * L); a32.intoArray(tile, 14 * L); a33.intoArray(tile, 15 * L);
    }

    /** {@link #block8x3} with 4 filters x 2 rows. */
    private static void block4x2(int channels, int khkw, int kw, int r0, int r1, int[] taps, float[] band, int at,
                                 int rowStride, int rows, float[] w, int wb, float[] tile) {
        int o1 = Math.min(1, rows - 1) * rowStride;
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        for (int c = 0, cb = 0; c < channels; c++, cb += khkw) {
            for (int k = cb + r0 * kw, end = cb + r1 * kw; k < end; k++) {
                int x = at + taps[k];
                FloatVector x0 = FloatVector.fromArray(S, band, x);
                FloatVector x1 = FloatVector.fromArray(S, band, x + o1);
                int wk = wb + k * 4;
                FloatVector wv = FloatVector.broadcast(S, w[wk]);
                a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01);
                wv = FloatVector.broadcast(S, w[wk + 1]);
                a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11);
                wv = FloatVector.broadcast(S, w[wk + 2]);
                a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21);
                wv = FloatVector.broadcast(S, w[wk + 3]);
                a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31);
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L);
        a10.intoArray(tile, 2 * L); a11.intoArray(tile, 3 * L);
        a20.intoArray(tile, 4 * L); a21.intoArray(tile, 5 * L);
        a30.intoArray(tile, 6 * L); a31.intoArray(tile, 7 * L);
    }
}
