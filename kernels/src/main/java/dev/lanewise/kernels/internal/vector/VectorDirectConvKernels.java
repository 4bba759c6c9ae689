package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.DirectConvKernels;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectConvKernels} vectorised along the output row and blocked over filters: a block is
 * {@code F} filters times {@code V} vectors of {@code L} adjacent outputs of one row, held in
 * {@code F * V} accumulators. Per tap {@code (c, r, s)} a block loads {@code V} input vectors from
 * the band and broadcasts {@code F} weights, and each input vector feeds {@code F} FMAs; every lane
 * runs the scalar rule's FMA chain on its own taps, so the results agree bit for bit.
 *
 * <p>Input rows of all {@code channels} planes are first copied into the band (zero padding
 * columns, {@code sw} phases, granule {@code V * L}; see {@link RowBand}), after which tap
 * {@code (c, r, s)} of the outputs {@code ox .. ox + L - 1} is one plain load of plane {@code c}'s
 * band row {@code rowStart(oy) + r dh}, phase {@code (s dw) mod sw}, from index
 * {@code ox + floor(s dw / sw)}. Loops: per band of output rows, per output row, per block of
 * {@code F} filters, per block of {@code V * L} outputs of the row, so the band rows of one output
 * row stay in L1 while every filter runs over them.
 *
 * <p>Tails: a last block of fewer than {@code F} filters computes the last real filter again in
 * the missing ones' accumulators (the same weights, so no other array is read) and stores only the
 * real ones; the last block of a row reads past {@code OW} into the band's slack and stores its
 * partial vector under a mask, dropping the vectors wholly past {@code OW}. A block dumps its
 * accumulators into the tile and {@link #store} applies bias and clamp: the one place of the
 * epilogue (vectors cannot be passed to a method without boxing them, unless C2 inlines it).
 *
 * <p>As in the other vector kernels, every vector is made and used in one method and nothing is
 * returned or passed as a vector, so nothing is boxed.
 */
final class VectorDirectConvKernels extends DirectConvKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    /** The register blocks: {@code F} filters x {@code V} vectors. */
    enum Block {
        /** 16 accumulators, 4 input vectors and a broadcast: 21 registers. */
        F4V4(4, 4),
        /** 8 accumulators, 2 input vectors and a broadcast: 11 registers, within AVX2's 16. */
        F4V2(4, 2),
        /** 16 accumulators, 2 input vectors and a broadcast: 19 registers. */
        F8V2(8, 2);

        final int filters;
        final int vectors;

        Block(int filters, int vectors) {
            this.filters = filters;
            this.vectors = vectors;
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
        return block.filters + "x" + block.vectors + "v";
    }

    @Override
    public int filtersPerBlock() {
        return block.filters;
    }

    @Override
    public int granule() {
        return block.vectors * L;
    }

    @Override
    public void convolve(WindowShape s, int channels, float[] in, int inOff, int filters, float[] w, int wOff,
                         float[] bias, int biasOff, float lo, float hi, float[] out, int outOff,
                         float[] band, float[] tile) {
        int granule = granule();
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        int plane = oh * ow;
        int rowFloats = RowBand.rowFloats(s, granule);
        int phase = RowBand.phaseFloats(s, granule);
        int kw = s.kernelWidth();
        int taps = s.kernelHeight() * kw;
        int filterFloats = channels * taps;
        int outRowsPerBand = RowBand.outputRows(s, channels, granule);
        assert outRowsPerBand >= 1 : "the caller checks fits";
        int fb = block.filters;
        int rowStep = s.dilationHeight() * rowFloats;
        int sw = s.strideWidth();
        int dwQuot = s.dilationWidth() / sw;
        int dwRem = s.dilationWidth() % sw;
        for (int oy0 = 0; oy0 < oh; oy0 += outRowsPerBand) {
            int oy1 = Math.min(oh, oy0 + outRowsPerBand);
            int y0 = RowBand.firstInputRow(s, oy0);
            int y1 = RowBand.endInputRow(s, oy1);
            RowBand.stage(arrays, s, granule, channels, in, inOff, y0, y1, band);
            int channelFloats = (y1 - y0) * rowFloats;
            for (int oy = oy0; oy < oy1; oy++) {
                // Kernel rows [r0, r1) of output row oy lie inside the input; band rows from rowStart(oy).
                int r0 = s.firstRow(oy);
                int r1 = s.endRow(oy);
                int rowAt = (s.rowStart(oy) - y0) * rowFloats;
                for (int f0 = 0; f0 < filters; f0 += fb) {
                    int real = Math.min(fb, filters - f0);
                    int wf = wOff + f0 * filterFloats;
                    for (int ox = 0; ox < ow; ox += granule) {
                        int at = rowAt + ox;
                        switch (block) {
                            case F4V4 -> block4x4(channels, r0, r1, kw, taps, band, at, channelFloats, rowStep, phase,
                                    sw, dwQuot, dwRem, w, wf, filterFloats, real, tile);
                            case F4V2 -> block4x2(channels, r0, r1, kw, taps, band, at, channelFloats, rowStep, phase,
                                    sw, dwQuot, dwRem, w, wf, filterFloats, real, tile);
                            case F8V2 -> block8x2(channels, r0, r1, kw, taps, band, at, channelFloats, rowStep, phase,
                                    sw, dwQuot, dwRem, w, wf, filterFloats, real, tile);
                        }
                        store(tile, block.vectors, real, ox, ow, bias, biasOff + f0, lo, hi, out,
                                outOff + f0 * plane + oy * ow, plane);
                    }
                }
            }
        }
    }

    /**
     * The epilogue of a block dumped into {@code tile} (filter {@code i}'s vector {@code v} at
     * {@code (i * vectors + v) * L}): {@code min(max(acc + bias, lo), hi)}, without the addition when
     * there is no bias, stored to filter {@code i}'s row at {@code out[outRow + i * plane + ox]}; the
     * first {@code real} filters only, and the outputs before {@code OW} only.
     */
    private static void store(float[] tile, int vectors, int real, int ox, int ow, float[] bias, int biasAt,
                              float lo, float hi, float[] out, int outRow, int plane) {
        FloatVector loV = FloatVector.broadcast(S, lo);
        FloatVector hiV = FloatVector.broadcast(S, hi);
        for (int i = 0; i < real; i++) {
            int o = outRow + i * plane;
            for (int v = 0, col = ox; v < vectors && col < ow; v++, col += L) {
                FloatVector t = FloatVector.fromArray(S, tile, (i * vectors + v) * L);
                if (bias != null) {
                    t = t.add(bias[biasAt + i]);
                }
                t = t.max(loV).min(hiV);
                if (col + L <= ow) {
                    t.intoArray(out, o + col);
                } else {
                    t.intoArray(out, o + col, S.indexInRange(col, ow));
                }
            }
        }
    }

    /**
     * 4 filters x 4 vectors of one output row into {@code tile}: the filters' weights from
     * {@code w[wf]} ({@code filterFloats} apart, the first {@code real} ones real), kernel rows
     * {@code [r0, r1)} of every channel, band index {@code at} being channel 0's band row
     * {@code rowStart(oy)} at the block's first column (channels {@code channelFloats}, kernel rows
     * {@code rowStep}, phases {@code phase} apart; tap {@code s} at phase {@code (s dw) mod sw},
     * index {@code floor(s dw / sw)}, stepped by {@code dwQuot} and {@code dwRem}).
     */
    private static void block4x4(int channels, int r0, int r1, int kw, int taps, float[] band, int at,
                                 int channelFloats, int rowStep, int phase, int sw, int dwQuot, int dwRem, float[] w,
                                 int wf, int filterFloats, int real, float[] tile) {
        // Filters past the real ones repeat the last real one (their results are not stored).
        int w0 = wf;
        int w1 = wf + Math.min(1, real - 1) * filterFloats;
        int w2 = wf + Math.min(2, real - 1) * filterFloats;
        int w3 = wf + Math.min(3, real - 1) * filterFloats;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0, bc = at, wc = 0; c < channels; c++, bc += channelFloats, wc += taps) {
            for (int r = r0; r < r1; r++) {
                int row = bc + r * rowStep;
                int wr = wc + r * kw;
                int index = 0;
                int q = 0;
                for (int t = 0; t < kw; t++) {
                    int x = row + q * phase + index;
                    FloatVector x0 = FloatVector.fromArray(S, band, x);
                    FloatVector x1 = FloatVector.fromArray(S, band, x + L);
                    FloatVector x2 = FloatVector.fromArray(S, band, x + 2 * L);
                    FloatVector x3 = FloatVector.fromArray(S, band, x + 3 * L);
                    FloatVector wv = FloatVector.broadcast(S, w[w0 + wr + t]);
                    a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01); a02 = x2.fma(wv, a02); a03 = x3.fma(wv, a03);
                    wv = FloatVector.broadcast(S, w[w1 + wr + t]);
                    a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11); a12 = x2.fma(wv, a12); a13 = x3.fma(wv, a13);
                    wv = FloatVector.broadcast(S, w[w2 + wr + t]);
                    a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21); a22 = x2.fma(wv, a22); a23 = x3.fma(wv, a23);
                    wv = FloatVector.broadcast(S, w[w3 + wr + t]);
                    a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31); a32 = x2.fma(wv, a32); a33 = x3.fma(wv, a33);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L); a02.intoArray(tile, 2 * L); a03.intoArray(tile, 3 * L);
        a10.intoArray(tile, 4 * L); a11.intoArray(tile, 5 * L); a12.intoArray(tile, 6 * L); a13.intoArray(tile, 7 * L);
        a20.intoArray(tile, 8 * L); a21.intoArray(tile, 9 * L); a22.intoArray(tile, 10 * L); a23.intoArray(tile, 11 * L);
        a30.intoArray(tile, 12 * L); a31.intoArray(tile, 13 * L); a32.intoArray(tile, 14 * L); a33.intoArray(tile, 15 * L);
    }

    /** {@link #block4x4} with 2 vectors. */
    private static void block4x2(int channels, int r0, int r1, int kw, int taps, float[] band, int at,
                                 int channelFloats, int rowStep, int phase, int sw, int dwQuot, int dwRem, float[] w,
                                 int wf, int filterFloats, int real, float[] tile) {
        int w0 = wf;
        int w1 = wf + Math.min(1, real - 1) * filterFloats;
        int w2 = wf + Math.min(2, real - 1) * filterFloats;
        int w3 = wf + Math.min(3, real - 1) * filterFloats;
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        for (int c = 0, bc = at, wc = 0; c < channels; c++, bc += channelFloats, wc += taps) {
            for (int r = r0; r < r1; r++) {
                int row = bc + r * rowStep;
                int wr = wc + r * kw;
                int index = 0;
                int q = 0;
                for (int t = 0; t < kw; t++) {
                    int x = row + q * phase + index;
                    FloatVector x0 = FloatVector.fromArray(S, band, x);
                    FloatVector x1 = FloatVector.fromArray(S, band, x + L);
                    FloatVector wv = FloatVector.broadcast(S, w[w0 + wr + t]);
                    a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01);
                    wv = FloatVector.broadcast(S, w[w1 + wr + t]);
                    a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11);
                    wv = FloatVector.broadcast(S, w[w2 + wr + t]);
                    a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21);
                    wv = FloatVector.broadcast(S, w[w3 + wr + t]);
                    a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L);
        a10.intoArray(tile, 2 * L); a11.intoArray(tile, 3 * L);
        a20.intoArray(tile, 4 * L); a21.intoArray(tile, 5 * L);
        a30.intoArray(tile, 6 * L); a31.intoArray(tile, 7 * L);
    }

    /** {@link #block4x4} with 8 filters and 2 vectors. */
    private static void block8x2(int channels, int r0, int r1, int kw, int taps, float[] band, int at,
                                 int channelFloats, int rowStep, int phase, int sw, int dwQuot, int dwRem, float[] w,
                                 int wf, int filterFloats, int real, float[] tile) {
        int w0 = wf;
        int w1 = wf + Math.min(1, real - 1) * filterFloats;
        int w2 = wf + Math.min(2, real - 1) * filterFloats;
        int w3 = wf + Math.min(3, real - 1) * filterFloats;
        int w4 = wf + Math.min(4, real - 1) * filterFloats;
        int w5 = wf + Math.min(5, real - 1) * filterFloats;
        int w6 = wf + Math.min(6, real - 1) * filterFloats;
        int w7 = wf + Math.min(7, real - 1) * filterFloats;
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00;
        FloatVector a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00;
        FloatVector a70 = a00, a71 = a00;
        for (int c = 0, bc = at, wc = 0; c < channels; c++, bc += channelFloats, wc += taps) {
            for (int r = r0; r < r1; r++) {
                int row = bc + r * rowStep;
                int wr = wc + r * kw;
                int index = 0;
                int q = 0;
                for (int t = 0; t < kw; t++) {
                    int x = row + q * phase + index;
                    FloatVector x0 = FloatVector.fromArray(S, band, x);
                    FloatVector x1 = FloatVector.fromArray(S, band, x + L);
                    FloatVector wv = FloatVector.broadcast(S, w[w0 + wr + t]);
                    a00 = x0.fma(wv, a00); a01 = x1.fma(wv, a01);
                    wv = FloatVector.broadcast(S, w[w1 + wr + t]);
                    a10 = x0.fma(wv, a10); a11 = x1.fma(wv, a11);
                    wv = FloatVector.broadcast(S, w[w2 + wr + t]);
                    a20 = x0.fma(wv, a20); a21 = x1.fma(wv, a21);
                    wv = FloatVector.broadcast(S, w[w3 + wr + t]);
                    a30 = x0.fma(wv, a30); a31 = x1.fma(wv, a31);
                    wv = FloatVector.broadcast(S, w[w4 + wr + t]);
                    a40 = x0.fma(wv, a40); a41 = x1.fma(wv, a41);
                    wv = FloatVector.broadcast(S, w[w5 + wr + t]);
                    a50 = x0.fma(wv, a50); a51 = x1.fma(wv, a51);
                    wv = FloatVector.broadcast(S, w[w6 + wr + t]);
                    a60 = x0.fma(wv, a60); a61 = x1.fma(wv, a61);
                    wv = FloatVector.broadcast(S, w[w7 + wr + t]);
                    a70 = x0.fma(wv, a70); a71 = x1.fma(wv, a71);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L);
        a10.intoArray(tile, 2 * L); a11.intoArray(tile, 3 * L);
        a20.intoArray(tile, 4 * L); a21.intoArray(tile, 5 * L);
        a30.intoArray(tile, 6 * L); a31.intoArray(tile, 7 * L);
        a40.intoArray(tile, 8 * L); a41.intoArray(tile, 9 * L);
        a50.intoArray(tile, 10 * L); a51.intoArray(tile, 11 * L);
        a60.intoArray(tile, 12 * L); a61.intoArray(tile, 13 * L);
        a70.intoArray(tile, 14 * L); a71.intoArray(tile, 15 * L);
    }
}
