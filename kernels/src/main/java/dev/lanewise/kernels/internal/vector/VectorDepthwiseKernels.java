package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.WindowShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseKernels} vectorised along the output row: a vector holds {@code L} adjacent
 * outputs of a row, and every lane runs the scalar rule's FMA chain on its own taps, so the results
 * agree bit for bit.
 *
 * <p>Input rows are first copied into the band (zero padding columns, {@code sw} phases; see
 * {@link DepthwiseKernels}), after which tap {@code (r, s)} of the outputs {@code ox .. ox + L - 1}
 * is one plain load of band row {@code rowStart(oy) + r dh}, phase {@code (s dw) mod sw}, from
 * index {@code ox + floor(s dw / sw)}, at every stride and dilation. Four vectors of a row are
 * computed at once (four independent FMA chains hide the FMA latency; with their loads and the
 * broadcast weight that is 9 registers, within AVX2's 16); the rest of a row one vector at a time,
 * the last one stored under a mask, its excess lanes computed from the band's slack and dropped.
 * The sums are stored as they are, and then stored again through the epilogue's vector form
 * ({@link TileStore#storeRows}, in place), unless the epilogue is the identity: a few output rows
 * at a time, as one run (a plane's rows are contiguous), while they are still in L1 (the whole
 * 112 x 112 plane of a band in one run was 11 % slower than bias and clamp in registers; runs of
 * {@value #RUN_FLOATS} floats or one row match them within the noise).
 *
 * <p>As in the other vector kernels, every vector is made and used in one method and nothing is
 * returned or passed as a vector, so nothing is boxed.
 */
final class VectorDepthwiseKernels extends DepthwiseKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    /** Vectors of a row computed together: independent FMA chains. */
    private static final int UNROLL = 4;
    /** Outputs of a filter stored through the epilogue at once: 8 KiB, which stay in L1 from their computation. */
    private static final int RUN_FLOATS = 2048;

    private final ArrayKernels arrays;

    VectorDepthwiseKernels(ArrayKernels arrays) {
        this.arrays = arrays;
    }

    @Override
    public void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                         BoundEpilogue epilogue, float[] out, int outOff, float[] band) {
        int oh = s.outputHeight();
        int rowFloats = bandRowFloats(s, L);
        int span = (s.kernelHeight() - 1) * s.dilationHeight() + 1;
        int outRowsPerBand = (BAND_FLOATS / rowFloats - span) / s.strideHeight() + 1;
        assert outRowsPerBand >= 1 : "the caller checks fitsBand";
        for (int oy0 = 0; oy0 < oh; oy0 += outRowsPerBand) {
            int oy1 = Math.min(oh, oy0 + outRowsPerBand);
            int y0 = Math.max(0, s.rowStart(oy0));
            int y1 = Math.min(s.height(), s.rowStart(oy1 - 1) + span);
            for (int y = y0; y < y1; y++) {
                stageRow(s, in, inOff + y * s.width(), band, (y - y0) * rowFloats);
            }
            int ow = s.outputWidth();
            int runRows = Math.max(1, RUN_FLOATS / ow);
            for (int f = 0; f < filters; f++) {
                int of = outOff + f * oh * ow;
                for (int run0 = oy0; run0 < oy1; run0 += runRows) {
                    int run1 = Math.min(oy1, run0 + runRows);
                    for (int oy = run0; oy < run1; oy++) {
                        convolveRow(s, oy, y0, band, rowFloats, w, wOff + f * s.kernelHeight() * s.kernelWidth(),
                                out, of + oy * ow);
                    }
                    if (!epilogue.isIdentity()) {
                        int run = of + run0 * ow;
                        int length = (run1 - run0) * ow;
                        TileStore.storeRows(out, run, length, 1, length, 1f, 0f, out, run, length, epilogue, f, run0 * ow);
                    }
                }
            }
        }
    }

    /**
     * Copies one input row into band row {@code dst}: phase {@code q}, index {@code i} holds input
     * column {@code i sw + q - padLeft}, zero outside the row.
     */
    private void stageRow(WindowShape s, float[] in, int row, float[] band, int dst) {
        int sw = s.strideWidth();
        int pl = s.padLeft();
        int width = s.width();
        int phase = phaseFloats(s, L);
        for (int q = 0; q < sw; q++) {
            int base = dst + q * phase;
            int first = Math.min(phase, Math.max(0, ceilDiv(pl - q, sw)));
            int end = Math.max(first, Math.min(phase, ceilDiv(width + pl - q, sw)));
            arrays.zero(band, base, first);
            if (sw == 1) {
                arrays.copy(in, row + first - pl, band, base + first, end - first);
            } else {
                arrays.copyStrided(in, row + first * sw + q - pl, sw, band, base + first, end - first);
            }
            arrays.zero(band, base + end, phase - end);
        }
    }

    /** The sums of output row {@code oy} of one filter, from the band whose row 0 is input row {@code y0}. */
    private static void convolveRow(WindowShape s, int oy, int y0, float[] band, int rowFloats, float[] w, int wf,
                                    float[] out, int outRow) {
        int ow = s.outputWidth();
        int kw = s.kernelWidth();
        int phase = phaseFloats(s, L);
        int sw = s.strideWidth();
        int dwQuot = s.dilationWidth() / sw;
        int dwRem = s.dilationWidth() % sw;
        int r0 = s.firstRow(oy);
        int r1 = s.endRow(oy);
        int dh = s.dilationHeight();
        int tap0 = (s.rowStart(oy) - y0) * rowFloats;
        int ox = 0;
        for (; ox + UNROLL * L <= ow; ox += UNROLL * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int rowBase = tap0 + r * dh * rowFloats + ox;
                int index = 0;
                int q = 0;
                for (int c = 0; c < kw; c++) {
                    int at = rowBase + q * phase + index;
                    FloatVector wv = FloatVector.broadcast(S, w[wf + r * kw + c]);
                    a0 = FloatVector.fromArray(S, band, at).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, band, at + L).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, band, at + 2 * L).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, band, at + 3 * L).fma(wv, a3);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
            a0.intoArray(out, outRow + ox);
            a1.intoArray(out, outRow + ox + L);
            a2.intoArray(out, outRow + ox + 2 * L);
            a3.intoArray(out, outRow + ox + 3 * L);
        }
        for (; ox < ow; ox += L) {
            FloatVector a = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int rowBase = tap0 + r * dh * rowFloats + ox;
                int index = 0;
                int q = 0;
                for (int c = 0; c < kw; c++) {
                    a = FloatVector.fromArray(S, band, rowBase + q * phase + index)
                            .fma(FloatVector.broadcast(S, w[wf + r * kw + c]), a);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
            if (ox + L <= ow) {
                a.intoArray(out, outRow + ox);
            } else {
                VectorMask<Float> mask = S.indexInRange(ox, ow);
                a.intoArray(out, outRow + ox, mask);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
