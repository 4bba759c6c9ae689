package dev.lanewise.properties;

import dev.lanewise.nn.Conv2d;

/**
 * Child-JVM program of {@link Conv2dTest#columnMatrixOfGigabytesRunsInASmallHeap}: one 3x3
 * convolution of a {@code channels x side x side} image into two channels; prints the size its
 * column matrix would have and checks one output pixel. Exits non-zero on any error (an
 * OutOfMemoryError included).
 */
public final class BigConvolution {

    private BigConvolution() {
    }

    public static void main(String[] args) {
        int channels = Integer.parseInt(args[0]);
        int side = Integer.parseInt(args[1]);
        float[] weights = new float[2 * channels * 9];
        java.util.Arrays.fill(weights, 1f);
        float[] input = new float[channels * side * side];
        java.util.Arrays.fill(input, 0.5f);
        float[] output = new float[2 * side * side];
        Conv2d.pytorch(channels, 2, 3, 1, 1, 1, 1).build(weights, null).forward(1, side, side, input, 0, output, 0);
        // An interior pixel sums 9 * channels products of 0.5; a corner only 4 * channels.
        float interior = output[side + 1];
        float corner = output[0];
        if (interior != 4.5f * channels || corner != 2f * channels) {
            throw new AssertionError("interior " + interior + ", corner " + corner);
        }
        System.out.println("column matrix " + 9L * channels * side * side * Float.BYTES / 1_000_000 + " MB");
    }
}
