// Workbench review page. Plain JS, no build step. Every piece of document text is
// inserted with textContent / text nodes, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = { docs: [], doc: null, selected: null, editing: null, busy: false };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else if (k === "title" || k === "type" || k === "lang" || k === "aria-label") node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // Offsets from the server count code points; JS strings count UTF-16 units.
  const cps = (s) => Array.from(s);
  const cpIndex = (s, utf16) => Array.from(s.slice(0, utf16)).length;

  function marked(text, spans, ntKinds) {
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

  // ------------------------------------------------------------------ banner

  function banner(message, opts) {
    const o = opts || {};
    $("banner-text").textContent = message;
    $("banner").className = o.info ? "info" : "";
    $("banner-reload").hidden = !o.reload;
    $("banner").hidden = false;
    $("banner").dataset.kind = o.kind || (o.info ? "info" : "error");
  }
  function clearBanner() { $("banner").hidden = true; $("banner").dataset.kind = ""; }

  // ------------------------------------------------------------------ API

  async function api(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const res = await fetch(path, init);
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

  async function openDoc(stem, keepSelection) {
    const { status, data } = await api("/api/doc/" + encodeURIComponent(stem));
    if (status !== 200) { banner(data.error || "cannot open " + stem); return; }
    state.doc = data;
    state.editing = null;
    if (!keepSelection || !data.segments.some((s) => s.id === state.selected)) {
      const first = data.segments.find((s) => s.source);
      state.selected = first ? first.id : null;
    }
    if (location.hash !== "#" + stem) history.replaceState(null, "", "#" + stem);
    render();
    renderDocs();
  }

  async function change(action, body) {
    if (!state.doc || state.busy) return false;
    state.busy = true;
    try {
      const { status, data } = await api("/api/doc/" + encodeURIComponent(state.doc.stem) + "/" + action, Object.assign({ digest: state.doc.digest }, body));
      if (status === 409 && data.stale) {
        banner("Not saved: this document was changed elsewhere (another tab, a hand edit or a translate run). Reload to get the latest version, then make your change again.", { reload: true, kind: "stale" });
        return false;
      }
      if (status !== 200) { banner(data.error || ("request failed: " + status)); return false; }
      clearBanner();
      state.doc = data;
      state.editing = null;
      render();
      loadDocs();
      return true;
    } finally {
      state.busy = false;
    }
  }

  // ------------------------------------------------------------------ documents list

  function renderDocs() {
    const ul = $("docs");
    ul.replaceChildren();
    for (const d of state.docs) {
      const total = d.counts.draft + d.counts.edited + d.counts.approved || 1;
      const bar = el("div", { class: "progress", title: `${d.counts.approved} approved, ${d.counts.edited} edited, ${d.counts.draft} draft` });
      for (const k of ["approved", "edited", "draft"]) {
        const part = el("span", { class: "p-" + k });
        part.style.width = (100 * d.counts[k] / total) + "%";
        bar.append(part);
      }
      const li = el("li", { "data-stem": d.stem, class: state.doc && state.doc.stem === d.stem ? "current" : "" },
        el("div", { class: "doc-name", text: d.stem }),
        bar,
        el("div", { class: "doc-meta", text: `${d.source_lang} · ${d.counts.approved} approved · ${d.counts.edited} edited · ${d.counts.draft} draft` }));
      li.addEventListener("click", () => openDoc(d.stem));
      ul.append(li);
    }
  }

  // ------------------------------------------------------------------ segments

  function visible(seg) {
    if (!seg.source) return false;
    const st = $("filter-status").value, fl = $("filter-flag").value;
    if (st && seg.status !== st) return false;
    if (fl === "*" && !seg.flags.length) return false;
    if (fl === "-" && seg.flags.length) return false;
    if (fl && fl !== "*" && fl !== "-" && !seg.flags.some((f) => f === fl || f.split(":")[0] === fl)) return false;
    return true;
  }

  function render() {
    const d = state.doc;
    if (!d) return;
    $("doc-title").textContent = d.document;
    $("doc-counts").textContent = `${d.source_lang} → ${d.target_lang} · ${d.counts.approved} approved · ${d.counts.edited} edited · ${d.counts.draft} draft`;
    $("src-head").textContent = "Source (" + d.source_lang + ")";
    const flagSel = $("filter-flag");
    const current = flagSel.value;
    for (const opt of Array.from(flagSel.options)) if (!["", "*", "-"].includes(opt.value)) opt.remove();
    for (const k of d.flag_kinds) flagSel.append(el("option", { value: k, text: k }));
    flagSel.value = d.flag_kinds.includes(current) || ["", "*", "-"].includes(current) ? current : "";

    const tbody = $("rows");
    tbody.replaceChildren();
    let lastPara = null, shown = 0;
    for (const seg of d.segments) {
      if (!seg.source) continue;
      const row = renderRow(seg, lastPara !== null && seg.paragraph !== lastPara);
      lastPara = seg.paragraph;
      if (!visible(seg)) row.hidden = true; else shown++;
      tbody.append(row);
    }
    $("segments").hidden = false;
    $("empty").hidden = shown > 0;
    const sel = selectedRow();
    if (sel && sel.hidden) state.selected = null;
    if (!state.selected) { const first = visibleRows()[0]; if (first) state.selected = first.dataset.id; }
    markSelected(false);
  }

  function renderRow(seg, paraStart) {
    const row = el("tr", { class: "seg " + seg.status + (paraStart ? " para-start" : ""), "data-id": seg.id, "data-status": seg.status, "data-para": String(seg.paragraph) });
    const idCell = el("td", { class: "c-id", text: seg.id, "data-para": String(seg.paragraph) });
    const src = el("td", { class: "c-src", lang: state.doc.source_lang });
    const tgt = el("td", { class: "c-tgt", lang: "en" });
    const st = el("td", { class: "c-st" });
    const editing = state.editing && state.editing.id === seg.id ? state.editing : null;

    if (editing && editing.mode === "split") {
      const sArea = el("textarea", { class: "split-source", readOnly: true, value: seg.source });
      const tArea = el("textarea", { class: "split-target", readOnly: true, value: seg.target });
      src.append(el("div", { class: "split-help", text: "Put the cursor where the second segment starts:" }), sArea);
      tgt.append(el("div", { class: "split-help", text: "…and where its English starts:" }), tArea);
      const go = el("button", { type: "button", class: "split-save", text: "Split here" });
      go.addEventListener("click", () => change("split", { id: seg.id, source_at: cpIndex(seg.source, sArea.selectionStart), target_at: cpIndex(seg.target, tArea.selectionStart) }));
      const cancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
      cancel.addEventListener("click", cancelEdit);
      tgt.append(el("div", { class: "editor-buttons" }, go, cancel));
    } else {
      if (seg.prefix) src.append(el("span", { class: "affix", text: seg.prefix }));
      src.append(marked(seg.source, seg.source_hits));
      if (seg.suffix) src.append(el("span", { class: "affix", text: seg.suffix }));
      if (editing) {
        const area = el("textarea", { class: "editor", value: editing.text != null ? editing.text : seg.target, "aria-label": "English for " + seg.id });
        const save = el("button", { type: "button", class: "save", text: "Save" });
        save.addEventListener("click", () => saveEdit(seg.id, area.value));
        const cancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
        cancel.addEventListener("click", cancelEdit);
        area.addEventListener("input", () => { editing.text = area.value; });
        tgt.append(area, el("div", { class: "editor-buttons" }, save, cancel));
      } else {
        tgt.append(marked(seg.target, seg.target_hits));
      }
      for (const m of seg.fuzzy || []) tgt.append(renderMatch(seg, m));
    }

    st.append(el("div", { class: "status " + seg.status, text: seg.status }));
    for (const f of seg.flags) st.append(el("span", { class: "flag", text: f, title: flagHelp(f) }));
    const actions = el("div", { class: "actions" });
    const buttons = [["edit", "Edit"], ["approve", "Approve"], ["revert", "Revert"], ["split", "Split"], ["merge", "Merge ↓"]];
    for (const [action, label] of buttons) {
      if (action === "revert" && (seg.mt == null || (seg.status === "draft" && seg.target === seg.mt))) continue;
      if (action === "approve" && seg.status === "approved") continue;
      const b = el("button", { type: "button", "data-action": action, text: label });
      b.addEventListener("click", (ev) => { ev.stopPropagation(); select(seg.id); act(action); });
      actions.append(b);
    }
    st.append(actions);
    row.append(idCell, src, tgt, st);
    row.addEventListener("click", (ev) => { if (!ev.target.closest("textarea, button")) select(seg.id); });
    return row;
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
    const use = el("button", { type: "button", class: "tm-use", text: "Use" });
    use.addEventListener("click", (ev) => { ev.stopPropagation(); select(seg.id); state.editing = { id: seg.id, mode: "edit", text: m.target }; render(); focusEditor(); });
    box.append(use);
    return box;
  }

  // ------------------------------------------------------------------ selection and actions

  const visibleRows = () => Array.from(document.querySelectorAll("#rows tr.seg")).filter((r) => !r.hidden);
  const selectedRow = () => state.selected ? document.querySelector(`#rows tr.seg[data-id="${CSS.escape(state.selected)}"]`) : null;
  const segById = (id) => state.doc && state.doc.segments.find((s) => s.id === id);

  function markSelected(scroll) {
    for (const r of document.querySelectorAll("#rows tr.selected")) r.classList.remove("selected");
    const row = selectedRow();
    if (row) {
      row.classList.add("selected");
      if (scroll) row.scrollIntoView({ block: "nearest" });
    }
  }

  function select(id) { state.selected = id; markSelected(true); }

  function move(delta) {
    const rows = visibleRows();
    if (!rows.length) return;
    let i = rows.findIndex((r) => r.dataset.id === state.selected);
    i = i < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, i + delta));
    select(rows[i].dataset.id);
  }

  function focusEditor() {
    const area = document.querySelector("#rows textarea.editor, #rows textarea.split-source");
    if (area) { area.focus(); if (area.classList.contains("editor")) area.setSelectionRange(area.value.length, area.value.length); }
  }

  function cancelEdit() { state.editing = null; render(); }

  async function saveEdit(id, text) {
    if (!text.trim()) { banner("The English is empty; type a translation, or use Revert to go back to the machine draft."); return; }
    await change("edit", { id, text });
  }

  function act(action) {
    const seg = segById(state.selected);
    if (!seg) return;
    if (action === "edit") { state.editing = { id: seg.id, mode: "edit", text: null }; render(); focusEditor(); }
    else if (action === "split") { state.editing = { id: seg.id, mode: "split" }; render(); focusEditor(); }
    else if (action === "approve") {
      // approval never clears a flag: an open error-level flag needs an explicit confirmation (override)
      const levels = seg.flag_levels || {}, dismissed = seg.dismissed || {};
      const open = (seg.flags || []).filter((f) => levels[f] === "error" && !(f in dismissed));
      if (open.length && !window.confirm(`Open QA flags: ${open.join(", ")}. Approve anyway?`)) return;
      change("approve", { ids: [seg.id], override: open.length > 0 });
    }
    else if (action === "revert") change("revert", { id: seg.id });
    else if (action === "merge") change("merge", { id: seg.id });
  }

  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (t instanceof HTMLTextAreaElement) {
      if (ev.key === "Escape") { ev.preventDefault(); cancelEdit(); }
      else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (t.classList.contains("editor")) saveEdit(state.editing.id, t.value);
        else { const b = document.querySelector("#rows button.split-save"); if (b) b.click(); }
      }
      return;
    }
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const keys = { j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1), a: () => act("approve"), e: () => act("edit"), Enter: () => act("edit"), r: () => act("revert"), s: () => act("split"), m: () => act("merge"), Escape: () => { if (state.editing) cancelEdit(); } };
    const f = keys[ev.key];
    if (f && state.doc) { ev.preventDefault(); f(); }
  });

  $("filter-status").addEventListener("change", render);
  $("filter-flag").addEventListener("change", render);
  $("banner-close").addEventListener("click", clearBanner);
  $("banner-reload").addEventListener("click", () => { clearBanner(); if (state.doc) openDoc(state.doc.stem, true); });
  $("approve-clean").addEventListener("click", () => {
    if (state.doc && confirm("Approve every segment that has English and no QA flag?")) change("approve", { all_clean: true });
  });
  window.addEventListener("hashchange", () => { const s = decodeURIComponent(location.hash.slice(1)); if (s && (!state.doc || s !== state.doc.stem)) openDoc(s); });

  (async function start() {
    await loadDocs();
    const want = decodeURIComponent(location.hash.slice(1));
    const stem = state.docs.some((d) => d.stem === want) ? want : (state.docs[0] && state.docs[0].stem);
    if (stem) await openDoc(stem);
    else $("doc-title").textContent = "No translations yet: run `workbench translate` first";
  })();
})();
