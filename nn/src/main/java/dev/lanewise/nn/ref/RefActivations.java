package dev.lanewise.nn.ref;

/**
 * Naive activations, the definitions {@link dev.lanewise.nn.Activation} is tested against bit for
 * bit, written with comparisons rather than {@code Math.max} so that they state the rules
 * independently: NaN passes through, and ReLU maps {@code -0.0} to {@code +0.0}.
 */
public final class RefActivations {

    private RefActivations() {
    }

    /** {@code x > 0 ? x : (x is NaN ? x : +0.0)}. */
    public static float relu(float x) {
        return x > 0 || Float.isNaN(x) ? x : 0f;
    }

    /** {@code x < min ? min : x > max ? max : x}, with {@code -0.0 < +0.0} and NaN passing through. */
    public static float clamp(float x, float min, float max) {
        float lower = less(x, min) ? min : x;
        return less(max, lower) ? max : lower;
    }

    /** {@code x < 0 ? alpha * x : x}. */
    public static float leakyRelu(float x, float alpha) {
        return x < 0 ? alpha * x : x;
    }

    /** {@code a < b} in the total order with {@code -0.0 < +0.0}; false when either is NaN. */
    private static boolean less(float a, float b) {
        if (a == 0f && b == 0f) {
            return Float.floatToRawIntBits(a) < 0 && Float.floatToRawIntBits(b) == 0;
        }
        return a < b;
    }
}
