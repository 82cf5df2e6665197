package io.nexus.tenant.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

@ApplicationScoped
public class KnownPlanValidator implements ConstraintValidator<KnownPlan, String> {

    private final Plans plans;

    public KnownPlanValidator(Plans plans) {
        this.plans = plans;
    }

    @Override
    public boolean isValid(String plan, ConstraintValidatorContext context) {
        if (plan == null || plans.exists(plan)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("unknown plan, expected one of " + plans.names())
                .addConstraintViolation();
        return false;
    }
}
