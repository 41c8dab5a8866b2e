package dev.snpsim.cli;

/**
 * A subcommand contributed by a module that depends on {@code scenarios} (for example
 * {@code snpsim bench} from {@code benchmarks}). Listed in
 * {@code META-INF/services/dev.snpsim.cli.CliExtension}.
 */
public interface CliExtension {
    /** The subcommand's name. */
    String name();

    /** A picocli-annotated command object. */
    Object command();
}
