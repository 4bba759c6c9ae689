package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.ref.RefGemm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs one {@link GemmCase} through an implementation and checks it against {@link RefGemm}:
 * every element of the {@code m x n} result within the k-scaled rounding bound, every other element
 * of C's array (the guard zone around and between the rows) bit-for-bit untouched, A, B, the bias
 * and the residual's array (its elements and the guard zone around and between its rows)
 * unmodified.
 */
final class GemmChecker {

    /**
     * A GEMM implementation under test, called with CBLAS row-major arguments and the residual
     * {@code R(i, j) = r[rOff + i * ldr + j]}, {@code r == null} for none.
     */
    @FunctionalInterface
    interface Gemm {
        void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc, Epilogue epilogue, float[] r, int rOff, int ldr);
    }

    /** LeakyReLU's slope in the cases. */
    static final float LEAKY_SLOPE = 0.1f;

    /** A NaN with a payload no kernel produces: fills the guard zone around C. */
    static final float GUARD = Float.intBitsToFloat(0x7fc0_dead);
    private static final int GUARD_ELEMENTS = 37;

    /** Operands, C before the call, the residual's array ({@code null} without one), and the epilogue of one case. */
    record Problem(GemmCase gc, float[] a, float[] b, float[] c, float[] bias, Epilogue epilogue, float[] r) {

        static Problem of(GemmCase gc, boolean nanInC) {
            SplittableRandom random = new SplittableRandom(gc.seed());
            int aRows = gc.transA() ? gc.k() : gc.m();
            int bRows = gc.transB() ? gc.n() : gc.k();
            float[] a = TestArrays.filled(gc.aOff() + (long) aRows * gc.lda() + GUARD_ELEMENTS, random);
            float[] b = TestArrays.filled(gc.bOff() + (long) bRows * gc.ldb() + GUARD_ELEMENTS, random);
            float[] c = new float[Math.toIntExact(gc.cOff() + (long) gc.m() * gc.ldc() + GUARD_ELEMENTS)];
            Arrays.fill(c, GUARD);
            for (int i = 0; i < gc.m(); i++) {
                for (int j = 0; j < gc.n(); j++) {
                    c[gc.cOff() + i * gc.ldc() + j] = nanInC ? Float.NaN : (float) random.nextDouble(-1, 1);
                }
            }
            float[] bias = TestArrays.filled(Math.max(gc.m(), gc.n()) + 3, random);
            Epilogue epilogue = switch (gc.epilogue()) {
                case NONE -> Epilogue.NONE;
                case RELU -> Epilogue.relu();
                case ROW_BIAS_RELU -> Epilogue.rowBias(bias, 3).withRelu();
                case COLUMN_BIAS_CLAMP -> Epilogue.columnBias(bias, 1).withClamp(-0.5f, 0.75f);
                case LEAKY_RELU -> Epilogue.leakyRelu(LEAKY_SLOPE);
                case ROW_BIAS_LEAKY_RELU -> Epilogue.rowBias(bias, 2).withLeakyRelu(LEAKY_SLOPE);
            };
            float[] r = null;
            if (gc.residual()) {
                r = new float[Math.toIntExact(gc.rOff() + (long) gc.m() * gc.ldr() + GUARD_ELEMENTS)];
                Arrays.fill(r, GUARD);
                for (int i = 0; i < gc.m(); i++) {
                    for (int j = 0; j < gc.n(); j++) {
                        r[gc.rOff() + i * gc.ldr() + j] = (float) random.nextDouble(-1, 1);
                    }
                }
            }
            return new Problem(gc, a, b, c, bias, epilogue, r);
        }

        /** Runs {@code gemm} on this problem's operands, writing {@code c}. */
        void run(GemmChecker.Gemm gemm, float[] c) {
            gemm.sgemm(gc.transA(), gc.transB(), gc.m(), gc.n(), gc.k(), gc.alpha(), a, gc.aOff(), gc.lda(),
                    b, gc.bOff(), gc.ldb(), gc.beta(), c, gc.cOff(), gc.ldc(), epilogue, r, gc.rOff(), gc.ldr());
        }

    }

    private GemmChecker() {
    }

    /** Runs {@code gemm} on {@code gc} (C filled with NaN when {@code nanInC}) and checks the result. */
    static float[] check(GemmCase gc, boolean nanInC, Gemm gemm) {
        Problem pr = Problem.of(gc, nanInC);
        float[] a0 = pr.a().clone();
        float[] b0 = pr.b().clone();
        float[] bias0 = pr.bias().clone();
        float[] r0 = pr.r() == null ? null : pr.r().clone();
        float[] expected = pr.c().clone();
        pr.run(RefGemm::sgemm, expected);
        float[] bound = bounds(pr);
        float[] got = pr.c().clone();
        pr.run(gemm, got);
        compare(gc, pr.c(), expected, bound, got);
        if (!Arrays.equals(a0, pr.a()) || !Arrays.equals(b0, pr.b()) || !Arrays.equals(bias0, pr.bias())) {
            fail("an input array was modified: " + gc);
        }
        if (r0 != null && !Arrays.equals(TestArrays.bits(r0), TestArrays.bits(pr.r()))) {
            fail("the residual's array (R or its guard zone) was written: " + gc);
        }
        return got;
    }

    /**
     * Per element of C: {@code (k + 4) * 2^-23 * (|alpha| sum_p |a_ip b_pj| + |beta c_ij| + |bias| + |r_ij|)},
     * the forward error bound of a length-k FMA chain plus the scaling and epilogue roundings (the
     * activations are 1-Lipschitz: LeakyReLU's slope is below 1).
     */
    private static float[] bounds(Problem pr) {
        GemmCase gc = pr.gc();
        float[] absA = TestArrays.abs(pr.a());
        float[] absB = TestArrays.abs(pr.b());
        float[] absC = TestArrays.abs(pr.c());
        float[] bound = new float[pr.c().length];
        Epilogue absBias = switch (pr.epilogue().biasKind()) {
            case NONE -> Epilogue.NONE;
            case ROW -> Epilogue.rowBias(TestArrays.abs(pr.bias()), pr.epilogue().biasOffset());
            case COLUMN -> Epilogue.columnBias(TestArrays.abs(pr.bias()), pr.epilogue().biasOffset());
        };
        if (gc.beta() != 0f) {
            System.arraycopy(absC, 0, bound, 0, bound.length);
        }
        RefGemm.sgemm(gc.transA(), gc.transB(), gc.m(), gc.n(), gc.k(), Math.abs(gc.alpha()), absA, gc.aOff(), gc.lda(),
                absB, gc.bOff(), gc.ldb(), Math.abs(gc.beta()), bound, gc.cOff(), gc.ldc(), absBias,
                pr.r() == null ? null : TestArrays.abs(pr.r()), gc.rOff(), gc.ldr());
        float scale = (gc.k() + 4) * 0x1p-23f;
        for (int i = 0; i < bound.length; i++) {
            bound[i] = bound[i] * scale + Float.MIN_NORMAL;
        }
        return bound;
    }


    private static void compare(GemmCase gc, float[] before, float[] expected, float[] bound, float[] got) {
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - gc.cOff();
            int i = rel < 0 ? -1 : rel / gc.ldc();
            int j = rel < 0 ? -1 : rel % gc.ldc();
            boolean inside = rel >= 0 && i < gc.m() && j < gc.n();
            if (!inside) {
                if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(before[idx])) {
                    fail("wrote outside C's m x n elements at array index " + idx + " (got " + got[idx] + "): " + gc);
                }
            } else if (!(Math.abs(got[idx] - expected[idx]) <= bound[idx])) {
                fail("C(" + i + ", " + j + ") = " + got[idx] + ", reference " + expected[idx]
                        + ", allowed error " + bound[idx] + ": " + gc);
            }
        }
    }
}
