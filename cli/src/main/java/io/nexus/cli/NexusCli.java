package io.nexus.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexus.cli.command.CompletionCommand;
import io.nexus.cli.command.ExecutionCommand;
import io.nexus.cli.command.HealthCommand;
import io.nexus.cli.command.LoginCommand;
import io.nexus.cli.command.MarketplaceCommand;
import io.nexus.cli.command.SessionCommand;
import io.nexus.cli.command.TenantCommand;
import io.nexus.cli.command.WorkflowCommand;
import io.nexus.cli.config.CliConfig;
import io.nexus.cli.config.ConfigStore;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.OutputFormat;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Style;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** `nexus`: the root command. It owns what every subcommand shares: the environment, the output format, the API. */
@Command(name = "nexus", mixinStandardHelpOptions = true, versionProvider = NexusCli.Version.class,
        description = "The Nexus command line: workflows, executions, sessions, the marketplace and tenants over the "
                + "REST API.",
        footerHeading = "%n", footer = {})
public final class NexusCli {

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default, for people), json or yaml (exactly one document on stdout)")
    private OutputFormat output = OutputFormat.TABLE;

    private final Environment environment;
    // Made on first use: Jackson is a few hundred classes that `--help` or a usage error need not load.
    private ObjectMapper json;

    public NexusCli(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        // HttpURLConnection would silently resend a POST whose kept-alive connection broke: it could start an
        // execution twice.
        System.setProperty("sun.net.http.retryPost", "false");
        System.exit(run(Environment.system(), args));
    }

    public static int run(Environment environment, String... args) {
        return commandLine(environment, args).execute(args);
    }

    /**
     * The command line for these arguments. Picocli builds its model of a command by reflection, a third of a
     * second for all of them; so when the arguments name a command, only that one is registered, and the root's own
     * help and usage errors get stand-ins that carry just a name and a description. Completion sees every command.
     */
    public static CommandLine commandLine(Environment environment, String... args) {
        CommandLine commandLine = new CommandLine(new NexusCli(environment));
        String named = namedCommand(args);
        SUBCOMMANDS.forEach((name, command) -> {
            if (named == null) {
                commandLine.addSubcommand(name, standIn(name, command.description()));
            } else if (named.equals(name) || named.equals(COMPLETION)) {
                commandLine.addSubcommand(name, command.factory().get());
            }
        });
        offerHelp(commandLine);
        // @FILE is ours (JSON arguments), not picocli's argument files.
        commandLine.setExpandAtFiles(false);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(environment.out())
                .setErr(environment.err())
                .setExecutionExceptionHandler(new ErrorReporter(environment));
        commandLine.getCommandSpec().usageMessage().footer(ExitCodes.helpFooter());
        return commandLine;
    }

    private static final String COMPLETION = "completion";

    /** A command group: how to make it, and its description (a constant, read without loading the class). */
    private record Subcommand(Supplier<Object> factory, String description) {
    }

    private static final Map<String, Subcommand> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("login", new Subcommand(LoginCommand::new, LoginCommand.DESCRIPTION));
        SUBCOMMANDS.put("workflow", new Subcommand(WorkflowCommand::new, WorkflowCommand.DESCRIPTION));
        SUBCOMMANDS.put("execution", new Subcommand(ExecutionCommand::new, ExecutionCommand.DESCRIPTION));
        SUBCOMMANDS.put("session", new Subcommand(SessionCommand::new, SessionCommand.DESCRIPTION));
        SUBCOMMANDS.put("marketplace", new Subcommand(MarketplaceCommand::new, MarketplaceCommand.DESCRIPTION));
        SUBCOMMANDS.put("tenant", new Subcommand(TenantCommand::new, TenantCommand.DESCRIPTION));
        SUBCOMMANDS.put("health", new Subcommand(HealthCommand::new, HealthCommand.DESCRIPTION));
        SUBCOMMANDS.put(COMPLETION, new Subcommand(CompletionCommand::new, CompletionCommand.DESCRIPTION));
    }

    /** -h/--help on every command: picocli's standard help mixin is not passed on to method subcommands. */
    private static void offerHelp(CommandLine commandLine) {
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            if (!subcommand.getCommandSpec().optionsMap().containsKey("--help")) {
                subcommand.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            offerHelp(subcommand);
        }
    }

    /** The first argument that names a command; null when none does. */
    static String namedCommand(String... args) {
        for (String arg : args) {
            if (SUBCOMMANDS.containsKey(arg)) {
                return arg;
            }
        }
        return null;
    }

    /** A command that only shows up in the root's help and in "did you mean" suggestions. */
    private static CommandSpec standIn(String name, String description) {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(description);
        return spec;
    }

    public Environment environment() {
        return environment;
    }

    public ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        }
        return json;
    }

    public ConfigStore configStore() {
        return new ConfigStore(environment.configDirectory(), json());
    }

    public Printer printer() {
        Style style = output == OutputFormat.TABLE
                ? Style.forTerminal(environment.stdoutIsTerminal(), environment.variables())
                : new Style(false);
        return new Printer(environment.out(), output, json(), style);
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
        return new NexusClient(config.url(), config.apiKey(), sessionId, json());
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
