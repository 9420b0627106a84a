/* promiselint editor page. No framework, no build step, nothing loaded from outside.
 *
 * The API speaks Unicode code points (Python string offsets); JavaScript strings
 * are UTF-16. Every finding offset goes through codePointMap() before it touches
 * the text, so astral characters (emoji, rare CJK) do not shift the highlights.
 * Interface strings (en/ar/fa) are data: static/i18n.json.
 */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("form"), content = $("content"), drop = $("drop"), fileInput = $("file");
  const formatSel = $("format"), langSel = $("lang"), failSel = $("fail-on"), uiSel = $("ui-lang");
  const results = $("results"), output = $("output"), list = $("findings"), preview = $("preview");
  const popover = $("popover"), errorBox = $("error"), status = $("status"), live = $("live");

  const SEV_RANK = { info: 0, warning: 1, error: 2 };
  const RTL_LANGS = ["ar", "fa"];
  const EXT_FORMAT = {
    txt: "txt", text: "txt", md: "md", markdown: "md", mdx: "md", html: "html", htm: "html",
    xhtml: "html", liquid: "html", json: "json", po: "po", pot: "po", csv: "csv",
  };
  const DISCLOSURES = ["disclosure.privacy-policy", "disclosure.disclaimer", "disclosure.contact",
    "disclosure.return-policy", "disclosure.shipping-total"];
  const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
  const BIDI_NAMES = { "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI" };
  const LIVE_DELAY_MS = 600;

  let fileName = null; // name of a dropped/chosen file: gives the format and the path
  let strings = {}; // language -> key -> text (static/i18n.json)
  let ui = "en";
  let last = null; // {text, data, format, findings, spans}: what the results show

  // ---- interface language -------------------------------------------------------
  const ready = fetch("static/i18n.json").then((r) => r.json()).then((d) => { strings = d; })
    .catch(() => { strings = {}; });

  /** Interface text for `key` with {placeholders}; English, then the key, as fallbacks. */
  function t(key, values) {
    const s = (strings[ui] && strings[ui][key]) || (strings.en && strings.en[key]) || key;
    return s.replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? values[k] : m));
  }

  function count(sev, n) {
    const forms = t("count." + sev, { n: n }).split("|");
    return forms.length > 1 && n !== 1 ? forms[1] : forms[0];
  }

  function setInterfaceLanguage(lang) {
    ui = strings[lang] ? lang : "en";
    uiSel.value = ui;
    document.documentElement.lang = ui;
    document.documentElement.dir = t("dir") === "rtl" ? "rtl" : "ltr";
    document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
    document.querySelectorAll("[data-i18n-title]").forEach((n) => { n.title = t(n.dataset.i18nTitle); });
    document.querySelectorAll("[data-i18n-aria-label]").forEach((n) => {
      n.setAttribute("aria-label", t(n.dataset.i18nAriaLabel));
    });
    try { localStorage.setItem("promiselint-ui", ui); } catch (e) { /* storage disabled */ }
    if (last) render(last.text, last.data, last.format);
  }

  function initialLanguage() {
    let saved = null;
    try { saved = localStorage.getItem("promiselint-ui"); } catch (e) { /* storage disabled */ }
    const browser = (navigator.languages || [navigator.language || "en"]).map((l) => l.slice(0, 2));
    return saved || browser.find((l) => ["en", "ar", "fa"].includes(l)) || "en";
  }

  ready.then(() => setInterfaceLanguage(initialLanguage()));
  uiSel.addEventListener("change", () => ready.then(() => setInterfaceLanguage(uiSel.value)));

  // ---- code points <-> UTF-16 ------------------------------------------------
  /** map[i] = UTF-16 index of code point i; map[n] = text.length. */
  function codePointMap(text) {
    const map = [0];
    for (let i = 0; i < text.length;) {
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
        (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      i += pair ? 2 : 1;
      map.push(i);
    }
    return map;
  }

  // ---- reading files ---------------------------------------------------------
  class FileProblem extends Error {}

  function decodeBytes(buf) {
    const b = new Uint8Array(buf);
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder("utf-8").decode(b);
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder("utf-16le").decode(b);
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder("utf-16be").decode(b);
    if (b.indexOf(0) !== -1) throw new FileProblem("binary");
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(b);
    } catch (e) {
      return new TextDecoder("windows-1256").decode(b); // legacy Arabic/Persian pages
    }
  }

  async function loadFile(file) {
    hideError();
    await ready;
    try {
      if (/\.(docx|odt)$/i.test(file.name)) throw new FileProblem("draft");
      if (file.size > 1000000) throw new FileProblem("tooLarge");
      content.value = decodeBytes(await file.arrayBuffer()).replace(/^\ufeff/, "");
      fileName = file.name;
      $("file-name").textContent = file.name;
      const ext = (file.name.split(".").pop() || "").toLowerCase();
      if (EXT_FORMAT[ext]) formatSel.value = EXT_FORMAT[ext];
      runCheck();
    } catch (e) {
      showError(file.name + ": " + (e instanceof FileProblem ? t(e.message) : e.message));
    }
  }

  fileInput.addEventListener("change", () => { if (fileInput.files[0]) loadFile(fileInput.files[0]); });
  ["dragenter", "dragover"].forEach((ty) => drop.addEventListener(ty, (e) => {
    if (e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files")) {
      e.preventDefault();
      drop.classList.add("dragover");
    }
  }));
  ["dragleave", "dragend"].forEach((ty) => drop.addEventListener(ty, () => drop.classList.remove("dragover")));
  drop.addEventListener("drop", (e) => {
    drop.classList.remove("dragover");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      loadFile(e.dataTransfer.files[0]);
    }
  });

  // ---- format guess for pasted text -------------------------------------------
  function guessFormat(text) {
    const s = text.trim();
    if (/^(<!doctype html|<html[\s>])/i.test(s) || /<(p|div|h[1-6]|ul|li|a|span|body|section)[\s>]/i.test(s)) return "html";
    if (/^[{[]/.test(s)) { try { JSON.parse(s); return "json"; } catch (e) { /* not JSON */ } }
    if (/^msgid\s+"/m.test(s) && /^msgstr\s+"/m.test(s)) return "po";
    if (/^---\r?\n[\s\S]*?\r?\n---\s*(\r?\n|$)/.test(s) || /^(#{1,6} |[-*] |\d+\. )/m.test(s)) return "md";
    return "txt";
  }

  // ---- checking: on demand, and as the editor types (debounced) ------------------
  let timer = null;
  function scheduleCheck() {
    clearTimeout(timer);
    if (live.checked) timer = setTimeout(() => runCheck({ quiet: true }), LIVE_DELAY_MS);
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); runCheck(); });
  content.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runCheck(); }
  });
  content.addEventListener("input", () => {
    if (fileName) { fileName = null; $("file-name").textContent = ""; }
    results.classList.toggle("stale", !!last && checkedText() !== last.text);
    scheduleCheck();
  });
  [formatSel, langSel, failSel].forEach((s) => s.addEventListener("change", () => {
    if (last) scheduleCheck();
  }));

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function checkedText() { return content.value.replace(/^\ufeff/, ""); }

  let inflight = null;
  async function runCheck(opts) {
    clearTimeout(timer);
    await ready;
    hideError();
    const text = checkedText();
    if (!text.trim()) {
      clearResults();
      if (!(opts && opts.quiet)) showError(t("empty"));
      return;
    }
    const format = formatSel.value === "auto" ? guessFormat(text) : formatSel.value;
    const body = { content: text, format: format, fail_on: failSel.value };
    if (langSel.value !== "auto") body.lang = langSel.value;
    if (fileName) body.filename = fileName;
    if (inflight) inflight.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    $("check").disabled = true;
    status.textContent = t("checking");
    try {
      let resp;
      try {
        resp = await fetch("v1/check", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body), signal: ctrl.signal,
        });
      } catch (e) {
        if (e.name === "AbortError") throw e;
        throw new ApiError(0, t("unreachable")); // the network said no: no service there
      }
      let data;
      try { data = await resp.json(); } catch (e) { throw new ApiError(resp.status, t("answered", { status: resp.status })); }
      if (!resp.ok) throw new ApiError(resp.status, data.error || t("answered", { status: resp.status }));
      render(text, data, format);
      status.textContent = t("checked", { ms: Math.round(data.elapsed_ms || 0) });
    } catch (e) {
      if (e.name === "AbortError") return;
      clearResults(); // results of an earlier text must not pass for this one
      status.textContent = "";
      showError(describe(e));
    } finally {
      if (inflight === ctrl) { inflight = null; $("check").disabled = false; }
    }
  }

  function describe(e) {
    if (!(e instanceof ApiError)) return t("couldNot", { msg: e.message });
    if (e.status === 0) return e.message;
    if (e.status === 502 || e.status === 503) return t("busy") + " (" + e.message + ")";
    if (e.status === 504) return t("timeout") + " (" + e.message + ")";
    return t("couldNot", { msg: e.message });
  }

  function showError(msg) { errorBox.textContent = msg; errorBox.hidden = false; }
  function hideError() { errorBox.hidden = true; errorBox.textContent = ""; }

  function clearResults() {
    last = null;
    results.hidden = true;
    results.classList.remove("stale");
    output.textContent = "";
    list.textContent = "";
    $("checklist").textContent = "";
    $("verdict").textContent = "";
    $("meta").textContent = "";
    preview.removeAttribute("srcdoc");
    $("preview-section").hidden = true;
    hidePopover();
  }

  // ---- rendering -------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
      else if (k === "shown") appendVisible(node, v); // text from the copy: bidi controls shown
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  function worst(findings) {
    return findings.reduce((a, f) => (SEV_RANK[f.severity] > SEV_RANK[a] ? f.severity : a), "info");
  }

  function textDir(lang) { return RTL_LANGS.includes(lang) ? "rtl" : "auto"; }

  /** Text with bidi embedding/override/isolate controls shown and isolated, so they
   * cannot reorder what surrounds them; the characters themselves stay in the text. */
  function appendVisible(node, piece) {
    if (!BIDI_CONTROLS.test(piece)) { node.append(piece); return; }
    for (const part of piece.split(/([\u202a-\u202e\u2066-\u2069])/)) {
      if (!part) continue;
      if (BIDI_NAMES[part]) {
        const code = "U+" + part.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
        node.append(el("span", { class: "bidi-ctl", "data-name": BIDI_NAMES[part], title: code + " " + BIDI_NAMES[part] }, [part]));
      } else {
        node.append(part);
      }
    }
  }

  function render(text, data, format) {
    const file = (data.files || data.fields || [])[0] || { findings: [] };
    const findings = file.findings || [];
    const map = codePointMap(text);
    const ncp = map.length - 1;
    // UTF-16 spans; a finding whose offsets do not fit the text is listed but not highlighted.
    const spans = findings.map((f, i) => {
      const ok = Number.isInteger(f.offset) && Number.isInteger(f.end_offset) &&
        f.offset >= 0 && f.end_offset > f.offset && f.end_offset <= ncp;
      return ok ? { i, start: map[f.offset], end: map[f.end_offset] } : null;
    });
    last = { text, data, format, findings, spans };
    results.classList.remove("stale");
    const fmt = file.format || format;

    // verdict and meta
    const verdict = $("verdict");
    const countText = ["error", "warning", "info"]
      .map((s) => [s, findings.filter((f) => f.severity === s).length])
      .filter(([, n]) => n).map(([s, n]) => count(s, n)).join(", ");
    verdict.className = "verdict " + data.verdict;
    verdict.textContent = t(data.verdict === "pass" ? "pass" : "fail") + " — " +
      (countText || t("noFindings")) + " (" + t("failsOn", { level: t("fail." + data.fail_on) }) + ")";
    const langName = file.language ? t("lang." + file.language) : t("notDetected");
    $("meta").textContent = t("meta", { lang: langName, format: fmt }) + (file.page ? t("fullPage") : "");
    output.setAttribute("lang", file.language || "");

    renderSource(text, findings, spans);
    const html = fmt === "html";
    $("source").open = !html;
    $("source-title").textContent = t(html ? "htmlSourceTitle" : "sourceTitle");
    renderPreview(html, text, findings, spans);
    renderList(findings, spans);
    renderChecklist(file, findings);
    results.hidden = false;
    hidePopover();
  }

  // highlighted copy: one block per line (dir="auto": RTL lines render RTL), segments
  // cut at every finding boundary so overlapping findings stay visible.
  function renderSource(text, findings, spans) {
    output.textContent = "";
    const cuts = new Set([0, text.length]);
    for (const s of spans) if (s) { cuts.add(s.start); cuts.add(s.end); }
    let lineStart = 0;
    while (lineStart <= text.length) {
      let lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      const line = el("div", { class: "line", dir: "auto" });
      const points = [lineStart, lineEnd, ...[...cuts].filter((c) => c > lineStart && c < lineEnd)]
        .sort((a, b) => a - b);
      for (let k = 0; k + 1 < points.length; k++) {
        const a = points[k], b = points[k + 1];
        if (a === b) continue;
        const piece = text.slice(a, b);
        const active = spans.filter((s) => s && s.start <= a && s.end >= b).map((s) => s.i);
        if (!active.length) { appendVisible(line, piece); continue; }
        const fs = active.map((i) => findings[i]);
        const mark = el("mark", {
          class: "finding sev-" + worst(fs), tabindex: "0", "data-findings": active.join(" "),
          "data-severity": worst(fs), "data-rule": fs.map((f) => f.rule).join(" "),
          "aria-describedby": active.map((i) => "finding-" + i + "-msg").join(" "),
        });
        appendVisible(mark, piece);
        line.append(mark);
      }
      output.append(line);
      if (lineEnd === text.length) break;
      lineStart = lineEnd + 1;
    }
  }

  // rendered page (HTML only): sanitized, in a sandboxed frame, highlights in place
  function renderPreview(show, text, findings, spans) {
    const section = $("preview-section");
    section.hidden = !show || !window.promiselintPreview;
    if (section.hidden) { preview.removeAttribute("srcdoc"); return; }
    // words only: a missing-disclosure finding that points at a tag (</body>) has no words to mark
    const inText = spans.filter((s) => s && findings[s.i].text && !findings[s.i].text.includes("<"));
    delete preview.dataset.dressed;
    preview.srcdoc = window.promiselintPreview.build(text, inText, findings, worst);
  }

  preview.addEventListener("load", () => {
    const doc = preview.contentDocument;
    if (!doc || !doc.body || !window.promiselintPreview) return;
    window.promiselintPreview.dress(preview);
    preview.style.height = Math.min(Math.max(doc.documentElement.scrollHeight + 4, 120), 640) + "px";
    doc.addEventListener("click", (e) => {
      const m = e.target.closest && e.target.closest("mark.pl-finding");
      if (m) selectFinding(Number(m.dataset.findings.split(" ")[0]));
    });
  });

  function renderList(findings, spans) {
    list.textContent = "";
    $("count").textContent = "(" + findings.length + ")";
    findings.forEach((f, i) => {
      const where = f.line ? t("where", { line: f.line, column: f.column }) : t("whole");
      const dir = textDir(f.language);
      const canApply = spans[i] && typeof f.replacement === "string";
      const li = el("li", { id: "finding-" + i, class: "sev-" + f.severity, "data-rule": f.rule }, [
        el("div", {}, [
          el("span", { class: "badge sev-" + f.severity, text: t("sev." + f.severity) }),
          f.text ? el("bdi", { class: "quote", lang: f.language || null, shown: "«" + f.text + "»" }) : null,
          " ", el("span", { class: "where", text: where }), " ",
          el("span", { class: "rule", dir: "ltr", text: f.rule }),
        ]),
        el("p", { id: "finding-" + i + "-msg", class: "msg", dir: dir, lang: f.language || null, shown: f.message }),
        f.suggestion ? el("p", { class: "suggestion", dir: dir, lang: f.language || null, shown: f.suggestion }) : null,
        el("div", { class: "actions" }, [
          spans[i] ? el("button", { type: "button", class: "goto", "data-finding": String(i), text: t("select") }) : null,
          canApply ? el("button", { type: "button", class: "apply", "data-finding": String(i), text: t("apply") }) : null,
          canApply ? el("bdi", { class: "replacement", lang: f.language || null, shown: f.replacement }) : null,
        ]),
      ]);
      list.append(li);
    });
    if (!findings.length) list.append(el("li", { class: "none", text: t("none") }));
  }

  // disclosure checklist (full pages only)
  function renderChecklist(file, findings) {
    const section = $("checklist-section"), checklist = $("checklist");
    checklist.textContent = "";
    const disclosures = findings.filter((f) => f.rule.startsWith("disclosure."));
    if (!(file.page || disclosures.length)) { section.hidden = true; return; }
    const extra = disclosures.map((f) => f.rule).filter((r, k, a) => !DISCLOSURES.includes(r) && a.indexOf(r) === k);
    for (const rule of DISCLOSURES.concat(extra)) {
      const missing = disclosures.filter((f) => f.rule === rule);
      const label = DISCLOSURES.includes(rule) ? t(rule) : rule.slice(11).replace(/-/g, " ");
      const li = el("li", { class: missing.length ? "missing" : "ok", "data-rule": rule }, [
        el("span", { class: "mark", "aria-hidden": "true", text: missing.length ? "✗" : "✓" }),
        el("span", { class: "label", dir: "auto", text: label }),
        el("span", { class: "sr-only", text: t(missing.length ? "missing" : "present") }),
        missing.length ? el("div", { class: "msg", dir: textDir(missing[0].language), lang: missing[0].language || null, shown: missing[0].message }) : null,
      ]);
      checklist.append(li);
    }
    section.hidden = false;
  }

  // ---- selecting a finding, applying its suggestion ------------------------------------
  /** UTF-16 range of finding i in the textarea, or null when the copy changed since. */
  function rangeInTextarea(i) {
    if (!last || !last.spans[i] || checkedText() !== last.text) return null;
    const lead = content.value.length - last.text.length; // a BOM the textarea still holds
    return [last.spans[i].start + lead, last.spans[i].end + lead];
  }

  function selectFinding(i) {
    const range = rangeInTextarea(i);
    if (range) {
      content.focus();
      content.setSelectionRange(range[0], range[1]);
    }
    document.querySelectorAll("#findings li.selected").forEach((n) => n.classList.remove("selected"));
    const li = findingData(i);
    if (li) { li.classList.add("selected"); li.scrollIntoView({ block: "nearest" }); }
    markActive(i);
  }

  function markActive(i) {
    const docs = [document, preview.contentDocument].filter(Boolean);
    for (const d of docs) {
      d.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
      const m = d.querySelector('mark[data-findings~="' + i + '"]');
      if (m) m.classList.add("active");
    }
  }

  function applySuggestion(i) {
    const range = rangeInTextarea(i);
    const f = last && last.findings[i];
    if (!range || !f || typeof f.replacement !== "string") return;
    content.focus();
    content.setSelectionRange(range[0], range[1]);
    // insertText keeps the browser's undo history; setRangeText where it is not supported
    if (!document.execCommand || !document.execCommand("insertText", false, f.replacement)) {
      content.setRangeText(f.replacement, range[0], range[1], "end");
    }
    runCheck();
  }

  list.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-finding]");
    if (!b) return;
    const i = Number(b.dataset.finding);
    if (b.classList.contains("apply")) applySuggestion(i); else selectFinding(i);
  });

  // ---- popover -----------------------------------------------------------------------
  function findingData(i) {
    return $("finding-" + i);
  }

  function showPopover(mark) {
    const ids = (mark.dataset.findings || "").split(" ").filter(Boolean);
    popover.textContent = "";
    for (const i of ids) {
      const li = findingData(i);
      if (!li) continue;
      const item = el("div", { class: "item" });
      for (const child of li.children) {
        if (child.classList.contains("actions")) continue;
        const copy = child.cloneNode(true);
        copy.removeAttribute("id");
        item.append(copy);
      }
      popover.append(item);
    }
    popover.hidden = false;
    const r = mark.getBoundingClientRect();
    const top = window.scrollY + r.bottom + 6;
    let left = window.scrollX + r.left;
    popover.style.top = top + "px";
    popover.style.left = "0px";
    const width = popover.offsetWidth;
    left = Math.max(window.scrollX + 8, Math.min(left, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    document.querySelectorAll("mark.finding.active").forEach((m) => m.classList.remove("active"));
    mark.classList.add("active");
  }

  function hidePopover() {
    popover.hidden = true;
    document.querySelectorAll("mark.finding.active").forEach((m) => m.classList.remove("active"));
  }

  output.addEventListener("mouseover", (e) => {
    const m = e.target.closest("mark.finding");
    if (m) showPopover(m);
  });
  output.addEventListener("mouseleave", () => { if (!output.contains(document.activeElement)) hidePopover(); });
  output.addEventListener("focusin", (e) => {
    const m = e.target.closest("mark.finding");
    if (m) showPopover(m);
  });
  output.addEventListener("focusout", () => setTimeout(() => {
    if (!output.contains(document.activeElement)) hidePopover();
  }, 0));
  output.addEventListener("click", (e) => {
    const m = e.target.closest("mark.finding");
    if (m) { m.focus(); showPopover(m); }
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hidePopover(); });

  // exposed for tests and for the curious: the same conversion the page uses
  window.promiselint = { codePointMap: codePointMap, guessFormat: guessFormat, runCheck: runCheck, ready: ready };
})();
