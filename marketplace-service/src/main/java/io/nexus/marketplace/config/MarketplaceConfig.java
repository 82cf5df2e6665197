package io.nexus.marketplace.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The marketplace: its categories, how search ranks, and how it reaches workflow-service. */
@ConfigMapping(prefix = "nexus.marketplace")
public interface MarketplaceConfig {

    /** The categories an item may be filed under (1 to 3 per item); {@code ?category=} accepts these only. */
    @WithDefault("ai,analytics,communication,data,devops,finance,integration,marketing,monitoring,productivity,"
            + "sales,security,support,utilities")
    List<String> categories();

    /** Full-text search and its typo fallback. */
    Search search();

    /** How fast trending forgets: an install or review counts half as much after this long. */
    @WithDefault("7d")
    Duration trendingHalfLife();

    /** workflow-service's internal API, where published snapshots come from. */
    WorkflowService workflowService();

    /** Installs that workflow-service has not answered. */
    Installs installs();

    interface Installs {

        /**
         * An install still pending this long after it was asked for is failed with a reason that says to ask again
         * (workflow-service lost or parked the event). Asking again completes at once if the workflow was created
         * meanwhile: workflow-service recognises the same item version under the same name.
         */
        @WithDefault("10m")
        Duration timeout();

        /** How often a replica looks for installs past the timeout. */
        @WithDefault("30s")
        Duration checkInterval();
    }

    interface Search {

        /**
         * When full-text search matches fewer items than this (with the filters), the query's words are corrected to
         * the catalog's words closest to them by trigrams and the items the corrected query finds are added after the
         * matches: the typo fallback. 0 switches it off.
         */
        @WithDefault("3")
        int typoFallbackBelow();

        /**
         * How close (pg_trgm similarity, 0–1) a catalog word must be to a query word to stand in for it in the typo
         * fallback; below 0.3 (pg_trgm's index threshold) acts as 0.3.
         */
        @WithDefault("0.4")
        double typoSimilarity();
    }

    interface WorkflowService {

        /**
         * Base URL of workflow-service, whose {@code /internal/workflows} publishing reads. application.properties
         * reads it from {@code WORKFLOW_SERVICE_URL}, the variable the gateway uses too.
         */
        String url();

        /** How long one attempt of a call may take; a slower one fails and is retried. */
        @WithDefault("2s")
        Duration timeout();

        /** Attempts after the first when a call times out, cannot connect or gets a 5xx; 0 = none. */
        @WithDefault("2")
        int maxRetries();
    }
}
