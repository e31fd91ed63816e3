"""newsloc build: bundles, publication policy and markup safety (issue 5, sections 2-4)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import polib
import pytest
from click.testing import CliRunner

from newsloc import bundle, catalog, pofile
from newsloc.bundle import Policy, build_project, sanitize_segment
from newsloc.cli import cli
from newsloc.errors import BuildError, LocaleError, UnsafeMarkupError
from newsloc.project import Project

from build_helpers import fill

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "build"
SLUG = "the-friend-of-my-enemy"
BRIEF = "briefing"


# -- helpers ----------------------------------------------------------------------
def data_translations(name: str) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(DATA / name)) if e.msgid}


def source_links(html: str) -> list[str]:
    return re.findall(r'href="(https?://[^"]+)"', html)


class Page(HTMLParser):
    """The facts of a built page that the tests look at."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.doctype = None
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.balanced = True
        self.text_in: dict[str, str] = {}
        self._capture: list[str] = []
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed elements: {self.stack}"

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)
            if tag in ("title", "h1"):
                self._capture.append(tag)
                self.text_in.setdefault(tag, "")

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if self._capture and self._capture[-1] == tag:
            self._capture.pop()

    def handle_data(self, data):
        for tag in self._capture:
            self.text_in[tag] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def run_cli(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), "build", *args])


@pytest.fixture
def shipped(project_dir: Path) -> Project:
    """The shipped article with the shipped (reviewed) Russian catalog and an empty Armenian one."""
    project = Project(project_dir)
    catalog.extract(project)
    shutil.copy(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po", project.po_path(SLUG, "ru"))
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the shipped Russian edition ---------------------------------------------------------
def test_shipped_russian_edition_builds_and_armenian_is_blocked(shipped):
    report = build_project(shipped, out="dist")
    by_locale = {r.locale: r for r in report.results}
    ru, hy = by_locale["ru"], by_locale["hy"]
    assert ru.built, [str(b) for b in ru.blockers]
    assert not hy.built and {b.check for b in hy.blockers} >= {"untranslated"}
    assert not (shipped.root / "dist" / SLUG / "hy").exists()  # nothing written for a blocked locale
    assert all(b.path.endswith("hy/LC_MESSAGES/the-friend-of-my-enemy.po") and b.line for b in hy.blockers
               if b.check == "untranslated")

    folder = shipped.root / "dist" / SLUG / "ru"
    assert sorted(p.name for p in folder.iterdir()) == [
        "article.txt", "bundle.json", "index.html", f"{SLUG}.mo"]
    po = polib.pofile(str(shipped.po_path(SLUG, "ru")))
    headline = next(e.msgstr for e in po if "Headline of the article" in e.comment)
    html = (folder / "index.html").read_text("utf-8")
    page = Page(html)
    assert page.doctype.lower() == "doctype html"
    assert page.all("html") == [{"lang": "ru", "dir": "ltr"}]
    assert page.all("meta")[0] == {"charset": "utf-8"}
    assert page.text_in["title"] == headline == page.text_in["h1"]
    assert not page.all("script") and "javascript:" not in html
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    source = (shipped.root / "source" / f"{SLUG}.txt").read_text("utf-8")
    hrefs = {a["href"] for a in page.all("a")}
    for target in re.findall(r'href=”([^”]+)”', source):
        assert target in hrefs
    assert {(l["hreflang"], l["href"]) for l in page.all("link") if l.get("rel") == "alternate"} == {
        ("en", "../en/index.html"), ("x-default", "../en/index.html")}
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d+ [а-я]+ \d{4}', html)
    assert ">Русский<" in html and ">English<" in html  # language names from Babel

    text = (folder / "article.txt").read_text("utf-8")
    assert text.splitlines()[0] == headline and "<" not in text
    assert "Пашинян" in text

    mo = polib.mofile(str(folder / f"{SLUG}.mo"))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo} == {
        (e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete}

    manifest = json.loads((folder / "bundle.json").read_text("utf-8"))
    source_path = shipped.root / "source" / f"{SLUG}.txt"
    assert manifest["slug"] == SLUG and manifest["locale"] == "ru"
    assert manifest["language"]["name"] == "русский" and manifest["direction"] == "ltr"
    assert manifest["source"] == {"path": f"source/{SLUG}.txt", "language": "en",
                                  "sha256": hashlib.sha256(source_path.read_bytes()).hexdigest()}
    assert manifest["catalog"]["sha256"] == hashlib.sha256(
        shipped.po_path(SLUG, "ru").read_bytes()).hexdigest()
    entries, words, translated, fuzzy, untranslated = catalog.catalog_counts(po)
    assert manifest["counts"] == {"entries": entries, "translated": translated, "fuzzy": 0,
                                  "untranslated": 0, "words": words, "translated_percent": 100.0}
    assert manifest["translators"] == [po.metadata["Last-Translator"]]
    assert manifest["checks"]["summary"]["critical"] == manifest["checks"]["summary"]["functional"] == 0
    assert manifest["newsloc_version"] == bundle.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["build_time"])
    assert manifest["status"] == "complete"

    index = (shipped.root / "dist" / SLUG / "index.html").read_text("utf-8")
    rows = re.findall(r'<tr data-locale="(\w+)" data-status="(\w+)">', index)
    assert rows == [("en", "source"), ("ru", "complete")]
    assert "100.0%" in index


