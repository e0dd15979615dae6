package qp.job.io;

/**
 * What a source emits for one Kafka record: the value when it could be read, else the dead letter saying why.
 * A POJO (public fields, no-arg constructor) so that Flink serializes it without Kryo.
 */
public class Decoded<T> {
    public T value;
    public DeadLetter deadLetter;

    public Decoded() {
    }

    public static <T> Decoded<T> of(T value) {
        Decoded<T> d = new Decoded<>();
        d.value = value;
        return d;
    }

    public static <T> Decoded<T> failed(DeadLetter deadLetter) {
        Decoded<T> d = new Decoded<>();
        d.deadLetter = deadLetter;
        return d;
    }

    public boolean ok() {
        return value != null;
    }
}
