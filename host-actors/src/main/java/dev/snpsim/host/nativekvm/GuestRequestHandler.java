package dev.snpsim.host.nativekvm;

import java.util.concurrent.CompletionStage;

/**
 * Answers the guest requests of a {@link NativeVm}: in snpsim, the bridge to the Vmm,
 * CertStore and Psp actors. Called on the ringing vCPU's dedicated thread, which waits for the
 * stage; completing it on another thread (an actor's reply) is the expected use.
 */
@FunctionalInterface
public interface GuestRequestHandler {
    /**
     * @param request the decoded doorbell
     * @param shared  guest memory for this request: readable anywhere in the VM, writable only
     *                in the request's certificate buffer and response page, and only until the
     *                returned stage completes
     */
    CompletionStage<NativeGuestResult> handle(NativeGuestRequest request, GuestMemory shared);
}
