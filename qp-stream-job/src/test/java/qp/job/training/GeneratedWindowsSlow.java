package qp.job.training;

import qp.protocol.analytics.WindowStats;

/** A generated window made {@code times} slower at every latency percentile (an incident). */
final class GeneratedWindowsSlow {
    private GeneratedWindowsSlow() {
    }

    static WindowStats of(WindowStats w, double times) {
        return new WindowStats(w.nodeId(), w.type(), w.view(), w.windowStartMillis(), w.windowEndMillis(), w.count(),
                w.bytes(), w.throughputPerSec(), w.bytesPerSec(), w.errorCount(), w.errorRate(), w.latencySamples(),
                w.latencyP50Micros() * times, w.latencyP95Micros() * times, w.latencyP99Micros() * times,
                (long) (w.latencyMaxMicros() * times), w.payloadMeanBytes(), w.payloadStddevBytes(),
                w.payloadP95Bytes(), w.payloadMaxBytes(), w.typeMix(), w.payloadSizeHistogram(), null);
    }
}
