package qp.job;

import java.nio.file.Files;
import java.nio.file.Path;
import qp.broker.EmbeddedKafka;

/**
 * How often the loop gives a wrong verdict: runs scenario (a) (a real effect: must be kept, with the frames' own
 * effect inside the agent's interval) and (b) (no real effect under a load and mix shift: must be no_effect) N times
 * each on real parts, and prints every run and the counts (BENCHMARKS.md, "Experiments: false verdicts").
 * {@code java -cp <test class path> qp.job.ExperimentVerdictRuns --runs 10}
 */
public final class ExperimentVerdictRuns {
    private ExperimentVerdictRuns() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length == 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 10;
        int wrongA = 0;
        int outsideA = 0;
        int wrongB = 0;
        int beforeAfterActed = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.startNew()) {
            for (int i = 1; i <= runs; i++) {
                Path dir = Files.createTempDirectory("qp-verdicts");
                LoopScenarios.Compressible a = LoopScenarios.compressible(kafka, dir);
                boolean wrong = !"kept".equals(a.verdict());
                boolean outside = !(a.direct() >= a.low() && a.direct() <= a.high());
                wrongA += wrong ? 1 : 0;
                outsideA += outside ? 1 : 0;
                System.out.printf("(a) run %d: %s | frames' own effect %+.3f, interval [%+.3f, %+.3f]%s%s%n", i,
                        a.verdict(), a.direct(), a.low(), a.high(), wrong ? " WRONG" : "",
                        outside ? " OUTSIDE" : "");
                LoopScenarios.NoEffect b = LoopScenarios.noEffectUnderShift(kafka, Files.createTempDirectory("qp-verdicts"));
                boolean wrongNull = !"no_effect".equals(b.verdict());
                wrongB += wrongNull ? 1 : 0;
                boolean acted = Math.abs(b.beforeAfterImprovement()) >= 0.15;
                beforeAfterActed += acted ? 1 : 0;
                System.out.printf("(b) run %d: %s | before/after %.0f -> %.0f bytes per frame (%+.0f%%)%s | %s%n", i,
                        b.verdict(), b.bytesBefore(), b.bytesAfter(), -100 * b.beforeAfterImprovement(),
                        wrongNull ? " WRONG" : "", b.sentence());
            }
        }
        System.out.printf("%n(a) %d runs: %d wrong verdicts, %d with the frames' effect outside the interval%n", runs,
                wrongA, outsideA);
        System.out.printf("(b) %d runs: %d wrong verdicts; the before/after comparison moved by 15%% or more in %d%n",
                runs, wrongB, beforeAfterActed);
        System.exit(0); // the MiniClusters' and clients' threads
    }
}
