package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 12x2v. */
@GemmVariant("12x2v")
class Gemm12x2vTest implements GemmContract {
}
