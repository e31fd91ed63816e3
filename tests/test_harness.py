"""Tests of the test harnesses themselves (tests/poedit.py, tests/browser.py).

They run the real Poedit 3 (under Xvfb) and the real headless Chromium on small hand-written
files, and pin what Poedit does to a catalog on "open, then save", which the round-trip test
of newsloc's own catalogs relies on.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402
import poedit  # noqa: E402

RU_PLURALS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
              "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")

HEADER_PO = r'''# Russian translation of the-friend-of-my-enemy.
# This file is distributed under the same license as the newsloc project.
#
msgid ""
msgstr ""
"Project-Id-Version: newsloc the-friend-of-my-enemy\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2024-01-01 00:00+0000\n"
"PO-Revision-Date: 2024-01-02 00:00+0000\n"
"Last-Translator: Ivan Petrov <ivan@example.org>\n"
"Language-Team: Russian <ru@example.org>\n"
"Language: ru\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
"X-Source-Language: en\n"
'''

# Every kind of entry newsloc writes: headline note, glossary notes, inline markup, two
# references, MT provenance in translator comments, fuzzy with previous msgid, msgctxt,
# untranslated, obsolete entries.  All lines are gettext-wrapped (msgcat-identical).
BODY_PO = r'''
#. Headline of the article
#: source/the-friend-of-my-enemy.txt:1
msgid "The friend of my enemy"
msgstr "Друг моего врага"

#. Glossary: CSTO → ОДКБ (organisation)
#: source/the-friend-of-my-enemy.txt:3 source/the-friend-of-my-enemy.txt:9
msgid ""
"Armenia has frozen its participation in the <a href=\"https://example.org/"
"csto\" style=\"color: red\">CSTO</a>, the Russia-led military alliance."
msgstr ""
"Армения заморозила участие в <a href=\"https://example.org/csto\" "
"style=\"color: red\">ОДКБ</a>, военном союзе во главе с Россией."

# newsloc-mt: engine=argos package=translate-en_ru version=1.9 date=2024-01-02
# newsloc-mt: sha256=0123abcd
#: source/the-friend-of-my-enemy.txt:5
#, fuzzy
msgid "Prime Minister Nikol Pashinyan said so."
msgstr "Премьер-министр Никол Пашинян сказал так."

#: source/the-friend-of-my-enemy.txt:7
#, fuzzy
#| msgid "Old text of the sentence."
msgid "New text of the sentence."
msgstr "Старый текст предложения."

#: source/the-friend-of-my-enemy.txt:11
msgctxt "the-friend-of-my-enemy.txt:11"
msgid "Yes."
msgstr "Да."

#: source/the-friend-of-my-enemy.txt:13
msgid "Untranslated, with “typographic quotes”, 7.1% and a tab\there."
msgstr ""

#~ msgid "Removed sentence."
#~ msgstr "Удалённое предложение."
'''

POT = r'''# Translations template for the-friend-of-my-enemy.
msgid ""
msgstr ""
"Project-Id-Version: newsloc the-friend-of-my-enemy\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2024-01-01 00:00+0000\n"
"PO-Revision-Date: 2024-01-01 00:00+0000\n"
"Last-Translator: \n"
"Language-Team: \n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"X-Source-Language: en\n"

#. Headline of the article
#: source/the-friend-of-my-enemy.txt:1
msgid "The friend of my enemy"
msgstr ""

#: source/the-friend-of-my-enemy.txt:3
msgid "Armenia has frozen its participation."
msgstr ""
'''

DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}$")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # Precondition: the sample is valid and already in gettext's own layout, so any change
    # seen later is Poedit's doing.
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    cat = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
    assert cat == path.read_bytes(), f"sample {name} is not msgcat-identical"
    return path


def _png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    return struct.unpack(">II", data[16:24])


# --- pure helpers --------------------------------------------------------------------------

def test_split_header_and_changes() -> None:
    text = HEADER_PO + BODY_PO
    header = poedit.split_header(text)
    assert header.comments[0] == "# Russian translation of the-friend-of-my-enemy."
    assert header.fields["Plural-Forms"] == RU_PLURALS
    assert header.fields["Report-Msgid-Bugs-To"] == ""
    assert list(header.fields)[-1] == "X-Source-Language"
    assert header.body == BODY_PO
    after = text.replace("Language-Team: Russian <ru@example.org>", "Language-Team: ru") \
                .replace('"X-Source-Language: en\\n"\n', '"X-Source-Language: en\\n"\n"X-New: 1\\n"\n')
    assert poedit.header_changes(text, after) == {
        "Language-Team": ("Russian <ru@example.org>", "ru"), "X-New": (None, "1")}
    with pytest.raises(ValueError):
        poedit.split_header('msgid "x"\nmsgstr ""\n')


def test_wrap_width_guess() -> None:
    # Longest line with a space after column 2; header lines ending in \n do not count.
    assert poedit.poedit_wrap_width(HEADER_PO + BODY_PO) == len(
        '"Armenia has frozen its participation in the <a href=\\"https://example.org/"')
    # No soft-wrapped string at all: Poedit saves with --no-wrap.
    assert poedit.poedit_wrap_width(POT) is None


# --- Poedit --------------------------------------------------------------------------------

def test_poedit_open_save_touches_only_its_header_fields(tmp_path: Path) -> None:
    po = _write(tmp_path, "locales/ru/LC_MESSAGES/a.po", HEADER_PO + BODY_PO)
    inode = po.stat().st_ino
    run = poedit.open_and_save(po)
    assert run.quit_cleanly
    assert po.stat().st_ino != inode, "Poedit replaces the file (temp file + rename)"
    before, after = run.before.decode(), run.after.decode()
    changes = poedit.header_changes(before, after)
    assert set(changes) == {"PO-Revision-Date", "X-Generator"}
    assert set(changes) <= poedit.POEDIT_OWNED_HEADERS
    assert DATE.match(changes["PO-Revision-Date"][1])
    assert changes["X-Generator"][0] is None
    assert re.fullmatch(r"Poedit 3\.[0-9.]+", changes["X-Generator"][1])
    # X-Generator is appended as the last header line; nothing else moves.
    fields = list(poedit.split_header(after).fields)
    assert fields[-1] == "X-Generator"
    assert fields[:-1] == list(poedit.split_header(before).fields)
    assert poedit.split_header(after).comments == poedit.split_header(before).comments
    assert poedit.split_header(after).body == poedit.split_header(before).body
    # Poedit compiled the .mo beside the .po, exactly as msgfmt does.
    assert run.mo_path == po.with_suffix(".mo")
    mo = subprocess.run(["msgfmt", "-o", "-", str(po)], check=True, capture_output=True).stdout
    assert run.mo_path.read_bytes() == mo
    assert run.screenshots and all(_png_size(p) == (1280, 800) for p in run.screenshots)


def test_poedit_save_of_pot(tmp_path: Path) -> None:
    pot = _write(tmp_path, "locales/a.pot", POT)
    run = poedit.open_and_save(pot)
    before, after = run.before.decode(), run.after.decode()
    changes = poedit.header_changes(before, after)
    assert set(changes) == {"POT-Creation-Date", "X-Generator"}
    assert DATE.match(changes["POT-Creation-Date"][1])
    # A template's header entry gets the fuzzy flag; PO-Revision-Date is left alone.
    assert poedit.split_header(after).comments == (
        poedit.split_header(before).comments + ["#, fuzzy"])
    assert poedit.split_header(after).body == poedit.split_header(before).body
    assert run.mo_path is None and not pot.with_suffix(".mo").exists()


def test_poedit_writes_last_translator_from_preferences(tmp_path: Path) -> None:
    po = _write(tmp_path, "a.po", HEADER_PO + BODY_PO)
    run = poedit.open_and_save(po, translator_name="Анна Смирнова",
                               translator_email="anna@example.org", compile_mo=False)
    changes = poedit.header_changes(run.before.decode(), run.after.decode())
    assert set(changes) == {"PO-Revision-Date", "X-Generator", "Last-Translator"}
    assert changes["Last-Translator"] == ("Ivan Petrov <ivan@example.org>",
                                          "Анна Смирнова <anna@example.org>")
    assert run.mo_path is None and not po.with_suffix(".mo").exists()


def test_poedit_repairs_placeholder_headers(tmp_path: Path) -> None:
    # What newsloc must never write: xgettext placeholders and a fuzzy PO header.
    text = ("#, fuzzy\n" + HEADER_PO.split("#\n", 1)[1]
            .replace("newsloc the-friend-of-my-enemy", "PACKAGE VERSION")
            .replace("Ivan Petrov <ivan@example.org>", "FULL NAME <EMAIL@ADDRESS>")
            .replace("Russian <ru@example.org>", "LANGUAGE <LL@li.org>")) + BODY_PO
    po = _write(tmp_path, "a.po", text)
    run = poedit.open_and_save(po, compile_mo=False)
    after = run.after.decode()
    changes = poedit.header_changes(run.before.decode(), after)
    assert changes["Project-Id-Version"] == ("PACKAGE VERSION", "")
    assert changes["Last-Translator"] == ("FULL NAME <EMAIL@ADDRESS>", "")
    assert changes["Language-Team"] == ("LANGUAGE <LL@li.org>", "")
    assert "#, fuzzy" not in poedit.split_header(after).comments


@pytest.mark.parametrize("case", ["unbreakable-url", "narrow", "no-wrap"])
def test_poedit_rewrap_model_matches_poedit(tmp_path: Path, case: str) -> None:
    """predict_body (msgcat at Poedit's guessed width) equals what Poedit really writes."""
    url = "https://example.org/" + "a" * 73 + "/b"
    if case == "unbreakable-url":
        # gettext puts "aaa…a/b" (77 characters, no space) on a line of its own, longer
        # than the width Poedit guesses from this file (76): Poedit breaks it after the "/".
        body = BODY_PO + f'\n#: source/x.txt:20\nmsgid "Link: {url}"\nmsgstr ""\n'
    elif case == "narrow":
        # The only wrapped string has short lines: Poedit guesses a narrow width and
        # re-wraps even the header.
        body = f'\n#: source/x.txt:20\nmsgid "<a href=\\"{url}\\">x</a>"\nmsgstr ""\n'
    else:
        body = "\n" + POT.split("\n\n", 1)[1]
    header = HEADER_PO.replace(
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n'
        '"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n', "") if case != "unbreakable-url" \
        else HEADER_PO
    raw = tmp_path / "raw.po"
    raw.write_text(header + body, encoding="utf-8")
    po = _write(tmp_path, "a.po",
                subprocess.run(["msgcat", str(raw)], check=True, capture_output=True,
                               text=True).stdout)
    predicted = poedit.predict_body(po)
    run = poedit.open_and_save(po, compile_mo=False)
    after = run.after.decode()
    assert poedit.split_header(after).body == predicted
    changed = poedit.split_header(after).body != poedit.split_header(run.before.decode()).body
    assert changed == (case == "unbreakable-url")
    if case == "narrow":
        # Guessed width 36: even header lines are broken, e.g. "Content-Type: text/plain; "
        assert '"Content-Type: text/plain; charset=UTF-8\\n"' in run.before.decode()
        assert '"Content-Type: text/plain; charset=UTF-8\\n"' not in after
    assert set(poedit.header_changes(run.before.decode(), after)) == {
        "PO-Revision-Date", "X-Generator"}
    # Whatever the wrapping, the catalog's content is untouched.
    def entries(text: str) -> str:
        return subprocess.run(["msgcat", "--no-wrap", "-"], input=text, check=True,
                              capture_output=True, text=True).stdout
    assert poedit.split_header(entries(after)).body == \
        poedit.split_header(entries(run.before.decode())).body


def test_poedit_reports_a_blocking_dialog(tmp_path: Path) -> None:
    po = tmp_path / "broken.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(poedit.PoeditError, match="dialog") as err:
        poedit.open_and_save(po, timeout=40, artifacts=tmp_path / "shots")
    assert "Invalid file" in str(err.value)
    assert _png_size(tmp_path / "shots" / "failure.png") == (1280, 800)


def test_poedit_missing_file(tmp_path: Path) -> None:
    with pytest.raises(poedit.PoeditError, match="no such file"):
        poedit.open_and_save(tmp_path / "nope.po")


# --- Chromium ------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ru" dir="ltr"><head><meta charset="utf-8"><title>Друг моего врага</title>
<style>
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 2em; }
#cover { position: absolute; left: 0; top: 0; width: 100%; height: 4em; background: #fff; }
</style></head>
<body><h1 id="h">Друг моего врага</h1>
<p>Армения заморозила участие в <a href="https://example.org/csto">ОДКБ</a>.
Հայաստանը սառեցրել է իր մասնակցությունը։ <a href="https://example.org/hidden"
style="display:none">hidden</a> <a href="https://example.org/empty"></a></p>
<div id="cover"></div><a href="https://example.org/covered" style="position:absolute;left:1em;top:1em">covered</a>
</body></html>
"""


def test_dump_dom(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE.replace("</body>", "<script>document.body.dataset.js='ran'</script></body>"),
                    encoding="utf-8")
    dom = browser.dump_dom(page, save_as="harness-dom.html")
    assert '<html lang="ru" dir="ltr">' in dom
    assert "Հայաստանը սառեցրել" in dom and "Друг моего врага" in dom
    assert 'data-js="ran"' in dom
    assert 'data-js="ran"' not in browser.dump_dom(page, javascript=False)
    assert browser.artifact_path("harness-dom.html").read_text(encoding="utf-8") == dom


def test_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    png = browser.screenshot(page, browser.artifact_path("harness-ru.png"), 900, 500)
    assert _png_size(png) == (900, 500)


def test_link_report(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    links = {link["href"]: link for link in browser.link_report(page)}
    assert set(links) == {"https://example.org/csto", "https://example.org/hidden",
                          "https://example.org/empty", "https://example.org/covered"}
    csto = links["https://example.org/csto"]
    assert csto["visible"] and csto["clickable"] and csto["text"] == "ОДКБ"
    assert csto["lang"] == "ru"
    assert not links["https://example.org/hidden"]["visible"]
    assert not links["https://example.org/hidden"]["clickable"]
    assert not links["https://example.org/empty"]["clickable"]
    # Drawn above the cover (later in the document), so clickable; the headline is covered.
    assert links["https://example.org/covered"]["clickable"]
    assert browser.evaluate(page, "document.elementFromPoint(600, 30).id") == "cover"


def test_rtl_page(tmp_path: Path) -> None:
    page = tmp_path / "rtl.html"
    page.write_text('<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
                    "<title>صديق عدوي</title></head><body><h1>صديق عدوي</h1>"
                    '<p>جمدت أرمينيا مشاركتها في <a href="https://example.org/csto">'
                    "منظمة معاهدة الأمن الجماعي</a>.</p></body></html>", encoding="utf-8")
    assert browser.evaluate(page, "getComputedStyle(document.body).direction") == "rtl"
    # In RTL the headline hugs the right edge of the viewport.
    right = browser.evaluate(page, "(() => { const r = document.createRange();"
                             " r.selectNodeContents(document.querySelector('h1'));"
                             " return innerWidth - r.getBoundingClientRect().right; })()")
    assert 0 <= right < 50
    assert [link["clickable"] for link in browser.link_report(page)] == [True]
    browser.screenshot(page, browser.artifact_path("harness-rtl.png"), 900, 400)


def test_browser_errors(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(browser.BrowserError, match="ReferenceError"):
        browser.evaluate(page, "no_such_variable.x")
    with pytest.raises(browser.BrowserError, match="no such file"):
        browser.dump_dom(tmp_path / "missing.html")
