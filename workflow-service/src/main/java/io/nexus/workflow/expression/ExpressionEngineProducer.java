package io.nexus.workflow.expression;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One engine per service: it holds no per-request state, and building CEL's environment is not free. */
@ApplicationScoped
public class ExpressionEngineProducer {

    @Produces
    @Singleton
    ExpressionEngine expressionEngine() {
        return new ExpressionEngine(ExpressionLimits.DEFAULTS);
    }
}
