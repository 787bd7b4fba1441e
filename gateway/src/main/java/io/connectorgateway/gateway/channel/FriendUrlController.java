package io.connectorgateway.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.connectorgateway.gateway.admin.AdminConfig;
import io.connectorgateway.gateway.admin.FriendUrls;
import io.connectorgateway.gateway.admin.MemberView;
import io.connectorgateway.gateway.admin.RequestJson;
import io.connectorgateway.gateway.limits.RateLimits;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code GET /friend/{tenant}/{token}}: the friend-add URL admins hand out, and
 * {@code GET /friend/{tenant}/{token}/qr.png}: the same URL as a QR code (ZXing). A current URL
 * redirects (302) to the LINE friend-add link of the member's current channel; a stale or unknown
 * one answers 410 with a page saying so (and the visit is audited, {@link FriendUrls}). The tenant's
 * owner decides ({@link TenantRouter}: another instance asks it, the owner answers in JSON to a
 * forwarded request), so a reset is in force for the next visitor on every instance.
 */
@Controller("/friend")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FriendUrlController {
    private static final int QR_PIXELS = 320;

    private final FriendUrls urls;
    private final TenantRouter router;
    private final AdminConfig config;
    private final RateLimits limits;

    public FriendUrlController(FriendUrls urls, TenantRouter router, AdminConfig config, RateLimits limits) {
        this.urls = urls;
        this.router = router;
        this.config = config;
        this.limits = limits;
    }

    /** The visit's verdict from the tenant's owner, after this instance's per-tenant limit; null: limited. */
    private HttpResponse<JsonNode> decide(HttpRequest<?> request, String tenant, String token) {
        if (!request.getHeaders().contains(TenantRouter.FORWARDED) && limits.friend(tenant) > 0) {
            return null;
        }
        return router.answer(request, tenant, null, () -> HttpResponse.ok(RequestJson.tree(urls.visit(tenant, token))));
    }

    private static MutableHttpResponse<String> limited() {
        return page(HttpStatus.TOO_MANY_REQUESTS, "Please try again", "Too many visits right now. Please try again in a moment.")
                .header(HttpHeaders.RETRY_AFTER, "1");
    }

    @Get(uri = "/{tenant}/{token}", produces = {MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public HttpResponse<?> visit(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String token) {
        String t = RequestJson.tenant(tenant);
        HttpResponse<JsonNode> decided = decide(request, t, token);
        if (decided == null) {
            return limited();
        }
        if (request.getHeaders().contains(TenantRouter.FORWARDED)) {
            return decided; // the owner answering another instance: JSON
        }
        JsonNode body = decided.body();
        String status = body == null ? "UNAVAILABLE" : body.path("status").asText();
        return switch (status) {
            // 302 and no-store, never 301: a permanent redirect would be cached past a reset
            case "VALID" -> HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, URI.create(
                    body.get("friendLink").asText()).toString()).header(HttpHeaders.CACHE_CONTROL, "no-store");
            case "NO_CHANNEL" -> page(HttpStatus.NOT_FOUND, "Not on LINE yet",
                    "This member cannot be added on LINE yet. Please try again later.");
            case "STALE", "UNKNOWN" -> page(HttpStatus.GONE, "This URL is no longer valid",
                    "This friend-add URL is no longer valid. Please ask for the current one.");
            default -> page(HttpStatus.SERVICE_UNAVAILABLE, "Please try again", "Please try again in a moment.")
                    .header(HttpHeaders.RETRY_AFTER, "1");
        };
    }

    @Get(uri = "/{tenant}/{token}/qr.png", produces = "image/png")
    public HttpResponse<?> qr(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String token) {
        String t = RequestJson.tenant(tenant);
        HttpResponse<JsonNode> decided = decide(request, t, token);
        if (decided == null) {
            return limited();
        }
        if (request.getHeaders().contains(TenantRouter.FORWARDED)) {
            return decided;
        }
        JsonNode body = decided.body();
        if (body == null || !"VALID".equals(body.path("status").asText())) {
            // a QR code is made only for a URL that is current: nobody prints a stale one by mistake
            return page(HttpStatus.GONE, "This URL is no longer valid", "No QR code: this friend-add URL is not current.");
        }
        return HttpResponse.ok(png(MemberView.friendUrl(config.friendUrlBase(), t, token))).contentType("image/png")
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** A QR code of {@code text} as PNG bytes. */
    public static byte[] png(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, QR_PIXELS, QR_PIXELS, Map.of(EncodeHintType.MARGIN, 2));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode the URL as a QR code: " + e.getMessage(), e);
        }
        BufferedImage image = new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                image.setRGB(x, y, m.get(x, y) ? 0x000000 : 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static MutableHttpResponse<String> page(HttpStatus status, String title, String text) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + title + "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>";
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE).body(html)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
