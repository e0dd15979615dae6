package qp.gateway.experiments;

/**
 * A request about the node's experiment that was not carried out, as the admin API answers it: the HTTP status, a
 * code a program can switch on, and a sentence a person can act on. Nothing changed.
 */
public final class ExperimentRefused extends RuntimeException {
    private final int status;
    private final String code;
    private final long version;
    private final String experimentId;

    /**
     * @param version      the params version in force when it was refused (the admin API reports it)
     * @param experimentId the experiment concerned (the one running, for a conflict), or null
     */
    ExperimentRefused(int status, String code, String message, long version, String experimentId) {
        super(message);
        this.status = status;
        this.code = code;
        this.version = version;
        this.experimentId = experimentId;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long version() {
        return version;
    }

    public String experimentId() {
        return experimentId;
    }
}
