package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ArrayKernels;
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
 * index {@code ox + floor(s dw / sw)}, at every stride and dilation. Four vectors of a row are
 * computed at once (four independent FMA chains hide the FMA latency; with their loads and the
 * broadcast weight that is 9 registers, within AVX2's 16); the rest of a row one vector at a time,
 * the last one stored under a mask, its excess lanes computed from the band's slack and dropped.
 *
 * <p>As in the other vector kernels, every vector is made and used in one method and nothing is
 * returned or passed as a vector, so nothing is boxed.
 */
final class VectorDepthwiseKernels extends DepthwiseKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    /** Vectors of a row computed together: independent FMA chains. */
    private static final int UNROLL = 4;

    private final ArrayKernels arrays;

    VectorDepthwiseKernels(ArrayKernels arrays) {
        this.arrays = arrays;
    }

    @Override
    public void convolve(WindowShape s, float[] in, int inOff, int filters, float[] w, int wOff,
                         float[] bias, int biasOff, float lo, float hi, float[] out, int outOff, float[] band) {
        int oh = s.outputHeight();
        int rowFloats = RowBand.rowFloats(s, L);
        int outRowsPerBand = RowBand.outputRows(s, 1, L);
        assert outRowsPerBand >= 1 : "the caller checks RowBand.fits";
        for (int oy0 = 0; oy0 < oh; oy0 += outRowsPerBand) {
            int oy1 = Math.min(oh, oy0 + outRowsPerBand);
            int y0 = RowBand.firstInputRow(s, oy0);
            RowBand.stage(arrays, s, L, 1, in, inOff, y0, RowBand.endInputRow(s, oy1), band);
            for (int f = 0; f < filters; f++) {
                float b = bias == null ? 0f : bias[biasOff + f];
                int of = outOff + f * oh * s.outputWidth();
                for (int oy = oy0; oy < oy1; oy++) {
                    convolveRow(s, oy, y0, band, rowFloats, w, wOff + f * s.kernelHeight() * s.kernelWidth(),
                            bias != null, b, lo, hi, out, of + oy * s.outputWidth());
                }
            }
        }
    }

    /** Output row {@code oy} of one filter, from the band whose row 0 is input row {@code y0}. */
    private static void convolveRow(WindowShape s, int oy, int y0, float[] band, int rowFloats, float[] w, int wf,
                                    boolean hasBias, float b, float lo, float hi, float[] out, int outRow) {
        int ow = s.outputWidth();
        int kw = s.kernelWidth();
        int phase = RowBand.phaseFloats(s, L);
        int sw = s.strideWidth();
        int dwQuot = s.dilationWidth() / sw;
        int dwRem = s.dilationWidth() % sw;
        int r0 = s.firstRow(oy);
        int r1 = s.endRow(oy);
        int dh = s.dilationHeight();
        int tap0 = (s.rowStart(oy) - y0) * rowFloats;
        FloatVector loV = FloatVector.broadcast(S, lo);
        FloatVector hiV = FloatVector.broadcast(S, hi);
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
            if (hasBias) {
                a0 = a0.add(b);
                a1 = a1.add(b);
                a2 = a2.add(b);
                a3 = a3.add(b);
            }
            a0.max(loV).min(hiV).intoArray(out, outRow + ox);
            a1.max(loV).min(hiV).intoArray(out, outRow + ox + L);
            a2.max(loV).min(hiV).intoArray(out, outRow + ox + 2 * L);
            a3.max(loV).min(hiV).intoArray(out, outRow + ox + 3 * L);
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
            if (hasBias) {
                a = a.add(b);
            }
            a = a.max(loV).min(hiV);
            if (ox + L <= ow) {
                a.intoArray(out, outRow + ox);
            } else {
                VectorMask<Float> mask = S.indexInRange(ox, ow);
                a.intoArray(out, outRow + ox, mask);
            }
        }
    }
}
