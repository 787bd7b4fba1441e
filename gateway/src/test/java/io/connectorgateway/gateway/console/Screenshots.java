package io.connectorgateway.gateway.console;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Keeps the committed screenshots small: a page of flat colours and anti-aliased text needs no more
 * than a 256-colour palette (its most frequent colours, every other pixel mapped to the nearest),
 * which makes the PNG a third of its size or less.
 */
final class Screenshots {
    private Screenshots() {
    }

    static byte[] indexed(byte[] png) throws IOException {
        BufferedImage in = ImageIO.read(new ByteArrayInputStream(png));
        int w = in.getWidth();
        int h = in.getHeight();
        int[] rgb = in.getRGB(0, 0, w, h, null, 0, w);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int p : rgb) {
            counts.merge(p & 0xFFFFFF, 1, Integer::sum);
        }
        int[] palette = counts.entrySet().stream().sorted(Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(256).mapToInt(Map.Entry::getKey).toArray();
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, palette.length, r, g, b));
        Map<Integer, Integer> nearest = new HashMap<>();
        byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i++) {
            data[i] = (byte) (int) nearest.computeIfAbsent(rgb[i] & 0xFFFFFF, c -> closest(palette, c));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    private static int closest(int[] palette, int c) {
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i < palette.length; i++) {
            int dr = ((palette[i] >> 16) & 0xFF) - ((c >> 16) & 0xFF);
            int dg = ((palette[i] >> 8) & 0xFF) - ((c >> 8) & 0xFF);
            int db = (palette[i] & 0xFF) - (c & 0xFF);
            long d = 3L * dr * dr + 4L * dg * dg + 2L * db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }
}
