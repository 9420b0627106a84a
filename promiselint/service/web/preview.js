/* Rendered preview of a submitted HTML page, with the findings highlighted in place.
 *
 * The HTML is parsed with DOMParser (an inert document: nothing runs, nothing loads),
 * stripped of scripts, event handlers, frames, forms' targets and every URL that
 * would fetch something, and shown in an <iframe sandbox> (no scripts) whose own
 * Content-Security-Policy forbids any network access as a second wall.
 *
 * The editor page's own CSP (style-src 'self') is inherited by the frame, so the
 * page's styles and the highlight colours are applied through the CSSOM once the
 * frame has loaded (dress): a constructed stylesheet and element.style.
 *
 * Highlights: before parsing, noncharacter markers are put into the source at each
 * finding's start and end; after parsing, the text between them is wrapped in
 * <mark> elements (a span that crosses tags gets one mark per text node).  Markers
 * that land in attribute values, titles or removed elements are simply dropped.
 */
"use strict";

(function () {
  const OPEN = "\ufdd0", END = "\ufdd1", STOP = "\ufdd2"; // OPEN i STOP ... END i STOP
  const MARKERS = /\ufdd0(\d+)\ufdd2|\ufdd1(\d+)\ufdd2/g;
  const ANY_MARKER = /[\ufdd0\ufdd1](\d+)\ufdd2/g;
  const REMOVE = "script,noscript,template,iframe,frame,frameset,object,embed,applet,link,meta,base," +
    "portal,audio,video,source,track,canvas";
  const URL_ATTRS = new Set(["src", "srcset", "href", "xlink:href", "action", "formaction", "background",
    "poster", "data", "ping", "lowsrc", "dynsrc", "codebase", "longdesc", "manifest", "imagesrcset", "srcdoc"]);
  const NO_MARKS = new Set(["STYLE", "TITLE", "TEXTAREA", "OPTION", "SCRIPT"]);
  const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";
  const STYLE =
    "mark.pl-finding{color:inherit;border-radius:2px;unicode-bidi:isolate;cursor:pointer;" +
    "text-decoration-line:underline;text-decoration-style:wavy;text-underline-offset:4px}" +
    "mark.pl-finding.sev-error{background:#fde2e1;text-decoration-color:#b3261e}" +
    "mark.pl-finding.sev-warning{background:#fff1c2;text-decoration-color:#8a5a00}" +
    "mark.pl-finding.sev-info{background:#e3eefc;text-decoration-color:#1f5fbf;text-decoration-style:dotted}" +
    "mark.pl-finding.active{outline:2px solid #0b57d0}";

  /** The source with a start marker at each span's start and an end marker at its end. */
  function withMarkers(html, spans) {
    const inserts = [];
    for (const s of spans) {
      inserts.push([s.start, 1, OPEN + s.i + STOP]);
      inserts.push([s.end, 0, END + s.i + STOP]);
    }
    // from the back, so earlier positions stay valid; at one position an end goes before a start
    inserts.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let out = html;
    for (const [at, , marker] of inserts) out = out.slice(0, at) + marker + out.slice(at);
    return out;
  }

  function stripMarkers(s) { return s.replace(ANY_MARKER, ""); }

  function sanitize(doc) {
    doc.querySelectorAll(REMOVE).forEach((e) => e.remove());
    const comments = doc.createTreeWalker(doc, NodeFilter.SHOW_COMMENT);
    const dead = [];
    while (comments.nextNode()) dead.push(comments.currentNode);
    dead.forEach((c) => c.remove());
    for (const el of doc.querySelectorAll("*")) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || URL_ATTRS.has(name) ||
            (name === "style" && /url\s*\(|expression\s*\(|@import/i.test(attr.value))) {
          el.removeAttribute(attr.name);
        } else if (name === "style") { // applied by dress(): inline styles are blocked by CSP
          el.setAttribute("data-pl-style", stripMarkers(attr.value));
          el.removeAttribute(attr.name);
        } else if (ANY_MARKER.test(attr.value)) {
          el.setAttribute(attr.name, stripMarkers(attr.value));
        }
        ANY_MARKER.lastIndex = 0;
      }
      if (el.tagName === "STYLE") {
        el.textContent = stripMarkers(el.textContent).replace(/@import[^;]*;?/gi, "")
          .replace(/url\s*\([^)]*\)/gi, "none");
      }
    }
  }

  /** Replace the markers in the body's text by <mark> elements (one per text run). */
  function highlight(doc, findings, worst) {
    const walker = doc.createTreeWalker(doc.documentElement, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const active = new Set();
    for (const node of nodes) {
      const text = node.nodeValue;
      if (!text.includes(STOP) && !active.size) continue;
      if (NO_MARKS.has(node.parentNode && node.parentNode.nodeName)) {
        node.nodeValue = stripMarkers(text);
        continue;
      }
      const frag = doc.createDocumentFragment();
      let last = 0;
      const emit = (piece) => {
        if (!piece) return;
        if (!active.size) { frag.append(piece); return; }
        const ids = Array.from(active).sort((a, b) => a - b);
        const fs = ids.map((i) => findings[i]);
        const mark = doc.createElement("mark");
        mark.className = "pl-finding sev-" + worst(fs);
        mark.dataset.findings = ids.join(" ");
        mark.title = fs.map((f) => f.message).join("\n");
        mark.append(piece);
        frag.append(mark);
      };
      MARKERS.lastIndex = 0;
      let m;
      while ((m = MARKERS.exec(text))) {
        emit(text.slice(last, m.index));
        if (m[1] !== undefined) active.add(Number(m[1])); else active.delete(Number(m[2]));
        last = m.index + m[0].length;
      }
      emit(text.slice(last));
      node.replaceWith(frag);
    }
  }

  /**
   * srcdoc for the preview iframe.
   * spans: [{i, start, end}] in UTF-16 positions of `html`; findings[i] is the finding;
   * worst(findings) -> the severity class of overlapping findings.
   */
  function build(html, spans, findings, worst) {
    const doc = new DOMParser().parseFromString(withMarkers(html, spans), "text/html");
    sanitize(doc);
    highlight(doc, findings, worst);
    const csp = doc.createElement("meta");
    csp.setAttribute("http-equiv", "Content-Security-Policy");
    csp.setAttribute("content", CSP);
    doc.head.prepend(csp);
    return "<!doctype html>" + doc.documentElement.outerHTML;
  }

  /** Once the frame has loaded: its own (sanitized) styles and the highlight colours. */
  function dress(frame) {
    const doc = frame.contentDocument, win = frame.contentWindow;
    if (!doc || !win) return;
    const css = Array.from(doc.querySelectorAll("style"), (s) => s.textContent).concat(STYLE).join("\n");
    try {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(css);
      doc.adoptedStyleSheets = [sheet];
    } catch (e) { /* a browser without constructed stylesheets shows the page unstyled */ }
    doc.querySelectorAll("[data-pl-style]").forEach((el) => { el.style.cssText = el.dataset.plStyle; });
    frame.dataset.dressed = "true";
  }

  window.promiselintPreview = { build: build, dress: dress, withMarkers: withMarkers };
})();
