package qp.agent.tuning;

import qp.protocol.control.ControlCommand;

/** Sends commands to the stream job ({@code qp.control}). */
public interface ControlPublisher {
    /** Sends the command; throws with a sentence when it could not be sent. */
    void send(ControlCommand command);
}
