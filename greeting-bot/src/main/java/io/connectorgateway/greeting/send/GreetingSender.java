package io.connectorgateway.greeting.send;

import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.GreetingResult;
import io.connectorgateway.contracts.command.GreetingResult.Outcome;
import io.connectorgateway.greeting.channel.GreetingChannels;
import io.connectorgateway.greeting.health.GreetingMetrics;
import io.connectorgateway.greeting.line.LineApi;
import io.connectorgateway.greeting.line.LineResponse;
import io.connectorgateway.greeting.line.LineTransportException;
import io.connectorgateway.greeting.line.PushRequest;
import io.connectorgateway.greeting.line.PushRequest.TextMessage;
import io.connectorgateway.greeting.line.RetryKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one greeting command to LINE and decides its outcome (SPEC R7).
 *
 * <p>Every attempt carries the same {@code X-Line-Retry-Key} (from the command id), so LINE
 * executes the push at most once however often it is tried, here or by another instance after a
 * crash; LINE's {@code 409} for a key it already accepted therefore means "sent". What is retried:
 * 5xx answers, timeouts and connection failures (backoff with jitter), 429 (after
 * {@code Retry-After} when given). Any other 4xx is final: retrying an invalid request or token
 * cannot help.
 */
public final class GreetingSender {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingSender.class);
    /** Longest single sleep, so that an abandoned command stops waiting promptly. */
    private static final long SLEEP_SLICE_MS = 50;
    /** Longest wait for the tenant's partition of the channel registry to be read. */
    static final Duration REGISTRY_WAIT = Duration.ofSeconds(60);

    private final LineApi line;
    private final GreetingChannels channels;
    private final MemberDirectory members;
    private final String userNameFallback;
    private final RetryPolicy retry;
    private final Duration maxAge;
    private final RateLimiter rateLimiter;
    private final GreetingMetrics metrics;

    public GreetingSender(LineApi line, GreetingChannels channels, MemberDirectory members, String userNameFallback,
                          RetryPolicy retry, Duration maxAge, RateLimiter rateLimiter, GreetingMetrics metrics) {
        this.line = line;
        this.channels = channels;
        this.members = members;
        this.userNameFallback = userNameFallback;
        this.retry = retry;
        this.maxAge = maxAge;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
    }

    /** Thrown when the command was abandoned (shutdown, partition revoked) before an outcome. */
    public static final class Abandoned extends Exception {
        public Abandoned(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code command}, retrying as the policy allows, and returns the outcome.
     *
     * @param abandoned polled between attempts; when it turns true the command is given up
     *                  without an outcome (its offset is then not committed, so it is retried)
     */
    public SendReport send(GreetingCommand command, BooleanSupplier abandoned) throws Abandoned {
        long started = System.nanoTime();
        String retryKey = RetryKey.forCommand(command.commandId());
        long ageMs = System.currentTimeMillis() - command.timestamp();
        if (ageMs > maxAge.toMillis()) {
            // LINE forgets a retry key 24 hours after the first request: past that, an earlier
            // attempt we cannot see (a crash before its outcome was recorded, a replay of the
            // topic) could be repeated. Never twice beats late (SPEC R7).
            return failed(command, retryKey, started, 0, 0, null, null, "not sent: the friend-add is "
                    + Duration.ofMillis(ageMs).toHours() + " h old, beyond the " + maxAge.toHours()
                    + " h in which LINE's retry key prevents a duplicate greeting");
        }
        GreetingChannels.Resolution resolved = channelFor(command, abandoned);
        if (resolved instanceof GreetingChannels.Missing missing) {
            return failed(command, retryKey, started, 0, 0, null, null, "not sent: " + missing.reason());
        }
        if (resolved instanceof GreetingChannels.NotReady notReady) {
            return failed(command, retryKey, started, 0, 0, null, null, "not sent: partition " + notReady.partition()
                    + " of the channel registry was not read within " + REGISTRY_WAIT.toSeconds() + " s");
        }
        GreetingChannels.Found channel = (GreetingChannels.Found) resolved;
        // The channel the user followed, with its own access token (issue 13): never another's.
        String token = channel.accessToken();
        // LINE's rate limit is per channel: greetings that share a channel share its budget.
        String limitKey = command.tenant() + "|" + channel.channelId();
        PushRequest request;
        try {
            request = compose(command, token, limitKey);
        } catch (IllegalArgumentException e) {
            return failed(command, retryKey, started, 0, 0, null, null, "greeting cannot be sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned("interrupted while reading the LINE profile");
        }
        String digest = digest(request.messages());
        String lastFailure = null;
        int lastStatus = 0;
        String requestId = null;
        int attempts = 0;
        while (attempts < retry.maxAttempts()) {
            checkAbandoned(abandoned);
            try {
                rateLimiter.acquire(limitKey + "|push");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned("interrupted while waiting for the rate limit");
            }
            checkAbandoned(abandoned);
            attempts++;
            Duration wait;
            try {
                LineResponse response = line.push(token, retryKey, request);
                metrics.attempt(response.status());
                lastStatus = response.status();
                requestId = response.requestId();
                if (response.accepted()) {
                    return sent(command, retryKey, started, attempts, lastStatus, digest, requestId, "accepted by LINE");
                }
                if (response.alreadyAccepted()) {
                    // LINE accepted this retry key before (an earlier attempt whose answer was
                    // lost, or a previous run of this command): the greeting went out once.
                    return sent(command, retryKey, started, attempts, lastStatus, digest, requestId,
                            "already accepted by LINE (409 for the retry key)");
                }
                lastFailure = response.describe();
                if (response.tooManyRequests()) {
                    Optional<Duration> retryAfter = response.retryAfter();
                    if (retryAfter.isPresent() && retryAfter.get().compareTo(retry.maxRetryAfter()) > 0) {
                        return failed(command, retryKey, started, attempts, lastStatus, digest, requestId,
                                lastFailure + "; Retry-After " + retryAfter.get().toSeconds() + " s exceeds the "
                                        + retry.maxRetryAfter().toSeconds() + " s the bot waits");
                    }
                    wait = retryAfter.orElseGet(() -> retry.backoff(1, ThreadLocalRandom.current()));
                } else if (response.serverError()) {
                    wait = retry.backoff(attempts, ThreadLocalRandom.current());
                } else {
                    return failed(command, retryKey, started, attempts, lastStatus, digest, requestId,
                            "LINE refused the push (not retried): " + lastFailure);
                }
            } catch (LineTransportException e) {
                checkAbandoned(abandoned);
                metrics.attempt(0);
                lastFailure = e.getMessage();
                wait = retry.backoff(attempts, ThreadLocalRandom.current());
            }
            if (attempts < retry.maxAttempts()) {
                LOG.info("greeting {} attempt {} failed ({}); retrying in {} ms", command.commandId(), attempts,
                        lastFailure, wait.toMillis());
                sleep(wait, abandoned);
            }
        }
        return failed(command, retryKey, started, attempts, lastStatus, digest, requestId,
                "retry budget spent after " + attempts + " attempts; last: " + lastFailure);
    }

    /**
     * The channel, waiting while the tenant's partition of the registry is still being read (the
     * consumer keeps such partitions paused, so this only bridges a rebalance racing a send).
     */
    private GreetingChannels.Resolution channelFor(GreetingCommand command, BooleanSupplier abandoned) throws Abandoned {
        long until = System.nanoTime() + REGISTRY_WAIT.toNanos();
        GreetingChannels.Resolution r = channels.resolve(command);
        while (r instanceof GreetingChannels.NotReady && System.nanoTime() < until) {
            sleep(Duration.ofMillis(SLEEP_SLICE_MS), abandoned);
            r = channels.resolve(command);
        }
        return r;
    }

    private PushRequest compose(GreetingCommand command, String token, String limitKey) throws InterruptedException {
        String memberName = members.nameOrId(command.tenant(), command.memberId());
        String userName = userNameFallback;
        if (GreetingMessages.needsUserName(command.text(), command.salesInfo())) {
            rateLimiter.acquire(limitKey + "|profile");
            userName = line.displayName(token, command.lineUserId()).orElse(userNameFallback);
        }
        List<TextMessage> messages = GreetingMessages.compose(command.text(), command.salesInfo(), memberName, userName);
        return new PushRequest(command.lineUserId(), messages);
    }

    private static void checkAbandoned(BooleanSupplier abandoned) throws Abandoned {
        if (abandoned.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new Abandoned("greeting abandoned before an outcome");
        }
    }

    private static void sleep(Duration wait, BooleanSupplier abandoned) throws Abandoned {
        long until = System.nanoTime() + wait.toNanos();
        try {
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                checkAbandoned(abandoned);
                Thread.sleep(Math.min(SLEEP_SLICE_MS, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned("interrupted while waiting to retry");
        }
    }

    private SendReport sent(GreetingCommand c, String retryKey, long started, int attempts, int status, String digest,
                            String requestId, String reason) {
        long latency = (System.nanoTime() - started) / 1_000_000;
        metrics.outcome(true, latency);
        return new SendReport(new GreetingResult(GreetingResult.SCHEMA_VERSION, c.commandId(), c.tenant(), c.roomId(),
                c.lineUserId(), Outcome.SENT, reason, attempts, latency, System.currentTimeMillis()),
                retryKey, status, digest, requestId);
    }

    private SendReport failed(GreetingCommand c, String retryKey, long started, int attempts, int status, String digest,
                              String requestId, String reason) {
        long latency = (System.nanoTime() - started) / 1_000_000;
        metrics.outcome(false, latency);
        LOG.warn("greeting {} for tenant {} failed after {} attempts: {}", c.commandId(), c.tenant(), attempts, reason);
        return new SendReport(new GreetingResult(GreetingResult.SCHEMA_VERSION, c.commandId(), c.tenant(), c.roomId(),
                c.lineUserId(), Outcome.FAILED, reason, attempts, latency, System.currentTimeMillis()),
                retryKey, status, digest, requestId);
    }

    static String digest(List<TextMessage> messages) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TextMessage m : messages) {
                sha.update(m.text().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
