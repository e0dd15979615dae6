package qp.protocol.export;

import java.io.IOException;

/** An export file that cannot be read: the message names the file and, for a bad line, its number. */
public final class ExportFormatException extends IOException {
    private final long lineNumber;

    public ExportFormatException(String message, long lineNumber) {
        super(message);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line at fault, or 0 when the fault is the file itself. */
    public long lineNumber() {
        return lineNumber;
    }
}
