package qp.job.training;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * A random forest of CART regression trees with Tribuo (DESIGN.md: verified in Flink 2.2 on Java 17). The message
 * type is one-hot encoded as {@code message_type=<TYPE>}. Models are kept as Tribuo's protobuf bytes, never as
 * Java objects in Flink state (Kryo writes them but cannot read them back).
 */
public final class TribuoForestTrainer implements LatencyTrainer {
    private static final long serialVersionUID = 1L;
    /** The forest learns ln(latency): latency is multiplicative and heavy-tailed, so errors count relatively. */
    private static final String LABEL = "ln_latency_micros";
    /** The label of models trained before the log scale (still readable: their predictions are raw micros). */
    private static final String RAW_LABEL = "latency_micros";
    private static final RegressionFactory FACTORY = new RegressionFactory();
    /** Tribuo logs every tree it builds at INFO (java.util.logging); held here so the level sticks. */
    private static final java.util.logging.Logger TRIBUO_LOG = quiet();

    private final int trees;
    private final int maxDepth;
    private final long seed;

    public TribuoForestTrainer(int trees, int maxDepth, long seed) {
        if (trees < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("a forest needs at least 1 tree of depth 1, got " + trees + " trees of depth " + maxDepth);
        }
        this.trees = trees;
        this.maxDepth = maxDepth;
        this.seed = seed;
    }

    @Override
    public LatencyModel train(List<TrainingRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to train on");
        }
        List<Example<Regressor>> examples = new ArrayList<>(rows.size());
        for (TrainingRow r : rows) {
            examples.add(example(r, new Regressor(LABEL, Math.log(Math.max(1, r.latencyMicros())))));
        }
        MutableDataset<Regressor> data = new MutableDataset<>(examples,
                new SimpleDataSourceProvenance("qp latency sample", FACTORY), FACTORY);
        // 0.7 of the features per split: decorrelates the trees without starving the strongest drivers
        CARTRegressionTrainer tree = new CARTRegressionTrainer(maxDepth, 5f, 0f, 0.7f, new MeanSquaredError(), seed);
        RandomForestTrainer<Regressor> forest = new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, seed);
        return new Forest(forest.train(data), algorithm(), true);
    }

    @Override
    public LatencyModel load(byte[] bytes) {
        try {
            Model<?> m = Model.deserialize(ModelProto.parseFrom(gunzipped(bytes)));
            if (!(m instanceof EnsembleModel<?>) || !m.validate(Regressor.class)) {
                throw new IllegalArgumentException("the bytes hold a " + m.getClass().getSimpleName()
                        + ", not a regression forest");
            }
            @SuppressWarnings("unchecked")
            Model<Regressor> forest = (Model<Regressor>) m;
            boolean log = forest.getOutputIDInfo().getDomain().stream().anyMatch(r -> r.getNames()[0].equals(LABEL));
            boolean raw = forest.getOutputIDInfo().getDomain().stream().anyMatch(r -> r.getNames()[0].equals(RAW_LABEL));
            if (!log && !raw) {
                throw new IllegalArgumentException("the forest predicts " + forest.getOutputIDInfo().getDomain()
                        + ", not " + LABEL);
            }
            return new Forest(forest, "random-forest " + ((EnsembleModel<?>) m).getNumModels() + " trees", log);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a serialized Tribuo model: " + e.getMessage(), e);
        }
    }

    /** The bytes are gzip of Tribuo's protobuf (smaller records on qp.models); raw protobuf of older models loads too. */
    private static byte[] gunzipped(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a gzipped Tribuo model: " + e.getMessage(), e);
        }
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.tribuo");
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    private String algorithm() {
        return "random-forest " + trees + " trees, depth " + maxDepth + " (Tribuo CART, on ln latency)";
    }

    static Example<Regressor> example(TrainingRow r, Regressor label) {
        List<String> names = LatencyFeatures.NUMERIC;
        String[] n = new String[names.size() + 1];
        double[] v = new double[names.size() + 1];
        for (int i = 0; i < names.size(); i++) {
            n[i] = names.get(i);
            v[i] = LatencyFeatures.value(r, names.get(i));
        }
        n[names.size()] = LatencyFeatures.MESSAGE_TYPE + "=" + r.messageType();
        v[names.size()] = 1;
        return new ArrayExample<>(label, n, v);
    }

    private static final class Forest implements LatencyModel {
        private final Model<Regressor> model;
        private final String algorithm;
        private final boolean log;

        Forest(Model<Regressor> model, String algorithm, boolean log) {
            this.model = model;
            this.algorithm = algorithm;
            this.log = log;
        }

        private double micros(double v) {
            return log ? Math.exp(v) : v;
        }

        @Override
        public double predictMicros(TrainingRow row) {
            return micros(model.predict(example(row, FACTORY.getUnknownOutput())).getOutput().getValues()[0]);
        }

        @Override
        @SuppressWarnings("unchecked")
        public double[] memberPredictionsMicros(TrainingRow row) {
            Example<Regressor> e = example(row, FACTORY.getUnknownOutput());
            List<Model<Regressor>> members = ((EnsembleModel<Regressor>) model).getModels();
            double[] out = new double[members.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = micros(members.get(i).predict(e).getOutput().getValues()[0]);
            }
            return out;
        }

        @Override
        public byte[] toBytes() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
                model.serialize().writeTo(gz);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("gzip in memory cannot fail", e);
            }
            return out.toByteArray();
        }

        @Override
        public String algorithm() {
            return algorithm;
        }
    }
}
