package qp.bench.broker;

import java.util.concurrent.CountDownLatch;
import qp.broker.EmbeddedKafka;

/**
 * The gateway benchmark's Kafka broker in a JVM of its own (so its GC and threads are not the gateway's): the
 * project's one in-process KRaft broker, on free loopback ports, with a temporary log dir deleted at exit.
 * Prints {@code bootstrap=<host:port>} when ready; stops on SIGTERM.
 */
public final class BenchBrokerMain {
    private BenchBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.startNew();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "bench-broker-stop"));
        kafka.createTopics(args.length > 0 ? args : new String[] {"qp.frames", "qp.node-metrics"});
        System.out.println("bootstrap=" + kafka.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
