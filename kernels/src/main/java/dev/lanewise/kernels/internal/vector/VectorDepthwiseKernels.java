package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.BoundEpilogue;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.RowBand;
import dev.lanewise.kernels.internal.WindowShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseKernels} vectorised along the output row: a vector holds {@code L} adjacent
 * outputs of a row, and every lane runs the scalar rule's FMA chain on its own taps, so the results
 * agree bit for bit.
 *
 * <h2>Layout of the scratch</h2>
 * The scratch holds planes' padded rows in the {@link RowBand} layout (padding columns and padding
 * rows zero, {@code sw} phases), band row {@code b} of a plane being padded row {@code oy0 sh + b}
 * (input row {@code oy0 sh + b - padTop}) for the band's first output row {@code oy0}. Tap
 * {@code (r, s)} of outputs {@code ox .. ox + L - 1} of row {@code oy} is then one plain load of band
 * row {@code (oy - oy0) sh + r dh}, phase {@code (s dw) mod sw}, from index {@code ox + floor(s dw / sw)},
 * at every stride, dilation and padding. After the planes come the sums of one filter, a row of
 * {@code roundUp(OW, L)} floats per output row:
 * <pre>
 *   scratch[b * planeFloats ...]                                   plane b of a batch (padding cleared once per call)
 *   scratch[sums + (oy - oy0) * roundUp(OW, L) + ox]              the sum of output (oy, ox)
 * </pre>
 * A plane taller than the band goes in bands of output rows, one plane at a time; smaller planes go
 * in batches of as many as fit, all staged before any is computed, so that the loads of a plane's
 * taps find its rows in L1 rather than behind the masked stores that wrote them. Output rows are
 * computed four at a time ({@link DepthwiseKernels#ROW_GROUP}), a plane's last group reading zero rows
 * past its end for sums that are never stored. Every vector of sums is computed and stored whole
 * (lanes past {@code OW} read the band's slack and are never stored), then
 * {@link TileStore#storePlane} stores the rows through the epilogue (bias, residual, activation) into
 * the output plane, the last vector of each row under a mask made once. Sums then epilogue cost one
 * pass over the outputs while they are in L1, which a bias and a clamp need anyway, and keep masks
 * and edge cases out of the FMA loops.
 *
 * <h2>FMA chains</h2>
 * The four rows of a group are four independent FMA chains, which hide the FMA latency on planes
 * of any width (MobileNet's 14 x 14 and 7 x 7 are one vector wide). The commonest depthwise window,
 * 3 x 3 with unit dilations and strides 1 or 2 (MobileNet's), has its own forms: the nine weights
 * stay in registers and each input vector is loaded once for the up to three rows it feeds (18 loads
 * for 36 FMAs at stride 1, 27 at stride 2, instead of 36 loads and 36 broadcasts).
 *
 * <p>As in the other vector kernels, every vector is made and used in one method and nothing is
 * returned or passed as a vector, so nothing is boxed.
 */
final class VectorDepthwiseKernels extends DepthwiseKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private final ArrayKernels arrays;

    VectorDepthwiseKernels(ArrayKernels arrays) {
        this.arrays = arrays;
    }

    @Override
    public void convolve(WindowShape s, int planes, float[] in, int inOff, int filters, float[] w, int wOff,
                         BoundEpilogue epilogue, float[] out, int outOff, float[] band) {
        int oh = s.outputHeight();
        int ow = s.outputWidth();
        int taps = s.kernelHeight() * s.kernelWidth();
        int inPlane = s.height() * s.width();
        int outPlane = oh * ow;
        int rowFloats = RowBand.rowFloats(s, L);
        int sumFloats = sumRowFloats(s, L);
        int bandRows = bandOutputRows(s, L);
        assert bandRows >= 1 : "the caller checks fits";
        int planeFloats = stagedRows(s, bandRows) * rowFloats;
        int sumsFloats = (bandRows + ROW_GROUP - 1) / ROW_GROUP * ROW_GROUP * sumFloats;
        // Small planes in batches, staged before any is computed (see the class comment).
        int batch = bandRows < oh ? 1 : Math.max(1, Math.min(planes, (RowBand.FLOATS - sumsFloats) / planeFloats));
        int sums = batch * planeFloats;
        // Every plane is staged in the same layout, so the padding columns are cleared once.
        arrays.zero(band, 0, sums);
        for (int p0 = 0; p0 < planes; p0 += batch) {
            int count = Math.min(batch, planes - p0);
            for (int oy0 = 0; oy0 < oh; oy0 += bandRows) {
                int oy1 = Math.min(oh, oy0 + bandRows);
                for (int b = 0; b < count; b++) {
                    stage(s, in, inOff + (p0 + b) * inPlane, oy0, oy1, band, b * planeFloats, bandRows < oh);
                }
                for (int b = 0; b < count; b++) {
                    for (int f = 0; f < filters; f++) {
                        int i = (p0 + b) * filters + f;
                        sumRows(s, band, b * planeFloats, oy1 - oy0, w, wOff + i * taps, sums);
                        TileStore.storePlane(band, sums, sumFloats, oy1 - oy0, ow, out,
                                outOff + i * outPlane + oy0 * ow, epilogue, i, oy0 * ow);
                    }
                }
            }
        }
    }

    /** Band rows the output rows of {@code rows} rows rounded up to whole groups read. */
    private static int stagedRows(WindowShape s, int rows) {
        int rounded = (rows + ROW_GROUP - 1) / ROW_GROUP * ROW_GROUP;
        return (rounded - 1) * s.strideHeight() + RowBand.rowsOfOutputRow(s);
    }

    /**
     * Stages the padded rows that output rows {@code [oy0, oy1)} (rounded up to whole groups) read:
     * the input's rows by their inside columns, band row 0 at {@code band[bandOff]}; the rows outside
     * the input are zeroed only if {@code banded} (a plane in several bands puts input rows where
     * another band has padding rows): a plane in one band keeps them from the call's clearing.
     */
    private void stage(WindowShape s, float[] in, int inOff, int oy0, int oy1, float[] band, int bandOff,
                       boolean banded) {
        int rowFloats = RowBand.rowFloats(s, L);
        int rows = stagedRows(s, oy1 - oy0);
        int top = s.rowStart(oy0);   // the input row of band row 0
        int inside0 = Math.max(0, Math.min(rows, -top));
        int inside1 = Math.max(inside0, Math.min(rows, s.height() - top));
        if (banded) {
            arrays.zero(band, bandOff, inside0 * rowFloats);
            arrays.zero(band, bandOff + inside1 * rowFloats, (rows - inside1) * rowFloats);
        }
        RowBand.copyRows(arrays, s, L, 1, in, inOff, top + inside0, top + inside1, band, bandOff + inside0 * rowFloats);
    }

    /**
     * The sums of a band's first {@code rows} output rows (rounded up to whole groups) of the filter
     * at {@code w[wf]}, from the plane staged at {@code band[bandOff]}, into the sums region from
     * {@code band[sums]}. Whatever divides by the stride is
     * computed once here: a division costs more than a narrow row's arithmetic (MobileNet's 14 x 14
     * planes ran 6 times slower with it per row).
     */
    private static void sumRows(WindowShape s, float[] band, int bandOff, int rows, float[] w, int wf, int sums) {
        int ow = s.outputWidth();
        int sw = s.strideWidth();
        int rowFloats = RowBand.rowFloats(s, L);
        int sumFloats = sumRowFloats(s, L);
        int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
        if (s.kernelHeight() == 3 && s.kernelWidth() == 3 && s.strideHeight() == 1 && sw == 1
                && s.dilationHeight() == 1 && s.dilationWidth() == 1) {
            fourRows3x3(band, bandOff, rowFloats, w, wf, sums, sumFloats, ow, groups);
            return;
        }
        int phase = RowBand.phaseFloats(s, L);
        if (s.kernelHeight() == 3 && s.kernelWidth() == 3 && s.strideHeight() == 2 && sw == 2
                && s.dilationHeight() == 1 && s.dilationWidth() == 1) {
            fourRows3x3Stride2(band, bandOff, rowFloats, phase, w, wf, sums, sumFloats, ow, groups);
            return;
        }
        int rowStep = s.strideHeight() * rowFloats;
        int dwQuot = s.dilationWidth() / sw;
        int dwRem = s.dilationWidth() % sw;
        for (int g = 0; g < groups; g++) {
            fourRows(s, band, bandOff + g * ROW_GROUP * rowStep, rowStep, rowFloats, phase, dwQuot, dwRem, w, wf,
                    sums + g * ROW_GROUP * sumFloats, sumFloats);
        }
    }

    /**
     * One group of four output rows, any window: the rows' kernel row 0 at band offsets
     * {@code tap0 + j * rowStep}, their sums to {@code band[sum + j * sumFloats + ox]}, for {@code j < 4},
     * one vector of each row per step along the row. {@code dwQuot} and {@code dwRem}: the dilation
     * divided by the stride, with remainder.
     */
    private static void fourRows(WindowShape s, float[] band, int tap0, int rowStep, int rowFloats, int phase,
                                 int dwQuot, int dwRem, float[] w, int wf, int sum, int sumFloats) {
        int ow = s.outputWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int sw = s.strideWidth();
        int rowDilation = s.dilationHeight() * rowFloats;
        for (int ox = 0; ox < ow; ox += L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int r = 0; r < kh; r++) {
                int rowBase = tap0 + r * rowDilation + ox;
                int index = 0;
                int q = 0;
                for (int c = 0; c < kw; c++) {
                    int at = rowBase + q * phase + index;
                    FloatVector wv = FloatVector.broadcast(S, w[wf + r * kw + c]);
                    a0 = FloatVector.fromArray(S, band, at).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, band, at + rowStep).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, band, at + 2 * rowStep).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, band, at + 3 * rowStep).fma(wv, a3);
                    index += dwQuot;
                    q += dwRem;
                    if (q >= sw) {
                        q -= sw;
                        index++;
                    }
                }
            }
            int o = sum + ox;
            a0.intoArray(band, o);
            a1.intoArray(band, o + sumFloats);
            a2.intoArray(band, o + 2 * sumFloats);
            a3.intoArray(band, o + 3 * sumFloats);
        }
    }

    /**
     * The 3 x 3 window with unit strides and dilations over a band's {@code groups} groups of four
     * output rows, group {@code g}'s first kernel row being band row {@code 4 g} of the plane staged at
     * {@code band[bandOff]}: input
     * row {@code k} of a group feeds output rows {@code k - 2 .. k} of it, so each input vector is
     * loaded once and the weights stay in registers. Each output's chain still runs its taps in the
     * rule's order (kernel row by kernel row, left to right), only interleaved with its neighbours'.
     */
    private static void fourRows3x3(float[] band, int bandOff, int rowFloats, float[] w, int wf,
                                    int sum, int sumFloats, int ow, int groups) {
        FloatVector w00 = FloatVector.broadcast(S, w[wf]);
        FloatVector w01 = FloatVector.broadcast(S, w[wf + 1]);
        FloatVector w02 = FloatVector.broadcast(S, w[wf + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[wf + 3]);
        FloatVector w11 = FloatVector.broadcast(S, w[wf + 4]);
        FloatVector w12 = FloatVector.broadcast(S, w[wf + 5]);
        FloatVector w20 = FloatVector.broadcast(S, w[wf + 6]);
        FloatVector w21 = FloatVector.broadcast(S, w[wf + 7]);
        FloatVector w22 = FloatVector.broadcast(S, w[wf + 8]);
        for (int g = 0; g < groups; g++) {
            int group = bandOff + g * ROW_GROUP * rowFloats;
            int o = sum + g * ROW_GROUP * sumFloats;
            for (int ox = 0; ox < ow; ox += L) {
                int at = group + ox;
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S);
                FloatVector v;
                // input row 0: kernel row 0 of output row 0
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w00, a0);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w01, a0);
                v = FloatVector.fromArray(S, band, at + 2);
                a0 = v.fma(w02, a0);
                at += rowFloats;
                // input row 1: kernel rows 1, 0 of output rows 0, 1
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w10, a0);
                a1 = v.fma(w00, a1);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w11, a0);
                a1 = v.fma(w01, a1);
                v = FloatVector.fromArray(S, band, at + 2);
                a0 = v.fma(w12, a0);
                a1 = v.fma(w02, a1);
                at += rowFloats;
                // input row 2: kernel rows 2, 1, 0 of output rows 0, 1, 2
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w20, a0);
                a1 = v.fma(w10, a1);
                a2 = v.fma(w00, a2);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w21, a0);
                a1 = v.fma(w11, a1);
                a2 = v.fma(w01, a2);
                v = FloatVector.fromArray(S, band, at + 2);
                a0 = v.fma(w22, a0);
                a1 = v.fma(w12, a1);
                a2 = v.fma(w02, a2);
                at += rowFloats;
                // input row 3: kernel rows 2, 1, 0 of output rows 1, 2, 3
                v = FloatVector.fromArray(S, band, at);
                a1 = v.fma(w20, a1);
                a2 = v.fma(w10, a2);
                a3 = v.fma(w00, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a1 = v.fma(w21, a1);
                a2 = v.fma(w11, a2);
                a3 = v.fma(w01, a3);
                v = FloatVector.fromArray(S, band, at + 2);
                a1 = v.fma(w22, a1);
                a2 = v.fma(w12, a2);
                a3 = v.fma(w02, a3);
                at += rowFloats;
                // input row 4: kernel rows 2, 1 of output rows 2, 3
                v = FloatVector.fromArray(S, band, at);
                a2 = v.fma(w20, a2);
                a3 = v.fma(w10, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a2 = v.fma(w21, a2);
                a3 = v.fma(w11, a3);
                v = FloatVector.fromArray(S, band, at + 2);
                a2 = v.fma(w22, a2);
                a3 = v.fma(w12, a3);
                at += rowFloats;
                // input row 5: kernel row 2 of output row 3
                v = FloatVector.fromArray(S, band, at);
                a3 = v.fma(w20, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a3 = v.fma(w21, a3);
                v = FloatVector.fromArray(S, band, at + 2);
                a3 = v.fma(w22, a3);
                a0.intoArray(band, o + ox);
                a1.intoArray(band, o + sumFloats + ox);
                a2.intoArray(band, o + 2 * sumFloats + ox);
                a3.intoArray(band, o + 3 * sumFloats + ox);
            }
        }
    }

    /**
     * The 3 x 3 window with strides 2 and unit dilations over a band's {@code groups} groups of four
     * output rows, as {@link #fourRows3x3}: input row {@code k} of a group feeds output rows
     * {@code j} with {@code k - 2 j} in {@code [0, 3)}, 27 loads for 36 FMAs; column tap {@code c} is
     * phase {@code c mod 2} at index {@code floor(c / 2)} of the band row.
     */
    private static void fourRows3x3Stride2(float[] band, int bandOff, int rowFloats, int phase, float[] w, int wf,
                                           int sum, int sumFloats, int ow, int groups) {
        FloatVector w00 = FloatVector.broadcast(S, w[wf]);
        FloatVector w01 = FloatVector.broadcast(S, w[wf + 1]);
        FloatVector w02 = FloatVector.broadcast(S, w[wf + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[wf + 3]);
        FloatVector w11 = FloatVector.broadcast(S, w[wf + 4]);
        FloatVector w12 = FloatVector.broadcast(S, w[wf + 5]);
        FloatVector w20 = FloatVector.broadcast(S, w[wf + 6]);
        FloatVector w21 = FloatVector.broadcast(S, w[wf + 7]);
        FloatVector w22 = FloatVector.broadcast(S, w[wf + 8]);
        for (int g = 0; g < groups; g++) {
            int group = bandOff + g * ROW_GROUP * 2 * rowFloats;
            int o = sum + g * ROW_GROUP * sumFloats;
            for (int ox = 0; ox < ow; ox += L) {
                int at = group + ox;
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S);
                FloatVector v;
                // input row 0: kernel row 0 of output row 0
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w00, a0);
                v = FloatVector.fromArray(S, band, at + phase);
                a0 = v.fma(w01, a0);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w02, a0);
                at += rowFloats;
                // input row 1: kernel row 1 of output row 0
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w10, a0);
                v = FloatVector.fromArray(S, band, at + phase);
                a0 = v.fma(w11, a0);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w12, a0);
                at += rowFloats;
                // input row 2: kernel row 2 of output row 0, kernel row 0 of output row 1
                v = FloatVector.fromArray(S, band, at);
                a0 = v.fma(w20, a0);
                a1 = v.fma(w00, a1);
                v = FloatVector.fromArray(S, band, at + phase);
                a0 = v.fma(w21, a0);
                a1 = v.fma(w01, a1);
                v = FloatVector.fromArray(S, band, at + 1);
                a0 = v.fma(w22, a0);
                a1 = v.fma(w02, a1);
                at += rowFloats;
                // input row 3: kernel row 1 of output row 1
                v = FloatVector.fromArray(S, band, at);
                a1 = v.fma(w10, a1);
                v = FloatVector.fromArray(S, band, at + phase);
                a1 = v.fma(w11, a1);
                v = FloatVector.fromArray(S, band, at + 1);
                a1 = v.fma(w12, a1);
                at += rowFloats;
                // input row 4: kernel row 2 of output row 1, kernel row 0 of output row 2
                v = FloatVector.fromArray(S, band, at);
                a1 = v.fma(w20, a1);
                a2 = v.fma(w00, a2);
                v = FloatVector.fromArray(S, band, at + phase);
                a1 = v.fma(w21, a1);
                a2 = v.fma(w01, a2);
                v = FloatVector.fromArray(S, band, at + 1);
                a1 = v.fma(w22, a1);
                a2 = v.fma(w02, a2);
                at += rowFloats;
                // input row 5: kernel row 1 of output row 2
                v = FloatVector.fromArray(S, band, at);
                a2 = v.fma(w10, a2);
                v = FloatVector.fromArray(S, band, at + phase);
                a2 = v.fma(w11, a2);
                v = FloatVector.fromArray(S, band, at + 1);
                a2 = v.fma(w12, a2);
                at += rowFloats;
                // input row 6: kernel row 2 of output row 2, kernel row 0 of output row 3
                v = FloatVector.fromArray(S, band, at);
                a2 = v.fma(w20, a2);
                a3 = v.fma(w00, a3);
                v = FloatVector.fromArray(S, band, at + phase);
                a2 = v.fma(w21, a2);
                a3 = v.fma(w01, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a2 = v.fma(w22, a2);
                a3 = v.fma(w02, a3);
                at += rowFloats;
                // input row 7: kernel row 1 of output row 3
                v = FloatVector.fromArray(S, band, at);
                a3 = v.fma(w10, a3);
                v = FloatVector.fromArray(S, band, at + phase);
                a3 = v.fma(w11, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a3 = v.fma(w12, a3);
                at += rowFloats;
                // input row 8: kernel row 2 of output row 3
                v = FloatVector.fromArray(S, band, at);
                a3 = v.fma(w20, a3);
                v = FloatVector.fromArray(S, band, at + phase);
                a3 = v.fma(w21, a3);
                v = FloatVector.fromArray(S, band, at + 1);
                a3 = v.fma(w22, a3);
                a0.intoArray(band, o + ox);
                a1.intoArray(band, o + sumFloats + ox);
                a2.intoArray(band, o + 2 * sumFloats + ox);
                a3.intoArray(band, o + 3 * sumFloats + ox);
            }
        }
    }
}
