package io.connectorgateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.cli.AdminCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack on its own embedded broker (no test broker): the broker's address is the same
 * after a restart, so the {@code audit verify} command the banner printed before the restart still
 * works after it, as printed.
 */
class LocalStackRestartTest {

    @TempDir
    Path data;

    @Test
    void theBannersAuditVerifyCommandWorksAcrossARestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var options = new LocalStack.Options(data, null, "", 2, -1, 0, 0, port);
        String verifyLine;
        try (LocalStack stack = LocalStack.start(options)) {
            verifyLine = auditVerifyLine(stack.banner(stack.followExample()));
            assertTrue(verifyLine.contains("--bootstrap 127.0.0.1:" + port), verifyLine);
            assertEquals(0, run(verifyLine), "the printed audit verify, before the restart");
        }
        try (LocalStack again = LocalStack.start(options)) {
            assertEquals(verifyLine, auditVerifyLine(again.banner(again.followExample())), "the same command after the restart");
            assertEquals(0, run(verifyLine), "the command printed before the restart, run after it");
        }
    }

    @Test
    void brokerDataOfTheOlderLayoutIsRefusedWithWhatToDo() throws Exception {
        Path old = data.resolve("kafka").resolve("combined_0_0");
        Files.createDirectories(old);
        Files.writeString(old.resolve("meta.properties"), "node.id=0\n");
        var options = new LocalStack.Options(data, null, "", 2, -1, 0, 0, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalStack.start(options));
        assertTrue(e.getMessage().contains("older local stack") && e.getMessage().contains("LOCAL_DATA_DIR"), e.getMessage());
    }

    private static String auditVerifyLine(String banner) {
        return Arrays.stream(banner.split("\n")).filter(l -> l.contains(" audit verify ")).findFirst()
                .orElseThrow(() -> new AssertionError("no audit verify command in the banner:\n" + banner)).trim();
    }

    /** Runs {@code VAR=value ./connector-admin audit verify ...} as printed, in this JVM. */
    private static int run(String line) {
        String[] words = line.split("\\s+");
        Map<String, String> env = new HashMap<>();
        int i = 0;
        while (words[i].contains("=")) {
            String[] kv = words[i++].split("=", 2);
            env.put(kv[0], kv[1]);
        }
        assertTrue(words[i].endsWith("connector-admin"), line);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AdminCli.execute(env, new PrintWriter(out), new PrintWriter(err), Arrays.copyOfRange(words, i + 1, words.length));
        assertTrue(code == 0, "exit " + code + "\nout: " + out + "\nerr: " + err);
        return code;
    }
}
