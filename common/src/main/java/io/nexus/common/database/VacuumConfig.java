package io.nexus.common.database;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's own upkeep of its tables ({@link TableVacuum}). A table is vacuumed and analysed once its dead,
 * inserted or modified rows since the last time pass {@code threshold + scale-factor × live rows}.
 */
@ConfigMapping(prefix = "nexus.vacuum")
public interface VacuumConfig {

    /** Off where the cluster's autovacuum is trusted to keep up with the service's hot tables. */
    @WithDefault("true")
    boolean enabled();

    /** How often the tables' statistics are checked (one cheap query when nothing needs doing). */
    @WithDefault("15s")
    Duration interval();

    /** Rows a table may gather before it is vacuumed, whatever its size. */
    @WithDefault("2000")
    long threshold();

    /** And the share of its live rows. */
    @WithDefault("0.05")
    double scaleFactor();
}
