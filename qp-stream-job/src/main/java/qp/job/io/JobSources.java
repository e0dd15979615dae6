package qp.job.io;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Where the inputs come from: Kafka in the job, bounded sources in tests. Each applies the given watermark strategy
 * in the source itself, so that watermarks are per partition (split).
 */
public interface JobSources {
    DataStream<Decoded<FrameEvent>> frames(StreamExecutionEnvironment env, WatermarkStrategy<Decoded<FrameEvent>> time);

    DataStream<Decoded<NodeMetrics>> nodeMetrics(StreamExecutionEnvironment env,
            WatermarkStrategy<Decoded<NodeMetrics>> time);

    /** Commands to the job ({@code qp.control}); null when there are none (bounded runs, most tests). */
    default DataStream<Decoded<ControlCommand>> control(StreamExecutionEnvironment env) {
        return null;
    }
}
