package dev.snpsim.bench.cli;

import dev.snpsim.cli.CliExtension;

/** Adds {@code snpsim bench} to the CLI (listed in META-INF/services). */
public final class BenchExtension implements CliExtension {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
