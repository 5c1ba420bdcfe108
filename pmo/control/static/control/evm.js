// The EVM charts of a project's performance page: S-curves (PV, EV, AC and the forecast) and the
// SPI / CPI / SPI(t) trends, drawn with Plotly from a data attribute (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("evm-data");
  if (!holder || !window.Plotly) return;
  const data = JSON.parse(holder.dataset.chart || "{}");
  const config = { displayModeBar: false, responsive: true };
  const money = (points) => ({ x: points.map((p) => p[0]), y: points.map((p) => p[1]) });
  const scurve = document.getElementById("evm-scurve");
  if (scurve) {
    const traces = [
      { ...money(data.pv || []), name: "PV (planned)", mode: "lines", line: { color: "#8a93a5", width: 2 } },
      { ...money(data.ev || []), name: "EV (earned)", mode: "lines+markers", line: { color: "#2457d6", width: 3 } },
      { ...money(data.ac || []), name: "AC (actual cost)", mode: "lines+markers", line: { color: "#c8372d", width: 2 } },
    ];
    const f = data.forecast;
    if (f) {
      traces.push({ x: [f.from[0], f.to[0]], y: [f.from[1], f.to[1]], name: "Forecast (EAC)", mode: "lines+markers",
        line: { color: "#c8372d", dash: "dash" } });
      if (f.low[0] && f.high[0]) {
        traces.push({ x: [f.low[0], f.high[0]], y: [f.low[1], f.high[1]], name: "Forecast range", mode: "markers",
          marker: { symbol: "line-ns-open", size: 14, color: "#c77c02" } });
      }
    }
    const layout = { margin: { l: 70, r: 20, t: 10, b: 40 }, height: 320, legend: { orientation: "h", y: -0.18 },
      yaxis: { title: "Cumulative cost", rangemode: "tozero" }, xaxis: { type: "date" } };
    if (data.bac) {
      layout.shapes = [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: data.bac, y1: data.bac,
        line: { color: "#8a93a5", dash: "dot", width: 1 } }];
    }
    window.Plotly.newPlot(scurve, traces, layout, config);
  }
  const trend = document.getElementById("evm-trend");
  if (trend && (data.trend || []).length) {
    const rows = data.trend;
    const line = (i, name, color) => ({ x: rows.map((r) => r[0]), y: rows.map((r) => r[i]), name, mode: "lines+markers",
      line: { color } });
    const layout = { margin: { l: 50, r: 20, t: 10, b: 40 }, height: 260, legend: { orientation: "h", y: -0.25 },
      yaxis: { title: "Index" }, xaxis: { type: "date" },
      // 1.00 and the portfolio's amber and red limits
      shapes: [[1, "green"], ...(data.limits || [])].map(([y, level]) => ({ type: "line", xref: "paper", x0: 0, x1: 1,
        y0: y, y1: y, line: { color: { green: "#1f8a4c", amber: "#c77c02", red: "#c8372d" }[level], dash: "dot", width: 1 } })) };
    window.Plotly.newPlot(trend, [line(1, "SPI", "#2457d6"), line(2, "CPI", "#c8372d"), line(3, "SPI(t)", "#6b3fc2")],
      layout, config);
  }
});
