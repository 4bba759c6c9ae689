/** Naive references of the operators in {@code dev.lanewise.nn}, which the tests compare against. */
package dev.lanewise.nn.ref;
