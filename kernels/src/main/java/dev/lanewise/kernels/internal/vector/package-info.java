/**
 * Internal: the Vector API ({@code jdk.incubator.vector}) kernels. Loaded only through
 * {@link dev.lanewise.kernels.internal.Providers}, and only when the incubator module is readable;
 * not exported.
 */
package dev.lanewise.kernels.internal.vector;
