// Charts drawn with Plotly from data attributes (no inline script, so the Content-Security-Policy holds).
document.addEventListener("DOMContentLoaded", () => {
  const frontier = document.getElementById("frontier");
  if (frontier && window.Plotly) {
    const points = JSON.parse(frontier.dataset.frontier || "[]");
    const trace = {
      x: points.map((p) => Math.round(p.budget_fraction * 100)),
      y: points.map((p) => p.objective),
      text: points.map((p) => p.selected.join(", ")),
      mode: "lines+markers",
      marker: { size: 10, color: "#2457d6" },
      line: { color: "#2457d6" },
      hovertemplate: "%{x} % of the budget: value %{y:.1f}<br>%{text}<extra></extra>",
    };
    const layout = {
      margin: { l: 50, r: 20, t: 10, b: 40 }, height: 280,
      xaxis: { title: "Budget (% of the scenario's)" }, yaxis: { title: "Best value" },
    };
    window.Plotly.newPlot(frontier, [trace], layout, { displayModeBar: false, responsive: true });
    frontier.on("plotly_click", (event) => {
      const index = event.points[0].pointIndex;
      document.querySelectorAll("#frontier-table tr").forEach((row) => row.classList.remove("picked"));
      const row = document.getElementById(`frontier-${index}`);
      if (row) { row.classList.add("picked"); row.scrollIntoView({ block: "nearest" }); }
    });
  }
});
