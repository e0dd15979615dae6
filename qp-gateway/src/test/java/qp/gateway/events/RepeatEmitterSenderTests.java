package qp.gateway.events;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Not a test: runs every {@code qp.gateway.events.EmitterSender*Test} class N times in a row in one JVM and exits 1
 * if any run failed (issue 7: the emitter's tests pass 20 runs in a row). Rerun:
 * <pre>
 * mvn -B -q -pl qp-gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp qp-gateway/target/test-classes:qp-gateway/target/classes:$(cat qp-gateway/target/cp.txt) \
 *     qp.gateway.events.RepeatEmitterSenderTests 20
 * </pre>
 */
public final class RepeatEmitterSenderTests {
    private RepeatEmitterSenderTests() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        Launcher launcher = LauncherFactory.create();
        int failedRuns = 0;
        for (int i = 1; i <= runs; i++) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("qp.gateway.events"))
                    .filters(includeClassNamePatterns("qp\\.gateway\\.events\\.EmitterSender.*Test")).build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            long t0 = System.nanoTime();
            launcher.execute(request, listener);
            TestExecutionSummary s = listener.getSummary();
            System.out.printf("run %d: %d containers, %d tests found, %d succeeded, %d failed, %d aborted, %d skipped (%d ms)%n",
                    i, s.getContainersFoundCount(), s.getTestsFoundCount(), s.getTestsSucceededCount(),
                    s.getTestsFailedCount(), s.getTestsAbortedCount(), s.getTestsSkippedCount(),
                    (System.nanoTime() - t0) / 1_000_000);
            if (s.getTotalFailureCount() > 0 || s.getTestsFoundCount() == 0) {
                s.printFailuresTo(new PrintWriter(System.out, true), 40);
                failedRuns++;
            }
        }
        System.out.println(failedRuns == 0 ? runs + " runs in a row passed" : failedRuns + " of " + runs + " runs failed");
        System.exit(failedRuns == 0 ? 0 : 1);
    }
}
