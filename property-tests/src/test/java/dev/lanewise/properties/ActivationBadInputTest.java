package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad-input rule of {@link Activation}: the call throws the documented exception, its
 * message names the argument, and nothing is written. Exactly in place is allowed; any other
 * overlap of input and output is not.
 */
class ActivationBadInputTest {

    private final Activation relu = Activation.relu();
    private final Activation leaky = Activation.leakyRelu(0.5f);
    private final float[] input = TestArrays.filled(40, new SplittableRandom(3));
    private final float[] output = PoolChecker.sentinels(40);

    private void rejects(Class<? extends RuntimeException> type, String named, Executable call) {
        int[] in = TestArrays.bits(input);
        int[] out = TestArrays.bits(output);
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(named), "message names " + named + ": " + e.getMessage());
        assertArrayEquals(out, TestArrays.bits(output), "nothing written to the output");
        assertArrayEquals(in, TestArrays.bits(input), "nothing written to the input");
    }

    @Test
    void clampBoundsMustBeOrderedNumbers() {
        rejects(IllegalArgumentException.class, "min", () -> Activation.clamp(Float.NaN, 1f));
        rejects(IllegalArgumentException.class, "max", () -> Activation.clamp(0f, Float.NaN));
        rejects(IllegalArgumentException.class, "min <= max", () -> Activation.clamp(2f, 1f));
        rejects(IllegalArgumentException.class, "min <= max", () -> Activation.clamp(Float.POSITIVE_INFINITY, 0f));
        // Equal bounds, infinite bounds and signed zeros either way round are accepted (-0.0 == +0.0).
        Activation.clamp(1f, 1f);
        Activation.clamp(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        Activation.clamp(0.0f, -0.0f);
    }

    @Test
    void leakyReluAlphaMustBeFinite() {
        rejects(IllegalArgumentException.class, "alpha", () -> Activation.leakyRelu(Float.NaN));
        rejects(IllegalArgumentException.class, "alpha", () -> Activation.leakyRelu(Float.POSITIVE_INFINITY));
        rejects(IllegalArgumentException.class, "alpha", () -> Activation.leakyRelu(Float.NEGATIVE_INFINITY));
    }

    @Test
    void badCountsOffsetsAndRanges() {
        rejects(IllegalArgumentException.class, "n", () -> relu.apply(input, 0, output, 0, -1));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(input, -1, output, 0, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(input, 31, output, 0, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(input, 0, output, 0, 41));
        rejects(IndexOutOfBoundsException.class, "output", () -> leaky.apply(input, 0, output, -1, 10));
        rejects(IndexOutOfBoundsException.class, "output", () -> leaky.apply(input, 0, output, 35, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(input, Integer.MAX_VALUE, output, 0, 1));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(input, 5, output, 0, Integer.MAX_VALUE));
        rejects(IndexOutOfBoundsException.class, "output", () -> relu.apply(input, 0, output, Integer.MAX_VALUE - 5, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.applyInPlace(input, 39, 2));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.applyInPlace(input, -1, 2));
        rejects(NullPointerException.class, "input", () -> relu.apply(null, 0, output, 0, 1));
        rejects(NullPointerException.class, "output", () -> relu.apply(input, 0, null, 0, 1));
        rejects(NullPointerException.class, "input", () -> relu.applyInPlace(null, 0, 0));
        // An empty range at the end of the array is fine.
        relu.apply(input, 40, output, 40, 0);
    }

    @Test
    void badPlaneArguments() {
        rejects(IllegalArgumentException.class, "planes", () -> relu.apply(-1, 4, input, 0, 4, output, 0, 4));
        rejects(IllegalArgumentException.class, "planeSize", () -> relu.apply(2, -4, input, 0, 4, output, 0, 4));
        rejects(IllegalArgumentException.class, "input plane stride", () -> relu.apply(2, 4, input, 0, 3, output, 0, 4));
        rejects(IllegalArgumentException.class, "output plane stride", () -> relu.apply(2, 4, input, 0, 4, output, 0, 3));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(3, 10, input, 0, 16, output, 0, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(2, 10, input, -1, 10, output, 0, 10));
        rejects(IndexOutOfBoundsException.class, "output", () -> relu.apply(2, 10, input, 0, 10, output, 21, 10));
        rejects(IndexOutOfBoundsException.class, "input", () -> relu.apply(3, 10, input, 0, Integer.MAX_VALUE, output, 0, 10));
        rejects(IndexOutOfBoundsException.class, "output",
                () -> leaky.apply(2, 10, input, 0, 10, output, Integer.MAX_VALUE - 3, 10));
        rejects(NullPointerException.class, "input", () -> relu.apply(1, 1, null, 0, 1, output, 0, 1));
        rejects(NullPointerException.class, "output", () -> relu.apply(1, 1, input, 0, 1, null, 0, 1));
    }

    @Test
    void overlapOtherThanExactlyInPlace() {
        float[] shared = TestArrays.filled(50, new SplittableRandom(4));
        float[] before = shared.clone();
        for (Executable call : new Executable[] {
            () -> relu.apply(shared, 0, shared, 1, 10),
            () -> leaky.apply(shared, 5, shared, 0, 10),
            () -> relu.apply(shared, 0, shared, 9, 10),
            // same offset, other stride: the planes overlap without being the same
            () -> relu.apply(2, 10, shared, 0, 10, shared, 0, 20),
            // interleaved planes (in at 0 and 20, out at 10 and 30): the ranges overlap
            () -> leaky.apply(2, 10, shared, 0, 20, shared, 10, 20)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("overlaps") && e.getMessage().contains("output"), e.getMessage());
            assertArrayEquals(TestArrays.bits(before), TestArrays.bits(shared), "nothing written");
        }
        // Exactly in place, and adjacent ranges of one array, are allowed.
        relu.apply(shared, 3, shared, 3, 10);
        relu.apply(2, 10, shared, 0, 20, shared, 0, 20);
        leaky.apply(shared, 0, shared, 10, 10);
    }
}
