package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.RowBand;
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
 * {@link RowBand}), after which tap {@code (r, s)} of the outputs {@code ox .. ox + L - 1}
 * is one plain load of band row {@code rowStart(oy) + r dh}, phase {@code (s dw) mod sw}, from
 * index {@code ox + floor(s dw / sw)}, at every stride and dilation. Four independent FMA chains
 * hide the FMA latency (with their loads and the broadcast weight 9 registers, within AVX2's 16):
 * four rows at once, one vector of each, where the rows' windows lie wholly inside the input (so
 * narrow planes, MobileNet's 14x14 and 7x7, keep four chains in flight too); four vectors of one
 * row at once at the top and bottom edges, then the rest of such a row one vector at a time. A
 * row's last vector is stored under a mask, its excess lanes computed from the band's slack and
 * dropped. Whatever divides by the stride is computed once per call.
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
        int ow = s.outputWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int sw = s.strideWidth();
        // Everything that divides by the stride, once per call: a division costs more than a
        // narrow row's arithmetic (MobileNet's 14x14 planes ran 6 times slower with it per row).
        int phase = RowBand.phaseFloats(s, L);
        int rowFloats = sw * phase;
        int outRowsPerBand = RowBand.outputRows(s, 1, L);
        assert outRowsPerBand >= 1 : "the caller checks RowBand.fits";
        int rowStep = s.strideHeight() * rowFloats;
        int dwQuot = s.dilationWidth() / sw;
        int dwRem = s.dilationWidth() % sw;
        for (int oy0 = 0; oy0 < oh; oy0 += outRowsPerBand) {
            int oy1 = Math.min(oh, oy0 + outRowsPerBand);
            int y0 = RowBand.firstInputRow(s, oy0);
            RowBand.stage(arrays, s, L, 1, in, inOff, y0, RowBand.endInputRow(s, oy1), band);
            int runRows = Math.max(1, RUN_FLOATS / ow);
            for (int f = 0; f < filters; f++) {
                int wf = wOff + f * kh * kw;
                int of = outOff + f * oh * ow;
                for (int run0 = oy0; run0 < oy1; run0 += runRows) {
                    int run1 = Math.min(oy1, run0 + runRows);
                    int oy = run0;
                    while (oy < run1) {
                        int tap0 = (s.rowStart(oy) - y0) * rowFloats;
                        if (oy + 4 <= run1 && s.firstRow(oy) == 0 && s.endRow(oy + 3) == kh) {
                            fourChains(s, 0, kh, band, tap0, rowStep, rowFloats, phase, dwQuot, dwRem, w, wf,
                                    out, of + oy * ow, ow, L, ow);
                            oy += 4;
                        } else {
                            convolveRow(s, s.firstRow(oy), s.endRow(oy), band, tap0, rowFloats, phase, dwQuot, dwRem,
                                    w, wf, out, of + oy * ow);
                            oy++;
                        }
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
     * Four FMA chains at a time over kernel rows {@code [r0, r1)}: for {@code ox} from 0 below
     * {@code oxEnd} in steps of {@code oxStep}, chain {@code j < 4} reads the band from
     * {@code tap0 + j * bandStep + ox} and writes its sums to {@code out[outRow + j * outStep + ox]}. Four rows
     * whose windows lie inside the input ({@code bandStep} a row stride, {@code outStep = OW},
     * one vector of each row per step, the last one masked), or four vectors of one row
     * ({@code bandStep = outStep = L}, whole steps of {@code 4 L} only). {@code dwQuot} and
     * {@code dwRem}: the dilation divided by the stride, with remainder.
     */
    private static void fourChains(WindowShape s, int r0, int r1, float[] band, int tap0, int bandStep, int rowFloats,
                                   int phase, int dwQuot, int dwRem, float[] w, int wf,
                                   float[] out, int outRow, int outStep, int oxStep, int oxEnd) {
        int ow = s.outputWidth();
        int kw = s.kernelWidth();
        int sw = s.strideWidth();
        int rowDilation = s.dilationHeight() * rowFloats;
        for (int ox = 0; ox < oxEnd; ox += oxStep) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int rowBase = tap0 + r * rowDilation + ox;
                int index = 0;
                int q = 0;
                for (int c = 0; c < kw; c++) {
                    int at = rowBase + q * phase + index;
                    FloatVector wv = FloatVector.broadcast(S, w[wf + r * kw + c]);
                    a0 = FloatVector.fromArray(S, band, at).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, band, at + bandStep).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, band, at + 2 * bandStep).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, band, at + 3 * bandStep).fma(wv, a3);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
            int o = outRow + ox;
            if (ox + L <= ow) {
                a0.intoArray(out, o);
                a1.intoArray(out, o + outStep);
                a2.intoArray(out, o + 2 * outStep);
                a3.intoArray(out, o + 3 * outStep);
            } else {
                VectorMask<Float> mask = S.indexInRange(ox, ow);
                a0.intoArray(out, o, mask);
                a1.intoArray(out, o + outStep, mask);
                a2.intoArray(out, o + 2 * outStep, mask);
                a3.intoArray(out, o + 3 * outStep, mask);
            }
        }
    }

    /**
     * The sums of one output row of one filter, its kernel rows {@code [r0, r1)} inside the input, band row
     * offset {@code tap0} for kernel row 0 (a row at the top or bottom edge, or one of a band's last
     * rows): four vectors at once ({@link #fourChains}), then the rest one at a time.
     */
    private static void convolveRow(WindowShape s, int r0, int r1, float[] band, int tap0, int rowFloats, int phase,
                                    int dwQuot, int dwRem, float[] w, int wf, float[] out, int outRow) {
        int ow = s.outputWidth();
        int kw = s.kernelWidth();
        int sw = s.strideWidth();
        int rowDilation = s.dilationHeight() * rowFloats;
        int blocks = ow - ow % (UNROLL * L);
        fourChains(s, r0, r1, band, tap0, L, rowFloats, phase, dwQuot, dwRem, w, wf, out, outRow, L, UNROLL * L, blocks);
        for (int ox = blocks; ox < ow; ox += L) {
            FloatVector a = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int rowBase = tap0 + r * rowDilation + ox;
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
}
