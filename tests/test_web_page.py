"""The editor page, end to end in a real headless browser (Debian's chromium via Playwright).

Skips with the reason when chromium or the playwright package is missing;
`.ci/install-browser` installs chromium on CI.  Set PROMISELINT_CHROMIUM to use
another chromium binary.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PROMISELINT_CHROMIUM") or "/usr/bin/chromium"
if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(f"browser tests need chromium at {CHROMIUM} (run .ci/install-browser, "
                "or apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="browser tests need the playwright package (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn", reason="the service needs uvicorn")

from promiselint.service.server import create_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]

SHOTS = Path(os.environ.get("PROMISELINT_SCREENSHOTS") or Path(__file__).with_name("out"))

EN = "The fastest charger money can buy."
AR = "متجرنا الأرخص في المملكة"
FA = "سریع‌ترین ارسال در کل کشور"


@pytest.fixture(scope="module")
def base_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 120  # the warm-up loads every language stack
    while not srv.started:
        assert thread.is_alive(), "server thread died"
        assert time.time() < deadline, "server did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        except Exception as e:  # a chromium that cannot start here is an environment problem
            pytest.skip(f"chromium at {CHROMIUM} did not start: {str(e).splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # the page must load nothing from outside
    outside = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base_url, "data:")) else None)
    pg.goto(base_url)
    yield pg
    assert not errors, errors
    assert not outside, outside
    ctx.close()


def shot(page, name: str) -> Path:
    """A full-page screenshot under tests/out/ (git-ignored), for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check(page, text, lang="auto", fmt="auto"):
    """Type `text`, press Check; returns the API's JSON answer."""
    page.fill("#content", text)
    page.select_option("#lang", lang)
    page.select_option("#format", fmt)
    with page.expect_response(lambda r: r.url.endswith("/v1/check")) as resp:
        page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Checked')")
    return resp.value.json()


def highlights(page) -> dict[int, str]:
    """Finding index -> the text its <mark> elements cover, joined in document order."""
    pairs = page.eval_on_selector_all(
        "#output mark.finding", "ms => ms.map(m => [m.dataset.findings, m.textContent])")
    out: dict[int, str] = {}
    for ids, text in pairs:
        for i in ids.split():
            out[int(i)] = out.get(int(i), "") + text
    return out


def line_direction(page, word) -> str:
    return page.evaluate(
        """w => { const m = [...document.querySelectorAll('#output mark.finding')]
                   .find(m => m.textContent === w);
                 return getComputedStyle(m.closest('.line')).direction; }""", word)


@pytest.mark.parametrize("text, word, lang, direction", [
    (EN, "fastest", "en", "ltr"),
    (AR, "الأرخص", "ar", "rtl"),
    (FA, "سریع‌ترین", "fa", "rtl"),
])
def test_highlight_covers_exactly_the_claim(page, text, word, lang, direction):
    api = check(page, text)
    findings = api["files"][0]["findings"]
    marks = highlights(page)
    # every highlight covers exactly its finding's code points
    for i, f in enumerate(findings):
        if f["end_offset"] > f["offset"]:
            assert marks[i] == text[f["offset"]:f["end_offset"]] == f["text"]
    assert word in marks.values(), (word, marks)
    assert api["files"][0]["language"] == lang
    assert line_direction(page, word) == direction
    assert page.get_attribute("#output", "lang") == lang
    # the findings list shows message, severity and suggestion in the copy's language
    i = next(i for i, t in marks.items() if t == word)
    item = page.locator(f"#finding-{i}")
    assert findings[i]["message"] in item.inner_text()
    assert item.locator(".badge").inner_text().lower() in ("error", "warning", "note")
    if findings[i]["suggestion"]:
        assert findings[i]["suggestion"] in item.inner_text()
    assert item.locator(".msg").get_attribute("lang") == lang
    assert page.inner_text("#verdict").startswith("✗ Fail")


