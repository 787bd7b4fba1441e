package io.connectorgateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One network link between two Kafka nodes, as a TCP relay on loopback: node A reaches node B's
 * listener through this relay's port and nothing else. {@link #cut()} makes the link a black hole,
 * as a network partition does: connections stay open but no byte goes through in either
 * direction, and a new connection is accepted by the kernel and then hears nothing (no refusal, no
 * reset: the sender finds out by its own timeouts). {@link #heal()} closes what the cut held (TCP
 * would have given those connections up by then) and lets new connections through again.
 *
 * <p>Loopback has no packet filter on these machines (no iptables, no {@code tc} qdiscs in the
 * kernel), so a partition of one broker from its peers, while clients still reach it, is made by
 * routing every node-to-node link through a relay of its own ({@link KafkaCluster}).
 */
final class LinkProxy implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean closed;

    /** Listens on a free loopback port, relaying to {@code 127.0.0.1:targetPort}. */
    LinkProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "link-" + name);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes relayed so far (both directions). */
    long bytes() {
        return bytes.get();
    }

    boolean isCut() {
        return cut;
    }

    /** From now on nothing goes through, in either direction, on old or new connections. */
    void cut() {
        cut = true;
    }

    /** Closes every connection the cut held and lets traffic through again. */
    void heal() {
        synchronized (gate) {
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
            cut = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket in = server.accept();
                if (cut) {
                    open.add(in); // accepted by the kernel, then silence until the heal closes it
                    continue;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException refused) {
                    closeQuietly(in); // the node is down: its peer sees what it would see without the relay
                    continue;
                }
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                open.add(in);
                open.add(out);
                pipe(in, out, name + " >");
                pipe(out, in, name + " <");
            } catch (IOException e) {
                if (!closed) {
                    sleep(50);
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, String thread) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[BUFFER];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                    if (!awaitOpen(from)) {
                        return; // healed: this connection was closed with the cut
                    }
                    o.write(buf, 0, n);
                    o.flush();
                    bytes.addAndGet(n);
                }
            } catch (IOException ended) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, thread);
        t.setDaemon(true);
        t.start();
    }

    /** Holds the bytes while the link is cut; false when the connection was closed by the heal. */
    private boolean awaitOpen(Socket s) {
        synchronized (gate) {
            while (cut && !closed && !s.isClosed()) {
                try {
                    gate.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !s.isClosed() && !closed;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        heal();
    }

    @Override
    public String toString() {
        return name + " :" + port() + " -> :" + targetPort + (cut ? " (cut)" : "");
    }
}
