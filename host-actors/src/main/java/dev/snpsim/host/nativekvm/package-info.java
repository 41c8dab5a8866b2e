/**
 * The native backend's low level: real {@code /dev/kvm} from Java through JNA (x86-64 Linux).
 *
 * <p>Layers, bottom up:
 * <ul>
 *   <li>{@link dev.snpsim.host.nativekvm.KvmIoctl} and the package-private {@code LibC},
 *       {@code KvmLayout}: ioctl numbers computed as the kernel's {@code _IO/_IOR/_IOW} do, the
 *       libc calls, and the byte offsets of the kernel structures used.</li>
 *   <li>{@link dev.snpsim.host.nativekvm.Kvm}, {@link dev.snpsim.host.nativekvm.KvmVm},
 *       {@link dev.snpsim.host.nativekvm.KvmVcpu}: one class per file-descriptor kind (system,
 *       VM, vCPU), each ioctl a method; failures become {@link
 *       dev.snpsim.host.nativekvm.KvmException} naming the ioctl and the errno.</li>
 *   <li>{@link dev.snpsim.host.nativekvm.KvmProbe}: what this host's KVM offers, never throwing.</li>
 *   <li>{@link dev.snpsim.host.nativekvm.X86Asm} and {@link dev.snpsim.host.nativekvm.GuestProgram}:
 *       the project's own assembler and the guest program that issues GHCB-like extended guest
 *       requests through an I/O-port doorbell.</li>
 *   <li>{@link dev.snpsim.host.nativekvm.NativeVm}: a real VM with N vCPUs, each run on its own
 *       dedicated thread (never an actor dispatcher), turning doorbells into
 *       {@link dev.snpsim.host.nativekvm.NativeGuestRequest}s for a
 *       {@link dev.snpsim.host.nativekvm.GuestRequestHandler}.</li>
 *   <li>The bridge into the simulated host: {@code DriverBridge} (the handler: plays the guest's
 *       {@code sev-guest} driver for sealing with VMPCK0 through a {@code GuestChannel}, sends each
 *       doorbell as a {@code Vcpu.Vmgexit} to the simulated vCPU, copies the response and the
 *       certificate table into real guest memory, verifies every report);
 *       {@link dev.snpsim.host.nativekvm.NativeVcpus}, the actor that owns one {@code NativeVm}
 *       and its bridge; and {@link dev.snpsim.host.nativekvm.NativeScenario}, {@code native-smoke}:
 *       a real-time simulated host with one VM on real vCPUs.</li>
 * </ul>
 *
 * <p>Wall-clock time ({@code System.nanoTime}) is read here on purpose: real vCPUs run in real
 * time only. Nothing in this package is simulated.
 */
package dev.snpsim.host.nativekvm;
