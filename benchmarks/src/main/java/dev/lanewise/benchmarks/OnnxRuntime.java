package dev.lanewise.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime from Maven Central ({@code com.microsoft.onnxruntime:onnxruntime}, CPU execution
 * provider, whose convolutions run on its MLAS kernels). The jar carries the native library, which
 * ONNX Runtime extracts and loads when the environment is first created; {@link #load()} does that
 * once and describes what was loaded, or throws if it cannot run here, so the suite can report it
 * missing.
 *
 * <p>MLAS picks its kernels by CPUID, which no JVM option reaches: in the {@link Isa#AVX2}
 * configuration of a CPU with AVX-512, ONNX Runtime still runs its AVX-512 code, and its
 * description says so.
 */
final class OnnxRuntime {

    private static String description;

    private OnnxRuntime() {
    }

    /**
     * Loads ONNX Runtime (once) and describes it: version, execution providers and the instruction set
     * of its MLAS kernels, the CPU's.
     */
    static synchronized String load() {
        if (description == null) {
            OrtEnvironment env = environment();
            String kernels = Isa.cpuVectorIsa();
            description = "ONNX Runtime " + env.getVersion() + ", providers " + OrtEnvironment.getAvailableProviders()
                    + ", MLAS kernels " + kernels + " (chosen by CPUID)";
            if (Isa.ofThisJvm() == Isa.AVX2 && kernels.equals("AVX-512")) {
                description += "; -XX:UseAVX cannot limit them: ONNX Runtime runs its AVX-512 code in the avx2"
                        + " configuration";
            }
        }
        return description;
    }

    /** The process's ONNX Runtime environment; logs errors only, so warnings do not flood JMH's output. */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    }

    /**
     * A session of {@code model} that runs each call's operators one after the other
     * ({@code inter_op} 1) on {@code threads} threads, the calling one included ({@code intra_op}).
     *
     * @param level {@link OptLevel#ALL_OPT} lets ONNX Runtime rewrite the graph for this CPU (for a
     *              convolution: its NCHWc blocked layout and direct kernels); {@link OptLevel#NO_OPT}
     *              runs the model's operators as written (a convolution: im2col and SGEMM)
     */
    static OrtSession session(byte[] model, OptLevel level, int threads) throws OrtException {
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            return environment().createSession(model, options);
        }
    }

    /**
     * A direct buffer in native byte order holding a copy of {@code values}: a tensor made on such a
     * buffer uses its memory in place (from a heap array ONNX Runtime would make a copy of its own),
     * so an output tensor on it receives the results directly.
     */
    static FloatBuffer directBuffer(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(Float.BYTES * values.length)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buffer.put(values).rewind();
        return buffer;
    }

    /**
     * A session of a one-input, one-output model ({@link OnnxModel}) with both tensors on direct
     * buffers made once: the input tensor wraps a copy of the input, and the output tensor is pinned
     * to a buffer of its own, so that {@link #run()} is {@code OrtSession.run} alone (its JNI
     * transition and the few small Java objects of its result included, as any Java caller pays
     * them), reading and writing the same memory on every call.
     */
    static final class PinnedSession implements AutoCloseable {

        private final OrtSession session;
        private final OnnxTensor x;
        private final OnnxTensor y;
        private final FloatBuffer output;
        private final Map<String, OnnxTensor> inputs;
        private final Map<String, OnnxTensor> pinnedOutputs;

        /**
         * Creates the tensors and the session ({@link OnnxRuntime#session}).
         *
         * @param input       the input, {@code inputShape}'s element count of floats; copied
         * @param outputShape the shape of the model's output
         */
        PinnedSession(byte[] model, OptLevel level, int threads, float[] input, long[] inputShape, long[] outputShape)
                throws OrtException {
            long outputLength = 1;
            for (long d : outputShape) {
                outputLength *= d;
            }
            output = directBuffer(new float[Math.toIntExact(outputLength)]);
            x = OnnxTensor.createTensor(environment(), directBuffer(input), inputShape);
            y = OnnxTensor.createTensor(environment(), output, outputShape);
            session = session(model, level, threads);
            inputs = Map.of(OnnxModel.INPUT, x);
            pinnedOutputs = Map.of(OnnxModel.OUTPUT, y);
        }

        /** One call: the model over the input, into the pinned output. */
        void run() throws OrtException {
            // The pinned output is not the result's to close: close() releases only ONNX Runtime's bookkeeping.
            session.run(inputs, pinnedOutputs).close();
        }

        /** A copy of the output buffer. */
        float[] output() {
            float[] out = new float[output.capacity()];
            output.get(0, out);
            return out;
        }

        /** Closes the tensors, then the session. */
        @Override
        public void close() throws OrtException {
            y.close();
            x.close();
            session.close();
        }
    }
}
