package dev.lanewise.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.AveragePool2d;
import dev.lanewise.nn.GlobalPool;
import dev.lanewise.nn.MaxPool2d;
import dev.lanewise.nn.ref.RefPool2d;
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
 * 2D pooling with ONNX semantics ({@code MaxPool}, {@code AveragePool}, {@code GlobalAveragePool},
 * {@code GlobalMaxPool}), batch 1, NCHW, by implementation, layer ({@link PoolLayer}) and thread
 * count. Time per call; the suite turns it into GB/s, the bytes a call must move at the least, input
 * read once and output written once ({@link PoolLayer#bytes()}), over its time.
 *
 * <ul>
 *   <li>{@code lanewise}: {@link MaxPool2d}, {@link AveragePool2d} or {@link GlobalPool} on heap
 *       arrays, on {@code threads} threads.</li>
 *   <li>{@code onnxruntime}: ONNX Runtime's CPU provider (MLAS pooling kernels) on a one-node model
 *       ({@link OnnxModel}) with all graph optimisations, on {@code threads} intra-op threads,
 *       reading and writing direct buffers made in setup ({@link OnnxRuntime.PinnedSession}).</li>
 *   <li>{@code ref}: the naive {@link RefPool2d}, one thread.</li>
 *   <li>{@code copy}: the memory baseline, one thread: {@code System.arraycopy} of the input tensor
 *       into another array of its size. It reads the same input bytes and writes as many as it
 *       reads; its GB/s ({@code 2 * 4 * inputFloats / time}) is the speed at which this machine
 *       streams the tensor, which a memory-bound pooling operator can approach.</li>
 * </ul>
 * The input comes from a fixed seed. Setup runs each implementation once and checks its whole output
 * against {@link RefPool2d} (the copy: against its input): maxima exactly, averages exactly for
 * lanewise and within a sum's rounding bound for ONNX Runtime; a mismatch fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PoolBenchmark {

    @Param({"lanewise", "onnxruntime", "ref", "copy"})
    public String impl;

    @Param({"r50_maxpool", "vgg_maxpool", "inception_avgpool", "densenet_avgpool", "r50_gap", "vgg_gmp"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    private BenchmarkCall call;
    private Supplier<float[]> result;
    /** The {@code onnxruntime} implementation's session, closed after the trial. */
    private OnnxRuntime.PinnedSession ortSession;

    @Setup
    public void setup() throws OrtException {
        PoolLayer l = PoolLayer.named(layer);
        int c = l.channels();
        int h = l.height();
        int w = l.width();
        float[] input = GemmBenchmark.random(l.inputFloats(), 1);
        float[] output = new float[l.outputFloats()];
        switch (impl) {
            case "lanewise" -> {
                Lanewise.setThreads(threads);
                call = switch (l.op()) {
                    case MAX_POOL -> {
                        MaxPool2d pool = MaxPool2d.of(l.window());
                        yield () -> pool.forward(1, c, h, w, input, 0, output, 0);
                    }
                    case AVERAGE_POOL -> {
                        AveragePool2d pool = AveragePool2d.of(l.window(), l.countIncludePad());
                        yield () -> pool.forward(1, c, h, w, input, 0, output, 0);
                    }
                    case GLOBAL_AVERAGE_POOL -> () -> GlobalPool.average(1, c, h, w, input, 0, output, 0);
                    case GLOBAL_MAX_POOL -> () -> GlobalPool.max(1, c, h, w, input, 0, output, 0);
                };
                result = () -> output;
            }
            case "onnxruntime" -> {
                byte[] model = switch (l.op()) {
                    case MAX_POOL -> OnnxModel.maxPool(1, c, h, w, l.window());
                    case AVERAGE_POOL -> OnnxModel.averagePool(1, c, h, w, l.window(), l.countIncludePad());
                    case GLOBAL_AVERAGE_POOL -> OnnxModel.globalAveragePool(1, c, h, w);
                    case GLOBAL_MAX_POOL -> OnnxModel.globalMaxPool(1, c, h, w);
                };
                ortSession = new OnnxRuntime.PinnedSession(model, OptLevel.ALL_OPT, threads,
                        input, new long[] {1, c, h, w}, new long[] {1, c, l.outputHeight(), l.outputWidth()});
                call = ortSession::run;
                result = ortSession::output;
            }
            case "ref" -> {
                call = () -> l.reference(input, output);
                result = () -> output;
            }
            case "copy" -> {
                float[] copy = new float[input.length];
                call = () -> System.arraycopy(input, 0, copy, 0, input.length);
                result = () -> copy;
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        call.run();
        String what = impl + " " + layer;
        if (impl.equals("copy")) {
            Validation.checkCopy(what, input, result.get());
        } else {
            Validation.checkPool(what, l, input, result.get(), !impl.equals("onnxruntime"));
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (ortSession != null) {
            ortSession.close();
        }
    }

    @Benchmark
    public void pool() throws OrtException {
        call.run();
    }
}
