package io.nexus.gateway.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the web console route ({@code nexus.gateway.console.*}). */
@ConfigMapping(prefix = "nexus.gateway.console")
public interface ConsoleConfig {

    /** Where the console's built files sit on the classpath (the Maven build copies console/dist there). */
    @WithDefault("META-INF/nexus-console")
    String resourceRoot();
}
