package io.connectorgateway.gateway.webhook;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A TCP proxy in front of the shared single-node test broker, so a test can take Kafka away from
 * one client (the gateway) without stopping the broker every other test in the JVM uses.
 *
 * <p>A plain TCP proxy is not enough: Kafka clients bootstrap through it, then connect to the
 * broker address advertised in the metadata, bypassing it. So this proxy understands the framing
 * of the Kafka protocol and rewrites the broker addresses in Metadata and DescribeCluster
 * responses to point back at itself. {@link #pause()} closes the listening socket and every
 * connection (the client sees the broker as down); {@link #resume()} listens again on the same port.
 */
final class KafkaProxy implements AutoCloseable {
    private final String upstreamHost;
    private final int upstreamPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private KafkaProxy(String upstreamHost, int upstreamPort, ServerSocket server) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = server;
        this.port = server.getLocalPort();
        acceptLoop(server);
    }

    /** A proxy for the single broker at {@code bootstrapServers} ({@code host:port}). */
    static KafkaProxy start(String bootstrapServers) throws IOException {
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        ServerSocket s = listen(0);
        return new KafkaProxy(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)), s);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker goes away for the proxy's clients: no listener, every connection closed. */
    synchronized void pause() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** The broker is back, on the same address. */
    synchronized void resume() throws IOException {
        server = listen(port);
        acceptLoop(server);
    }

    @Override
    public void close() throws IOException {
        pause();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void acceptLoop(ServerSocket listening) {
        daemon("kafka-proxy-accept", () -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket(upstreamHost, upstreamPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    Map<Integer, short[]> pending = new ConcurrentHashMap<>();
                    daemon("kafka-proxy-up", () -> pumpRequests(client, upstream, pending));
                    daemon("kafka-proxy-down", () -> pumpResponses(upstream, client, pending));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Client to broker, remembering each request's api key and version by correlation id. */
    private void pumpRequests(Socket from, Socket to, Map<Integer, short[]> pending) {
        try (DataInputStream in = new DataInputStream(from.getInputStream());
             DataOutputStream out = new DataOutputStream(to.getOutputStream())) {
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer b = ByteBuffer.wrap(frame);
                short apiKey = b.getShort();
                short version = b.getShort();
                int correlationId = b.getInt();
                pending.put(correlationId, new short[] {apiKey, version});
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Broker to client, rewriting broker addresses so the client keeps talking through the proxy. */
    private void pumpResponses(Socket from, Socket to, Map<Integer, short[]> pending) {
        try (DataInputStream in = new DataInputStream(from.getInputStream());
             DataOutputStream out = new DataOutputStream(to.getOutputStream())) {
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                int correlationId = ByteBuffer.wrap(frame).getInt();
                short[] request = pending.remove(correlationId);
                if (request != null) {
                    frame = rewrite(frame, ApiKeys.forId(request[0]), request[1]);
                }
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private byte[] rewrite(byte[] frame, ApiKeys api, short version) {
        if (api != ApiKeys.METADATA && api != ApiKeys.DESCRIBE_CLUSTER) {
            return frame;
        }
        short headerVersion = api.responseHeaderVersion(version);
        ByteBuffer buf = ByteBuffer.wrap(frame);
        ResponseHeader header = ResponseHeader.parse(buf, headerVersion);
        ApiMessage body;
        if (api == ApiKeys.METADATA) {
            MetadataResponseData data = new MetadataResponseData(new ByteBufferAccessor(buf), version);
            data.brokers().forEach(b -> b.setHost("127.0.0.1").setPort(port));
            body = data;
        } else {
            DescribeClusterResponseData data = new DescribeClusterResponseData(new ByteBufferAccessor(buf), version);
            data.brokers().forEach(b -> b.setHost("127.0.0.1").setPort(port));
            body = data;
        }
        ByteBuffer h = MessageUtil.toByteBufferAccessor(header.data(), headerVersion).buffer();
        ByteBuffer m = MessageUtil.toByteBufferAccessor(body, version).buffer();
        byte[] out = new byte[h.remaining() + m.remaining()];
        h.get(out, 0, h.remaining());
        m.get(out, out.length - m.remaining(), m.remaining());
        return out;
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
