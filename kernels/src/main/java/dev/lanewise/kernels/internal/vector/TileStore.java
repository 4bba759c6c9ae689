package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How every vector kernel writes its results: the vector form of the epilogue ({@link #storeRows}),
 * which rounds as the scalar form {@link BoundEpilogue} does, so that all kernels round identically
 * (see {@link dev.lanewise.kernels.internal.GemmMicroKernel}):
 * {@code t = beta == 0 ? alpha * s : fma(s, alpha, beta == 1 ? C : beta * C)}, then the epilogue
 * (bias, residual, activation).
 */
final class TileStore {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    private TileStore() {
    }

    /**
     * Updates an {@code m x n} tile of C from accumulators dumped row-major into
     * {@code scratch[i * nr + j]}, with the epilogue ({@link #storeRows}). Kernels call it for every
     * case but the full tile with {@code beta} 0 or 1 and the identity epilogue, which they store
     * from registers with the same arithmetic (vectors cannot be passed here: a kernel is too large
     * for C2 to inline a callee into, and a vector passed to a call that is not inlined is boxed).
     * They write both cases as one statement per accumulator, {@code fma(s, alpha, beta == 0 ? -0 : C)},
     * which for {@code beta == 0} is exactly {@code alpha * s} (adding -0 changes no float, not even
     * +0) and does not read C. Two blocks, one per case, made the 256-bit kernels too large for C1's
     * register allocator; the tiered JIT then left them in C1 code for good, where every vector is a
     * heap object (the steady-state allocation test caught it by running for minutes).
     */
    static void store(float[] scratch, int mr, int nr, int m, int n, float alpha, float beta,
                      float[] c, int cOff, int ldc, BoundEpilogue epilogue, int row0, int col0) {
        assert m <= mr && n <= nr;
        storeRows(scratch, 0, nr, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
    }

    /**
     * The vector form of the epilogue: for {@code 0 <= r < rows} and {@code 0 <= j < n},
     * <pre>
     *   t                   = beta == 0 ? alpha * S(r, j) : fma(S(r, j), alpha, beta == 1 ? C(r, j) : beta * C(r, j))
     *   C(r, j)             = epilogue.apply(t, i0 + r, j0 + j)      (bias, residual, activation; see BoundEpilogue)
     *   S(r, j) = s[si + r * sStride + j],   C(r, j) = c[ci + r * ldc + j]
     * </pre>
     * C is not read when {@code beta == 0}; S may be C itself at the same indices (a kernel that
     * stored its raw sums stores them again with {@code alpha = 1, beta = 0}: {@code 1 * s} is
     * {@code s}). The epilogue's fields are read once per call. One loop body for every vector of a
     * row, the last one under its mask ({@code intoArray} stores a full mask as a plain store);
     * LeakyReLU is a compare and a blend, so NaN and {@code -0.0} pass, as in the scalar form.
     */
    static void storeRows(float[] s, int si, int sStride, int rows, int n, float alpha, float beta,
                          float[] c, int ci, int ldc, BoundEpilogue epilogue, int i0, int j0) {
        Epilogue e = epilogue.epilogue();
        Epilogue.Bias biasKind = e.biasKind();
        float[] bias = e.bias();
        int biasOffset = e.biasOffset();
        float[] residual = epilogue.residual();
        int ldr = epilogue.ldr();
        int r0 = epilogue.residualOffset() + i0 * ldr + j0;
        Epilogue.Activation activation = e.activation();
        float slope = e.negativeSlope();
        FloatVector lo = FloatVector.broadcast(S, e.lo());
        FloatVector hi = FloatVector.broadcast(S, e.hi());
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        for (int r = 0; r < rows; r++) {
            int sr = si + r * sStride;
            int cr = ci + r * ldc;
            int rr = r0 + r * ldr;
            float rowBias = biasKind == Epilogue.Bias.ROW ? bias[biasOffset + i0 + r] : 0f;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector t = FloatVector.fromArray(S, s, sr + j, mask);
                if (beta == 0f) {
                    if (alpha != 1f) {   // 1 * s is s: a direct kernel's second pass skips the multiply
                        t = t.mul(alpha);
                    }
                } else {
                    FloatVector old = FloatVector.fromArray(S, c, cr + j, mask);
                    t = t.fma(alphaV, beta == 1f ? old : old.mul(beta));
                }
                if (biasKind == Epilogue.Bias.ROW) {
                    t = t.add(rowBias);
                } else if (biasKind == Epilogue.Bias.COLUMN) {
                    t = t.add(FloatVector.fromArray(S, bias, biasOffset + j0 + j, mask));
                }
                if (residual != null) {
                    t = t.add(FloatVector.fromArray(S, residual, rr + j, mask));
                }
                if (activation == Epilogue.Activation.CLAMP) {
                    t = t.max(lo).min(hi);
                } else if (activation == Epilogue.Activation.LEAKY_RELU) {
                    t = t.blend(t.mul(slope), t.compare(VectorOperators.LT, 0f));
                }
                t.intoArray(c, cr + j, mask);
            }
        }
    }
}
