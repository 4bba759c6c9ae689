package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 8x2v. */
@GemmVariant("8x2v")
class Gemm8x2vTest implements GemmContract {
}
