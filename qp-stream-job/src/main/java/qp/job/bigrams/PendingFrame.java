package qp.job.bigrams;

/** A frame of a connection waiting for the watermark before it is put in order. */
public record PendingFrame(long seq, long eventTimeMillis, String type) {
}
