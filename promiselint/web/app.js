/* promiselint editor page. No framework, no build step, nothing loaded from outside.
 *
 * The API speaks Unicode code points (Python string offsets); JavaScript strings
 * are UTF-16. Every finding offset goes through codePointMap() before it touches
 * the text, so astral characters (emoji, rare CJK) do not shift the highlights.
 */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("form"), content = $("content"), drop = $("drop"), fileInput = $("file");
  const formatSel = $("format"), langSel = $("lang"), failSel = $("fail-on");
  const results = $("results"), output = $("output"), list = $("findings");
  const popover = $("popover"), errorBox = $("error"), status = $("status");

  const SEV_RANK = { info: 0, warning: 1, error: 2 };
  const LANG_NAMES = { ar: "Arabic · العربية", fa: "Persian · فارسی", en: "English" };
  const EXT_FORMAT = {
    txt: "txt", text: "txt", md: "md", markdown: "md", mdx: "md", html: "html", htm: "html",
    xhtml: "html", liquid: "html", json: "json", po: "po", pot: "po", csv: "csv",
  };
  // Disclosures a full page owes (DESIGN.md), with labels in the copy's language.
  const DISCLOSURES = [
    ["disclosure.privacy-policy", { en: "Privacy policy", ar: "سياسة الخصوصية", fa: "حریم خصوصی" }],
    ["disclosure.disclaimer", { en: "Disclaimer", ar: "إخلاء المسؤولية", fa: "سلب مسئولیت" }],
    ["disclosure.contact", { en: "Contact details", ar: "معلومات التواصل", fa: "اطلاعات تماس" }],
    ["disclosure.return-policy", { en: "Return policy", ar: "سياسة الإرجاع", fa: "شرایط مرجوعی" }],
    ["disclosure.shipping-total", { en: "Price includes shipping, or shipping cost stated",
      ar: "السعر شامل الشحن أو تكلفة الشحن مذكورة", fa: "قیمت با هزینه ارسال یا هزینه ارسال ذکر شده" }],
  ];

  let fileName = null; // name of a dropped/chosen file: gives the format and the path

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
  function decodeBytes(buf) {
    const b = new Uint8Array(buf);
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder("utf-8").decode(b);
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder("utf-16le").decode(b);
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder("utf-16be").decode(b);
    if (b.indexOf(0) !== -1) throw new Error("this looks like a binary file, not text");
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(b);
    } catch (e) {
      return new TextDecoder("windows-1256").decode(b); // legacy Arabic/Persian pages
    }
  }

  async function loadFile(file) {
    hideError();
    try {
      if (file.size > 1000000) throw new Error("file is larger than 1 MB");
      content.value = decodeBytes(await file.arrayBuffer()).replace(/^\ufeff/, "");
      fileName = file.name;
      $("file-name").textContent = file.name;
      const ext = (file.name.split(".").pop() || "").toLowerCase();
      if (EXT_FORMAT[ext]) formatSel.value = EXT_FORMAT[ext];
      runCheck();
    } catch (e) {
      showError(file.name + ": " + e.message);
    }
  }

  fileInput.addEventListener("change", () => { if (fileInput.files[0]) loadFile(fileInput.files[0]); });
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => {
    if (e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files")) {
      e.preventDefault();
      drop.classList.add("dragover");
    }
  }));
  ["dragleave", "dragend"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("dragover")));
  drop.addEventListener("drop", (e) => {
    drop.classList.remove("dragover");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      loadFile(e.dataTransfer.files[0]);
    }
  });
  content.addEventListener("input", () => { if (fileName) { fileName = null; $("file-name").textContent = ""; } });

  // ---- format guess for pasted text -------------------------------------------
  function guessFormat(text) {
    const t = text.trim();
    if (/^(<!doctype html|<html[\s>])/i.test(t) || /<(p|div|h[1-6]|ul|li|a|span|body|section)[\s>]/i.test(t)) return "html";
    if (/^[{[]/.test(t)) { try { JSON.parse(t); return "json"; } catch (e) { /* not JSON */ } }
    if (/^msgid\s+"/m.test(t) && /^msgstr\s+"/m.test(t)) return "po";
    if (/^---\r?\n[\s\S]*?\r?\n---\s*(\r?\n|$)/.test(t) || /^(#{1,6} |[-*] |\d+\. )/m.test(t)) return "md";
    return "txt";
  }

  // ---- request ------------------------------------------------------------------
  form.addEventListener("submit", (e) => { e.preventDefault(); runCheck(); });
  content.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runCheck(); }
  });

  let inflight = null;
  async function runCheck() {
    hideError();
    const text = content.value.replace(/^\ufeff/, "");
    if (!text.trim()) { showError("Paste some copy or drop a file first."); return; }
    const format = formatSel.value === "auto" ? guessFormat(text) : formatSel.value;
    const body = { content: text, format: format, fail_on: failSel.value };
    if (langSel.value !== "auto") body.lang = langSel.value;
    if (fileName) body.filename = fileName;
    if (inflight) inflight.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    $("check").disabled = true;
    status.textContent = "Checking…";
    try {
      const resp = await fetch("v1/check", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), signal: ctrl.signal,
      });
      let data;
      try { data = await resp.json(); } catch (e) { throw new Error("the server answered " + resp.status); }
      if (!resp.ok) throw new Error(data.error || ("the server answered " + resp.status));
      render(text, data, format);
      status.textContent = "Checked in " + Math.round(data.elapsed_ms || 0) + " ms.";
    } catch (e) {
      if (e.name === "AbortError") return;
      status.textContent = "";
      showError("Could not check: " + e.message);
    } finally {
      if (inflight === ctrl) { inflight = null; $("check").disabled = false; }
    }
  }

  function showError(msg) { errorBox.textContent = msg; errorBox.hidden = false; }
  function hideError() { errorBox.hidden = true; errorBox.textContent = ""; }

  // ---- rendering -------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  function worst(findings) {
    return findings.reduce((a, f) => (SEV_RANK[f.severity] > SEV_RANK[a] ? f.severity : a), "info");
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

    // verdict and meta
    const verdict = $("verdict");
    const counts = ["error", "warning", "info"].map((s) => [s, findings.filter((f) => f.severity === s).length]);
    const countText = counts.filter(([, n]) => n).map(([s, n]) => n + " " + (s === "info" ? "note" : s) + (n === 1 ? "" : "s")).join(", ");
    verdict.className = "verdict " + data.verdict;
    verdict.textContent = (data.verdict === "pass" ? "✓ Pass" : "✗ Fail") + " — " +
      (countText || "no findings") + " (fails on " + data.fail_on + ")";
    $("meta").textContent = "Language: " + (LANG_NAMES[file.language] || file.language || "not detected") +
      " · format: " + (file.format || format) + (file.page ? " · full page" : "");
    output.setAttribute("lang", file.language || "");

    // highlighted copy: one block per line (dir="auto": RTL lines render RTL), segments
    // cut at every finding boundary so overlapping findings stay visible.
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
        if (!active.length) { line.append(piece); continue; }
        const fs = active.map((i) => findings[i]);
        const mark = el("mark", {
          class: "finding sev-" + worst(fs), tabindex: "0", "data-findings": active.join(" "),
          "data-severity": worst(fs), "data-rule": fs.map((f) => f.rule).join(" "),
          "aria-describedby": active.map((i) => "finding-" + i + "-msg").join(" "),
        }, [piece]);
        line.append(mark);
      }
      output.append(line);
      if (lineEnd === text.length) break;
      lineStart = lineEnd + 1;
    }

    // findings list
    list.textContent = "";
    $("count").textContent = "(" + findings.length + ")";
    findings.forEach((f, i) => {
      const where = f.line ? "line " + f.line + ", column " + f.column : "whole document";
      const li = el("li", { id: "finding-" + i, class: "sev-" + f.severity, "data-rule": f.rule }, [
        el("div", {}, [
          el("span", { class: "badge sev-" + f.severity, text: f.severity === "info" ? "note" : f.severity }),
          f.text ? el("bdi", { class: "quote", lang: f.language || null, text: "«" + f.text + "»" }) : null,
          " ", el("span", { class: "where", text: where }), " ",
          el("span", { class: "rule", text: f.rule }),
        ]),
        el("p", { id: "finding-" + i + "-msg", class: "msg", dir: "auto", lang: f.language || null, text: f.message }),
        f.suggestion ? el("p", { class: "suggestion", dir: "auto", lang: f.language || null, text: f.suggestion }) : null,
        spans[i] ? el("button", { type: "button", class: "goto", "data-finding": String(i), text: "Show in text" }) : null,
      ]);
      list.append(li);
    });
    if (!findings.length) list.append(el("li", { class: "none", text: "No findings." }));

    // disclosure checklist (full pages only)
    const section = $("checklist-section"), checklist = $("checklist");
    checklist.textContent = "";
    const lang = ["ar", "fa"].includes(file.language) ? file.language : "en";
    const disclosures = findings.filter((f) => f.rule.startsWith("disclosure."));
    if (file.page || disclosures.length) {
      const known = DISCLOSURES.map(([rule]) => rule);
      const extra = disclosures.map((f) => f.rule).filter((r, k, a) => !known.includes(r) && a.indexOf(r) === k);
      const rows = DISCLOSURES.concat(extra.map((r) => [r, { en: r.slice(11).replace(/-/g, " ") }]));
      for (const [rule, labels] of rows) {
        const missing = disclosures.filter((f) => f.rule === rule);
        const label = labels[lang] || labels.en;
        const li = el("li", { class: missing.length ? "missing" : "ok", "data-rule": rule }, [
          el("span", { class: "mark", "aria-hidden": "true", text: missing.length ? "✗" : "✓" }),
          el("span", { class: "label", dir: "auto", lang: labels[lang] ? lang : "en", text: label }),
          el("span", { class: "sr-only", text: missing.length ? " — missing" : " — present or not required" }),
          missing.length ? el("div", { class: "msg", dir: "auto", lang: missing[0].language || null, text: missing[0].message }) : null,
        ]);
        checklist.append(li);
      }
      section.hidden = false;
    } else {
      section.hidden = true;
    }

    results.hidden = false;
    hidePopover();
  }

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
        if (child.classList.contains("goto")) continue;
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
  list.addEventListener("click", (e) => {
    const b = e.target.closest("button.goto");
    if (!b) return;
    const m = output.querySelector('mark[data-findings~="' + b.dataset.finding + '"]');
    if (m) { m.scrollIntoView({ block: "center" }); m.focus(); }
  });

  // exposed for tests and for the curious: the same conversion the page uses
  window.promiselint = { codePointMap: codePointMap, guessFormat: guessFormat, runCheck: runCheck };
})();
