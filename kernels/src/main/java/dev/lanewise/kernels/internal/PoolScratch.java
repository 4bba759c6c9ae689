package dev.lanewise.kernels.internal;

import java.util.Arrays;

/**
 * The pooling kernels' buffers of one thread's {@link Workspace}, each grown on demand to the
 * largest shape it served and never shrunk. What they hold is up to the {@link PoolKernels}
 * implementation; each accessor states what it leaves in the buffer.
 */
public final class PoolScratch {

    private float[] band = new float[0];
    private float[] columnMaxima = new float[0];
    private float[] divisors = new float[0];
    private int[] tapColumns = new int[0];
    private int[] firstColumns = new int[0];
    private int[] indices = new int[0];
    private float[] partials = new float[0];

    PoolScratch() {
    }

    /**
     * A band of {@code planes} planes of {@code planeFloats} floats, {@code spacing} apart, each
     * filled with {@code identity}, and {@code slack} floats more (undefined contents).
     */
    public float[] band(int planes, int planeFloats, int spacing, float identity, int slack) {
        int floats = (planes - 1) * spacing + planeFloats + slack;
        band = Workspace.atLeast(band, floats);
        for (int k = 0; k < planes; k++) {
            Arrays.fill(band, k * spacing, k * spacing + planeFloats, identity);
        }
        return band;
    }

    /** At least {@code floats} floats, the first {@code floats} of them {@code -inf}. */
    public float[] columnMaxima(int floats) {
        columnMaxima = Workspace.atLeast(columnMaxima, floats);
        Arrays.fill(columnMaxima, 0, floats, Float.NEGATIVE_INFINITY);
        return columnMaxima;
    }

    /** Per output column {@code ox}, the window columns counting in an average's divisor (see {@link PoolKernels}). */
    public float[] columnDivisors(WindowShape s, boolean countPadding) {
        divisors = Workspace.atLeast(divisors, s.outputWidth());
        for (int ox = 0; ox < s.outputWidth(); ox++) {
            divisors[ox] = PoolKernels.columnCount(s, countPadding, ox);
        }
        return divisors;
    }

    /**
     * Per kernel column {@code c}, its offset in a row split into {@code phases} phases of
     * {@code phaseLength}: phase start plus index in the phase.
     */
    public int[] tapColumns(WindowShape s, int phases, int phaseLength) {
        tapColumns = Workspace.atLeast(tapColumns, s.kernelWidth());
        for (int c = 0; c < s.kernelWidth(); c++) {
            int column = c * s.dilationWidth();
            tapColumns[c] = column % phases * phaseLength + column / phases;
        }
        return tapColumns;
    }

    /** Per output column, the in-plane column of its window's first tap inside the input. */
    public int[] firstColumns(WindowShape s) {
        firstColumns = Workspace.atLeast(firstColumns, s.outputWidth());
        for (int ox = 0; ox < s.outputWidth(); ox++) {
            firstColumns[ox] = s.columnStart(ox) + s.firstColumn(ox) * s.dilationWidth();
        }
        return firstColumns;
    }

    /** At least {@code ints} ints; contents are undefined. */
    public int[] indices(int ints) {
        indices = Workspace.atLeast(indices, ints);
        return indices;
    }

    /** {@link PoolKernels#SUM_PARTIALS} floats for a global sum's partials; contents are undefined. */
    public float[] partials() {
        partials = Workspace.atLeast(partials, PoolKernels.SUM_PARTIALS);
        return partials;
    }

    /** Bytes of the buffers held now. */
    long retainedBytes() {
        return 4L * ((long) band.length + columnMaxima.length + divisors.length + tapColumns.length
                + firstColumns.length + indices.length + partials.length);
    }
}
