package qp.protocol.experiments;

/**
 * The payload-size strata of experiment statistics: arms are compared within a band, so a shift of the payload mix
 * moves both arms alike. Bounds are raw (decompressed) payload bytes.
 */
public enum PayloadBand {
    /** Under 1 KiB: below any sensible compression threshold. */
    SMALL("small", 1024),
    /** 1 KiB up to 16 KiB. */
    MEDIUM("medium", 16 * 1024),
    /** 16 KiB and more. */
    LARGE("large", Long.MAX_VALUE);

    private final String wire;
    private final long upperExclusive;

    PayloadBand(String wire, long upperExclusive) {
        this.wire = wire;
        this.upperExclusive = upperExclusive;
    }

    public String wire() {
        return wire;
    }

    public static PayloadBand of(long rawBytes) {
        for (PayloadBand b : values()) {
            if (rawBytes < b.upperExclusive) {
                return b;
            }
        }
        return LARGE;
    }
}
