package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.Conv2d;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad-input rule of CONVENTIONS.md that applies to {@link Conv2d}: the call throws the
 * documented exception, its message names the argument, and nothing is written.
 */
class Conv2dBadInputTest {

    private final float[] weights3x3 = new float[4 * 2 * 9];
    private final Conv2d conv = Conv2d.pytorch(2, 4, 3, 1, 1, 1, 1).build(weights3x3, null);
    private final float[] input = new float[2 * 5 * 5];
    private final float[] output = filledWithSentinel(4 * 5 * 5);

    private static float[] filledWithSentinel(int n) {
        float[] x = new float[n];
        Arrays.fill(x, 42f);
        return x;
    }

    private void rejects(Class<? extends RuntimeException> type, String named, Executable call) {
        float[] before = output.clone();
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(named), "message names " + named + ": " + e.getMessage());
        assertArrayEquals(before, output, "nothing written");
    }

    @Test
    void kernelLargerThanThePaddedInput() {
        Conv2d big = Conv2d.builder(2, 4, 5, 3).build(new float[4 * 2 * 15], null);
        rejects(IllegalArgumentException.class, "kernel height", () -> big.forward(1, 4, 5, input, 0, output, 0));
        Conv2d dilated = Conv2d.builder(2, 4, 3, 3).dilations(1, 3).build(weights3x3, null);
        rejects(IllegalArgumentException.class, "kernel width", () -> dilated.forward(1, 5, 5, input, 0, output, 0));
    }

    @Test
    void channelsNotDivisibleByGroup() {
        rejects(IllegalArgumentException.class, "group",
                () -> Conv2d.builder(3, 4, 3, 3).group(2).build(new float[4 * 9], null));
        rejects(IllegalArgumentException.class, "group",
                () -> Conv2d.builder(4, 6, 3, 3).group(4).build(new float[6 * 9], null));
    }

    @Test
    void mismatchedWeightOrBiasShape() {
        rejects(IllegalArgumentException.class, "weights.length",
                () -> Conv2d.builder(2, 4, 3, 3).build(new float[4 * 2 * 9 - 1], null));
        rejects(IllegalArgumentException.class, "weights.length",
                () -> Conv2d.builder(2, 4, 3, 3).group(2).build(weights3x3, null));
        rejects(IllegalArgumentException.class, "bias.length",
                () -> Conv2d.builder(2, 4, 3, 3).build(weights3x3, new float[3]));
        rejects(NullPointerException.class, "weights", () -> Conv2d.builder(2, 4, 3, 3).build(null, null));
    }

    @Test
    void nonPositiveSizesAndNegativePads() {
        rejects(IllegalArgumentException.class, "inChannels", () -> Conv2d.builder(0, 4, 3, 3));
        rejects(IllegalArgumentException.class, "kernelWidth", () -> Conv2d.builder(2, 4, 3, 0));
        rejects(IllegalArgumentException.class, "stride width", () -> Conv2d.builder(2, 4, 3, 3).strides(1, 0));
        rejects(IllegalArgumentException.class, "dilation height", () -> Conv2d.builder(2, 4, 3, 3).dilations(0, 1));
        rejects(IllegalArgumentException.class, "pad bottom", () -> Conv2d.builder(2, 4, 3, 3).pads(0, 0, -1, 0));
        rejects(IllegalArgumentException.class, "group", () -> Conv2d.builder(2, 4, 3, 3).group(0));
        rejects(IllegalArgumentException.class, "batch", () -> conv.forward(-1, 5, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "height", () -> conv.forward(1, 0, 5, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "width", () -> conv.forward(1, 5, -2, input, 0, output, 0));
    }

    @Test
    void padsTogetherWithAutoPad() {
        rejects(IllegalArgumentException.class, "auto_pad", () -> Conv2d.builder(2, 4, 3, 3).pads(1, 1, 1, 1)
                .autoPad(Conv2d.AutoPad.SAME_UPPER).build(weights3x3, null));
    }

    @Test
    void shortArraysAndBadOffsets() {
        rejects(IndexOutOfBoundsException.class, "input", () -> conv.forward(1, 5, 5, new float[49], 0, output, 0));
        rejects(IndexOutOfBoundsException.class, "input", () -> conv.forward(1, 5, 5, input, 1, output, 0));
        rejects(IndexOutOfBoundsException.class, "input", () -> conv.forward(1, 5, 5, input, -1, output, 0));
        rejects(IndexOutOfBoundsException.class, "output", () -> conv.forward(1, 5, 5, input, 0, output, 1));
        rejects(IndexOutOfBoundsException.class, "output", () -> conv.forward(2, 5, 5, new float[100], 0, output, 0));
        rejects(NullPointerException.class, "output", () -> conv.forward(1, 5, 5, input, 0, null, 0));
    }

    /** Sizes whose product overflows an int are caught in long arithmetic, not wrapped. */
    @Test
    void sizesOverflowingAnInt() {
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE",
                () -> conv.forward(1, 50_000, 50_000, input, 0, output, 0));
        rejects(IllegalArgumentException.class, "Integer.MAX_VALUE",
                () -> conv.forward(1 << 20, 40, 40, input, 0, output, 0));
    }

    @Test
    void outputOverlappingTheInput() {
        float[] shared = new float[input.length + output.length];
        Conv2d pointwise = Conv2d.builder(2, 2, 1, 1).build(new float[4], null);
        float[] before = shared.clone();
        RuntimeException e = assertThrows(IllegalArgumentException.class,
                () -> pointwise.forward(1, 5, 5, shared, 0, shared, 10));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        assertArrayEquals(before, shared, "nothing written");
    }
}
