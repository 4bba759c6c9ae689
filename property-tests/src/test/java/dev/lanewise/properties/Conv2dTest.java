package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Lanewise;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.Workspace;
import dev.lanewise.nn.AutoPad;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.conv.ConvAlgorithms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link Conv2d} against the naive {@link dev.lanewise.nn.ref.RefConv2d} over random shapes and
 * options, and its promises about threads and memory: bit-identical results for any thread count,
 * concurrent callers of one plan, no allocation in steady state, and a workspace that stays under
 * its bound however large the image.
 */
class Conv2dTest {

    /** Up to 8 channels per group: ungrouped layers of more than 4 channels take the implicit im2col, the rest the direct kernel. */
    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.cases(1, 8, 14);
    }

    /**
     * Enough channels that kernels of 3x3 and up need several k-blocks of the configuration in use,
     * and images wide enough for many B panels per row.
     */
    @Provide
    Arbitrary<ConvCase> deepCases() {
        int kc = Providers.current().gemm().kc();
        return ConvCase.cases(kc / 9 + 1, kc / 9 + 16, 22);
    }

    @Property(tries = 400)
    void matchesReference(@ForAll("cases") ConvCase cc) {
        collectCoverage(cc);
        ConvChecker.check(cc);
    }

    @Property(tries = 12, edgeCases = EdgeCasesMode.NONE)
    void matchesReferenceOnDeepLayers(@ForAll("deepCases") ConvCase cc) {
        Statistics.label("k blocks").collect(cc.depth() > Providers.current().gemm().kc() ? "several" : "one");
        Statistics.label("k blocks").coverage(c -> c.check("several").count(x -> x > 0));
        ConvChecker.check(cc);
    }

    private static void collectCoverage(ConvCase cc) {
        int[] p = cc.resolvedPads();
        Statistics.label("kernel").collect(cc.kernelHeight() == cc.kernelWidth() ? "square" : "non-square");
        Statistics.label("stride").collect(cc.strideHeight() == 1 && cc.strideWidth() == 1 ? "1" : "> 1");
        Statistics.label("dilation").collect(cc.dilationHeight() == 1 && cc.dilationWidth() == 1 ? "1" : "> 1");
        Statistics.label("pads").collect(Arrays.stream(p).allMatch(x -> x == 0) ? "none"
                : p[0] == p[2] && p[1] == p[3] ? "symmetric" : "asymmetric");
        Statistics.label("groups").collect(cc.group() == 1 ? "1" : cc.depthwise() ? "depthwise" : "grouped");
        Statistics.label("auto_pad").collect(cc.autoPad().name());
        Statistics.label("bias").collect(cc.bias() ? "bias" : "no bias");
        Statistics.label("activation").collect(cc.activation().name());
        Statistics.label("residual").collect(cc.residual() ? "residual" : "none");
        Statistics.label("batch").collect(cc.batch() == 1 ? "1" : "> 1");
        Statistics.label("algorithm").collect(ConvAlgorithms.choose(cc.problem()).name());
        Statistics.label("kernel").coverage(c -> c.check("non-square").count(x -> x > 0));
        Statistics.label("stride").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("dilation").coverage(c -> c.check("> 1").count(x -> x > 0));
        Statistics.label("pads").coverage(c -> {
            c.check("none").count(x -> x > 0);
            c.check("symmetric").count(x -> x > 0);
            c.check("asymmetric").count(x -> x > 0);
        });
        Statistics.label("groups").coverage(c -> {
            c.check("1").count(x -> x > 0);
            c.check("grouped").count(x -> x > 0);
            c.check("depthwise").count(x -> x > 0);
        });
        Statistics.label("auto_pad").coverage(c -> {
            c.check("SAME_UPPER").count(x -> x > 0);
            c.check("SAME_LOWER").count(x -> x > 0);
            c.check("VALID").count(x -> x > 0);
        });
        Statistics.label("bias").coverage(c -> c.check("no bias").count(x -> x > 0));
        Statistics.label("residual").coverage(c -> {
            c.check("residual").count(x -> x > 0);
            c.check("none").count(x -> x > 0);
        });
        Statistics.label("activation").coverage(c -> {
            c.check("LEAKY_RELU").count(x -> x > 0);
            c.check("RELU").count(x -> x > 0);
            c.check("CLAMP").count(x -> x > 0);
        });
        Statistics.label("algorithm").coverage(c -> {
            c.check("pointwise-gemm").count(x -> x > 0);
            c.check("im2col-gemm").count(x -> x > 0);
            c.check("direct").count(x -> x > 0);
        });
    }

    @Example
    void concurrentCallersOfOnePlanAllGetCorrectResults() throws Exception {
        ConvCase template = new ConvCase(1, 1, 12, 20, 19, 23, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1},
                AutoPad.NOTSET, true, ConvCase.Activation.RELU, false, 0, 0, 0);
        ConvChecker.Problem first = ConvChecker.Problem.of(template);
        Conv2d shared = template.builder().build(first.weights(), first.bias());
        TestArrays.onConcurrentCallers(8, random -> {
            for (int call = 0; call < 30; call++) {
                // The plan's weights, a new input and image size each call.
                ConvCase cc = new ConvCase(1 + random.nextInt(2), 1, 12, 20, 3 + random.nextInt(30),
                        3 + random.nextInt(30), 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, AutoPad.NOTSET,
                        true, ConvCase.Activation.RELU, false, random.nextInt(4), random.nextInt(4), random.nextLong());
                ConvChecker.check(ConvChecker.Problem.of(cc, first.weights(), first.bias()), shared);
            }
        });
    }

    /**
     * After warm-up, calls allocate nothing (single-threaded, so all work is on the measured
     * thread): the implicit im2col, the pointwise path, a strided grouped layer on a batch and a
     * strided first layer of several filter blocks (both direct), and a strided depthwise layer with
     * two filters per channel; with residuals and LeakyReLU.
     */
    @Example
    void steadyStateCallsAllocateNothing() {
        ConvCase[] cases = ConvCase.everyAlgorithm();
        Runnable[] calls = new Runnable[cases.length];
        for (int i = 0; i < cases.length; i++) {
            ConvCase cc = cases[i];
            ConvChecker.Problem pr = ConvChecker.Problem.of(cc);
            Conv2d conv = cc.builder().build(pr.weights(), pr.bias());
            float[] out = new float[pr.expected().length];
            calls[i] = () -> pr.run(conv, out, 0);
        }
        int before = Lanewise.threads();
        Lanewise.setThreads(1);
        try {
            TestArrays.assertSteadyStateAllocatesNothing(calls, 3_000, 201);
        } finally {
            Lanewise.setThreads(before);
        }
    }

    /**
     * The column matrix is never materialised: after a layer whose column matrix would take
     * {@code 9 * C * H * W * 4} bytes (up to about 2.4 GB here), the workspace of the thread that
     * did all the work holds no more than the documented bound, and the outputs are right (checked
     * at sampled pixels against the formula). {@link #columnMatrixOfGigabytesRunsInASmallHeap} shows
     * the same with the heap itself.
     */
    @Property(tries = 4)
    void workspaceStaysUnderItsBoundForLargeImages(@ForAll @IntRange(min = 8, max = 64) int channels,
                                                   @ForAll @IntRange(min = 300, max = 1024) int side) {
        SplittableRandom random = new SplittableRandom(channels * 7919L + side);
        int outChannels = 2;
        float[] weights = TestArrays.filled((long) outChannels * channels * 9, random);
        Conv2d conv = Conv2d.pytorch(channels, outChannels, 3, 1, 1, 1, 1).build(weights, null);
        float[] input = TestArrays.filled((long) channels * side * side, random);
        float[] output = new float[outChannels * side * side];
        long columnMatrixBytes = 9L * channels * side * side * Float.BYTES;
        int before = Lanewise.threads();
        Lanewise.setThreads(1);
        try {
            conv.forward(1, side, side, input, 0, output, 0);
        } finally {
            Lanewise.setThreads(before);
        }
        long retained = Workspace.current().retainedBytes();
        Statistics.label("column matrix").collect(columnMatrixBytes >= 1L << 30 ? ">= 1 GiB" : "< 1 GiB");
        assertTrue(retained <= Conv2d.workspaceBytesPerThread(), "workspace " + retained + " bytes > bound "
                + Conv2d.workspaceBytesPerThread() + " after a column matrix of " + columnMatrixBytes + " bytes");
        for (int sample = 0; sample < 50; sample++) {
            int k = random.nextInt(outChannels);
            int y = random.nextInt(side);
            int x = random.nextInt(side);
            double sum = 0;
            double abs = 0;
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s < 3; s++) {
                        int iy = y + r - 1;
                        int ix = x + s - 1;
                        if (iy >= 0 && iy < side && ix >= 0 && ix < side) {
                            double t = (double) weights[(k * channels + c) * 9 + r * 3 + s] * input[(c * side + iy) * side + ix];
                            sum += t;
                            abs += Math.abs(t);
                        }
                    }
                }
            }
            float got = output[(k * side + y) * side + x];
            assertTrue(Math.abs(got - sum) <= (channels * 9 + 4) * 0x1p-23 * abs + Float.MIN_NORMAL,
                    "output (" + k + ", " + y + ", " + x + ") = " + got + ", expected " + sum);
        }
    }

    /**
     * A 64-channel 1400 x 1400 image through a 3x3 convolution: its column matrix would be 4.5 GB.
     * A JVM with a 700 MB heap (the input alone is 500 MB) runs it: {@link BigConvolution}.
     */
    @Example
    void columnMatrixOfGigabytesRunsInASmallHeap() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx700m", "-Xss4m",
                // G1 whatever the CPU count: on one CPU the JVM would pick the serial collector, whose
                // old generation (two thirds of the heap) cannot take the 500 MB input array.
                "-XX:+UseG1GC"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BigConvolution.class.getName(), "64", "1400"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "the child JVM failed:\n" + log);
        assertTrue(log.contains("column matrix 4515 MB"), log);
    }
}
