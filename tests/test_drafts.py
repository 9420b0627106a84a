"""Word (.docx) and OpenDocument (.odt) drafts, written here with python-docx and odfpy.

Every finding's offsets are checked against what `promiselint text DRAFT` prints,
and its line against the paragraph it sits in.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

docx = pytest.importorskip("docx", reason="drafts need python-docx")
odf = pytest.importorskip("odf.opendocument", reason="the .odt tests write files with odfpy")

from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls  # noqa: E402
from odf import style as ostyle, table as otable, text as otext  # noqa: E402
from odf.office import Annotation  # noqa: E402
from odf.dc import Creator  # noqa: E402

from promiselint.cli import main  # noqa: E402

EN = "The fastest charger money can buy."
AR = "متجرنا الأرخص في المملكة"
FA = "سریع‌ترین ارسال در کل کشور"
PRICE = "Price: $19.99 — buy now"
BACKED = "Delivery by our fastest courier"  # a claim its footnote supports
EVIDENCE = "Measured by ParcelLab on 40 routes, May 2025."


def run(*args, stdin: bytes | None = None):
    result = CliRunner().invoke(main, list(map(str, args)), input=stdin)
    assert "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        result.exception
    return result


def check_json(*paths, extra=()):
    r = run("check", "--format", "json", "--no-cache", "--fail-on", "never", *extra, *paths)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["files"]


def shown_text(path) -> str:
    r = run("text", path)
    assert r.exit_code == 0, r.output
    return r.stdout_bytes.decode("utf-8")


def assert_offsets_match(path, expected_lines):
    """The text command prints the expected paragraphs; every finding points into it."""
    text = shown_text(path)
    assert text.split("\n")[:-1] == expected_lines
    (file,) = check_json(path)
    for f in file["findings"]:
        assert text[f["offset"]:f["end_offset"]] == f["text"], f
        line = text[:f["offset"]].count("\n") + 1
        assert f["line"] == line and f["end_line"] == line, f
        assert f["column"] == f["offset"] - text.rfind("\n", 0, f["offset"]), f
    return file


def claims(file) -> set[tuple[str, int]]:
    return {(f["text"], f["line"]) for f in file["findings"] if not f["rule"].startswith("disclosure.")}


# -- .docx ----------------------------------------------------------------------

def _rtl(paragraph):
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run_ in paragraph.runs:
        run_._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    return paragraph


def _tracked(paragraph, kind: str, text: str):
    tag, t = ("w:del", "w:delText") if kind == "del" else ("w:ins", "w:t")
    paragraph._p.append(parse_xml(
        f'<{tag} {nsdecls("w")} w:id="{len(text)}" w:author="Editor" w:date="2026-11-01T00:00:00Z">'
        f'<w:r><{t} xml:space="preserve">{text}</{t}></w:r></{tag}>'))


def write_docx(path: Path) -> list[str]:
    """A draft in three languages; returns the paragraphs promiselint must read."""
    d = docx.Document()
    d.add_heading("Summer catalogue", level=1)
    p = d.add_paragraph(EN)
    d.add_comment(p.runs[0], text="Legal: is this the cheapest in the world?", author="Reviewer")
    _rtl(d.add_paragraph(AR))
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Product"
    table.cell(0, 1).text = "Copy"
    table.cell(1, 0).text = "Courier"
    cell = table.cell(1, 1).paragraphs[0]
    cell.add_run(FA)
    _rtl(cell)
    p = d.add_paragraph("Now ")
    _tracked(p, "del", "the best and ")
    _tracked(p, "ins", "a good choice")
    p = d.add_paragraph("Line one")
    p.runs[0].add_break()
    p.add_run("line two\tafter a tab")
    d.add_paragraph("")
    _footnote(d, d.add_paragraph(BACKED), EVIDENCE)
    d.save(path)
    return ["Summer catalogue", EN, AR, "Product", "Copy", "Courier", FA,
            "Now a good choice", "Line one line two\tafter a tab", "", BACKED + "[1]", "[1] " + EVIDENCE]


def _footnote(d, paragraph, text: str):
    """A footnote (python-docx writes none): the footnotes part and a reference to it."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = (f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
           f'</w:r></w:p></w:footnote><w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r>'
           f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="7"/></w:r>'))


