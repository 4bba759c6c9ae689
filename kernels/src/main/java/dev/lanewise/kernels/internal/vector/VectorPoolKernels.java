package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.PoolKernels;
import dev.lanewise.kernels.internal.PoolScratch;
import dev.lanewise.kernels.internal.WindowShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PoolKernels} vectorised along the output row: one vector holds {@code L} adjacent outputs
 * of a row, and every lane runs the scalar rule's operations on its own taps, so the results agree
 * bit for bit. Rows narrower than a vector take the scalar rule.
 *
 * <h2>Max pooling: column maxima, then row maxima</h2>
 * {@code Math.max} is associative and commutative (a total order, {@code -0.0 < +0.0}, with NaN on
 * top), so a window's maximum may be taken in any order. For each output row a first pass takes,
 * for every input column the windows read, the maximum over the kernel rows inside the input
 * (whole input rows, read in place); a second takes each output's maximum over its kernel columns
 * of that row of column maxima, whose padding cells hold {@code -inf}. For ResNet's 3x3 stride-2
 * pool that is 6 maxima an output instead of 8 (each about five instructions: {@code Math.max}
 * semantics are a {@code vmaxps} and blends). At stride 2 the first pass stores the column maxima
 * split into even and odd columns, two two-vector permutes per pair of vectors of columns (one
 * {@code vpermt2ps} with AVX-512; two {@code vpermps} and a {@code vblendvps} with AVX2), so that
 * every tap of the second pass is one plain load: the permutes run once per output vector instead
 * of once per tap, three times at 3x3. From stride 3 up the split is a scalar pass. This is the
 * faster order with AVX2 and with AVX-512 alike (ResNet's stem pool 1.8 and 2.2 times faster than
 * permuting every tap), so the vector width decides nothing here.
 *
 * <h2>Average pooling and max pooling with indices: window order, from bands</h2>
 * An average adds its taps in window order (the documented promise), and an index needs the first
 * tap holding the maximum, so each output vector runs its whole window, tap by tap: output
 * {@code ox}'s tap {@code c} reads padded column {@code ox * sw + c * dw}. Kernel rows outside the
 * input are skipped (adding {@code -0.0}, the exact identity of a sum, changes no bit; {@code -inf}
 * never moves an index). At stride 2, when no window column is clipped, the taps read the planes
 * in place: two loads and a two-vector permute keeping the even lanes. Otherwise the input rows are
 * first copied into a band (in the calling thread's {@link PoolScratch}) whose rows hold the padded
 * columns, the padding cells being the reduction's identity ({@code -0.0} for a sum, {@code -inf}
 * for a maximum), written once per call. A tap is then one load at stride 1, and from stride 3 up the band's rows are split into
 * {@code sw} phases (phase {@code q} holds padded columns {@code q, q + sw, ...}), so that a tap is
 * again one load, of phase {@code (c dw) mod sw}. An average's band holds its four planes a
 * constant {@link #PLANE_FLOATS} apart (also at stride 1 without padding, where the planes could be
 * read in place), which lets C2 check one index range per tap instead of four.
 *
 * <h2>Throughput</h2>
 * Max and average pooling work on {@value #GROUP} planes at once: four independent dependency
 * chains over the same offsets, and the loop overhead of a row shared by four planes. A call's last
 * group is moved back to end at its last plane (and repeats planes when a call has fewer than
 * {@value #GROUP}), and a row's last vector is moved back to end at the row's end; both recompute
 * a few outputs with the same values.
 *
 * <h2>What C2 needs</h2>
 * Every vector is produced and consumed inside one method, with no helper returning a vector (a
 * call C2 declines to inline boxes its result), no gather (whose intrinsic C2 declined here) and
 * no {@code static final} vector flowing into a loop's phi (which boxes every iteration): measured
 * at up to 9 MB of garbage per call and 30 times slower when any of these slipped in. The index
 * vectors of the two-vector permutes are made in the method that uses them, not read from a
 * {@code static final}: a vector's payload is a {@code float[]}, which C2 cannot tell apart from
 * the arrays the loop stores to, so it reloaded the indices and converted and checked them again
 * on every permute (eight instructions more each; the max pools ran up to 1.7 times slower). The
 * two-vector permute itself is an intrinsic with AVX2 too ({@code -XX:+PrintIntrinsics} reports no
 * unsupported operation here), so nothing falls back to allocating Java code.
 */
final class VectorPoolKernels extends PoolKernels {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Planes pooled at once, for independent dependency chains. */
    private static final int GROUP = 4;
    /** Most floats of band rows copied per plane at a time (128 KiB: a group's band stays in L2). */
    private static final int BAND_MAX_FLOATS = 1 << 15;
    /**
     * Floats from one plane's band to the next in an average's group: a constant, so that C2 sees
     * the four loads of a tap at constant distances from one index and checks its range once
     * (measured 15 % faster than four bands at a computed distance on Inception's 3x3 pool), and
     * 64 bytes more than {@link #BAND_MAX_FLOATS} so that the planes' rows fall in different L1 sets.
     */
    private static final int PLANE_FLOATS = BAND_MAX_FLOATS + 16;

    /**
     * Rows narrower than a vector take the scalar rule and no buffers. Otherwise: the tap columns,
     * the divisors and first columns of an output row, the lane indices, {@link #GROUP} rows of
     * column maxima, and the larger of an average's band ({@link #GROUP} planes of at most
     * {@link #BAND_MAX_FLOATS} floats, {@link #PLANE_FLOATS} apart) and a max-with-indices band
     * ({@link #maxBandRows} rows), each with its {@code 2 L} floats of slack.
     */
    @Override
    public long scratchBytes(WindowShape s) {
        if (s.outputWidth() < L) {
            return 0;
        }
        int sw = s.strideWidth();
        long columnMaxima = (long) GROUP * sw * ((s.spanWidth() + sw - 1) / sw);
        long averageBand = (long) (GROUP - 1) * PLANE_FLOATS + BAND_MAX_FLOATS;
        long indicesBand = (long) maxBandRows(s) * bandPitch(s);
        long elements = s.kernelWidth() + 2L * s.outputWidth() + L + columnMaxima + Math.max(averageBand, indicesBand) + 2 * L;
        return 4 * elements;
    }

    @Override
    public void max(WindowShape s, int planes, float[] in, int inOff, int inStride, float[] out, int outOff, int outStride,
                    PoolScratch scratch) {
        if (s.outputWidth() < L) {
            maxByOutput(s, planes, in, inOff, inStride, out, outOff, outStride);
        } else {
            maxByColumns(s, planes, in, inOff, inStride, out, outOff, outStride, scratch);
        }
    }

    /**
     * Max pooling of rows at least a vector wide, {@value #GROUP} planes at a time, through
     * {@link #columnMaxima}: plane {@code k} of a group has its row of column maxima at
     * {@code k * pitch}, padded column {@code j} in phase {@code j mod sw} at index {@code j / sw},
     * so kernel column {@code c} of output {@code ox} is at {@code taps[c] + ox}.
     */
    private static void maxByColumns(WindowShape s, int planes, float[] in, int inOff, int inStride,
                                     float[] out, int outOff, int outStride, PoolScratch scratch) {
        int sw = s.strideWidth();
        int phaseLength = (s.spanWidth() + sw - 1) / sw;
        int pitch = sw * phaseLength;
        int[] taps = scratch.tapColumns(s, sw, phaseLength);
        // Only the input columns are ever written: the padding cells keep their -inf.
        float[] maxima = scratch.columnMaxima(GROUP * pitch);
        int ow = s.outputWidth();
        int kw = s.kernelWidth();
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
            for (int oy = 0; oy < s.outputHeight(); oy++) {
                columnMaxima(s, oy, in, i0, i1, i2, i3, maxima, pitch, phaseLength);
                int outRow = oy * ow;
                for (int v = 0; v < ow; v += L) {
                    int vx = Math.min(v, ow - L);
                    int t = taps[0] + vx;
                    FloatVector m0 = FloatVector.fromArray(S, maxima, t);
                    FloatVector m1 = FloatVector.fromArray(S, maxima, pitch + t);
                    FloatVector m2 = FloatVector.fromArray(S, maxima, 2 * pitch + t);
                    FloatVector m3 = FloatVector.fromArray(S, maxima, 3 * pitch + t);
                    for (int c = 1; c < kw; c++) {
                        t = taps[c] + vx;
                        m0 = m0.max(FloatVector.fromArray(S, maxima, t));
                        m1 = m1.max(FloatVector.fromArray(S, maxima, pitch + t));
                        m2 = m2.max(FloatVector.fromArray(S, maxima, 2 * pitch + t));
                        m3 = m3.max(FloatVector.fromArray(S, maxima, 3 * pitch + t));
                    }
                    m0.intoArray(out, o0 + outRow + vx);
                    m1.intoArray(out, o1 + outRow + vx);
                    m2.intoArray(out, o2 + outRow + vx);
                    m3.intoArray(out, o3 + outRow + vx);
                }
            }
        }
    }

    /**
     * For output row {@code oy} of the four planes at {@code i0..i3}: the maximum of every input
     * column read by the windows ({@code x < columns}) over the kernel rows inside the input, into
     * padded column {@code j = padLeft + x} of {@code maxima} (phase {@code j mod sw}, index
     * {@code j / sw}, plane {@code k} from {@code k * pitch}). At stride 1 a vector of columns is
     * stored as it is; at stride 2 two vectors of columns {@code [j, j + 2L)} are stored as their
     * even and odd lanes, from padded columns {@code j} and {@code j + 1}. A last vector (or pair)
     * is moved back to end at the last column. Narrower rows and larger strides go column by column.
     */
    private static void columnMaxima(WindowShape s, int oy, float[] in, int i0, int i1, int i2, int i3,
                                     float[] maxima, int pitch, int phaseLength) {
        int w = s.width();
        int sw = s.strideWidth();
        int left = s.padLeft();
        int columns = Math.max(0, Math.min(w, s.spanWidth() - left));
        int r0 = s.firstRow(oy);
        int rows = s.endRow(oy) - r0;
        int rowStep = s.dilationHeight() * w;
        int top = (s.rowStart(oy) + r0 * s.dilationHeight()) * w;
        if (sw == 1 && columns >= L) {
            for (int x = 0; x < columns; x += L) {
                int vx = Math.min(x, columns - L);
                int at = top + vx;
                FloatVector m0 = FloatVector.fromArray(S, in, i0 + at);
                FloatVector m1 = FloatVector.fromArray(S, in, i1 + at);
                FloatVector m2 = FloatVector.fromArray(S, in, i2 + at);
                FloatVector m3 = FloatVector.fromArray(S, in, i3 + at);
                for (int r = 1; r < rows; r++) {
                    at += rowStep;
                    m0 = m0.max(FloatVector.fromArray(S, in, i0 + at));
                    m1 = m1.max(FloatVector.fromArray(S, in, i1 + at));
                    m2 = m2.max(FloatVector.fromArray(S, in, i2 + at));
                    m3 = m3.max(FloatVector.fromArray(S, in, i3 + at));
                }
                int j = left + vx;
                m0.intoArray(maxima, j);
                m1.intoArray(maxima, pitch + j);
                m2.intoArray(maxima, 2 * pitch + j);
                m3.intoArray(maxima, 3 * pitch + j);
            }
        } else if (sw == 2 && columns >= 2 * L) {
            FloatVector even = FloatVector.zero(S).addIndex(2);
            FloatVector odd = even.add(1f);
            for (int x = 0; x < columns; x += 2 * L) {
                int vx = Math.min(x, columns - 2 * L);
                int at = top + vx;
                FloatVector a0 = FloatVector.fromArray(S, in, i0 + at);
                FloatVector a1 = FloatVector.fromArray(S, in, i1 + at);
                FloatVector a2 = FloatVector.fromArray(S, in, i2 + at);
                FloatVector a3 = FloatVector.fromArray(S, in, i3 + at);
                FloatVector b0 = FloatVector.fromArray(S, in, i0 + at + L);
                FloatVector b1 = FloatVector.fromArray(S, in, i1 + at + L);
                FloatVector b2 = FloatVector.fromArray(S, in, i2 + at + L);
                FloatVector b3 = FloatVector.fromArray(S, in, i3 + at + L);
                for (int r = 1; r < rows; r++) {
                    at += rowStep;
                    a0 = a0.max(FloatVector.fromArray(S, in, i0 + at));
                    a1 = a1.max(FloatVector.fromArray(S, in, i1 + at));
                    a2 = a2.max(FloatVector.fromArray(S, in, i2 + at));
                    a3 = a3.max(FloatVector.fromArray(S, in, i3 + at));
                    b0 = b0.max(FloatVector.fromArray(S, in, i0 + at + L));
                    b1 = b1.max(FloatVector.fromArray(S, in, i1 + at + L));
                    b2 = b2.max(FloatVector.fromArray(S, in, i2 + at + L));
                    b3 = b3.max(FloatVector.fromArray(S, in, i3 + at + L));
                }
                int j = left + vx;
                int first = (j & 1) * phaseLength + (j >> 1);
                int second = (~j & 1) * phaseLength + ((j + 1) >> 1);
                even.selectFrom(a0, b0).intoArray(maxima, first);
                even.selectFrom(a1, b1).intoArray(maxima, pitch + first);
                even.selectFrom(a2, b2).intoArray(maxima, 2 * pitch + first);
                even.selectFrom(a3, b3).intoArray(maxima, 3 * pitch + first);
                odd.selectFrom(a0, b0).intoArray(maxima, second);
                odd.selectFrom(a1, b1).intoArray(maxima, pitch + second);
                odd.selectFrom(a2, b2).intoArray(maxima, 2 * pitch + second);
                odd.selectFrom(a3, b3).intoArray(maxima, 3 * pitch + second);
            }
        } else {
            columnMaximaByColumn(s, in, i0 + top, rows, rowStep, columns, maxima, 0, phaseLength);
            columnMaximaByColumn(s, in, i1 + top, rows, rowStep, columns, maxima, pitch, phaseLength);
            columnMaximaByColumn(s, in, i2 + top, rows, rowStep, columns, maxima, 2 * pitch, phaseLength);
            columnMaximaByColumn(s, in, i3 + top, rows, rowStep, columns, maxima, 3 * pitch, phaseLength);
        }
    }

    /** {@link #columnMaxima} of one plane, whose first row read starts at {@code at}, one column at a time. */
    private static void columnMaximaByColumn(WindowShape s, float[] in, int at, int rows, int rowStep, int columns,
                                             float[] maxima, int maximaOff, int phaseLength) {
        int sw = s.strideWidth();
        int left = s.padLeft();
        for (int q = 0; q < sw; q++) {
            // The padded columns j = q (mod sw) from padLeft on, at index j / sw of phase q.
            int j = left + Math.floorMod(q - left, sw);
            for (int i = maximaOff + q * phaseLength + j / sw; j < left + columns; j += sw, i++) {
                float m = in[at + j - left];
                for (int r = 1; r < rows; r++) {
                    m = Math.max(m, in[at + r * rowStep + j - left]);
                }
                maxima[i] = m;
            }
        }
    }

    @Override
    public void average(WindowShape s, boolean countPadding, int planes, float[] in, int inOff, int inStride,
                        float[] out, int outOff, int outStride, PoolScratch scratch) {
        if (s.outputWidth() < L) {
            averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
            return;
        }
        int pitch = bandPitch(s);
        int planeFloats = maxBandRows(s) * pitch;
        if (planeFloats > BAND_MAX_FLOATS && !readsInPlace(s, in.length, inOff + (planes - 1) * inStride)) {
            // Rows so wide under a kernel so tall that one output row's band overflows PLANE_FLOATS.
            averageByOutput(s, countPadding, planes, in, inOff, inStride, out, outOff, outStride);
            return;
        }
        int[] taps = scratch.tapColumns(s, phases(s), phaseLength(s));
        float[] divisors = scratch.columnDivisors(s, countPadding);
        int bandOutputRows = bandOutputRows(s);
        float[] band = null;
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
                averageRows(s, countPadding, 0, oh, in, i0, i1, i2, i3, s.width(), 0, s.padLeft(),
                        out, o0, o1, o2, o3, taps, divisors);
                continue;
            }
            if (band == null) {
                band = scratch.band(GROUP, planeFloats, PLANE_FLOATS, -0.0f, 2 * L);
            }
            for (int oy0 = 0; oy0 < oh; oy0 += bandOutputRows) {
                int oy1 = Math.min(oh, oy0 + bandOutputRows);
                int firstRow = bandFirstRow(s, oy0);
                copyRows(s, in, i0, oy0, oy1, band, 0);
                copyRows(s, in, i1, oy0, oy1, band, PLANE_FLOATS);
                copyRows(s, in, i2, oy0, oy1, band, 2 * PLANE_FLOATS);
                copyRows(s, in, i3, oy0, oy1, band, 3 * PLANE_FLOATS);
                averageRows(s, countPadding, oy0, oy1, band, 0, PLANE_FLOATS, 2 * PLANE_FLOATS, 3 * PLANE_FLOATS,
                        pitch, firstRow, 0, out, o0, o1, o2, o3, taps, divisors);
            }
        }
    }

    /**
     * Averages of output rows {@code [oyFrom, oyTo)} of four planes whose rows are {@code pitch}
     * floats apart in {@code src}, input row {@code firstRow} at {@code b0..b3}: input row
     * {@code y}, padded column {@code j} is at {@code b + (y - firstRow) * pitch + j - columnShift}
     * within a phase, and kernel column {@code c} of output {@code ox} at padded column
     * {@code ox * step + taps[c]}; at stride 2 ({@code step == 2}) a tap keeps the even lanes of
     * two loads. At other strides the planes come from a band, {@code b0 + k PLANE_FLOATS}, and the
     * loads use that constant. No window reaches outside these rows, so every tap is a vector load.
     */
    private static void averageRows(WindowShape s, boolean countPadding, int oyFrom, int oyTo, float[] src,
                                    int b0, int b1, int b2, int b3, int pitch, int firstRow, int columnShift,
                                    float[] out, int o0, int o1, int o2, int o3, int[] taps, float[] divisors) {
        int ow = s.outputWidth();
        int step = columnStep(s);
        boolean pairs = step == 2;
        FloatVector even = FloatVector.zero(S).addIndex(2);
        int dh = s.dilationHeight() * pitch;
        int kw = s.kernelWidth();
        for (int oy = oyFrom; oy < oyTo; oy++) {
            int r0 = s.firstRow(oy);
            int rows = s.endRow(oy) - r0;
            int top = (s.rowStart(oy) + r0 * s.dilationHeight() - firstRow) * pitch - columnShift;
            int outRow = oy * ow;
            float rowDivisor = rowCount(s, countPadding, oy);
            for (int v = 0; v < ow; v += L) {
                int vx = Math.min(v, ow - L);
                int x = top + vx * step;
                FloatVector a0 = FloatVector.broadcast(S, -0.0f);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < kw; c++) {
                        int at = x + r * dh + taps[c];
                        if (pairs) {
                            a0 = a0.add(even.selectFrom(FloatVector.fromArray(S, src, b0 + at), FloatVector.fromArray(S, src, b0 + at + L)));
                            a1 = a1.add(even.selectFrom(FloatVector.fromArray(S, src, b1 + at), FloatVector.fromArray(S, src, b1 + at + L)));
                            a2 = a2.add(even.selectFrom(FloatVector.fromArray(S, src, b2 + at), FloatVector.fromArray(S, src, b2 + at + L)));
                            a3 = a3.add(even.selectFrom(FloatVector.fromArray(S, src, b3 + at), FloatVector.fromArray(S, src, b3 + at + L)));
                        } else {
                            a0 = a0.add(FloatVector.fromArray(S, src, b0 + at));
                            a1 = a1.add(FloatVector.fromArray(S, src, b0 + at + PLANE_FLOATS));
                            a2 = a2.add(FloatVector.fromArray(S, src, b0 + at + 2 * PLANE_FLOATS));
                            a3 = a3.add(FloatVector.fromArray(S, src, b0 + at + 3 * PLANE_FLOATS));
                        }
                    }
                }
                FloatVector count = FloatVector.fromArray(S, divisors, vx).mul(rowDivisor);
                a0.div(count).intoArray(out, o0 + outRow + vx);
                a1.div(count).intoArray(out, o1 + outRow + vx);
                a2.div(count).intoArray(out, o2 + outRow + vx);
                a3.div(count).intoArray(out, o3 + outRow + vx);
            }
        }
    }

    /**
     * One plane at a time, through the same bands, with {@code -inf} as the padding: the running
     * maximum starts at {@code -inf} with the index of the window's first input cell, and moves
     * only when a tap changes it (padding never does), so the index is always an input cell's.
     */
    @Override
    public void maxWithIndices(WindowShape s, float[] in, int inOff, float[] out, int outOff,
                               long[] indices, int indicesOff, long indexBase, PoolScratch scratch) {
        int ow = s.outputWidth();
        if (ow < L) {
            maxWithIndicesByOutput(s, in, inOff, out, outOff, indices, indicesOff, indexBase);
            return;
        }
        boolean inPlace = readsInPlace(s, in.length, inOff);
        int bandOutputRows = inPlace ? s.outputHeight() : bandOutputRows(s);
        int pitch = inPlace ? s.width() : bandPitch(s);
        int columnShift = inPlace ? s.padLeft() : 0;
        int step = columnStep(s);
        boolean pairs = step == 2;
        FloatVector even = FloatVector.zero(S).addIndex(2);
        int[] taps = scratch.tapColumns(s, phases(s), phaseLength(s));
        int[] firstColumns = scratch.firstColumns(s);
        int[] laneIndices = scratch.indices(L);
        float[] src = inPlace ? in : scratch.band(1, maxBandRows(s) * pitch, 0, Float.NEGATIVE_INFINITY, 2 * L);
        int base = inPlace ? inOff : 0;
        int w = s.width();
        int dh = s.dilationHeight();
        int kw = s.kernelWidth();
        IntVector laneColumns = IntVector.zero(I).addIndex(s.strideWidth());
        for (int oy0 = 0; oy0 < s.outputHeight(); oy0 += bandOutputRows) {
            int oy1 = Math.min(s.outputHeight(), oy0 + bandOutputRows);
            int firstRow = 0;
            if (!inPlace) {
                firstRow = bandFirstRow(s, oy0);
                copyRows(s, in, inOff, oy0, oy1, src, 0);
            }
            for (int oy = oy0; oy < oy1; oy++) {
                int r0 = s.firstRow(oy);
                int rows = s.endRow(oy) - r0;
                int y0 = s.rowStart(oy) + r0 * dh;
                int top = base + (y0 - firstRow) * pitch - columnShift;
                for (int v = 0; v < ow; v += L) {
                    int vx = Math.min(v, ow - L);
                    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                    IntVector index = IntVector.fromArray(I, firstColumns, vx).add(y0 * w);
                    for (int r = 0; r < rows; r++) {
                        int inputRow = (y0 + r * dh) * w + s.columnStart(vx);
                        for (int c = 0; c < kw; c++) {
                            int at = top + vx * step + r * dh * pitch + taps[c];
                            FloatVector x = pairs
                                    ? even.selectFrom(FloatVector.fromArray(S, src, at), FloatVector.fromArray(S, src, at + L))
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

    // Where the windows of average and indexed max pooling read: the planes in place, or bands.
    // Plain ints, not a record: C2 kept a record on the heap (32 bytes a call).

    /**
     * Whether the windows can read the planes in place, the last at {@code lastPlane}: the stride
     * is 2, no window column is clipped (rows outside the input are skipped anyway), and a tap's
     * extra float stays inside the array. (At stride 1 a band is faster: see {@link #PLANE_FLOATS}.)
     */
    private static boolean readsInPlace(WindowShape s, int length, int lastPlane) {
        if (s.columnsClipped() || s.strideWidth() != 2) {
            return false;
        }
        long lastRead = lastPlane + (long) (s.height() - 1) * s.width() + s.spanWidth() - s.padLeft() - 1;
        return lastRead + 1 < length;
    }

    /** Phases a band row is split into: the stride from 3 up, else 1 (stride 2 keeps even lanes of two loads). */
    private static int phases(WindowShape s) {
        return s.strideWidth() > 2 ? s.strideWidth() : 1;
    }

    /** Floats of one phase of a band row: the padded columns {@code q, q + phases, ...}. */
    private static int phaseLength(WindowShape s) {
        return (s.spanWidth() + phases(s) - 1) / phases(s);
    }

    /** Floats from one band row to the next. */
    private static int bandPitch(WindowShape s) {
        return phases(s) * phaseLength(s);
    }

    /** Floats between the taps of adjacent outputs in a row: the stride, or 1 within a phase. */
    private static int columnStep(WindowShape s) {
        return s.strideWidth() > 2 ? 1 : s.strideWidth();
    }

    /** Output rows per band: as many as keep a band's rows within {@link #BAND_MAX_FLOATS}, at least one. */
    private static int bandOutputRows(WindowShape s) {
        int extent = (s.kernelHeight() - 1) * s.dilationHeight() + 1;
        return (Math.max(extent, BAND_MAX_FLOATS / bandPitch(s)) - extent) / s.strideHeight() + 1;
    }

    /** The most input rows of a band: those of {@link #bandOutputRows} output rows, at most the input's. */
    private static int maxBandRows(WindowShape s) {
        int outputRows = Math.min(s.outputHeight(), bandOutputRows(s));
        return Math.min(s.height(), (outputRows - 1) * s.strideHeight() + (s.kernelHeight() - 1) * s.dilationHeight() + 1);
    }

    /** The first input row of the band of output rows from {@code oy0} on. */
    private static int bandFirstRow(WindowShape s, int oy0) {
        return Math.max(0, s.rowStart(oy0));
    }

    /** Input rows in the band of output rows {@code [oy0, oy1)}: at most as many as their windows span. */
    private static int bandRows(WindowShape s, int oy0, int oy1) {
        int end = Math.min(s.height(), s.rowStart(oy1 - 1) + (s.kernelHeight() - 1) * s.dilationHeight() + 1);
        return end - bandFirstRow(s, oy0);
    }

    /**
     * Copies the input rows that output rows {@code [oy0, oy1)} read, of the plane at
     * {@code inOff}, to {@code band} from {@code bandOff}, {@link #bandPitch} floats a row: input
     * row {@link #bandFirstRow} {@code + r} becomes band row {@code r}, its column {@code x}
     * going to padded column {@code j = padLeft + x}: phase {@code j mod phases}, index
     * {@code j / phases}. Only input cells are written: the padding cells keep the identity the
     * band was filled with.
     */
    private static void copyRows(WindowShape s, float[] in, int inOff, int oy0, int oy1, float[] band, int bandOff) {
        int pitch = bandPitch(s);
        int phases = phases(s);
        int phaseLength = phaseLength(s);
        int w = s.width();
        int left = s.padLeft();
        int columns = Math.max(0, Math.min(w, s.spanWidth() - left));
        int firstRow = bandFirstRow(s, oy0);
        int rows = bandRows(s, oy0, oy1);
        for (int r = 0; r < rows; r++) {
            int from = inOff + (firstRow + r) * w;
            int row = bandOff + r * pitch;
            if (phases > 1) {
                for (int q = 0; q < phases; q++) {
                    int j = left + Math.floorMod(q - left, phases);
                    for (int i = row + q * phaseLength + j / phases; j < left + columns; j += phases, i++) {
                        band[i] = in[from + j - left];
                    }
                }
            } else {
                System.arraycopy(in, from, band, row + left, columns);
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
    public void globalAverage(int planes, int n, float[] in, int inOff, int inStride, float[] out, int outOff,
                              PoolScratch scratch) {
        if (L > SUM_PARTIALS) {
            float[] partials = scratch.partials();
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
