/**
 * Naive reference implementations, obviously correct and slow: the oracle of lanewise's tests and
 * benchmarks. Public so that users can check their own integrations against them.
 */
package dev.lanewise.kernels.ref;
