package qp.gateway.admin;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import qp.protocol.json.QpJson;

/**
 * If-Match on the params version, the same for every resource that moves the node's state ({@code PUT /params},
 * {@code /experiment}): {@code If-Match: "3"} applies only while the version is 3; none or {@code *} applies
 * unconditionally.
 */
final class IfMatch {
    /** Returned for no header or {@code *}. */
    static final long ANY = -1;
    /** Returned for a header that names no version. */
    static final long MALFORMED = -2;

    private IfMatch() {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The version an If-Match header asks for: {@link #ANY} for none or {@code *}; {@link #MALFORMED} otherwise. */
    static long parse(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return ANY;
        }
        String v = header.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return MALFORMED;
        }
    }

    /** The request's expected version; answers 400 BAD_IF_MATCH and returns {@link #MALFORMED} when it names none. */
    static long of(HttpServerExchange ex) {
        long expected = parse(ex.getRequestHeaders().getFirst(Headers.IF_MATCH));
        if (expected == MALFORMED) {
            AdminApi.json(ex, 400, AdminApi.error("BAD_IF_MATCH", "If-Match must be a version's ETag as GET /params "
                    + "gives it, e.g. If-Match: \"3\""));
        }
        return expected;
    }

    /** 412: the version moved on; nothing changed. */
    static void versionMoved(HttpServerExchange ex, long now, long expected) {
        ex.getResponseHeaders().put(Headers.ETAG, etag(now));
        AdminApi.json(ex, 412, QpJson.string(QpJson.object().put("error", "VERSION_MOVED").put("version", now)
                .put("message", "the parameters are at version " + now + ", not " + expected
                        + "; GET /params and decide again")));
    }
}
