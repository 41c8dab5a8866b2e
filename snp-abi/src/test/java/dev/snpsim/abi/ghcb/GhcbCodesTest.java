package dev.snpsim.abi.ghcb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GhcbCodesTest {

    @Test
    void exitInfo2PutsVmmErrorInTheUpperHalf() {
        assertThat(ExitInfo2.of(VmmError.INVALID_LEN, 0).encode()).isEqualTo(0x1_0000_0000L);
        assertThat(ExitInfo2.of(VmmError.BUSY, 0).encode()).isEqualTo(0x2_0000_0000L);
        assertThat(ExitInfo2.of(VmmError.GENERIC, 0).encode()).isEqualTo(0xFFFF_FFFF_0000_0000L);
        assertThat(ExitInfo2.of(VmmError.GENERIC_V15, 0).encode()).isEqualTo(0x8000_0000_0000_0000L);
        assertThat(ExitInfo2.of(VmmError.NONE, FirmwareStatus.INVALID_PARAM).encode()).isEqualTo(0x16L);
        assertThat(ExitInfo2.OK.isSuccess()).isTrue();
    }

    @Test
    void exitInfo2RoundTripsAnyValue() {
        for (long raw : new long[] {0, 1, 0x1_0000_0000L, -1L, 0x8000_0000_0000_0027L, 0x0000_0003_ffff_ffffL}) {
            assertThat(ExitInfo2.decode(raw).encode()).isEqualTo(raw);
        }
        ExitInfo2 e = ExitInfo2.decode(0xFFFF_FFFF_0000_0027L);
        assertThat(e.vmmErrorKind()).isEqualTo(VmmError.GENERIC);
        assertThat(e.firmwareStatus()).isEqualTo(FirmwareStatus.INVALID_KEY);
        assertThat(ExitInfo2.decode(0x7_0000_0000L).vmmErrorKind()).isEqualTo(VmmError.OTHER);
        assertThat(ExitInfo2.decode(0x7_0000_0000L).vmmError()).isEqualTo(7);
    }

    @Test
    void firmwareStatusValuesMatchPspSevH() {
        assertThat(FirmwareStatus.of(0)).isEqualTo(FirmwareStatus.SUCCESS);
        assertThat(FirmwareStatus.of(2)).isEqualTo(FirmwareStatus.INVALID_GUEST_STATE);
        assertThat(FirmwareStatus.of(4)).isEqualTo(FirmwareStatus.INVALID_LENGTH);
        assertThat(FirmwareStatus.of(0x16)).isEqualTo(FirmwareStatus.INVALID_PARAM);
        assertThat(FirmwareStatus.of(0x17)).isEqualTo(FirmwareStatus.RESOURCE_LIMIT);
        assertThat(FirmwareStatus.of(0x18)).isEqualTo(FirmwareStatus.SECURE_DATA_INVALID);
        assertThat(FirmwareStatus.of(0x27)).isEqualTo(FirmwareStatus.INVALID_KEY);
        assertThat(FirmwareStatus.of(0x1E)).isEqualTo(FirmwareStatus.UNKNOWN); // no code 0x1e
        assertThat(FirmwareStatus.of(0x28)).isEqualTo(FirmwareStatus.UNKNOWN);
        assertThat(FirmwareStatus.of(-1)).isEqualTo(FirmwareStatus.UNKNOWN);
        assertThat(ExitInfo2.decode(0x1234).fwError()).isEqualTo(0x1234); // the raw code survives
    }

    @Test
    void exitCodesAndErrno() {
        assertThat(SvmExitCode.GUEST_REQUEST).isEqualTo(0x8000_0011L);
        assertThat(SvmExitCode.EXT_GUEST_REQUEST).isEqualTo(0x8000_0012L);
        assertThat(Errno.EAGAIN).isEqualTo(11);
        assertThat(Errno.ENOSPC).isEqualTo(28);
        assertThat(Errno.name(-Errno.EINTR)).isEqualTo("EINTR");
        assertThat(Errno.name(99)).isEqualTo("errno 99");
    }
}
