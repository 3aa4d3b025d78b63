// The room's screen in a browser. It receives the room's state as JSON through
// server-sent events and draws it. Everything people typed goes in with
// textContent, never as HTML. Between events the countdowns count on locally.
"use strict";

(function () {
  const params = new URLSearchParams(window.location.search);
  const token = params.get("t") || "";
  let lastId = "";
  let source = null;
  let lastHeard = 0;
  let state = null;
  let receivedAt = 0;
  let retryDelay = 1000;
  let retryTimer = null;

  const $ = (id) => document.getElementById(id);

  // An element with text, built without HTML.
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // As on the terminal: whole seconds round up; an overrun shows +m:ss.
  function formatClock(remaining) {
    const total = Math.ceil(Math.abs(remaining) - 1e-9);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    const text = (hours ? hours + ":" : "") + mm + ":" + String(seconds).padStart(2, "0");
    return remaining < 0 && total > 0 ? "+" + text : text;
  }

  function remainingNow(clock) {
    if (!clock) return 0;
    const passed = clock.running ? (performance.now() - receivedAt) / 1000 : 0;
    return clock.remaining - passed;
  }

  function minutes(value) {
    return value + " min";
  }

  // -- drawing ------------------------------------------------------------------

  function draw() {
    if (!state) return;
    const waiting = state.status !== "running";
    $("waiting").hidden = !waiting;
    $("room").hidden = waiting;
    $("blank").hidden = !(state.blank && !waiting);
    document.body.classList.toggle("blanked", Boolean(state.blank && !waiting));
    if (waiting) {
      $("ended").textContent = state.ended ? state.ended + " has ended. Thank you." : "";
      if (state.status === "finished") $("ended").textContent = state.title + " has ended. Thank you.";
      return;
    }
    $("title").textContent = state.title;
    const seg = state.segment || {};
    $("progress").textContent = seg.number ? seg.number + " of " + seg.of : "";
    $("segment-name").textContent = seg.name || "";
    $("prompt").textContent = seg.prompt || "";
    const next = state.next;
    $("next").textContent = next ? "Next: " + next.name + " (" + minutes(next.minutes) + ")" : "Last part of the meeting";
    drawBody(state.body || {});
    drawRecord(state.record);
    drawJoin(state.join || "", state.join_qr || []);
    tick();
  }

  let joinShown = null;
  function drawJoin(link, rows) {
    // The join link and its QR code: modules drawn on a canvas, the link as text only.
    $("join").hidden = !link || !rows.length;
    if (!link || !rows.length) {
      joinShown = null;
      return;
    }
    if (link === joinShown) return;
    joinShown = link;
    $("join-link").textContent = link;
    const canvas = $("join-qr");
    const size = rows.length;
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size, size);
    ctx.fillStyle = "#000000";
    rows.forEach(function (row, y) {
      for (let x = 0; x < row.length; x++) if (row[x] === "1") ctx.fillRect(x, y, 1, 1);
    });
  }

  function drawBody(body) {
    const root = $("body");
    clear(root);
    root.className = "view-" + (body.view || body.kind || "timer");
    const view = VIEWS[body.view] || VIEWS[body.kind];
    if (view) view(root, body);
  }

  function list(items, className) {
    const ul = el("ul", className);
    for (const item of items) ul.appendChild(item instanceof Node ? item : el("li", "", item));
    return ul;
  }

  function drawRound(root, body) {
    if (body.theme) root.appendChild(el("p", "theme", body.theme));
    const floor = el("div", "floor");
    if (body.speaker) {
      floor.appendChild(el("span", "label", "Speaking"));
      floor.appendChild(el("span", "speaker", body.speaker.name));
      floor.appendChild(el("span", "speaker-clock"));
    } else if (body.next.length) {
      floor.appendChild(el("span", "label", body.spoken.length ? "Next" : "First"));
      floor.appendChild(el("span", "speaker", body.next[0]));
    } else if (body.spoken.length) {
      floor.appendChild(el("span", "label", "Everyone has had their turn"));
    }
    root.appendChild(floor);
    const upcoming = body.speaker ? body.next : body.next.slice(1);
    if (upcoming.length) {
      root.appendChild(el("h3", "", "Then"));
      root.appendChild(list(upcoming, "next-speakers"));
    }
    if (body.spoken.length) {
      root.appendChild(el("h3", "", "Spoken"));
      const items = body.spoken.map((s) => el("li", s.passed ? "passed" : "", s.passed ? s.name + " (passed)" : s.name));
      root.appendChild(list(items, "spoken"));
    }
  }

  function drawPhases(root, body) {
    root.appendChild(el("p", "phase", body.phase));
    if (body.prompt) root.appendChild(el("p", "phase-prompt", body.prompt));
    const steps = body.steps.map((s) => el("li", "step-" + s.state, s.name + " · " + minutes(s.minutes)));
    root.appendChild(list(steps, "steps"));
  }

  function drawOpening(root, body) {
    root.appendChild(el("p", "theme", body.theme));
    root.appendChild(list(body.principles, "principles"));
  }

  function drawWall(root, body) {
    if (body.view === "marketplace") {
      root.appendChild(el("h3", "", "Proposed sessions"));
      const items = body.proposals.map((p) => el("li", p.placed ? "placed" : "", p.by ? p.title + " · " + p.by : p.title));
      root.appendChild(items.length ? list(items, "proposals") : el("p", "quiet", "No sessions proposed yet"));
    }
    const table = el("table", "wall");
    const head = el("tr");
    head.appendChild(el("th", "", ""));
    for (const space of body.spaces) head.appendChild(el("th", "", space));
    table.appendChild(head);
    body.slots.forEach((slot, index) => {
      const row = el("tr", index === body.current_slot ? "now" : "");
      row.appendChild(el("th", "", slot.label));
      for (const cell of slot.sessions) {
        const td = el("td");
        if (cell) {
          td.appendChild(el("span", "session", cell.title));
          if (cell.by) td.appendChild(el("span", "convener", cell.by));
        }
        row.appendChild(td);
      }
      table.appendChild(row);
    });
    root.appendChild(table);
  }

  function drawLean(root, body) {
    root.appendChild(el("p", "heading", body.heading));
    if (body.current) {
      root.appendChild(el("p", "current-topic", body.current.title));
      root.appendChild(el("p", "quiet", body.current.votes + " votes"));
    }
    if (body.thumbs) {
      const t = body.thumbs;
      root.appendChild(el("p", "thumbs", "Thumbs on " + t.topic + ": 👍 " + t.up + "  ✋ " + t.sideways + "  👎 " + t.down + " · " + t.outcome));
    }
    const items = body.topics.map((t) => {
      const li = el("li", "topic-" + t.state);
      if (body.view !== "propose") li.appendChild(el("span", "votes", "●".repeat(Math.min(t.votes, 12)) + " " + t.votes));
      li.appendChild(el("span", "topic", t.title));
      if (t.state === "done") li.appendChild(el("span", "quiet", " ✓ discussed"));
      return li;
    });
    root.appendChild(items.length ? list(items, "topics") : el("p", "quiet", "No topics yet"));
  }

  function drawMatters(root, body) {
    if (!body.current) return;
    root.appendChild(el("p", "heading", "Matters arising · " + body.number + " of " + body.of));
    root.appendChild(el("p", "current-topic", body.current.text));
    if (body.current.owner) root.appendChild(el("p", "quiet", body.current.owner));
  }

  const VIEWS = {
    round: drawRound,
    closing: drawRound,
    phases: drawPhases,
    opening: drawOpening,
    marketplace: drawWall,
    wall: drawWall,
    propose: drawLean,
    vote: drawLean,
    discuss: drawLean,
    matters: drawMatters,
  };

  function drawRecord(record) {
    const root = $("record");
    clear(root);
    root.hidden = !record;
    if (!record) return;
    if (record.decisions.length) {
      root.appendChild(el("h3", "", "Decisions"));
      root.appendChild(list(record.decisions, "decisions"));
    }
    if (record.actions.length) {
      root.appendChild(el("h3", "", "Actions"));
      const items = record.actions.map((a) => {
        const li = el("li");
        li.appendChild(el("span", "action", a.text));
        const who = [a.owner, a.due ? "by " + a.due : ""].filter(Boolean).join(" · ");
        if (who) li.appendChild(el("span", "quiet", " — " + who));
        return li;
      });
      root.appendChild(list(items, "actions"));
    }
    if (!record.decisions.length && !record.actions.length) root.appendChild(el("p", "quiet", "Nothing agreed yet"));
  }

  // The digits fill the window's width or a good part of its height, whichever is less.
  function fitDigits(node, text) {
    const width = window.innerWidth * 0.92;
    const height = window.innerHeight * (state && state.body && state.body.view && state.body.view !== "timer" ? 0.3 : 0.45);
    const size = Math.max(24, Math.min(height, width / (0.66 * Math.max(text.length, 4) + (window.innerWidth > window.innerHeight ? 1.2 : 0))));
    node.style.fontSize = Math.floor(size) + "px";
  }

  function tick() {
    if (!state || state.status !== "running" || !state.clock) return;
    const clock = state.clock;
    const left = remainingNow(clock);
    const text = formatClock(left);
    const digits = $("clock-digits");
    if (digits.textContent !== text) digits.textContent = text;
    fitDigits(digits, text);
    const over = left < 0;
    const root = $("clock");
    root.classList.toggle("over", over);
    root.classList.toggle("warning", !over && left <= 60);
    root.classList.toggle("paused", state.paused);
    $("clock-word").textContent = state.paused ? "PAUSED" : over ? "OVER TIME" : "left";
    const speaker = document.querySelector("#body .speaker-clock");
    const floor = state.body && state.body.speaker;
    if (speaker && floor && floor.clock) {
      const own = remainingNow(floor.clock);
      speaker.textContent = formatClock(own) + (own < 0 ? " over" : " left");
      speaker.classList.toggle("over", own < 0);
    }
  }

  // -- the connection ---------------------------------------------------------------

  function setStatus(text) {
    $("connection").textContent = text;
    document.body.classList.toggle("offline", Boolean(text));
  }

  function connect() {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (source) source.close();
    const query = new URLSearchParams();
    if (token) query.set("t", token);
    if (lastId) query.set("last", lastId);
    if (params.get("theme")) query.set("theme", params.get("theme"));
    source = new EventSource("events?" + query.toString());
    lastHeard = Date.now();
    source.addEventListener("open", () => {
      retryDelay = 1000;
      setStatus("");
    });
    source.addEventListener("hello", (event) => {
      lastHeard = Date.now();
      const theme = params.get("theme") || event.data;
      document.body.className = document.body.className.replace(/theme-\S+/, "") + " theme-" + (theme === "dark" ? "dark" : "projector");
    });
    source.addEventListener("state", (event) => {
      lastHeard = Date.now();
      lastId = event.lastEventId || lastId;
      state = JSON.parse(event.data);
      receivedAt = performance.now();
      draw();
    });
    source.addEventListener("ping", () => {
      lastHeard = Date.now();
    });
    source.addEventListener("error", () => {
      setStatus("Reconnecting…");
      if (source.readyState === EventSource.CLOSED) {
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      }
    });
  }

  // A sleeping laptop or phone keeps a dead stream that looks alive: start again on waking.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - lastHeard > 20000) connect();
  });
  window.addEventListener("online", connect);
  window.addEventListener("resize", tick);
  setInterval(() => {
    tick();
    if (Date.now() - lastHeard > 40000) {
      setStatus("Reconnecting…");
      connect();
    }
  }, 200);
  connect();
})();
