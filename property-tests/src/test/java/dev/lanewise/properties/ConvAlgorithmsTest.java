package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.conv.ConvAlgorithm;
import dev.lanewise.nn.conv.ConvAlgorithms;
import dev.lanewise.nn.conv.ConvPlan;
import dev.lanewise.nn.conv.ConvProblem;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * Every algorithm of {@link ConvAlgorithms}, forced on random problems of its domain, against the
 * naive {@link dev.lanewise.nn.ref.RefConv2d}; the registry's choice; plans and pure shape queries.
 *
 * <p>The algorithms come from the registry itself, and each must be drawn with cases of its domain
 * (a coverage check per name): a newly registered algorithm is tested here without a line changed,
 * and one whose domain the case generator never reaches fails until the generator learns its form.
 */
class ConvAlgorithmsTest {

    /**
     * Per try an algorithm, and a case from its domain: general, pointwise, depthwise, grouped (2 to
     * 12 groups of 2 to 9 channels) or first-layer shapes (1 to 4 channels, 1 to 20 filters, images
     * up to 40 wide: several register blocks of filters and of a row).
     */
    @Provide
    Arbitrary<Tuple2<ConvAlgorithm, ConvCase>> algorithmCases() {
        Arbitrary<ConvCase> general = ConvCase.cases(1, 6, 14);
        Arbitrary<ConvCase> pointwise = general.map(ConvCase::pointwise);
        Arbitrary<ConvCase> depthwise = Combinators.combine(general, Arbitraries.integers().between(2, 20))
                .as(ConvCase::depthwise);
        Arbitrary<ConvCase> grouped = Combinators.combine(general, Arbitraries.integers().between(2, 12),
                Arbitraries.integers().between(2, 9)).as(ConvCase::grouped);
        Arbitrary<ConvCase> firstLayer = Combinators.combine(ConvCase.cases(1, 4, 40), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 20)).as(ConvCase::firstLayer);
        Arbitrary<ConvCase> any = Arbitraries.oneOf(general, pointwise, depthwise, grouped, firstLayer);
        return Arbitraries.of(ConvAlgorithms.all())
                .flatMap(a -> any.filter(cc -> a.supports(cc.problem())).map(cc -> Tuple.of(a, cc)));
    }

    @Property(tries = 600)
    void everyAlgorithmMatchesTheReferenceOverItsDomain(@ForAll("algorithmCases") Tuple2<ConvAlgorithm, ConvCase> t) {
        ConvAlgorithm algorithm = t.get1();
        ConvCase cc = t.get2();
        Statistics.label("algorithm").collect(algorithm.name());
        Statistics.label("algorithm").coverage(c -> {
            for (ConvAlgorithm a : ConvAlgorithms.all()) {
                c.check(a.name()).count(x -> x >= 600 / ConvAlgorithms.all().size() / 3);
            }
        });
        ConvChecker.check(cc, algorithm);
    }

    /**
     * Each algorithm's results do not depend on the thread count: layers whose work is split inside
     * each item (one image, several k-blocks and column panels), across images (a batch) and across
     * groups, each also made pointwise and depthwise, under every algorithm that supports them;
     * 1, 2, 3 and 4 threads give the same bits.
     */
    @Example
    void everyAlgorithmIsBitIdenticalForAnyThreadCount() {
        ConvCase[] cases = ConvCase.splitOverThreads();
        int before = Lanewise.threads();
        try {
            for (ConvCase template : cases) {
                for (ConvCase cc : new ConvCase[] {template, template.pointwise(), template.depthwise(template.inChannels())}) {
                    for (ConvAlgorithm a : ConvAlgorithms.all()) {
                        if (!a.supports(cc.problem())) {
                            continue;
                        }
                        Lanewise.setThreads(1);
                        float[] single = ConvChecker.check(cc, a);
                        for (int threads : new int[] {2, 3, 4}) {
                            Lanewise.setThreads(threads);
                            assertArrayEquals(single, ConvChecker.check(cc, a),
                                    a + ": " + threads + " threads differ from 1 for " + cc);
                        }
                    }
                }
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    @Example
    void theChoiceIsTheFirstAlgorithmThatSupportsAndSuits() {
        ConvGeometry pointwise = ConvGeometry.of(64, 56, 56, 1, 1, 1, 0);
        ConvGeometry strided = ConvGeometry.of(64, 56, 56, 1, 1, 2, 0);
        ConvGeometry threeByThree = ConvGeometry.of(64, 56, 56, 3, 3, 1, 1);
        assertEquals("pointwise-gemm", ConvAlgorithms.choose(new ConvProblem(64, 256, 1, pointwise)).name());
        assertEquals("im2col-gemm", ConvAlgorithms.choose(new ConvProblem(64, 256, 1, strided)).name());
        assertEquals("im2col-gemm", ConvAlgorithms.choose(new ConvProblem(64, 64, 1, threeByThree)).name());
        ConvGeometry depthwise = ConvGeometry.of(1, 112, 112, 3, 3, 2, 1);
        assertEquals("depthwise-direct", ConvAlgorithms.choose(new ConvProblem(32, 32, 32, depthwise)).name());
        assertEquals("depthwise-direct", ConvAlgorithms.choose(new ConvProblem(32, 64, 32, depthwise)).name());
        ConvProblem resnext = new ConvProblem(128, 128, 32, ConvGeometry.of(4, 56, 56, 3, 3, 1, 1));
        ConvProblem stem = new ConvProblem(3, 64, 1, ConvGeometry.of(3, 224, 224, 7, 7, 2, 3));
        assertEquals("direct", ConvAlgorithms.choose(resnext).name());
        assertEquals("direct", ConvAlgorithms.choose(stem).name());
        for (ConvProblem p : new ConvProblem[] {new ConvProblem(64, 256, 1, pointwise),
                new ConvProblem(64, 64, 1, threeByThree), resnext, stem}) {
            ConvAlgorithm chosen = ConvAlgorithms.choose(p);
            for (ConvAlgorithm a : ConvAlgorithms.all()) {
                if (a == chosen) {
                    break;
                }
                assertTrue(!a.supports(p) || !a.suits(p), a + " comes first and would take " + p);
            }
        }
        assertEquals("im2col-gemm", ConvAlgorithms.all().get(ConvAlgorithms.all().size() - 1).name(),
                "the algorithm of last resort comes last");
    }

    @Example
    void namesAreUniqueAndResolve() {
        Set<String> names = new HashSet<>();
        for (ConvAlgorithm a : ConvAlgorithms.all()) {
            assertTrue(names.add(a.name()), "two algorithms called " + a.name());
            assertEquals(a, ConvAlgorithms.named(a.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvAlgorithms.named("winograd"));
        assertTrue(e.getMessage().contains("im2col-gemm"), e.getMessage());
    }

    /** A forced algorithm that does not support an input size is rejected when the size is planned, before any write. */
    @Example
    void aForcedAlgorithmOutsideItsDomainIsRejected() {
        Conv2d conv = Conv2d.pytorch(4, 4, 3, 1, 1, 1, 1).algorithm(ConvAlgorithms.named("pointwise-gemm"))
                .build(new float[4 * 4 * 9], null);
        float[] out = new float[4 * 8 * 8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(1, 8, 8, new float[4 * 8 * 8], 0, out, 0));
        assertTrue(e.getMessage().contains("pointwise-gemm"), e.getMessage());
        for (float v : out) {
            assertEquals(0f, v);
        }
    }

    /**
     * Shape queries are pure: they agree with the plan's output size, allocate nothing, and do not
     * replace the plan of the size being run.
     */
    @Example
    void shapeQueriesArePureAndAllocateNothing() {
        Conv2d conv = Conv2d.builder(8, 16, 3, 5).strides(2, 1).dilations(1, 2).pads(1, 0, 2, 3)
                .build(new float[16 * 8 * 15], null);
        ConvPlan plan = conv.plan(20, 17);
        assertEquals(plan.outputHeight(), conv.outputHeight(20));
        assertEquals(plan.outputWidth(), conv.outputWidth(17));
        Runnable[] queries = {() -> conv.outputHeight(33), () -> conv.outputWidth(9), () -> conv.outputHeight(20)};
        TestArrays.assertSteadyStateAllocatesNothing(queries, 2_000, 1_000);
        assertTrue(plan == conv.plan(20, 17), "a shape query replaced the plan of the size in use");
        for (AutoPad autoPad : AutoPad.values()) {
            Conv2d same = Conv2d.builder(3, 3, 4, 3).strides(3, 2).dilations(2, 1).autoPad(autoPad)
                    .build(new float[3 * 3 * 12], null);
            for (int size = 7; size < 30; size += 5) {
                ConvPlan p = same.plan(size, size + 1);
                assertEquals(p.outputHeight(), same.outputHeight(size), autoPad + " height " + size);
                assertEquals(p.outputWidth(), same.outputWidth(size + 1), autoPad + " width " + (size + 1));
            }
        }
    }

    /** Each plan's workspace stays within the layer's documented per-thread bound, for small and large images. */
    @Example
    void plansReportWorkspaceWithinTheBound() {
        for (ConvAlgorithm a : ConvAlgorithms.all()) {
            for (int kernel : new int[] {1, 3}) {
                for (int side : new int[] {7, 56, 900}) {
                    int pad = kernel / 2;
                    ConvProblem p = new ConvProblem(32, 32, 1, ConvGeometry.of(32, side, side, kernel, kernel, 1, pad));
                    if (!a.supports(p)) {
                        continue;
                    }
                    Conv2d conv = Conv2d.pytorch(32, 32, kernel, 1, pad, 1, 1).algorithm(a)
                            .build(new float[32 * 32 * kernel * kernel], null);
                    long bytes = conv.plan(side, side).workspaceBytesPerThread();
                    assertTrue(bytes > 0 && bytes <= Conv2d.workspaceBytesPerThread(), a + ", kernel " + kernel + ", side "
                            + side + ": " + bytes + " bytes, bound " + Conv2d.workspaceBytesPerThread());
                }
            }
        }
    }
}
