package io.connectorgateway.local.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The gateways as a load balancer in front of them shows them to LINE and LINE WORKS: a request
 * goes to gateway {@code first}, or to the next ones while a gateway refuses the connection (it is
 * down); a request that reached one and got no answer is not sent on (its sender decides whether
 * to send it again).
 */
final class LoadBalancer {
    /** An answer (-1: none) and the gateway (index) that took the request, or the last one tried. */
    record Answer(int status, int gateway) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<URI> endpoints;

    /** @param path the path after each gateway's base URL */
    LoadBalancer(List<String> gatewayUrls, String path) {
        this.endpoints = gatewayUrls.stream().map(u -> URI.create(u + path)).toList();
    }

    int size() {
        return endpoints.size();
    }

    /** Sends the request {@code request} builds for a gateway's URI, from gateway {@code first} on. */
    Answer send(int first, Function<URI, HttpRequest> request) throws InterruptedException {
        int gateway = Math.floorMod(first, endpoints.size());
        for (int tried = 0; tried < endpoints.size(); tried++) {
            gateway = Math.floorMod(first + tried, endpoints.size());
            try {
                return new Answer(http.send(request.apply(endpoints.get(gateway)), HttpResponse.BodyHandlers.discarding())
                        .statusCode(), gateway);
            } catch (java.net.ConnectException refused) {
                // down: the next gateway
            } catch (java.io.IOException noAnswer) {
                return new Answer(-1, gateway);
            }
        }
        return new Answer(-1, gateway);
    }
}
