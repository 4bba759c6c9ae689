package dev.lanewise.benchmarks;

import ai.onnxruntime.OrtException;

/**
 * One call of the implementation under test, reading and writing the buffers its benchmark's setup
 * made; ONNX Runtime's calls may throw.
 */
@FunctionalInterface
interface BenchmarkCall {

    void run() throws OrtException;
}
