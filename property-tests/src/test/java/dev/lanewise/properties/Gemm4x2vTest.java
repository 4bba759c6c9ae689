package dev.lanewise.properties;

/** {@link GemmContract} for the vector micro-kernel 4x2v. */
@GemmVariant("4x2v")
class Gemm4x2vTest implements GemmContract {
}
