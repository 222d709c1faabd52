package dev.skiff.testing.internal.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link Timeline} as one self-contained HTML page: an inline SVG with its own CSS, no
 * script and nothing fetched from anywhere.
 *
 * <p>From top to bottom: a legend, GPU utilisation over time (the fraction of all GPUs held by
 * pods, as an area), a time axis in virtual time from the start of recording, then one lane per
 * node (its pods without GPUs, packed into a few rows) followed by one lane per GPU of that node,
 * and a last lane for pods never scheduled. Each pod is a bar from binding to its end, coloured by
 * outcome, led in by a hatched stretch for the time it waited to be scheduled (on a GPU lane, a
 * strip along the bottom, over the bar of the pod it waited for). Every bar carries
 * its pod in {@code data-pod} and a tooltip with the details.
 */
public final class TimelineHtml {
    private static final int WIDTH = 1400;
    private static final int LEFT = 210;
    private static final int RIGHT = 30;
    private static final int CHART_W = WIDTH - LEFT - RIGHT;
    private static final int ROW = 18;
    private static final int BAR = 14;
    private static final int STRIP = 5;
    private static final int MAX_NODE_ROWS = 6;
    private static final int UTIL_TOP = 40;
    private static final int UTIL_H = 90;
    private static final long[] TICKS = {
        1_000,
        2_000,
        5_000,
        10_000,
        15_000,
        30_000,
        60_000,
        120_000,
        300_000,
        600_000,
        900_000,
        1_800_000,
        3_600_000,
        7_200_000,
        10_800_000,
        21_600_000,
        43_200_000,
        86_400_000,
        172_800_000,
        604_800_000
    };
    private static final Map<Outcome, String> COLOURS = new EnumMap<>(Outcome.class);

    static {
        COLOURS.put(Outcome.SUCCEEDED, "#2f9e58");
        COLOURS.put(Outcome.FAILED, "#d64541");
        COLOURS.put(Outcome.OOMKILLED, "#8e44ad");
        COLOURS.put(Outcome.RUNNING, "#3a7bd5");
        COLOURS.put(Outcome.DELETED, "#9aa0a6");
        COLOURS.put(Outcome.PENDING, "#e69b22");
    }

    private TimelineHtml() {}

    /** Returns the colour of an outcome's bars, such as {@code #2f9e58} for succeeded. */
    public static String colour(Outcome outcome) {
        return COLOURS.get(outcome);
    }

    /** One lane row's pods, and where the lane is drawn. */
    private static final class Lane {
        final String label;
        final String css;
        final List<List<Timeline.PodSpan>> rows = new ArrayList<>();
        final List<Long> rowEnds = new ArrayList<>();
        final int maxRows;
        final @Nullable String node;
        final int gpu;
        int top;

        Lane(String label, String css, int maxRows, @Nullable String node, int gpu) {
            this.label = label;
            this.css = css;
            this.maxRows = maxRows;
            this.node = node;
            this.gpu = gpu;
        }

        /** Puts a pod in the first row free at its start, a new row, or the row that frees first. */
        void add(Timeline.PodSpan pod, long from, long to) {
            int best = -1;
            for (int r = 0; r < rows.size(); r++) {
                if (rowEnds.get(r) <= from) {
                    best = r;
                    break;
                }
            }
            if (best < 0 && rows.size() < maxRows) {
                rows.add(new ArrayList<>());
                rowEnds.add(Long.MIN_VALUE);
                best = rows.size() - 1;
            }
            if (best < 0) {
                best = 0;
                for (int r = 1; r < rows.size(); r++) {
                    if (rowEnds.get(r) < rowEnds.get(best)) {
                        best = r;
                    }
                }
            }
            rows.get(best).add(pod);
            rowEnds.set(best, Math.max(rowEnds.get(best), to));
        }

        int height() {
            return Math.max(1, rows.size()) * ROW + 4;
        }
    }

