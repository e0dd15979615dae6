package qp.gateway.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The parameters changed through the admin API, kept in {@code <state dir>/params.json} so that they survive a
 * restart: {@code {"version": 7, "overrides": {"compression_threshold": 1024}}}, and the experiment running on them
 * ({@code "experiment": {...}}, absent when none). Only what the admin API changed is kept; the config file's values
 * stay the defaults underneath. Each save writes a temporary file and moves it over the old one, so a crash leaves
 * the old file or the new one, never half of one; values, experiment and version share the file so that one move
 * (adopting a treatment: the value changes and the experiment ends) is one write too.
 */
public final class PersistedParams {
    public static final String FILE = "params.json";

    private final Path file;
    private final Map<TunableParameter, Long> overrides = new EnumMap<>(TunableParameter.class);
    private long version;
    private ExperimentSpec experiment;
    /** Why the persisted experiment could not be read back, or null. */
    private String experimentProblem;

    private PersistedParams(Path file) {
        this.file = file;
    }

    /** Reads the file in {@code stateDir} if there is one; a file that cannot be read is an error that names it. */
    public static PersistedParams load(Path stateDir) throws IOException {
        PersistedParams p = new PersistedParams(stateDir.resolve(FILE));
        if (!Files.exists(p.file)) {
            return p;
        }
        JsonNode json;
        try {
            json = QpJson.tree(Files.readAllBytes(p.file));
        } catch (IOException e) {
            throw new IOException(p.file + ": not JSON (" + e.getMessage().split("\n")[0] + "); move it aside to start "
                    + "from the config's parameters", e);
        }
        p.version = json.path("version").asLong(0);
        Iterator<Map.Entry<String, JsonNode>> it = json.path("overrides").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            TunableParameter t = TunableParameter.byWireName(f.getKey());
            if (t == null) {
                continue; // a parameter this version no longer has
            }
            try {
                p.overrides.put(t, ParamsUpdate.value(t, f.getValue()));
            } catch (ParamsUpdate.Rejected r) {
                throw new IOException(p.file + ": " + r.getMessage() + "; fix or move the file aside", r);
            }
        }
        JsonNode e = json.path("experiment");
        if (e.isObject()) {
            p.readExperiment(e);
        }
        return p;
    }

    /** An experiment this build cannot run is not a reason to stay down: it is left out, and the reason kept. */
    private void readExperiment(JsonNode e) {
        try {
            ExperimentSpec spec = QpJson.mapper().treeToValue(e, ExperimentSpec.class);
            String problem = spec.problem();
            if (problem != null) {
                experimentProblem = problem;
            } else {
                experiment = spec;
            }
        } catch (IOException | IllegalArgumentException ex) {
            experimentProblem = "not an experiment (" + String.valueOf(ex.getMessage()).split("\n")[0] + ")";
        }
    }

    /** The config's parameters with the persisted overrides on top. */
    public TunableParams over(TunableParams base) {
        return base.with(overrides);
    }

    /** The version last persisted (0 when none). */
    public long version() {
        return version;
    }

    /** The experiment that ran when the file was written, or null (none, or one that could not be read back). */
    public ExperimentSpec experiment() {
        return experiment;
    }

    /** Why an experiment in the file was left out, or null. */
    public String experimentProblem() {
        return experimentProblem;
    }

    /** Adds the changes to the overrides and writes the file atomically; the experiment stays as it was. */
    public synchronized void save(Map<TunableParameter, Long> changes, long newVersion) throws IOException {
        save(changes, newVersion, experiment);
    }

    /** Adds the changes to the overrides, sets the running experiment (null: none) and writes the file atomically. */
    public synchronized void save(Map<TunableParameter, Long> changes, long newVersion, ExperimentSpec running)
            throws IOException {
        overrides.putAll(changes);
        version = newVersion;
        experiment = running;
        experimentProblem = null;
        ObjectNode o = QpJson.object().put("version", newVersion);
        ObjectNode values = o.putObject("overrides");
        overrides.forEach((t, v) -> {
            if (t.allowsOff() && v == TunableParams.OFF) {
                values.put(t.wireName(), "off");
            } else {
                values.put(t.wireName(), v);
            }
        });
        if (running != null) {
            o.set("experiment", QpJson.mapper().valueToTree(running));
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(QpJson.bytes(o)));
            ch.force(true); // on disk before it replaces the old file
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
