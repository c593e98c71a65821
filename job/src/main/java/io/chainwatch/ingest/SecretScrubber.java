package io.chainwatch.ingest;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Best-effort removal of secrets from text that could not be parsed (dead letters keep the offending input):
 * bearer tokens (JWTs), values of credential-named keys, and Secret data maps, also when the JSON is itself
 * escaped inside a string (AKS properties.log, EKS message). Parsed events are redacted structurally by
 * {@link Redactor}; this is the net for everything else. RE2J: linear time on hostile input.
 */
public final class SecretScrubber {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile(
            "(\\\\?\"(?:token|password|secret|client-key-data|client-certificate-data|id-token|refresh-token|access-token)\\\\?\"\\s*:\\s*\\\\?\")"
                    + "((?:[^\"\\\\]|\\\\[^\"])*)(\\\\?\")");
    private static final Pattern DATA_MAP = Pattern.compile("(\\\\?\"(?:data|stringData)\\\\?\"\\s*:\\s*)\\{[^{}]*\\}?");

    private SecretScrubber() {}

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (out.contains("eyJ")) {
            out = JWT.matcher(out).replaceAll("[REDACTED:JWT]");
        }
        if (out.contains("data") || out.contains("Data")) {
            Matcher m = DATA_MAP.matcher(out);
            out = m.replaceAll("$1\"[REDACTED]\"");
        }
        Matcher m = CREDENTIAL_VALUE.matcher(out);
        out = m.replaceAll("$1[REDACTED]$3");
        return out;
    }
}
