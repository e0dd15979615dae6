package qp.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import qp.protocol.frame.ErrorCode;
import qp.protocol.json.QpJson;

/**
 * An op forwarded to an upstream HTTP service: POSTs the args JSON, and the response body (JSON) becomes the result.
 * Upstream down, slow past the timeout, a non-2xx status or a body that is not JSON: UPSTREAM_ERROR, session open.
 * Asynchronous (JDK HttpClient): the IO thread never waits for the upstream.
 */
final class UpstreamHandler implements CommandHandler {
    private final HttpClient http;
    private final URI upstream;
    private final Duration timeout;

    UpstreamHandler(HttpClient http, URI upstream, Duration timeout) {
        this.http = http;
        this.upstream = upstream;
        this.timeout = timeout;
    }

    @Override
    public void handle(Command command, CommandReply reply) {
        HttpRequest request = HttpRequest.newBuilder(upstream)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(command.argsBytes()))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((resp, failure) -> {
            if (failure != null) {
                reply.error(ErrorCode.UPSTREAM_ERROR, describe(command.op(), failure));
            } else if (resp.statusCode() / 100 != 2) {
                reply.error(ErrorCode.UPSTREAM_ERROR,
                        command.op() + ": upstream " + upstream + " answered HTTP " + resp.statusCode());
            } else {
                answer(command.op(), resp.body(), reply);
            }
        });
    }

    private void answer(String op, byte[] body, CommandReply reply) {
        JsonNode result;
        try {
            result = body.length == 0 ? QpJson.mapper().nullNode() : QpJson.tree(body);
        } catch (IOException e) {
            reply.error(ErrorCode.UPSTREAM_ERROR, op + ": upstream " + upstream + " answered a body that is not JSON");
            return;
        }
        reply.ack(result == null ? QpJson.mapper().nullNode() : result);
    }

    private String describe(String op, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return op + ": upstream " + upstream + " did not answer within " + timeout.toMillis() + " ms";
        }
        return op + ": upstream " + upstream + " unreachable (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    }
}
