package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 8x3v. */
@GemmVariant("8x3v")
class Gemm8x3vTest implements GemmContract {
}
