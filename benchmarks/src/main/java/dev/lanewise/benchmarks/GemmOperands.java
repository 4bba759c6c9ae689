package dev.lanewise.benchmarks;

import dev.lanewise.kernels.Sgemm;

/**
 * The operands of a GEMM benchmark shape, {@code C (m x n) = A (m x k) * op(B)}, row-major, as every
 * GEMM benchmark makes them, so that they all compute the same product: A from seed 1 and B
 * ({@code k x n}, or {@code n x k} where the shape transposes it) from seed 2, uniform in [-1, 1)
 * ({@link GemmBenchmark#random}); C zero. The arrays are the record's own, written by the calls.
 */
record GemmOperands(GemmShape shape, float[] a, float[] b, float[] c) {

    /** Operands of {@code s} from the fixed seeds. */
    static GemmOperands of(GemmShape s) {
        return new GemmOperands(s, GemmBenchmark.random(s.m() * s.k(), 1), GemmBenchmark.random(s.k() * s.n(), 2),
                new float[s.m() * s.n()]);
    }

    /** B's leading dimension: {@code k} where B is stored {@code n x k}, else {@code n}. */
    int ldb() {
        return shape.transB() ? shape.k() : shape.n();
    }

    /** {@code C = A * op(B)} by lanewise's {@link Sgemm#sgemm}, on up to {@code Lanewise.threads()} threads. */
    void lanewise() {
        Sgemm.sgemm(false, shape.transB(), shape.m(), shape.n(), shape.k(), 1f, a, 0, shape.k(), b, 0, ldb(), 0f, c, 0,
                shape.n());
    }

    /** Checks {@code result}, a product of these A and B, against the reference ({@link Validation#checkGemmRows}). */
    void validate(String what, float[] result) {
        Validation.checkGemmRows(what, shape, a, b, result);
    }
}
