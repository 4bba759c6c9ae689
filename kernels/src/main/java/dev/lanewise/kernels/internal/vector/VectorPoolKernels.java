package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.PoolKernels;
import dev.lanewise.kernels.internal.PoolShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PoolKernels} vectorised along the output row: one vector holds {@code L} adjacent outputs,
 * and each window tap is one vector of inputs {@code strideWidth} apart, so every lane runs the
 * scalar rule's sequence of operations and the results agree bit for bit. A tap is a contiguous
 * load at stride 1, two loads and a two-vector permute ({@code vpermt2ps}) keeping the even lanes at
 * stride 2, and a gather beyond. Only the interior columns (all {@code kernelWidth} taps inside the
 * input) are vectorised; the border columns, and a last partial vector, take the scalar rule.
 */
final class VectorPoolKernels extends PoolKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    private static final FloatVector NEG_INF = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    private static final FloatVector NEG_ZERO = FloatVector.broadcast(S, -0.0f);
    /** Lane indices {@code 0, 2, 4, ...}: the even lanes of two concatenated vectors. */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);

    /** Per-thread scratch: gather offsets {@code l * stride} (with the stride last), index lanes, partial sums. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final int[] gather = new int[L + 1];
        final int[] indices = new int[L];
        final float[] partials = new float[SUM_PARTIALS];

        /** Gather offsets for {@code stride}, or {@code null} when the stride needs none. */
        int[] gatherFor(int stride) {
            if (stride <= 2) {
                return null;
            }
            if (gather[L] != stride) {
                for (int l = 0; l < L; l++) {
                    gather[l] = l * stride;
                }
                gather[L] = stride;
            }
            return gather;
        }
    }

    /** Inputs {@code a[p + l * stride]} for lanes {@code l < L}. */
    private static FloatVector tap(float[] a, int p, int stride, int[] gather) {
        if (stride == 1) {
            return FloatVector.fromArray(S, a, p);
        }
        if (stride == 2) {
            return EVEN.selectFrom(FloatVector.fromArray(S, a, p), FloatVector.fromArray(S, a, p + L));
        }
        return FloatVector.fromArray(S, a, p, gather, 0);
    }

    /**
     * One past the last output column of row {@code oy} that starts a whole vector: inside the
     * interior, and (at stride 2, whose two loads read {@code 2L} floats for {@code 2L - 1} used)
     * without reading past the array.
     */
    private static int vectorEnd(PoolShape s, int length, int inOff, int oy) {
        int end = s.interiorEnd();
        if (s.strideWidth() == 2 && end > s.interiorBegin()) {
            long lastRow = inOff + (long) (s.rowStart(oy) + (s.endRow(oy) - 1) * s.dilationHeight()) * s.width();
            long firstRead = lastRow + s.columnStart(0) + (long) (s.kernelWidth() - 1) * s.dilationWidth();
            // a vector at ox reads up to firstRead + 2 ox + 2L - 1, which must be < length
            long lastStart = Math.floorDiv(length - 2L * L - firstRead, 2);
            end = (int) Math.max(s.interiorBegin(), Math.min(end, lastStart + L));
        }
        return end;
    }

    @Override
    public void max(PoolShape s, float[] in, int inOff, float[] out, int outOff) {
        int w = s.width();
        int ow = s.outputWidth();
        int sw = s.strideWidth();
        int dh = s.dilationHeight();
        int dw = s.dilationWidth();
        int kw = s.kernelWidth();
        int[] gather = SCRATCH.get().gatherFor(sw);
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            int outRow = outOff + oy * ow;
            int ox = 0;
            for (; ox < s.interiorBegin(); ox++) {
                out[outRow + ox] = maxAt(s, in, inOff, oy, ox);
            }
            int r0 = s.firstRow(oy);
            int r1 = s.endRow(oy);
            int y0 = s.rowStart(oy);
            int end = vectorEnd(s, in.length, inOff, oy);
            for (; ox + L <= end; ox += L) {
                int x0 = inOff + s.columnStart(ox);
                FloatVector m = NEG_INF;
                for (int r = r0; r < r1; r++) {
                    int row = x0 + (y0 + r * dh) * w;
                    for (int c = 0; c < kw; c++) {
                        m = m.max(tap(in, row + c * dw, sw, gather));
                    }
                }
                m.intoArray(out, outRow + ox);
            }
            for (; ox < ow; ox++) {
                out[outRow + ox] = maxAt(s, in, inOff, oy, ox);
            }
        }
    }

    @Override
    public void maxWithIndices(PoolShape s, float[] in, int inOff, float[] out, int outOff,
                               long[] indices, int indicesOff, long indexBase) {
        int w = s.width();
        int ow = s.outputWidth();
        int sw = s.strideWidth();
        int dh = s.dilationHeight();
        int dw = s.dilationWidth();
        int kw = s.kernelWidth();
        Scratch scratch = SCRATCH.get();
        int[] gather = scratch.gatherFor(sw);
        int[] laneIndices = scratch.indices;
        IntVector laneOffsets = IntVector.zero(I).addIndex(sw);
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            int outRow = outOff + oy * ow;
            int indexRow = indicesOff + oy * ow;
            int ox = 0;
            for (; ox < s.interiorBegin(); ox++) {
                storeMaxAndIndex(s, in, inOff, oy, ox, out, outRow, indices, indexRow, indexBase);
            }
            int r0 = s.firstRow(oy);
            int r1 = s.endRow(oy);
            int y0 = s.rowStart(oy);
            int end = vectorEnd(s, in.length, inOff, oy);
            for (; ox + L <= end; ox += L) {
                int x0 = s.columnStart(ox);
                int first = (y0 + r0 * dh) * w + x0;
                FloatVector m = tap(in, inOff + first, sw, gather);
                IntVector index = laneOffsets.add(first);
                for (int r = r0; r < r1; r++) {
                    int row = (y0 + r * dh) * w + x0;
                    for (int c = 0; c < kw; c++) {
                        int at = row + c * dw;
                        FloatVector next = m.max(tap(in, inOff + at, sw, gather));
                        VectorMask<Integer> moved = next.reinterpretAsInts()
                                .compare(VectorOperators.NE, m.reinterpretAsInts())
                                .andNot(m.test(VectorOperators.IS_NAN).cast(I));
                        m = m.blend(next, moved.cast(S));
                        index = index.blend(laneOffsets.add(at), moved);
                    }
                }
                m.intoArray(out, outRow + ox);
                index.intoArray(laneIndices, 0);
                for (int l = 0; l < L; l++) {
                    indices[indexRow + ox + l] = indexBase + laneIndices[l];
                }
            }
            for (; ox < ow; ox++) {
                storeMaxAndIndex(s, in, inOff, oy, ox, out, outRow, indices, indexRow, indexBase);
            }
        }
    }

    private static void storeMaxAndIndex(PoolShape s, float[] in, int inOff, int oy, int ox, float[] out, int outRow,
                                         long[] indices, int indexRow, long indexBase) {
        long packed = maxAndIndexAt(s, in, inOff, oy, ox);
        out[outRow + ox] = Float.intBitsToFloat((int) packed);
        indices[indexRow + ox] = indexBase + (packed >>> 32);
    }

    @Override
    public void average(PoolShape s, boolean countPadding, float[] in, int inOff, float[] out, int outOff) {
        int w = s.width();
        int ow = s.outputWidth();
        int sw = s.strideWidth();
        int dh = s.dilationHeight();
        int dw = s.dilationWidth();
        int kw = s.kernelWidth();
        int[] gather = SCRATCH.get().gatherFor(sw);
        for (int oy = 0; oy < s.outputHeight(); oy++) {
            int outRow = outOff + oy * ow;
            int ox = 0;
            for (; ox < s.interiorBegin(); ox++) {
                out[outRow + ox] = averageAt(s, countPadding, in, inOff, oy, ox);
            }
            int r0 = s.firstRow(oy);
            int r1 = s.endRow(oy);
            int y0 = s.rowStart(oy);
            float count = interiorCount(s, countPadding, oy);
            int end = vectorEnd(s, in.length, inOff, oy);
            for (; ox + L <= end; ox += L) {
                int x0 = inOff + s.columnStart(ox);
                FloatVector sum = NEG_ZERO;
                for (int r = r0; r < r1; r++) {
                    int row = x0 + (y0 + r * dh) * w;
                    for (int c = 0; c < kw; c++) {
                        sum = sum.add(tap(in, row + c * dw, sw, gather));
                    }
                }
                sum.div(count).intoArray(out, outRow + ox);
            }
            for (; ox < ow; ox++) {
                out[outRow + ox] = averageAt(s, countPadding, in, inOff, oy, ox);
            }
        }
    }

    @Override
    public float max(float[] in, int off, int n) {
        FloatVector m = NEG_INF;
        int i = 0;
        for (; i <= n - L; i += L) {
            m = m.max(FloatVector.fromArray(S, in, off + i));
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, in, off + i, tail), tail);
        }
        float result = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < L; l++) {
            result = Math.max(result, m.lane(l));
        }
        return result;
    }

    @Override
    public float sum(float[] in, int off, int n) {
        float[] partials = SCRATCH.get().partials;
        if (L != SUM_PARTIALS) {
            // Narrower vectors: the partials live in memory, SUM_PARTIALS / L vectors per block.
            java.util.Arrays.fill(partials, -0.0f);
            int i = 0;
            if (SUM_PARTIALS % L == 0) {
                for (; i <= n - SUM_PARTIALS; i += SUM_PARTIALS) {
                    for (int j = 0; j < SUM_PARTIALS; j += L) {
                        FloatVector.fromArray(S, partials, j).add(FloatVector.fromArray(S, in, off + i + j))
                                .intoArray(partials, j);
                    }
                }
            }
            for (; i < n; i++) {
                partials[i % SUM_PARTIALS] += in[off + i];
            }
            return combinePartials(partials);
        }
        FloatVector sum = NEG_ZERO;
        int i = 0;
        for (; i <= n - L; i += L) {
            sum = sum.add(FloatVector.fromArray(S, in, off + i));
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            sum = sum.add(FloatVector.fromArray(S, in, off + i, tail), tail);
        }
        sum.intoArray(partials, 0);
        return combinePartials(partials);
    }
}
