package qp.gateway.session;

import qp.gateway.params.ParamsHolder;

/**
 * The read that brought a frame's last bytes: the frame's latency counts from {@code nanos}, its event carries
 * {@code epochMillis} and the version of the parameters in force then.
 */
record Receipt(long nanos, long epochMillis, ParamsHolder.Versioned params) {
}
