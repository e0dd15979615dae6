package qp.gateway.session;

import qp.gateway.experiments.EffectiveParams;

/**
 * The read that brought a frame's last bytes: the frame's latency counts from {@code nanos}, its event carries
 * {@code epochMillis}, and the frame is handled with the session's parameters in force then (its arm's, under an
 * experiment), whose version and arm its event carries.
 */
record Receipt(long nanos, long epochMillis, EffectiveParams params) {
}
