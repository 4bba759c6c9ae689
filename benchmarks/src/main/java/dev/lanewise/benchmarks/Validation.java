package dev.lanewise.benchmarks;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.ref.RefGemm;
import dev.lanewise.nn.ref.RefActivations;
import dev.lanewise.nn.ref.RefConv2d;
import dev.lanewise.nn.ref.RefPool2d;
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
     * reference, {@code R = C/group * KH * KW} the reduction length. One output channel is a
     * one-group convolution of its group's input channels with one output channel, the weights and
     * bias at that channel's offsets, so the reference computes the sampled channels alone: the big
     * layers would take it seconds.
     */
    static void checkConvChannels(String what, ConvLayer l, float[] x, float[] w, float[] b, float[] y) {
        ConvGeometry g = l.geometry().withChannels(l.inChannels() / l.group());
        int r = l.reduction();
        int k = l.outChannels();
        int groupInput = g.imageSize();
        int filtersPerGroup = k / l.group();
        int plane = g.outputHeight() * g.outputWidth();
        float[] absX = abs(x);
        float[] absW = abs(w);
        float[] absB = abs(b);
        for (int channel : new int[] {0, k / 3, k / 2, (2 * k) / 3, k - 1}) {
            float[] expected = new float[plane];
            float[] bound = new float[plane];
            int in = channel / filtersPerGroup * groupInput;
            RefConv2d.forward(1, g, 1, 1, x, in, w, channel * r, b, channel, expected, 0);
            RefConv2d.forward(1, g, 1, 1, absX, in, absW, channel * r, absB, channel, bound, 0);
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

    /**
     * Checks a pooling result {@code y} (batch 1, NCHW) against {@link RefPool2d}, every element: a
     * maximum exactly; an average exactly too when {@code exactAverage}, else within
     * {@code (n + 4) * 2^-23 * avg |x|} of the reference, {@code n} the window's cells and
     * {@code avg |x|} the same average over {@code |x|}: the bound of a sum of {@code n} terms in
     * another order, then a division (or a multiplication by a rounded reciprocal).
     */
    static void checkPool(String what, PoolLayer l, float[] x, float[] y, boolean exactAverage) {
        float[] expected = new float[l.outputFloats()];
        l.reference(x, expected);
        float[] averageAbs = null;
        if (l.op().average() && !exactAverage) {
            averageAbs = new float[expected.length];
            l.reference(abs(x), averageAbs);
        }
        float scale = (l.windowCells() + 4) * 0x1p-23f;
        int plane = l.outputHeight() * l.outputWidth();
        for (int i = 0; i < expected.length; i++) {
            float allowed = averageAbs == null ? 0f : scale * averageAbs[i] + Float.MIN_NORMAL;
            if (!(Math.abs(y[i] - expected[i]) <= allowed)) {
                throw new IllegalStateException(what + ": Y(" + i / plane + ", " + i % plane / l.outputWidth() + ", "
                        + i % l.outputWidth() + ") = " + y[i] + " but the reference gives " + expected[i]
                        + " (allowed error " + allowed + ")");
            }
        }
    }

    /** Checks an out-of-place ReLU, {@code y = relu(x)}, against {@link RefActivations#relu}: every element, exactly. */
    static void checkRelu(String what, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            float expected = RefActivations.relu(x[i]);
            if (Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(expected)) {
                throw new IllegalStateException(what + ": y[" + i + "] = " + y[i] + " but relu(" + x[i] + ") = " + expected);
            }
        }
    }

    /** Checks a copy baseline: {@code y} holds {@code x}, bit for bit. */
    static void checkCopy(String what, float[] x, float[] y) {
        int i = Arrays.mismatch(x, y);
        if (i >= 0) {
            throw new IllegalStateException(what + ": the copy differs from the input at " + i
                    + (i < Math.min(x.length, y.length) ? ": " + y[i] + " instead of " + x[i] : " (length)"));
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
