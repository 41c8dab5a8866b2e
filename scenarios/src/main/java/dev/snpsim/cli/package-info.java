/** The {@code snpsim} command line: picocli commands that stay thin over the modules below. */
package dev.snpsim.cli;
