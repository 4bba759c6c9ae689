package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.kernels.Scratch;
import dev.lanewise.kernels.internal.ScratchSlots;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.GlobalPool;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.PoolWindow;
import dev.lanewise.nn.conv.ConvAlgorithm;
import dev.lanewise.nn.conv.ConvAlgorithms;
import dev.lanewise.nn.conv.ConvPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Caller-supplied {@link Scratch} for {@link ConvPlan#forward}: the same bits as the thread-local
 * default for every algorithm of {@link ConvAlgorithms} and thread counts 1 and 2, each slot within
 * the plan's {@link ConvPlan#workspaceBytesPerThread()}, no allocation in steady state, no
 * thread-local scratch made on the calling thread, and bad scratch rejected before anything is
 * written. The same for the pooling operators, against their {@code workspaceBytesPerThread}.
 */
class ScratchTest {

    /** General, pointwise, depthwise, grouped and first-layer cases, so that every algorithm supports some. */
    @Provide
    Arbitrary<ConvCase> cases() {
        Arbitrary<ConvCase> general = ConvCase.cases(1, 6, 14);
        return Arbitraries.oneOf(general, general.map(ConvCase::pointwise),
                Combinators.combine(general, Arbitraries.integers().between(2, 12)).as(ConvCase::depthwise),
                Combinators.combine(general, Arbitraries.integers().between(2, 8), Arbitraries.integers().between(2, 9))
                        .as(ConvCase::grouped),
                Combinators.combine(ConvCase.cases(1, 4, 40), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 20)).as(ConvCase::firstLayer));
    }

    @Property(tries = 120)
    void passedInScratchGivesTheDefaultBitsForEveryAlgorithm(@ForAll("cases") ConvCase cc) {
        for (ConvAlgorithm a : ConvAlgorithms.all()) {
            if (a.supports(cc.problem())) {
                Statistics.label("algorithm").collect(a.name());
                assertSameBitsWithScratch(cc, a);
            }
        }
        Statistics.label("algorithm").coverage(c -> {
            for (ConvAlgorithm a : ConvAlgorithms.all()) {
                c.check(a.name()).count(x -> x >= 10);
            }
        });
    }

    /** {@link ConvCase#splitOverThreads()}, each also made pointwise and depthwise, under every algorithm that supports them. */
    @Example
    void passedInScratchGivesTheDefaultBitsWhenItemsAreSplit() {
        ConvCase[] cases = ConvCase.splitOverThreads();
        for (ConvCase template : cases) {
            for (ConvCase cc : new ConvCase[] {template, template.pointwise(), template.depthwise(template.inChannels())}) {
                for (ConvAlgorithm a : ConvAlgorithms.all()) {
                    if (a.supports(cc.problem())) {
                        assertSameBitsWithScratch(cc, a);
                    }
                }
            }
        }
    }

    /**
     * With 1 and 2 threads: the plan's output with fresh scratch of exactly that many slots, and again
     * with the scratch reused, equals the default path's bit for bit, guard zones included; each slot
     * holds at most the plan's workspace per thread.
     */
    private static void assertSameBitsWithScratch(ConvCase cc, ConvAlgorithm a) {
        ConvChecker.Problem pr = ConvChecker.Problem.of(cc);
        Conv2d conv = cc.builder().algorithm(a).build(pr.weights(), pr.bias());
        ConvPlan plan = conv.plan(cc.height(), cc.width());
        int before = Lanewise.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Lanewise.setThreads(threads);
                float[] expected = guarded(pr);
                run(pr, plan, expected, null);
                ScratchSlots scratch = (ScratchSlots) Scratch.forThreads(threads);
                for (int call = 0; call < 2; call++) {
                    float[] got = guarded(pr);
                    run(pr, plan, got, scratch);
                    assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got),
                            a + ", " + threads + " threads, call " + call + ": passed-in scratch differs for " + cc);
                }
                for (int t = 0; t < threads; t++) {
                    long held = scratch.forThread(t).retainedBytes();
                    assertTrue(held <= plan.workspaceBytesPerThread(), a + ", slot " + t + " holds " + held
                            + " bytes > workspaceBytesPerThread " + plan.workspaceBytesPerThread() + " for " + cc);
                }
                assertTrue(scratch.retainedBytes() <= threads * plan.workspaceBytesPerThread(), a + " for " + cc);
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /** An output array for {@code pr}: its offset, the outputs and a tail, all holding the guard value. */
    private static float[] guarded(ConvChecker.Problem pr) {
        float[] out = new float[pr.cc().outputOffset() + pr.expected().length + 17];
        Arrays.fill(out, GemmChecker.GUARD);
        return out;
    }

    /** The plan on {@code pr}'s input (and residual) into {@code out}, with {@code scratch} or, when null, the default. */
    private static void run(ConvChecker.Problem pr, ConvPlan plan, float[] out, Scratch scratch) {
        ConvCase cc = pr.cc();
        if (pr.residual() == null && scratch == null) {
            plan.forward(cc.batch(), pr.input(), cc.inputOffset(), out, cc.outputOffset());
        } else if (pr.residual() == null) {
            plan.forward(cc.batch(), pr.input(), cc.inputOffset(), out, cc.outputOffset(), scratch);
        } else if (scratch == null) {
            plan.forward(cc.batch(), pr.input(), cc.inputOffset(), out, cc.outputOffset(), pr.residual(), cc.residualOffset());
        } else {
            plan.forward(cc.batch(), pr.input(), cc.inputOffset(), out, cc.outputOffset(), pr.residual(), cc.residualOffset(),
                    scratch);
        }
    }

    /** Calls of {@link ConvCase#everyAlgorithm()}'s cases, each with the plan the registry makes for it. */
    private static List<Runnable> callsWithScratch(Scratch scratch) {
        ConvCase[] cases = ConvCase.everyAlgorithm();
        List<Runnable> calls = new ArrayList<>();
        List<String> algorithms = new ArrayList<>();
        for (ConvCase cc : cases) {
            ConvChecker.Problem pr = ConvChecker.Problem.of(cc);
            ConvPlan plan = cc.builder().build(pr.weights(), pr.bias()).plan(cc.height(), cc.width());
            algorithms.add(plan.algorithm().name());
            float[] out = guarded(pr);
            calls.add(() -> run(pr, plan, out, scratch));
        }
        for (ConvAlgorithm a : ConvAlgorithms.all()) {
            assertTrue(algorithms.contains(a.name()), a + " has no case here: " + algorithms);
        }
        return calls;
    }

    /** After warm-up, calls with passed-in scratch allocate nothing (one thread: all work on the measured thread). */
    @Example
    void steadyStateCallsWithScratchAllocateNothing() {
        int before = Lanewise.threads();
        Lanewise.setThreads(1);
        try {
            TestArrays.assertSteadyStateAllocatesNothing(callsWithScratch(Scratch.forThreads(1)).toArray(Runnable[]::new),
                    3_000, 200);
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /**
     * On a new thread, calls with passed-in scratch leave the thread's own workspace empty: all they
     * used came from the scratch; the same calls without scratch on another new thread leave it
     * holding their packed blocks and bands, which shows the check sees it. With 1 and 2 threads.
     */
    @Example
    void callsWithScratchLeaveNoThreadLocalScratchBehind() throws InterruptedException {
        int before = Lanewise.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Lanewise.setThreads(threads);
                Scratch scratch = Scratch.forThreads(threads);
                assertEquals(0, heldByNewThreadAfter(callsWithScratch(scratch)),
                        threads + " threads: bytes of thread-local scratch after calls with passed-in scratch");
                assertTrue(scratch.retainedBytes() > 0, "the calls used the scratch");
                assertTrue(heldByNewThreadAfter(callsWithScratch(null)) > 0, "the default keeps thread-local scratch");
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /** Bytes of thread-local scratch ({@link Workspace#current()}) a new thread holds after running each of {@code calls} once. */
    private static long heldByNewThreadAfter(List<Runnable> calls) throws InterruptedException {
        AtomicLong bytes = new AtomicLong(-1);
        Thread t = new Thread(() -> {
            calls.forEach(Runnable::run);
            bytes.set(Workspace.current().retainedBytes());
        });
        t.start();
        t.join();
        return bytes.get();
    }

    /** Null scratch, scratch with fewer slots than threads and scratch of another kind are rejected, naming it, with the output untouched. */
    @Example
    void badScratchIsRejectedBeforeAnythingIsWritten() {
        ConvCase cc = new ConvCase(1, 1, 16, 16, 12, 12, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                true, ConvCase.Activation.RELU, true, 0, 0, 11);
        ConvChecker.Problem pr = ConvChecker.Problem.of(cc);
        ConvPlan plan = cc.builder().build(pr.weights(), pr.bias()).plan(cc.height(), cc.width());
        Scratch foreign = new Scratch() {
            @Override
            public int threads() {
                return 64;
            }

            @Override
            public long retainedBytes() {
                return 0;
            }
        };
        int before = Lanewise.threads();
        Lanewise.setThreads(2);
        try {
            float[] out = guarded(pr);
            float[] untouched = out.clone();
            for (Scratch bad : new Scratch[] {null, Scratch.forThreads(1), foreign}) {
                Class<? extends RuntimeException> type = bad == null ? NullPointerException.class : IllegalArgumentException.class;
                RuntimeException plain = assertThrows(type,
                        () -> plan.forward(cc.batch(), pr.input(), 0, out, 0, bad));
                RuntimeException withResidual = assertThrows(type,
                        () -> plan.forward(cc.batch(), pr.input(), 0, out, 0, pr.residual(), 0, bad));
                for (RuntimeException e : new RuntimeException[] {plain, withResidual}) {
                    assertTrue(e.getMessage().contains("scratch"), "message names the argument: " + e.getMessage());
                }
                assertArrayEquals(TestArrays.bits(untouched), TestArrays.bits(out), "output written despite " + bad);
            }
            assertThrows(IllegalArgumentException.class, () -> Scratch.forThreads(0));
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /** A pooling call without scratch. */
    private interface PlainCall {
        void run(float[] in, float[] out, long[] indices);
    }

    /** The same pooling call with passed-in scratch. */
    private interface ScratchCall {
        void run(float[] in, float[] out, long[] indices, Scratch scratch);
    }

    /** One pooling operator's call, without and with scratch. */
    private record PoolOp(PlainCall plain, ScratchCall withScratch) {
    }

    /**
     * Max (with and without indices), average (both divisors) and global pooling with passed-in
     * scratch give the default's bits, with 1 and 2 threads, on planes narrower and wider than a
     * vector, strides 1 to 3 with padding, and a call large enough to be split over the threads;
     * each slot holds at most the operators' {@code workspaceBytesPerThread}, and a new thread making
     * the calls with scratch is left with no thread-local scratch.
     */
    @Example
    void poolingWithScratchGivesTheDefaultBits() throws InterruptedException {
        int[][] shapes = {{3, 5, 7, 3, 2, 1}, {2, 3, 40, 37, 3, 2}, {1, 2, 33, 70, 3, 3}, {2, 4, 128, 130, 2, 2}};
        int before = Lanewise.threads();
        try {
            for (int[] shape : shapes) {
                int batch = shape[0];
                int channels = shape[1];
                int h = shape[2];
                int w = shape[3];
                int kernel = shape[4];
                int stride = shape[5];
                PoolWindow window = PoolWindow.of(kernel, kernel).withStrides(stride, stride).withPads(1, 0, 1, 1);
                MaxPool2d max = MaxPool2d.of(window);
                AveragePool2d average = AveragePool2d.of(window, false);
                AveragePool2d averagePadded = AveragePool2d.of(window, true);
                int planes = batch * channels;
                int outPlane = max.outputHeight(h) * max.outputWidth(w);
                PoolOp[] ops = {
                    new PoolOp((in, out, idx) -> max.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane),
                            (in, out, idx, sc) -> max.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane, sc)),
                    new PoolOp((in, out, idx) -> max.forwardWithIndices(batch, channels, h, w, in, 0, h * w, out, 0, outPlane,
                            idx, 0), (in, out, idx, sc) -> max.forwardWithIndices(batch, channels, h, w, in, 0, h * w, out, 0,
                            outPlane, idx, 0, sc)),
                    new PoolOp((in, out, idx) -> average.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane),
                            (in, out, idx, sc) -> average.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane, sc)),
                    new PoolOp((in, out, idx) -> averagePadded.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane),
                            (in, out, idx, sc) -> averagePadded.forward(batch, channels, h, w, in, 0, h * w, out, 0, outPlane,
                                    sc)),
                    new PoolOp((in, out, idx) -> GlobalPool.average(batch, channels, h, w, in, 0, h * w, out, 0),
                            (in, out, idx, sc) -> GlobalPool.average(batch, channels, h, w, in, 0, h * w, out, 0, sc)),
                    new PoolOp((in, out, idx) -> GlobalPool.max(batch, channels, h, w, in, 0, h * w, out, 0),
                            (in, out, idx, sc) -> GlobalPool.max(batch, channels, h, w, in, 0, h * w, out, 0, sc))};
                float[] in = TestArrays.filled((long) planes * h * w, new SplittableRandom(h * 31L + w));
                long bound = max.workspaceBytesPerThread(h, w) + average.workspaceBytesPerThread(h, w)
                        + GlobalPool.WORKSPACE_BYTES_PER_THREAD;
                for (int threads = 1; threads <= 2; threads++) {
                    Lanewise.setThreads(threads);
                    ScratchSlots scratch = (ScratchSlots) Scratch.forThreads(threads);
                    List<Runnable> again = new ArrayList<>();
                    for (int c = 0; c < ops.length; c++) {
                        PoolOp op = ops[c];
                        float[] expected = new float[planes * outPlane + 3];
                        long[] expectedIndices = new long[planes * outPlane];
                        op.plain().run(in, expected, expectedIndices);
                        float[] got = new float[expected.length];
                        long[] gotIndices = new long[expectedIndices.length];
                        op.withScratch().run(in, got, gotIndices, scratch);
                        String what = "pool call " + c + ", shape " + Arrays.toString(shape) + ", " + threads + " threads";
                        assertArrayEquals(TestArrays.bits(expected), TestArrays.bits(got), what);
                        assertArrayEquals(expectedIndices, gotIndices, what);
                        again.add(() -> op.withScratch().run(in, got, gotIndices, scratch));
                    }
                    for (int t = 0; t < threads; t++) {
                        long held = scratch.forThread(t).retainedBytes();
                        assertTrue(held <= bound, "slot " + t + " holds " + held + " bytes > " + bound + " for "
                                + Arrays.toString(shape));
                    }
                    assertEquals(0, heldByNewThreadAfter(again), "pooling with passed-in scratch on a new thread, "
                            + Arrays.toString(shape) + ", " + threads + " threads");
                }
            }
        } finally {
            Lanewise.setThreads(before);
        }
    }
}
