package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.ref.RefGemm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs one {@link GemmCase} through an implementation and checks it against {@link RefGemm}:
 * every element of the {@code m x n} result within the k-scaled rounding bound, every other element
 * of C's array (the guard zone around and between the rows) bit-for-bit untouched, A, B and the
 * bias unmodified.
 */
final class GemmChecker {

    /** A GEMM implementation under test, called with CBLAS row-major arguments. */
    @FunctionalInterface
    interface Gemm {
        void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc, Epilogue epilogue);
    }

    /** A NaN with a payload no kernel produces: fills the guard zone around C. */
    static final float GUARD = Float.intBitsToFloat(0x7fc0_dead);
    private static final int GUARD_ELEMENTS = 37;

    /** Operands, C before the call, and the reference result of one case. */
    record Problem(GemmCase gc, float[] a, float[] b, float[] c, float[] bias, Epilogue epilogue) {

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
            };
            return new Problem(gc, a, b, c, bias, epilogue);
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
        float[] expected = pr.c().clone();
        RefGemm.sgemm(gc.transA(), gc.transB(), gc.m(), gc.n(), gc.k(), gc.alpha(), pr.a(), gc.aOff(), gc.lda(),
                pr.b(), gc.bOff(), gc.ldb(), gc.beta(), expected, gc.cOff(), gc.ldc(), pr.epilogue());
        float[] bound = bounds(pr);
        float[] got = pr.c().clone();
        gemm.sgemm(gc.transA(), gc.transB(), gc.m(), gc.n(), gc.k(), gc.alpha(), pr.a(), gc.aOff(), gc.lda(),
                pr.b(), gc.bOff(), gc.ldb(), gc.beta(), got, gc.cOff(), gc.ldc(), pr.epilogue());
        compare(gc, pr.c(), expected, bound, got);
        if (!Arrays.equals(a0, pr.a()) || !Arrays.equals(b0, pr.b()) || !Arrays.equals(bias0, pr.bias())) {
            fail("an input array was modified: " + gc);
        }
        return got;
    }

    /**
     * Per element of C: {@code (k + 4) * 2^-23 * (|alpha| sum_p |a_ip b_pj| + |beta c_ij| + |bias|)},
     * the forward error bound of a length-k FMA chain plus the scaling and epilogue roundings.
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
                absB, gc.bOff(), gc.ldb(), Math.abs(gc.beta()), bound, gc.cOff(), gc.ldc(), absBias);
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
