/**
 * The host's management tooling (snphost's role): VLEK rotation, firmware update and commit,
 * SNP_SET_CONFIG of the reported TCB, each under an exclusive lock on the certificate blob so
 * that VMMs never serve certificates out of step with the key the firmware signs with.
 */
package dev.snpsim.host.mgmt;
