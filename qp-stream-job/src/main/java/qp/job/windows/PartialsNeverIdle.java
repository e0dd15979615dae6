package qp.job.windows;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes the per-type windows' partials on, with their watermarks, but never says the stream is idle. Chained to the
 * per-type window. Why: when idle frames' partitions come back, one per-type subtask may announce ACTIVE and move the
 * per-node window's watermark past the windows it just closed while another is still idle there; that one's partials
 * of the same windows would then arrive late and be dropped (seen in LiveJobTest, a job started before the traffic).
 * All per-type subtasks read the same frame partitions, so they are idle together; without IDLE the node window
 * takes the minimum of their watermarks, which comes after each one's partials. Cost: while every frame partition is
 * idle, the node rows' consumers (rules, trends, detectors) keep the frames' last watermark instead of ignoring it.
 */
final class PartialsNeverIdle extends AbstractStreamOperator<TypeWindowPartial>
        implements OneInputStreamOperator<TypeWindowPartial, TypeWindowPartial> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<TypeWindowPartial> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isActive()) {
            super.processWatermarkStatus(status);
        }
    }
}