def test_cli_reports_blocked_locale_and_exits_non_zero(shipped):
    result = run_cli(shipped.root)
    assert result.exit_code == 1
    assert f"{SLUG} ru: built: dist/{SLUG}/ru/index.html" in result.stdout
    assert "1 edition(s) blocked" in result.output
    assert re.search(r"locales/hy/LC_MESSAGES/the-friend-of-my-enemy\.po:\d+: untranslated", result.stderr)

    ok = run_cli(shipped.root, "--locale", "ru", "--zip")
    assert ok.exit_code == 0, ok.output
    archive = shipped.root / "dist" / f"{SLUG}-ru.zip"
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.read("index.html") == (shipped.root / "dist" / SLUG / "ru" / "index.html").read_bytes()


def test_cli_shows_output_paths_relative_to_the_project_when_they_resolve_inside_it(shipped, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    elsewhere = outside / "www"
    result = run_cli(shipped.root, "--locale", "ru", "--zip", "--out", str(elsewhere))
    assert result.exit_code == 0, result.output
    assert f"{SLUG} ru: built: {elsewhere}/{SLUG}/ru/index.html + {elsewhere}/{SLUG}-ru.zip" in result.stdout
    assert f"index: {elsewhere}/{SLUG}/index.html" in result.stdout
    # An output folder reached through a link into the project is shown as the project's.
    (shipped.root / "public").mkdir()
    (outside / "link").symlink_to(shipped.root / "public")
    result = run_cli(shipped.root, "--locale", "ru", "--out", str(outside / "link"))
    assert result.exit_code == 0, result.output
    assert f"{SLUG} ru: built: public/{SLUG}/ru/index.html" in result.stdout
    assert f"index: public/{SLUG}/index.html" in result.stdout


def test_build_is_deterministic_apart_from_build_time(shipped, monkeypatch):
    build_project(shipped, locales=["ru"], out="one", zip=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764500000")
    build_project(shipped, locales=["ru"], out="two", zip=True)
    one, two = tree(shipped.root / "one"), tree(shipped.root / "two")
    assert one.keys() == two.keys()
    differing = sorted(name for name in one if one[name] != two[name])
    assert differing == [f"{SLUG}-en.zip", f"{SLUG}-ru.zip", f"{SLUG}/en/bundle.json", f"{SLUG}/ru/bundle.json"]
    for name in (f"{SLUG}/ru/bundle.json", f"{SLUG}/en/bundle.json"):
        a, b = json.loads(one[name]), json.loads(two[name])
        assert a.pop("build_time") != b.pop("build_time")
        assert a == b
    for name in (f"{SLUG}-ru.zip", f"{SLUG}-en.zip"):
        za, zb = zipfile.ZipFile(io.BytesIO(one[name])), zipfile.ZipFile(io.BytesIO(two[name]))
        assert [(i.filename, i.date_time) for i in za.infolist()] == [(i.filename, i.date_time) for i in zb.infolist()]
        assert [m for m in za.namelist() if za.read(m) != zb.read(m)] == ["bundle.json"]


# -- RTL ---------------------------------------------------------------------------
def test_rtl_arabic_edition(brief):
    fill(brief, BRIEF, "ar", data_translations("ar.po"),
         header={"Last-Translator": "Layla Haddad <layla@example.org>"},
         header_comment="Arabic translation of briefing.html.\nLayla Haddad <layla@example.org>, 2025.\n"
                        "Omar Said <omar@example.org>, 2025.")
    report = build_project(brief, locales=["ar"])
    ar = report.results[0]
    assert ar.built, [str(b) for b in ar.blockers]
    html = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8")
    page = Page(html)
    assert page.all("html") == [{"lang": "ar", "dir": "rtl"}]
    assert page.text_in["h1"] == "استئناف محادثات وقف إطلاق النار في جنيف"
    assert [a["href"] for a in page.all("a") if a["href"].startswith("https")] == [
        "https://example.org/un", "https://example.org/aid"]
    assert {"href": "https://example.org/aid", "title": "Aid agencies"} in page.all("a")
    assert len(page.all("ul")) == 2 and len(page.all("li")) == 2 + 2  # nav list + the article's list
    assert page.all("blockquote") and page.all("h2")
    manifest = json.loads((brief.root / "dist" / BRIEF / "ar" / "bundle.json").read_text("utf-8"))
    assert manifest["direction"] == "rtl" and manifest["language"]["name"] == "العربية"
    assert manifest["translators"] == ["Layla Haddad <layla@example.org>", "Omar Said <omar@example.org>"]


# -- safety --------------------------------------------------------------------------
LINK = '<a href="https://example.org/a?x=1&amp;y=2" title="T">the link</a>'
HOSTILE = {
    "script": f"Текст {LINK}<script>alert(1)</script>",
    "script content kept out": f'{LINK}<SCRIPT src="https://evil.example/x.js"></SCRIPT>',
    "event handler": '<a href="https://example.org/a?x=1&amp;y=2" title="T" onclick="alert(1)">ссылка</a>',
    "javascript url": '<a href="javascript:alert(1)" title="T">ссылка</a>',
    "javascript url, entity-encoded": '<a href="&#106;avascript:alert(1)" title="T">ссылка</a>',
    "iframe": f'{LINK}<iframe src="https://evil.example/"></iframe>',
    "style not in source": '<a href="https://example.org/a?x=1&amp;y=2" title="T" style="color:red">ссылка</a>',
    "href changed": '<a href="https://evil.example/" title="T">ссылка</a>',
    "attribute value changed": '<a href="https://example.org/a?x=1&amp;y=2" title="X">ссылка</a>',
    "tag not in source": f"<b>{LINK}</b>",
    "img onerror": f'{LINK}<img src="x" onerror="alert(1)">',
    "svg": f"{LINK}<svg onload=alert(1)></svg>",
    "comment": f"{LINK}<!-- <script>alert(1)</script> -->",
    "unclosed tag": '<a href="https://example.org/a?x=1&amp;y=2" title="T">ссылка',
    "misnested": '<a href="https://example.org/a?x=1&amp;y=2" title="T"><em>x</a></em>',
    "form": f'{LINK}<form action="https://evil.example/"><input name="p"></form>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_translation_is_rejected_naming_the_entry(name):
    source = f"See <em>this</em> and {LINK}."
    with pytest.raises(UnsafeMarkupError) as caught:
        sanitize_segment(source, HOSTILE[name], "locales/ru/LC_MESSAGES/x.po", 42)
    assert str(caught.value).startswith("locales/ru/LC_MESSAGES/x.po:42: unsafe markup in translation")


@pytest.mark.parametrize("translation, expected", [
    ("Смотрите <em>это</em> и " + LINK + ".", "Смотрите <em>это</em> и " + LINK + "."),
    (LINK + " — и <em>это</em>", LINK + " — и <em>это</em>"),  # reordered, same tags
    ("Без разметки: AT&T, 3 < 4 > 2", "Без разметки: AT&amp;T, 3 &lt; 4 &gt; 2"),
    ("Только текст", "Только текст"),
    ("<em>дважды</em> <em>выделено</em>", "<em>дважды</em> <em>выделено</em>"),
])
def test_translation_with_the_source_markup_is_accepted(translation, expected):
    source = f"See <em>this</em> and {LINK}."
    assert sanitize_segment(source, translation) == expected


def test_plain_source_allows_no_markup_at_all():
    with pytest.raises(UnsafeMarkupError, match="tag <em> is not in the source segment"):
        sanitize_segment("Plain sentence.", "Простое <em>предложение</em>.")


def test_hostile_catalog_is_blocked_entry_by_entry_and_never_reaches_a_page(brief):
    fill(brief, BRIEF, "ar", data_translations("ar.po"))
    po_path = fill(brief, BRIEF, "ru", data_translations("hostile.ru.po"))
    report = build_project(brief, zip=True)
    ar, ru = sorted(report.results, key=lambda r: r.locale)
    assert ar.built and not ru.built
    lines = {e.msgid: e.linenum for e in polib.pofile(str(po_path))}
    unsafe = [b for b in ru.blockers if b.check == "unsafe-markup"]
    assert sorted(b.line for b in unsafe) == sorted(lines[m] for m in data_translations("hostile.ru.po"))
    assert all(b.path == "locales/ru/LC_MESSAGES/briefing.po" for b in unsafe)
    assert all(isinstance(e, UnsafeMarkupError) for e in ru.errors) and len(ru.errors) == 8
    assert {str(e).split(": ")[0] for e in ru.errors} == {
        f"locales/ru/LC_MESSAGES/briefing.po:{lines[m]}" for m in data_translations("hostile.ru.po")}
    dist = brief.root / "dist"
    assert not (dist / BRIEF / "ru").exists() and not (dist / f"{BRIEF}-ru.zip").exists()
    for path, data in tree(dist).items():
        text = data.decode("utf-8", "replace")
        for bad in ("evil.example", "<script", "javascript:", "onerror", "onmouseover", "<iframe", "position:fixed"):
            assert bad not in text, (path, bad)
    ar_page = Page((dist / BRIEF / "ar" / "index.html").read_text("utf-8"))
    assert [l["hreflang"] for l in ar_page.all("link") if l.get("rel") == "alternate"] == ["en", "x-default"]

    result = run_cli(brief.root, "--locale", "ru")
    assert result.exit_code == 1
    assert re.search(r"briefing\.po:\d+: unsafe-markup: unsafe markup in translation: tag <script>", result.stderr)
    assert "on <a> differs from the source segment" in result.stderr


def test_unsafe_source_markup_is_refused_naming_the_source_line(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "bad.txt").write_text(
        'A headline\nFirst paragraph.\nClick <a href="javascript:alert(1)">here</a> now.\n', "utf-8")
    with pytest.raises(UnsafeMarkupError, match=r"source/bad\.txt:3: source segment has an unsafe URL"):
        build_project(Project(tmp_path))


def test_output_paths_stay_inside_the_output_folder(brief, tmp_path):
    out = brief.root / "dist"
    with pytest.raises(BuildError, match="cannot be used as a folder name"):
        bundle.edition_dir(out, "../../etc", "ru")
    with pytest.raises(BuildError):
        bundle.edition_dir(out, "..", "ru")
    with pytest.raises(LocaleError):
        bundle.edition_dir(out, BRIEF, "../../../tmp/x")
    with pytest.raises(LocaleError):
        build_project(brief, locales=["../ru"])
    # A slug folder that is a symlink to somewhere else resolves outside: refused.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / BRIEF).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuildError, match="outside the output folder"):
        build_project(brief, locales=["ar"])
    assert list(elsewhere.iterdir()) == []


# -- publication policy ---------------------------------------------------------------
def _half(brief: Project, fuzzy: bool):
    translations = data_translations("ar.po")
    keep = dict(list(translations.items())[:4])
    return fill(brief, BRIEF, "ar", translations if fuzzy else keep,
                fuzzy=set(list(translations)[4:]) if fuzzy else set())


def test_fuzzy_drafts_block_by_default_and_are_marked_when_allowed(brief):
    po_path = _half(brief, fuzzy=True)
    fuzzy_lines = sorted(e.linenum for e in polib.pofile(str(po_path)) if "fuzzy" in e.flags)
    blocked = build_project(brief, locales=["ar"]).results[0]
    assert not blocked.built
    assert sorted(b.line for b in blocked.blockers if b.check == "fuzzy") == fuzzy_lines
    assert not (brief.root / "dist" / BRIEF / "ar").exists()

    result = run_cli(brief.root, "--locale", "ar", "--allow-drafts")
    assert result.exit_code == 0, result.output
    assert "built (4 draft(s))" in result.stdout
    html = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8")
    assert html.count('<span data-status="draft">') == 4
    assert 'class="notice notice-draft" role="note" lang="en"' in html  # visible notice, marked English
    manifest = json.loads((brief.root / "dist" / BRIEF / "ar" / "bundle.json").read_text("utf-8"))
    assert manifest["status"] == "draft" and manifest["drafts"] == 4 and manifest["counts"]["fuzzy"] == 4
    assert manifest["policy"]["allow_drafts"] is True
    mo = polib.mofile(str(brief.root / "dist" / BRIEF / "ar" / f"{BRIEF}.mo"))
    assert len([e for e in mo if e.msgstr]) == 8  # admitted drafts are compiled (msgfmt --use-fuzzy)


def test_untranslated_falls_back_to_source_when_allowed(brief):
    _half(brief, fuzzy=False)
    blocked = build_project(brief, locales=["ar"]).results[0]
    assert not blocked.built and [b.check for b in blocked.blockers].count("untranslated") == 4

    report = build_project(brief, locales=["ar"], policy=Policy(allow_incomplete=True))
    assert report.results[0].built and report.results[0].fallbacks == 4
    html = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8")
    spans = re.findall(r'<span lang="en" dir="ltr" data-status="untranslated">(.*?)</span>', html)
    assert "An exchange of prisoners." in spans
    assert any('<a href="https://example.org/aid" title="Aid agencies">humanitarian convoys</a>' in s for s in spans)
    assert "notice-incomplete" in html
    assert json.loads((brief.root / "dist" / BRIEF / "ar" / "bundle.json").read_text("utf-8"))["status"] == "incomplete"


def test_unadmitted_drafts_fall_back_to_source_like_po4a(brief):
    po_path = _half(brief, fuzzy=True)  # 4 reviewed, 4 fuzzy
    # A fuzzy draft that breaks a number: it blocks only if it would be published.
    loaded = pofile.load_po(po_path)
    draft = next(e for e in loaded.po if e.msgid == "The next round is planned for 12 March.")
    draft.msgstr = "من المقرر عقد الجولة المقبلة في 13 مارس."
    pofile.save_po(loaded.po, po_path, loaded.stamp)
    shown = build_project(brief, locales=["ar"], policy=Policy(allow_drafts=True)).results[0]
    assert not shown.built and {b.check for b in shown.blockers} == {"numbers"}

    result = build_project(brief, locales=["ar"], policy=Policy(min_translated=50)).results[0]
    assert result.built and (result.fallbacks, result.drafts) == (4, 0)
    html = (brief.root / "dist" / BRIEF / "ar" / "index.html").read_text("utf-8").split("<body")[1]
    assert "13" not in html and "The next round is planned for 12 March." in html
    assert 'data-status="draft"' not in html
    mo = polib.mofile(str(brief.root / "dist" / BRIEF / "ar" / f"{BRIEF}.mo"))
    assert len([e for e in mo if e.msgstr]) == 4  # drafts are not compiled either


def test_min_translated_threshold(brief):
    _half(brief, fuzzy=False)  # 4 of 8 entries: 50 %
    low = build_project(brief, locales=["ar"], policy=Policy(min_translated=60)).results[0]
    assert not low.built and [b.check for b in low.blockers] == ["min-translated"]
    assert "50.0% translated, below the required 60%" in str(low.blockers[0])
    result = run_cli(brief.root, "--locale", "ar", "--min-translated", "50")
    assert result.exit_code == 0, result.output
    assert "4 in source language" in result.stdout


def test_missing_catalog_blocks_only_that_locale(brief):
    brief.po_path(BRIEF, "ru").unlink()
    fill(brief, BRIEF, "ar", data_translations("ar.po"))
    report = build_project(brief)
    by_locale = {r.locale: r for r in report.results}
    assert by_locale["ar"].built
    assert [b.check for b in by_locale["ru"].blockers] == ["no-catalog"]


def test_alternates_link_every_built_edition(brief):
    fill(brief, BRIEF, "ar", data_translations("ar.po"))
    build_project(brief, locales=["ar"], policy=Policy(allow_incomplete=True))
    report = build_project(brief, policy=Policy(allow_incomplete=True))
    assert [r.locale for r in report.built] == ["ar", "ru"]
    for lang, others in (("ar", {"en", "ru"}), ("ru", {"en", "ar"}), ("en", {"ar", "ru"})):
        page = Page((brief.root / "dist" / BRIEF / lang / "index.html").read_text("utf-8"))
        alternates = {l["hreflang"]: l["href"] for l in page.all("link") if l.get("rel") == "alternate"}
        assert alternates == {**{o: f"../{o}/index.html" for o in others}, "x-default": "../en/index.html"}
    index = (brief.root / "dist" / BRIEF / "index.html").read_text("utf-8")
    assert re.findall(r'<tr data-locale="(\w+)" data-status="(\w+)">', index) == [
        ("en", "source"), ("ar", "complete"), ("ru", "incomplete")]
    assert "0.0% (0/8)" in index


def _conforming(pages: list[Path]) -> None:
    """No HTML5 parse error (html5lib, strict mode raises on the first one)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in pages:
        document = parser.parse(page.read_bytes())
        assert document.find("head/title") is not None and document.find("head/meta").get("charset") == "utf-8"


def test_built_pages_are_conforming_html5_with_drafts_fallbacks_and_rtl(brief):
    fill(brief, BRIEF, "ar", data_translations("ar.po"))
    fill(brief, BRIEF, "ru", {"Ceasefire talks resume in Geneva": "Переговоры о перемирии возобновились в Женеве",
                              "The talks are <em>expected</em> to last three days.":
                                  "Переговоры, <em>как ожидается</em>, продлятся три дня."},
         fuzzy={"Ceasefire talks resume in Geneva"})
    assert build_project(brief, policy=Policy(allow_drafts=True, allow_incomplete=True)).ok
    pages = sorted((brief.root / "dist").rglob("*.html"))
    assert len(pages) == 4  # en, ar, ru and the edition index
    _conforming(pages)


def test_shipped_russian_page_is_conforming_html5(shipped):
    assert build_project(shipped, locales=["ru"]).ok
    pages = sorted((shipped.root / "dist").rglob("*.html"))
    assert len(pages) == 3
    _conforming(pages)


def test_manifest_json_is_the_standard_librarys_indented_sorted_json():
    """bundle.json is written with orjson; its bytes are json.dumps(indent=2, sort_keys=True)'s.

    (The two differ only in floats under 1e-4, written 1e-05 vs 1e-5; a manifest's only floats are
    percentages rounded to one decimal.)
    """
    import json

    from newsloc.bundle import _json

    manifest = {"slug": "a", "locale": "ru", "language": {"name": "русский", "tag": "ru"},
                "counts": {"translated_percent": 87.5, "words": 0}, "checks": None, "empty": [],
                "nested": [{"b": 1, "a": "«кавычки» \"q\" \\ \n\t"}, {}], "flag": True,
                "armenian": "Հայերեն", "arabic": "العربية", "big": 10**15, "percent": [0.0, 0.1, 33.3, 99.9, 100.0]}
    assert _json(manifest) == (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                               + "\n").encode("utf-8")


def test_template_that_is_not_utf8_is_an_error_naming_it(shipped):
    pot = shipped.pot_path(SLUG)
    pot.write_bytes(b"\xff" + pot.read_bytes())
    result = run_cli(shipped.root, "--locale", "ru")
    assert result.exit_code == 1
    assert result.stderr == f"Error: locales/{SLUG}.pot:1: not valid UTF-8 at byte offset 0\n"
    assert not (shipped.root / "dist" / SLUG).exists()
