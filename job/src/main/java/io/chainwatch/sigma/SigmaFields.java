package io.chainwatch.sigma;

import io.chainwatch.pattern.FieldPath;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sigma's field names for {@code logsource: {product: kubernetes, service: audit}} and the chainwatch field
 * paths they mean.
 *
 * <p>Most Sigma Kubernetes audit fields are the audit event's own JSON paths ({@code verb},
 * {@code objectRef.resource}, {@code user.username}, {@code responseStatus.code}, ...): they map 1:1 to the
 * chainwatch field of the same name. A few SigmaHQ rules use abstract names that are not event paths; those
 * map to where the value lives in the request body of a pod. Everything else is refused with the field name.
 */
final class SigmaFields {

    /** Abstract SigmaHQ field names and the chainwatch paths they stand for (any of them). */
    private static final Map<String, List<String>> ABSTRACT = new LinkedHashMap<>();

    static {
        ABSTRACT.put("apiGroup", List.of("objectRef.apiGroup"));
        ABSTRACT.put("capabilities", List.of(
                "requestObject.spec.containers[*].securityContext.capabilities.add",
                "requestObject.spec.initContainers[*].securityContext.capabilities.add",
                "requestObject.spec.ephemeralContainers[*].securityContext.capabilities.add"));
        ABSTRACT.put("hostPath", List.of("requestObject.spec.volumes[*].hostPath.path"));
    }

    /**
     * Fields whose values Kubernetes writes in one spelling, all lower case (verbs, resource and API group
     * names, namespaces): Sigma's case-insensitive match is an exact match on the lower-cased value there.
     */
    private static final Set<String> LOWER_CASE = Set.of("verb", "objectRef.resource", "objectRef.subresource",
            "objectRef.apiGroup", "objectRef.apiVersion", "objectRef.namespace");

    /** chainwatch's derived fields: not audit event paths, so never the meaning of a Sigma field name. */
    private static final Set<String> DERIVED = Set.of("cluster", "principal", "saNamespace", "saName", "podName",
            "credentialId", "objectName", "clientIP", "peerIP", "responseClass", "decision");

    private SigmaFields() {}

    /** The chainwatch paths a Sigma field means (usually one), or an exception naming the field. */
    static List<String> map(String sigmaField) throws SigmaConversionException {
        List<String> abstractPaths = ABSTRACT.get(sigmaField);
        if (abstractPaths != null) {
            return abstractPaths;
        }
        if (!DERIVED.contains(sigmaField)) {
            try {
                FieldPath.parse(sigmaField);
                return List.of(sigmaField);
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        throw new SigmaConversionException("field '" + sigmaField + "' has no chainwatch equivalent"
                + " (known: Kubernetes audit event fields such as verb, objectRef.resource, user.username,"
                + " responseStatus.code, requestObject.<path>, and " + String.join(", ", ABSTRACT.keySet()) + ")");
    }

    /** The chainwatch type of a path. */
    static FieldPath.Type type(String path) {
        return FieldPath.parse(path).type();
    }

    static boolean lowerCase(String path) {
        return LOWER_CASE.contains(path);
    }

    /** A name for a correlation key field: user.username → user, objectRef.namespace → namespace. */
    static String keyName(String path) {
        if (path.equals("user.username") || path.equals("principal")) {
            return "user";
        }
        if (path.equals("impersonatedUser.username")) {
            return "impersonated_user";
        }
        String last = path.replaceAll("\\[[^]]*]", "");
        int dot = last.lastIndexOf('.');
        last = dot >= 0 ? last.substring(dot + 1) : last;
        if (last.equals("clientIP") || last.equals("peerIP")) {
            return last.equals("clientIP") ? "client" : "peer";
        }
        String snake = last.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (snake.isEmpty() || !Character.isLetter(snake.charAt(0))) {
            snake = "k_" + snake;
        }
        return snake;
    }
}
