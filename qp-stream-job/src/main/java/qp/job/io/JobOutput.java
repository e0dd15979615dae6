package qp.job.io;

import java.io.Serializable;
import qp.options.TypedOption;
import qp.job.io.JsonRecordSerializer.KeyOf;

/**
 * One output of the job: its name (the sink's uid and name), the option naming its topic, the record class and the
 * Kafka key (DESIGN.md, topics table).
 */
public record JobOutput<T>(String name, TypedOption<String> topic, Class<T> type, KeyOf<T> keyOf) implements Serializable {
}
