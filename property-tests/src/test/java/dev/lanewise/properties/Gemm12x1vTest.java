package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 12x1v. */
@GemmVariant("12x1v")
class Gemm12x1vTest implements GemmContract {
}