def test_popover_on_focus_shows_message_severity_and_suggestion(page):
    api = check(page, AR)
    f = next(f for f in api["files"][0]["findings"] if f["text"] == "الأرخص")
    mark = page.locator("#output mark.finding", has_text="الأرخص").first
    mark.focus()
    pop = page.locator("#popover")
    pop.wait_for(state="visible")
    assert f["message"] in pop.inner_text()
    assert f["severity"] in pop.inner_text().lower()
    if f["suggestion"]:
        assert f["suggestion"] in pop.inner_text()
    assert mark.get_attribute("aria-describedby")  # screen readers get the message too
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")


def test_astral_characters_do_not_shift_highlights(page):
    text = "🚀🚀 𝐍𝐞𝐰! " + EN + "\n🎧 " + AR
    api = check(page, text)
    marks = highlights(page)
    for i, f in enumerate(api["files"][0]["findings"]):
        if f["end_offset"] > f["offset"]:
            assert marks[i] == text[f["offset"]:f["end_offset"]]
    assert "fastest" in marks.values() and "الأرخص" in marks.values()


def test_mixed_copy_one_line_per_paragraph_each_with_its_direction(page):
    text = f"{EN}\n\n{AR}\n\n{FA}"
    check(page, text)
    marks = set(highlights(page).values())
    assert {"fastest", "الأرخص", "سریع‌ترین"} <= marks
    lines = page.eval_on_selector_all("#output .line", "ls => ls.map(l => l.textContent)")
    assert "\n".join(lines) == text  # the rendering keeps every character
    assert line_direction(page, "fastest") == "ltr"
    assert line_direction(page, "الأرخص") == "rtl"
    assert line_direction(page, "سریع‌ترین") == "rtl"


def test_language_can_be_chosen(page):
    api = check(page, FA, lang="fa")
    assert api["files"][0]["language"] == "fa"
    assert "Persian" in page.inner_text("#meta")


def test_dropped_html_page_gets_disclosure_checklist(page, tmp_path):
    f = tmp_path / "product.html"
    f.write_text("<!doctype html><html lang='en'><head><title>Charger</title></head><body>"
                 f"<h1>Charger</h1><p>{EN}</p><p>Price: $19.99</p>"
                 "<footer><a href='/contact'>Contact us</a></footer></body></html>", encoding="utf-8")
    with page.expect_response(lambda r: r.url.endswith("/v1/check")) as resp:
        page.set_input_files("#file", str(f))
    api = resp.value.json()
    page.wait_for_selector("#checklist-section:not([hidden])")
    assert page.input_value("#format") == "html"
    assert api["files"][0]["page"] is True
    missing = {f["rule"] for f in api["files"][0]["findings"] if f["rule"].startswith("disclosure.")}
    rows = page.eval_on_selector_all("#checklist li", "ls => ls.map(l => [l.dataset.rule, l.className])")
    assert len(rows) >= 5
    for rule, cls in rows:
        assert cls == ("missing" if rule in missing else "ok"), (rule, cls, missing)
    assert "fastest" in highlights(page).values()
    if not missing:
        pytest.skip("the core reports no disclosure findings yet")
    assert "disclosure.privacy-policy" in missing
    assert dict(rows)["disclosure.privacy-policy"] == "missing"


def test_dropping_a_file_checks_it(page):
    with page.expect_response(lambda r: r.url.endswith("/v1/check")) as resp:
        page.evaluate("""() => {
            const dt = new DataTransfer();
            dt.items.add(new File(['\\ufeff' + 'متجرنا الأرخص في المملكة\\n'], 'copy.txt', {type: 'text/plain'}));
            document.getElementById('drop').dispatchEvent(
                new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""")
    api = resp.value.json()
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Checked')")
    assert api["files"][0]["path"] == "copy.txt"
    assert page.input_value("#content") == AR + "\n"  # BOM dropped, so offsets line up
    assert "الأرخص" in highlights(page).values()
    assert page.inner_text("#file-name") == "copy.txt"


