package qp.agent.replay;

/** How fast a replay goes: {@code 1} keeps the original gaps, {@code 10} makes them ten times shorter, max none. */
public record Speed(double factor) {
    public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);

    public static Speed parse(String text) {
        if ("max".equalsIgnoreCase(text.trim())) {
            return MAX;
        }
        try {
            double f = Double.parseDouble(text.trim());
            if (f > 0 && Double.isFinite(f)) {
                return new Speed(f);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("--speed: '" + text + "' is not a speed; give a factor > 0 (1, 10) or max");
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
    }
}
