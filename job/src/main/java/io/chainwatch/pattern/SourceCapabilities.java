package io.chainwatch.pattern;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each log source can and cannot provide, so that {@code patterns validate --source X} can warn about
 * patterns that would never fire there (see docs/inputs.md).
 */
public final class SourceCapabilities {

    /** Field path prefix → why the source lacks it. */
    private static final Map<String, Map<String, String>> MISSING = Map.of(
            "gke", Map.of(
                    "user.groups", "GKE audit logs do not record user groups",
                    "user.extra", "GKE audit logs do not record user.extra (no pod-bound token or credential id)",
                    "podName", "GKE audit logs do not record user.extra, so the token's pod is unknown",
                    "credentialId", "GKE audit logs do not record credential ids",
                    "impersonatedUser", "GKE audit logs do not record the impersonated user in this form",
                    "requestURI", "GKE audit logs have no request URI (query parameters such as exec commands are lost)",
                    "userUID", "GKE audit logs have no user uid"),
            "aks", Map.of(),
            "eks", Map.of(),
            "audit", Map.of());

    private SourceCapabilities() {}

    public static Set<String> sources() {
        return MISSING.keySet();
    }

    /** Warnings for running {@code def} on {@code source}. */
    public static List<String> warnings(PatternDefinition def, String source) {
        String s = source.toLowerCase(Locale.ROOT);
        Map<String, String> missing = MISSING.get(s);
        if (missing == null) {
            throw new IllegalArgumentException("unknown source '" + source + "' (" + String.join(", ", MISSING.keySet()) + ")");
        }
        Set<FieldPath> paths = new LinkedHashSet<>();
        def.steps.forEach(st -> st.where.collectPaths(paths));
        def.key.forEach(k -> paths.add(k.path));
        def.steps.forEach(st -> {
            if (st.keyOverride != null) {
                st.keyOverride.forEach(k -> paths.add(k.path));
            }
        });
        List<String> out = new ArrayList<>();
        Set<String> said = new LinkedHashSet<>();
        for (FieldPath p : paths) {
            String text = p.toString();
            for (Map.Entry<String, String> m : missing.entrySet()) {
                if ((text.equals(m.getKey()) || text.startsWith(m.getKey() + ".")) && said.add(m.getKey())) {
                    out.add("reads '" + text + "': " + m.getValue() + "; on " + s + " it never matches");
                }
            }
        }
        if (!def.requiredLevel.equals("Metadata")) {
            switch (s) {
                case "gke":
                    out.add("needs request bodies (level " + def.requiredLevel + "): GKE records them for writes only, by Google's policy");
                    break;
                case "aks":
                    out.add("needs request bodies (level " + def.requiredLevel + "): AKS's fixed policy drops bodies over a size limit"
                            + " ('skipped-too-big-size-object'), and the kube-audit-admin category has no get/list");
                    break;
                case "audit":
                    out.add("needs audit policy level " + def.requiredLevel + " for the resources it reads; Metadata-level rules hide"
                            + " request bodies");
                    break;
                default:
                    break;
            }
        }
        return out;
    }
}
