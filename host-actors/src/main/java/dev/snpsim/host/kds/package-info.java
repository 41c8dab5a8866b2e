/**
 * The simulated AMD key distribution service (KDS): issues VCEK certificates for a
 * (product, chip id, TCB) and VLEK chains, and rate-limits downloads as AMD does (about
 * one request per 10 s per chip and TCB, HTTP 429), which is why hosts cache the
 * certificates in the blob.
 */
package dev.snpsim.host.kds;
