package qp.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Relative weights of the ops the load generator sends, parsed from {@code echo=1,ping=0,data=0,stream=0}. */
public record OpMix(int echo, int ping, int data, int stream) {
    public enum Op { ECHO, PING, DATA, STREAM }

    public OpMix {
        if (echo < 0 || ping < 0 || data < 0 || stream < 0) {
            throw new IllegalArgumentException("op weights must be >= 0");
        }
        if (echo + ping + data + stream == 0) {
            throw new IllegalArgumentException("at least one op needs a weight above 0 (e.g. echo=1)");
        }
    }

    public static OpMix parse(String spec) {
        Map<String, Integer> w = new LinkedHashMap<>(Map.of("echo", 0, "ping", 0, "data", 0, "stream", 0));
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || !w.containsKey(kv[0].trim())) {
                throw new IllegalArgumentException("bad --mix entry '" + part + "': expected op=weight with op one of "
                        + w.keySet() + ", e.g. echo=3,ping=1");
            }
            try {
                w.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight in --mix entry '" + part + "': not an integer");
            }
        }
        return new OpMix(w.get("echo"), w.get("ping"), w.get("data"), w.get("stream"));
    }

    public Op pick(SplittableRandom random) {
        int total = echo + ping + data + stream;
        if (total == echo) {
            return Op.ECHO; // the common case costs no random draw
        }
        int r = random.nextInt(total);
        if (r < echo) {
            return Op.ECHO;
        }
        r -= echo;
        if (r < ping) {
            return Op.PING;
        }
        r -= ping;
        return r < data ? Op.DATA : Op.STREAM;
    }

    @Override
    public String toString() {
        return "echo=" + echo + ",ping=" + ping + ",data=" + data + ",stream=" + stream;
    }
}
