// Workbench review page, its tools: concordance search, find & replace in the English, the
// CC-CEDICT look-up and "add term" of the glossary panel, notes. Loaded after app.js (both
// deferred, in order), whose window.WB it uses. Text is inserted with textContent only.
"use strict";

(function () {
  const { $, el, api, state, enqueue, openDoc, renderAll, renderPanel, select } = window.WB;


  async function concordance(ev) {
    ev.preventDefault();
    const q = $("search-text").value.trim();
    const ul = $("search-results");
    ul.replaceChildren();
    if (!q) return;
    const { status, data } = await api("/api/search?in=" + encodeURIComponent($("search-in").value) + "&q=" + encodeURIComponent(q));
    if (status !== 200) { ul.append(el("li", { text: data.error })); return; }
    $("search-count").textContent = `${data.matches.length}${data.matches.length >= 500 ? "+" : ""} segment(s)`;
    for (const m of data.matches) {
      const b = el("button", { type: "button", class: "hit" }, el("span", { class: "muted", text: `${m.stem} · ${m.status}${m.orphan ? " · orphan" : ""}` }), el("div", { lang: m.source_lang, text: m.source }), el("div", { lang: "en", text: m.target }));
      b.addEventListener("click", async () => {
        if (!state.doc || state.doc.stem !== m.stem) await openDoc(m.stem);
        if (!state.pos.has(m.id)) { $("filter-status").value = ""; $("filter-flag").value = ""; $("filter-text").value = ""; renderAll(); }
        select(m.id, true);
      });
      ul.append(el("li", {}, b));
    }
  }

  async function replacePreview(apply) {
    if (!state.doc) return;
    const find = $("find-text").value, repl = $("replace-text").value;
    const out = $("replace-preview");
    out.replaceChildren();
    if (!find) { out.append(el("li", { text: "Type the text to find." })); return; }
    if (apply) {
      const n = Number($("replace-count").dataset.segments || 0);
      if (!n || !confirm(`Replace in ${n} segment(s)? Each becomes edited; undo restores any of them.`)) return;
      const ok = await enqueue("replace", { find, replace: repl, case: $("replace-case").checked, preview: false });
      if (ok) { $("replace-count").textContent = "Replaced."; $("replace-count").dataset.segments = "0"; }
      return;
    }
    const { status, data } = await api("/api/doc/" + encodeURIComponent(state.doc.stem) + "/replace", { find, replace: repl, case: $("replace-case").checked, preview: true });
    if (status !== 200) { out.append(el("li", { text: data.error })); return; }
    $("replace-count").textContent = `${data.count} occurrence(s) in ${data.segments_count} segment(s)`;
    $("replace-count").dataset.segments = String(data.segments_count);
    for (const p of data.preview.slice(0, 200)) out.append(el("li", {}, el("del", { text: p.before }), el("ins", { text: p.after })));
  }

  // a selection inside a source cell fills the term box
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode) return;
    const cell = sel.anchorNode.parentElement && sel.anchorNode.parentElement.closest("td.c-src");
    if (cell) $("term-src").value = sel.toString().trim().slice(0, 64);
  });
  $("lookup-go").addEventListener("click", async () => {
    const q = $("term-src").value.trim();
    const ul = $("lookup-list");
    ul.replaceChildren();
    if (!q) return;
    const { status, data } = await api("/api/lookup?q=" + encodeURIComponent(q));
    if (status !== 200) { ul.append(el("li", { text: data.error })); return; }
    for (const e of data.entries) ul.append(el("li", {}, el("strong", { lang: "zh", text: `${e.simplified} / ${e.traditional}` }), ` ${e.pinyin}: `, document.createTextNode(e.definitions.join("; "))));
    if (!data.entries.length) ul.append(el("li", { class: "muted", text: "Not in CC-CEDICT (or the dictionary is not installed)." }));
  });
  $("term-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!state.doc) return;
    const src = $("term-src").value.trim(), en = $("term-en").value.trim();
    const body = { en, note: $("term-note").value.trim() };
    body[state.doc.source_lang === "vi" ? "vi" : "zh"] = src;
    const { status, data } = await api("/api/glossary/add", body);
    $("term-msg").textContent = status === 200 ? `Added “${en}” to the glossary.` : (data.error || "not added");
    if (status === 200) { $("term-en").value = ""; $("term-note").value = ""; openDoc(state.doc.stem, true); }
  });

  $("note-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("note-text").value.trim();
    if (!text || !state.selected) return;
    enqueue("note", { id: state.selected, text }).then((ok) => { if (ok) { $("note-text").value = ""; renderPanel(); } });
  });

  $("search-form").addEventListener("submit", concordance);
  $("replace-go").addEventListener("click", () => replacePreview(false));
  $("replace-apply").addEventListener("click", () => replacePreview(true));
})();
