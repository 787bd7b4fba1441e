package io.connectorgateway.testsupport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.push.PushMeterRegistry;
import io.micrometer.core.instrument.push.PushRegistryConfig;

/** Checks of the services' Micrometer set-up. */
public final class Meters {
    private Meters() {
    }

    /** Whether {@code r} writes metrics into the log: a logging registry that is switched on. */
    public static boolean logsMetrics(MeterRegistry r) {
        if (!(r instanceof LoggingMeterRegistry)) {
            return false;
        }
        try {
            var f = PushMeterRegistry.class.getDeclaredField("config");
            f.setAccessible(true);
            return ((PushRegistryConfig) f.get(r)).enabled();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the logging registry's configuration", e);
        }
    }
}
