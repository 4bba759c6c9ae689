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
 * <h2>Where taps are read</h2>
 * Output {@code ox}'s tap {@code c} reads padded column {@code ox * sw + c * dw}: for adjacent
 * outputs these are {@code sw} apart. When no window is clipped and the stride is 1 or 2, the taps
 * read the plane in place. Otherwise the kernel first copies a band of padded rows into a
 * per-thread buffer; cells outside the input get the identity of the reduction: {@code -inf} for a
 * maximum, {@code -0.0} for a sum ({@code x + -0.0 == x} for every float, so the padded sum equals
 * the clipped one bit for bit). Then a tap of {@code L} adjacent outputs is one load at stride 1,
 * and at stride 2 two loads and a two-vector permute ({@code vpermt2ps}) keeping the even lanes.
 * From stride 3 up, the band's rows are split into {@code sw} phases (phase {@code q} holds padded
 * columns {@code q, q + sw, ...}), so that a tap is again one load, of phase {@code (c dw) mod sw}.
 * (Splitting stride-2 rows too was measured slower: the permutes then run on every input float
 * instead of on the taps, and narrow rows leave scalar tails.)
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
    /** Lane indices {@code 0, 2, 4, ...}: the even lanes of two concatenated vectors. */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);

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

        int[] tapColumns(PoolShape s, int phases, int phaseLength) {
            if (tapColumns.length < s.kernelWidth()) {
                tapColumns = new int[s.kernelWidth()];
            }
            for (int c = 0; c < s.kernelWidth(); c++) {
                int column = c * s.dilationWidth();
                tapColumns[c] = column % phases * phaseLength + column / phases;
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

    // Where a group's windows read: its planes in place (no window clipped, stride 1 or 2), or
    // bands of padded rows. Plain ints, not a record: C2 kept a record on the heap (32 bytes a call).

    /**
     * Whether the windows can read the planes in place, the group's last at {@code lastPlane}: no
     * window is clipped (so there is no padding), the stride is 1 or 2, and a stride-2 tap's extra
     * float stays inside the array.
     */
    private static boolean readsInPlace(PoolShape s, int length, int lastPlane) {
        if (s.clipped() || s.strideWidth() > 2) {
            return false;
        }
        long lastRead = lastPlane + (long) (s.spanHeight() - 1) * s.width() + s.spanWidth() - 1;
        return s.strideWidth() == 1 || lastRead + 1 < length;
    }

    /** Phases a band row is split into: the stride from 3 up, else 1 (stride 2 keeps even lanes of two loads). */
    private static int phases(PoolShape s) {
        return s.strideWidth() > 2 ? s.strideWidth() : 1;
    }

    /** Floats of one phase of a band row: the padded columns {@code q, q + phases, ...}. */
    private static int phaseLength(PoolShape s) {
        return (s.spanWidth() + phases(s) - 1) / phases(s);
    }

    /** Floats from one band row to the next. */
    private static int bandPitch(PoolShape s) {
        return phases(s) * phaseLength(s);
    }

    /** Floats between the taps of adjacent outputs in a row: the stride, or 1 within a phase. */
    private static int columnStep(PoolShape s) {
        return s.strideWidth() > 2 ? 1 : s.strideWidth();
    }

    /** Output rows per band: as many as keep a band's rows within {@link #BAND_MAX_FLOATS}, at least one. */
    private static int bandOutputRows(PoolShape s) {
        int extent = (s.kernelHeight() - 1) * s.dilationHeight() + 1;
        return (Math.max(extent, BAND_MAX_FLOATS / bandPitch(s)) - extent) / s.strideHeight() + 1;
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
        int pitch = bandPitch(s);
        int bandOutputRows = bandOutputRows(s);
        Scratch scratch = SCRATCH.get();
        int[] taps = scratch.tapColumns(s, phases(s), phaseLength(s));
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
            if (readsInPlace(s, in.length, i3)) {
                rows(s, average, countPadding, 0, oh, in, i0, i1, i2, i3, s.width(), 0,
                        out, o0, o1, o2, o3, taps, divisors);
                continue;
            }
            for (int oy0 = 0; oy0 < oh; oy0 += bandOutputRows) {
                int oy1 = Math.min(oh, oy0 + bandOutputRows);
                int firstRow = oy0 * s.strideHeight();
                int planeFloats = bandRows(s, oy0, oy1) * pitch;
                float[] band = scratch.band(GROUP * planeFloats + 2 * L);
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
     * {@code inOff}, to {@code band} from {@code bandOff}, {@link #bandPitch} floats a row: padded
     * row {@code oy0 * sh + r} (input row {@code oy0 * sh + r - padTop}) becomes band row {@code r},
     * its padded column {@code j} (input column {@code j - padLeft}) going to phase
     * {@code j mod phases}, index {@code j / phases}. Cells outside the input get {@code fill}.
     */
    private static void padRows(PoolShape s, float[] in, int inOff, int oy0, int oy1,
                                float[] band, int bandOff, float fill) {
        int pitch = bandPitch(s);
        int phases = phases(s);
        int phaseLength = phaseLength(s);
        int w = s.width();
        int left = s.padLeft();
        int columns = Math.max(0, Math.min(w, s.spanWidth() - left));
        int firstRow = oy0 * s.strideHeight();
        int rows = bandRows(s, oy0, oy1);
        for (int r = 0; r < rows; r++) {
            int y = firstRow + r - s.padTop();
            int row = bandOff + r * pitch;
            if (y < 0 || y >= s.height()) {
                Arrays.fill(band, row, row + pitch, fill);
            } else if (phases == 1) {
                Arrays.fill(band, row, row + left, fill);
                System.arraycopy(in, inOff + y * w, band, row + left, columns);
                Arrays.fill(band, row + left + columns, row + pitch, fill);
            } else {
                Arrays.fill(band, row, row + pitch, fill);
                for (int x = 0; x < columns; x++) {
                    int j = left + x;
                    band[row + j % phases * phaseLength + j / phases] = in[inOff + y * w + x];
                }
            }
        }
    }

    /**
     * Output rows {@code [oyFrom, oyTo)} of four planes whose rows start at {@code b0..b3} in
     * {@code src}, {@code pitch} floats apart, padded row {@code rowShift} first; kernel column
     * {@code c} of output column {@code ox} starts at {@code ox * step + taps[c]} in a row, and at
     * stride 2 ({@code step == 2}) a tap keeps the even lanes of two loads. No window reaches
     * outside these rows, so every tap is a vector load.
     */
    private static void rows(PoolShape s, boolean average, boolean countPadding, int oyFrom, int oyTo, float[] src,
                             int b0, int b1, int b2, int b3, int pitch, int rowShift,
                             float[] out, int o0, int o1, int o2, int o3, int[] taps, float[] divisors) {
        int ow = s.outputWidth();
        int sh = s.strideHeight();
        int step = columnStep(s);
        boolean pairs = step == 2;
        int dh = s.dilationHeight() * pitch;
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        float identity = average ? -0.0f : Float.NEGATIVE_INFINITY;
        for (int oy = oyFrom; oy < oyTo; oy++) {
            int top = (oy * sh - rowShift) * pitch;
            int outRow = oy * ow;
            float rows = average ? rowCount(s, countPadding, oy) : 0f;
            for (int v = 0; v < ow; v += L) {
                int vx = Math.min(v, ow - L);
                int x = top + vx * step;
                FloatVector a0 = FloatVector.broadcast(S, identity);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int r = 0; r < kh; r++) {
                    for (int c = 0; c < kw; c++) {
                        int at = x + r * dh + taps[c];
                        FloatVector x0 = pairs
                                ? EVEN.selectFrom(FloatVector.fromArray(S, src, b0 + at), FloatVector.fromArray(S, src, b0 + at + L))
                                : FloatVector.fromArray(S, src, b0 + at);
                        FloatVector x1 = pairs
                                ? EVEN.selectFrom(FloatVector.fromArray(S, src, b1 + at), FloatVector.fromArray(S, src, b1 + at + L))
                                : FloatVector.fromArray(S, src, b1 + at);
                        FloatVector x2 = pairs
                                ? EVEN.selectFrom(FloatVector.fromArray(S, src, b2 + at), FloatVector.fromArray(S, src, b2 + at + L))
                                : FloatVector.fromArray(S, src, b2 + at);
                        FloatVector x3 = pairs
                                ? EVEN.selectFrom(FloatVector.fromArray(S, src, b3 + at), FloatVector.fromArray(S, src, b3 + at + L))
                                : FloatVector.fromArray(S, src, b3 + at);
                        if (average) {
                            a0 = a0.add(x0);
                            a1 = a1.add(x1);
                            a2 = a2.add(x2);
                            a3 = a3.add(x3);
                        } else {
                            a0 = a0.max(x0);
                            a1 = a1.max(x1);
                            a2 = a2.max(x2);
                            a3 = a3.max(x3);
                        }
                    }
                }
                if (average) {
                    FloatVector count = FloatVector.fromArray(S, divisors, vx).mul(rows);
                    a0 = a0.div(count);
                    a1 = a1.div(count);
                    a2 = a2.div(count);
                    a3 = a3.div(count);
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
            maxWithIndicesByOutput(s, in, inOff, out, outOff, indices, indicesOff, indexBase);
            return;
        }
        boolean inPlace = readsInPlace(s, in.length, inOff);
        int bandOutputRows = inPlace ? s.outputHeight() : bandOutputRows(s);
        int pitch = inPlace ? s.width() : bandPitch(s);
        int step = columnStep(s);
        boolean pairs = step == 2;
        Scratch scratch = SCRATCH.get();
        int[] taps = scratch.tapColumns(s, phases(s), phaseLength(s));
        int[] firstColumns = scratch.firstColumns(s);
        int[] laneIndices = scratch.indices;
        int w = s.width();
        int sh = s.strideHeight();
        int sw = s.strideWidth();
        int kh = s.kernelHeight();
        int kw = s.kernelWidth();
        IntVector laneColumns = IntVector.zero(I).addIndex(sw);
        for (int oy0 = 0; oy0 < s.outputHeight(); oy0 += bandOutputRows) {
            int oy1 = Math.min(s.outputHeight(), oy0 + bandOutputRows);
            float[] src = in;
            int base = inOff;
            int rowShift = 0;
            if (!inPlace) {
                src = scratch.band(bandRows(s, oy0, oy1) * pitch + 2 * L);
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
                            int at = base + top + vx * step + r * s.dilationHeight() * pitch + taps[c];
                            FloatVector x = pairs
                                    ? EVEN.selectFrom(FloatVector.fromArray(S, src, at), FloatVector.fromArray(S, src, at + L))
                                    : FloatVector.fromArray(S, src, at);
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

    /**
     * {@code Math.max} is associative and commutative, so the lanes may be reduced in any order.
     * The loop over planes is here, not in the caller, so that the reduction's constants are set up
     * once per call.
     */
    @Override
    public void globalMax(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff) {
        for (int p = 0; p < planes; p++) {
            int off = inOff + p * inStride;
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
            out[outOff + p] = m0.max(m1).reduceLanes(VectorOperators.MAX);
        }
    }

    /**
     * The sixteen partial sums of a plane live in {@code 16 / L} vector registers, partial
     * {@code j} in lane {@code j mod L} of vector {@code j / L}: a block of sixteen floats is
     * {@code 16 / L} plain loads and adds, and the last, partial block is masked (a masked-off lane
     * keeps its partial; adding a zero instead would turn a {@code -0.0} partial into
     * {@code +0.0}). The pairwise combination {@code p[j] += p[j + w]} is a vector add while
     * {@code w >= L} and a lane shift within the vector below (lane {@code j} of {@code slice(w)}
     * is lane {@code j + w}; constant origins keep the shuffles compile-time constants). The
     * branches on {@code L} fold away. (Partials kept in an array, as narrower vectors once did,
     * made every block a store and a reload: four times slower at 256 bits on ResNet-50's 7x7
     * planes; and a call per plane, to a method too large for C2 to inline, set up the shuffles
     * every time: twice slower at 512 bits.) Vectors wider than sixteen floats take the scalar rule.
     */
    @Override
    public void globalAverage(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff) {
        if (L > SUM_PARTIALS) {
            float[] partials = SCRATCH.get().partials;
            for (int p = 0; p < planes; p++) {
                out[outOff + p] = sumByElement(in, inOff + p * inStride, n, partials) / n;
            }
            return;
        }
        for (int p = 0; p < planes; p++) {
            int off = inOff + p * inStride;
            FloatVector p0 = FloatVector.broadcast(S, -0.0f);
            FloatVector p1 = p0;
            FloatVector p2 = p0;
            FloatVector p3 = p0;
            int i = 0;
            for (; i <= n - SUM_PARTIALS; i += SUM_PARTIALS) {
                p0 = p0.add(FloatVector.fromArray(S, in, off + i));
                if (L <= SUM_PARTIALS / 2) {
                    p1 = p1.add(FloatVector.fromArray(S, in, off + i + L));
                }
                if (L <= SUM_PARTIALS / 4) {
                    p2 = p2.add(FloatVector.fromArray(S, in, off + i + 2 * L));
                    p3 = p3.add(FloatVector.fromArray(S, in, off + i + 3 * L));
                }
            }
            if (i < n) {
                VectorMask<Float> m0 = S.indexInRange(i, n);
                p0 = p0.add(FloatVector.fromArray(S, in, off + i, m0), m0);
                if (L <= SUM_PARTIALS / 2) {
                    VectorMask<Float> m1 = S.indexInRange(i + L, n);
                    p1 = p1.add(FloatVector.fromArray(S, in, off + i + L, m1), m1);
                }
                if (L <= SUM_PARTIALS / 4) {
                    VectorMask<Float> m2 = S.indexInRange(i + 2 * L, n);
                    VectorMask<Float> m3 = S.indexInRange(i + 3 * L, n);
                    p2 = p2.add(FloatVector.fromArray(S, in, off + i + 2 * L, m2), m2);
                    p3 = p3.add(FloatVector.fromArray(S, in, off + i + 3 * L, m3), m3);
                }
            }
            if (L <= SUM_PARTIALS / 4) {
                p0 = p0.add(p2);              // w = 8
                p1 = p1.add(p3);
            }
            if (L <= SUM_PARTIALS / 2) {
                p0 = p0.add(p1);              // w = 8, or 4 at L = 4
            }
            if (L == SUM_PARTIALS) {
                p0 = p0.add(p0.slice(8));
            }
            if (L >= SUM_PARTIALS / 2) {
                p0 = p0.add(p0.slice(4));
            }
            p0 = p0.add(p0.slice(2));
            p0 = p0.add(p0.slice(1));
            out[outOff + p] = p0.lane(0) / n;
        }
    }
}