def test_docx_paragraphs_tables_and_rtl_in_three_languages(tmp_path):
    path = tmp_path / "draft.docx"
    lines = write_docx(path)
    file = assert_offsets_match(path, lines)
    assert claims(file) == {("fastest", 2), ("الأرخص", 3), ("سریع‌ترین", 7)}
    assert file["path"].endswith("draft.docx")
    text = shown_text(path)
    # comments and tracked deletions are not part of the checked copy
    assert "cheapest" not in text and "Reviewer" not in text and "the best" not in text


def test_docx_headings_are_heading_blocks(tmp_path):
    from promiselint.formats import parse_bytes

    path = tmp_path / "draft.docx"
    write_docx(path)
    doc = parse_bytes(path.read_bytes(), "docx", "draft.docx")
    roles = {b.text.text: b.role for b in doc.blocks}
    assert roles["Summer catalogue"] == "heading"
    assert roles[EN] == "paragraph" and roles[AR] == "paragraph"
    assert roles[FA] == "cell" and roles["Product"] == "cell"
    assert doc.is_page is False


def test_rtl_paragraph_keeps_its_logical_order(tmp_path):
    """A right-to-left paragraph with a number and an English word inside stays in
    the order it was typed, so the claim and its number are found together."""
    d = docx.Document()
    line = "توصيل خلال 24 ساعة مع DHL"
    _rtl(d.add_paragraph(line))
    path = tmp_path / "rtl.docx"
    d.save(path)
    file = assert_offsets_match(path, [line])
    assert ("خلال 24 ساعة", 1) in claims(file)


def test_footnoted_evidence_supports_the_claim(tmp_path):
    """The footnote reference reads [1] and the footnote follows the body, so a claim
    whose footnote cites dated evidence passes, in Word and OpenDocument alike."""
    for name, write in (("draft.docx", write_docx), ("draft.odt", write_odt)):
        lines = write(tmp_path / name)
        (file,) = check_json(tmp_path / name)
        backed = lines.index(next(line for line in lines if line.startswith(BACKED))) + 1
        assert not any(f["line"] == backed for f in file["findings"]), (name, file["findings"])
        assert lines[-1] == "[1] " + EVIDENCE


def test_table_of_contents_is_not_read(tmp_path):
    d = docx.Document()
    toc = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>The best prices\t3</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>')
    d.element.body.insert(0, toc)
    d.add_heading("The best prices", level=1)
    d.add_paragraph("Compare them with care.")
    d.save(tmp_path / "toc.docx")
    assert shown_text(tmp_path / "toc.docx") == "The best prices\nCompare them with care.\n"
    o = odf.OpenDocumentText()
    index = otext.TableOfContent(name="toc")
    ib = otext.IndexBody()
    ib.addElement(otext.P(text="The best prices 3"))
    index.addElement(ib)
    o.text.addElement(index)
    o.text.addElement(otext.H(outlinelevel=1, text="The best prices"))
    o.save(str(tmp_path / "toc.odt"))
    assert shown_text(tmp_path / "toc.odt") == "The best prices\n"


def test_docx_from_stdin_and_from_a_folder(tmp_path):
    path = tmp_path / "drafts" / "draft.docx"
    path.parent.mkdir()
    write_docx(path)
    r = run("check", "--format", "json", "--no-cache", "-", "--stdin-filename", "draft.docx",
            stdin=path.read_bytes())
    assert r.exit_code == 1
    assert ("الأرخص", 3) in claims(json.loads(r.stdout)["files"][0])
    (file,) = check_json(path.parent)  # a folder walk picks drafts up
    assert ("fastest", 2) in claims(file)


