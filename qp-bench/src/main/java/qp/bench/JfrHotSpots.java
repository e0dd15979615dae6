package qp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording spent its CPU samples (the benchmark's {@code --gateway-jfr}): the top methods by self
 * samples, by inclusive samples, the sampled threads, and the top allocation sites. Usage: {@code JfrHotSpots file.jfr [top]}.
 */
public final class JfrHotSpots {
    private JfrHotSpots() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (type.equals("jdk.ExecutionSample") && st != null && !st.getFrames().isEmpty()) {
                samples++;
                List<RecordedFrame> frames = st.getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    if (seen.add(name(f))) {
                        inclusive.merge(name(f), 1L, Long::sum);
                    }
                }
                threads.merge(e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName()
                        .replaceAll("\\d+", "N"), 1L, Long::sum);
            } else if (type.equals("jdk.ObjectAllocationSample") && st != null && !st.getFrames().isEmpty()) {
                long w = e.getLong("weight");
                allocated += w;
                allocations.merge(e.getClass("objectClass").getName() + " at " + firstOwnFrame(st.getFrames()), w, Long::sum);
            }
        }
        System.out.printf("%d CPU samples%n", samples);
        print("threads", threads, samples, top);
        print("self (top of stack)", self, samples, top);
        print("inclusive (on the stack)", inclusive, samples, top * 2);
        System.out.printf("%nallocation (sampled weight %.1f MB)%n", allocated / 1e6);
        print("allocation sites", allocations, allocated, top);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The first frame outside the JDK, so allocations point at the code that asked for them. */
    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String t = f.getMethod().getType().getName();
            if (!t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")) {
                return name(f);
            }
        }
        return name(frames.get(0));
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.printf("%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }
}
