package io.nexus.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexus.cli.command.CompletionCommand;
import io.nexus.cli.command.ExecutionCommand;
import io.nexus.cli.command.HealthCommand;
import io.nexus.cli.command.LoginCommand;
import io.nexus.cli.command.SessionCommand;
import io.nexus.cli.command.TenantCommand;
import io.nexus.cli.command.WorkflowCommand;
import io.nexus.cli.config.CliConfig;
import io.nexus.cli.config.ConfigStore;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.OutputFormat;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Style;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** `nexus`: the root command. It owns what every subcommand shares: the environment, the output format, the API. */
@Command(name = "nexus", mixinStandardHelpOptions = true, versionProvider = NexusCli.Version.class,
        description = "The Nexus command line: workflows, executions, sessions and tenants over the REST API.",
        subcommands = {LoginCommand.class, WorkflowCommand.class, ExecutionCommand.class, SessionCommand.class,
                TenantCommand.class, HealthCommand.class, CompletionCommand.class},
        footerHeading = "%n", footer = {})
public final class NexusCli {

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default, for people), json or yaml (exactly one document on stdout)")
    private OutputFormat output = OutputFormat.TABLE;

    private final Environment environment;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    public NexusCli(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(Environment.system(), args));
    }

    public static int run(Environment environment, String... args) {
        return commandLine(environment).execute(args);
    }

    public static CommandLine commandLine(Environment environment) {
        CommandLine commandLine = new CommandLine(new NexusCli(environment));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(environment.out())
                .setErr(environment.err())
                .setExecutionExceptionHandler(new ErrorReporter(environment))
                .setUsageHelpAutoWidth(true);
        commandLine.getCommandSpec().usageMessage().footer(ExitCodes.helpFooter());
        return commandLine;
    }

    public Environment environment() {
        return environment;
    }

    public ObjectMapper json() {
        return json;
    }

    public ConfigStore configStore() {
        return new ConfigStore(environment.configDirectory(), json);
    }

    public Printer printer() {
        Style style = output == OutputFormat.TABLE
                ? Style.forTerminal(environment.stdoutIsTerminal(), environment.variables())
                : new Style(false);
        return new Printer(environment.out(), output, json, style);
    }

    /** A client for the configured API and key; the session, when given, goes with every request. */
    public NexusClient client(String sessionId) {
        CliConfig config = configStore().effective(environment.variables());
        if (config.url() == null) {
            throw new CliException(ExitCodes.USAGE, "no API URL: run `nexus login --url URL --key KEY` or set NEXUS_URL");
        }
        if (config.apiKey() == null) {
            throw new CliException(ExitCodes.AUTH, "no API key: run `nexus login --url URL --key KEY` or set NEXUS_API_KEY");
        }
        return new NexusClient(config.url(), config.apiKey(), sessionId, json);
    }

    /** The version from the jar's manifest (the Maven project version), "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = NexusCli.class.getPackage().getImplementationVersion();
            return new String[] {"nexus " + (version == null ? "development" : version)};
        }
    }
}
