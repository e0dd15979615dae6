package qp.cluster.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's errors, against what is not a Flink cluster (the real cluster is in ClusterSubmitTest). */
class FlinkRestClientTest {
    @Test
    void anUnreachableClusterSaysHowToStartOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        FlinkRestClient rest = new FlinkRestClient("http://localhost:" + port, Duration.ofSeconds(5));
        assertThatThrownBy(rest::overview).isInstanceOf(FlinkRestException.class)
                .hasMessageContaining("cannot reach the Flink cluster at http://localhost:" + port)
                .hasMessageContaining("bin/qp cluster start").hasMessageContaining("--rest-url");
    }

    @Test
    void aUrlThatIsNotOneIsRefusedUpFront() {
        assertThatThrownBy(() -> new FlinkRestClient("localhost:8081", Duration.ofSeconds(5)))
                .hasMessageContaining("'localhost:8081' is not a URL");
    }

    @Test
    void somethingThatIsNotFlinkAndFlinkErrorsAreReportedWithTheCall() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/overview", x -> respond(x, 200, "<html>not flink</html>"));
        server.createContext("/jobs/overview", x -> respond(x, 500, "{\"errors\":[\"java.lang.IllegalStateException: "
                + "boom\\n\\tat a.b.C(C.java:1)\\nCaused by: java.io.IOException: disk full\\n\\tat d.e.F(F.java:2)\"]}"));
        server.start();
        try {
            FlinkRestClient rest = new FlinkRestClient("http://localhost:" + server.getAddress().getPort() + "/",
                    Duration.ofSeconds(5));
            assertThatThrownBy(rest::overview).hasMessageContaining("not JSON").hasMessageContaining("Flink REST address");
            assertThatThrownBy(rest::jobs).hasMessageContaining("GET /jobs/overview").hasMessageContaining("HTTP 500")
                    .hasMessageContaining("boom").hasMessageContaining("Caused by: java.io.IOException: disk full")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("C.java"));
        } finally {
            server.stop(0);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
