package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.Conv2d;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad-input rule of CONVENTIONS.md that applies to {@link Conv2d}: the call throws the
 * documented exception, its message names the argument, and nothing is written. A residual is
 * checked like the output and must not overlap it; it may be the input (both are only read).
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
                .autoPad(AutoPad.SAME_UPPER).build(weights3x3, null));
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

    @Test
    void badResiduals() {
        float[] residual = new float[output.length];
        rejects(IndexOutOfBoundsException.class, "residual",
                () -> conv.forward(1, 5, 5, input, 0, output, 0, new float[output.length - 1], 0));
        rejects(IndexOutOfBoundsException.class, "residual", () -> conv.forward(1, 5, 5, input, 0, output, 0, residual, 1));
        rejects(IndexOutOfBoundsException.class, "residual", () -> conv.forward(1, 5, 5, input, 0, output, 0, residual, -1));
        rejects(IndexOutOfBoundsException.class, "residual",
                () -> conv.forward(2, 5, 5, new float[2 * input.length], 0, new float[2 * output.length], 0, residual, 0));
        rejects(NullPointerException.class, "residual", () -> conv.forward(1, 5, 5, input, 0, output, 0, null, 0));
        rejects(IllegalArgumentException.class, "overlaps residual", () -> conv.forward(1, 5, 5, input, 0, output, 0, output, 0));
        float[] shared = new float[2 * output.length];
        float[] before = shared.clone();
        RuntimeException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(1, 5, 5, input, 0, shared, 0, shared, output.length - 1));
        assertTrue(e.getMessage().contains("overlaps residual"), e.getMessage());
        assertArrayEquals(before, shared, "nothing written");
    }

    /** A residual that is the input itself ({@code y = relu(conv(x) + x)}) is read, not rejected. */
    @Test
    void residualMayBeTheInput() {
        float[] w = {0.5f, -1f, 2f, 0.25f};   // 2 -> 2 channels, 1x1
        float[] bias = {0.125f, -0.5f};
        Conv2d pointwise = Conv2d.builder(2, 2, 1, 1).relu().build(w, bias);
        float[] x = new float[2 * 3 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7 - 3) * 0.75f;
        }
        float[] x0 = x.clone();
        float[] y = new float[x.length];
        pointwise.forward(1, 3, 3, x, 0, y, 0, x, 0);
        for (int k = 0; k < 2; k++) {
            for (int p = 0; p < 9; p++) {
                float sum = Math.fma(w[2 * k + 1], x[9 + p], Math.fma(w[2 * k], x[p], 0f));
                float expected = Math.max(sum + bias[k] + x[9 * k + p], 0f);
                assertEquals(expected, y[9 * k + p], "y[" + k + "][" + p + "]");
            }
        }
        assertArrayEquals(x0, x, "the input (the residual) was modified");
    }
}