def test_cached_draft_still_shows_its_paragraph(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_docx(Path("draft.docx"))
    first = run("check", "--no-color", "draft.docx")
    second = run("check", "--no-color", "draft.docx")  # findings from the cache
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    assert f"│ {EN}" in second.stdout


# -- .odt -----------------------------------------------------------------------

def write_odt(path: Path) -> list[str]:
    doc = odf.OpenDocumentText()
    rtl = ostyle.Style(name="RTL", family="paragraph")
    rtl.addElement(ostyle.ParagraphProperties(writingmode="rl-tb", textalign="end"))
    doc.automaticstyles.addElement(rtl)
    doc.text.addElement(otext.H(outlinelevel=1, text="Summer catalogue"))
    p = otext.P(text="The fastest charger")
    note = Annotation()
    note.addElement(Creator(text="Reviewer"))
    note.addElement(otext.P(text="Is this the cheapest in the world?"))
    p.addElement(note)
    p.addText(" money")
    p.addElement(otext.S(c=2))
    p.addText("can buy.")
    doc.text.addElement(p)
    doc.text.addElement(otext.P(stylename=rtl, text=AR))
    t = otable.Table(name="Copy")
    t.addElement(otable.TableColumn(numbercolumnsrepeated=2))
    for left, right in (("Product", "Copy"), ("Courier", FA)):
        row = otable.TableRow()
        for value in (left, right):
            cell = otable.TableCell()
            cell.addElement(otext.P(stylename=rtl if value == FA else None, text=value))
            row.addElement(cell)
        t.addElement(row)
    doc.text.addElement(t)
    p = otext.P(text=BACKED)
    footnote = otext.Note(noteclass="footnote", id="n1")
    footnote.addElement(otext.NoteCitation(text="1"))
    body = otext.NoteBody()
    body.addElement(otext.P(text=EVIDENCE))
    footnote.addElement(body)
    p.addElement(footnote)
    p.addText(".")
    doc.text.addElement(p)
    doc.save(str(path))
    return ["Summer catalogue", "The fastest charger money  can buy.", AR, "Product", "Copy",
            "Courier", FA, BACKED + "[1].", "[1] " + EVIDENCE]


def test_odt_paragraphs_tables_and_rtl_in_three_languages(tmp_path):
    path = tmp_path / "draft.odt"
    lines = write_odt(path)
    file = assert_offsets_match(path, lines)
    assert claims(file) == {("fastest", 2), ("الأرخص", 3), ("سریع‌ترین", 7)}
    text = shown_text(path)
    assert "cheapest" not in text and "Reviewer" not in text  # comment left out


def test_odt_tracked_deletion_is_not_read(tmp_path):
    path = tmp_path / "tracked.odt"
    write_odt(path)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    deleted = ('<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
               '<office:change-info><dc:creator>Ed</dc:creator></office:change-info>'
               '<text:p>The best price anywhere.</text:p></text:deletion></text:changed-region>'
               '</text:tracked-changes>').encode()
    content = parts["content.xml"]
    assert b"xmlns:dc=" in content
    parts["content.xml"] = content.replace(b"<office:text>", b"<office:text>" + deleted, 1)
    with zipfile.ZipFile(path, "w") as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
    text = shown_text(path)
    assert "best price" not in text and text.startswith("Summer catalogue\n")


# -- drafts owe no disclosures --------------------------------------------------

def test_draft_with_a_price_owes_no_disclosures(tmp_path):
    d = docx.Document()
    d.add_heading("Charger", level=1)
    d.add_paragraph(EN)
    d.add_paragraph(PRICE)
    d.save(tmp_path / "product.docx")
    (file,) = check_json(tmp_path / "product.docx")
    assert [f["rule"] for f in file["findings"]] == ["superlative.unverified"]


def test_a_page_type_glob_does_not_make_a_draft_owe_disclosures(tmp_path):
    """Config that makes every file under products/ owe disclosures leaves drafts alone."""
    (tmp_path / ".promiselint.yaml").write_text(
        'page_types:\n  "products/*": [privacy-policy, contact, shipping-total]\n', encoding="utf-8")
    (tmp_path / "products").mkdir()
    d = docx.Document()
    d.add_paragraph(PRICE)
    d.save(tmp_path / "products" / "charger.docx")
    (tmp_path / "products" / "charger.txt").write_text(PRICE, encoding="utf-8")
    files = {Path(f["path"]).name: f for f in check_json(tmp_path / "products")}
    assert files["charger.docx"]["findings"] == []
    assert any(f["rule"].startswith("disclosure.") for f in files["charger.txt"]["findings"])  # the glob works


GDOCS = ('<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">'
         '<style type="text/css">ol{margin:0;padding:0}table td,table th{padding:0}'
         '.c0{color:#000000;font-size:11pt}.c1{background-color:#ffffff;max-width:468pt}'
         '</style></head><body class="c1 doc-content"><h1 class="c0" id="h.abc">Charger</h1>'
         f'<p class="c0"><span class="c0">{EN}</span></p><p class="c0"><span>{PRICE}</span></p>'
         '</body></html>')
PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charger</title></head>'
        f'<body><h1>Charger</h1><p>{EN}</p><p>{PRICE}</p></body></html>')
PASTED = ('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c">'
          f'<p dir="ltr"><span>{EN}</span></p><p><span>{PRICE}</span></p></b>')


