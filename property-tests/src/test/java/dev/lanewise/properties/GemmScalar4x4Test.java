package dev.lanewise.properties;

/** {@link GemmContract} for the plain-Java micro-kernel of the scalar provider. */
@GemmVariant("scalar4x4")
class GemmScalar4x4Test implements GemmContract {
}
