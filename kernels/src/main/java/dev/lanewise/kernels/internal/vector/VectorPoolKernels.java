package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.PoolKernels;
import dev.lanewise.kernels.internal.PoolShape;
import java.util.Arrays;
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
 * input) are vectorised, the last vector of a row moved back to end with the interior (so it
 * recomputes a few outputs); the border columns take the scalar rule.
 *
 * <p>A window's taps form one dependency chain per output vector ({@code max} with
 * {@code Math.max} semantics takes several instructions, so a chain of nine is latency-bound), so
 * max and average pooling work on {@value #GROUP} planes at once: four independent chains over
 * the same taps of four planes. A call's last group is moved back to end at its last plane (and
 * repeats planes when a call has fewer than {@value #GROUP}), recomputing the same values.
 *
 * <p>Accumulators start from a load or a {@code broadcast} in the method, never from a
 * {@code static final} vector: a constant vector object flowing into a loop's phi makes C2 box every
 * iteration's vector (measured: 9 MB of garbage per ResNet max pool, 30 times slower).
 */
final class VectorPoolKernels extends PoolKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Planes pooled at once, for independent dependency chains. */
    private static final int GROUP = 4;
    /** Most floats of padded rows copied per plane at a time (128 KiB: a group's band stays in L2). */
    private static final int BAND_MAX_FLOATS = 1 << 15;
    /** Lane indices {@code 0, 2, 4, ...}: the even lanes of two concatenated vectors. */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);

    /** Per-thread scratch: gather offsets {@code l * stride} (with the stride last), index lanes, partial sums. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final int[] gather = new int[L + 1];
        final int[] indices = new int[L];
        final float[] partials = new float[SUM_PARTIALS];
        /** Padded rows of a group's planes, grown to the largest band used. */
        float[] band = new float[0];
        /** Per output column, the window columns counting in an average's divisor. */
        float[] divisors = new float[0];

        float[] band(int floats) {
            if (band.length < floats) {
                band = new float[floats];
            }
            return band;
        }

        float[] columnDivisors(PoolShape s, boolean countPadding) {
            if (divisors.length < s.outputWidth()) {
                divisors = new float[s.outputWidth()];
            }
            for (int ox = 0; ox < s.outputWidth(); ox++) {
                divisors[ox] = columnCount(s, countPadding, ox);
            }
            return divisors;
        }

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
     * One past the last output column of row {@code oy} that whole vectors may cover: the end of
     * the interior, or less at stride 2, whose two loads read {@code 2L} floats for {@code 2L - 1}
     * used, so that no vector reads past the array from the plane at {@code inOff} (the last of a group).
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
    public void max(PoolShape s, int planes, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride) {
        pool(s, false, false, planes, in, inOff, inStride, out, outOff, outStride);
    }

    @Override
    public void average(PoolShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                        float[] out, int outOff, int outStride) {
        pool(s, true, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
    }

    /**
     * Max or average pooling, {@value #GROUP} planes at a time: read in place when no window is
     * clipped, else through bands of padded rows.
     */
    private static void pool(PoolShape s, boolean average, boolean countPadding, int planes, float[] in, int inOff,
                             int inStride, float[] out, int outOff, int outStride) {
        int ow = s.outputWidth();
        if (ow < L) {
            if (average) {
                averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
            } else {
                maxByOutput(s, planes, in, inOff, inStride, out, outOff, outStride);
            }
            return;
        }
        Scratch scratch = SCRATCH.get();
        int[] gather = scratch.gatherFor(s.strideWidth());
        float[] divisors = average ? scratch.columnDivisors(s, countPadding) : null;
        float fill = average ? -0.0f : Float.NEGATIVE_INFINITY;
        int oh = s.outputHeight();
        int sh = s.strideHeight();
        int span = s.spanWidth();
        int extent = (s.kernelHeight() - 1) * s.dilationHeight() + 1;
        int bandOutputRows = (Math.max(extent, BAND_MAX_FLOATS / span) - extent) / sh + 1;
        for (int g = 0; g < planes; g += GROUP) {
            int p = Math.max(0, Math.min(g, planes - GROUP));
            int i0 = inOff + p * inStride;
            int i1 = inOff + Math.min(p + 1, planes - 1) * inStride;
            int i2 = inOff + Math.min(p + 2, planes - 1) * inStride;
            int i3 = inOff + Math.min(p + 3, planes - 1) * inStride;
            int o0 = outOff + p * outStride;
            int o1 = outOff + Math.min(p + 1, planes - 1) * outStride;
            int o2 = outOff + Math.min(p + 2, planes - 1) * outStride;
            int o3 = outOff + Math.min(p + 3, planes - 1) * outStride;
            if (readsInPlace(s, in.length, i3)) {
                rows(s, average, countPadding, 0, oh, in, i0, i1, i2, i3, s.width(), 0,
                        out, o0, o1, o2, o3, gather, divisors);
                continue;
            }
            for (int oy0 = 0; oy0 < oh; oy0 += bandOutputRows) {
                int oy1 = Math.min(oh, oy0 + bandOutputRows);
                int firstRow = oy0 * sh;
                int bandRows = (oy1 - 1) * sh + extent - firstRow;
                int planeFloats = bandRows * span;
                float[] band = scratch.band(GROUP * planeFloats + 2 * L);
                padRows(s, in, i0, firstRow, bandRows, band, 0, fill);
                padRows(s, in, i1, firstRow, bandRows, band, planeFloats, fill);
                padRows(s, in, i2, firstRow, bandRows, band, 2 * planeFloats, fill);
                padRows(s, in, i3, firstRow, bandRows, band, 3 * planeFloats, fill);
                rows(s, average, countPadding, oy0, oy1, band, 0, planeFloats, 2 * planeFloats, 3 * planeFloats, span,
                        firstRow, out, o0, o1, o2, o3, gather, divisors);
            }
        }
    }

    /**
     * Whether the windows can read the plane at {@code lastPlane} (the group's last) in place: none
     * is clipped (so there is no padding, and the plane's rows are the padded rows), and a stride-2
     * tap's extra float stays inside the array.
     */
    private static boolean readsInPlace(PoolShape s, int length, int lastPlane) {
        if (s.clipped()) {
            return false;
        }
        long lastRead = lastPlane + (long) (s.spanHeight() - 1) * s.width() + s.spanWidth() - 1;
        return s.strideWidth() != 2 || lastRead + 1 < length;
    }

    /**
     * Copies padded rows {@code [firstRow, firstRow + rows)} of the plane at {@code inOff} to
     * {@code band} at {@code bandOff}, {@code spanWidth} floats a row from padded column 0 (input
     * column {@code -padLeft}); padded row {@code r} is input row {@code r - padTop}. Cells outside
     * the input get {@code fill}, the identity of the reduction ({@code -inf} for max, {@code -0.0}
     * for a sum: {@code x + -0.0 == x} for every float, so the padded sum equals the clipped one bit for bit).
     */
    private static void padRows(PoolShape s, float[] in, int inOff, int firstRow, int rows, float[] band, int bandOff,
                                float fill) {
        int span = s.spanWidth();
        int w = s.width();
        int left = s.padLeft();
        int columns = Math.max(0, Math.min(w, span - left));
        for (int r = 0; r < rows; r++) {
            int y = firstRow + r - s.padTop();
            int row = bandOff + r * span;
            if (y < 0 || y >= s.height()) {
                Arrays.fill(band, row, row + span, fill);
                continue;
            }
            Arrays.fill(band, row, row + left, fill);
            System.arraycopy(in, inOff + y * w, band, row + left, columns);
            Arrays.fill(band, row + left + columns, row + span, fill);
        }
    }

    /**
     * Output rows {@code [oyFrom, oyTo)} of four planes whose padded rows start at {@code b0..b3} in
     * {@code src}, {@code pitch} floats apart, with padded row {@code rowShift} first. No window
     * reaches outside these rows, so every tap is a vector load; the last vector of a row is moved
     * back to end at the row's end (recomputing a few outputs).
     */
    private static void rows(PoolShape s, boolean average, boolean countPadding, int oyFrom, int oyTo, float[] src,
                             int b0, int b1, int b2, int b3, int pitch, int rowShift,
                             float[] out, int o0, int o1, int o2, int o3, int[] gather, float[] divisors) {
        int ow = s.outputWidth();
        int sh = s.strideHeight();
        int sw = s.strideWidth();
        int dh = s.dilationHeight() * pitch;
        int dw = s.dilationWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        for (int oy = oyFrom; oy < oyTo; oy++) {
            int top = (oy * sh - rowShift) * pitch;
            int outRow = oy * ow;
            float rows = average ? rowCount(s, countPadding, oy) : 0f;
            for (int v = 0; v < ow; v += L) {
                int vx = Math.min(v, ow - L);
                int x0 = top + vx * sw;
                if (average) {
                    // The sum from -0.0 starts with the first tap exactly: -0.0 + x == x.
                    FloatVector sum0 = tap(src, b0 + x0, sw, gather);
                    FloatVector sum1 = tap(src, b1 + x0, sw, gather);
                    FloatVector sum2 = tap(src, b2 + x0, sw, gather);
                    FloatVector sum3 = tap(src, b3 + x0, sw, gather);
                    for (int r = 0; r < kh; r++) {
                        for (int c = r == 0 ? 1 : 0; c < kw; c++) {
                            int at = x0 + r * dh + c * dw;
                            sum0 = sum0.add(tap(src, b0 + at, sw, gather));
                            sum1 = sum1.add(tap(src, b1 + at, sw, gather));
                            sum2 = sum2.add(tap(src, b2 + at, sw, gather));
                            sum3 = sum3.add(tap(src, b3 + at, sw, gather));
                        }
                    }
                    FloatVector count = FloatVector.fromArray(S, divisors, vx).mul(rows);
                    sum0.div(count).intoArray(out, o0 + outRow + vx);
                    sum1.div(count).intoArray(out, o1 + outRow + vx);
                    sum2.div(count).intoArray(out, o2 + outRow + vx);
                    sum3.div(count).intoArray(out, o3 + outRow + vx);
                } else {
                    FloatVector m0 = tap(src, b0 + x0, sw, gather);
                    FloatVector m1 = tap(src, b1 + x0, sw, gather);
                    FloatVector m2 = tap(src, b2 + x0, sw, gather);
                    FloatVector m3 = tap(src, b3 + x0, sw, gather);
                    for (int r = 0; r < kh; r++) {
                        for (int c = r == 0 ? 1 : 0; c < kw; c++) {
                            int at = x0 + r * dh + c * dw;
                            m0 = m0.max(tap(src, b0 + at, sw, gather));
                            m1 = m1.max(tap(src, b1 + at, sw, gather));
                            m2 = m2.max(tap(src, b2 + at, sw, gather));
                            m3 = m3.max(tap(src, b3 + at, sw, gather));
                        }
                    }
                    m0.intoArray(out, o0 + outRow + vx);
                    m1.intoArray(out, o1 + outRow + vx);
                    m2.intoArray(out, o2 + outRow + vx);
                    m3.intoArray(out, o3 + outRow + vx);
                }
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
            boolean vectorised = end - ox >= L;
            for (int v = ox; vectorised && v < end; v += L) {
                int vx = Math.min(v, end - L);     // the last vector ends at end, recomputing a few outputs
                int x0 = s.columnStart(vx);
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
                m.intoArray(out, outRow + vx);
                index.intoArray(laneIndices, 0);
                for (int l = 0; l < L; l++) {
                    indices[indexRow + vx + l] = indexBase + laneIndices[l];
                }
            }
            if (vectorised) {
                ox = end;
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

    /** {@code Math.max} is associative and commutative, so the lanes may be reduced in any order. */
    @Override
    public float max(float[] in, int off, int n) {
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            m0 = m0.max(FloatVector.fromArray(S, in, off + i));
            m1 = m1.max(FloatVector.fromArray(S, in, off + i + L));
        }
        for (; i < n; i += L) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            m0 = m0.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, in, off + i, tail), tail);
        }
        return m0.max(m1).reduceLanes(VectorOperators.MAX);
    }

    @Override
    public float sum(float[] in, int off, int n) {
        if (L != SUM_PARTIALS) {
            float[] partials = SCRATCH.get().partials;
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
        FloatVector sum = FloatVector.broadcast(S, -0.0f);
        int i = 0;
        for (; i <= n - L; i += L) {
            sum = sum.add(FloatVector.fromArray(S, in, off + i));
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            sum = sum.add(FloatVector.fromArray(S, in, off + i, tail), tail);
        }
        // The pairwise combination p[j] += p[j + w], w = 8, 4, 2, 1, as lane shifts (lane j of
        // slice(w) is lane j + w; constant origins keep the shuffles compile-time constants).
        sum = sum.add(sum.slice(8));
        sum = sum.add(sum.slice(4));
        sum = sum.add(sum.slice(2));
        sum = sum.add(sum.slice(1));
        return sum.lane(0);
    }
}
