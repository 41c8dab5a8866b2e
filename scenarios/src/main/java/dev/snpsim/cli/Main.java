package dev.snpsim.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code snpsim} command line. Subcommands living in modules above {@code scenarios}
 * (the benchmarks) join through {@link CliExtension} and the {@link ServiceLoader}.
 */
@Command(
        name = "snpsim",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Simulator of a multi-tenant AMD SEV-SNP host.",
        subcommands = {
            AttestCommand.class,
            VerifyCommand.class,
            MeasureCommand.class,
            RunCommand.class,
            ListCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            ProbeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (CliExtension ext : ServiceLoader.load(CliExtension.class)) {
            cli.addSubcommand(ext.name(), ext.command());
        }
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("snpsim: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ex instanceof CliException ce ? ce.exitCode() : 2;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the project version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"snpsim " + version() + " (Java " + Runtime.version() + ")"};
        }

        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
