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
     * a callee into, and a vector passed to a call that is not inlined is boxed). They write both
     * cases as one statement per accumulator, {@code fma(s, alpha, beta == 0 ? -0 : C)}, which for
     * {@code beta == 0} is exactly {@code alpha * s} (adding -0 changes no float, not even +0) and
     * does not read C. Two blocks, one per case, made the 256-bit kernels too large for C1's
     * register allocator; the tiered JIT then left them in C1 code for good, where every vector is
     * a heap object (the steady-state allocation test caught it by running for minutes).
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
        int full = n - n % L;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            int si = i * nr;
            float rowBias = biasKind == Epilogue.Bias.ROW ? bias[biasOff + row0 + i] : 0f;
            for (int j = 0; j < full; j += L) {
                FloatVector t = FloatVector.fromArray(S, scratch, si + j);
                if (beta == 0f) {
                    t = t.mul(alpha);
                } else {
                    FloatVector old = FloatVector.fromArray(S, c, ci + j);
                    t = t.fma(alphaV, beta == 1f ? old : old.mul(beta));
                }
                if (biasKind == Epilogue.Bias.ROW) {
                    t = t.add(rowBias);
                } else if (biasKind == Epilogue.Bias.COLUMN) {
                    t = t.add(FloatVector.fromArray(S, bias, biasOff + col0 + j));
                }
                if (clamps) {
                    t = t.max(lo).min(hi);
                }
                t.intoArray(c, ci + j);
            }
            if (full < n) {
                // The partial last vector: same arithmetic under a mask (no mask object may be null:
                // C2 would have to box it).
                VectorMask<Float> mask = S.indexInRange(full, n);
                FloatVector t = FloatVector.fromArray(S, scratch, si + full);
                if (beta == 0f) {
                    t = t.mul(alpha);
                } else {
                    FloatVector old = FloatVector.fromArray(S, c, ci + full, mask);
                    t = t.fma(alphaV, beta == 1f ? old : old.mul(beta));
                }
                if (biasKind == Epilogue.Bias.ROW) {
                    t = t.add(rowBias);
                } else if (biasKind == Epilogue.Bias.COLUMN) {
                    t = t.add(FloatVector.fromArray(S, bias, biasOff + col0 + full, mask));
                }
                if (clamps) {
                    t = t.max(lo).min(hi);
                }
                t.intoArray(c, ci + full, mask);
            }
        }
    }
}
