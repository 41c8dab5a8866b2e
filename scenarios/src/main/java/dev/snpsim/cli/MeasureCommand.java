package dev.snpsim.cli;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.launch.LaunchDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code snpsim measure}: the launch digest of a file loaded as normal pages. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Print the launch digest (the report's MEASUREMENT, hex) of FILE loaded as normal",
            "4 KiB pages from GPA (the last page zero-padded), folded with SNP's PAGE_INFO chain."})
final class MeasureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pages", required = true, description = "the file to load")
    Path pages;

    @Option(names = "--gpa", required = true, description = "guest physical address of the first page, hex, 4 KiB aligned")
    String gpa;

    @Override
    public Integer call() throws IOException {
        long address;
        try {
            address = Long.parseUnsignedLong(gpa.startsWith("0x") || gpa.startsWith("0X") ? gpa.substring(2) : gpa, 16);
        } catch (NumberFormatException e) {
            throw new CliException(2, "--gpa is '" + gpa + "' (expected: a hex address such as 0xffc00000)");
        }
        if ((address & 0xFFF) != 0) {
            throw new CliException(2, String.format("--gpa 0x%x is not 4 KiB aligned", address));
        }
        byte[] data;
        try {
            data = Files.readAllBytes(pages);
        } catch (NoSuchFileException e) {
            throw new CliException(2, pages + ": no such file");
        }
        try {
            spec.commandLine().getOut().println(Hex.of(new LaunchDigest().updateNormalPages(address, data).digest()));
        } catch (AbiException e) {
            throw new CliException(2, e.getMessage(), e);
        }
        return 0;
    }
}
