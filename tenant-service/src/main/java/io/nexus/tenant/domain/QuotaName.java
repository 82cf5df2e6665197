package io.nexus.tenant.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The quotas of docs/api.md §4, by their JSON names. */
public enum QuotaName {
    WORKFLOWS("workflows"),
    EXECUTIONS_PER_DAY("executionsPerDay"),
    API_CALLS_PER_MINUTE("apiCallsPerMinute"),
    CONCURRENT_SESSIONS("concurrentSessions"),
    CONCURRENT_EXECUTIONS("concurrentExecutions");

    public static final List<String> JSON_NAMES = Arrays.stream(values()).map(QuotaName::json).toList();

    private final String json;

    QuotaName(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Optional<QuotaName> ofJson(String name) {
        return Arrays.stream(values()).filter(q -> q.json.equals(name)).findFirst();
    }
}
