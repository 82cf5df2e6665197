package io.nexus.workflow.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the workflow engine, from {@code nexus.workflow.*} (environment or ConfigMap). */
@ConfigMapping(prefix = "nexus.workflow")
public interface WorkflowConfig {

    /** Executions this replica runs at once: its worker pool. Waiting executions hold none. */
    @WithDefault("64")
    int workers();

    /** How long a sync start waits for a free worker before it answers 429. */
    @WithDefault("1s")
    Duration workerWait();

    /** Threads that evaluate expressions, off the event loop; 0 = one per core. */
    @WithDefault("0")
    int evaluationThreads();

    /**
     * Registrations (POST, PUT) whose definitions may wait to be compiled on this replica; beyond it a registration is
     * refused at once with 503 and {@code Retry-After}. Executions' evaluations never wait behind these.
     */
    @WithDefault("32")
    int compileQueue();

    /** Registrations of one tenant compiled or waiting at once on this replica; beyond it, 429 with Retry-After. */
    @WithDefault("4")
    int compilesPerTenant();

    /**
     * Signals an execution may hold that no {@code wait} node has taken yet; a signal beyond it is refused with 409
     * (docs/api.md §4.4) and not stored.
     */
    @WithDefault("1000")
    long maxPendingSignals();

    /** {@code waitMs} of a sync start when it names none (docs/api.md §4). */
    @WithDefault("30000")
    long defaultWaitMs();

    /** The largest {@code waitMs} a start may ask for (docs/api.md §4). */
    @WithDefault("60000")
    long maxWaitMs();

    /** An execution's deadline when neither the start nor the definition sets {@code timeoutMs} (docs/api.md §4). */
    @WithDefault("1h")
    Duration defaultExecutionTimeout();

    /** How often a replica with free workers looks for pending executions nobody runs. */
    @WithDefault("1s")
    Duration claimInterval();

    /**
     * How long a replica's hold on an execution it runs lasts without renewal (renewed every third of it). After a
     * replica dies, its executions are re-driven by another replica within about this long.
     */
    @WithDefault("10s")
    Duration leaseDuration();

    /**
     * Waits shorter than this stay in memory on the worker that runs them; longer ones park the execution (status
     * waiting, no worker held) until their timer is due. A replica that dies during a short in-memory wait makes
     * the re-driven execution wait again from the start of that node.
     */
    @WithDefault("1s")
    Duration inMemoryWait();

    /**
     * How often {@code nexus_workflow_executions_backlog} is recounted from PostgreSQL (one count query per replica
     * per interval; every replica reports the same platform-wide number).
     */
    @WithDefault("10s")
    Duration backlogInterval();

    /** How long an {@code Idempotency-Key} is remembered (docs/api.md §2). */
    @WithDefault("24h")
    Duration idempotencyRetention();

    /** How long shutdown waits for running executions to end before it leaves them to another replica. */
    @WithDefault("20s")
    Duration drainTimeout();

    /** How often an execution's event stream ({@code GET /executions/{id}/events}) reads its progress. */
    @WithDefault("250ms")
    Duration eventsPollInterval();

    /** How long an event stream may stay silent before it sends a keep-alive comment (proxies close idle ones). */
    @WithDefault("15s")
    Duration eventsKeepAlive();

    /** The longest an event stream stays open; it also closes a minute after the execution's deadline. */
    @WithDefault("1h")
    Duration eventsMaxDuration();

    /** Quotas applied to a tenant this service has not yet heard of (the standard plan of docs/api.md §4). */
    DefaultQuotas defaultQuotas();

    /** Outbound calls of {@code http} nodes (docs/api.md §5). */
    Http http();

    /** session-service, which {@code session} nodes and the {@code session} variable read (docs/api.md §5). */
    SessionService sessionService();

    /** marketplace-service: search and installs for the MCP marketplace tools (docs/api.md §4.7). */
    MarketplaceService marketplaceService();

    /** The MCP server at {@code /mcp} (docs/api.md §4.7). */
    Mcp mcp();

    /** How long ended executions are kept before they are deleted (docs/api.md §4.4, "History retention"). */
    Retention retention();

    interface DefaultQuotas {
        @WithDefault("1000")
        long workflows();

