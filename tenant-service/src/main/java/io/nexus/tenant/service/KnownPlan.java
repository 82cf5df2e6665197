package io.nexus.tenant.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** The name of a configured plan (null allowed: the default plan). */
@Constraint(validatedBy = KnownPlanValidator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
public @interface KnownPlan {

    String message() default "is not a plan";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
