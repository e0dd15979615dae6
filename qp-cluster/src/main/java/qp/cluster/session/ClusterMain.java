package qp.cluster.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import qp.options.docs.OptionsTable;
import qp.options.OptionArgs;
import qp.cluster.rest.FlinkRestException;
import qp.cluster.rest.Poll;

/**
 * {@code bin/qp cluster start|stop|status [options] [-Dkey=value ...]}. Exit codes: 0 done (status: running),
 * 1 failed, 2 bad arguments, 3 (status) not running.
 */
public final class ClusterMain {
    private ClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> all = Arrays.asList(args);
        if (args.length == 0 || all.contains("--help") || all.contains("-h")) {
            System.out.println("bin/qp cluster start|stop|status [options] [-Dkey=value ...]: a Flink session cluster on this machine.\n"
                    + "-Dkey=value sets any Flink option in the cluster's config.yaml.\n");
            System.out.print(OptionsTable.markdown(ClusterOptions.ALL));
            return;
        }
        String command = args[0];
        ClusterSettings settings;
        try {
            settings = ClusterSettings.from(OptionArgs.parse(ClusterOptions.ALL, Arrays.copyOfRange(args, 1, args.length)));
        } catch (IllegalArgumentException e) {
            System.err.println("qp cluster: " + e.getMessage());
            System.exit(2);
            return;
        }
        SessionCluster cluster = new SessionCluster(new Poll(Clock.systemUTC(), Duration.ofMillis(500)));
        ClusterLayout layout = settings.layout();
        try {
            switch (command) {
                case "start" -> {
                    boolean already = cluster.status(layout).running();
                    SessionCluster.Status s = cluster.start(settings);
                    System.out.println(already ? s.describe().replace("cluster: running", "cluster: already running")
                            : s.describe());
                    System.out.println("logs: " + layout.logDir() + "; config: " + layout.confDir().resolve("config.yaml"));
                    System.out.println("submit the job: bin/qp submit --bootstrap-servers <kafka> [job options]");
                }
                case "stop" -> {
                    List<String> stopped = cluster.stop(layout, settings.stopTimeout());
                    System.out.println(stopped.isEmpty() ? "cluster: not running" : "cluster: stopped " + String.join(", ", stopped));
                }
                case "status" -> {
                    SessionCluster.Status s = cluster.status(layout);
                    System.out.println(s.describe());
                    System.exit(s.running() ? 0 : 3);
                }
                default -> {
                    System.err.println("qp cluster: expected start, stop or status, got '" + command + "'");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException | FlinkRestException e) {
            System.err.println("qp cluster: " + e.getMessage());
            System.exit(1);
        }
    }
}
