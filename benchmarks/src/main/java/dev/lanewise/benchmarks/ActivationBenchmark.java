package dev.lanewise.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.Activation;
import dev.lanewise.nn.ref.RefActivations;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ReLU out of place, {@code y[i] = max(x[i], 0)} over a whole NCHW tensor, by implementation, tensor
 * ({@link ActivationTensor}: {@code l2} fits the L2 cache, {@code dram} exceeds the L3) and thread
 * count. Time per call; the suite turns it into GB/s, every element read once and written once
 * ({@link ActivationTensor#bytes()}) over the time.
 *
 * <ul>
 *   <li>{@code lanewise}: {@link Activation#relu()}{@code .apply(x, 0, y, 0, n)} on heap arrays, on
 *       {@code threads} threads.</li>
 *   <li>{@code onnxruntime}: ONNX Runtime's CPU provider on a one-node {@code Relu} model
 *       ({@link OnnxModel#relu}) with all graph optimisations, on {@code threads} intra-op threads,
 *       reading and writing direct buffers made in setup ({@link OnnxRuntime.PinnedSession}).</li>
 *   <li>{@code ref}: {@link RefActivations#relu} in a plain loop, one thread.</li>
 *   <li>{@code copy}: the memory baseline, one thread: {@code System.arraycopy} of the same
 *       {@code n} floats from the input array to the output array, the same bytes read and written
 *       as ReLU's.</li>
 * </ul>
 * The input comes from a fixed seed, half of it negative. Setup runs each implementation once and
 * checks every element of its output against {@link RefActivations#relu}, bit for bit (the copy:
 * against its input); a mismatch fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ActivationBenchmark {

    @Param({"lanewise", "onnxruntime", "ref", "copy"})
    public String impl;

    @Param({"l2", "dram"})
    public String tensor;

    @Param({"1", "2"})
    public int threads;

    private BenchmarkCall call;
    private Supplier<float[]> result;
    /** The {@code onnxruntime} implementation's session, closed after the trial. */
    private OnnxRuntime.PinnedSession ortSession;

    @Setup
    public void setup() throws OrtException {
        ActivationTensor t = ActivationTensor.named(tensor);
        int n = t.elements();
        float[] input = GemmBenchmark.random(n, 1);
        float[] output = new float[n];
        switch (impl) {
            case "lanewise" -> {
                Lanewise.setThreads(threads);
                Activation relu = Activation.relu();
                call = () -> relu.apply(input, 0, output, 0, n);
                result = () -> output;
            }
            case "onnxruntime" -> {
                long[] shape = {t.batch(), t.channels(), t.height(), t.width()};
                byte[] model = OnnxModel.relu(t.batch(), t.channels(), t.height(), t.width());
                ortSession = new OnnxRuntime.PinnedSession(model, OptLevel.ALL_OPT, threads, input, shape, shape);
                call = ortSession::run;
                result = ortSession::output;
            }
            case "ref" -> {
                call = () -> {
                    for (int i = 0; i < n; i++) {
                        output[i] = RefActivations.relu(input[i]);
                    }
                };
                result = () -> output;
            }
            case "copy" -> {
                call = () -> System.arraycopy(input, 0, output, 0, n);
                result = () -> output;
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        call.run();
        String what = impl + " " + tensor;
        if (impl.equals("copy")) {
            Validation.checkCopy(what, input, result.get());
        } else {
            Validation.checkRelu(what, input, result.get());
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (ortSession != null) {
            ortSession.close();
        }
    }

    @Benchmark
    public void relu() throws OrtException {
        call.run();
    }
}
