package qp.cluster.submit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import qp.cluster.rest.FlinkRestClient;
import qp.cluster.rest.FlinkRestClient.JobSummary;
import qp.cluster.rest.FlinkRestClient.RunRequest;
import qp.cluster.rest.FlinkRestClient.SavepointStatus;
import qp.cluster.rest.FlinkRestException;
import qp.cluster.rest.Poll;

/**
 * Runs QP's job on a Flink cluster as {@code flink run} does, through the REST API: upload the shaded jar, run it with
 * the job's arguments (optionally from a savepoint), wait until it runs. And the other half of an upgrade: stop the
 * running job with a savepoint and say where it is.
 */
public final class JobSubmitter {
    private static final Set<String> FAILED = Set.of("FAILED", "CANCELED", "CANCELLING", "FAILING");
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED");

    private final FlinkRestClient rest;
    private final Poll poll;
    private final Duration timeout;

    public JobSubmitter(FlinkRestClient rest, Poll poll, Duration timeout) {
        this.rest = rest;
        this.poll = poll;
        this.timeout = timeout;
    }

    /** A job that runs: its id and where to look at it. */
    public record Submitted(String jobId, String webUiUrl) {
    }

    public Submitted submit(Path jar, String entryClass, String jobName, List<String> jobArgs, String fromSavepoint,
            boolean allowNonRestoredState) {
        if (jar == null) {
            throw new FlinkRestException("no job jar given: pass --jar qp-stream-job/target/qp-stream-job-<version>.jar");
        }
        if (!Files.isRegularFile(jar)) {
            throw new FlinkRestException("no job jar at " + jar + ": build it with `mvn -B package -DskipTests -pl "
                    + "qp-stream-job -am` (or `bin/qp build`)");
        }
        rest.overview(); // an unreachable cluster fails here, before the upload
        Optional<JobSummary> running = running(jobName);
        if (running.isPresent()) {
            throw new FlinkRestException("'" + jobName + "' already runs on " + rest.baseUrl() + " as job "
                    + running.get().id() + "; two copies would share its consumer group and transactional ids. "
                    + "Stop it first: `bin/qp submit --savepoint`, then submit with --from-savepoint PATH");
        }
        String jarId = rest.uploadJar(jar);
        String jobId;
        try {
            jobId = rest.runJar(jarId, new RunRequest(entryClass, jobArgs, fromSavepoint, allowNonRestoredState));
        } catch (FlinkRestException e) {
            if (e.getMessage().contains("attempted to exit JVM")) {
                throw new FlinkRestException(e.getMessage() + "\nThe job's main() exited before it started: most often "
                        + "a job option it could not read. Its message is in the JobManager's stdout (bin/qp cluster: "
                        + "<state-dir>/log/jobmanager.out); docs/job-options.md lists the options.", e);
            }
            throw e;
        } finally {
            rest.deleteJar(jarId);
        }
        String state = poll.until(timeout, "job " + jobId + " to run", () -> {
            String s = rest.jobState(jobId);
            return s.equals("RUNNING") || FAILED.contains(s) || s.equals("FINISHED") ? Optional.of(s) : Optional.empty();
        });
        if (FAILED.contains(state)) {
            throw new FlinkRestException("job " + jobId + " was submitted but is " + state + ":\n  "
                    + rest.failureCause(jobId) + "\nsee " + webUiUrl(jobId).replace("/overview", "/exceptions")
                    + " and the JobManager log");
        }
        return new Submitted(jobId, webUiUrl(jobId));
    }

    /** Waits until the cluster answers and has a TaskManager; a {@link FlinkRestException} after {@code timeout}. */
    public void awaitCluster(Duration wait) {
        poll.until(wait, "the Flink cluster at " + rest.baseUrl() + " to answer with a TaskManager", () -> {
            try {
                return Optional.of(rest.overview()).filter(o -> o.taskManagers() > 0);
            } catch (FlinkRestException notYet) {
                return Optional.empty();
            }
        });
    }

    /** The running job of that name, if there is one. */
    public Optional<JobSummary> runningJob(String jobName) {
        return running(jobName);
    }

    /** Stops the running job named {@code jobName} with a savepoint; returns the savepoint's path. */
    public String stopWithSavepoint(String jobName, String targetDir) {
        rest.overview();
        JobSummary job = running(jobName).orElseThrow(() -> new FlinkRestException("no job named '" + jobName
                + "' runs on " + rest.baseUrl() + " (jobs there: " + rest.jobs() + ")"));
        // A job whose tasks are still being deployed cannot take a savepoint ("not all required tasks are running").
        poll.until(timeout, "every task of job " + job.id() + " to run before its savepoint",
                () -> rest.allTasksRunning(job.id()) ? Optional.of(true) : Optional.empty());
        String trigger = rest.stopWithSavepoint(job.id(), targetDir);
        SavepointStatus status = poll.until(timeout, "the savepoint of job " + job.id(),
                () -> Optional.of(rest.savepointStatus(job.id(), trigger)).filter(SavepointStatus::done));
        if (status.location() == null) {
            throw new FlinkRestException("the savepoint of job " + job.id() + " failed; the job keeps running:\n  "
                    + status.failure());
        }
        poll.until(timeout, "job " + job.id() + " to end after its savepoint",
                () -> Optional.of(rest.jobState(job.id())).filter(ENDED::contains));
        return status.location();
    }

    private Optional<JobSummary> running(String jobName) {
        List<JobSummary> matches = rest.jobs().stream()
                .filter(j -> j.name().equals(jobName) || j.name().startsWith(jobName + " ("))
                .filter(j -> !ENDED.contains(j.state())).toList();
        if (matches.size() > 1) {
            throw new FlinkRestException("more than one job named '" + jobName + "' runs on " + rest.baseUrl() + ": "
                    + matches + "; stop the extra ones in the web UI");
        }
        return matches.stream().findFirst();
    }

    private String webUiUrl(String jobId) {
        return rest.baseUrl() + "/#/job/running/" + jobId + "/overview";
    }
}
