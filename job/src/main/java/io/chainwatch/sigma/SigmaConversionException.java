package io.chainwatch.sigma;

/**
 * A Sigma rule (or a part of one) that chainwatch cannot express. The message is the reason shown to the
 * user, e.g. "condition uses '|base64offset' modifier, which chainwatch cannot express".
 */
public final class SigmaConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigmaConversionException(String reason) {
        super(reason);
    }
}
