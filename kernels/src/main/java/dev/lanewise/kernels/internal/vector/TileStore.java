package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How every vector kernel writes its results: the vector form of the epilogue ({@link #storeRow}),
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
     * {@code scratch[i * nr + j]}, with the epilogue, row by row ({@link #storeRow}). Kernels call it
     * for every case but the full tile with {@code beta} 0 or 1 and the identity epilogue, which they
     * store from registers with the same arithmetic (vectors cannot be passed here: a kernel is too
     * large for C2 to inline a callee into, and a vector passed to a call that is not inlined is
     * boxed). They write both cases as one statement per accumulator,
     * {@code fma(s, alpha, beta == 0 ? -0 : C)}, which for {@code beta == 0} is exactly
     * {@code alpha * s} (adding -0 changes no float, not even +0) and does not read C. Two blocks, one
     * per case, made the 256-bit kernels too large for C1's register allocator; the tiered JIT then
     * left them in C1 code for good, where every vector is a heap object (the steady-state allocation
     * test caught it by running for minutes).
     */
    static void store(float[] scratch, int mr, int nr, int m, int n, float alpha, float beta,
                      float[] c, int cOff, int ldc, BoundEpilogue epilogue, int row0, int col0) {
        assert m <= mr && n <= nr;
        for (int i = 0; i < m; i++) {
            storeRow(scratch, i * nr, n, alpha, beta, c, cOff + i * ldc, epilogue, row0 + i, col0);
        }
    }

    /**
     * The vector form of the epilogue: for {@code 0 <= j < n},
     * <pre>
     *   t            = beta == 0 ? alpha * s[si + j] : fma(s[si + j], alpha, beta == 1 ? c[ci + j] : beta * c[ci + j])
     *   c[ci + j]    = epilogue.apply(t, i, j0 + j)      (bias, residual, activation; see BoundEpilogue)
     * </pre>
     * {@code c} is not read when {@code beta == 0}; {@code s} may be {@code c} itself at the same index
     * (a kernel that stored its raw sums, stored again with {@code alpha = 1, beta = 0}: {@code 1 * s}
     * is {@code s}). One loop body for every vector, the last one under its mask ({@code intoArray}
     * stores a full mask as a plain store); LeakyReLU is a compare and a blend, so NaN and {@code -0.0}
     * pass, as in the scalar form.
     */
    static void storeRow(float[] s, int si, int n, float alpha, float beta, float[] c, int ci,
                         BoundEpilogue epilogue, int i, int j0) {
        Epilogue.Bias biasKind = epilogue.biasKind();
        float[] bias = epilogue.bias();
        int bj = epilogue.biasOffset() + j0;
        float rowBias = biasKind == Epilogue.Bias.ROW ? bias[epilogue.biasOffset() + i] : 0f;
        float[] residual = epilogue.residual();
        int rj = residual == null ? 0 : epilogue.residualOffset() + i * epilogue.ldr() + j0;
        Epilogue.Activation activation = epilogue.activation();
        float slope = epilogue.negativeSlope();
        FloatVector lo = FloatVector.broadcast(S, epilogue.lo());
        FloatVector hi = FloatVector.broadcast(S, epilogue.hi());
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector t = FloatVector.fromArray(S, s, si + j, mask);
            if (beta == 0f) {
                t = t.mul(alpha);
            } else {
                FloatVector old = FloatVector.fromArray(S, c, ci + j, mask);
                t = t.fma(alphaV, beta == 1f ? old : old.mul(beta));
            }
            if (biasKind == Epilogue.Bias.ROW) {
                t = t.add(rowBias);
            } else if (biasKind == Epilogue.Bias.COLUMN) {
                t = t.add(FloatVector.fromArray(S, bias, bj + j, mask));
            }
            if (residual != null) {
                t = t.add(FloatVector.fromArray(S, residual, rj + j, mask));
            }
            if (activation == Epilogue.Activation.CLAMP) {
                t = t.max(lo).min(hi);
            } else if (activation == Epilogue.Activation.LEAKY_RELU) {
                t = t.blend(t.mul(slope), t.compare(VectorOperators.LT, 0f));
            }
            t.intoArray(c, ci + j, mask);
        }
    }
}
