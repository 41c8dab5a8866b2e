package dev.snpsim.cli;

import dev.snpsim.scenario.results.HtmlReport;
import dev.snpsim.scenario.results.ResultsWriter;
import dev.snpsim.scenario.results.RunResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code snpsim report DIR}: re-renders report.html from results.json. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Re-render DIR/report.html from DIR/results.json.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "a run directory")
    Path dir;

    @Override
    public Integer call() {
        RunResults r;
        try {
            r = ResultsWriter.read(dir);
        } catch (IOException e) {
            throw new CliException(2, e.getMessage(), e);
        }
        Path out = dir.resolve(ResultsWriter.REPORT);
        try {
            Files.writeString(out, HtmlReport.render(r));
        } catch (IOException e) {
            throw new CliException(2, out + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
