package qp.broker;

/** {@code CreateTopicsMain BOOTSTRAP NAME[:PARTITIONS]...}: creates the topics that do not exist yet. */
public final class CreateTopicsMain {
    private CreateTopicsMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CreateTopicsMain BOOTSTRAP NAME[:PARTITIONS]...");
            System.exit(2);
        }
        try {
            Topics.create(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("create topics: " + e.getMessage());
            System.exit(1);
        }
    }
}
