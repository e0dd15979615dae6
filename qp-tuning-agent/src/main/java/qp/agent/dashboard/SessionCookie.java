package qp.agent.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's session: after the token was entered once, the browser holds a cookie {@code expiry.hmac} signed with
 * the token. Nothing is kept on the server, so a session survives an agent restart (same token) and ends when the
 * token changes or the cookie expires.
 */
final class SessionCookie {
    static final String NAME = "qp_dashboard";
    static final Duration LIFETIME = Duration.ofHours(12);

    private final byte[] key;
    private final Clock clock;

    SessionCookie(String token, Clock clock) {
        this.key = token.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    boolean tokenMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(key, candidate.getBytes(StandardCharsets.UTF_8));
    }

    String issue() {
        long expiry = clock.millis() + LIFETIME.toMillis();
        return expiry + "." + sign(expiry);
    }

    boolean valid(String value) {
        if (value == null) {
            return false;
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(value.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        return expiry > clock.millis() && MessageDigest.isEqual(sign(expiry).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("qp-dashboard|" + expiry).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
