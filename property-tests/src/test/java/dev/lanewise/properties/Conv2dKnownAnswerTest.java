package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.Conv2d;
import org.junit.jupiter.api.Test;

/** {@link Conv2d} on cases small enough to work out by hand. */
class Conv2dKnownAnswerTest {

    /** A 3x3 image, a 2x2 kernel, no padding: each output is the dot product of a 2x2 window. */
    @Test
    void handComputedValidConvolution() {
        float[] image = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9};
        float[] kernel = {
            1, 0,
            -1, 2};
        Conv2d conv = Conv2d.builder(1, 1, 2, 2).build(kernel, new float[] {0.5f});
        float[] out = new float[4];
        conv.forward(1, 3, 3, image, 0, out, 0);
        // (1*1 + 2*0 - 4 + 2*5) + 0.5 = 7.5, (2 - 5 + 12) + 0.5 = 9.5, (4 - 7 + 16) + 0.5 = 13.5, (5 - 8 + 18) + 0.5 = 15.5
        assertArrayEquals(new float[] {7.5f, 9.5f, 13.5f, 15.5f}, out);
    }

    /** A 3x3 kernel with a single 1 in the centre and padding 1 reproduces every channel. */
    @Test
    void identityKernelReproducesTheInput() {
        int c = 3;
        float[] weights = new float[c * c * 9];
        for (int k = 0; k < c; k++) {
            weights[(k * c + k) * 9 + 4] = 1f;
        }
        float[] image = new float[c * 5 * 7];
        for (int i = 0; i < image.length; i++) {
            image[i] = i * 0.25f - 3f;
        }
        float[] out = new float[image.length];
        Conv2d.pytorch(c, c, 3, 1, 1, 1, 1).build(weights, null).forward(1, 5, 7, image, 0, out, 0);
        assertArrayEquals(image, out);
    }

    /** A 1 in the kernel's top-left corner with padding 1 shifts the image down and right by one. */
    @Test
    void cornerKernelTranslatesTheImage() {
        float[] weights = new float[9];
        weights[0] = 1f;
        float[] image = new float[4 * 4];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        float[] out = new float[16];
        Conv2d.pytorch(1, 1, 3, 1, 1, 1, 1).build(weights, null).forward(1, 4, 4, image, 0, out, 0);
        float[] expected = {
            0, 0, 0, 0,
            0, 1, 2, 3,
            0, 5, 6, 7,
            0, 9, 10, 11};
        assertArrayEquals(expected, out);
    }

    /**
     * ONNX SAME padding on a 4-wide row with a 2-wide kernel and stride 1: total pad 1, at the end
     * for SAME_UPPER and at the start for SAME_LOWER.
     */
    @Test
    void samePaddingPutsTheOddCellAtTheDocumentedEnd() {
        float[] image = {1, 2, 3, 4};
        float[] kernel = {10, 1};
        float[] upper = new float[4];
        float[] lower = new float[4];
        Conv2d.builder(1, 1, 1, 2).autoPad(AutoPad.SAME_UPPER).build(kernel, null).forward(1, 1, 4, image, 0, upper, 0);
        Conv2d.builder(1, 1, 1, 2).autoPad(AutoPad.SAME_LOWER).build(kernel, null).forward(1, 1, 4, image, 0, lower, 0);
        assertArrayEquals(new float[] {12, 23, 34, 40}, upper);
        assertArrayEquals(new float[] {1, 12, 23, 34}, lower);
    }

    /** Stride 2, dilation 2 and asymmetric pads together, on a row small enough to list. */
    @Test
    void stridedDilatedAsymmetricRow() {
        float[] image = {1, 2, 3, 4, 5, 6};
        float[] kernel = {1, 100};
        // pads left 1, right 0; dilation 2 pairs x with x + 2; stride 2 takes x = -1, 1, 3:
        // (0 + 100 * 2), (2 + 100 * 4), (4 + 100 * 6); output width floor((6 + 1 - 2 - 1) / 2) + 1 = 3.
        float[] out = new float[3];
        Conv2d.builder(1, 1, 1, 2).strides(1, 2).dilations(1, 2).pads(0, 1, 0, 0).build(kernel, null)
                .forward(1, 1, 6, image, 0, out, 0);
        assertArrayEquals(new float[] {200, 402, 604}, out);
    }

    /** Depthwise: each channel is convolved with its own kernel only. */
    @Test
    void depthwiseKeepsChannelsApart() {
        float[] image = {1, 2, 3, 4, 10, 20, 30, 40};   // two 2x2 channels
        float[] weights = {1, 1, 1, 1, -1, 0, 0, 0};    // two 2x2 kernels, one per channel
        float[] out = new float[2];
        Conv2d.builder(2, 2, 2, 2).group(2).build(weights, null).forward(1, 2, 2, image, 0, out, 0);
        assertArrayEquals(new float[] {10, -10}, out);
    }

    /** ReLU and clamp are applied after the bias, and NaN passes through both. */
    @Test
    void fusedActivations() {
        float[] image = {1, -2, Float.NaN, 0};
        float[] one = {1};
        float[] relu = new float[4];
        float[] clamp = new float[4];
        Conv2d.builder(1, 1, 1, 1).relu().build(one, new float[] {-0.0f}).forward(1, 1, 4, image, 0, relu, 0);
        Conv2d.builder(1, 1, 1, 1).clamp(-1, 0.5f).build(one, null).forward(1, 1, 4, image, 0, clamp, 0);
        assertArrayEquals(new float[] {1, 0, Float.NaN, 0}, relu);
        assertArrayEquals(new float[] {0.5f, -1, Float.NaN, 0}, clamp);
    }

    /** The PyTorch start is the ONNX builder with the same value on every side. */
    @Test
    void pytorchConstructorMatchesSymmetricOnnxAttributes() {
        float[] weights = new float[4 * 2 * 9];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 7) - 3;
        }
        float[] image = new float[2 * 9 * 8];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 5) * 0.5f;
        }
        Conv2d torch = Conv2d.pytorch(2, 4, 3, 2, 1, 1, 1).build(weights, null);
        Conv2d onnx = Conv2d.builder(2, 4, 3, 3).strides(2, 2).pads(1, 1, 1, 1).build(weights, null);
        assertEquals(5, torch.outputHeight(9));
        assertEquals(4, torch.outputWidth(8));
        float[] a = new float[4 * 5 * 4];
        float[] b = new float[a.length];
        torch.forward(1, 9, 8, image, 0, a, 0);
        onnx.forward(1, 9, 8, image, 0, b, 0);
        assertArrayEquals(b, a);
    }
}
