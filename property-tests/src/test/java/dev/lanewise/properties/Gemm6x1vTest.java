package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 6x1v. */
@GemmVariant("6x1v")
class Gemm6x1vTest implements GemmContract {
}
