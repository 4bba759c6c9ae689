package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.PoolWindow;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link AutoPad}'s pads: known answers worked out from ONNX's {@code pad_shape} formula (and the
 * pads of ONNX's backend tests), and over random axes the properties that make SAME "same": the
 * pads sum to the formula's total, differ by at most one cell with the odd one where the constant
 * says, and give {@code ceil(n / s)} outputs in floor and ceil mode; VALID gives ONNX's VALID size.
 */
class AutoPadTest {

    /** {@code {begin, end}} of {@code autoPad} along an axis of {@code n} with kernel {@code k}, stride {@code s}, dilation {@code d}. */
    private static int[] pads(AutoPad autoPad, int n, int k, int s, int d) {
        return new int[] {autoPad.padBegin(0, n, k, s, d), autoPad.padEnd(0, n, k, s, d)};
    }

    private static void assertPads(AutoPad autoPad, int n, int k, int s, int d, int begin, int end) {
        int[] p = pads(autoPad, n, k, s, d);
        String what = autoPad + " n " + n + " k " + k + " s " + s + " d " + d;
        assertEquals(begin, p[0], "begin pad of " + what);
        assertEquals(end, p[1], "end pad of " + what);
    }

    /**
     * total = max(0, (ceil(n / s) - 1) s + (k - 1) d + 1 - n):
     * n 5, k 3, s 2: (3 - 1) 2 + 3 - 5 = 2, split (1, 1) both ways (ONNX's test_maxpool_2d_precomputed_same_upper);
     * n 4, k 3, s 2: (2 - 1) 2 + 3 - 4 = 1, UPPER (0, 1), LOWER (1, 0);
     * n 32, k 2, s 1: 31 + 2 - 32 = 1 (ONNX's test_maxpool_2d_same_upper / _lower);
     * n 6, k 3, s 2: 2 * 2 + 3 - 6 = 1;
     * n 7, k 3, s 3: 2 * 3 + 3 - 7 = 2;
     * n 5, k 3, s 1, d 2: 4 + 5 - 5 = 4, (2, 2);
     * n 6, k 2, s 1, d 3: 5 + 4 - 6 = 3, UPPER (1, 2), LOWER (2, 1);
     * n 5, k 1, s 3: 3 + 1 - 5 = -1, clamped to 0;
     * n 1, k 5, s 1: 0 + 5 - 1 = 4.
     */
    @Example
    void samePadsOfKnownAxes() {
        assertPads(AutoPad.SAME_UPPER, 5, 3, 2, 1, 1, 1);
        assertPads(AutoPad.SAME_LOWER, 5, 3, 2, 1, 1, 1);
        assertPads(AutoPad.SAME_UPPER, 4, 3, 2, 1, 0, 1);
        assertPads(AutoPad.SAME_LOWER, 4, 3, 2, 1, 1, 0);
        assertPads(AutoPad.SAME_UPPER, 32, 2, 1, 1, 0, 1);
        assertPads(AutoPad.SAME_LOWER, 32, 2, 1, 1, 1, 0);
        assertPads(AutoPad.SAME_UPPER, 6, 3, 2, 1, 0, 1);
        assertPads(AutoPad.SAME_UPPER, 7, 3, 3, 1, 1, 1);
        assertPads(AutoPad.SAME_UPPER, 5, 3, 1, 2, 2, 2);
        assertPads(AutoPad.SAME_UPPER, 6, 2, 1, 3, 1, 2);
        assertPads(AutoPad.SAME_LOWER, 6, 2, 1, 3, 2, 1);
        assertPads(AutoPad.SAME_UPPER, 5, 1, 3, 1, 0, 0);
        assertPads(AutoPad.SAME_LOWER, 5, 1, 3, 1, 0, 0);
        assertPads(AutoPad.SAME_UPPER, 1, 5, 1, 1, 2, 2);
    }

    /** VALID pads nothing; NOTSET returns the explicit pads it is given. */
    @Example
    void validAndNotSet() {
        assertPads(AutoPad.VALID, 5, 3, 2, 1, 0, 0);
        assertPads(AutoPad.VALID, 4, 3, 1, 2, 0, 0);
        assertEquals(3, AutoPad.NOTSET.padBegin(3, 5, 3, 2, 1));
        assertEquals(7, AutoPad.NOTSET.padEnd(7, 5, 3, 2, 1));
        assertEquals(0, AutoPad.SAME_UPPER.padBegin(9, 5, 1, 1, 1), "an explicit pad is ignored by SAME");
        assertEquals(0, AutoPad.VALID.padEnd(9, 5, 3, 1, 1), "an explicit pad is ignored by VALID");
    }

    @Example
    void badArgumentsAreRejected() {
        for (AutoPad a : AutoPad.values()) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.padBegin(-1, 5, 3, 1, 1)).getMessage()
                    .contains("explicitPad"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.padEnd(0, 0, 3, 1, 1)).getMessage()
                    .contains("size"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.padBegin(0, 5, 0, 1, 1)).getMessage()
                    .contains("kernel"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.padEnd(0, 5, 3, 0, 1)).getMessage()
                    .contains("stride"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.padBegin(0, 5, 3, 1, -2)).getMessage()
                    .contains("dilation"));
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AutoPad.SAME_UPPER.padBegin(0, 1, 1 << 20, 1, 1 << 12)).getMessage().contains("Integer.MAX_VALUE"));
    }

    /**
     * SAME's pads sum to the total, split with the odd cell at the end (UPPER) or the start (LOWER),
     * and over them the window rule of {@link PoolWindow} (floor and ceil mode) gives {@code ceil(n / s)}
     * outputs; a window with the auto_pad says the same and resolves to those pads. VALID's size is
     * ONNX's {@code ceil((n - e + 1) / s)} in both modes.
     */
    @Property(tries = 2000)
    void sameGivesCeilOfSizeOverStride(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 1, max = 9) int k,
                                       @ForAll @IntRange(min = 1, max = 5) int s, @ForAll @IntRange(min = 1, max = 4) int d,
                                       @ForAll boolean ceilMode) {
        int extent = (k - 1) * d + 1;
        int total = Math.max(0, ((n + s - 1) / s - 1) * s + extent - n);
        int[] upper = pads(AutoPad.SAME_UPPER, n, k, s, d);
        int[] lower = pads(AutoPad.SAME_LOWER, n, k, s, d);
        assertEquals(total, upper[0] + upper[1]);
        assertEquals(total / 2, upper[0]);
        assertEquals(upper[1], lower[0]);
        assertEquals(upper[0], lower[1]);
        Statistics.label("total pad").collect(total == 0 ? "0" : total % 2 == 1 ? "odd" : "even");
        Statistics.label("total pad").coverage(c -> {
            c.check("0").count(x -> x > 0);
            c.check("odd").count(x -> x > 0);
            c.check("even").count(x -> x > 0);
        });
        for (AutoPad a : new AutoPad[] {AutoPad.SAME_UPPER, AutoPad.SAME_LOWER, AutoPad.VALID}) {
            PoolWindow window = PoolWindow.of(k, 1).withDilations(d, 1).withStrides(s, 1).withCeilMode(ceilMode)
                    .withAutoPad(a);
            if (a == AutoPad.VALID && n < extent) {
                assertThrows(IllegalArgumentException.class, () -> window.outputHeight(n));
                continue;
            }
            int expected = a == AutoPad.VALID ? (n - extent + 1 + s - 1) / s : (n + s - 1) / s;
            assertEquals(expected, window.outputHeight(n), window + " over " + n);
            int[] p = pads(a, n, k, s, d);
            PoolWindow resolved = window.resolve(n, 1);
            assertEquals(AutoPad.NOTSET, resolved.autoPad());
            assertEquals(p[0], resolved.padTop());
            assertEquals(p[1], resolved.padBottom());
            if (a != AutoPad.VALID) {
                for (boolean ceil : new boolean[] {false, true}) {
                    assertEquals(expected, resolved.withCeilMode(ceil).outputHeight(n),
                            "the SAME pads in " + (ceil ? "ceil" : "floor") + " mode over " + n + ": " + resolved);
                }
            }
        }
    }
}
