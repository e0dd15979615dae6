package qp.job.io;

import org.apache.flink.api.connector.sink2.Sink;

/** Where the outputs go: Kafka topics in the job, collecting sinks in tests. */
@FunctionalInterface
public interface JobSinks {
    <T> Sink<T> sink(JobOutput<T> output);
}
