package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * How every vector GEMM kernel writes its accumulators to C, so that all kernels round identically
 * (see {@link dev.lanewise.kernels.internal.GemmMicroKernel}):
 * {@code t = beta == 0 ? alpha * s : fma(s, alpha, beta == 1 ? C : beta * C)}, then the epilogue.
 */
final class TileStore {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();

    private TileStore() {
    }

    /**
     * Updates an {@code m x n} tile of C from accumulators dumped row-major into
     * {@code scratch[i * nr + j]}, with masked edges and the epilogue. Kernels call it for every case
     * but the full tile with {@code beta} 0 or 1 and no epilogue, which they store from registers
     * with the same arithmetic (vectors cannot be passed here: a kernel is too large for C2 to inline
     * a callee into, and a vector passed to a call that is not inlined is boxed).
     */
    static void store(float[] scratch, int mr, int nr, int m, int n, float alpha, float beta,
                           float[] c, int cOff, int ldc, Epilogue epilogue, int row0, int col0) {
        assert m <= mr && n <= nr;
        Epilogue.Bias biasKind = epilogue.biasKind();
        float[] bias = epilogue.bias();
        int biasOff = epilogue.biasOffset();
        boolean clamps = epilogue.clamps();
        FloatVector lo = FloatVector.broadcast(S, epilogue.lo());
        FloatVector hi = FloatVector.broadcast(S, epilogue.hi());
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            int si = i * nr;
            for (int j = 0; j < n; j += L) {
                boolean full = j + L <= n;
                VectorMask<Float> mask = full ? null : S.indexInRange(j, n);
                FloatVector s = FloatVector.fromArray(S, scratch, si + j);
                FloatVector t;
                if (beta == 0f) {
                    t = s.mul(alpha);
                } else {
                    FloatVector old = full ? FloatVector.fromArray(S, c, ci + j) : FloatVector.fromArray(S, c, ci + j, mask);
                    t = s.fma(alphaV, beta == 1f ? old : old.mul(beta));
                }
                if (biasKind == Epilogue.Bias.ROW) {
                    t = t.add(bias[biasOff + row0 + i]);
                } else if (biasKind == Epilogue.Bias.COLUMN) {
                    int bj = biasOff + col0 + j;
                    t = t.add(full ? FloatVector.fromArray(S, bias, bj) : FloatVector.fromArray(S, bias, bj, mask));
                }
                if (clamps) {
                    t = t.max(lo).min(hi);
                }
                if (full) {
                    t.intoArray(c, ci + j);
                } else {
                    t.intoArray(c, ci + j, mask);
                }
            }
        }
    }
}
