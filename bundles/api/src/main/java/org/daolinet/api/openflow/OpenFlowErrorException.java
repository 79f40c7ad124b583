package org.daolinet.api.openflow;

import org.projectfloodlight.openflow.protocol.OFErrorMsg;

/** A switch answered a request with an OpenFlow error message. */
public class OpenFlowErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient OFErrorMsg error;

    public OpenFlowErrorException(OFErrorMsg error) {
        super("switch answered with error " + error.getErrType());
        this.error = error;
    }

    public OFErrorMsg error() {
        return error;
    }
}
