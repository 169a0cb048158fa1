// Workbench review page. Plain JS, no build step. Every piece of document text is
// inserted with textContent / text nodes, never as HTML.
//
// Scale: the document is fetched once; every change returns only the segments it changed
// and the document's new digest. Long documents render only the rows near the viewport
// (a virtualised list with measured row heights). Changes go through one queue: while a
// save is in flight further actions wait their turn, in order; none is dropped (a refused
// one is reported). Translation-memory matches are asked for the current segment and the
// next few only.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const VIRTUAL_MIN = 250;      // documents with fewer rows render every row
  const OVERSCAN = 900;         // px rendered above and below the viewport
  const EST_ROW = 88;           // px, until a row has been measured
  const MATCH_AHEAD = 3;        // memory matches fetched for the current row and the next few

  const state = {
    docs: [], doc: null, byId: new Map(), view: [], heights: new Map(),
    selected: null, editing: null, unsaved: new Map(), matches: new Map(), matchDigest: null,
    queue: [], saving: false, range: [0, 0], glossaryTerms: [], notice: null,
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "title" || k === "type" || k === "lang" || k === "tabindex" || k === "for") node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // Offsets from the server count code points; JS strings count UTF-16 units.
  const cps = (s) => Array.from(s);
  const cpIndex = (s, utf16) => Array.from(s.slice(0, utf16)).length;

  function marked(text, spans) {
    const frag = document.createDocumentFragment();
    const chars = cps(text);
    let pos = 0;
    for (const span of spans || []) {
      const [s, e, en, kind] = span;
      if (s < pos) continue;
      if (s > pos) frag.append(document.createTextNode(chars.slice(pos, s).join("")));
      const m = el("mark", { title: en, class: kind === "nt" ? "nt" : "term" });
      m.textContent = chars.slice(s, e).join("");
      frag.append(m);
      pos = e;
    }
    if (pos < chars.length) frag.append(document.createTextNode(chars.slice(pos).join("")));
    return frag;
  }

  // ------------------------------------------------------------------ banner and saving indicator

  function banner(message, opts) {
    const o = opts || {};
    $("banner-text").textContent = message;
    $("banner").className = o.info ? "info" : "";
    $("banner-reload").hidden = !o.reload;
    $("banner").hidden = false;
    $("banner").dataset.kind = o.kind || (o.info ? "info" : "error");
  }
  function clearBanner() { $("banner").hidden = true; $("banner").dataset.kind = ""; }

  function indicator() {
    const n = state.queue.length + (state.saving ? 1 : 0);
    const box = $("saving");
    if (n) { box.textContent = n > 1 ? `Saving… (${n - 1} more queued)` : "Saving…"; box.dataset.state = "saving"; }
    else if (box.dataset.state === "saving") { box.textContent = "All changes saved"; box.dataset.state = "saved"; }
  }

  // ------------------------------------------------------------------ API

  async function api(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    let res;
    try { res = await fetch(path, init); } catch (e) { return { status: 0, data: { error: "the review server does not answer (is `workbench review` still running?)" } }; }
    let data = null;
    try { data = await res.json(); } catch (e) { data = { error: res.statusText }; }
    return { status: res.status, data };
  }

  async function loadDocs() {
    const { status, data } = await api("/api/docs");
    if (status !== 200) { banner(data.error || "cannot list documents"); return; }
    state.docs = data.documents;
    renderDocs();
  }

  // pending: the request for this document already sent (the page asks for it while the list loads)
  async function openDoc(stem, keepSelection, pending) {
    const { status, data } = await (pending || api("/api/doc/" + encodeURIComponent(stem)));
    if (status !== 200) { banner(data.error || "cannot open " + stem); return; }
    state.doc = data;
    state.byId = new Map(data.segments.map((s) => [s.id, s]));
    state.heights = new Map();
    state.editing = null;
    state.matches = new Map();
    if (!keepSelection || !state.byId.has(state.selected)) {
      const first = data.segments.find((s) => s.source);
      state.selected = first ? first.id : null;
    }
    if (location.hash !== "#" + stem) history.replaceState(null, "", "#" + stem);
    renderAll();
    if (!performance.getEntriesByName("wb-first-rows").length) performance.mark("wb-first-rows");
    renderDocs();
    scrollToSelected();
    fetchMatches();
  }

  // One queue for every change: in order, one at a time, each with the digest of the latest save.
  function enqueue(action, body, opts) {
    if (!state.doc) return Promise.resolve(false);
    return new Promise((resolve) => {
      state.queue.push({ action, body, opts: opts || {}, resolve, stem: state.doc.stem });
      indicator();
      pump();
    });
  }

  async function pump() {
    if (state.saving) return;
    const job = state.queue.shift();
    if (!job) { indicator(); return; }
    state.saving = true;
    indicator();
    let ok = false;
    try { ok = await send(job); } finally {
      state.saving = false;
      job.resolve(ok);
      if (!ok && state.queue.length) {
        const dropped = state.queue.splice(0);
        for (const j of dropped) j.resolve(false);
        banner(`${$("banner").hidden ? "" : $("banner-text").textContent + " "}${dropped.length} queued change${dropped.length > 1 ? "s were" : " was"} not applied because the one before was refused; make ${dropped.length > 1 ? "them" : "it"} again.`, { reload: $("banner").dataset.kind === "stale", kind: $("banner").dataset.kind || "error" });
      }
      indicator();
      pump();
    }
  }

  async function send(job) {
    if (!state.doc || state.doc.stem !== job.stem) return false;
    const body = Object.assign({ digest: state.doc.digest }, job.body);
    let { status, data } = await api("/api/doc/" + encodeURIComponent(job.stem) + "/" + job.action, body);
    if (status === 409 && data.confirm) {
      if (!confirm(data.error.replace(/^confirm: /, "") .replace(/; add --force.*$/, "") + ".\n\nDo it anyway?")) { $("saving").textContent = "Not changed"; $("saving").dataset.state = "idle"; return false; }
      body.force = true;
      ({ status, data } = await api("/api/doc/" + encodeURIComponent(job.stem) + "/" + job.action, body));
    }
    if (status === 409 && data.stale) {
      if (job.opts.typed != null) state.unsaved.set(job.opts.typed.id, job.opts.typed.text);
      banner("Not saved: this document was changed elsewhere (another tab, a hand edit or a translate run). Reload to get the latest version" + (job.opts.typed != null ? "; your typed text is kept beside the segment" : "") + ", then make your change again.", { reload: true, kind: "stale" });
      $("saving").textContent = "Not saved"; $("saving").dataset.state = "error";
      return false;
    }
    if (status !== 200) {
      banner(data.error || ("request failed: " + status));
      $("saving").textContent = "Not saved"; $("saving").dataset.state = "error";
      return false;
    }
    if (!$("banner").hidden && $("banner").dataset.kind !== "stale") clearBanner();
    applyChange(data);
    return true;
  }

  function applyChange(data) {
    const d = state.doc;
    d.digest = data.digest;
    d.counts = data.counts;
    d.flag_kinds = data.flag_kinds;
    if (data.orphans) d.orphans = data.orphans;
    for (const seg of data.segments || []) state.byId.set(seg.id, seg);
    for (const id of data.removed || []) state.byId.delete(id);
    if (data.order) d.segments = data.order.map((id) => state.byId.get(id)).filter(Boolean);
    else d.segments = d.segments.map((s) => state.byId.get(s.id) || s).filter((s) => state.byId.has(s.id));
    for (const seg of data.segments || []) state.heights.delete(seg.id);
    if (state.editing && (data.changed || []).includes(state.editing.id) && state.editing.saving) state.editing = null;
    state.matches = new Map();  // the memory changed: ask again
    const doc = state.docs.find((x) => x.stem === d.stem);
    if (doc) { doc.counts = d.counts; doc.orphans = (d.orphans || []).length; renderDocs(); }
    const f = filters();
    const inPlace = !data.order && !(data.removed || []).length && (data.segments || []).every((s) => passes(s, f) === state.pos.has(s.id));
    if (inPlace) {  // the same rows pass the filters: replace the changed ones where they are
      for (const seg of data.segments || []) {
        const i = state.pos.get(seg.id);
        if (i == null) continue;
        state.view[i] = seg;
        replaceRow(seg.id);
      }
      renderHeader();
      renderOrphans();
      renderPanel();
      markSelected();
    } else renderAll(true);
    fetchMatches();
  }

  // Re-render one row where it is (no other row is touched: focus and scroll stay put).
  function replaceRow(id) {
    const old = rowEl(id);
    const seg = state.byId.get(id);
    if (!old || !seg) return;
    const i = state.pos.get(id);
    const prev = i > 0 ? state.view[i - 1] : null;
    const row = renderRow(seg, prev !== null && seg.paragraph !== prev.paragraph, i);
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(row);
    if (virtual()) state.heights.set(id, row.offsetHeight);
    if (hadFocus && !state.editing) row.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ documents list

  function renderDocs() {
    const ul = $("docs");
    ul.replaceChildren();
    for (const d of state.docs) {
      const current = state.doc && state.doc.stem === d.stem;
      const li = el("li", { "data-stem": d.stem, class: (current ? "current" : "") + (d.error ? " broken" : "") });
      const b = el("button", { type: "button", class: "doc-open", "aria-current": current ? "true" : null });
      b.append(el("div", { class: "doc-name", text: d.stem }));
      if (d.error) {
        b.append(el("div", { class: "doc-error", text: d.error }));
        b.disabled = true;
      } else {
        if (d.title) b.append(el("div", { class: "doc-title", text: d.title, lang: d.source_lang }));
        const total = d.counts.draft + d.counts.edited + d.counts.approved || 1;
        const bar = el("div", { class: "progress", title: `${d.counts.approved} approved, ${d.counts.edited} edited, ${d.counts.draft} draft`, "aria-hidden": "true" });
        for (const k of ["approved", "edited", "draft"]) {
          const part = el("span", { class: "p-" + k });
          part.style.width = (100 * d.counts[k] / total) + "%";
          bar.append(part);
        }
        b.append(bar, el("div", { class: "doc-meta", text: `${d.source_lang} · ${d.counts.approved} approved · ${d.counts.edited} edited · ${d.counts.draft} draft${d.orphans ? ` · ${d.orphans} orphaned` : ""}` }));
        b.addEventListener("click", () => openDoc(d.stem));
      }
      li.append(b);
      ul.append(li);
    }
  }

  // ------------------------------------------------------------------ filtering and the virtual list

  function filters() { return { st: $("filter-status").value, fl: $("filter-flag").value, q: $("filter-text").value.trim().toLowerCase() }; }

  function passes(seg, f) {
    if (!seg.source) return false;
    const { st, fl, q } = f || filters();
    if (st && seg.status !== st) return false;
    if (fl === "*" && !seg.flags.length) return false;
    if (fl === "-" && seg.flags.length) return false;
    if (fl && fl !== "*" && fl !== "-" && !seg.flags.some((f) => f === fl || f.split(":")[0] === fl)) return false;
    if (q && !seg.source.toLowerCase().includes(q) && !seg.target.toLowerCase().includes(q)) return false;
    return true;
  }

  function computeView() {
    const d = state.doc;
    const f = filters();
    let view = d.segments.filter((s) => passes(s, f));
    if ($("sort").value === "confidence") {
      const conf = (s) => (s.confidence == null ? 2 : s.confidence);
      view = view.slice().sort((a, b) => conf(a) - conf(b));
    }
    state.view = view;
    state.pos = new Map(view.map((s, i) => [s.id, i]));
  }

  const height = (seg) => state.heights.get(seg.id) || EST_ROW;
  const virtual = () => state.view.length >= VIRTUAL_MIN;

  function offsetOf(i) { let y = 0; for (let k = 0; k < i; k++) y += height(state.view[k]); return y; }

  // The rows to render: the viewport with OVERSCAN px either side. renderWindow builds only the
  // rows entering that range, so a move of one row builds about one row.
  function windowRange() {
    if (!virtual()) return [0, state.view.length];
    const sc = $("scroller");
    // (never more than the window's height: before the stylesheet applies, the scroller is as tall as its rows)
    const top = sc.scrollTop - OVERSCAN, bottom = sc.scrollTop + Math.min(sc.clientHeight, window.innerHeight) + OVERSCAN;
    let y = 0, start = 0;
    while (start < state.view.length && y + height(state.view[start]) < top) { y += height(state.view[start]); start++; }
    let end = start;
    while (end < state.view.length && y < bottom) { y += height(state.view[end]); end++; }
    return [start, end];
  }

  function renderHeader() {
    const d = state.doc;
    $("doc-title").textContent = d.document;
    $("doc-counts").textContent = `${d.source_lang} → ${d.target_lang} · ${d.counts.approved} approved · ${d.counts.edited} edited · ${d.counts.draft} draft · ${state.view.length} shown`;
    $("src-head").textContent = "Source (" + d.source_lang + ")";
    const flagSel = $("filter-flag");
    const current = flagSel.value;
    for (const opt of Array.from(flagSel.options)) if (!["", "*", "-"].includes(opt.value)) opt.remove();
    for (const k of d.flag_kinds) flagSel.append(el("option", { value: k, text: k }));
    flagSel.value = d.flag_kinds.includes(current) || ["", "*", "-"].includes(current) ? current : "";
  }

  function renderAll(keepScroll) {
    if (!state.doc) return;
    state.headHeight = 0;
    computeView();
    renderHeader();
    if (state.selected && !state.pos.has(state.selected)) {
      // keep the place: the next visible row after the old one in document order
      const order = state.doc.segments.map((s) => s.id);
      const at = order.indexOf(state.selected);
      const next = at >= 0 ? state.doc.segments.slice(at).find((s) => state.pos.has(s.id)) || state.doc.segments.slice(0, at).reverse().find((s) => state.pos.has(s.id)) : null;
      state.selected = next ? next.id : (state.view[0] ? state.view[0].id : null);
    }
    if (!state.selected && state.view[0]) state.selected = state.view[0].id;
    $("segments").hidden = false;
    $("empty").hidden = state.view.length > 0;
    renderWindow(true);
    renderOrphans();
    renderPanel();
  }

  // Rows outside the new range are removed and only the rows entering it are built (moving
  // with j/k or scrolling a little builds a few rows, never the whole window again).
  function renderWindow(force) {
    const [start, end] = windowRange();
    const [s0, e0] = state.range;
    if (!force && start === s0 && end === e0) return;
    const tbody = $("rows");
    const rows = tbody.querySelectorAll("tr.seg");
    const overlap = !force && virtual() && start < e0 && end > s0 && rows.length === e0 - s0;
    state.range = [start, end];
    const focusedId = document.activeElement && document.activeElement.closest ? (document.activeElement.closest("tr.seg") || {}).dataset : null;
    const built = [];
    const build = (i) => { const seg = state.view[i]; const prev = i > 0 ? state.view[i - 1] : null; const r = renderRow(seg, prev !== null && seg.paragraph !== prev.paragraph, i); built.push(r); return r; };
    if (overlap) {
      for (let k = 0; k < rows.length; k++) { const i = s0 + k; if (i < start || i >= end) rows[k].remove(); }
      const top = tbody.querySelector('tr.spacer[data-pad="top"]'), bottom = tbody.querySelector('tr.spacer[data-pad="bottom"]');
      const head = document.createDocumentFragment();
      for (let i = start; i < s0; i++) head.append(build(i));
      top.after(head);
      const tail = document.createDocumentFragment();
      for (let i = Math.max(e0, start); i < end; i++) tail.append(build(i));
      bottom.before(tail);
      top.firstChild.style.height = offsetOf(start) + "px";
      let pad = 0;
      for (let k = end; k < state.view.length; k++) pad += height(state.view[k]);
      bottom.firstChild.style.height = pad + "px";
    } else {
      const frag = document.createDocumentFragment();
      const topPad = virtual() ? offsetOf(start) : 0;
      let bottomPad = 0;
      if (virtual()) for (let k = end; k < state.view.length; k++) bottomPad += height(state.view[k]);
      frag.append(spacer(topPad, "top"));
      for (let i = start; i < end; i++) frag.append(build(i));
      frag.append(spacer(bottomPad, "bottom"));
      tbody.replaceChildren(frag);
    }
    // measure what was built, so the spacers match the real heights
    if (virtual()) for (const row of built) state.heights.set(row.dataset.id, row.offsetHeight);
    markSelected();
    if (focusedId && focusedId.id) { const r = rowEl(focusedId.id); if (r && !state.editing && document.activeElement !== r) r.focus({ preventScroll: true }); }
  }

  function spacer(h, which) {
    const tr = el("tr", { class: "spacer", "aria-hidden": "true", "data-pad": which });
    const td = el("td", { colspan: 4 });
    td.style.height = h + "px";
    td.style.padding = "0";
    td.style.border = "0";
    tr.append(td);
    return tr;
  }

  function renderRow(seg, paraStart, i) {
    const row = el("tr", { class: "seg " + seg.status + (paraStart ? " para-start" : ""), "data-id": seg.id, "data-status": seg.status, "data-para": String(seg.paragraph), role: "row", "aria-selected": "false", tabindex: "-1", "aria-rowindex": String(i + 2) });
    const idCell = el("td", { class: "c-id", text: seg.id, "data-para": String(seg.paragraph), role: "gridcell" });
    const src = el("td", { class: "c-src", lang: state.doc.source_lang, role: "gridcell" });
    const tgt = el("td", { class: "c-tgt", lang: "en", role: "gridcell" });
    const st = el("td", { class: "c-st", role: "gridcell" });
    const editing = state.editing && state.editing.id === seg.id ? state.editing : null;

    if (editing && editing.mode === "split") {
      const sArea = el("textarea", { class: "split-source", readOnly: true, value: seg.source, "aria-label": "Source of " + seg.id + ": move the caret to where the second segment starts" });
      const tArea = el("textarea", { class: "split-target", readOnly: true, value: seg.target, "aria-label": "English of " + seg.id + ": move the caret to where the second segment's English starts" });
      sArea.addEventListener("keydown", (ev) => { if (ev.altKey && /^[1-9]$/.test(ev.key)) { ev.preventDefault(); caretAtMark(sArea, +ev.key, /[。！？；.!?;]/g); } });
      tArea.addEventListener("keydown", (ev) => { if (ev.altKey && /^[1-9]$/.test(ev.key)) { ev.preventDefault(); caretAtMark(tArea, +ev.key, /[.!?;]\s/g); } });
      src.append(el("div", { class: "split-help", text: "Move the caret (arrow keys, or Alt+N: after the N-th sentence mark) to where the second segment starts:" }), sArea);
      tgt.append(el("div", { class: "split-help", text: "…and where its English starts (Tab), then Ctrl+Enter:" }), tArea);
      const go = el("button", { type: "button", class: "split-save", text: "Split here" });
      go.addEventListener("click", () => { const body = { id: seg.id, source_at: cpIndex(seg.source, sArea.selectionStart), target_at: cpIndex(seg.target, tArea.selectionStart) }; state.editing = null; enqueue("split", body); });
      const cancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
      cancel.addEventListener("click", () => cancelEdit(true));
      tgt.append(el("div", { class: "editor-buttons" }, go, cancel));
    } else {
      if (seg.prefix) src.append(el("span", { class: "affix", text: seg.prefix }));
      src.append(marked(seg.source, seg.source_hits));
      if (seg.suffix) src.append(el("span", { class: "affix", text: seg.suffix }));
      if (editing) {
        const area = el("textarea", { class: "editor", value: editing.text != null ? editing.text : seg.target, "aria-label": "English for " + seg.id });
        const save = el("button", { type: "button", class: "save", text: "Save" });
        save.addEventListener("click", () => saveEdit(seg.id, area.value, false));
        const cancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
        cancel.addEventListener("click", () => cancelEdit(false));
        area.addEventListener("input", () => { editing.text = area.value; });
        tgt.append(area, el("div", { class: "editor-buttons" }, save, cancel));
      } else {
        tgt.append(marked(seg.target, seg.target_hits));
      }
      const typed = state.unsaved.get(seg.id);
      if (typed != null && !editing) {
        const box = el("div", { class: "unsaved", role: "note" }, el("strong", { text: "Your unsaved text: " }), document.createTextNode(typed));
        const use = el("button", { type: "button", text: "Edit with it" });
        use.addEventListener("click", (ev) => { ev.stopPropagation(); select(seg.id); state.editing = { id: seg.id, mode: "edit", text: typed }; state.unsaved.delete(seg.id); renderWindow(true); focusEditor(); });
        const drop = el("button", { type: "button", text: "Discard it" });
        drop.addEventListener("click", (ev) => { ev.stopPropagation(); state.unsaved.delete(seg.id); renderWindow(true); });
        box.append(" ", use, " ", drop);
        tgt.append(box);
      }
      for (const m of state.matches.get(seg.id) || []) tgt.append(renderMatch(seg, m));
      for (const c of seg.conflicts || []) tgt.append(el("div", { class: "conflict", text: "Imported, not applied (" + c.from + ", " + c.status + "): " + c.target }));  // workbench import
    }

    st.append(el("div", { class: "status " + seg.status, text: seg.status }));
    if (seg.kind) st.append(el("span", { class: "kind", text: seg.kind, title: "block type in the .docx/.html document" }));
    if (seg.confidence != null) st.append(el("div", { class: "conf" + (seg.confidence < 0.5 ? " low" : ""), text: "alignment " + Math.round(seg.confidence * 100) + "%", title: "alignment confidence" }));
    for (const f of seg.flags) st.append(el("span", { class: "flag", text: f, title: flagHelp(f) }));
    if ((seg.notes || []).length || seg.note) st.append(el("div", { class: "note-count", text: `✎ ${(seg.notes || []).length + (seg.note ? 1 : 0)} note(s)` }));
    const actions = el("div", { class: "actions" });
    const buttons = [["edit", "Edit"], ["approve", "Approve"], ["revert", "Revert"], ["undo", "Undo"], ["split", "Split"], ["merge", "Merge ↓"]];
    if (seg.confidence != null) buttons.push(["move-up", "Sentence ↑"], ["move-down", "Sentence ↓"]);  // alignment review
    for (const [action, label] of buttons) {
      if (action === "revert" && !seg.revertable) continue;
      if (action === "approve" && seg.status === "approved") continue;
      if (action === "undo" && !seg.undo) continue;
      const name = action === "move-up" ? `Move the first English sentence of segment ${seg.id} to the previous segment` : action === "move-down" ? `Move the last English sentence of segment ${seg.id} to the next segment` : `${label} segment ${seg.id}${action === "merge" ? " with the next" : ""}`;
      const b = el("button", { type: "button", "data-action": action, text: label, "aria-label": name, tabindex: seg.id === state.selected ? "0" : "-1" });
      b.addEventListener("click", (ev) => { ev.stopPropagation(); select(seg.id); act(action); });
      b.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") ev.stopPropagation(); });
      actions.append(b);
    }
    st.append(actions);
    row.append(idCell, src, tgt, st);
    row.addEventListener("click", (ev) => { if (!ev.target.closest("textarea, button, input")) select(seg.id); });
    return row;
  }

  function caretAtMark(area, n, re) {
    let count = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(area.value))) { count++; if (count === n) { const at = m.index + m[0].length; area.setSelectionRange(at, at); return; } }
  }

  function flagHelp(f) {
    const [kind, what] = [f.split(":")[0], f.split(":").slice(1).join(":")];
    if (kind === "missing-term") return "glossary term missing in the English: " + what;
    if (kind === "number") return "number not found in the English: " + what;
    if (kind === "lost-nt") return "non-translatable lost: " + what;
    if (kind === "no-mt") return "no machine translation (copy engine): translate by hand";
    return f;
  }

  function renderMatch(seg, m) {
    const box = el("div", { class: "tm", title: `translation memory: ${m.stem} ${m.segment} (${m.status})` });
    box.append(el("span", { class: "tm-score", text: Math.round(m.score * 100) + "%" }));
    for (const [op, text] of m.diff) {
      if (op === "equal") box.append(document.createTextNode(text));
      else if (op === "insert") box.append(el("ins", { text }));
      else box.append(el("del", { text }));
    }
    box.append(el("span", { class: "tm-target", text: m.target }));
    const use = el("button", { type: "button", class: "tm-use", text: "Use", "aria-label": `Use this memory match for ${seg.id}`, tabindex: seg.id === state.selected ? "0" : "-1" });
    use.addEventListener("click", (ev) => { ev.stopPropagation(); select(seg.id); state.editing = { id: seg.id, mode: "edit", text: m.target }; renderWindow(true); focusEditor(); });
    box.append(use);
    return box;
  }

  // ------------------------------------------------------------------ memory matches, on demand

  // Saves go first: look-ups (memory matches, the glossary panel) wait while one is in flight.
  const busy = () => state.saving || state.queue.length > 0;

  let matchTimer = null;
  function fetchMatches() {
    clearTimeout(matchTimer);
    matchTimer = setTimeout(async () => {
      if (busy()) { fetchMatches(); return; }
      const d = state.doc;
      if (!d || !state.selected) return;
      const i = state.pos.get(state.selected);
      if (i == null) return;
      const ids = state.view.slice(i, i + 1 + MATCH_AHEAD).map((s) => s.id).filter((id) => !state.matches.has(id));
      if (!ids.length) return;
      const digest = d.digest;
      const { status, data } = await api("/api/doc/" + encodeURIComponent(d.stem) + "/matches?ids=" + ids.map(encodeURIComponent).join(","));
      if (status !== 200 || !state.doc || state.doc.digest !== digest) return;
      for (const id of ids) {
        const got = data.matches[id] || [];
        state.matches.set(id, got);
        if (got.length && !(state.editing && state.editing.id === id)) replaceRow(id);
      }
      markSelected();
    }, 60);
  }

  // ------------------------------------------------------------------ side panel: glossary, notes, history, orphans

  async function renderPanel() {
    const seg = state.selected && state.byId.get(state.selected);
    const notes = $("notes-list");
    notes.replaceChildren();
    $("panel-seg").textContent = seg ? seg.id : "—";
    if (!seg) return;
    if (seg.note) notes.append(el("li", { text: seg.note }));
    for (const n of seg.notes || []) notes.append(el("li", {}, el("span", { class: "note-by", text: `${n.by || ""} ${n.at || ""}: ` }), document.createTextNode(n.text || "")));
    if (!notes.children.length) notes.append(el("li", { class: "muted", text: "No notes." }));
    if (busy()) { clearTimeout(panelTimer); panelTimer = setTimeout(renderPanel, 80); return; }
    const stem = state.doc.stem, id = seg.id;
    const { status, data } = await api("/api/doc/" + encodeURIComponent(stem) + "/glossary?id=" + encodeURIComponent(id));
    if (status !== 200 || state.selected !== id) return;
    state.glossaryTerms = data.terms;
    const ul = $("terms-list");
    ul.replaceChildren();
    data.terms.forEach((t, k) => {
      const extra = ["status", "definition", "note", "source", "domain"].filter((key) => t[key]).map((key) => `${key}: ${t[key]}`).join(" · ");
      const li = el("li", {}, el("kbd", { text: k < 9 ? "Alt+" + (k + 1) : "" }), " ", el("span", { class: "term-src", lang: state.doc.source_lang, text: t.surface }), " → ", el("strong", { text: t.en }));
      if (extra) li.append(el("div", { class: "muted", text: extra }));
      ul.append(li);
    });
    if (!data.terms.length) ul.append(el("li", { class: "muted", text: "No glossary term in this segment." }));
  }

  async function showHistory() {
    const seg = state.selected && state.byId.get(state.selected);
    if (!seg) return;
    const { status, data } = await api("/api/doc/" + encodeURIComponent(state.doc.stem) + "/history?id=" + encodeURIComponent(seg.id));
    const ul = $("history-list");
    ul.replaceChildren();
    if (status !== 200) { ul.append(el("li", { text: data.error })); return; }
    for (const h of data.history.slice().reverse()) {
      ul.append(el("li", { class: h.undone ? "undone" : "" }, el("span", { class: "note-by", text: `${h.at} ${h.by} ${h.action}${h.undone ? " (undone)" : ""}: ` }),
        document.createTextNode(("old_target" in h ? `${h.old_status} “${h.old_target}” → ` : "") + `${h.status} “${h.target}”`)));
    }
    if (!data.history.length) ul.append(el("li", { class: "muted", text: "No recorded change." }));
    $("history").hidden = false;
  }

  function renderOrphans() {
    const box = $("orphans"), ul = $("orphans-list");
    const orphans = (state.doc && state.doc.orphans) || [];
    box.hidden = !orphans.length;
    ul.replaceChildren();
    for (const o of orphans) {
      const re = el("button", { type: "button", text: "Reattach to the selected segment", "aria-label": `Reattach orphan ${o.id} to the selected segment` });
      re.addEventListener("click", () => { if (state.selected) enqueue("reattach", { orphan: o.id, id: state.selected }); });
      const dis = el("button", { type: "button", text: "Dismiss", "aria-label": `Dismiss orphan ${o.id}` });
      dis.addEventListener("click", () => { if (confirm(`Drop this orphaned ${o.status} English for good?\n\n${o.target}`)) enqueue("discard", { orphan: o.id }); });
      ul.append(el("li", { "data-orphan": o.id }, el("div", { lang: state.doc.source_lang, text: o.source }), el("div", { class: "muted", text: `${o.status}: ${o.target}` }), re, " ", dis));
    }
  }

  // ------------------------------------------------------------------ selection and actions

  const rowEl = (id) => document.querySelector(`#rows tr.seg[data-id="${CSS.escape(id)}"]`);

  // Roving tabindex: Tab goes to the selected row and its buttons, not through every row's buttons.
  function markSelected() {
    for (const r of document.querySelectorAll("#rows tr.selected")) {
      r.classList.remove("selected"); r.setAttribute("aria-selected", "false"); r.tabIndex = -1;
      for (const b of r.querySelectorAll("td.c-st button, .tm button, .unsaved button")) b.tabIndex = -1;
    }
    const row = state.selected ? rowEl(state.selected) : null;
    if (row) {
      row.classList.add("selected"); row.setAttribute("aria-selected", "true"); row.tabIndex = 0;
      for (const b of row.querySelectorAll("button")) b.tabIndex = 0;
    }
  }

  function scrollToSelected() {
    const sc = $("scroller");
    const i = state.pos.get(state.selected);
    if (i == null) return;
    const row = rowEl(state.selected);
    if (row && !virtual()) {
      const top = row.offsetTop - $("thead-row").offsetHeight, bottom = row.offsetTop + row.offsetHeight;
      if (top < sc.scrollTop) sc.scrollTop = top;
      else if (bottom > sc.scrollTop + sc.clientHeight) sc.scrollTop = bottom - sc.clientHeight;
      return;
    }
    // the header's height, measured once per render (reading it per key press would force a layout)
    if (!state.headHeight) state.headHeight = $("thead-row").offsetHeight;
    const head = state.headHeight;
    const y = offsetOf(i), h = height(state.view[i]);
    if (y < sc.scrollTop) sc.scrollTop = y;
    else if (y + h + head > sc.scrollTop + sc.clientHeight) sc.scrollTop = y + h + head - sc.clientHeight;
    // a key press only moves the selection: the rows entering the window are built in the next
    // animation frame, unless the selected row is not rendered at all (a jump)
    if (!rowEl(state.selected)) renderWindow(false);
    else scheduleWindow();
  }

  let windowFrame = 0;
  function scheduleWindow() {
    if (!windowFrame) windowFrame = window.requestAnimationFrame(() => { windowFrame = 0; renderWindow(false); });
  }

  let panelTimer = null;
  function select(id, focus) {
    if (state.selected === id) return;
    state.selected = id;
    markSelected();
    scrollToSelected();  // (a jump renders the window, which marks the selection again)
    if (focus) { const r = rowEl(id); if (r) r.focus({ preventScroll: true }); }
    fetchMatches();
    clearTimeout(panelTimer);
    panelTimer = setTimeout(renderPanel, 80);
    $("history").hidden = true;
  }

  function move(delta) {
    if (!state.view.length) return;
    let i = state.pos.get(state.selected);
    i = i == null ? 0 : Math.min(state.view.length - 1, Math.max(0, i + delta));
    select(state.view[i].id, true);
  }

  function focusEditor() {
    const area = document.querySelector("#rows textarea.editor, #rows textarea.split-source");
    if (area) { area.focus(); if (area.classList.contains("editor")) area.setSelectionRange(area.value.length, area.value.length); }
  }

  function focusRow() { const r = state.selected && rowEl(state.selected); if (r) r.focus({ preventScroll: true }); }

  function cancelEdit(ask) {
    const e = state.editing;
    if (!e) return;
    const seg = state.byId.get(e.id);
    if (e.mode === "edit" && e.text != null && seg && e.text !== seg.target && !confirm("Discard the English you typed for this segment?")) return;
    state.editing = null;
    replaceRow(e.id);
    markSelected();
    focusRow();
  }

  function saveEdit(id, text, next) {
    if (!text.trim()) { banner("The English is empty; type a translation, or use Revert to go back to the machine draft."); return; }
    const seg = state.byId.get(id);
    state.editing = null;
    if (seg && text.trim() === seg.target && seg.status !== "draft") { replaceRow(id); markSelected(); if (next) move(1); else focusRow(); return; }
    // show the typed text at once; the queue saves it (a refusal keeps it beside the segment)
    enqueue("edit", { id, text }, { typed: { id, text } }).then((ok) => { if (ok) state.unsaved.delete(id); else renderWindow(true); });
    replaceRow(id);
    markSelected();
    if (next) move(1); else focusRow();
  }

  function act(action) {
    const seg = state.byId.get(state.selected);
    if (!seg) return;
    if (action === "edit" || action === "split") {
      const was = state.editing && state.editing.id;
      state.editing = { id: seg.id, mode: action, text: null };
      if (was && was !== seg.id) replaceRow(was);
      replaceRow(seg.id); markSelected(); focusEditor();
    }
    else if (action === "approve") {
      // approval never clears a flag: an open error-level flag needs an explicit confirmation (override)
      const levels = seg.flag_levels || {}, dismissed = seg.dismissed || {};
      const open = (seg.flags || []).filter((f) => levels[f] === "error" && !(f in dismissed));
      if (open.length && !window.confirm(`Open QA flags: ${open.join(", ")}. Approve anyway?`)) return;
      enqueue("approve", { ids: [seg.id], override: open.length > 0 }).then(focusRow);
    }
    else if (action === "revert") enqueue("revert", { id: seg.id }).then(focusRow);
    else if (action === "merge") enqueue("merge", { id: seg.id }).then(focusRow);
    else if (action === "undo") enqueue("undo", { id: seg.id }).then(focusRow);
    else if (action === "move-up" || action === "move-down") enqueue("move", { id: seg.id, direction: action === "move-up" ? "up" : "down" }).then(focusRow);
  }

  function insertTerm(area, n) {
    const t = state.glossaryTerms[n - 1];
    if (!t) return;
    const s = area.selectionStart, e = area.selectionEnd;
    area.setRangeText(t.en, s, e, "end");
    area.dispatchEvent(new Event("input"));
  }

  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (t instanceof HTMLTextAreaElement && t.closest("#rows")) {
      if (ev.key === "Escape") { ev.preventDefault(); cancelEdit(true); }
      else if (ev.altKey && /^[1-9]$/.test(ev.key) && t.classList.contains("editor")) { ev.preventDefault(); insertTerm(t, +ev.key); }
      else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (t.classList.contains("editor")) saveEdit(state.editing.id, t.value, ev.shiftKey);
        else { const b = document.querySelector("#rows button.split-save"); if (b) b.click(); }
      }
      return;
    }
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t instanceof HTMLButtonElement && (ev.key === "Enter" || ev.key === " ")) return;  // a button does its own thing
    const keys = { j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1), a: () => act("approve"), e: () => act("edit"), Enter: () => act("edit"), r: () => act("revert"), s: () => act("split"), m: () => act("merge"), u: () => act("undo"), "[": () => act("move-up"), "]": () => act("move-down"), h: () => showHistory(), n: () => $("note-text").focus(), "/": () => $("filter-text").focus(), Escape: () => { if (state.editing) cancelEdit(true); } };
    const f = keys[ev.key];
    if (f && state.doc) { ev.preventDefault(); f(); }
  });

  // ------------------------------------------------------------------ wiring

  for (const id of ["filter-status", "filter-flag", "sort"]) $(id).addEventListener("change", () => renderAll());
  let filterTimer = null;
  $("filter-text").addEventListener("input", () => { clearTimeout(filterTimer); filterTimer = setTimeout(() => renderAll(), 120); });
  $("scroller").addEventListener("scroll", () => { if (virtual()) scheduleWindow(); }, { passive: true });
  $("banner-close").addEventListener("click", clearBanner);
  $("banner-reload").addEventListener("click", () => { clearBanner(); if (state.doc) openDoc(state.doc.stem, true); });
  $("approve-clean").addEventListener("click", () => {
    if (state.doc && confirm("Approve every segment that has English and no QA flag?")) enqueue("approve", { all_clean: true });
  });
  $("history-show").addEventListener("click", showHistory);
  window.addEventListener("resize", () => { state.headHeight = 0; });
  window.addEventListener("hashchange", () => { const s = decodeURIComponent(location.hash.slice(1)); if (s && (!state.doc || s !== state.doc.stem)) openDoc(s); });
  window.addEventListener("beforeunload", (ev) => { if (state.queue.length || state.saving || (state.editing && state.editing.text != null)) { ev.preventDefault(); ev.returnValue = ""; } });
  // the glossary file may change while the page is open: the server re-reads it; refresh the panel now and then
  setInterval(() => { if (document.visibilityState === "visible" && state.doc && !state.editing) renderPanel(); }, 15000);

  // the search, find & replace, glossary-term and notes panels (tools.js) use these
  window.WB = Object.freeze({ $, el, api, state, enqueue, openDoc, renderAll, renderPanel, select });

  (async function start() {
    const want = decodeURIComponent(location.hash.slice(1));
    const early = want ? api("/api/doc/" + encodeURIComponent(want)) : null;  // in parallel with the list
    await loadDocs();
    // rows are laid out once the stylesheet applies (the document may arrive before it)
    if (document.readyState !== "complete") await new Promise((r) => window.addEventListener("load", r, { once: true }));
    const ok = state.docs.filter((d) => !d.error);
    const stem = ok.some((d) => d.stem === want) ? want : (ok[0] && ok[0].stem);
    if (stem) await openDoc(stem, false, stem === want ? early : null);
    else $("doc-title").textContent = state.docs.length ? "No document can be read: see the errors in the list" : "No translations yet: run `workbench translate` first";
    performance.mark("wb-ready");
    document.body.dataset.ready = "1";
  })();
})();
