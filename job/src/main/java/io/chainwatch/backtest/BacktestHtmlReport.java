package io.chainwatch.backtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no network) with what a researcher
 * looks at first — alerts per day per pattern, top keys, the diff against a baseline, precision and recall.
 * Every chart element carries its value in {@code data-value}, so the page can be checked mechanically.
 */
public final class BacktestHtmlReport {

    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"};

    private BacktestHtmlReport() {}

    public static String render(JsonNode summary, JsonNode diff, JsonNode quality) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chainwatch backtest</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{margin-bottom:.2em}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                .append("th{background:#f3f3f3}.num{text-align:right}.muted{color:#777}svg{background:#fafafa;border:1px solid #ddd}")
                .append("</style></head><body>\n");
        JsonNode run = summary.path("run");
        h.append("<h1>chainwatch backtest</h1>\n<p class=\"muted\">").append(run.path("eventsScanned").asLong()).append(" events scanned in ")
                .append(run.path("files").asInt()).append(" file(s), partitions ").append(esc(run.path("firstPartition").asText("-")))
                .append(" … ").append(esc(run.path("lastPartition").asText("-"))).append(", ").append(run.path("seconds").asDouble())
                .append(" s</p>\n");

        // Per-pattern table
        h.append("<h2>Patterns</h2>\n<table id=\"patterns\"><tr><th>pattern</th><th>alerts</th><th>distinct keys</th><th>first</th><th>last</th>");
        if (diff != null) {
            h.append("<th>only new</th><th>only baseline</th><th>both</th>");
        }
        if (quality != null) {
            h.append("<th>precision</th><th>recall</th>");
        }
        h.append("</tr>\n");
        Iterator<Map.Entry<String, JsonNode>> it = summary.path("patterns").fields();
        List<String> ids = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ids.add(e.getKey());
            JsonNode p = e.getValue();
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"num\">").append(p.path("alerts").asInt())
                    .append("</td><td class=\"num\">").append(p.path("distinctKeys").asInt()).append("</td><td>")
                    .append(esc(p.path("firstSeen").asText(""))).append("</td><td>").append(esc(p.path("lastSeen").asText(""))).append("</td>");
            if (diff != null) {
                JsonNode d = diff.path(e.getKey());
                h.append("<td class=\"num\">").append(d.path("onlyNew").asInt()).append("</td><td class=\"num\">")
                        .append(d.path("onlyBaseline").asInt()).append("</td><td class=\"num\">").append(d.path("both").asInt()).append("</td>");
            }
            if (quality != null) {
                JsonNode q = quality.path(e.getKey());
                h.append("<td class=\"num\">").append(pct(q.get("precision"))).append("</td><td class=\"num\">")
                        .append(pct(q.get("recall"))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        // Alerts per day per pattern: grouped bars
        TreeSet<String> days = new TreeSet<>();
        Map<String, Map<String, Integer>> perDay = new TreeMap<>();
        for (String id : ids) {
            Map<String, Integer> m = new TreeMap<>();
            summary.path("patterns").path(id).path("alertsPerDay").fields().forEachRemaining(d -> {
                m.put(d.getKey(), d.getValue().asInt());
                days.add(d.getKey());
            });
            if (!m.isEmpty()) {
                perDay.put(id, m);
            }
        }
        h.append("<h2>Alerts per day</h2>\n");
        h.append(groupedBars("alerts-per-day", new ArrayList<>(days), perDay));

        // Top keys
        h.append("<h2>Top keys</h2>\n");
        for (String id : ids) {
            JsonNode top = summary.path("patterns").path(id).path("topKeys");
            if (top.size() == 0) {
                continue;
            }
            h.append("<h3>").append(esc(id)).append("</h3>\n<table class=\"top-keys\"><tr><th>key</th><th>alerts</th></tr>\n");
            top.forEach(t -> h.append("<tr><td>").append(esc(t.path("key").asText())).append("</td><td class=\"num\">")
                    .append(t.path("alerts").asInt()).append("</td></tr>\n"));
            h.append("</table>\n");
        }

        if (diff != null) {
            Map<String, Map<String, Integer>> d = new TreeMap<>();
            for (String id : ids) {
                JsonNode x = diff.path(id);
                Map<String, Integer> m = new TreeMap<>();
                m.put("1 only new", x.path("onlyNew").asInt());
                m.put("2 only baseline", x.path("onlyBaseline").asInt());
                m.put("3 both", x.path("both").asInt());
                d.put(id, m);
            }
            h.append("<h2>Against the baseline</h2>\n<p class=\"muted\">Alerts the changed patterns raise that the baseline did not"
                    + " (only new), alerts they stopped raising (only baseline), and alerts both raise.</p>\n");
            h.append(groupedBars("diff", List.of("1 only new", "2 only baseline", "3 both"), d));
        }
        if (quality != null) {
            Map<String, Map<String, Integer>> q = new TreeMap<>();
            for (String id : ids) {
                JsonNode x = quality.path(id);
                if (x.path("labels").asInt() == 0 && x.path("alerts").asInt() == 0) {
                    continue;
                }
                Map<String, Integer> m = new TreeMap<>();
                m.put("precision %", (int) Math.round(x.path("precision").asDouble(0) * 100));
                m.put("recall %", (int) Math.round(x.path("recall").asDouble(0) * 100));
                q.put(id, m);
            }
            h.append("<h2>Precision and recall against the labels</h2>\n");
            h.append(groupedBars("quality", List.of("precision %", "recall %"), q));
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** An SVG bar chart: one group per category, one bar per series. */
    static String groupedBars(String id, List<String> categories, Map<String, Map<String, Integer>> series) {
        if (categories.isEmpty() || series.isEmpty()) {
            return "<p class=\"muted\" id=\"" + id + "\">no data</p>\n";
        }
        int max = 1;
        for (Map<String, Integer> s : series.values()) {
            for (int v : s.values()) {
                max = Math.max(max, v);
            }
        }
        int groupWidth = Math.max(40, series.size() * 18 + 20);
        int width = 60 + categories.size() * groupWidth + 220;
        int height = 260;
        int plot = 200;
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"").append(id).append("\" class=\"chart\" width=\"").append(width).append("\" height=\"").append(height + 40)
                .append("\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        s.append("<line x1=\"50\" y1=\"").append(20 + plot).append("\" x2=\"").append(width - 210).append("\" y2=\"").append(20 + plot)
                .append("\" stroke=\"#999\"/>\n");
        s.append("<text x=\"5\" y=\"25\" font-size=\"11\">").append(max).append("</text>\n");
        int ci = 0;
        for (String c : categories) {
            int x0 = 60 + ci * groupWidth;
            int si = 0;
            for (Map.Entry<String, Map<String, Integer>> e : series.entrySet()) {
                int v = e.getValue().getOrDefault(c, 0);
                int bh = (int) Math.round((double) v / max * plot);
                s.append("<rect class=\"bar\" x=\"").append(x0 + si * 18).append("\" y=\"").append(20 + plot - bh)
                        .append("\" width=\"15\" height=\"").append(bh).append("\" fill=\"").append(COLORS[si % COLORS.length])
                        .append("\" data-series=\"").append(esc(e.getKey())).append("\" data-category=\"").append(esc(c))
                        .append("\" data-value=\"").append(v).append("\"><title>").append(esc(e.getKey())).append(" — ")
                        .append(esc(c)).append(": ").append(v).append("</title></rect>\n");
                si++;
            }
            s.append("<text x=\"").append(x0).append("\" y=\"").append(40 + plot).append("\" font-size=\"11\">").append(esc(c))
                    .append("</text>\n");
            ci++;
        }
        int li = 0;
        for (String name : series.keySet()) {
            int y = 30 + li * 16;
            s.append("<rect x=\"").append(width - 200).append("\" y=\"").append(y - 10).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[li % COLORS.length]).append("\"/><text x=\"").append(width - 185).append("\" y=\"").append(y)
                    .append("\" font-size=\"11\">").append(esc(name)).append("</text>\n");
            li++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String pct(JsonNode v) {
        return v == null || v.isNull() ? "–" : Math.round(v.asDouble() * 100) + " %";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
