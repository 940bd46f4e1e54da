// Report charts: every <canvas data-chart="ID"> is drawn from the JSON in <script id="ID"> (json_script).
// The numbers are the table's numbers; percentages are drawn on a 0-100 scale.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var colours = ["#0d6efd", "#6f42c1", "#198754", "#fd7e14", "#dc3545"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, index) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colours[index % colours.length],
      };
    });
    if (spec.horizontal && canvas.parentElement.classList.contains("report-chart-grow")) {
      // One bar group per row: grow with the rows so labels stay readable (CSSOM, allowed by the CSP).
      var perRow = 18 + 10 * spec.datasets.length;
      canvas.parentElement.style.height = Math.max(352, 60 + perRow * spec.labels.length) + "px";
    }
    var valueAxis = spec.horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true };
    if (spec.percent) {
      scales[valueAxis].suggestedMax = 100;
      scales[valueAxis].ticks = {
        callback: function (value) {
          return value + "%";
        },
      };
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: { legend: { display: datasets.length > 1 } },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
