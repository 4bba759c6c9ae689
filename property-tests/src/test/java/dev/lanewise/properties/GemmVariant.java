package dev.lanewise.properties;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Names the GEMM kernel variant a {@link GemmContract} class tests. The class is skipped, with the
 * reason reported, when no available provider has that variant (the vector variants in a run
 * without {@code jdk.incubator.vector}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@AddLifecycleHook(GemmVariant.SkipIfUnavailable.class)
@interface GemmVariant {

    /** The kernel's {@code name()}, e.g. {@code "12x2v"}. */
    String value();

    final class SkipIfUnavailable implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            Optional<GemmVariant> variant = context.findAnnotation(GemmVariant.class);
            if (variant.isPresent() && Variants.gemm(variant.get().value()) == null) {
                return SkipResult.skip("GEMM variant " + variant.get().value() + " is not available in this run");
            }
            return SkipResult.doNotSkip();
        }
    }
}
