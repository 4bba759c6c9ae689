package dev.lanewise.benchmarks;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.ref.RefGemm;
import dev.lanewise.nn.ref.RefConv2d;
import java.util.Arrays;

/**
 * The output check every benchmark runs once in its setup: a benchmark of a wrong result is worse
 * than none. Failures throw, which fails the JMH run loudly.
 */
final class Validation {

    private Validation() {
    }

    /**
     * Checks rows of a GEMM result {@code c = A * op(B)} against {@link RefGemm}: the first, middle
     * and last row and two more, each element within {@code (k + 4) * 2^-23 * sum_p |a_ip b_pj|}.
     */
    static void checkGemmRows(String what, GemmShape s, float[] a, float[] b, float[] c) {
        int m = s.m();
        int n = s.n();
        int k = s.k();
        int ldb = s.transB() ? k : n;
        float[] absA = abs(a);
        float[] absB = abs(b);
        for (int i : new int[] {0, m / 3, m / 2, (2 * m) / 3, m - 1}) {
            float[] expected = new float[n];
            float[] bound = new float[n];
            RefGemm.sgemm(false, s.transB(), 1, n, k, 1f, a, i * k, k, b, 0, ldb, 0f, expected, 0, n, Epilogue.NONE);
            RefGemm.sgemm(false, s.transB(), 1, n, k, 1f, absA, i * k, k, absB, 0, ldb, 0f, bound, 0, n, Epilogue.NONE);
            for (int j = 0; j < n; j++) {
                float got = c[i * n + j];
                float allowed = (k + 4) * 0x1p-23f * bound[j] + Float.MIN_NORMAL;
                if (!(Math.abs(got - expected[j]) <= allowed)) {
                    throw new IllegalStateException(what + ": C(" + i + ", " + j + ") = " + got
                            + " but the reference gives " + expected[j] + " (allowed error " + allowed + ")");
                }
            }
        }
    }

    /**
     * Checks output channels of a convolution result {@code y} (batch 1, NCHW) against {@link RefConv2d}:
     * the first, middle and last channel and two more, whole, each element within
     * {@code (R + 4) * 2^-23 * (|B[k]| + sum_{c, r, s} |W[k][c][r][s] * X[c][..][..]|)} of the
     * reference, {@code R = C * KH * KW} the reduction length. One channel of a one-group convolution
     * is a convolution with one output channel, the weights and bias at that channel's offsets, so
     * the reference computes the sampled channels alone: the big layers would take it seconds.
     */
    static void checkConvChannels(String what, ConvLayer l, float[] x, float[] w, float[] b, float[] y) {
        ConvGeometry g = l.geometry();
        int r = l.reduction();
        int k = l.outChannels();
        int plane = g.outputHeight() * g.outputWidth();
        float[] absX = abs(x);
        float[] absW = abs(w);
        float[] absB = abs(b);
        for (int channel : new int[] {0, k / 3, k / 2, (2 * k) / 3, k - 1}) {
            float[] expected = new float[plane];
            float[] bound = new float[plane];
            RefConv2d.forward(1, g, 1, 1, x, 0, w, channel * r, b, channel, expected, 0);
            RefConv2d.forward(1, g, 1, 1, absX, 0, absW, channel * r, absB, channel, bound, 0);
            for (int i = 0; i < plane; i++) {
                float got = y[channel * plane + i];
                float allowed = (r + 4) * 0x1p-23f * bound[i] + Float.MIN_NORMAL;
                if (!(Math.abs(got - expected[i]) <= allowed)) {
                    throw new IllegalStateException(what + ": Y(" + channel + ", " + i / g.outputWidth() + ", "
                            + i % g.outputWidth() + ") = " + got + " but the reference gives " + expected[i]
                            + " (allowed error " + allowed + ")");
                }
            }
        }
    }

    private static float[] abs(float[] x) {
        float[] y = Arrays.copyOf(x, x.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.abs(y[i]);
        }
        return y;
    }
}
