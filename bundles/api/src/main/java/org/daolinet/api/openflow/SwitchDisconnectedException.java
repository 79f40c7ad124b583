package org.daolinet.api.openflow;

/** The switch's connection closed before a request was answered, or a message was sent to a gone switch. */
public class SwitchDisconnectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SwitchDisconnectedException(String message) {
        super(message);
    }
}
