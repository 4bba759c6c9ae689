package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.ref.RefPool2d;
import java.util.Arrays;

/**
 * Runs one {@link PoolCase} through {@link MaxPool2d} or {@link AveragePool2d} and checks it
 * against {@link RefPool2d} (given the case's planes copied to a dense tensor, and the window with
 * the case's own explicit pads, {@link PoolCase#referenceWindow}): every output
 * bit-exact ({@link Float#floatToIntBits}, which makes all NaNs one), every index exact, every
 * other element of the output and indices arrays (before, between and after the planes) untouched,
 * and the input unmodified.
 */
final class PoolChecker {

    /** What output arrays hold before the call; no pooling of the test inputs can produce it. */
    static final float SENTINEL = -12345f;
    static final long INDEX_SENTINEL = -7L;

    /** The output array of a call (guards included), its indices array if any, and the dense reference. */
    record Checked(float[] output, long[] indices, float[] expected) {
    }

    private PoolChecker() {
    }

    static Checked max(PoolCase pc) {
        return max(pc, pc.maxPool());
    }

    /**
     * Checks {@code pool.forward} (the dense or the strided overload, as the case says) and
     * {@code pool.forwardWithIndices}, whose indices start one element after the output offset in
     * an array of their own; returns the latter's arrays.
     */
    static Checked max(PoolCase pc, MaxPool2d pool) {
        assertTrue(!pc.denseOverload() || pc.inGap() == 0 && pc.outGap() == 0, "dense overload with gaps: " + pc);
        assertEquals(pc.outputHeight(), pool.outputHeight(pc.height()), "output height of " + pc);
        assertEquals(pc.outputWidth(), pool.outputWidth(pc.width()), "output width of " + pc);
        float[] input = pc.input();
        int[] inputBits = TestArrays.bits(input);
        int outputs = pc.planes() * pc.outPlaneSize();
        float[] expected = new float[outputs];
        long[] expectedIndices = new long[outputs];
        checkReferenceSize(pc);
        RefPool2d.maxPool(pc.referenceWindow(), pc.batch(), pc.channels(), pc.height(), pc.width(), pc.dense(input), 0,
                expected, 0, expectedIndices, 0);

        float[] out = sentinels(pc.outputLength());
        if (pc.denseOverload()) {
            pool.forward(pc.batch(), pc.channels(), pc.height(), pc.width(), input, pc.inOffset(), out, pc.outOffset());
        } else {
            pool.forward(pc.batch(), pc.channels(), pc.height(), pc.width(), input, pc.inOffset(), pc.inPlaneStride(),
                    out, pc.outOffset(), pc.outPlaneStride());
        }
        checkOutput(pc, "max pool", out, expected);

        float[] withIndices = sentinels(pc.outputLength());
        long[] indices = new long[pc.outputLength() + 1];
        Arrays.fill(indices, INDEX_SENTINEL);
        pool.forwardWithIndices(pc.batch(), pc.channels(), pc.height(), pc.width(), input, pc.inOffset(),
                pc.inPlaneStride(), withIndices, pc.outOffset(), pc.outPlaneStride(), indices, pc.outOffset() + 1);
        checkOutput(pc, "max pool with indices", withIndices, expected);
        for (int i = 0; i < indices.length; i++) {
            int e = pc.outputAt(i - 1);
            long want = e < 0 ? INDEX_SENTINEL : expectedIndices[e];
            if (indices[i] != want) {
                fail((e < 0 ? "indices guard element " + i + " was written (" + indices[i] + ")"
                        : "index of " + where(pc, e) + " = " + indices[i] + ", expected " + want + " (value "
                        + expected[e] + ")") + ": " + pc);
            }
        }
        assertArrayEquals(inputBits, TestArrays.bits(input), "the input was modified: " + pc);
        return new Checked(withIndices, indices, expected);
    }

    static Checked average(PoolCase pc) {
        return average(pc, pc.averagePool());
    }

    /** Checks {@code pool.forward} (the dense or the strided overload, as the case says). */
    static Checked average(PoolCase pc, AveragePool2d pool) {
        assertTrue(!pc.denseOverload() || pc.inGap() == 0 && pc.outGap() == 0, "dense overload with gaps: " + pc);
        assertEquals(pc.outputHeight(), pool.outputHeight(pc.height()), "output height of " + pc);
        assertEquals(pc.outputWidth(), pool.outputWidth(pc.width()), "output width of " + pc);
        float[] input = pc.input();
        int[] inputBits = TestArrays.bits(input);
        float[] expected = referenceAverage(pc, input, pool.countIncludePad());
        float[] out = sentinels(pc.outputLength());
        if (pc.denseOverload()) {
            pool.forward(pc.batch(), pc.channels(), pc.height(), pc.width(), input, pc.inOffset(), out, pc.outOffset());
        } else {
            pool.forward(pc.batch(), pc.channels(), pc.height(), pc.width(), input, pc.inOffset(), pc.inPlaneStride(),
                    out, pc.outOffset(), pc.outPlaneStride());
        }
        checkOutput(pc, "average pool" + (pool.countIncludePad() ? " counting padding" : ""), out, expected);
        assertArrayEquals(inputBits, TestArrays.bits(input), "the input was modified: " + pc);
        return new Checked(out, null, expected);
    }

    /** {@link RefPool2d#averagePool} of the case's planes of {@code input}. */
    static float[] referenceAverage(PoolCase pc, float[] input, boolean countIncludePad) {
        checkReferenceSize(pc);
        float[] expected = new float[pc.planes() * pc.outPlaneSize()];
        RefPool2d.averagePool(pc.referenceWindow(), countIncludePad, pc.batch(), pc.channels(), pc.height(), pc.width(),
                pc.dense(input), 0, expected, 0);
        return expected;
    }

    /** {@link Float#floatToIntBits} of each element: the bits, with every NaN made the one canonical NaN. */
    static int[] canonicalBits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToIntBits(x[i]);
        }
        return b;
    }

    /** The reference window's pads give the case's output size (ONNX's {@code auto_pad} formula under one). */
    private static void checkReferenceSize(PoolCase pc) {
        assertEquals(pc.outputHeight(), pc.referenceWindow().outputHeight(pc.height()), "reference height of " + pc);
        assertEquals(pc.outputWidth(), pc.referenceWindow().outputWidth(pc.width()), "reference width of " + pc);
    }

    static float[] sentinels(int length) {
        float[] a = new float[length];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    private static void checkOutput(PoolCase pc, String what, float[] out, float[] expected) {
        for (int i = 0; i < out.length; i++) {
            int e = pc.outputAt(i);
            if (e < 0) {
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(SENTINEL)) {
                    fail(what + ": guard element " + i + " was written (" + out[i] + "): " + pc);
                }
            } else if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[e])) {
                fail(what + ": output " + where(pc, e) + " = " + out[i] + " (0x" + Integer.toHexString(
                        Float.floatToRawIntBits(out[i])) + "), expected " + expected[e] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(expected[e])) + "): " + pc);
            }
        }
    }

    /** "(plane p, oy, ox)" of dense output index {@code e}. */
    private static String where(PoolCase pc, int e) {
        int plane = e / pc.outPlaneSize();
        int q = e % pc.outPlaneSize();
        return "(plane " + plane + ", " + q / pc.outputWidth() + ", " + q % pc.outputWidth() + ")";
    }
}
