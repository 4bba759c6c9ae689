package dev.lanewise.benchmarks;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.kernels.Sgemm;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.ref.RefGemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.mult.MatrixMatrixMult_MT_FDRM;
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
 * Single-precision GEMM, {@code C = A * op(B)} (row-major, beta = 0), by implementation, shape and
 * thread count. Time per call; the suite turns it into GFLOP/s ({@code 2 m n k / time}).
 *
 * <ul>
 *   <li>{@code lanewise}: {@link Sgemm#sgemm} on heap arrays.</li>
 *   <li>{@code lanewise:<kernel>}, e.g. {@code lanewise:8x3v}: the same driver with another
 *       micro-kernel of the provider's registry, to compare tile shapes inside the full GEMM.</li>
 *   <li>{@code openblas}: {@code cblas_sgemm} of OpenBLAS (bytedeco, with its AVX-512 kernels, or its
 *       AVX2 ones in the AVX2 configuration, see {@link OpenBlas}) on off-heap buffers, so that its figure is the kernel and the JNI call alone.</li>
 *   <li>{@code ejml}: EJML's {@code CommonOps_FDRM.mult} (2 threads: {@code MatrixMatrixMult_MT_FDRM}).</li>
 *   <li>{@code ref}: the naive {@link RefGemm}; only sensible on small shapes.</li>
 * </ul>
 * Operands come from fixed seeds ({@link GemmOperands}). Setup runs each implementation once and
 * checks sampled rows of its result against {@link RefGemm} with the k-scaled rounding bound; a
 * mismatch fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    @Param({"lanewise", "openblas", "ejml", "ref"})
    public String impl;

    @Param({"sq64", "sq256", "sq1024", "sq2048", "r50_conv1", "r50_3x3_56", "r50_3x3_28", "r50_3x3_14",
            "r50_3x3_7", "r50_1x1_56", "r50_fc", "r50_fc_b32", "r50_fc_b256", "odd7", "odd207", "odd300", "rows4k"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Runnable call;
    private java.util.function.Supplier<float[]> result;
    private FloatPointer[] offHeap = new FloatPointer[0];

    @Setup
    public void setup() {
        GemmShape s = GemmShape.named(shape);
        GemmOperands o = GemmOperands.of(s);
        int m = s.m();
        int n = s.n();
        int k = s.k();
        boolean transB = s.transB();
        int ldb = o.ldb();
        float[] a = o.a();
        float[] b = o.b();
        float[] c = o.c();
        switch (impl) {
            case "lanewise" -> {
                Lanewise.setThreads(threads);
                call = o::lanewise;
                result = () -> c;
            }
            case "openblas" -> {
                OpenBlas.setThreads(threads);
                FloatPointer pa = new FloatPointer(a);
                FloatPointer pb = new FloatPointer(b);
                FloatPointer pc = new FloatPointer(c);
                offHeap = new FloatPointer[] {pa, pb, pc};
                int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
                call = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, tb,
                        m, n, k, 1f, pa, k, pb, ldb, 0f, pc, n);
                result = () -> {
                    float[] out = new float[m * n];
                    pc.get(out);
                    return out;
                };
            }
            case "ejml" -> {
                EjmlConcurrency.setMaxThreads(threads);
                FMatrixRMaj ea = FMatrixRMaj.wrap(m, k, a);
                FMatrixRMaj eb = transB ? FMatrixRMaj.wrap(n, k, b) : FMatrixRMaj.wrap(k, n, b);
                FMatrixRMaj ec = FMatrixRMaj.wrap(m, n, c);
                if (transB) {
                    call = () -> CommonOps_FDRM.multTransB(ea, eb, ec);
                } else if (threads > 1) {
                    call = () -> MatrixMatrixMult_MT_FDRM.mult_reorder(ea, eb, ec);
                } else {
                    call = () -> CommonOps_FDRM.mult(ea, eb, ec);
                }
                result = () -> c;
            }
            case String variant when variant.startsWith("lanewise:") -> {
                SharedPool.setThreads(threads);
                GemmConfig config = Providers.current().gemmVariants().stream()
                        .filter(v -> v.kernel().name().equals(variant.substring("lanewise:".length())))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("no GEMM kernel " + variant));
                call = () -> GemmDriver.sgemm(config, SharedPool.get(), false, transB, m, n, k, 1f,
                        a, 0, k, b, 0, ldb, 0f, c, 0, n, Epilogue.NONE, null, 0, 0);
                result = () -> c;
            }
            case "ref" -> {
                call = () -> RefGemm.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c, 0, n, Epilogue.NONE);
                result = () -> c;
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        call.run();
        o.validate(impl + " " + shape, result.get());
    }

    @TearDown
    public void tearDown() {
        for (FloatPointer p : offHeap) {
            p.close();
        }
    }

    @Benchmark
    public void sgemm() {
        call.run();
    }

    static float[] random(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }
}
