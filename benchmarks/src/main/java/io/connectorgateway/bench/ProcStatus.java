package io.connectorgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads peak resident memory from Linux's {@code /proc/<pid>/status}. */
final class ProcStatus {
    private ProcStatus() {
    }

    /** {@code VmHWM} (the peak RSS the kernel recorded) in MiB, NaN where /proc does not exist. */
    static double peakRssMib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static double selfPeakRssMib() {
        return peakRssMib(Path.of("/proc/self/status"));
    }
}
