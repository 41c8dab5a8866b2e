/** Macro benchmark of the PSP actor: guest requests per wall second in virtual time against the crypto floor. */
package dev.snpsim.bench.psp;
