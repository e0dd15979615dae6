package qp.job.trends;

import java.util.List;

/** The node's last windows, oldest first, and the timer that forgets the node when it goes silent. */
public record TrendState(List<TrendPoint> points, long cleanupAtMillis) {
}
