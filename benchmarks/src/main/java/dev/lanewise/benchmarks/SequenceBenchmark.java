package dev.lanewise.benchmarks;

import dev.lanewise.kernels.Lanewise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stability benchmark: one JVM runs lanewise's single-threaded SGEMM on each ResNet-50 GEMM
 * shape of {@link #SHAPES} in turn, each for the same fixed time, then the whole sequence again. A
 * network runs its layers so, one process for all of them, while {@link GemmBenchmark} gives each
 * shape a JVM of its own; on the second pass every shape should run at its standalone speed. What
 * would keep it below: code that C2 compiled for one shape and a later shape makes it recompile or
 * deoptimise, profiles polluted by the other shapes, state left behind by an earlier call.
 *
 * <p>Every call is timed on its own (one takes 1 to 10 ms on these shapes, far above the timer's
 * resolution); a shape's figure in a pass is its median call over the second half of its time, the
 * first half being the shape's warm-up, as GFLOP/s ({@code 2 m n k / time}). Operands come from the
 * fixed seeds of {@link GemmOperands}, and each shape's output is checked once against the reference
 * before the first pass; a mismatch fails the run.
 *
 * <p>The suite starts it in a JVM of its own, configured as the benchmark forks ({@link BenchmarkJvm}):
 * {@code java ... dev.lanewise.benchmarks.SequenceBenchmark SECONDS_PER_SHAPE FILE} writes the
 * {@link Run} as JSON to FILE ({@value #JSON} in the results folder), which the {@link Report} shows
 * next to the standalone figures.
 */
final class SequenceBenchmark {

    /** The results folder's file of the run. */
    static final String JSON = "sequence.json";

    /**
     * ResNet-50's convolutions lowered to GEMM, from the 7x7 stem to the 3x3 layers of each stage and
     * a 1x1 reduction, and its classifier at batch 256, in the order a forward pass meets them.
     */
    static final List<String> SHAPES = List.of("r50_conv1", "r50_3x3_56", "r50_3x3_28", "r50_3x3_14", "r50_3x3_7",
            "r50_1x1_56", "r50_fc_b256");

    /**
     * One shape's rates in the two passes, GFLOP/s.
     *
     * @param shape a GEMM shape of {@code gemm-shapes.csv}
     */
    record ShapeRates(String shape, double pass1, double pass2) { }

    /**
     * A run of the sequence: the time each shape ran in a pass, and each shape's rates in sequence order.
     */
    record Run(double secondsPerShape, List<ShapeRates> shapes) {

        Run {
            shapes = List.copyOf(shapes);
        }
    }

    private SequenceBenchmark() {
    }

    /** {@code args}: the seconds each shape runs in a pass, and the file that receives the {@link Run}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SequenceBenchmark SECONDS_PER_SHAPE FILE");
        }
        Run run = run(Double.parseDouble(args[0]));
        Files.writeString(Path.of(args[1]), Report.GSON.toJson(run));
    }

    /** Runs the sequence twice, each shape for {@code secondsPerShape}, on one thread. */
    static Run run(double secondsPerShape) {
        Lanewise.setThreads(1);
        List<GemmOperands> operands = new ArrayList<>();
        for (String name : SHAPES) {
            GemmOperands o = GemmOperands.of(GemmShape.named(name));
            o.lanewise();
            o.validate("lanewise " + name + " in the sequence", o.c());
            operands.add(o);
        }
        long nanosPerShape = Math.round(secondsPerShape * 1e9);
        double[][] rates = new double[2][SHAPES.size()];
        for (double[] pass : rates) {
            for (int i = 0; i < pass.length; i++) {
                GemmOperands o = operands.get(i);
                pass[i] = o.shape().flops() / medianCallNanos(o, nanosPerShape);
            }
        }
        List<ShapeRates> shapes = new ArrayList<>();
        for (int i = 0; i < SHAPES.size(); i++) {
            shapes.add(new ShapeRates(SHAPES.get(i), rates[0][i], rates[1][i]));
        }
        return new Run(secondsPerShape, shapes);
    }

    /**
     * Calls lanewise on {@code o} for {@code nanos} (at least once) and returns the median time of the
     * calls that started in the second half of that time (the last call where none did).
     */
    private static double medianCallNanos(GemmOperands o, long nanos) {
        long start = System.nanoTime();
        long secondHalf = start + nanos / 2;
        long[] times = new long[1024];
        int count = 0;
        long end;
        do {
            long begin = System.nanoTime();
            o.lanewise();
            end = System.nanoTime();
            if (begin >= secondHalf || end - start >= nanos) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, 2 * count);
                }
                times[count++] = end - begin;
            }
        } while (end - start < nanos);
        Arrays.sort(times, 0, count);
        return count % 2 == 1 ? times[count / 2] : (times[count / 2 - 1] + times[count / 2]) / 2.0;
    }
}
