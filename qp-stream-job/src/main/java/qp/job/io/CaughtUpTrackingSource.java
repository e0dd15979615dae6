package qp.job.io;

import java.util.List;
import java.util.Map;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A source that tells its readers' {@link ReaderProgress} what only the reader knows: whether everything it fetched
 * has been emitted (its poll found nothing available) and how many records its consumer has yet to fetch (the
 * {@code pendingRecords} gauge its connector registers; Kafka's reader reports its consumer's records-lag there).
 * Everything else is the wrapped source's, unchanged: enumerator, splits, checkpoints, records.
 */
final class CaughtUpTrackingSource<T, S extends SourceSplit, E>
        implements Source<T, S, E>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final Source<T, S, E> source;
    private final TypeInformation<T> type;
    private final ReaderProgress.Link link;

    CaughtUpTrackingSource(Source<T, S, E> source, TypeInformation<T> type, ReaderProgress.Link link) {
        this.source = source;
        this.type = type;
        this.link = link;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> context, E checkpoint) throws Exception {
        return source.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    @Override
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        ReaderProgress progress = link.progress();
        return new TrackingReader<>(source.createReader(new TrackingContext(context, progress)), progress);
    }

    /** Reports each poll's outcome; delegates everything. */
    private static final class TrackingReader<T, S extends SourceSplit> implements SourceReader<T, S> {
        private final SourceReader<T, S> reader;
        private final ReaderProgress progress;

        TrackingReader(SourceReader<T, S> reader, ReaderProgress progress) {
            this.reader = reader;
            this.progress = progress;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            InputStatus status = reader.pollNext(output);
            progress.polled(status == InputStatus.NOTHING_AVAILABLE);
            return status;
        }

        @Override
        public List<S> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return reader.isAvailable();
        }

        @Override
        public void addSplits(List<S> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            reader.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
            reader.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }

    /** The reader's context, with a metric group that also hands the pending-records gauge to the progress. */
    private static final class TrackingContext implements SourceReaderContext {
        private final SourceReaderContext context;
        private final TrackingMetrics metrics;

        TrackingContext(SourceReaderContext context, ReaderProgress progress) {
            this.context = context;
            this.metrics = new TrackingMetrics(context.metricGroup(), progress);
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            return metrics;
        }

        @Override
        public Configuration getConfiguration() {
            return context.getConfiguration();
        }

        @Override
        public String getLocalHostName() {
            return context.getLocalHostName();
        }

        @Override
        public int getIndexOfSubtask() {
            return context.getIndexOfSubtask();
        }

        @Override
        public void sendSplitRequest() {
            context.sendSplitRequest();
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {
            context.sendSourceEventToCoordinator(event);
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public void emitWatermark(org.apache.flink.api.common.watermark.Watermark watermark) {
            context.emitWatermark(watermark);
        }
    }

    /** The reader's metric group, unchanged, except that the pending-records gauge is also given to the progress. */
    private static final class TrackingMetrics implements SourceReaderMetricGroup {
        private final SourceReaderMetricGroup group;
        private final ReaderProgress progress;

        TrackingMetrics(SourceReaderMetricGroup group, ReaderProgress progress) {
            this.group = group;
            this.progress = progress;
        }

        @Override
        public void setPendingRecordsGauge(Gauge<Long> gauge) {
            progress.pendingRecords(gauge);
            group.setPendingRecordsGauge(gauge);
        }

        @Override
        public Counter getNumRecordsInErrorsCounter() {
            return group.getNumRecordsInErrorsCounter();
        }

        @Override
        public void setPendingBytesGauge(Gauge<Long> gauge) {
            group.setPendingBytesGauge(gauge);
        }

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return group.getIOMetricGroup();
        }

        @Override
        public Counter counter(String name) {
            return group.counter(name);
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            return group.counter(name, counter);
        }

        @Override
        public <V, G extends Gauge<V>> G gauge(String name, G gauge) {
            return group.gauge(name, gauge);
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            return group.histogram(name, histogram);
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            return group.meter(name, meter);
        }

        @Override
        public MetricGroup addGroup(String name) {
            return group.addGroup(name);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return group.addGroup(key, value);
        }

        @Override
        public String[] getScopeComponents() {
            return group.getScopeComponents();
        }

        @Override
        public Map<String, String> getAllVariables() {
            return group.getAllVariables();
        }

        @Override
        public String getMetricIdentifier(String metricName) {
            return group.getMetricIdentifier(metricName);
        }

        @Override
        public String getMetricIdentifier(String metricName, CharacterFilter filter) {
            return group.getMetricIdentifier(metricName, filter);
        }

        @Override
        public void addSpan(org.apache.flink.traces.SpanBuilder span) {
            group.addSpan(span);
        }

        @Override
        public void addEvent(org.apache.flink.events.EventBuilder event) {
            group.addEvent(event);
        }
    }
}
