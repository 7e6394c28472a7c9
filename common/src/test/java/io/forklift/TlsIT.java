package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.embedded.EmbeddedRedis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * TLS mistakes fail fast with a message that says what to change: rediss:// to a plaintext Redis,
 * a TLS server whose certificate this JVM does not trust (a self-signed one made with keytool), and
 * redis:// to a TLS port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TlsIT {
    private EmbeddedRedis plaintext;
    private SSLServerSocket tlsServer;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        plaintext = EmbeddedRedis.start();
        dir = Files.createTempDirectory("forklift-tls-");
        tlsServer = selfSignedServer(dir.resolve("server.p12"));
        Thread acceptor = new Thread(this::acceptAndHandshake, "tls-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    void stop() throws Exception {
        plaintext.close();
        tlsServer.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Test
    void redissToAPlaintextPortSaysToUseRedis() {
        RedisUnavailableException e = assertThrows(
                RedisUnavailableException.class,
                () -> Forklift.connect("rediss://127.0.0.1:" + plaintext.port()).close());
        assertTrue(e.getMessage().contains("use redis:// instead of rediss://"), e.getMessage());
    }

    @Test
    void anUntrustedCertificateSaysToGiveTheCa() {
        RedisUnavailableException e = assertThrows(
                RedisUnavailableException.class,
                () -> Forklift.connect("rediss://127.0.0.1:" + tlsServer.getLocalPort())
                        .close());
        assertTrue(
                e.getMessage().contains("does not trust") && e.getMessage().contains("javax.net.ssl.trustStore"),
                e.getMessage());
    }

    @Test
    void plaintextToATlsPortSuggestsRediss() {
        RedisUnavailableException e = assertThrows(
                RedisUnavailableException.class,
                () -> Forklift.connect("redis://127.0.0.1:" + tlsServer.getLocalPort())
                        .close());
        assertTrue(e.getMessage().contains("use rediss://"), e.getMessage());
    }

    /** A TLS server socket with a fresh self-signed certificate, made by the JDK's keytool. */
    private static SSLServerSocket selfSignedServer(Path keystore) throws Exception {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "redis",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-validity",
                        "1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    }

    /** Like a TLS-only Redis: handshakes each connection, and closes it when the handshake fails. */
    private void acceptAndHandshake() {
        while (!tlsServer.isClosed()) {
            try (SSLSocket s = (SSLSocket) tlsServer.accept()) {
                s.setSoTimeout(5000);
                s.startHandshake();
            } catch (IOException expected) {
                // a client that does not trust us, or speaks plaintext: the connection ends here
            }
        }
    }
}
