package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.RawWs;
import qp.gateway.testing.TestGateways;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;

/** wss:// when TLS is configured (PROTOCOL.md, Transport), with a self-signed certificate made by keytool. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void qpOverWss() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "qp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        SSLContext server = Tls.serverContext(ks, "changeit");
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().tls(server).build(), new CollectingEmitter());
             RawWs ws = new RawWs(gw.uri(), HttpClient.newBuilder().sslContext(trusting(ks)).build())) {
            assertThat(gw.uri().getScheme()).isEqualTo("wss");
            ws.send(FrameEncoder.concat(
                    FrameEncoder.encode(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.encode(MessageType.COMMAND, "{\"id\":1,\"op\":\"echo\",\"args\":{\"tls\":true}}".getBytes(StandardCharsets.UTF_8))));
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.messages.size() >= 2);
            Frame echo = FrameReader.readAll(ByteBuffer.wrap(ws.messages.get(1)), Long.MAX_VALUE)[0];
            assertThat(new String(echo.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1,\"result\":{\"tls\":true}}");
        }
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("qp", ks.getCertificate("qp"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
