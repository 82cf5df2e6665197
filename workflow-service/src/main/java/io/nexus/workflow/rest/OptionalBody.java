package io.nexus.workflow.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * On a resource method whose request record may be sent without any body: an empty body is then read as {@code {}}
 * (see {@link EmptyBodyAsEmptyObject}).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface OptionalBody {
}
