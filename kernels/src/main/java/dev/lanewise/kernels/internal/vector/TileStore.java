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
     * {@code s}). The epilogue's fields are read once per call. The last vector of a row is stored
     * under a mask made once per call (a mask made per vector cost as much as a 14-float row);
     * LeakyReLU is a compare and a blend, so NaN and {@code -0.0} pass, as in the scalar form.
     */
    static void storeRows(float[] s, int si, int sStride, int rows, int n, float alpha, float beta,
                          float[] c, int ci, int ldc, BoundEpilogue epilogue, int i0, int j0) {
        store(s, si, sStride, rows, n, alpha, beta, c, ci, ldc, epilogue, i0, 1, j0, 0);
    }

    /**
     * The epilogue over one plane of a direct convolution whose sums were computed into rows of
     * {@code sStride} floats: for {@code 0 <= r < rows}, {@code 0 <= x < n},
     * <pre>
     *   c[ci + r * n + x] = epilogue.apply(s[si + r * sStride + x], i, j0 + r * n + x)
     * </pre>
     * the output rows packed densely as the plane's rows, all of them epilogue row {@code i} (one
     * filter: one bias, its residual plane). With the identity epilogue this is a copy.
     */
    static void storePlane(float[] s, int si, int sStride, int rows, int n, float[] c, int ci,
                           BoundEpilogue epilogue, int i, int j0) {
        store(s, si, sStride, rows, n, 1f, 0f, c, ci, n, epilogue, i, 0, j0, n);
    }

    /**
     * {@link #storeRows}' loops, row {@code r} of the sums being element {@code (i0 + r iStep,
     * j0 + r jStep + j)} of the epilogue's matrix: a GEMM tile ({@code iStep = 1, jStep = 0}) or the
     * rows of one plane ({@code iStep = 0, jStep = n}).
     */
    private static void store(float[] s, int si, int sStride, int rows, int n, float alpha, float beta,
                              float[] c, int ci, int ldc, BoundEpilogue epilogue, int i0, int iStep, int j0, int jStep) {
        Epilogue e = epilogue.epilogue();
        Epilogue.Bias biasKind = e.biasKind();
        float[] bias = e.bias();
        int biasOffset = e.biasOffset();
        float[] residual = epilogue.residual();
        int ldr = epilogue.ldr();
        int r0 = epilogue.residualOffset() + i0 * ldr + j0;
        int rStep = iStep * ldr + jStep;
        Epilogue.Activation activation = e.activation();
        float slope = e.negativeSlope();
        FloatVector lo = FloatVector.broadcast(S, e.lo());
        FloatVector hi = FloatVector.broadcast(S, e.hi());
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        int whole = n - n % L;
        VectorMask<Float> tail = S.indexInRange(whole, n);
        boolean rowBias = biasKind == Epilogue.Bias.ROW;
        boolean columnBias = biasKind == Epilogue.Bias.COLUMN;
        boolean clamp = activation == Epilogue.Activation.CLAMP;
        boolean leaky = activation == Epilogue.Activation.LEAKY_RELU;
        for (int r = 0; r < rows; r++) {
            int sr = si + r * sStride;
            int cr = ci + r * ldc;
            int rr = r0 + r * rStep;
            int br = biasOffset + j0 + r * jStep;
            float b = rowBias ? bias[biasOffset + i0 + r * iStep] : 0f;
            // The whole vectors, then the row's tail under the mask made once: written twice because
            // a mask chosen per vector doubled the cost of 14-float rows, and a shared helper taking
            // the vectors is not inlined (C2 then boxes them).
            for (int j = 0; j < whole; j += L) {
                FloatVector t = FloatVector.fromArray(S, s, sr + j);
                t = beta == 0f ? (alpha == 1f ? t : t.mul(alpha))
                        : t.fma(alphaV, beta == 1f ? FloatVector.fromArray(S, c, cr + j)
                                : FloatVector.fromArray(S, c, cr + j).mul(beta));
                t = rowBias ? t.add(b) : columnBias ? t.add(FloatVector.fromArray(S, bias, br + j)) : t;
                t = residual == null ? t : t.add(FloatVector.fromArray(S, residual, rr + j));
                t = clamp ? t.max(lo).min(hi) : leaky ? t.blend(t.mul(slope), t.compare(VectorOperators.LT, 0f)) : t;
                t.intoArray(c, cr + j);
            }
            if (whole < n) {
                FloatVector t = FloatVector.fromArray(S, s, sr + whole, tail);
                t = beta == 0f ? (alpha == 1f ? t : t.mul(alpha))
                        : t.fma(alphaV, beta == 1f ? FloatVector.fromArray(S, c, cr + whole, tail)
                                : FloatVector.fromArray(S, c, cr + whole, tail).mul(beta));
                t = rowBias ? t.add(b) : columnBias ? t.add(FloatVector.fromArray(S, bias, br + whole, tail)) : t;
                t = residual == null ? t : t.add(FloatVector.fromArray(S, residual, rr + whole, tail));
                t = clamp ? t.max(lo).min(hi) : leaky ? t.blend(t.mul(slope), t.compare(VectorOperators.LT, 0f)) : t;
                t.intoArray(c, cr + whole, tail);
            }
        }
    }
}
