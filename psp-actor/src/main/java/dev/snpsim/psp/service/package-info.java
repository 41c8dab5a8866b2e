/**
 * Service-time models: how long the PSP takes per command, drawn from the actor's own seeded
 * stream. Variants share the stem {@code ServiceTime}; {@link dev.snpsim.psp.service.ServiceTimes}
 * maps each command kind to one.
 */
package dev.snpsim.psp.service;
