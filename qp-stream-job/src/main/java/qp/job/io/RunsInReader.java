package qp.job.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Gathers what the frames' reader hands to one keyed operator into runs per key, so that the keyed exchange carries one
 * record per key and watermark step instead of one per frame. Chained to the operator that assigns the frames'
 * watermarks (same parallelism); keeps nothing in checkpoints.
 *
 * <p>A key's run leaves when the reader's watermark moves (before the watermark goes on), when it holds
 * {@code maxRun} items, before the stream is declared idle, before each checkpoint barrier and at the end of the input.
 * So every item reaches the keyed operator before the first watermark this reader sends after it, as when the items
 * crossed one by one: what the keyed operator finds behind the watermark is unchanged. A run keeps the order the items
 * came in and carries the timestamp of its last one. A key is forgotten when a whole watermark step passes without an
 * item for it.
 *
 * @param <IN>   what the reader hands on
 * @param <ITEM> what a run keeps of each
 * @param <OUT>  a run
 */
public abstract class RunsInReader<IN, ITEM, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;
    private final int maxRun;

    /** The items of one key since its last run left. */
    private static final class Run<ITEM> {
        final String owner;
        final List<ITEM> items = new ArrayList<>();
        long lastTimestamp;

        Run(String owner) {
            this.owner = owner;
        }
    }

    private transient Map<String, Run<ITEM>> byKey;

    protected RunsInReader(int maxRun) {
        if (maxRun < 1) {
            throw new IllegalArgumentException("a run holds at least one item, not " + maxRun);
        }
        this.maxRun = maxRun;
    }

    /** The key the runs go by. */
    protected abstract String key(IN in);

    /** What the key belongs to (e.g. the node of a connection): the same key of another owner starts its own run. */
    protected abstract String owner(IN in);

    protected abstract ITEM item(IN in);

    /**
     * The record of a run; {@code items} is never empty and is cleared and reused once this returns, so the record
     * keeps a copy.
     */
    protected abstract OUT run(String owner, String key, List<ITEM> items);

    @Override
    public void open() throws Exception {
        super.open();
        byKey = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<IN> element) {
        IN in = element.getValue();
        String key = key(in);
        String owner = owner(in);
        Run<ITEM> run = byKey.get(key);
        if (run == null || !run.owner.equals(owner)) {
            if (run != null) {
                emit(key, run);
            }
            run = new Run<>(owner);
            byKey.put(key, run);
        }
        run.items.add(item(in));
        run.lastTimestamp = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
        if (run.items.size() >= maxRun) {
            emit(key, run);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            flush();
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** Sends every waiting run; forgets the keys that had nothing since the last flush. */
    private void flush() {
        Iterator<Map.Entry<String, Run<ITEM>>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Run<ITEM>> e = it.next();
            if (e.getValue().items.isEmpty()) {
                it.remove();
            } else {
                emit(e.getKey(), e.getValue());
            }
        }
    }

    private void emit(String key, Run<ITEM> run) {
        if (run.items.isEmpty()) {
            return;
        }
        OUT out = run(run.owner, key, run.items);
        run.items.clear();
        output.collect(run.lastTimestamp == Long.MIN_VALUE ? new StreamRecord<>(out)
                : new StreamRecord<>(out, run.lastTimestamp));
    }
}
