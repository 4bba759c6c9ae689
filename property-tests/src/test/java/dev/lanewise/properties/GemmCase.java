package dev.lanewise.properties;

import dev.lanewise.kernels.internal.GemmConfig;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One generated GEMM call: shape, transposes, scalars, padding of the leading dimensions, offsets,
 * the epilogue, the residual, and the seed of the operands' values.
 *
 * @param ldaPad   extra elements per row of A beyond the row length (lda = row + ldaPad); some
 *                 cases pad rows to a multiple of 1024 floats, 4 KiB, where rows alias in cache
 * @param aOff     index of A's first element (likewise bOff, cOff)
 * @param residual whether the call adds a residual R ({@code m x n}, {@code ldr = n + ldrPad}, from
 *                 {@code rOff} of its own array)
 */
record GemmCase(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta,
                int ldaPad, int ldbPad, int ldcPad, int aOff, int bOff, int cOff,
                EpilogueKind epilogue, boolean residual, int ldrPad, int rOff, long seed) {

    /** The epilogues the properties cycle through. */
    enum EpilogueKind { NONE, RELU, ROW_BIAS_RELU, COLUMN_BIAS_CLAMP, LEAKY_RELU, ROW_BIAS_LEAKY_RELU }

    int lda() {
        return (transA ? m : k) + ldaPad;
    }

    int ldb() {
        return (transB ? k : n) + ldbPad;
    }

    int ldc() {
        return n + ldcPad;
    }

    int ldr() {
        return n + ldrPad;
    }

    GemmCase withBeta(float newBeta) {
        return new GemmCase(m, n, k, transA, transB, alpha, newBeta, ldaPad, ldbPad, ldcPad, aOff, bOff, cOff,
                epilogue, residual, ldrPad, rOff, seed);
    }

    /**
     * Cases for {@code config}: sizes up to about twice the register tile and past one cache
     * block, with the edges of every loop as explicit values (MR +- 1, 2 MR +- 1, vector lanes +- 1,
     * NR +- 1, KC +- 1, MC + 1, NC + 1) so that full tiles and every kind of tail occur.
     */
    static Arbitrary<GemmCase> forConfig(GemmConfig config, int lanes, int maxM, int maxN, int maxK) {
        int mr = config.kernel().mr();
        int nr = config.kernel().nr();
        Arbitrary<Integer> m = size(maxM, edges(1, mr - 1, mr, mr + 1, 2 * mr - 1, 2 * mr, 2 * mr + 1, config.mc() + 1));
        Arbitrary<Integer> n = size(maxN, edges(1, lanes - 1, lanes, lanes + 1, nr - 1, nr, nr + 1, 2 * nr + 1, config.nc() + 1));
        Arbitrary<Integer> k = size(maxK, edges(1, 2, config.kc() - 1, config.kc(), config.kc() + 1, 2 * config.kc() + 1));
        Arbitrary<Float> alpha = Arbitraries.of(1f, -1f, 0.5f, 0f, 1.75f);
        Arbitrary<Float> beta = Arbitraries.of(0f, 1f, -0.5f, 2f);
        // Rows padded to 4 KiB often enough (a quarter of the pads) that the cases which pack such
        // a B (not transposed, k-blocks over 64 rows) come to about 5 % of 250 tries, so that the
        // coverage check cannot miss them (e^-12); at one pad in nine they came to about 2 %, and
        // a run of a test class without one (e^-5) failed the check.
        Arbitrary<Integer> pad = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 17)),
                Tuple.of(3, Arbitraries.just(TO_4_KIB)));
        Arbitrary<Integer> offset = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 33)));
        Arbitrary<Tuple.Tuple3<Integer, Integer, Integer>> shape = Combinators.combine(m, n, k).as(Tuple::of)
                .filter(s -> (long) s.get1() * s.get2() * s.get3() <= 4_000_000L);
        Arbitrary<Tuple.Tuple3<Integer, Integer, Integer>> pads = Combinators.combine(pad, pad, pad).as(Tuple::of);
        Arbitrary<Tuple.Tuple3<Integer, Integer, Integer>> offsets = Combinators.combine(offset, offset, offset).as(Tuple::of);
        Arbitrary<Tuple.Tuple2<Boolean, Boolean>> trans = Combinators.combine(
                Arbitraries.of(false, true), Arbitraries.of(false, true)).as(Tuple::of);
        Arbitrary<Tuple.Tuple2<Float, Float>> scalars = Combinators.combine(alpha, beta).as(Tuple::of);
        // A residual one time in three, so that the identity epilogue (the kernels' register store)
        // still comes up often.
        Arbitrary<Tuple.Tuple3<Boolean, Integer, Integer>> residual = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 17))),
                offset).as(Tuple::of);
        return Combinators.combine(shape, trans, scalars, pads, offsets,
                        Arbitraries.of(EpilogueKind.class), residual, Arbitraries.longs())
                .as((s, t, ab, p, o, e, r, seed) -> {
                    int m1 = s.get1(), n1 = s.get2(), k1 = s.get3();
                    return new GemmCase(m1, n1, k1, t.get1(), t.get2(), ab.get1(), ab.get2(),
                            pad(p.get1(), t.get1() ? m1 : k1), pad(p.get2(), t.get2() ? k1 : n1), pad(p.get3(), n1),
                            o.get1(), o.get2(), o.get3(), e, r.get1(), r.get2(), r.get3(), seed);
                });
    }

    /** Marks a pad that rounds the row up to a multiple of 1024 floats, 4 KiB (see {@link #pad}). */
    private static final int TO_4_KIB = -1;

    /** The pad of a row of {@code row} floats: {@code pad}, or what takes the row to a multiple of 1024 for {@link #TO_4_KIB}. */
    private static int pad(int pad, int row) {
        return pad == TO_4_KIB ? (1024 - row % 1024) % 1024 : pad;
    }

    private static List<Integer> edges(int... values) {
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            if (v >= 1 && !list.contains(v)) {
                list.add(v);
            }
        }
        return list;
    }

    /** Half the time an edge value, else uniform in {@code [1, max]}. */
    private static Arbitrary<Integer> size(int max, List<Integer> edges) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(edges)),
                Tuple.of(1, Arbitraries.integers().between(1, max)));
    }
}
