package qp.agent.experiments;

import java.util.concurrent.locks.LockSupport;

/**
 * A test hook, off unless the system property {@code qp.agent.crashPoint} names one of the points below: the thread
 * that reaches it prints {@code qp-agent: at crash point POINT EXPERIMENT_ID} and parks for good, so that a test can
 * SIGKILL the agent's process exactly there (AgentProcessCrashTest). Each point sits between a step saved in the
 * store and its request to the gateway, or between the gateway's answer and the saving of it.
 */
final class CrashPoint {
    /** Saved as starting (or found so at a restart); {@code POST /experiment} not sent. */
    static final String BEFORE_POST = "before-post";
    /** The gateway answered the POST; running not saved. */
    static final String AFTER_POST = "after-post";
    /** Saved as ending with its verdict; {@code DELETE /experiment} not sent. */
    static final String BEFORE_DELETE = "before-delete";
    /** The gateway answered the DELETE; ended not saved. */
    static final String AFTER_DELETE = "after-delete";

    private static final String ARMED = System.getProperty("qp.agent.crashPoint");

    private CrashPoint() {
    }

    static void reached(String point, String experimentId) {
        if (point.equals(ARMED)) {
            System.out.println("qp-agent: at crash point " + point + " " + experimentId);
            System.out.flush();
            while (true) {
                LockSupport.park(); // until the test kills the process
            }
        }
    }
}
