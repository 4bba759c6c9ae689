package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.conv.ConvAlgorithm;
import dev.lanewise.nn.ref.RefConv2d;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs one {@link ConvCase} through {@link Conv2d} and checks it against {@link RefConv2d}, plus the
 * residual, then the activation: every output within the rounding bound of its FMA chain, every
 * other element of the output array (the guard zones before and after) bit-for-bit untouched, and
 * the input and the residual's array (guard zones included) unmodified.
 */
final class ConvChecker {

    private static final int GUARD_ELEMENTS = 29;

    /**
     * Arrays of one case: input (with its offset and guard), weights, bias, the residual (with its
     * offset and guard; null without one), and the output's expected values and bounds.
     */
    record Problem(ConvCase cc, float[] input, float[] weights, float[] bias, float[] residual, float[] expected,
                   float[] bound) {

        /** Random input, weights and bias from the case's seed. */
        static Problem of(ConvCase cc) {
            SplittableRandom random = new SplittableRandom(cc.seed());
            float[] weights = TestArrays.filled((long) cc.outChannels() * cc.depth(), random);
            float[] bias = cc.bias() ? TestArrays.filled(cc.outChannels(), random) : null;
            return of(cc, weights, bias);
        }

        /** Random input from the case's seed, with the given weights and bias (null for none). */
        static Problem of(ConvCase cc, float[] weights, float[] bias) {
            SplittableRandom random = new SplittableRandom(~cc.seed());
            ConvGeometry g = cc.geometry();
            float[] input = TestArrays.filled(cc.inputOffset() + (long) cc.batch() * g.imageSize() + GUARD_ELEMENTS, random);
            int outputs = cc.batch() * cc.outChannels() * g.columns();
            int rOff = cc.residualOffset();
            float[] residual = null;
            if (cc.residual()) {
                residual = new float[rOff + outputs + GUARD_ELEMENTS];
                Arrays.fill(residual, GemmChecker.GUARD);
                System.arraycopy(TestArrays.filled(outputs, random), 0, residual, rOff, outputs);
            }
            float[] expected = new float[outputs];
            RefConv2d.forward(cc.batch(), g, cc.group(), cc.outChannels(), input, cc.inputOffset(), weights, 0, bias, 0,
                    expected, 0);
            for (int i = 0; i < outputs; i++) {
                expected[i] = cc.activate(residual == null ? expected[i] : expected[i] + residual[rOff + i]);
            }
            // The bound of the sum, bias and residual (the activations change no difference by more).
            float[] bound = new float[outputs];
            RefConv2d.forward(cc.batch(), g, cc.group(), cc.outChannels(), TestArrays.abs(input), cc.inputOffset(), TestArrays.abs(weights), 0,
                    bias == null ? null : TestArrays.abs(bias), 0, bound, 0);
            float scale = (cc.depth() + 4) * 0x1p-23f;
            for (int i = 0; i < outputs; i++) {
                float abs = residual == null ? bound[i] : bound[i] + Math.abs(residual[rOff + i]);
                bound[i] = abs * scale + Float.MIN_NORMAL;
            }
            return new Problem(cc, input, weights, bias, residual, expected, bound);
        }

        /** Runs {@code conv} on this problem's input (and residual) into {@code output}. */
        void run(Conv2d conv, float[] output, int outputOffset) {
            if (residual == null) {
                conv.forward(cc.batch(), cc.height(), cc.width(), input, cc.inputOffset(), output, outputOffset);
            } else {
                conv.forward(cc.batch(), cc.height(), cc.width(), input, cc.inputOffset(), output, outputOffset,
                        residual, cc.residualOffset());
            }
        }
    }

    private ConvChecker() {
    }

    /** Builds the plan, runs the case and checks it; returns the output array (guards included). */
    static float[] check(ConvCase cc) {
        Problem pr = Problem.of(cc);
        Conv2d conv = cc.builder().build(pr.weights(), pr.bias());
        return check(pr, conv);
    }

    /** {@link #check(ConvCase)} with every input size computed by {@code algorithm}. */
    static float[] check(ConvCase cc, ConvAlgorithm algorithm) {
        Problem pr = Problem.of(cc);
        Conv2d conv = cc.builder().algorithm(algorithm).build(pr.weights(), pr.bias());
        return check(pr, conv);
    }

    /** Runs {@code conv} on the problem's input and checks the result; returns the output array. */
    static float[] check(Problem pr, Conv2d conv) {
        ConvCase cc = pr.cc();
        float[] input0 = pr.input().clone();
        float[] residual0 = pr.residual() == null ? null : pr.residual().clone();
        float[] out = new float[cc.outputOffset() + pr.expected().length + GUARD_ELEMENTS];
        Arrays.fill(out, GemmChecker.GUARD);
        pr.run(conv, out, cc.outputOffset());
        for (int i = 0; i < out.length; i++) {
            int e = i - cc.outputOffset();
            if (e < 0 || e >= pr.expected().length) {
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(GemmChecker.GUARD)) {
                    fail("guard element " + i + " was written (" + out[i] + "): " + cc);
                }
            } else if (!(Math.abs(out[i] - pr.expected()[e]) <= pr.bound()[e])) {
                fail("output " + e + " = " + out[i] + ", expected " + pr.expected()[e] + " +- " + pr.bound()[e] + ": " + cc);
            }
        }
        if (!Arrays.equals(input0, pr.input())) {
            fail("the input was modified: " + cc);
        }
        if (residual0 != null && !Arrays.equals(TestArrays.bits(residual0), TestArrays.bits(pr.residual()))) {
            fail("the residual's array was written: " + cc);
        }
        return out;
    }

}
