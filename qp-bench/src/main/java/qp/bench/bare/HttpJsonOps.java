package qp.bench.bare;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import qp.protocol.json.QpJson;

/**
 * QP's echo and DATA ops as a plain REST API over HTTP/1.1 JSON, for the QP-versus-HTTP benchmark: {@code POST /echo}
 * answers the JSON body unchanged, {@code POST /data} answers {@code {"bytes": <body length>}}. Like the bare QP
 * server it does only what every correct server must (read the body, parse the JSON, write the reply) on the I/O
 * thread, and like it accepts any token, but a request without {@code Authorization: Bearer ...} gets 401: a REST
 * API authenticates every request, where QP authenticates the session once.
 */
public final class HttpJsonOps {
    private HttpJsonOps() {
    }

    /** The echo endpoint: the JSON object in, the same object out. */
    public static HttpHandler echo() {
        return exchange -> {
            if (!allowed(exchange)) {
                return;
            }
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                JsonNode args;
                try {
                    args = QpJson.tree(body);
                } catch (IOException e) {
                    args = null;
                }
                if (args == null || !args.isObject()) {
                    reply(ex, StatusCodes.BAD_REQUEST, QpJson.bytes(QpJson.object().put("code", "BAD_JSON")
                            .put("message", "the body must be a JSON object")));
                    return;
                }
                reply(ex, StatusCodes.OK, QpJson.bytes(args));
            });
        };
    }

    /** The DATA endpoint: opaque bytes in, their count out. */
    public static HttpHandler data() {
        return exchange -> {
            if (!allowed(exchange)) {
                return;
            }
            exchange.getRequestReceiver().receiveFullBytes((ex, body) ->
                    reply(ex, StatusCodes.OK, QpJson.bytes(QpJson.object().put("bytes", body.length))));
        };
    }

    private static boolean allowed(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            reply(exchange, StatusCodes.METHOD_NOT_ALLOWED, QpJson.bytes(QpJson.object().put("code", "POST_ONLY")));
            return false;
        }
        String auth = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() == "Bearer ".length()) {
            reply(exchange, StatusCodes.UNAUTHORIZED, QpJson.bytes(QpJson.object().put("code", "AUTH_FAILED")));
            return false;
        }
        return true;
    }

    private static void reply(HttpServerExchange exchange, int status, byte[] json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(json));
    }
}
