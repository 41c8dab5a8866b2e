/**
 * JMH micro-benchmarks of {@code snp-abi}: report decoding, signing and verification,
 * measured beside raw Bouncy Castle P-384 SHA-384 ECDSA so the overhead of our layers shows.
 */
package dev.snpsim.bench.abi;
