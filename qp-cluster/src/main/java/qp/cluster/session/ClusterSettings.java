package qp.cluster.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qp.options.OptionArgs;

/**
 * What a cluster is started with: the options of {@link ClusterOptions} plus any {@code -Dkey=value} Flink settings,
 * which win over the ones derived here.
 */
public record ClusterSettings(ClusterLayout layout, Path distClasspathFile, int webUiPort, int rpcPort, int blobPort,
        int taskManagerRpcPort, int taskManagerDataPort, int slots, String jobManagerMemory, String taskManagerMemory,
        String checkpointDir, String savepointDir, Duration startTimeout, Duration stopTimeout,
        Map<String, String> flinkSettings) {

    public static ClusterSettings from(OptionArgs a) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (String arg : a.rest()) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("-D") || eq < 3) {
                throw new IllegalArgumentException("unknown option '" + arg + "' (Flink settings are given as -Dkey=value;"
                        + " bin/qp cluster --help lists the options)");
            }
            extra.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        ClusterLayout layout = new ClusterLayout(a.get(ClusterOptions.STATE_DIR));
        if (a.get(ClusterOptions.SLOTS) < 1) {
            throw new IllegalArgumentException("--slots must be at least 1");
        }
        return new ClusterSettings(layout, a.get(ClusterOptions.DIST_CLASSPATH).toAbsolutePath(),
                a.get(ClusterOptions.WEB_UI_PORT), a.get(ClusterOptions.RPC_PORT), a.get(ClusterOptions.BLOB_PORT),
                a.get(ClusterOptions.TASKMANAGER_RPC_PORT), a.get(ClusterOptions.TASKMANAGER_DATA_PORT),
                a.get(ClusterOptions.SLOTS), a.get(ClusterOptions.JOBMANAGER_MEMORY),
                a.get(ClusterOptions.TASKMANAGER_MEMORY),
                orDefault(a.get(ClusterOptions.CHECKPOINT_DIR), layout.checkpoints()),
                orDefault(a.get(ClusterOptions.SAVEPOINT_DIR), layout.savepoints()),
                a.get(ClusterOptions.START_TIMEOUT), a.get(ClusterOptions.STOP_TIMEOUT), Map.copyOf(extra));
    }

    public String restUrl() {
        return "http://localhost:" + webUiPort;
    }

    /** The class path entries, each checked to exist; the message says how to get them when they do not. */
    public String classpath() {
        String text;
        try {
            text = Files.readString(distClasspathFile).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no cluster class path at " + distClasspathFile
                    + ": build the project first (`bin/qp build`, or `mvn -B install -DskipTests`)", e);
        }
        List<String> missing = List.of(text.split(java.io.File.pathSeparator)).stream()
                .filter(p -> !Files.exists(Path.of(p))).toList();
        if (text.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("the cluster class path in " + distClasspathFile + " names jars that are "
                    + "not there (" + missing.stream().limit(3).toList() + "): rebuild with `bin/qp build`");
        }
        return text;
    }

    private static String orDefault(String uri, Path folder) {
        return uri != null ? uri : folder.toUri().toString();
    }
}
