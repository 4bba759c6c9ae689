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
 * {@link PoolKernels} vectorised along the output row: one vector holds {@code L} adjacent outputs
 * of a row, and each window tap is one contiguous vector load, so every lane runs the scalar rule's
 * sequence of operations and the results agree bit for bit.
 *
 * <h2>Padded, de-interleaved bands</h2>
 * Output {@code ox}'s tap {@code c} reads padded column {@code ox * sw + c * dw}: for adjacent
 * outputs these are {@code sw} apart. Unless the windows can read the plane in place (stride 1 and
 * no window clipped), the kernel first copies a band of padded rows into a per-thread buffer, each
 * row split into {@code sw} phases (phase {@code q} holds padded columns {@code q, q + sw, ...}), so
 * that tap {@code c} of {@code L} adjacent outputs is {@code L} consecutive floats of phase
 * {@code (c dw) mod sw}. Cells outside the input get the identity of the reduction: {@code -inf}
 * for a maximum, {@code -0.0} for a sum ({@code x + -0.0 == x} for every float, so the padded sum
 * equals the clipped one bit for bit). The copy de-interleaves stride 2 with a two-vector permute
 * ({@code vpermt2ps}) and larger strides element by element; every tap after it is a plain load,
 * whatever the stride or dilation.
 *
 * <h2>Throughput</h2>
 * A window's taps form one dependency chain per output vector ({@code max} with
 * {@code Math.max} semantics takes several instructions), so max and average pooling work on
 * {@value #GROUP} planes at once: four independent chains over the same taps. A call's last group
 * is moved back to end at its last plane (and repeats planes when a call has fewer than
 * {@value #GROUP}), and a row's last vector is moved back to end at the row's end; both recompute a
 * few outputs with the same values. Rows narrower than a vector take the scalar rule.
 *
 * <h2>What C2 needs</h2>
 * Every vector is produced and consumed inside one method, with no helper returning a vector (a
 * call C2 declines to inline boxes its result), no gather (whose intrinsic C2 declined here) and
 * no {@code static final} vector flowing into a loop's phi (which boxes every iteration): measured
 * at up to 9 MB of garbage per call and 30 times slower when any of these slipped in.
 */
final class VectorPoolKernels extends PoolKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Planes pooled at once, for independent dependency chains. */
    private static final int GROUP = 4;
    /** Most floats of padded rows copied per plane at a time (128 KiB: a group's band stays in L2). */
    private static final int BAND_MAX_FLOATS = 1 << 15;
    /** Lane indices {@code 0, 2, 4, ...} and {@code 1, 3, 5, ...}: the even and odd lanes of two concatenated vectors. */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);
    private static final FloatVector ODD = FloatVector.broadcast(S, 1f).addIndex(2);

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown to the largest shape seen. */
    private static final class Scratch {
        /** Padded, de-interleaved rows of a group's planes. */
        float[] band = new float[0];
        /** Per output column, the window columns counting in an average's divisor. */
        float[] divisors = new float[0];
        /** Per kernel column {@code c}, its offset in a band row: phase start plus index in the phase. */
        int[] tapColumns = new int[0];
        /** Per output column, the in-plane column of its window's first tap inside the input. */
        int[] firstColumns = new int[0];
        final int[] indices = new int[L];
        final float[] partials = new float[SUM_PARTIALS];

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

        int[] tapColumns(PoolShape s, int phaseLength) {
            if (tapColumns.length < s.kernelWidth()) {
                tapColumns = new int[s.kernelWidth()];
            }
            int sw = s.strideWidth();
            for (int c = 0; c < s.kernelWidth(); c++) {
                int column = c * s.dilationWidth();
                tapColumns[c] = column % sw * phaseLength + column / sw;
            }
            return tapColumns;
        }

        int[] firstColumns(PoolShape s) {
            if (firstColumns.length < s.outputWidth()) {
                firstColumns = new int[s.outputWidth()];
            }
            for (int ox = 0; ox < s.outputWidth(); ox++) {
                firstColumns[ox] = s.columnStart(ox) + s.firstColumn(ox) * s.dilationWidth();
            }
            return firstColumns;
        }
    }

    // Where a call's windows read: the plane in place (stride 1, no window clipped), or bands of
    // padded rows, each row sw phases of phaseLength floats. Plain ints, not a record: C2 kept the
    // record on the heap (32 bytes a call).

    private static boolean readsInPlace(PoolShape s) {
        return s.strideWidth() == 1 && !s.clipped();
    }

    /** Floats of one phase of a band row: the padded columns {@code q, q + sw, ...}. */
    private static int phaseLength(PoolShape s) {
        return readsInPlace(s) ? s.width() : (s.spanWidth() + s.strideWidth() - 1) / s.strideWidth();
    }

    /** Floats from one row to the next: the input's width in place, else a band row's. */
    private static int pitch(PoolShape s) {
        return readsInPlace(s) ? s.width() : s.strideWidth() * phaseLength(s);
    }

    /** Output rows per band: as many as keep a band's rows within {@link #BAND_MAX_FLOATS}, at least one. */
    private static int bandOutputRows(PoolShape s) {
        if (readsInPlace(s)) {
            return s.outputHeight();
        }
        int extent = (s.kernelHeight() - 1) * s.dilationHeight() + 1;
        return (Math.max(extent, BAND_MAX_FLOATS / pitch(s)) - extent) / s.strideHeight() + 1;
    }

    /** Padded rows read by output rows {@code [oy0, oy1)}. */
    private static int bandRows(PoolShape s, int oy0, int oy1) {
        return (oy1 - 1 - oy0) * s.strideHeight() + (s.kernelHeight() - 1) * s.dilationHeight() + 1;
    }

    @Override
    public void max(PoolShape s, int planes, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride) {
        if (s.outputWidth() < L) {
            maxByOutput(s, planes, in, inOff, inStride, out, outOff, outStride);
        } else {
            pool(s, false, false, planes, in, inOff, inStride, out, outOff, outStride);
        }
    }

    @Override
    public void average(PoolShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                        float[] out, int outOff, int outStride) {
        if (s.outputWidth() < L) {
            averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
        } else {
            pool(s, true, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
        }
    }

    /** Max or average pooling of rows at least a vector wide, {@value #GROUP} planes at a time. */
    private static void pool(PoolShape s, boolean average, boolean countPadding, int planes, float[] in, int inOff,
                             int inStride, float[] out, int outOff, int outStride) {
        boolean inPlace = readsInPlace(s);
        int pitch = pitch(s);
        int bandOutputRows = bandOutputRows(s);
        Scratch scratch = SCRATCH.get();
        int[] taps = scratch.tapColumns(s, phaseLength(s));
        float[] divisors = average ? scratch.columnDivisors(s, countPadding) : null;
        float fill = average ? -0.0f : Float.NEGATIVE_INFINITY;
        int oh = s.outputHeight();
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
            if (inPlace) {
                rows(s, average, countPadding, 0, oh, in, i0, i1, i2, i3, pitch, 0,
                        out, o0, o1, o2, o3, taps, divisors);
                continue;
            }
            for (int oy0 = 0; oy0 < oh; oy0 += bandOutputRows) {
                int oy1 = Math.min(oh, oy0 + bandOutputRows);
                int firstRow = oy0 * s.strideHeight();
                int planeFloats = bandRows(s, oy0, oy1) * pitch;
                float[] band = scratch.band(GROUP * planeFloats);
                padRows(s, in, i0, oy0, oy1, band, 0, fill);
                padRows(s, in, i1, oy0, oy1, band, planeFloats, fill);
                padRows(s, in, i2, oy0, oy1, band, 2 * planeFloats, fill);
                padRows(s, in, i3, oy0, oy1, band, 3 * planeFloats, fill);
                rows(s, average, countPadding, oy0, oy1, band, 0, planeFloats, 2 * planeFloats, 3 * planeFloats,
                        pitch, firstRow, out, o0, o1, o2, o3, taps, divisors);
            }
        }
    }

    /**
     * Copies the padded rows that output rows {@code [oy0, oy1)} read, of the plane at
     * {@code inOff}, to {@code band} from {@code bandOff}, {@code pitch} floats a row: padded row
     * {@code oy0 * sh + r} (input row {@code oy0 * sh + r - padTop}) becomes band row {@code r}, its
     * padded column {@code j} (input column {@code j - padLeft}) going to phase {@code j mod sw}, index
     * {@code j / sw}. Cells outside the input get {@code fill}.
     */
    private static void padRows(PoolShape s, float[] in, int inOff, int oy0, int oy1,
                                float[] band, int bandOff, float fill) {
        int pitch = pitch(s);
        int phaseLength = phaseLength(s);
        int sw = s.strideWidth();
        int w = s.width();
        int left = s.padLeft();
        int columns = Math.max(0, Math.min(w, s.spanWidth() - left));
        int firstRow = oy0 * s.strideHeight();
        int rows = bandRows(s, oy0, oy1);
        for (int r = 0; r < rows; r++) {
            int y = firstRow + r - s.padTop();
            int row = bandOff + r * pitch;
            Arrays.fill(band, row, row + pitch, fill);
            if (y < 0 || y >= s.height()) {
                continue;
            }
            int src = inOff + y * w;
            if (sw == 1) {
                System.arraycopy(in, src, band, row + left, columns);
                continue;
            }
            int x = 0;
            if (sw == 2) {
                // even input columns 2i go to phase left % 2 from index left / 2, odd ones to the other phase
                int even = row + left % 2 * phaseLength + left / 2;
                int odd = row + (left + 1) % 2 * phaseLength + (left + 1) / 2;
                for (; x <= columns - 2 * L; x += 2 * L) {
                    FloatVector low = FloatVector.fromArray(S, in, src + x);
                    FloatVector high = FloatVector.fromArray(S, in, src + x + L);
                    EVEN.selectFrom(low, high).intoArray(band, even + x / 2);
                    ODD.selectFrom(low, high).intoArray(band, odd + x / 2);
                }
            }
            for (; x < columns; x++) {
                int j = left + x;
                band[row + j % sw * phaseLength + j / sw] = in[src + x];
            }
        }
    }

    /**
     * Output rows {@code [oyFrom, oyTo)} of four planes whose rows start at {@code b0..b3} in
     * {@code src}, {@code pitch} floats apart, padded row {@code rowShift} first; kernel column
     * {@code c} of output column {@code ox} is at {@code taps[c] + ox} in a row. No window reaches
     * outside these rows, so every tap is a vector load.
     */
    private static void rows(PoolShape s, boolean average, boolean countPadding, int oyFrom, int oyTo, float[] src,
                             int b0, int b1, int b2, int b3, int pitch, int rowShift,
                             float[] out, int o0, int o1, int o2, int o3, int[] taps, float[] divisors) {
        int ow = s.outputWidth();
        int sh = s.strideHeight();
        int dh = s.dilationHeight() * pitch;
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        for (int oy = oyFrom; oy < oyTo; oy++) {
            int top = (oy * sh - rowShift) * pitch;
            int outRow = oy * ow;
            float rows = average ? rowCount(s, countPadding, oy) : 0f;
            for (int v = 0; v < ow; v += L) {
                int vx = Math.min(v, ow - L);
                int x0 = top + vx + taps[0];
                // Each chain starts with the window's first tap: max(-inf, x) == x and -0.0 + x == x.
                FloatVector a0 = FloatVector.fromArray(S, src, b0 + x0);
                FloatVector a1 = FloatVector.fromArray(S, src, b1 + x0);
                FloatVector a2 = FloatVector.fromArray(S, src, b2 + x0);
                FloatVector a3 = FloatVector.fromArray(S, src, b3 + x0);
                if (average) {
                    for (int r = 0; r < kh; r++) {
                        for (int c = r == 0 ? 1 : 0; c < kw; c++) {
                            int at = top + vx + r * dh + taps[c];
                            a0 = a0.add(FloatVector.fromArray(S, src, b0 + at));
                            a1 = a1.add(FloatVector.fromArray(S, src, b1 + at));
                            a2 = a2.add(FloatVector.fromArray(S, src, b2 + at));
                            a3 = a3.add(FloatVector.fromArray(S, src, b3 + at));
                        }
                    }
                    FloatVector count = FloatVector.fromArray(S, divisors, vx).mul(rows);
                    a0 = a0.div(count);
                    a1 = a1.div(count);
                    a2 = a2.div(count);
                    a3 = a3.div(count);
                } else {
                    for (int r = 0; r < kh; r++) {
                        for (int c = r == 0 ? 1 : 0; c < kw; c++) {
                            int at = top + vx + r * dh + taps[c];
                            a0 = a0.max(FloatVector.fromArray(S, src, b0 + at));
                            a1 = a1.max(FloatVector.fromArray(S, src, b1 + at));
                            a2 = a2.max(FloatVector.fromArray(S, src, b2 + at));
                            a3 = a3.max(FloatVector.fromArray(S, src, b3 + at));
                        }
                    }
                }
                a0.intoArray(out, o0 + outRow + vx);
                a1.intoArray(out, o1 + outRow + vx);
                a2.intoArray(out, o2 + outRow + vx);
                a3.intoArray(out, o3 + outRow + vx);
            }
        }
    }

    /**
     * One plane at a time, through the same padded bands: the running maximum starts at
     * {@code -inf} with the index of the window's first input cell, and moves only when a tap
     * changes it (padding, {@code -inf}, never does), so the index is always an input cell's.
     */
    @Override
    public void maxWithIndices(PoolShape s, float[] in, int inOff, float[] out, int outOff,
                               long[] indices, int indicesOff, long indexBase) {
        int ow = s.outputWidth();
        if (ow < L) {
            for (int oy = 0; oy < s.outputHeight(); oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    long packed = maxAndIndexAt(s, in, inOff, oy, ox);
                    out[outOff + oy * ow + ox] = Float.intBitsToFloat((int) packed);
                    indices[indicesOff + oy * ow + ox] = indexBase + (packed >>> 32);
                }
            }
            return;
        }
        boolean inPlace = readsInPlace(s);
        int bandOutputRows = bandOutputRows(s);
        Scratch scratch = SCRATCH.get();
        int[] taps = scratch.tapColumns(s, phaseLength(s));
        int[] firstColumns = scratch.firstColumns(s);
        int[] laneIndices = scratch.indices;
        int w = s.width();
        int sh = s.strideHeight();
        int sw = s.strideWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        int pitch = pitch(s);
        IntVector laneColumns = IntVector.zero(I).addIndex(sw);
        for (int oy0 = 0; oy0 < s.outputHeight(); oy0 += bandOutputRows) {
            int oy1 = Math.min(s.outputHeight(), oy0 + bandOutputRows);
            float[] src = in;
            int base = inOff;
            int rowShift = 0;
            if (!inPlace) {
                src = scratch.band(bandRows(s, oy0, oy1) * pitch);
                padRows(s, in, inOff, oy0, oy1, src, 0, Float.NEGATIVE_INFINITY);
                base = 0;
                rowShift = oy0 * sh;
            }
            for (int oy = oy0; oy < oy1; oy++) {
                int top = (oy * sh - rowShift) * pitch;
                int firstRow = (s.rowStart(oy) + s.firstRow(oy) * s.dilationHeight()) * w;
                for (int v = 0; v < ow; v += L) {
                    int vx = Math.min(v, ow - L);
                    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                    IntVector index = IntVector.fromArray(I, firstColumns, vx).add(firstRow);
                    for (int r = 0; r < kh; r++) {
                        int inputRow = (s.rowStart(oy) + r * s.dilationHeight()) * w + s.columnStart(vx);
                        for (int c = 0; c < kw; c++) {
                            FloatVector x = FloatVector.fromArray(S, src, base + top + vx + r * s.dilationHeight() * pitch
                                    + taps[c]);
                            FloatVector next = m.max(x);
                            VectorMask<Integer> moved = next.reinterpretAsInts()
                                    .compare(VectorOperators.NE, m.reinterpretAsInts())
                                    .andNot(m.test(VectorOperators.IS_NAN).cast(I));
                            m = m.blend(next, moved.cast(S));
                            index = index.blend(laneColumns.add(inputRow + c * s.dilationWidth()), moved);
                        }
                    }
                    m.intoArray(out, outOff + oy * ow + vx);
                    index.intoArray(laneIndices, 0);
                    for (int l = 0; l < L; l++) {
                        indices[indicesOff + oy * ow + vx + l] = indexBase + laneIndices[l];
                    }
                }
            }
        }
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
