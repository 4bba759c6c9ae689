package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 6x2v. */
@GemmVariant("6x2v")
class Gemm6x2vTest implements GemmContract {
}
