// Draws each dashboard figure from the JSON block beside it; the figures are built on the
// server (dashboards/charts), so this only hands them to plotly.js.
(function () {
  "use strict";

  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    const lang = document.documentElement.lang || "fi";
    for (const element of document.querySelectorAll("[data-figure]")) {
      const source = document.getElementById(element.dataset.figure);
      if (!source) {
        continue;
      }
      const figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
        locale: lang,
        modeBarButtonsToRemove: ["select2d", "lasso2d"],
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
