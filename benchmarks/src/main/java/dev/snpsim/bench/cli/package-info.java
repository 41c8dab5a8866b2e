/** The {@code snpsim bench} subcommand, joined to the CLI through {@code CliExtension}. */
package dev.snpsim.bench.cli;
