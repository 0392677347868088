// Players (search, details, mute and ban), open reports and the audit log, over /admin.
document.addEventListener("admin:connected", ({ detail: { socket, request, el } }) => {
  const $ = (selector) => document.querySelector(selector);
  let current = null;

  const when = (iso) => new Date(iso).toLocaleString();
  const until = (sanction) => (sanction.expiresAt ? `until ${when(sanction.expiresAt)}` : "for good");
  const where = (loc) =>
    !loc?.server
      ? "in the lobby"
      : [
          loc.server,
          loc.channel && `channel ${loc.channel}`,
          loc.roomId && (loc.inGame ? "in a game" : "in a room"),
        ]
          .filter(Boolean)
          .join(", ");
  const detailText = (detail) =>
    detail && typeof detail === "object"
      ? Object.entries(detail)
          .map(([k, v]) => `${k}: ${v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : v}`)
          .join(" · ")
      : "";

  function auditItem(entry) {
    return el(
      "li",
      { dataset: { action: entry.action } },
      el("span", { className: "meta", textContent: when(entry.at) }),
      el("span", {
        className: "text",
        textContent: `${entry.action} by ${entry.actor?.name ?? "system"} ${detailText(entry.detail)}`,
      }),
    );
  }

  function fact(name, value, key) {
    return [el("dt", { textContent: name }), el("dd", { textContent: value, dataset: { fact: key } })];
  }

  async function showPlayer(userId) {
    const reply = await request("player:get", { userId });
    if (!reply.ok) {
      $("#player-search-error").textContent = reply.error.message;
      return;
    }
    const p = reply.data;
    current = p;
    $("#player-detail").hidden = false;
    $("#player-detail").dataset.userId = p.id;
    $("#player-name").textContent = `${p.name}${p.role === "admin" ? " (admin)" : ""}`;
    $("#player-facts").replaceChildren(
      ...fact("Status", p.status, "status"),
      ...fact("Location", p.status === "online" ? where(p.location) : "—", "location"),
      ...fact("Friends", String(p.friendsCount), "friends"),
      ...fact("Muted", p.mute ? `${until(p.mute)}: ${p.mute.reason}` : "no", "mute"),
      ...fact("Banned", p.ban ? `${until(p.ban)}: ${p.ban.reason}` : "no", "ban"),
      ...fact("Joined", when(p.createdAt), "joined"),
    );
    $("#player-audit").replaceChildren(
      ...(p.audit.length
        ? p.audit.map(auditItem)
        : [el("li", { className: "empty", textContent: "Nothing yet" })]),
    );
  }

  $("#player-search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = new FormData(event.target).get("query");
    const reply = await request("players:search", { query });
    $("#player-search-error").textContent = reply.ok ? "" : reply.error.message;
    if (!reply.ok) return;
    const items = reply.data.map((p) => {
      const open = el("button", { type: "button", textContent: "Open" });
      open.addEventListener("click", () => showPlayer(p.id));
      return el(
        "li",
        { dataset: { userId: p.id, name: p.name } },
        el("span", { className: `state ${p.status}`, textContent: p.status }),
        el("span", { className: "text", textContent: p.name }),
        open,
      );
    });
    $("#player-results").replaceChildren(
      ...(items.length ? items : [el("li", { className: "empty", textContent: "No player by that name" })]),
    );
  });

  async function act(event, payload) {
    const reply = await request(event, payload);
    $("#sanction-error").textContent = reply.ok ? "" : reply.error.message;
    if (current) await showPlayer(current.id);
    refreshAudit();
  }

  $("#sanction-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!current) return;
    const form = new FormData(event.target);
    const action = event.submitter?.value ?? "mute";
    const duration = form.get("duration");
    const payload = { userId: current.id, reason: form.get("reason") };
    if (action === "mute" && !duration) {
      $("#sanction-error").textContent = "A mute needs a duration";
      return;
    }
    if (duration) payload.durationSeconds = Number(duration);
    act(action === "ban" ? "moderation:ban" : "moderation:mute", payload);
  });
  for (const [button, event] of [
    ["#unmute", "moderation:unmute"],
    ["#unban", "moderation:unban"],
  ]) {
    $(button).addEventListener("click", () => {
      if (!current) return;
      const reason = $('#sanction-form input[name="reason"]').value.trim();
      act(event, reason ? { userId: current.id, reason } : { userId: current.id });
    });
  }

  function reportItem(report) {
    const resolution = el("input", { name: "resolution", maxLength: 200, placeholder: "What was done" });
    const resolve = el("button", { type: "button", textContent: "Resolve" });
    const error = el("p", { className: "error" });
    resolve.addEventListener("click", async () => {
      const reply = await request("reports:resolve", { id: report.id, resolution: resolution.value });
      error.textContent = reply.ok ? "" : reply.error.message;
      if (reply.ok) refreshReports();
    });
    const context = report.context.map((line) =>
      el("li", {
        className: line.id === report.message?.id ? "reported" : "",
        textContent: `${line.from.name}: ${line.text}`,
      }),
    );
    return el(
      "li",
      { dataset: { id: report.id }, className: "report" },
      el("span", {
        className: "text",
        textContent: `${report.reporter.name} reported ${report.target.name}: ${report.reason}`,
      }),
      el("span", {
        className: "meta",
        textContent: `${when(report.createdAt)}${report.message ? ` · ${report.message.where}` : " · player report"}`,
      }),
      ...(context.length ? [el("ol", { className: "context" }, ...context)] : []),
      el("div", { className: "row" }, resolution, resolve),
      error,
    );
  }

  async function refreshReports() {
    const reply = await request("reports:list", { status: "open" });
    if (!reply.ok) return;
    $("#reports").replaceChildren(
      ...(reply.data.length
        ? reply.data.map(reportItem)
        : [el("li", { className: "empty", textContent: "No open reports" })]),
    );
  }

  async function refreshAudit() {
    const form = new FormData($("#audit-filter"));
    const query = {};
    for (const key of ["actor", "action", "target"]) if (form.get(key)) query[key] = form.get(key).trim();
    for (const key of ["since", "until"])
      if (form.get(key)) query[key] = new Date(form.get(key)).toISOString();
    const reply = await request("audit:list", query);
    $("#audit-error").textContent = reply.ok ? "" : reply.error.message;
    if (!reply.ok) return $("#audit tbody").replaceChildren();
    $("#audit tbody").replaceChildren(
      ...reply.data.map((e) =>
        el(
          "tr",
          { dataset: { action: e.action } },
          el("td", { textContent: when(e.at) }),
          el("td", { textContent: e.actor?.name ?? "system" }),
          el("td", { textContent: e.action }),
          el("td", { textContent: e.targetName ?? e.target ?? "" }),
          el("td", { textContent: detailText(e.detail) }),
        ),
      ),
    );
  }

  $("#audit-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshAudit();
  });
  socket.on("report:created", refreshReports);
  socket.on("report:resolved", refreshReports);
  socket.on("connect", () => {
    refreshReports();
    refreshAudit();
  });
});
