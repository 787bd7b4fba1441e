package io.connectorgateway.greeting.channel;

import io.connectorgateway.contracts.command.GreetingCommand;

/** Which LINE channel, with which access token, a greeting goes out through ({@link ChannelRegistry}). */
@FunctionalInterface
public interface GreetingChannels {

    Resolution resolve(GreetingCommand command);

    /** Where a greeting goes out from: the channel and its access token, or why there is none. */
    sealed interface Resolution permits Found, Missing, NotReady {
    }

    /** @param channelId the LINE channel; also the rate-limit key (LINE's limits are per channel) */
    record Found(String channelId, String accessToken) implements Resolution {
        @Override
        public String toString() {
            return "Found[" + channelId + "]"; // never print a token
        }
    }

    /** No channel to send through; {@code reason} goes into the GREETING_FAILED audit record. */
    record Missing(String reason) implements Resolution {
    }

    /** The tenant's partition of the registry is still being read (just assigned): try again shortly. */
    record NotReady(int partition) implements Resolution {
    }
}
