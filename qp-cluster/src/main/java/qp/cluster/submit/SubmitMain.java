package qp.cluster.submit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import qp.options.docs.OptionsTable;
import qp.options.OptionArgs;
import qp.cluster.rest.FlinkRestClient;
import qp.cluster.rest.FlinkRestException;
import qp.cluster.rest.Poll;

/**
 * {@code bin/qp submit [options] [job options]}: the job jar to a running Flink cluster; {@code --savepoint} stops the
 * running job with a savepoint instead. Exit 0 on success, 1 when the cluster said no, 2 for bad arguments.
 */
public final class SubmitMain {
    private SubmitMain() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("bin/qp submit [options] [job options]: runs the job jar on a Flink cluster through its REST API.\n"
                    + "Arguments that are not listed here are passed to the job (see docs/job-options.md).\n");
            System.out.print(OptionsTable.markdown(SubmitOptions.ALL));
            return;
        }
        OptionArgs a;
        try {
            a = OptionArgs.parse(SubmitOptions.ALL, args);
            if (a.get(SubmitOptions.SAVEPOINT) && (a.isSet(SubmitOptions.FROM_SAVEPOINT) || !a.rest().isEmpty())) {
                throw new IllegalArgumentException("--savepoint only stops the running job; submit the new one with a "
                        + "second command: bin/qp submit --from-savepoint PATH [job options]");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("qp submit: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            FlinkRestClient rest = new FlinkRestClient(a.get(SubmitOptions.REST_URL), Duration.ofMinutes(2));
            JobSubmitter submitter = new JobSubmitter(rest, new Poll(Clock.systemUTC(), Duration.ofMillis(500)),
                    a.get(SubmitOptions.TIMEOUT));
            if (!a.get(SubmitOptions.WAIT_FOR_CLUSTER).isZero()) {
                submitter.awaitCluster(a.get(SubmitOptions.WAIT_FOR_CLUSTER));
            }
            java.util.Optional<FlinkRestClient.JobSummary> running = a.get(SubmitOptions.SKIP_IF_RUNNING)
                    && !a.get(SubmitOptions.SAVEPOINT) ? submitter.runningJob(a.get(SubmitOptions.JOB_NAME))
                    : java.util.Optional.empty();
            if (running.isPresent()) {
                System.out.println("'" + a.get(SubmitOptions.JOB_NAME) + "' already runs as job " + running.get().id()
                        + " (" + running.get().state() + "); nothing submitted");
            } else if (a.get(SubmitOptions.SAVEPOINT)) {
                String path = submitter.stopWithSavepoint(a.get(SubmitOptions.JOB_NAME), a.get(SubmitOptions.SAVEPOINT_DIR));
                System.out.println("stopped '" + a.get(SubmitOptions.JOB_NAME) + "' with a savepoint");
                System.out.println("savepoint: " + path);
                System.out.println("resume with: bin/qp submit --from-savepoint " + path + " [job options]");
            } else {
                JobSubmitter.Submitted job = submitter.submit(a.get(SubmitOptions.JAR), a.get(SubmitOptions.ENTRY_CLASS),
                        a.get(SubmitOptions.JOB_NAME), a.rest(), a.get(SubmitOptions.FROM_SAVEPOINT),
                        a.get(SubmitOptions.ALLOW_NON_RESTORED_STATE));
                System.out.println("job " + job.jobId() + " is running"
                        + (a.isSet(SubmitOptions.FROM_SAVEPOINT) ? " from " + a.get(SubmitOptions.FROM_SAVEPOINT) : ""));
                System.out.println("web UI: " + job.webUiUrl());
            }
        } catch (FlinkRestException e) {
            System.err.println("qp submit: " + e.getMessage());
            System.exit(1);
        }
    }
}
