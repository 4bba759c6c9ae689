package dev.lanewise.properties;

import java.util.SplittableRandom;

/**
 * How the pooling and activation tests fill their inputs: besides uniform values, the IEEE cases
 * the operators promise to handle bit for bit (NaN with several payloads, a signalling one
 * included, infinities, signed zeros, subnormals) and many exact ties, which decide the max
 * pool's indices.
 */
enum FloatFill {
    /** Uniform in [-1, 1). */
    UNIFORM,
    /** Uniform, with one value in four special: NaN, +-Inf, +-0.0, subnormals, +-MAX_VALUE. */
    SPECIALS,
    /** Few distinct values (-1, -0.5, -0.0, +0.0, 0.5, 1), so most windows hold ties, and a rare NaN. */
    TIES,
    /** Only -0.0 and +0.0: the max must prefer +0.0, the average of -0.0 alone is -0.0. */
    SIGNED_ZEROS,
    /** Negative values only, with a rare -Inf: padding must never win a maximum. */
    NEGATIVE,
    /** Subnormals and tiny normals of both signs (nothing may flush them to zero). */
    SUBNORMALS;

    /** NaNs with different payloads, the last a signalling NaN. */
    static final float[] NANS = {
        Float.NaN, Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7fa5a5a5), Float.intBitsToFloat(0x7f800001)};

    private static final float[] SPECIAL = {
        NANS[0], NANS[1], NANS[2], NANS[3], Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE};

    private static final float[] TIE_VALUES = {-1f, -0.5f, -0.0f, 0.0f, 0.5f, 1f};

    /** One value drawn by this fill. */
    float next(SplittableRandom random) {
        return switch (this) {
            case UNIFORM -> (float) random.nextDouble(-1, 1);
            case SPECIALS -> random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                    : (float) random.nextDouble(-1, 1);
            case TIES -> random.nextInt(50) == 0 ? NANS[random.nextInt(NANS.length)]
                    : TIE_VALUES[random.nextInt(TIE_VALUES.length)];
            case SIGNED_ZEROS -> random.nextBoolean() ? -0.0f : 0.0f;
            case NEGATIVE -> random.nextInt(40) == 0 ? Float.NEGATIVE_INFINITY : (float) random.nextDouble(-3, -1);
            case SUBNORMALS -> Float.intBitsToFloat(random.nextInt(0x0100_0000) | (random.nextBoolean() ? 0x8000_0000 : 0));
        };
    }

    /** Fills {@code a[from .. from + count)}. */
    void fill(float[] a, int from, int count, SplittableRandom random) {
        for (int i = from; i < from + count; i++) {
            a[i] = next(random);
        }
    }
}
