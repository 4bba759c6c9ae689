package dev.lanewise.kernels.internal;

import java.util.Objects;

/**
 * Argument checks shared by the public facades. Each throws before anything is written, with a
 * message that names the argument, its value and the rule. Extents are computed in {@code long}
 * so that {@code int} overflow cannot hide an out-of-range access.
 */
public final class Checks {

    private Checks() {
    }

    /** Returns {@code value} if it is {@code >= 0}, else throws IllegalArgumentException. */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + " must be >= 0");
        }
        return value;
    }

    /** Returns {@code value} if it is {@code >= 1}, else throws IllegalArgumentException. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + " must be >= 1");
        }
        return value;
    }

    /** {@code ld >= max(1, rowLength)}, else IllegalArgumentException naming the rule. */
    public static void leadingDimension(String ldName, int ld, int rowLength) {
        if (ld < Math.max(1, rowLength)) {
            // The message is built only here: a passing check must not allocate.
            throw new IllegalArgumentException(ldName + " = " + ld + " must be >= " + Math.max(1, rowLength)
                    + " (" + ldName + " >= max(1, row length))");
        }
    }

    /**
     * Checks that a row-major {@code rows x cols} matrix with leading dimension {@code ld} at
     * {@code offset} lies inside {@code array}, and returns the index one past its last element
     * ({@code offset} when it is empty).
     *
     * @throws NullPointerException      if {@code array} is null
     * @throws IllegalArgumentException  if {@code ld < max(1, cols)}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or the matrix ends past the array
     */
    public static long matrix(String name, float[] array, int offset, int rows, int cols, int ld, String ldName) {
        Objects.requireNonNull(array, name);
        leadingDimension(ldName, ld, cols);
        if (offset < 0 || offset > array.length) {
            throw new IndexOutOfBoundsException(name + " offset = " + offset
                    + " must be in [0, " + name + ".length = " + array.length + "]");
        }
        long end = rows == 0 || cols == 0 ? offset : offset + (long) (rows - 1) * ld + cols;
        if (end > array.length) {
            throw new IndexOutOfBoundsException(name + ": a " + rows + " x " + cols + " matrix with "
                    + ldName + " = " + ld + " at offset " + offset + " ends at index " + end
                    + " > " + name + ".length = " + array.length);
        }
        return end;
    }

    /**
     * Checks that {@code [start, start + count)} lies inside {@code [0, limit)}, else
     * IllegalArgumentException naming both arguments.
     */
    public static void range(String startName, int start, String countName, int count, int limit) {
        if (start < 0 || count < 0 || (long) start + count > limit) {
            throw new IllegalArgumentException(startName + " = " + start + " and " + countName + " = " + count
                    + " must satisfy 0 <= " + startName + ", 0 <= " + countName + ", "
                    + startName + " + " + countName + " <= " + limit);
        }
    }

    /** Checks that {@code count} values from {@code offset} lie inside {@code array}. */
    public static long vector(String name, float[] array, int offset, int count) {
        Objects.requireNonNull(array, name);
        long end = offset + (long) count;
        if (offset < 0 || end > array.length) {
            throw new IndexOutOfBoundsException(name + ": " + count + " values at offset " + offset
                    + " do not fit in " + name + ".length = " + array.length);
        }
        return end;
    }

    /**
     * Rejects an output range {@code [outStart, outEnd)} of {@code out} that overlaps an input range
     * of the same array: the kernels read inputs after writing outputs.
     */
    public static void noOverlap(String outName, float[] out, long outStart, long outEnd,
                                 String inName, float[] in, long inStart, long inEnd) {
        if (out == in && outStart < outEnd && inStart < inEnd && outStart < inEnd && inStart < outEnd) {
            throw new IllegalArgumentException(outName + " [" + outStart + ", " + outEnd + ") overlaps "
                    + inName + " [" + inStart + ", " + inEnd + ") in the same array; use separate arrays");
        }
    }
}