def test_legacy_arabic_code_page_file(page, tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes((AR + "\n").encode("cp1256"))
    with page.expect_response(lambda r: r.url.endswith("/v1/check")):
        page.set_input_files("#file", str(f))
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Checked')")
    assert page.input_value("#content") == AR + "\n"
    assert "الأرخص" in highlights(page).values()


def test_binary_file_is_refused_with_a_message(page, tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    page.set_input_files("#file", str(f))
    page.wait_for_selector("#error:not([hidden])")
    assert "binary" in page.inner_text("#error")


def test_word_draft_dropped_on_the_page_points_to_the_command_line(page, tmp_path):
    f = tmp_path / "draft.docx"
    f.write_bytes(b"PK\x03\x04" + bytes(64))
    page.set_input_files("#file", str(f))
    page.wait_for_selector("#error:not([hidden])")
    assert "promiselint check draft.docx" in page.inner_text("#error")


def test_server_errors_are_shown(page):
    page.fill("#content", "x")
    # a format the server does not know: the page shows the API's one-line error
    page.evaluate("""() => { const o = document.createElement('option');
        o.value = 'docx'; o.textContent = 'docx'; document.getElementById('format').append(o); }""")
    page.select_option("#format", "docx")
    page.click("#check")
    page.wait_for_selector("#error:not([hidden])")
    assert "unknown format 'docx'" in page.inner_text("#error")


def test_code_point_map_matches_python(page):
    text = "a🚀b\u200cج𝐍"
    js = page.evaluate("t => window.promiselint.codePointMap(t)", text)
    expected = [0]
    for ch in text:
        expected.append(expected[-1] + (2 if ord(ch) > 0xFFFF else 1))
    assert js == expected


def test_screenshot_for_humans(page):
    """Not an assertion of looks: leaves a PNG under tests/out/ for review."""
    check(page, f"{EN}\n{AR}\n{FA}")
    page.locator("#output mark.finding").first.focus()
    assert shot(page, "editor-page").stat().st_size > 10_000


# -- rendered preview of HTML pages ------------------------------------------------

OUTSIDE = "http://example.invalid"
PAGE_HTML = (
    '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>شاحن</title>'
    f'<link rel="stylesheet" href="{OUTSIDE}/site.css"><script>window.top.pwned = "script";</script>'
    f'<style>@import url({OUTSIDE}/more.css); body {{ font-family: monospace; }}</style></head>'
    f'<body><h1 style="color: rgb(0, 128, 0)">شاحن سريع</h1><p>{AR}، والسعر 99 ريال.</p>'
    f'<img src="{OUTSIDE}/photo.png" alt="صورة الشاحن" onerror="window.top.pwned = \'onerror\'">'
    f'<p style="background: url({OUTSIDE}/bg.png)" lang="en" dir="ltr">{EN}</p>'
    f'<iframe src="{OUTSIDE}/frame.html"></iframe><a href="javascript:window.top.pwned=1">الشروط</a>'
    '</body></html>')


def preview_doc(page, expr: str):
    """Evaluate `expr` with `d` bound to the preview frame's document, once it is styled."""
    page.wait_for_function("""() => { const f = document.getElementById('preview');
        return f.dataset.dressed && f.contentDocument.querySelector('mark.pl-finding'); }""")
    return page.evaluate(f"() => {{ const d = document.getElementById('preview').contentDocument; return {expr}; }}")


def test_html_page_gets_a_sanitized_rendered_preview_with_highlights(page):
    api = check(page, PAGE_HTML, fmt="html")
    findings = api["files"][0]["findings"]
    assert page.is_visible("#preview") and not page.is_visible("#output")  # source folded away
    marks = preview_doc(page, """[...d.querySelectorAll('mark.pl-finding')]
                                 .map(m => [m.dataset.findings, m.textContent])""")
    covered: dict[int, str] = {}
    for ids, text in marks:
        for i in ids.split():
            covered[int(i)] = covered.get(int(i), "") + text
    claims = {i: f for i, f in enumerate(findings) if f["text"] and not f["rule"].startswith("disclosure.")}
    assert {"الأرخص", "fastest"} <= {f["text"] for f in claims.values()}
    for i, f in claims.items():
        assert covered.get(i) == f["text"], (f, covered)
    # rendered with the page's own styles (inline and <style>) and coloured highlights
    assert preview_doc(page, """[getComputedStyle(d.querySelector('h1')).color,
                                getComputedStyle(d.body).fontFamily,
                                getComputedStyle(d.querySelector('mark.pl-finding.sev-error')).backgroundColor]""") \
        == ["rgb(0, 128, 0)", "monospace", "rgb(253, 226, 225)"]
        # rendered as a page: right-to-left body, the English paragraph left-to-right
    assert preview_doc(page, "getComputedStyle(d.body).direction") == "rtl"
    assert preview_doc(page, "getComputedStyle(d.querySelector('p[lang=en]')).direction") == "ltr"
    # nothing runs, nothing is fetched (the page fixture also fails on any outside request)
    assert page.evaluate("() => window.pwned") is None
    left = preview_doc(page, """[d.querySelectorAll('script, iframe, link, [src], [onerror], [href]').length,
                                d.documentElement.outerHTML.includes('example.invalid')]""")
    assert left == [0, False]
    assert page.get_attribute("#preview", "sandbox") == "allow-same-origin"  # no allow-scripts
    shot(page, "preview-html-page")


def test_plain_copy_has_no_preview(page):
    check(page, EN)
    assert page.is_hidden("#preview-section") and page.is_visible("#output")


# -- interface language ----------------------------------------------------------------

@pytest.mark.parametrize("ui, button, verdict, badge", [
    ("ar", "افحص النص", "✗ مرفوض", "خطأ"),
    ("fa", "بررسی متن", "✗ رد", "خطا"),
])
def test_interface_in_arabic_and_persian(page, ui, button, verdict, badge):
    page.select_option("#ui-lang", ui)
    page.wait_for_function(f"document.documentElement.lang === '{ui}'")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.inner_text("#check") == button
    check_localized(page, FA if ui == "fa" else AR)
    assert page.inner_text("#verdict").startswith(verdict)
    assert page.locator("#findings .badge").first.inner_text() == badge
    assert "Checked" not in page.inner_text("#status") and page.inner_text("#status")
    shot(page, f"interface-{ui}")
    page.select_option("#ui-lang", "en")  # and back, results re-rendered in English
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert page.inner_text("#verdict").startswith("✗ Fail") and page.inner_text("#check") == "Check copy"


def check_localized(page, text):
    page.fill("#content", text)
    with page.expect_response(lambda r: r.url.endswith("/v1/check")):
        page.click("#check")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_function("document.getElementById('check').disabled === false")


# -- checking as the editor types ---------------------------------------------------------

def count_checks(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.url.endswith("/v1/check") else None)
    return sent


def test_rechecks_as_the_editor_types(page):
    sent = count_checks(page)
    typed = "Fast charger. Guaranteed results in 7 days."
    page.click("#content")
    with page.expect_response(lambda r: r.url.endswith("/v1/check") and "days." in (r.request.post_data or "")):
        page.keyboard.type(typed, delay=15)
    page.wait_for_function("""[...document.querySelectorAll('#output mark.finding')]
                              .some(m => m.textContent === 'Guaranteed results')""")
    assert 1 <= len(sent) <= len(typed) // 4, sent  # debounced: not one request per key
    # the copy is emptied: the results go, no error is shown for a live check
    page.fill("#content", "")
    page.wait_for_selector("#results", state="hidden")
    assert page.is_hidden("#error")


# -- selecting a finding, applying a suggestion ------------------------------------------------

def test_selecting_a_finding_selects_its_words_in_the_text(page):
    text = "🚀🚀 عرض اليوم\n" + AR
    api = check(page, text)
    i = next(i for i, f in enumerate(api["files"][0]["findings"]) if f["text"] == "الأرخص")
    page.click(f"#finding-{i} button.goto")
    selected = page.evaluate("""() => { const c = document.getElementById('content');
        return [document.activeElement === c, c.value.slice(c.selectionStart, c.selectionEnd)]; }""")
    assert selected == [True, "الأرخص"]
    assert page.get_attribute(f"#finding-{i}", "class").endswith("selected")


def add_replacement(route, word: str, replacement: str):
    """Pass the request to the real service and add a `replacement` to one finding."""
    resp = route.fetch()
    data = resp.json()
    for f in data["files"][0]["findings"]:
        if f["text"] == word:
            f["replacement"] = replacement
    route.fulfill(response=resp, body=json.dumps(data), headers={**resp.headers, "content-type": "application/json"})


def test_apply_suggestion_replaces_the_words_and_checks_again(page):
    page.uncheck("#live")  # checks only on demand here, so no live check races the route below
    api = check(page, EN)
    if not any("replacement" in f for f in api["files"][0]["findings"]):
        assert page.locator("button.apply").count() == 0  # no structured replacement, no button
    page.route("**/v1/check", lambda route: add_replacement(route, "fastest", "fast"))
    check(page, EN + "\n" + AR)
    button = page.locator("#findings button.apply")
    assert button.count() == 1
    assert page.inner_text("#findings .replacement") == "fast"
    with page.expect_response(lambda r: r.url.endswith("/v1/check")) as resp:
        button.click()
    assert page.input_value("#content") == "The fast charger money can buy.\n" + AR
    assert resp.value.request.post_data_json["content"] == page.input_value("#content")
    page.wait_for_function("""![...document.querySelectorAll('#output mark.finding')]
                              .some(m => m.textContent === 'fastest')""")
    assert "الأرخص" in highlights(page).values()
    shot(page, "apply-suggestion")


def test_suggestion_arrow_points_from_the_words_in_either_direction(page):
    api = check(page, f"{EN}\n{AR}")
    arrows = {}
    for i, f in enumerate(api["files"][0]["findings"]):
        if f["suggestion"]:
            arrows[f["language"]] = page.evaluate(
                f"getComputedStyle(document.querySelector('#finding-{i} .suggestion'), '::before').content")
    assert arrows == {"en": '"→ "', "ar": '"← "'}


# -- error states ------------------------------------------------------------------------------

def test_service_down_says_so_in_words_and_clears_stale_results(page):
    check(page, EN)
    page.route("**/v1/check", lambda route: route.abort("connectionrefused"))
    page.fill("#content", AR)  # a live re-check, which fails
    page.wait_for_selector("#error:not([hidden])")
    error = page.inner_text("#error")
    assert "Cannot reach the promiselint service" in error
    assert "Failed to fetch" not in page.inner_text("body")
    assert page.is_hidden("#results") and page.locator("#output mark").count() == 0
    shot(page, "service-down")


def test_timeout_is_explained_and_results_cleared(page):
    check(page, EN)
    page.route("**/v1/check", lambda route: route.fulfill(
        status=504, content_type="application/json", body='{"error": "check took longer than 10 s"}'))
    page.click("#check")
    page.wait_for_selector("#error:not([hidden])")
    assert "took too long" in page.inner_text("#error") and "10 s" in page.inner_text("#error")
    assert page.is_hidden("#results")


# -- bidi controls inside a flagged span --------------------------------------------------------

def test_bidi_override_inside_a_flagged_span_is_shown_and_isolated(page):
    text = "The fast\u202eest charger."
    check(page, text)
    assert "fast\u202eest" in highlights(page).values()
    info = page.evaluate("""() => { const m = document.querySelector('#output mark.finding');
        const c = m.querySelector('.bidi-ctl');
        const after = document.createRange(); after.selectNodeContents(m.nextSibling);
        return [getComputedStyle(m).unicodeBidi, c && getComputedStyle(c).unicodeBidi, c && c.dataset.name,
                getComputedStyle(c, '::before').content,
                after.getBoundingClientRect().left >= m.getBoundingClientRect().right - 1,
                m.closest('.line').textContent]; }""")
    assert info == ["isolate", "isolate", "RLO", '"RLO"', True, text]
    # the findings list quotes the words (and the message repeats them): isolated there too
    quoted = page.evaluate("""() => [...document.querySelectorAll('#findings .bidi-ctl')]
                              .map(c => getComputedStyle(c).unicodeBidi + ' ' + c.closest('.quote, .msg').className)""")
    assert "isolate quote" in quoted and "isolate msg" in quoted, quoted
    shot(page, "bidi-override")
