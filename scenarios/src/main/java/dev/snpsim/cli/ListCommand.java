package dev.snpsim.cli;

import dev.snpsim.scenario.BuiltinScenarios;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code snpsim list}: the built-in scenarios with one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in scenarios.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (BuiltinScenarios.Entry e : BuiltinScenarios.all()) {
            spec.commandLine().getOut().printf("%-16s %s%n", e.name(), e.description());
        }
        return 0;
    }
}
