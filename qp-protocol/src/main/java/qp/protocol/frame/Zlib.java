package qp.protocol.frame;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib streams (RFC 1950), as PROTOCOL.md requires for compressed payloads. */
public final class Zlib {
    /**
     * One deflater per thread, reset between payloads: a new one allocates and frees zlib's native state (about
     * 256 KiB) for every payload, which showed in the latency of compressed replies. Gateways compress on their few IO
     * threads.
     */
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(Deflater::new);

    private Zlib() {
    }

    public static byte[] compress(byte[] raw) {
        Deflater deflater = DEFLATERS.get();
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 2));
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.reset();
        }
    }

    /**
     * Inflates a zlib stream.
     *
     * @param maxRawBytes the largest inflated size accepted: guards against decompression bombs
     * @throws FrameException BAD_FRAME when the bytes are not one whole zlib stream, FRAME_TOO_LARGE past the limit
     */
    public static byte[] decompress(byte[] compressed, long maxRawBytes, MessageType type) throws FrameException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, compressed.length * 3));
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                // An empty payload's stream finishes on a call that inflates 0 bytes: finished, not truncated.
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new FrameException(ErrorCode.BAD_FRAME, type, "compressed payload is not a whole zlib stream");
                }
                if (out.size() + n > maxRawBytes) {
                    throw new FrameException(ErrorCode.FRAME_TOO_LARGE, type,
                            "compressed payload inflates past max_frame_bytes (" + maxRawBytes + ")");
                }
                out.write(buf, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                throw new FrameException(ErrorCode.BAD_FRAME, type, "bytes after the end of the zlib stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new FrameException(ErrorCode.BAD_FRAME, type, "compressed payload is not zlib: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}
