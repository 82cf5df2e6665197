package io.nexus.common.http;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Path;

import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The route template of a resource method ({@code /api/v1/tenants/{id}}), used as a metric label so that raw ids never
 * become label values.
 */
public final class RouteTemplates {

    /** The label for requests that matched no resource method. */
    public static final String UNMATCHED = "unmatched";

    /** One entry per resource method; the bound only guards against a framework change. */
    private static final int MAX_CACHED = 4096;
    /**
     * Keyed by the method itself: RESTEasy Reactive hands response filters a new {@link SimpleResourceInfo} on every
     * request, without equals, so a cache keyed by it missed every time (and filled up with them) while each request
     * looked the method up by reflection again.
     */
    private static final Map<MethodKey, String> CACHE = new ConcurrentHashMap<>();

    private record MethodKey(Class<?> resourceClass, String methodName, List<Class<?>> parameterTypes) {
    }

    private RouteTemplates() {
    }

    public static String of(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return UNMATCHED;
        }
        MethodKey key = new MethodKey(resource.getResourceClass(), resource.getMethodName(),
                Arrays.asList(resource.parameterTypes()));
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String template = compute(resource);
        if (CACHE.size() < MAX_CACHED) {
            CACHE.put(key, template);
        }
        return template;
    }

    /** How many resource methods have their template cached (for tests). */
    static int cachedMethods() {
        return CACHE.size();
    }

    private static String compute(SimpleResourceInfo resource) {
        Class<?> resourceClass = resource.getResourceClass();
        String methodPath = "";
        try {
            Method method = resourceClass.getMethod(resource.getMethodName(), resource.parameterTypes());
            methodPath = pathOf(method.getAnnotation(Path.class));
        } catch (NoSuchMethodException e) {
            // Not a public method of the class itself: the class path alone is still a template.
        }
        return join(pathOf(resourceClass.getAnnotation(Path.class)), methodPath);
    }

    private static String pathOf(Path path) {
        return path == null ? "" : path.value();
    }

    static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
