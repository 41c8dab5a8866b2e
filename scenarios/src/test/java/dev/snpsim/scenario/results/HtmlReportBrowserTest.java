package dev.snpsim.scenario.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report in a real browser: it renders, logs no page errors, and every plot is in the DOM. */
class HtmlReportBrowserTest {
    @TempDir
    Path tmp;

    @Test
    void chromiumRendersTheReportWithItsPlots() throws Exception {
        Path chromium = HeadlessBrowser.find();
        assumeTrue(chromium != null, "no chromium on this machine (apt-get install chromium); .ci/run installs it");
        Path dir = tmp.resolve("run");
        RunResults r = RunResults.of("throughput", "sweep", "virtual", "t",
                List.of(SampleResults.point(10, 1, 0), SampleResults.point(20, 1, 0)));
        ResultsWriter.write(dir, r);
        HeadlessBrowser.Rendered page = HeadlessBrowser.render(chromium, dir.resolve(ResultsWriter.REPORT), tmp);
        assertThat(page.exitCode()).as(page.log()).isZero();
        assertThat(page.log()).doesNotContain("Uncaught").doesNotContain(":CONSOLE(");
        List<String> rendered = HtmlReport.plotIds(page.dom());
        assertThat(rendered).containsAll(HtmlReport.plotIds(HtmlReport.render(r)));
        assertThat(rendered).contains("sweep-throughput", "throughput-0", "percentiles-1");
        assertThat(page.dom()).contains("<polyline").contains("victims");
    }
}
