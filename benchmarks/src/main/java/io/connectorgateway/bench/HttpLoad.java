package io.connectorgateway.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load generator: {@code senders} threads, each sending its share of
 * {@code requests} one after the other, timing each request to its answer. Closed-loop on
 * purpose: it finds the rate the server sustains, and the same generator is pointed at both
 * endpoints that are compared.
 */
final class HttpLoad {
    /** Requests/s and the answer-time histogram in microseconds. */
    record Outcome(double requestsPerSecond, Histogram micros) {
        double p(double percentile) {
            return micros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int senders;

    HttpLoad(int senders) {
        this.senders = senders;
    }

    /** Sends {@code requests} requests made by {@code request}; every answer must be 200. */
    Outcome run(int requests, IntFunction<HttpRequest> request) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long started = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                futures.add(pool.submit(() -> {
                    for (int i = sender; i < requests; i += senders) {
                        HttpRequest r = request.apply(i);
                        long t0 = System.nanoTime();
                        HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - t0;
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException(r.uri() + " answered " + answer.statusCode() + ": " + answer.body());
                        }
                        synchronized (h) {
                            h.recordValue(Math.min(took / 1000, h.getHighestTrackableValue()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Outcome(requests / ((System.nanoTime() - started) / 1e9), h);
    }
}
