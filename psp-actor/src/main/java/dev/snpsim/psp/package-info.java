/**
 * The AMD Secure Processor as one serial actor: firmware state and commands, the service
 * time model and the queue disciplines in front of it.
 */
package dev.snpsim.psp;
