package org.sparkvae.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page for a run: configuration, metrics table and every figure, the PNGs
 * embedded as data URIs so the file can be mailed, archived or opened from HDFS without its folder.
 */
public final class RunReport {
    private final String title;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<String> sections = new ArrayList<>();

    public RunReport(String title) {
        this.title = title;
    }

    /** A line of the configuration/provenance table. */
    public RunReport fact(String name, Object value) {
        facts.put(name, value == null ? "" : String.valueOf(value));
        return this;
    }

    /** A table with a heading; values are formatted (numbers to 3 decimals). */
    public RunReport table(String heading, List<String> columns, List<Map<String, Object>> rows) {
        return table(heading, columns, rows, Map::get);
    }

    /** As above for rows of any type: {@code value.apply(row, column)} gives a cell. */
    public <T> RunReport table(String heading, List<String> columns, List<T> rows, java.util.function.BiFunction<T, String, Object> value) {
        StringBuilder t = new StringBuilder("<h2>").append(escape(heading)).append("</h2>\n<table><tr>");
        for (String c : columns) {
            t.append("<th>").append(escape(c)).append("</th>");
        }
        t.append("</tr>\n");
        for (T r : rows) {
            t.append("<tr>");
            for (String c : columns) {
                t.append("<td>").append(escape(format(value.apply(r, c)))).append("</td>");
            }
            t.append("</tr>\n");
        }
        sections.add(t.append("</table>\n").toString());
        return this;
    }

    /** A figure: PNG bytes embedded as a data URI, with a caption. */
    public RunReport figure(String heading, String caption, byte[] png) {
        sections.add("<h2>" + escape(heading) + "</h2>\n<figure><img alt=\"" + escape(heading) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + escape(caption) + "</figcaption></figure>\n");
        return this;
    }

    public String html() {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}\n")
                .append("h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}\n")
                .append("table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}\n")
                .append("figure{margin:0}img{max-width:100%;image-rendering:pixelated;border:1px solid #eee}\n")
                .append("figcaption{color:#555;font-size:.9em;margin-top:.3em}table.facts td{text-align:left}\n</style></head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n<table class=\"facts\">\n");
        facts.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>\n"));
        h.append("</table>\n");
        sections.forEach(h::append);
        return h.append("</body></html>\n").toString();
    }

    public byte[] bytes() {
        return html().getBytes(StandardCharsets.UTF_8);
    }

    private static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
        }
        return String.valueOf(v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
