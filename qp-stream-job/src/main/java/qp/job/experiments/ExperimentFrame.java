package qp.job.experiments;

import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.ErrorCode;

/**
 * What the experiment windows read of a frame of an experiment (keyed by node and experiment): its cell (arm, bucket,
 * type, direction, payload size), its sums and its unit, the session or connection already hashed
 * ({@link UnitSet#unitOf}) so that neither id crosses the edge ({@link ExperimentFrameSerializer}).
 *
 * @param refused whether the gateway refused it ({@code OVERLOADED}), a guard of its own besides {@code error}
 */
public record ExperimentFrame(String nodeId, String experimentId, String arm, int bucket, String type,
        Direction direction, int wireBytes, int rawBytes, long latencyMicros, boolean error, boolean refused,
        long unit) {
    private static final String REFUSED = ErrorCode.OVERLOADED.name();

    /** A frame that {@link ExperimentFrames} kept: its experiment, arm and bucket are set. */
    public static ExperimentFrame of(FrameEvent f) {
        return new ExperimentFrame(f.nodeId(), f.experimentId(), f.arm(), f.bucket(), f.type(), f.direction(),
                f.wireBytes(), f.rawBytes(), f.latencyMicros(), f.isError(), REFUSED.equals(f.outcome()),
                UnitSet.unitOf(f));
    }
}
