package qp.agent.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How figures read in the text output. */
final class Format {
    /** Why the latency and error columns are empty, and what to do about it. */
    static final String NO_LOGGED_FRAMES = "latency and errors: no frame of this range is in the agent's message_log: it "
            + "keeps the frames of a sample of connections (agent option --message-log-sample, 0.1 by default), and with "
            + "few connections that can be none; raise it (e.g. \"message-log-sample\": 1.0 in the agent's config) or see "
            + "the job's windows on the dashboard";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    static String micros(Number micros) {
        if (micros == null) {
            return "-";
        }
        double v = micros.doubleValue();
        if (v < 1_000) {
            return String.format("%.0fus", v);
        }
        if (v < 1_000_000) {
            return String.format("%.1fms", v / 1_000);
        }
        return String.format("%.2fs", v / 1_000_000);
    }

    static String bytes(double b) {
        if (b < 1024) {
            return String.format("%.0fB", b);
        }
        if (b < 1024 * 1024) {
            return String.format("%.1fKiB", b / 1024);
        }
        if (b < 1024.0 * 1024 * 1024) {
            return String.format("%.1fMiB", b / (1024 * 1024));
        }
        return String.format("%.2fGiB", b / (1024.0 * 1024 * 1024));
    }

    static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 10_000_000) {
            return String.format("%.1fk", n / 1e3);
        }
        return String.format("%.1fM", n / 1e6);
    }

    static String seconds(Long s) {
        if (s == null) {
            return "-";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
        }
        return (s / 86_400) + "d" + String.format("%02d", (s % 86_400) / 3600) + "h";
    }

    static String percent(Double ratio) {
        return ratio == null ? "-" : String.format("%.2f%%", 100 * ratio);
    }

    static String signedPercent(Double ratio) {
        return ratio == null ? "-" : String.format("%+.1f%%", 100 * ratio);
    }

    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    /**
     * An effect with its interval as people read it: {@code -62% [-70%, -55%] at 95%}; whole percents from 10% on,
     * a decimal below (a 3% gain is not "0%"); "-" when there is no interval yet.
     */
    static String effect(Double effect, Double low, Double high, Double level) {
        if (effect == null) {
            return "-";
        }
        String at = level == null ? "" : " at " + String.format("%.1f", 100 * level).replace(".0", "") + "%";
        return effectPercent(effect) + " [" + effectPercent(low) + ", " + effectPercent(high) + "]" + at;
    }

    private static String effectPercent(Double ratio) {
        if (ratio == null) {
            return "?";
        }
        double p = 100 * ratio;
        String s = Math.abs(p) >= 9.95 ? String.format("%+.0f", p) : String.format("%+.1f", p);
        return (s.matches("[+-]0(\\.0)?") ? s.substring(1) : s) + "%"; // no sign on a zero
    }

    static String value(String parameter, long v) {
        return v == 0 && "compression_threshold".equals(parameter) ? "off" : Long.toString(v);
    }
}
