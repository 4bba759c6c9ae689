package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ActivationKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationKernels} one vector at a time, the last partial vector masked. ReLU, the clamp
 * everyone calls, is a compare and a blend ({@code x <= 0 ? +0.0 : x}, which is
 * {@code Math.max(x, +0.0)}, NaN included, since NaN compares false); other clamps use the lanewise
 * {@code MAX}/{@code MIN}, whose semantics are {@code Math.max}/{@code Math.min}'s.
 */
final class VectorActivationKernels extends ActivationKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);

    @Override
    public void clamp(float[] in, int inOff, float[] out, int outOff, int n, float lo, float hi) {
        if (hi == Float.POSITIVE_INFINITY && Float.floatToRawIntBits(lo) == 0) {
            relu(in, inOff, out, outOff, n);
            return;
        }
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, in, inOff + i).max(lo).min(hi).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector.fromArray(S, in, inOff + i, tail).max(lo).min(hi).intoArray(out, outOff + i, tail);
        }
    }

    private static void relu(float[] in, int inOff, float[] out, int outOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, in, inOff + i);
            x.blend(ZERO, x.compare(VectorOperators.LE, 0f)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, in, inOff + i, tail);
            x.blend(ZERO, x.compare(VectorOperators.LE, 0f)).intoArray(out, outOff + i, tail);
        }
    }

    @Override
    public void leakyRelu(float[] in, int inOff, float[] out, int outOff, int n, float alpha) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, in, inOff + i);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0f)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, in, inOff + i, tail);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0f)).intoArray(out, outOff + i, tail);
        }
    }
}