@pytest.mark.parametrize("html, owes", [(GDOCS, False), (PASTED, False), (PAGE, True)],
                         ids=["google-docs-export", "google-docs-paste", "storefront-page"])
def test_google_docs_html_is_a_draft(tmp_path, html, owes):
    path = tmp_path / "copy.html"
    path.write_text(html, encoding="utf-8")
    (file,) = check_json(path)
    rules = [f["rule"] for f in file["findings"]]
    assert "superlative.unverified" in rules  # the claims are still checked
    assert any(r.startswith("disclosure.") for r in rules) is owes, rules


def test_a_linked_draft_counts_as_a_policy_file_in_site_mode(tmp_path):
    (tmp_path / "returns.docx").write_bytes(b"")
    d = docx.Document()
    d.add_paragraph("Returns accepted within 30 days.")
    d.save(tmp_path / "returns.docx")
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><body><h1>Shop</h1><p>Chargers.</p>'
        '<footer><a href="returns.docx">Return policy</a></footer></body></html>', encoding="utf-8")
    files = check_json(tmp_path, extra=("--site",))
    index = next(f for f in files if f["path"].endswith("index.html"))
    rules = {f["rule"] for f in index["findings"]}
    assert "disclosure.return-policy" not in rules and "disclosure.broken-link" not in rules, rules


# -- malformed drafts: one input.invalid finding, the run goes on ----------------

def _zip(entries: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in entries.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _bomb(name: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "mimetype": b"application/vnd.oasis.opendocument.text",
                 name: b"<a>" + b" " * (65 * 2**20) + b"</a>"})


def _truncated(tmp_path) -> bytes:
    write_docx(tmp_path / "whole.docx")
    return (tmp_path / "whole.docx").read_bytes()[:3000]


ENTITY_BOMB = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
               '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:p>&c;</text:p></office:text></office:body></office:document-content>')


@pytest.mark.parametrize("name, make, says", [
    ("plain.docx", lambda t: b"just some text, not a zip", "not a zip file"),
    ("old.docx", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old binary"),
    ("empty.docx", lambda t: b"", "not a zip file"),
    ("nodoc.docx", lambda t: _zip({"hello.txt": b"hi"}), "cannot read as a Word document"),
    ("bomb.docx", lambda t: _bomb("word/document.xml"), "zip bomb"),
    ("cut.docx", _truncated, "not a zip file"),
    ("nocontent.odt", lambda t: _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "no content.xml"),
    ("bomb.odt", lambda t: _bomb("content.xml"), "zip bomb"),
    ("badxml.odt", lambda t: _zip({"content.xml": b"<office:document-content"}), "cannot read"),
])
def test_malformed_draft_is_an_input_invalid_finding(tmp_path, name, make, says):
    bad = tmp_path / name
    bad.write_bytes(make(tmp_path))
    good = tmp_path / "good.txt"
    good.write_text(EN, encoding="utf-8")
    r = run("check", "--format", "json", "--no-cache", bad, good)
    assert r.exit_code == 1, r.output
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    (finding,) = files[name]["findings"]
    assert finding["rule"] == "input.invalid" and finding["severity"] == "error"
    assert says in finding["message"], finding["message"]
    assert (finding["line"], finding["column"]) == (1, 1)
    assert [f["text"] for f in files["good.txt"]["findings"]] == ["fastest"]  # the run went on
    r = run("text", bad)
    assert r.exit_code == 2 and says in r.output and len(r.output.strip().splitlines()) == 1


def test_entities_in_odt_are_never_expanded(tmp_path):
    path = tmp_path / "entities.odt"
    path.write_bytes(_zip({"content.xml": ENTITY_BOMB.encode()}))
    r = run("text", path)
    assert (r.exit_code, r.output) == (0, "\n")  # the entity reference is dropped, never expanded


def test_media_parts_are_never_unpacked(tmp_path, monkeypatch):
    """A large image in a draft is not read (only XML parts are)."""
    path = tmp_path / "photo.docx"
    d = docx.Document()
    d.add_paragraph(EN)
    d.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/image1.png", b"\0" * (80 * 2**20))
    read = []
    original = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read",
                        lambda self, name, pwd=None: read.append(getattr(name, "filename", name))
                        or original(self, name, pwd))
    assert shown_text(path) == EN + "\n"
    assert read and "word/media/image1.png" not in read
