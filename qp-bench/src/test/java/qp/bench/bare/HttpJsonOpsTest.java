package qp.bench.bare;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bare server's HTTP/1.1 JSON endpoints: the same answers as QP's echo and DATA, and clear refusals. */
class HttpJsonOpsTest {
    private static Undertow bare;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        bare = BareServerMain.start("127.0.0.1", 0, 1, 1 << 20);
        base = "http://127.0.0.1:" + ((InetSocketAddress) bare.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        bare.stop();
    }

    @Test
    void echoAnswersTheBodyAndDataItsLength() throws Exception {
        assertThat(post("/echo", "{\"p\":\"xyz\"}", "Bearer t").body()).isEqualTo("{\"p\":\"xyz\"}");
        assertThat(post("/data", "d".repeat(300), "Bearer t").body()).isEqualTo("{\"bytes\":300}");
    }

    @Test
    void aRequestWithoutTokenIsRefused() throws Exception {
        HttpResponse<String> r = post("/echo", "{}", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("AUTH_FAILED");
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsABadRequest() throws Exception {
        HttpResponse<String> r = post("/echo", "{not json", "Bearer t");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("BAD_JSON");
        assertThat(post("/echo", "[1]", "Bearer t").statusCode()).isEqualTo(400);
    }

    private static HttpResponse<String> post(String path, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
