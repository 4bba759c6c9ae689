package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Sgemm;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of CONVENTIONS.md "Bad input" for {@link Sgemm}: the call throws the documented
 * exception, its message names the argument, and nothing is written (C is compared bit for bit).
 * The residual R is checked like C, and may not overlap C at all (see {@link Sgemm}).
 */
class SgemmBadInputTest {

    /** A call on the shared operands below; C is always {@code c}. */
    @FunctionalInterface
    interface Call {
        void run(float[] a, float[] b, float[] c);
    }

    // A valid baseline: m = n = k = 4, all leading dimensions 4, C 16 elements.
    private static final int N = 4;

    static Stream<Arguments> badCalls() {
        return Stream.of(
                bad("negative m", IllegalArgumentException.class, "m = -1",
                        (a, b, c) -> Sgemm.sgemm(false, false, -1, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N)),
                bad("negative n", IllegalArgumentException.class, "n = -2",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, -2, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N)),
                bad("negative k", IllegalArgumentException.class, "k = -3",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, -3, 1f, a, 0, N, b, 0, N, 0f, c, 0, N)),
                bad("lda shorter than a row of A", IllegalArgumentException.class, "lda = 3",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, 3, b, 0, N, 0f, c, 0, N)),
                bad("lda shorter than a row of A^T", IllegalArgumentException.class, "lda = 2",
                        (a, b, c) -> Sgemm.sgemm(true, false, 3, N, 2, 1f, a, 0, 2, b, 0, N, 0f, c, 0, N)),
                bad("ldb shorter than a row of B", IllegalArgumentException.class, "ldb = 2",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, 2, 0f, c, 0, N)),
                bad("ldb shorter than a row of B^T", IllegalArgumentException.class, "ldb = 3",
                        (a, b, c) -> Sgemm.sgemm(false, true, N, N, N, 1f, a, 0, N, b, 0, 3, 0f, c, 0, N)),
                bad("ldc shorter than a row of C", IllegalArgumentException.class, "ldc = 3",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, 3)),
                bad("ld of zero", IllegalArgumentException.class, "ldc = 0",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, 0, N, 1f, a, 0, N, b, 0, 1, 0f, c, 0, 0)),
                bad("negative offset", IndexOutOfBoundsException.class, "a offset = -1",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, -1, N, b, 0, N, 0f, c, 0, N)),
                bad("A past the end", IndexOutOfBoundsException.class, "a: a 4 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 1, N, b, 0, N, 0f, c, 0, N)),
                bad("B past the end", IndexOutOfBoundsException.class, "b: a 4 x 5 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, 5, N, 1f, a, 0, N, b, 0, 5, 0f, new float[40], 0, 5)),
                bad("C past the end", IndexOutOfBoundsException.class, "c: a 4 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 1, N)),
                bad("extent overflowing int", IndexOutOfBoundsException.class, "a: a 2 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, 2, N, N, 1f, a, 0, Integer.MAX_VALUE, b, 0, N, 0f, c, 0, N)),
                bad("offset past the end", IndexOutOfBoundsException.class, "c offset = 17",
                        (a, b, c) -> Sgemm.sgemm(false, false, 0, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 17, N)),
                bad("null A", NullPointerException.class, "a",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, null, 0, N, b, 0, N, 0f, c, 0, N)),
                bad("null C", NullPointerException.class, "c",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, null, 0, N)),
                bad("null epilogue", NullPointerException.class, "epilogue",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N, null)),
                bad("C overlapping A", IllegalArgumentException.class, "overlaps a",
                        (a, b, c) -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, c, 0, 2, b, 0, 2, 0f, c, 3, 2)),
                bad("C overlapping B", IllegalArgumentException.class, "overlaps b",
                        (a, b, c) -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, c, 4, 2, 0f, c, 5, 2)),
                bad("row bias too short", IndexOutOfBoundsException.class, "bias: 4 values",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.rowBias(new float[3], 0))),
                bad("column bias past the end", IndexOutOfBoundsException.class, "bias: 4 values at offset 2",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.columnBias(new float[5], 2))),
                bad("bias overlapping C", IllegalArgumentException.class, "overlaps bias",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, 2, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, 2,
                                Epilogue.rowBias(c, 4))),
                bad("bias offset out of range", IndexOutOfBoundsException.class, "bias offset = -1",
                        (a, b, c) -> Epilogue.rowBias(c, -1)),
                bad("clamp bounds reversed", IllegalArgumentException.class, "min <= max",
                        (a, b, c) -> Epilogue.clamp(1f, 0f)),
                bad("NaN clamp bound", IllegalArgumentException.class, "min <= max",
                        (a, b, c) -> Epilogue.relu().withClamp(Float.NaN, 1f)),
                bad("LeakyReLU slope not finite", IllegalArgumentException.class, "negativeSlope = NaN",
                        (a, b, c) -> Epilogue.rowBias(c, 0).withLeakyRelu(Float.NaN)),
                bad("null residual", NullPointerException.class, "r",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.NONE, null, 0, N)),
                bad("residual too short", IndexOutOfBoundsException.class, "r: a 4 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.relu(), new float[N * N - 1], 0, N)),
                bad("residual past the end through its offset", IndexOutOfBoundsException.class, "r: a 4 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 1f, c, 0, N,
                                Epilogue.NONE, new float[N * N], 1, N)),
                bad("negative residual offset", IndexOutOfBoundsException.class, "r offset = -1",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.NONE, new float[N * N], -1, N)),
                bad("ldr shorter than a row of R", IllegalArgumentException.class, "ldr = 3",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.NONE, new float[N * N], 0, 3)),
                bad("residual extent overflowing int", IndexOutOfBoundsException.class, "r: a 4 x 4 matrix",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.NONE, new float[N * N], 0, Integer.MAX_VALUE)),
                bad("residual overlapping C", IllegalArgumentException.class, "overlaps r",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, 2, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, 2,
                                Epilogue.relu(), c, 6, 2)),
                bad("residual exactly C", IllegalArgumentException.class, "overlaps r",
                        (a, b, c) -> Sgemm.sgemm(false, false, N, N, N, 1f, a, 0, N, b, 0, N, 1f, c, 0, N,
                                Epilogue.NONE, c, 0, N)),
                bad("residual interleaved with C's rows", IllegalArgumentException.class, "overlaps r",
                        (a, b, c) -> Sgemm.sgemm(false, false, 2, 2, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N,
                                Epilogue.NONE, c, 2, N)));
    }

    private static Arguments bad(String rule, Class<? extends RuntimeException> type, String message, Call call) {
        return Arguments.of(rule, type, message, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void throwsAndWritesNothing(String rule, Class<? extends RuntimeException> type, String message, Call call) {
        float[] a = new float[N * N];
        float[] b = new float[N * N];
        float[] c = new float[N * N];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
        Arrays.fill(c, GemmChecker.GUARD);
        float[] before = c.clone();
        RuntimeException e = assertThrows(type, () -> call.run(a, b, c), rule);
        assertTrue(e.getMessage() != null && e.getMessage().contains(message),
                rule + ": message \"" + e.getMessage() + "\" should contain \"" + message + "\"");
        assertArrayEquals(before, c, rule + ": C was written");
    }
}
