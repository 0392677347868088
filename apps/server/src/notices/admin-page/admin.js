// The admin page's only script: signs in over HTTP, then works over the /admin namespace.
const $ = (selector) => document.querySelector(selector);
let socket = null;
let servers = [];
let notices = [];
let ticks = 0;
// The list is refetched every few stats ticks so other admins' changes show up too.
const REFETCH_EVERY_TICKS = 5;

function el(tag, { dataset = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  for (const child of children) node.append(child);
  return node;
}

function request(event, payload) {
  return socket
    .timeout(10000)
    .emitWithAck(event, payload)
    .catch(() => ({ ok: false, error: { message: "No answer from the server" } }));
}

function localToIso(value) {
  return value ? new Date(value).toISOString() : undefined;
}

function renderStats(stats) {
  ticks += 1;
  if (ticks % REFETCH_EVERY_TICKS === 0) refreshNotices();
  else if (shownStates !== noticeStates()) renderNotices();
  servers = stats.servers.map((s) => s.slug);
  for (const select of document.querySelectorAll('select[name="server"]')) {
    const current = select.value;
    select.replaceChildren(...servers.map((slug) => el("option", { value: slug, textContent: slug })));
    if (servers.includes(current)) select.value = current;
  }
  const rows = stats.servers.map((s) =>
    el(
      "tr",
      { dataset: { server: s.slug } },
      el("td", { textContent: s.slug }),
      el("td", { textContent: s.status }),
      el("td", { className: "population", textContent: String(s.population) }),
      el("td", { textContent: s.channels.map((c) => `${c.channel}: ${c.population}`).join("  ") }),
      el("td", { textContent: String(s.rooms) }),
    ),
  );
  $("#stats tbody").replaceChildren(...rows);
}

function scopeText(scope) {
  if (scope.kind === "all") return "every server";
  if (scope.kind === "server") return scope.server;
  return `${scope.server} channel ${scope.channel}`;
}

function noticeState(notice, now = Date.now()) {
  if (new Date(notice.startsAt).getTime() > now) return "scheduled";
  if (notice.expiresAt && new Date(notice.expiresAt).getTime() <= now) return "expired";
  return "active";
}

async function refreshNotices() {
  const reply = await request("notices:list");
  if (!reply.ok) return;
  notices = reply.data;
  renderNotices();
}

// Re-rendering only when a state changed keeps the Remove buttons steady under the pointer.
let shownStates = "";
function noticeStates() {
  return notices.map((n) => noticeState(n)).join();
}

function renderNotices() {
  shownStates = noticeStates();
  const items = notices.map((n) => {
    const state = noticeState(n);
    const remove = el("button", { className: "danger", textContent: "Remove" });
    remove.addEventListener("click", async () => {
      const res = await request("notices:delete", { id: n.id });
      if (res.ok) refreshNotices();
    });
    const when = `${new Date(n.startsAt).toLocaleString()}${n.expiresAt ? ` → ${new Date(n.expiresAt).toLocaleString()}` : ""}`;
    return el(
      "li",
      { dataset: { id: n.id, state }, className: state },
      el("span", { className: `sev ${n.severity}`, textContent: n.severity }),
      el("span", { className: "state", textContent: state }),
      el(
        "span",
        { className: "text", textContent: n.text },
        el("span", {
          className: "meta",
          textContent: `${scopeText(n.scope)} · ${when} · by ${n.author.name}`,
        }),
      ),
      remove,
    );
  });
  $("#notices").replaceChildren(
    ...(items.length ? items : [el("li", { className: "empty", textContent: "No notices" })]),
  );
}

function connect(token, me) {
  $("#signin").hidden = true;
  $("#console").hidden = false;
  $("#signout").hidden = false;
  $("#who").textContent = `Signed in as ${me.name}`;
  socket = io("/admin", { auth: { token } });
  socket.on("stats:updated", renderStats);
  socket.on("connect", () => {
    request("stats:get").then((r) => r.ok && renderStats(r.data));
    refreshNotices();
  });
  // The other panels (population.js, moderation.js) start from here with the same socket.
  document.dispatchEvent(new CustomEvent("admin:connected", { detail: { socket, request, el } }));
  socket.on("connect_error", (err) => {
    if (err.message === "unauthorized" || err.message === "forbidden")
      signOut(err.message === "forbidden" ? "This account is not an admin" : "");
  });
}

function signOut(message = "") {
  sessionStorage.removeItem("rally-admin-token");
  socket?.close();
  socket = null;
  $("#signin").hidden = false;
  $("#console").hidden = true;
  $("#signout").hidden = true;
  $("#who").textContent = "";
  $("#signin-error").textContent = message;
}

$("#signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("#signin-error").textContent = body.error?.message ?? "Sign-in failed";
    return;
  }
  if (body.user.role !== "admin") {
    $("#signin-error").textContent = "This account is not an admin";
    return;
  }
  sessionStorage.setItem("rally-admin-token", body.token);
  connect(body.token, body.user);
});

$("#signout").addEventListener("click", async () => {
  const token = sessionStorage.getItem("rally-admin-token");
  if (token)
    await fetch("/api/auth/logout", { method: "POST", headers: { authorization: `Bearer ${token}` } });
  signOut();
});

$("#notice-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const kind = form.get("scope");
  const scope =
    kind === "all"
      ? { kind }
      : kind === "server"
        ? { kind, server: form.get("server") }
        : { kind, server: form.get("server"), channel: Number(form.get("channel")) };
  const payload = { text: form.get("text"), severity: form.get("severity"), scope };
  const startsAt = localToIso(form.get("startsAt"));
  const expiresAt = localToIso(form.get("expiresAt"));
  if (startsAt) payload.startsAt = startsAt;
  if (expiresAt) payload.expiresAt = expiresAt;
  const reply = await request("notices:create", payload);
  $("#notice-error").textContent = reply.ok ? "" : reply.error.message;
  if (reply.ok) {
    event.target.reset();
    refreshNotices();
  }
});

$("#maintenance-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const payload = { server: form.get("server"), countdownSeconds: Number(form.get("seconds")) };
  if (form.get("text")) payload.text = form.get("text");
  const reply = await request("maintenance:start", payload);
  $("#maintenance-error").textContent = reply.ok ? "" : reply.error.message;
  refreshNotices();
});

$("#maintenance-cancel").addEventListener("click", async () => {
  const server = $('#maintenance-form select[name="server"]').value;
  const reply = await request("maintenance:cancel", { server });
  $("#maintenance-error").textContent = reply.ok ? "" : reply.error.message;
  refreshNotices();
});

const saved = sessionStorage.getItem("rally-admin-token");
if (saved) {
  fetch("/api/me", { headers: { authorization: `Bearer ${saved}` } })
    .then((r) => (r.ok ? r.json() : null))
    .then((me) => (me?.role === "admin" ? connect(saved, me) : signOut()));
}
