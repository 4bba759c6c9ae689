package dev.lanewise.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.lanewise.im2col.ConvGeometry;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.nn.Conv2d;
import dev.lanewise.nn.ref.RefConv2d;
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
 * 2D convolution with bias, batch 1, NCHW input and OIHW weights, {@code G} groups,
 * {@code Y[k][oy][ox] = B[k] + sum_{c < C/G, r, s} W[k][c][r][s] * X[g C/G + c][oy * stride - pad + r][ox * stride - pad + s]}
 * with {@code g = k / (K/G)} (zero outside the image), by implementation, layer ({@link ConvLayer}) and
 * thread count. Time per call; the suite turns it into GFLOP/s ({@code 2 K OH OW C/G KH KW / time},
 * see {@link ConvLayer#flops()}).
 *
 * <ul>
 *   <li>{@code lanewise}: {@link Conv2d#forward} on heap arrays, the layer built once (weights
 *       repacked then).</li>
 *   <li>{@code onnxruntime}: ONNX Runtime's CPU provider on a one-node model ({@link OnnxModel#conv})
 *       with all graph optimisations, so it runs its NCHWc blocked direct convolution, reordering
 *       input and output around it.</li>
 *   <li>{@code onnxruntime-im2col}: the same model without graph optimisations: ONNX Runtime's plain
 *       {@code Conv} kernel, im2col and MLAS SGEMM, the lowering lanewise uses.</li>
 *   <li>{@code ref}: the naive {@link RefConv2d}; only sensible on the toy and grouped layers.</li>
 *   <li>{@code copy}: {@code System.arraycopy} of the input into an array of its size, the
 *       memory-bound baseline of the grouped layers, which are rated in GB/s ({@link Work}).</li>
 * </ul>
 * ONNX Runtime runs on {@code threads} intra-op threads and reads and writes direct buffers made in
 * setup ({@link OnnxRuntime.PinnedSession}), so that a call is {@code OrtSession.run} alone.
 * Operands come from a fixed seed. Setup runs each implementation once and checks sampled output
 * channels against {@link RefConv2d} with the reduction-length-scaled rounding bound; a mismatch
 * fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBenchmark {

    @Param({"lanewise", "onnxruntime", "onnxruntime-im2col", "ref", "copy"})
    public String impl;

    @Param({"r50_conv1", "r50_3x3_56", "r50_3x3_28", "r50_3x3_14", "r50_3x3_7", "r50_1x1_56", "vgg_3x3_56",
            "mbv2_dw_112", "mbv2_dw_112s2", "mbv2_dw_56", "mbv2_dw_28", "mbv2_dw_14", "mbv2_dw_7", "effb0_dw5_56s2",
            "effb0_dw5_14", "rx50_g32_56", "alexnet_conv1", "effb0_stem", "tiny", "small"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    private BenchmarkCall call;
    private Supplier<float[]> result;
    /** The {@code onnxruntime} implementations' session, closed after the trial. */
    private OnnxRuntime.PinnedSession ortSession;

    @Setup
    public void setup() throws OrtException {
        ConvLayer l = ConvLayer.named(layer);
        ConvGeometry g = l.geometry();
        int c = l.inChannels();
        int k = l.outChannels();
        int h = l.height();
        int w = l.width();
        float[] input = GemmBenchmark.random(c * h * w, 1);
        float[] weights = GemmBenchmark.random(k * l.reduction(), 2);
        float[] bias = GemmBenchmark.random(k, 3);
        float[] output = new float[k * g.outputHeight() * g.outputWidth()];
        switch (impl) {
            case "lanewise" -> {
                Lanewise.setThreads(threads);
                Conv2d conv = Conv2d.builder(c, k, l.kernel(), l.kernel())
                        .strides(l.stride(), l.stride())
                        .pads(l.pad(), l.pad(), l.pad(), l.pad())
                        .group(l.group())
                        .build(weights, bias);
                call = () -> conv.forward(1, h, w, input, 0, output, 0);
                result = () -> output;
            }
            case "onnxruntime", "onnxruntime-im2col" -> {
                OptLevel level = impl.equals("onnxruntime") ? OptLevel.ALL_OPT : OptLevel.NO_OPT;
                ortSession = new OnnxRuntime.PinnedSession(OnnxModel.conv(1, g, l.group(), k, weights, bias), level, threads,
                        input, new long[] {1, c, h, w}, new long[] {1, k, g.outputHeight(), g.outputWidth()});
                call = ortSession::run;
                result = ortSession::output;
            }
            case "ref" -> {
                call = () -> RefConv2d.forward(1, g, l.group(), k, input, 0, weights, 0, bias, 0, output, 0);
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
        if (impl.equals("copy")) {
            Validation.checkCopy(impl + " " + layer, input, result.get());
        } else {
            Validation.checkConvChannels(impl + " " + layer, l, input, weights, bias, result.get());
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (ortSession != null) {
            ortSession.close();
        }
    }

    @Benchmark
    public void conv() throws OrtException {
        call.run();
    }
}
