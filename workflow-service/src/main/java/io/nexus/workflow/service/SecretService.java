package io.nexus.workflow.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.config.SecretsConfig;
import io.nexus.workflow.domain.SecretSummary;
import io.nexus.workflow.domain.Timestamps;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.SecretRepository;
import io.nexus.workflow.rest.dto.SecretView;
import io.nexus.workflow.secrets.SecretCipher;
import io.nexus.workflow.secrets.SecretKeys;
import io.nexus.workflow.secrets.SecretNames;
import io.smallrye.mutiny.Uni;

/**
 * Tenant secrets (docs/api.md §4.8): write-only values, sealed before they reach the database and never returned,
 * logged or put in a message; only names and timestamps come back.
 */
@ApplicationScoped
public class SecretService {

    private static final Logger LOG = Logger.getLogger(SecretService.class);

    private final SecretRepository secrets;
    private final SecretKeys keys;
    private final SecretsConfig config;
    private final WorkflowMetrics metrics;

    public SecretService(SecretRepository secrets, SecretKeys keys, SecretsConfig config, WorkflowMetrics metrics) {
        this.secrets = secrets;
        this.keys = keys;
        this.config = config;
        this.metrics = metrics;
    }

    /** Stores or replaces the secret: its view, and whether it was created (201) rather than replaced (200). */
    public Uni<PutResult> put(UUID tenant, String name, JsonNode body) {
        checkName(name);
        String value = value(body);
        SecretCipher cipher = cipher();
        return secrets.put(tenant, name, cipher.seal(tenant, name, value), config.maxPerTenant(), Timestamps.now())
                .map(put -> {
                    if (put.stored() == null) {
                        throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant has "
                                + config.maxPerTenant() + " secrets, the most it may store: delete one first", null,
                                Map.of("Retry-After", "60"));
                    }
                    boolean created = put.created();
                    LOG.infof("Tenant %s %s secret %s", tenant, created ? "created" : "replaced", name);
                    metrics.tenantOperation(tenant.toString(), created ? "secret.create" : "secret.replace");
                    return new PutResult(created, view(put.stored()));
                });
    }

    /** Names and timestamps in name order. Listing needs no key: the values are not opened. */
    public Uni<Page<SecretView>> list(UUID tenant, PageRequest page) {
        return secrets.page(tenant, page.after(), page.fetchSize())
                .map(rows -> Page.of(rows, page, SecretSummary::name, SecretService::view));
    }

    public Uni<Void> delete(UUID tenant, String name) {
        checkName(name);
        return secrets.delete(tenant, name).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("secret '" + name + "' does not exist");
            }
            LOG.infof("Tenant %s deleted secret %s", tenant, name);
            metrics.tenantOperation(tenant.toString(), "secret.delete");
            return null;
        });
    }

    private static SecretView view(SecretSummary secret) {
        return new SecretView(secret.name(), secret.createdAt(), secret.updatedAt());
    }

    /** A put's answer: created (201) or replaced (200). */
    public record PutResult(boolean created, SecretView secret) {
    }

    private SecretCipher cipher() {
        return keys.cipher().orElseThrow(() -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                "tenant secrets are not configured on this service"));
    }

    private static void checkName(String name) {
        String problem = SecretNames.problem(name);
        if (problem != null) {
            // The path parameter is named by its own name; the rejected text is not echoed (it may be a value).
            throw ProblemException.invalid(List.of(new FieldError("name", problem)));
        }
    }

    /** {@code {"value": "<string>"}} and nothing else; no message echoes what was sent. */
    private String value(JsonNode body) {
        for (var fields = body.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!"value".equals(field)) {
                throw ProblemException.invalid(List.of(new FieldError(field, "is not a field of a secret")));
            }
        }
        JsonNode value = body.get("value");
        if (value == null) {
            throw ProblemException.invalid(List.of(new FieldError("value", "is required")));
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw ProblemException.invalid(List.of(new FieldError("value", "must be a non-empty string")));
        }
        int bytes = value.textValue().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxValueBytes()) {
            throw ProblemException.invalid(List.of(new FieldError("value", "is " + bytes + " bytes, the limit is "
                    + config.maxValueBytes())));
        }
        return value.textValue();
    }
}
