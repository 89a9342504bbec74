/* Charts of the indicator board (bảng chỉ số), drawn with the vendored ECharts from the data the page
   passes with json_script (#indicator-data). The tables under each chart carry the same numbers and are
   the primary content: without JavaScript or ECharts nothing is lost. Readable without colour alone:
   every bar and point carries its value as a label, series differ by decal pattern and symbol shape
   (aria.decal), and each chart container has a text alternative (role="img", aria-label). No inline
   script or style attribute (CSP): sizes are set through the CSSOM. */
(function () {
  "use strict";

  var SYMBOLS = ["circle", "rect", "triangle", "diamond", "pin", "arrow", "roundRect"];

  function readData() {
    var node = document.getElementById("indicator-data");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function base() {
    return {
      aria: { enabled: true, decal: { show: true } },
      animation: false,
      tooltip: { trigger: "axis" },
      textStyle: { fontFamily: "inherit" }
    };
  }

  function groupsChart(data) {
    var option = base();
    option.grid = { left: 8, right: 48, top: 32, bottom: 8, containLabel: true };
    option.legend = { top: 0, data: [data.labels.score, data.labels.max] };
    option.xAxis = { type: "value" };
    option.yAxis = { type: "category", inverse: true, data: data.groups.map(function (g) { return g.name; }) };
    option.series = [
      { name: data.labels.score, type: "bar", label: { show: true, position: "right" },
        data: data.groups.map(function (g) { return g.score; }) },
      { name: data.labels.max, type: "bar", label: { show: true, position: "right" },
        data: data.groups.map(function (g) { return g.max; }) }
    ];
    return { option: option, height: 80 + 56 * data.groups.length };
  }

  function rankingChart(data) {
    var option = base();
    option.grid = { left: 8, right: 48, top: 8, bottom: 8, containLabel: true };
    option.xAxis = { type: "value", max: 100 };
    option.yAxis = { type: "category", inverse: true, data: data.ranking.map(function (r) {
      return r.own ? "▶ " + r.name : r.name;
    }) };
    option.series = [{ name: data.labels.total, type: "bar", label: { show: true, position: "right" },
      data: data.ranking.map(function (r) {
        return r.own ? { value: r.total, itemStyle: { borderWidth: 2, borderColor: "#000" } } : r.total;
      }) }];
    return { option: option, height: 40 + 32 * data.ranking.length };
  }

  function trendChart(data) {
    var trend = data.trend;
    var option = base();
    var series = [{ name: data.labels.total, type: "line", symbol: SYMBOLS[0], symbolSize: 9,
      label: { show: true }, lineStyle: { width: 3 }, data: trend.total }];
    trend.series.forEach(function (s, i) {
      series.push({ name: s.name, type: "line", symbol: SYMBOLS[(i + 1) % SYMBOLS.length], symbolSize: 8,
        lineStyle: { type: i % 2 ? "dashed" : "dotted" }, data: s.data });
    });
    option.legend = { top: 0, type: "scroll" };
    option.grid = { left: 8, right: 24, top: 40, bottom: 8, containLabel: true };
    option.xAxis = { type: "category", data: trend.months };
    option.yAxis = { type: "value", min: 0 };
    option.series = series;
    return { option: option, height: 340 };
  }

  var BUILDERS = { groups: groupsChart, ranking: rankingChart, trend: trendChart };

  function draw() {
    var data = readData();
    if (!data || typeof window.echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll(".indicator-chart[data-chart]").forEach(function (el) {
      var build = BUILDERS[el.getAttribute("data-chart")];
      if (!build) { return; }
      var spec = build(data);
      el.style.width = "100%";
      el.style.height = spec.height + "px";
      var chart = window.echarts.init(el);
      chart.setOption(spec.option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
