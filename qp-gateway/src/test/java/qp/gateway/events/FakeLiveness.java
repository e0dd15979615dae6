package qp.gateway.events;

/** Kafka as the test says it is: the probe's answer, given at the poll after a question starts. */
final class FakeLiveness implements KafkaLiveness {
    volatile boolean answer = true;
    private boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public Boolean result() {
        if (!running) {
            return null;
        }
        running = false;
        return answer;
    }

    @Override
    public void forget() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
    }
}
