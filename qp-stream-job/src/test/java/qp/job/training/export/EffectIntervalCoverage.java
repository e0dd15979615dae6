package qp.job.training.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import qp.protocol.json.QpJson;

/**
 * How often the 95% interval of a measured parameter effect ({@code bin/qp train}'s {@code parameterEffects}) holds the
 * true effect, over generated switchback exports with a known effect (issue 19: a confidence that means what it says).
 * Run: {@code java -cp <qp-stream-job test class path> qp.job.training.export.EffectIntervalCoverage [seeds] [factor]}.
 */
public final class EffectIntervalCoverage {
    private EffectIntervalCoverage() {
    }

    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double factor = args.length > 1 ? Double.parseDouble(args[1]) : 0.7;
        Path dir = Files.createTempDirectory("qp-coverage");
        int held = 0;
        int measured = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            Path file = dir.resolve("s" + seed + ".jsonl.gz");
            SwitchbackExport.write(file, seed, factor);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TrainMain.run(new String[] {"--from", file.toString(), "--json", "--train-horizon", "1h",
                "--forest-trees", "10"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Clock.systemUTC());
            JsonNode effects = QpJson.tree(out.toByteArray()).get("models").get(0).path("parameterEffects");
            if (effects.isEmpty()) {
                System.out.printf("seed %d: no effect measured%n", seed);
                continue;
            }
            JsonNode e = effects.get(0);
            double truth = e.get("to").asLong() == 16_384 ? factor - 1 : 1 / factor - 1;
            boolean holds = truth >= e.get("low").asDouble() && truth <= e.get("high").asDouble();
            measured++;
            held += holds ? 1 : 0;
            System.out.printf("seed %d: effect %+.3f [%+.3f, %+.3f] runs %d, true %+.3f %s%n", seed,
                    e.get("effect").asDouble(), e.get("low").asDouble(), e.get("high").asDouble(), e.get("runs").asInt(),
                    truth, holds ? "held" : "MISSED");
        }
        System.out.printf("coverage: %d of %d intervals held the true effect (nominal 95%%)%n", held, measured);
    }
}
