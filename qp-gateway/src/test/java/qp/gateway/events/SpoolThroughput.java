package qp.gateway.events;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import qp.protocol.json.QpJson;

/**
 * Measures the SQLite spool on this disk: appends in the sender's batches, then reads and deletes in its chunks.
 * Not a test: run it by hand.
 */
public final class SpoolThroughput {
    public static void main(String[] args) throws Exception {
        int n = 200_000;
        byte[] key = "conn-123456".getBytes(StandardCharsets.UTF_8);
        byte[] value = QpJson.bytes(EmitterTestEvents.frame("conn-123456", 42));
        for (int round = 0; round < 3; round++) {
            try (DiskSpool spool = new DiskSpool(Files.createTempDirectory("qp-spool-throughput"), 1L << 32)) {
                long t0 = System.nanoTime();
                List<OutRecord> batch = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    batch.add(new OutRecord(i, OutRecord.FRAME, 1_700_000_000_000L + i, key, value));
                    if (batch.size() == 4096) {
                        spool.append(batch);
                        batch.clear();
                    }
                }
                spool.append(batch);
                long t1 = System.nanoTime();
                long read = 0;
                List<OutRecord> chunk;
                while (!(chunk = spool.head(0, 5000)).isEmpty()) {
                    read += chunk.size();
                    spool.delete(chunk);
                }
                long t2 = System.nanoTime();
                System.out.printf("%d events of %d B: append %.0f/s, read+delete %.0f/s%n", read, value.length,
                        n / ((t1 - t0) / 1e9), read / ((t2 - t1) / 1e9));
            }
        }
    }
}
