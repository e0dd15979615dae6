package qp.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import qp.job.pipeline.AnalyticsOutputs;
import qp.job.pipeline.AnalyticsPipeline;
import qp.job.config.AnalyticsOptions;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.training.TrainingOptions;
import qp.job.io.DeadLetter;
import qp.job.io.Decoded;
import qp.job.io.EventTime;
import qp.job.io.JobOutput;
import qp.job.io.JobOutputs;
import qp.job.io.JobSinks;
import qp.job.io.JobSources;
import qp.job.io.QpTypes;
import qp.job.io.SplitDeadLetters;
import qp.job.state.CheckpointSettings;
import qp.job.training.TrainingOutputs;
import qp.job.training.TrainingPipeline;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The QP stream job as a graph, with its sources and sinks passed in: {@link JobMain} wires Kafka, tests wire bounded
 * sources and collecting sinks. Every operator has a name and a uid, so the web UI reads like the design and
 * savepoints survive changes.
 */
public final class QpJob {
    private final JobConfig config;
    private final JobSources sources;
    private final JobSinks sinks;

    private QpJob(JobConfig config, JobSources sources, JobSinks sinks) {
        this.config = config;
        this.sources = sources;
        this.sinks = sinks;
    }

    public static QpJob of(JobConfig config, JobSources sources, JobSinks sinks) {
        return new QpJob(config, sources, sinks);
    }

    /** Applies the job's settings to an environment: parallelism, checkpointing and state backend, no Kryo fallback. */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // a type that would fall back to Kryo fails at build time
        CheckpointSettings.apply(conf, config);
        env.configure(conf);
        env.setParallelism(config.get(JobOptions.PARALLELISM));
        env.enableCheckpointing(config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /** Adds the job's operators to {@code env}. */
    public void addTo(StreamExecutionEnvironment env) {
        DataStream<Decoded<FrameEvent>> rawFrames = sources.frames(env, EventTime.strategy(
                FrameEvent::eventTimeMillis, config.get(JobOptions.WATERMARK_DELAY), config.get(JobOptions.IDLE_TIMEOUT)));
        // Same parallelism as the source, so that decoding is chained to it instead of a network exchange.
        SingleOutputStreamOperator<FrameEvent> frames = rawFrames
                .process(new SplitDeadLetters<>(QpTypes.FRAME)).name("decode-frames").uid("decode-frames")
                .setParallelism(rawFrames.getParallelism());
        DataStream<Decoded<NodeMetrics>> rawNodeMetrics = sources.nodeMetrics(env, EventTime.strategy(
                NodeMetrics::timestampMillis, config.get(JobOptions.WATERMARK_DELAY), config.get(JobOptions.IDLE_TIMEOUT)));
        SingleOutputStreamOperator<NodeMetrics> nodeMetrics = rawNodeMetrics
                .process(new SplitDeadLetters<>(QpTypes.NODE_METRICS)).name("decode-node-metrics")
                .uid("decode-node-metrics").setParallelism(rawNodeMetrics.getParallelism());
        DataStream<DeadLetter> deadLetters = frames.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .union(nodeMetrics.getSideOutput(SplitDeadLetters.DEAD_LETTERS));
        write(deadLetters, JobOutputs.DEAD_LETTERS);

        if (config.get(JobOptions.PASS_THROUGH)) {
            frames.sinkTo(new DiscardingSink<>()).name("discard-frames").uid("discard-frames");
            nodeMetrics.sinkTo(new DiscardingSink<>()).name("discard-node-metrics").uid("discard-node-metrics");
            return;
        }
        addAnalytics(frames, nodeMetrics);
    }

    private void addAnalytics(DataStream<FrameEvent> frames, DataStream<NodeMetrics> nodeMetrics) {
        AnalyticsOutputs out = AnalyticsPipeline.build(frames, nodeMetrics, AnalyticsOptions.settings(config));
        DataStream<Anomaly> anomalies = out.anomalies();
        DataStream<Recommendation> recommendations = out.recommendations();
        if (!config.get(JobOptions.WITHOUT_TRAINING)) {
            TrainingOutputs t = addTraining(frames, nodeMetrics, out.windowStats());
            anomalies = anomalies.union(t.anomalies());
            recommendations = recommendations.union(t.recommendations());
        }
        write(out.windowStats(), JobOutputs.WINDOW_STATS);
        write(anomalies.map(new CountOutputs.Anomalies()).returns(TypeInformation.of(Anomaly.class))
                .name("count-anomalies").uid("count-anomalies"), JobOutputs.ANOMALIES);
        write(out.bigrams(), JobOutputs.BIGRAMS);
        write(recommendations.map(new CountOutputs.Recommendations())
                .returns(TypeInformation.of(Recommendation.class))
                .name("count-recommendations").uid("count-recommendations"), JobOutputs.RECOMMENDATIONS);
        write(out.trends(), JobOutputs.TRENDS);
        write(countLate(out.lateFrames()), JobOutputs.LATE_FRAMES);
        write(out.experimentStats(), JobOutputs.EXPERIMENT_STATS);
    }

    /** The models (qp.training): latency and traffic anomaly models per node, steered by qp.control. */
    private TrainingOutputs addTraining(DataStream<FrameEvent> frames, DataStream<NodeMetrics> nodeMetrics,
            DataStream<WindowStats> windowStats) {
        DataStream<Decoded<ControlCommand>> raw = sources.control(frames.getExecutionEnvironment());
        SingleOutputStreamOperator<ControlCommand> control = null;
        if (raw != null) {
            control = raw.process(new SplitDeadLetters<>(QpTypes.CONTROL)).name("decode-control").uid("decode-control");
            write(control.getSideOutput(SplitDeadLetters.DEAD_LETTERS), JobOutputs.CONTROL_DEAD_LETTERS);
        }
        TrainingOutputs t = TrainingPipeline.build(frames, nodeMetrics, control, windowStats,
                TrainingOptions.settings(config));
        write(t.models(), JobOutputs.MODELS);
        return t;
    }

    private <T> void write(DataStream<T> stream, JobOutput<T> output) {
        stream.sinkTo(sinks.sink(output)).name(output.name() + "-sink").uid(output.name() + "-sink");
    }

    static DataStream<FrameEvent> countLate(DataStream<FrameEvent> late) {
        return late.map(new CountLateFrames()).returns(QpTypes.FRAME).name("count-late-frames").uid("count-late-frames");
    }
}
