// Draws each dashboard figure from the JSON block beside it; the figures are built on the
// server (dashboards/charts), so this only hands them to plotly.js.
(function () {
  "use strict";

  // Every chart's toolbar: download as PNG, zoom, pan and reset stay; nothing links out of
  // the site (no Plotly logo, no "Share chart" to a cloud service, no Chart Studio), and the
  // selection tools, which select nothing here, are left out. Texts in the page's language
  // (plotly-locales.js).
  const REMOVED_BUTTONS = ["sendChartToCloud", "editInChartStudio", "select2d", "lasso2d"];

  function config(lang) {
    return {
      responsive: true,
      displaylogo: false,
      showSendToCloud: false,
      showEditInChartStudio: false,
      showLink: false,
      plotlyServerURL: "",
      locale: lang,
      modeBarButtonsToRemove: REMOVED_BUTTONS,
      toImageButtonOptions: { format: "png" },
    };
  }

  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    const lang = (document.documentElement.lang || "fi").slice(0, 2);
    for (const element of document.querySelectorAll("[data-figure]")) {
      const source = document.getElementById(element.dataset.figure);
      if (!source) {
        continue;
      }
      const figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, config(lang));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
