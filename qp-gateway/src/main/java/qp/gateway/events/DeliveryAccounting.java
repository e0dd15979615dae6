package qp.gateway.events;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every event ends up, in the meters: sent, spooled, or dropped with a reason. An acknowledged spool row is
 * counted as sent only when its row is deleted, so that a reader never sees an event both sent and spooled.
 */
final class DeliveryAccounting {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAccounting.class);

    private final Spool spool;
    private final EmitterMeters meters;
    /** spool rows settled (acknowledged or refused for good) whose deletion is pending */
    private final List<OutRecord> delivered = new ArrayList<>();
    /** of those, the acknowledged ones: counted as sent with their deletion */
    private long ackedSpoolRows;
    private long acknowledged;

    DeliveryAccounting(Spool spool, EmitterMeters meters) {
        this.spool = spool;
        this.meters = meters;
        spoolChanged();
    }

    /** A record that will not be sent again: acknowledged, or refused by Kafka for good. */
    void settled(InFlight f) {
        if (f.state() == InFlight.ACKED) {
            acknowledged++;
            if (f.fromSpool) {
                ackedSpoolRows++;
            } else {
                meters.sent.incrementAndGet();
            }
            meters.kafkaUp.set(1);
        } else {
            meters.drop(DropReason.REJECTED, 1);
            LOG.debug("Kafka refused an event for good ({}); it is dropped and counted", InFlight.describe(f.error()));
        }
        if (f.fromSpool) {
            delivered.add(f.record);
        }
    }

    /** Deletes the settled spool rows. */
    void deleteDelivered() {
        if (delivered.isEmpty()) {
            return;
        }
        try {
            spool.delete(delivered);
        } catch (SpoolException e) { // they stay in the spool and are sent again: duplicates, not losses
            LOG.warn("{}", e.getMessage());
        }
        delivered.clear();
        spoolChanged(); // first: a reader never sees an event both sent and spooled
        meters.sent.addAndGet(ackedSpoolRows);
        ackedSpoolRows = 0;
    }

    /** Writes records to the spool; what does not fit or cannot be written is dropped and counted. */
    void spool(List<OutRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            List<OutRecord> rejected = spool.append(records);
            meters.spoolWrites.addAndGet(records.size() - rejected.size());
            meters.drop(DropReason.SPOOL_FULL, rejected.size());
        } catch (SpoolException e) {
            meters.drop(DropReason.SPOOL_ERROR, records.size());
            LOG.warn("{}", e.getMessage());
        }
        spoolChanged();
    }

    /** Acknowledgements so far: an outage is announced only when Kafka acknowledged something since the last one. */
    long acknowledged() {
        return acknowledged;
    }

    private void spoolChanged() {
        meters.spooled.set(spool.count());
        meters.spoolBytes.set(spool.bytes());
    }
}
