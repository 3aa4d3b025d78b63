// A participant's phone: sign in, then propose, vote and report. Everything people
// typed is drawn with textContent, never as HTML. Every submission has a key made
// here and waits in an outbox (kept in localStorage) until the facilitator's app
// answers "received", which it does only once it is on the disk; until then it is
// sent again, and the key makes sure it counts once.
"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  const token = params.get("t") || "";
  const OUTBOX = "facilitate-outbox";
  let state = null;
  let csrf = "";
  let source = null;
  let receivedAt = 0;
  let sending = false;
  let retryTimer = null;
  let lastHeard = 0;

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function connection(text, bad) {
    const node = $("connection");
    node.textContent = text;
    node.classList.toggle("bad", !!bad);
  }

  function show(id) {
    for (const name of ["signin", "main", "gone"]) $(name).hidden = name !== id;
  }

  // -- the outbox ------------------------------------------------------------------

  function outbox() {
    try {
      return JSON.parse(window.localStorage.getItem(OUTBOX) || "[]");
    } catch (e) {
      return [];
    }
  }

  function saveOutbox(items) {
    try {
      window.localStorage.setItem(OUTBOX, JSON.stringify(items));
    } catch (e) {
      /* private mode: the outbox lives in this page only */
    }
    drawOutbox(items);
  }

  function drawOutbox(items) {
    const list = $("outbox");
    clear(list);
    for (const item of items) list.appendChild(el("li", "", "Sending… " + describe(item)));
  }

  function describe(item) {
    const f = item.fields || {};
    if (item.what === "propose") return "“" + (f.title || "") + "”";
    if (item.what === "dot") return "a dot";
    if (item.what === "undot") return "taking a dot back";
    if (item.what === "thumb") return "your thumb";
    if (item.what === "report") return "the report";
    if (item.what === "took_part") return "that you took part";
    if (item.what === "named") return "who took part";
    return item.what;
  }

  function submit(what, fields) {
    const items = outbox();
    items.push({ what: what, fields: fields, key: newKey() });
    saveOutbox(items);
    flush();
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      let items = outbox();
      while (items.length) {
        const item = items[0];
        let response;
        try {
          response = await fetch("send", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
            body: JSON.stringify(item),
          });
        } catch (e) {
          reconnecting();
          return;
        }
        if (response.status === 401) {
          connection("Your session has ended: sign in again.", true);
          show("signin");
          return;
        }
        if (response.status === 429 || response.status >= 500) {
          reconnecting();
          return;
        }
        let answer = {};
        try {
          answer = await response.json();
        } catch (e) {
          answer = {};
        }
        items = outbox().filter((other) => other.key !== item.key);
        saveOutbox(items);
        if (response.ok) {
          $("message").textContent = "";
          connection("Received: " + describe(item));
        } else {
          $("message").textContent = answer.message || "Not taken: " + describe(item);
        }
      }
    } finally {
      sending = false;
    }
  }

  function reconnecting() {
    if (ended()) {
      connection("");
      return; // the meeting has ended: nothing to reconnect to
    }
    connection("Reconnecting… what you sent is kept and will be sent again.", true);
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, 2000);
  }

  // -- the state --------------------------------------------------------------------

  function ended() {
    return !!state && ((state.me && state.me.state === "ended") || (state.room && state.room.status === "finished"));
  }

  function take(next) {
    state = next;
    csrf = next.csrf || csrf;
    receivedAt = performance.now();
    lastHeard = Date.now();
    draw();
  }

  async function load() {
    let response;
    try {
      response = await fetch("me", { credentials: "same-origin" });
    } catch (e) {
      reconnecting();
      return false;
    }
    if (response.status === 401) {
      show("signin");
      connection(token ? "" : "Open the link from the QR code to join.", !token);
      return false;
    }
    if (!response.ok) {
      reconnecting();
      return false;
    }
    take(await response.json());
    return true;
  }

  function listen() {
    if (source) source.close();
    source = new EventSource("events");
    source.addEventListener("state", (event) => {
      connection("Connected");
      take(JSON.parse(event.data));
      flush();
    });
    source.addEventListener("ping", () => {
      lastHeard = Date.now();
    });
    source.addEventListener("gone", () => {
      source.close();
      show("signin");
      connection("Please sign in again (the join code changed).", true);
    });
    source.onerror = () => {
      source.close();
      source = null;
      reconnecting();
    };
  }

  async function connect() {
    if (await load()) {
      listen();
      flush();
    }
  }

  // -- drawing ----------------------------------------------------------------------

  function clockText(clock) {
    if (!clock) return "";
    const passed = clock.running ? (performance.now() - receivedAt) / 1000 : 0;
    const remaining = clock.remaining - passed;
    const total = Math.ceil(Math.abs(remaining) - 1e-9);
    const text = Math.floor(total / 60) + ":" + String(total % 60).padStart(2, "0");
    return remaining < 0 && total > 0 ? "+" + text + " over" : text + " left";
  }

  function tick() {
    if (state && state.room) {
      const clock = state.room.clock;
      const node = $("clock");
      node.textContent = clockText(clock);
      node.classList.toggle("overrun", !!clock && clock.remaining - (performance.now() - receivedAt) / 1000 < 0);
    }
    if (source && Date.now() - lastHeard > 40000) {
      source.close();
      source = null;
      reconnecting();
    }
  }

  function draw() {
    const room = state.room || {};
    const me = state.me;
    if (!me) {
      show("signin");
      return;
    }
    if (me.state === "ended" || room.status !== "running") {
      show("gone");
      if (room.status === "waiting" && !room.ended) {
        $("gone-title").textContent = "Waiting for the meeting";
        $("gone-text").textContent = "";
      }
      return;
    }
    show("main");
    $("meeting").textContent = room.title || "";
    $("segment-name").textContent = (room.segment && room.segment.name) || "";
    $("prompt").textContent = (room.segment && room.segment.prompt) || "";
    const who = $("me");
    if (me.state === "waiting") who.textContent = "Signed in as " + me.name + ": the facilitator will let you in.";
    else if (me.state === "declined") who.textContent = "The facilitator has not let this sign-in in.";
    else who.textContent = "You: " + me.name;
    const part = $("part");
    const typing = keepTyping(part);
    clear(part);
    const seg = state.segment || {};
    const body = room.body || {};
    drawTurn(part, seg);
    if (body.kind === "lean-coffee") drawLeanCoffee(part, seg);
    else if (body.kind === "open-space") drawOpenSpace(part, seg, body);
    restoreTyping(typing);
    drawOutbox(outbox());
    tick();
  }

  function can(seg, what) {
    return Array.isArray(seg.can) && seg.can.indexOf(what) >= 0;
  }

  function drawTurn(part, seg) {
    if (!("turn" in seg)) return;
    part.appendChild(el("p", "", seg.turn ? "Speaking now: " + seg.turn : "Nobody is speaking yet."));
    let place = "";
    if (seg.place === "speaking") place = "It is your turn.";
    else if (seg.place === "spoken") place = "You have spoken.";
    else if (typeof seg.place === "number") place = seg.place === 1 ? "You are next." : "Your place: " + seg.place;
    if (place) part.appendChild(el("p", "place", place));
  }

  function proposeForm(part, label, withConvener) {
    const form = el("form");
    const id = "propose-title";
    const l = el("label", "", label);
    l.htmlFor = id;
    const input = el("input");
    input.id = id;
    input.maxLength = 120;
    form.appendChild(l);
    form.appendChild(input);
    let convener = null;
    if (withConvener) {
      const cl = el("label", "", "Convener (leave empty: you)");
      cl.htmlFor = "propose-convener";
      convener = el("input");
      convener.id = "propose-convener";
      convener.maxLength = 80;
      form.appendChild(cl);
      form.appendChild(convener);
    }
    const button = el("button", "", "Propose");
    button.type = "submit";
    button.id = "propose-button";
    form.appendChild(button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const title = input.value.trim();
      if (!title) return;
      const fields = { title: title };
      if (convener && convener.value.trim()) fields.convener = convener.value.trim();
      submit("propose", fields);
      input.value = "";
      if (convener) convener.value = "";
    });
    part.appendChild(form);
  }

  function drawLeanCoffee(part, seg) {
    if (can(seg, "propose")) proposeForm(part, "Propose a topic", false);
    if (can(seg, "dot")) {
      part.appendChild(el("h2", "", "Place your dots: " + seg.dots_left + " of " + seg.dots_each + " left"));
    }
    if (can(seg, "thumb") && seg.thumbs) {
      part.appendChild(el("h2", "", "Carry on with “" + seg.thumbs.title + "”?"));
      const row = el("div", "thumbs");
      for (const [value, label] of [["up", "👍 Up"], ["sideways", "👉 Sideways"], ["down", "👎 Down"]]) {
        const button = el("button", seg.thumbs.mine === value ? "chosen" : "quiet", label);
        button.type = "button";
        button.id = "thumb-" + value;
        button.setAttribute("aria-pressed", seg.thumbs.mine === value ? "true" : "false");
        button.addEventListener("click", () => submit("thumb", { thumb: value }));
        row.appendChild(button);
      }
      part.appendChild(row);
    }
    const topics = seg.topics || [];
    if (!topics.length) return;
    part.appendChild(el("h2", "", "Topics"));
    const list = el("ul", "topics");
    for (const topic of topics) {
      const item = el("li", "row");
      const label = el("span", "", topic.title + (topic.mine ? " (yours)" : ""));
      item.appendChild(label);
      if (can(seg, "dot")) {
        const dots = el("span", "row");
        dots.appendChild(el("span", "", "●".repeat(topic.my_dots)));
        const minus = el("button", "quiet", "−");
        minus.type = "button";
        minus.disabled = topic.my_dots === 0;
        minus.setAttribute("aria-label", "Take a dot back from " + topic.title);
        minus.addEventListener("click", () => submit("undot", { topic: topic.id }));
        const plus = el("button", "dot", "+");
        plus.type = "button";
        plus.disabled = seg.dots_left === 0;
        plus.setAttribute("aria-label", "Place a dot on " + topic.title);
        plus.addEventListener("click", () => submit("dot", { topic: topic.id }));
        dots.appendChild(minus);
        dots.appendChild(plus);
        item.appendChild(dots);
      }
      list.appendChild(item);
    }
    part.appendChild(list);
  }

  function drawOpenSpace(part, seg, body) {
    if (can(seg, "propose")) proposeForm(part, "Propose a session", true);
    if (seg.mine && seg.mine.length) {
      part.appendChild(el("h2", "", "Your sessions"));
      const list = el("ul");
      for (const p of seg.mine) list.appendChild(el("li", "", p.title));
      part.appendChild(list);
    }
    if (body.slots && body.slots.length && body.view === "wall") {
      part.appendChild(el("h2", "", "The wall"));
      const table = el("table", "wall");
      const head = el("tr");
      head.appendChild(el("th", "", ""));
      for (const space of body.spaces || []) head.appendChild(el("th", "", space));
      table.appendChild(head);
      for (const slot of body.slots) {
        const row = el("tr");
        row.appendChild(el("th", "", slot.label));
        for (const cell of slot.sessions) row.appendChild(el("td", "", cell ? cell.title + " · " + cell.by : ""));
        table.appendChild(row);
      }
      part.appendChild(table);
    }
    for (const session of seg.sessions || []) {
      const box = el("section");
      box.appendChild(el("h2", "", session.title + (session.by ? " · " + session.by : "")));
      if (!session.in_it) {
        const join = el("button", "quiet", "I took part");
        join.type = "button";
        join.addEventListener("click", () => submit("took_part", { session: session.id }));
        box.appendChild(join);
      } else {
        const id = "report-" + session.id;
        const label = el("label", "", "Report");
        label.htmlFor = id;
        const text = el("textarea");
        text.id = id;
        text.maxLength = 4000;
        text.value = session.report || "";
        const send = el("button", "", "Send the report");
        send.type = "button";
        send.addEventListener("click", () => submit("report", { session: session.id, report: text.value }));
        box.appendChild(label);
        box.appendChild(text);
        box.appendChild(send);
        tookPartForm(box, session, seg.here || []);
      }
      part.appendChild(box);
    }
  }

  function tookPartForm(box, session, here) {
    // Who took part: tick people signed in here, or type names of others (commas between).
    const form = el("fieldset", "took-part");
    form.appendChild(el("legend", "", "Who took part"));
    const already = session.took_part || [];
    form.appendChild(el("p", "hint", already.length ? "So far: " + already.join(", ") : "Nobody named yet."));
    const boxes = [];
    for (const person of here) {
      if (already.indexOf(person.name) >= 0) continue;
      const id = "took-" + session.id + "-" + person.id;
      const row = el("label", "tick");
      const tick = el("input");
      tick.type = "checkbox";
      tick.id = id;
      tick.value = person.id;
      row.appendChild(tick);
      row.appendChild(document.createTextNode(" " + person.name));
      form.appendChild(row);
      boxes.push(tick);
    }
    const othersId = "others-" + session.id;
    const others = el("label", "", "Others, not signed in (commas between names)");
    others.htmlFor = othersId;
    const typed = el("input");
    typed.id = othersId;
    typed.maxLength = 600;
    typed.autocomplete = "off";
    form.appendChild(others);
    form.appendChild(typed);
    const send = el("button", "", "Add who took part");
    send.type = "button";
    send.addEventListener("click", () => {
      const people = boxes.filter((b) => b.checked).map((b) => b.value);
      const names = typed.value.trim();
      if (!people.length && !names) return;
      submit("named", { session: session.id, people: people, names: names });
      boxes.forEach((b) => { b.checked = false; });
      typed.value = "";
    });
    form.appendChild(send);
    box.appendChild(form);
  }

  function keepTyping(part) {
    // Every change in the room redraws this part: what is being typed or ticked stays.
    const kept = {};
    for (const node of part.querySelectorAll("input, textarea")) {
      if (node.id) kept[node.id] = node.type === "checkbox" ? node.checked : node.value;
    }
    const active = document.activeElement;
    const focus = active && part.contains(active) && active.id ? active.id : null;
    let selection = null;
    if (focus && typeof active.selectionStart === "number") selection = [active.selectionStart, active.selectionEnd];
    return { kept: kept, focus: focus, selection: selection };
  }

  function restoreTyping(saved) {
    for (const id in saved.kept) {
      const node = document.getElementById(id);
      if (!node) continue;
      if (node.type === "checkbox") node.checked = saved.kept[id];
      else node.value = saved.kept[id];
    }
    if (saved.focus) {
      const node = document.getElementById(saved.focus);
      if (node) {
        node.focus();
        if (saved.selection && typeof node.setSelectionRange === "function") {
          try { node.setSelectionRange(saved.selection[0], saved.selection[1]); } catch (e) { /* not a text field */ }
        }
      }
    }
  }

  // -- signing in ---------------------------------------------------------------------

  $("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("name").value.trim();
    if (!name) {
      connection("Your name, please.", true);
      return;
    }
    const body = {
      t: token,
      name: name,
      organisation: $("organisation").value.trim(),
      invited_by: $("invited_by").value.trim(),
      key: newKey(),
    };
    let response;
    try {
      response = await fetch("join", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (e) {
      connection("Cannot reach the facilitator's laptop: try again.", true);
      return;
    }
    if (!response.ok) {
      let message = "Not signed in.";
      try {
        message = (await response.json()).message || message;
      } catch (e) {
        message = response.status === 403 ? "Open the link from the QR code to join." : message;
      }
      connection(message, true);
      return;
    }
    take(await response.json());
    connection("Connected");
    listen();
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") connect();
  });
  window.addEventListener("online", connect);
  setInterval(tick, 1000);
  drawOutbox(outbox());
  connect();
})();