        @WithDefault("100000")
        long executionsPerDay();

        @WithDefault("100")
        long concurrentExecutions();
    }

    interface Http {

        /**
         * Let {@code http} nodes reach loopback, private, link-local, CGNAT and ULA addresses. Tests only: in
         * production it would let a tenant's workflow call the cluster's internal services and cloud metadata.
         */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** Redirects followed per call, each target checked like the first; 0 = none (a 3xx is the result). */
        @WithDefault("3")
        int maxRedirects();

        /** The largest response body a call reads; a larger one fails the node with {@code limit}. */
        @WithDefault("1048576")
        long maxResponseBytes();

        /** Upper bound of one call (redirects and body included), whatever the node's {@code timeoutMs} asks. */
        @WithDefault("30s")
        Duration maxTimeout();
    }

    interface SessionService {

        /**
         * Base URL of session-service, whose internal API ({@code /internal/sessions}) the engine calls.
         * application.properties reads it from {@code SESSION_SERVICE_URL}, the variable the gateway uses too.
         */
        String url();

        /** How long one attempt of a call may take; a slower one fails and is retried. */
        @WithDefault("2s")
        Duration timeout();

        /** Attempts after the first when a call times out, cannot connect or gets a 5xx; 0 = none. */
        @WithDefault("2")
        int maxRetries();
    }

    interface MarketplaceService {

        /** Base URL of marketplace-service; application.properties reads it from {@code MARKETPLACE_SERVICE_URL}. */
        String url();

        /** How long one attempt of a call may take; a slower one fails and is retried. */
        @WithDefault("2s")
        Duration timeout();

        /** Attempts after the first when a call times out, cannot connect or gets a 5xx; 0 = none. */
        @WithDefault("2")
        int maxRetries();
    }

    interface Mcp {

        /**
         * Browser origins allowed besides loopback ones ({@code http(s)://localhost|127.0.0.1|[::1]} on any port): a
         * request whose {@code Origin} is neither gets 403, so a page on another site cannot drive a local server
         * through DNS rebinding. Requests without {@code Origin} (non-browser clients) are not affected.
         */
        Optional<List<String>> allowedOrigins();

        /** An MCP session unused this long is closed; its client must initialize again (404 on the old id). */
        @WithDefault("30m")
        Duration sessionIdleTimeout();

        /** Open MCP sessions per tenant on one replica; initialize beyond it is refused (429). */
        @WithDefault("200")
        int maxSessionsPerTenant();

        /**
         * How long a workflow tool call waits for the execution as a sync start before it follows the execution's
         * events (progress, cancellation): short executions answer without any polling.
         */
        @WithDefault("1s")
        Duration syncWait();

        /** A listening or tool-call SSE stream silent this long gets a comment, so idle proxies keep it open. */
        @WithDefault("15s")
        Duration keepAlive();

        /** The largest JSON-RPC message accepted in one POST; a larger one is a 413. */
        @WithDefault("1048576")
        int maxMessageBytes();
    }

    interface Retention {

        /** Off: every execution is kept forever and the tables keep growing (nothing is deleted). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Days a tenant's ended executions are kept after they end, by the tenant's plan ({@code days.free},
         * {@code days.standard}, {@code days.enterprise} in application.properties). Each at least 1.
         */
        Map<String, Integer> days();

        /**
         * Days for a plan {@link #days()} does not name, and for a tenant whose plan this service has not learnt yet
         * (no {@code nexus.tenants} event since migration V11). The longest plan's by default: a deletion cannot be
         * taken back, so what the service cannot place is kept longest.
         */
        @WithDefault("90")
        int defaultDays();

        /**
         * Root executions one batch deletes (their child executions, steps, signals and Idempotency-Keys go with
         * them). Each batch is its own short transaction; smaller batches hold locks and WAL bursts shorter.
         */
        @WithDefault("500")
        int batchSize();

        /** How often a replica sweeps; a sweep still going when the next is due makes that one skip. */
        @WithDefault("1m")
        Duration interval();

        /** Pause after each batch, so that a sweep through a large backlog never keeps PostgreSQL busy by itself. */
        @WithDefault("100ms")
        Duration batchPause();
    }
}
