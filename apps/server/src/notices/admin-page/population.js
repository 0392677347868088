// Players online per game server over the last hour: uPlot (served from node_modules), fed by
// stats:history once, then by every stats:updated push.
const HOUR_S = 3600;
const COLORS = ["#4f8cff", "#ffb547", "#4fd18b", "#ff5d6c", "#b47cff", "#3fd0d8", "#f07ac4", "#c8d05a"];

document.addEventListener("admin:connected", ({ detail: { socket, request } }) => {
  const box = document.querySelector("#population-chart");
  let slugs = [];
  let times = [];
  let values = {};
  let chart = null;

  function build() {
    const options = {
      width: Math.max(320, box.clientWidth - 8),
      height: 220,
      // Always the whole last hour, however few samples there are yet.
      scales: {
        x: { time: true, range: (_u, _min, max) => [max - HOUR_S, max] },
        y: { range: (_u, _min, max) => [0, Math.max(4, max + 1)] },
      },
      legend: { live: false },
      axes: [{ stroke: "#9aa6c2" }, { stroke: "#9aa6c2", grid: { stroke: "#2c3550" } }],
      series: [{}, ...slugs.map((slug, i) => ({ label: slug, stroke: COLORS[i % COLORS.length], width: 2 }))],
    };
    chart = new uPlot(options, data(), box);
  }

  const data = () => [times, ...slugs.map((slug) => values[slug])];

  function add(at, servers) {
    const names = Object.keys(servers).sort();
    if (names.join() !== slugs.join()) {
      // A server appeared or went away: earlier samples count as 0 for a new one.
      for (const slug of names) values[slug] ??= times.map(() => 0);
      slugs = names;
      chart?.destroy();
      chart = null;
    }
    times.push(Math.floor(new Date(at).getTime() / 1000));
    for (const slug of slugs) values[slug].push(servers[slug] ?? 0);
    const cutoff = times[times.length - 1] - HOUR_S;
    while (times.length && times[0] < cutoff) {
      times.shift();
      for (const slug of slugs) values[slug].shift();
    }
  }

  function draw() {
    if (chart) chart.setData(data());
    else build();
    box.dataset.points = String(times.length);
    box.dataset.servers = slugs.join(",");
  }

  socket.on("connect", async () => {
    const reply = await request("stats:history");
    if (!reply.ok) return;
    times = [];
    values = {};
    slugs = [];
    chart?.destroy();
    chart = null;
    for (const sample of reply.data.samples) add(sample.at, sample.servers);
    draw();
  });
  socket.on("stats:updated", (stats) => {
    add(stats.at, Object.fromEntries(stats.servers.map((s) => [s.slug, s.population])));
    draw();
  });
  window.addEventListener("resize", () =>
    chart?.setSize({ width: Math.max(320, box.clientWidth - 8), height: 220 }),
  );
});
