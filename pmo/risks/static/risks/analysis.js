// Charts of a schedule risk analysis: the distribution of the finish date (histogram with the
// cumulative curve, the baseline finish and P80 marked) and the tornado of its drivers.
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("analysis-data");
  if (!holder || !window.Plotly) return;
  const data = JSON.parse(holder.dataset.chart || "{}");
  const config = { displayModeBar: false, responsive: true };
  const finish = document.getElementById("finish-chart");
  if (finish && data.duration_histogram) {
    const edges = data.duration_histogram.edges;
    const counts = data.duration_histogram.counts;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const mids = counts.map((_, i) => new Date((Date.parse(edges[i]) + Date.parse(edges[i + 1])) / 2).toISOString());
    const traces = [
      { x: mids, y: counts.map((c) => (100 * c) / total), type: "bar", name: "Share of outcomes (%)",
        marker: { color: "#9db4ea" } },
      { x: data.duration_curve.map((p) => p[0]), y: data.duration_curve.map((p) => 100 * p[1]), yaxis: "y2",
        mode: "lines", name: "Chance to finish by (%)", line: { color: "#2457d6", width: 2 } },
    ];
    const marks = [];
    const mark = (at, label, color) => {
      if (!at) return;
      marks.push({ type: "line", x0: at, x1: at, yref: "paper", y0: 0, y1: 1, line: { color, dash: "dot", width: 2 } });
      traces.push({ x: [at], y: [0], mode: "markers", name: label, marker: { color, size: 9, symbol: "diamond" } });
    };
    mark(data.target_finish, "Baseline finish", "#c8372d");
    mark(data.duration && data.duration.dates && data.duration.dates.p80, "P80", "#c77c02");
    const layout = { margin: { l: 50, r: 50, t: 10, b: 40 }, height: 320, bargap: 0.05, shapes: marks,
      legend: { orientation: "h", y: -0.2 }, xaxis: { type: "date" },
      yaxis: { title: "% of outcomes", rangemode: "tozero" },
      yaxis2: { title: "cumulative %", overlaying: "y", side: "right", range: [0, 100], tickvals: [0, 20, 50, 80, 100] } };
    window.Plotly.newPlot(finish, traces, layout, config);
  }
  const tornadoChart = (element, drivers, what) => {
    if (!element || !(drivers || []).length) return;
    const rows = drivers.slice(0, 10).reverse();
    const label = (d) => (d.kind === "risk" ? "⚠ " : "") + (d.name.length > 36 ? d.name.slice(0, 35) + "…" : d.name);
    window.Plotly.newPlot(element, [{ type: "bar", orientation: "h", x: rows.map((d) => d.correlation),
      y: rows.map(label), marker: { color: rows.map((d) => (d.kind === "risk" ? "#c8372d" : "#2457d6")) },
      hovertemplate: "%{y}: %{x:.2f}<extra></extra>" }],
      { margin: { l: 270, r: 20, t: 10, b: 40 }, height: 320, xaxis: { title: `rank correlation with the ${what}`,
        range: [Math.min(0, ...rows.map((d) => d.correlation)) - 0.05, 1] } }, config);
  };
  tornadoChart(document.getElementById("tornado-chart"), data.drivers, "finish");
  tornadoChart(document.getElementById("cost-tornado-chart"), data.cost_drivers, "cost");
  const cost = document.getElementById("cost-chart");
  if (cost && (data.cost_curve || []).length) {
    const shapes = [];
    if (data.budget) {
      shapes.push({ type: "line", x0: data.budget, x1: data.budget, yref: "paper", y0: 0, y1: 1,
        line: { color: "#c8372d", dash: "dot", width: 2 } });
    }
    window.Plotly.newPlot(cost, [{ x: data.cost_curve.map((p) => p[0]), y: data.cost_curve.map((p) => 100 * p[1]),
      mode: "lines", name: "Chance the cost stays within (%)", line: { color: "#2457d6", width: 2 } },
      ...(data.budget ? [{ x: [data.budget], y: [0], mode: "markers", name: "Budget",
        marker: { color: "#c8372d", size: 9, symbol: "diamond" } }] : [])],
      { margin: { l: 50, r: 20, t: 10, b: 40 }, height: 300, shapes, legend: { orientation: "h", y: -0.25 },
        xaxis: { title: "final cost" }, yaxis: { title: "%", range: [0, 100], tickvals: [0, 20, 50, 80, 100] } }, config);
  }
});