    /** Returns the page. */
    public static String render(Timeline t) {
        long start = t.start();
        long end = Math.max(t.end(), start + 1_000);
        Map<String, Lane> nodeLanes = new LinkedHashMap<>();
        Map<String, List<Lane>> gpuLanes = new LinkedHashMap<>();
        for (Timeline.Node n : t.nodes()) {
            addNode(nodeLanes, gpuLanes, n.name(), n.gpus());
        }
        Lane unscheduled = new Lane("not scheduled", "lane unscheduled", MAX_NODE_ROWS, null, -1);
        for (Timeline.PodSpan p : t.pods()) {
            long to = p.ended() >= 0 ? p.ended() : end;
            if (p.node() == null) {
                unscheduled.add(p, p.created(), to);
            } else if (p.gpus().length == 0) {
                if (!nodeLanes.containsKey(p.node())) {
                    addNode(nodeLanes, gpuLanes, p.node(), 0);
                }
                nodeLanes.get(p.node()).add(p, p.created(), to);
            } else {
                int highest = p.gpus()[p.gpus().length - 1];
                List<Lane> lanes = gpuLanes.get(p.node());
                if (lanes == null || lanes.size() <= highest) {
                    addNode(nodeLanes, gpuLanes, p.node(), highest + 1);
                    lanes = gpuLanes.get(p.node());
                }
                for (int g : p.gpus()) {
                    lanes.get(g).add(p, p.bound(), to);
                }
            }
        }
        List<Lane> lanes = new ArrayList<>();
        for (Map.Entry<String, Lane> e : nodeLanes.entrySet()) {
            lanes.add(e.getValue());
            lanes.addAll(gpuLanes.get(e.getKey()));
        }
        if (!unscheduled.rows.isEmpty()) {
            lanes.add(unscheduled);
        }
        int axisY = UTIL_TOP + UTIL_H + 34;
        int y = axisY + 8;
        for (Lane l : lanes) {
            l.top = y;
            y += l.height();
        }
        int lanesBottom = y;
        int height = lanesBottom + 40;

        Scale x = new Scale(start, end);
        StringBuilder sb = new StringBuilder(4096 + t.pods().size() * 400);
        head(sb, t, end);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"Timeline of pods over virtual time\">\n");
        style(sb);
        sb.append(
                "<defs><pattern id=\"skiff-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                        + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fdf1dc\"/>"
                        + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#e69b22\" stroke-width=\"3\"/></pattern></defs>\n");
        legend(sb);
        utilisation(sb, t, x, end);
        axis(sb, x, start, end, axisY, lanesBottom);
        for (Lane l : lanes) {
            laneBackground(sb, l);
        }
        // where rows are packed, a pod's wait has the row to itself: drawn full height, under the bars
        sb.append("<g class=\"leads\">\n");
        for (Lane l : lanes) {
            if (l.gpu < 0) {
                leads(sb, l, x, end, false);
            }
        }
        sb.append("</g>\n<g class=\"pods\">\n");
        for (Lane l : lanes) {
            for (int r = 0; r < l.rows.size(); r++) {
                for (Timeline.PodSpan p : l.rows.get(r)) {
                    if (p.bound() >= 0) {
                        bar(sb, l, r, p, x, end);
                    }
                }
            }
        }
        // on a GPU a pod mostly waits for the one before it: its wait is a strip over that one's bar
        sb.append("</g>\n<g class=\"leads gpu-leads\">\n");
        for (Lane l : lanes) {
            if (l.gpu >= 0) {
                leads(sb, l, x, end, true);
            }
        }
        sb.append("</g>\n</svg>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void addNode(Map<String, Lane> nodeLanes, Map<String, List<Lane>> gpuLanes, String node, int gpus) {
        nodeLanes.computeIfAbsent(node, n -> new Lane(n, "lane node", MAX_NODE_ROWS, n, -1));
        List<Lane> lanes = gpuLanes.computeIfAbsent(node, n -> new ArrayList<>());
        for (int g = lanes.size(); g < gpus; g++) {
            lanes.add(new Lane("gpu " + g, "lane gpu", 1, node, g));
        }
    }

    private record Scale(long start, long end) {
        double at(long t) {
            return LEFT + (double) (Math.min(Math.max(t, start), end) - start) * CHART_W / (end - start);
        }
    }

    private static void head(StringBuilder sb, Timeline t, long end) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Timeline.PodSpan p : t.pods()) {
            counts.merge(p.outcome(), 1, Integer::sum);
        }
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Skiff timeline</title>\n<style>\n")
                .append("body{margin:16px;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;")
                .append("color:#222;background:#fff}\nh1{font-size:18px;margin:0 0 4px}\n")
                .append("p.summary{font-size:13px;margin:0 0 8px;color:#555}\n</style>\n</head>\n<body>\n")
                .append("<h1>Skiff in-memory cluster: timeline</h1>\n<p class=\"summary\">Virtual time ")
                .append(Instant.ofEpochMilli(t.start()))
                .append(" to ")
                .append(Instant.ofEpochMilli(end))
                .append(" (")
                .append(duration(end - t.start()))
                .append("), ")
                .append(t.pods().size())
                .append(" pods");
        for (Map.Entry<Outcome, Integer> e : counts.entrySet()) {
            sb.append(", ").append(e.getValue()).append(' ').append(legendName(e.getKey()));
        }
        if (t.podsLeftOut() > 0) {
            sb.append("; ").append(t.podsLeftOut()).append(" earlier finished pods left out");
        }
        sb.append(".</p>\n");
    }

    private static void style(StringBuilder sb) {
        sb.append("<style>\n")
                .append(
                        "svg.timeline{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;font-size:11px}\n")
                .append(
                        ".lane-bg{fill:#f7f7f9}.lane.gpu .lane-bg{fill:#eef3fb}.lane.unscheduled .lane-bg{fill:#fff6e8}\n")
                .append(".lane-label{fill:#333}.lane.node .lane-label{font-weight:600}\n")
                .append(".grid{stroke:#ddd;stroke-width:1}.tick{fill:#666;text-anchor:middle}\n")
                .append(".utilisation{fill:#3a7bd5;fill-opacity:.35;stroke:#3a7bd5;stroke-width:1.2}\n")
                .append(".util-frame{fill:#fafafa;stroke:#ccc}.util-label{fill:#333}\n")
                .append(".bar-label{fill:#fff;pointer-events:none}\n");
        for (Outcome o : Outcome.values()) {
            sb.append(".pod.")
                    .append(o.cssClass())
                    .append(" .bar{fill:")
                    .append(colour(o))
                    .append("}\n");
        }
        sb.append(".lead{fill:url(#skiff-hatch);stroke:#e69b22;stroke-width:.5}\n</style>\n");
    }

    private static void legend(StringBuilder sb) {
        sb.append("<g class=\"legend\" transform=\"translate(").append(LEFT).append(",8)\">");
        int lx = 0;
        for (Outcome o : Outcome.values()) {
            if (o == Outcome.PENDING) {
                continue;
            }
            sb.append("<rect class=\"swatch ")
                    .append(o.cssClass())
                    .append("\" x=\"")
                    .append(lx)
                    .append("\" y=\"0\" width=\"14\" height=\"12\" fill=\"")
                    .append(colour(o))
                    .append("\"/><text x=\"")
                    .append(lx + 18)
                    .append("\" y=\"10\">")
                    .append(legendName(o))
                    .append("</text>");
            lx += 30 + legendName(o).length() * 7;
        }
        sb.append("<rect class=\"swatch lead\" x=\"")
                .append(lx)
                .append("\" y=\"0\" width=\"14\" height=\"12\"/><text x=\"")
                .append(lx + 18)
                .append("\" y=\"10\">pending (waiting to be scheduled)</text></g>\n");
    }

    private static String legendName(Outcome o) {
        return switch (o) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case OOMKILLED -> "OOMKilled";
            case RUNNING -> "running at the end";
            case DELETED -> "deleted";
            case PENDING -> "pending";
        };
    }

    private static void utilisation(StringBuilder sb, Timeline t, Scale x, long end) {
        int bottom = UTIL_TOP + UTIL_H;
        int gpus = t.utilisation().isEmpty()
                ? 0
                : t.utilisation().get(t.utilisation().size() - 1).total();
        sb.append("<g class=\"utilisation-chart\">\n<rect class=\"util-frame\" x=\"")
                .append(LEFT)
                .append("\" y=\"")
                .append(UTIL_TOP)
                .append("\" width=\"")
                .append(CHART_W)
                .append("\" height=\"")
                .append(UTIL_H)
                .append("\"/>\n<text class=\"util-label\" x=\"8\" y=\"")
                .append(UTIL_TOP + 14)
                .append("\">GPU utilisation</text>\n<text class=\"util-label\" x=\"8\" y=\"")
                .append(UTIL_TOP + 30)
                .append("\">(")
                .append(gpus)
                .append(gpus == 1 ? " GPU" : " GPUs")
                .append(" at the end)</text>\n");
        for (int pct : new int[] {0, 50, 100}) {
            double yy = bottom - pct * UTIL_H / 100.0;
            sb.append("<text class=\"tick\" style=\"text-anchor:end\" x=\"")
                    .append(LEFT - 4)
                    .append("\" y=\"");
            num(sb, yy + 4);
            sb.append("\">").append(pct).append("%</text>");
        }
        sb.append("\n<path class=\"utilisation\" d=\"M");
        num(sb, x.at(t.start()));
        sb.append(',').append(bottom);
        double level = bottom;
        for (Timeline.UtilisationStep s : t.utilisation()) {
            double sx = x.at(s.at());
            double frac = s.total() <= 0 ? 0 : Math.min(1.0, (double) s.inUse() / s.total());
            double next = bottom - frac * UTIL_H;
            sb.append(" L");
            num(sb, sx);
            sb.append(',');
            num(sb, level);
            sb.append(" L");
            num(sb, sx);
            sb.append(',');
            num(sb, next);
            level = next;
        }
        sb.append(" L");
        num(sb, x.at(end));
        sb.append(',');
        num(sb, level);
        sb.append(" L");
        num(sb, x.at(end));
        sb.append(',').append(bottom).append(" Z\"/>\n</g>\n");
    }

    private static void axis(StringBuilder sb, Scale x, long start, long end, int axisY, int lanesBottom) {
        long span = end - start;
        long step = TICKS[TICKS.length - 1];
        for (long s : TICKS) {
            if (span / s <= 10) {
                step = s;
                break;
            }
        }
        sb.append("<g class=\"axis\">\n<text class=\"util-label\" x=\"8\" y=\"")
                .append(axisY - 4)
                .append("\">virtual time</text>\n");
        for (long t = 0; t <= span; t += step) {
            double tx = x.at(start + t);
            sb.append("<line class=\"grid\" x1=\"");
            num(sb, tx);
            sb.append("\" y1=\"").append(UTIL_TOP).append("\" x2=\"");
            num(sb, tx);
            sb.append("\" y2=\"").append(lanesBottom).append("\"/><text class=\"tick\" x=\"");
            num(sb, tx);
            sb.append("\" y=\"")
                    .append(axisY - 4)
                    .append("\">")
                    .append(duration(t))
                    .append("</text>");
            sb.append("<text class=\"tick\" x=\"");
            num(sb, tx);
            sb.append("\" y=\"")
                    .append(lanesBottom + 14)
                    .append("\">")
                    .append(duration(t))
                    .append("</text>\n");
        }
        sb.append("</g>\n");
    }

    private static void laneBackground(StringBuilder sb, Lane l) {
        sb.append("<g class=\"").append(l.css).append('"');
        if (l.node != null) {
            sb.append(" data-node=\"").append(escape(l.node)).append('"');
        }
        if (l.gpu >= 0) {
            sb.append(" data-gpu=\"").append(l.gpu).append('"');
        }
        sb.append("><rect class=\"lane-bg\" x=\"0\" y=\"")
                .append(l.top)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(l.height() - 2)
                .append("\"/><text class=\"lane-label\" x=\"")
                .append(l.gpu >= 0 ? 24 : 8)
                .append("\" y=\"")
                .append(l.top + 13)
                .append("\">")
                .append(escape(clip(l.label, l.gpu >= 0 ? 28 : 32)))
                .append("</text></g>\n");
    }

    private static void leads(StringBuilder sb, Lane l, Scale x, long end, boolean strip) {
        for (int r = 0; r < l.rows.size(); r++) {
            for (Timeline.PodSpan p : l.rows.get(r)) {
                lead(sb, l, r, p, x, end, strip);
            }
        }
    }

    private static void lead(StringBuilder sb, Lane l, int row, Timeline.PodSpan p, Scale x, long end, boolean strip) {
        long to = p.bound() >= 0 ? p.bound() : p.ended() >= 0 ? p.ended() : end;
        if (to <= p.created()) {
            return;
        }
        double x0 = x.at(p.created());
        double w = Math.max(1, x.at(to) - x0);
        sb.append("<rect class=\"lead\" data-pod=\"")
                .append(escape(p.namespace()))
                .append('/')
                .append(escape(p.name()))
                .append("\" x=\"");
        num(sb, x0);
        int top = l.top + 2 + row * ROW;
        sb.append("\" y=\"").append(strip ? top + BAR - STRIP : top).append("\" width=\"");
        num(sb, w);
        sb.append("\" height=\"").append(strip ? STRIP : BAR).append("\"><title>");
        tooltip(sb, p, end);
        sb.append("</title></rect>\n");
    }

    private static void bar(StringBuilder sb, Lane l, int row, Timeline.PodSpan p, Scale x, long end) {
        long to = p.ended() >= 0 ? p.ended() : end;
        double x0 = x.at(p.bound());
        double w = Math.max(1.5, x.at(to) - x0);
        int top = l.top + 2 + row * ROW;
        sb.append("<g class=\"pod ")
                .append(p.outcome().cssClass())
                .append("\" data-pod=\"")
                .append(escape(p.namespace()))
                .append('/')
                .append(escape(p.name()))
                .append('"');
        if (l.gpu >= 0) {
            sb.append(" data-gpu=\"").append(l.gpu).append('"');
        }
        sb.append("><title>");
        tooltip(sb, p, end);
        sb.append("</title><rect class=\"bar\" x=\"");
        num(sb, x0);
        sb.append("\" y=\"").append(top).append("\" width=\"");
        num(sb, w);
        sb.append("\" height=\"")
                .append(BAR)
                .append("\" rx=\"2\" fill=\"")
                .append(colour(p.outcome()))
                .append("\"/>");
        int chars = (int) ((w - 6) / 6.2);
        if (chars >= 3) {
            String label = p.job() != null && !p.name().startsWith(p.job()) ? p.name() + " · " + p.job() : p.name();
            sb.append("<text class=\"bar-label\" x=\"");
            num(sb, x0 + 3);
            sb.append("\" y=\"")
                    .append(top + 11)
                    .append("\">")
                    .append(escape(clip(label, chars)))
                    .append("</text>");
        }
        sb.append("</g>\n");
    }

    private static void tooltip(StringBuilder sb, Timeline.PodSpan p, long end) {
        sb.append(escape(p.namespace())).append('/').append(escape(p.name()));
        if (p.job() != null) {
            sb.append(" (job ").append(escape(p.job())).append(')');
        }
        sb.append(": ").append(legendName(p.outcome()));
        long scheduledAt = p.bound() >= 0 ? p.bound() : p.ended() >= 0 ? p.ended() : end;
        sb.append("; pending ").append(duration(scheduledAt - p.created()));
        if (p.bound() >= 0) {
            sb.append(", then ")
                    .append(duration((p.ended() >= 0 ? p.ended() : end) - p.bound()))
                    .append(" on ")
                    .append(escape(p.node() == null ? "?" : p.node()));
            if (p.gpus().length > 0) {
                sb.append(" GPU");
                for (int i = 0; i < p.gpus().length; i++) {
                    sb.append(i == 0 ? " " : ",").append(p.gpus()[i]);
                }
            }
        }
    }

    /** Formats a duration as {@code 1h2m3s} (whole seconds), {@code 250ms} or {@code 0s}. */
    static String duration(long millis) {
        if (millis < 1_000) {
            return millis <= 0 ? "0s" : millis + "ms";
        }
        StringBuilder out = new StringBuilder();
        long s = millis / 1000;
        long d = s / 86_400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (d > 0) {
            out.append(d).append('d');
        }
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (sec > 0 || out.length() == 0) {
            out.append(sec).append('s');
        }
        return out.toString();
    }

    private static String clip(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, Math.max(1, chars - 1)) + "…";
    }

    private static void num(StringBuilder sb, double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            sb.append('-');
            tenths = -tenths;
        }
        sb.append(tenths / 10);
        if (tenths % 10 != 0) {
            sb.append('.').append(tenths % 10);
        }
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
