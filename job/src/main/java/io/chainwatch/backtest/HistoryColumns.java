package io.chainwatch.backtest;

import io.chainwatch.history.HistorySchema;
import io.chainwatch.pattern.FieldPath;
import io.chainwatch.pattern.KeyField;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.StepDefinition;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history columns a set of patterns needs: what their conditions, keys, joins and templates read, plus
 * what every alert carries (evidence, ordering). A backtest reads only these columns from Parquet.
 */
public final class HistoryColumns {

    /** Columns every run needs: identity, time, the evidence fields of alerts. */
    static final List<String> ALWAYS = List.of("cluster", "auditID", "eventTime", "requestReceivedTime", "stage", "verb",
            "principal", "clientIP", "userAgent", "resource", "subresource", "namespace", "objectName", "responseCode",
            "source", "sourcePosition");

    /** Audit field paths → the column that holds them (derived fields are columns of their own). */
    private static final Map<String, String> FIELD_COLUMNS = Map.ofEntries(
            Map.entry("user.username", "userName"), Map.entry("user.uid", "userUID"), Map.entry("user.groups", "userGroups"),
            Map.entry("impersonatedUser.username", "impersonatedUserName"), Map.entry("impersonatedUser.groups", "impersonatedGroups"),
            Map.entry("objectRef.resource", "resource"), Map.entry("objectRef.subresource", "subresource"),
            Map.entry("objectRef.namespace", "namespace"), Map.entry("objectRef.name", "name"),
            Map.entry("objectRef.apiGroup", "apiGroup"), Map.entry("objectRef.apiVersion", "objectApiVersion"),
            Map.entry("objectRef.uid", "objectUID"), Map.entry("responseStatus.code", "responseCode"),
            Map.entry("responseStatus.status", "responseStatus"), Map.entry("responseStatus.reason", "responseReason"),
            Map.entry("responseStatus.message", "responseMessage"));

    private HistoryColumns() {}

    public static Set<String> needed(List<PatternDefinition> patterns) {
        Set<FieldPath> paths = new LinkedHashSet<>();
        for (PatternDefinition p : patterns) {
            for (StepDefinition s : p.steps) {
                s.where.collectPaths(paths);
                s.joins.forEach(j -> {
                    paths.add(j.left);
                    paths.add(j.right);
                });
                if (s.keyOverride != null) {
                    s.keyOverride.forEach(k -> paths.add(k.path));
                }
            }
            for (KeyField k : p.key) {
                paths.add(k.path);
            }
            p.escalations.forEach(e -> e.when.collectPaths(paths));
            for (io.chainwatch.pattern.SummaryTemplate t : new io.chainwatch.pattern.SummaryTemplate[] {p.summary, p.titleTemplate}) {
                if (t != null) {
                    for (StepDefinition s : p.steps) {
                        t.pathsFor(s.name).forEach(x -> paths.add(FieldPath.parse(x)));
                    }
                }
            }
            if (p.aggregate != null && p.aggregate.distinctField != null) {
                paths.add(p.aggregate.distinctField);
            }
            if (p.newTerms != null) {
                paths.addAll(p.newTerms.fields);
            }
        }
        Set<String> columns = new LinkedHashSet<>(ALWAYS);
        for (FieldPath path : paths) {
            columns.add(column(path.toString()));
        }
        columns.remove(null);
        return columns;
    }

    static String column(String path) {
        if (path.startsWith("requestObject")) {
            return "requestObject";
        }
        if (path.startsWith("responseObject")) {
            return "responseObject";
        }
        if (path.startsWith("annotations.")) {
            return "annotations";
        }
        if (path.startsWith("user.extra.")) {
            return "userExtra";
        }
        return FIELD_COLUMNS.getOrDefault(path, HistorySchema.SCHEMA.getField(path) != null ? path : null);
    }

    /** The history schema cut down to {@code columns}, in the file's order. */
    public static Schema projection(Set<String> columns) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : HistorySchema.SCHEMA.getFields()) {
            if (columns.contains(f.name())) {
                fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal()));
            }
        }
        Schema s = Schema.createRecord(HistorySchema.SCHEMA.getName(), HistorySchema.SCHEMA.getDoc(),
                HistorySchema.SCHEMA.getNamespace(), false);
        s.setFields(fields);
        return s;
    }
}
