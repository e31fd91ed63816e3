"""Elements of an .html article that newsloc does not keep as such: table cells and the parts
of a definition list become paragraphs of their own, other dropped elements that a browser
shows as a box (images, form controls, block-level containers) keep the words on either side
apart, dropped inline formatting joins as before; <sup> and <sub> are inline markup; a
paragraph newsloc made itself is never reported as "left open"; and every warning names a
line of the file."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from newsloc import articles, catalog
from newsloc.articles import parse_article
from newsloc.bundle import Policy, build_project
from newsloc.project import Project
from newsloc.segment import segment_article

QA = ('<html lang="en"><body>\n<h1>Results</h1>\n'
      '<table><tr><th>Party</th><th>Share</th></tr><tr><td>Civil Contract</td><td>53.9%</td></tr></table>\n'
      '<p>Output grew to 10<sup>6</sup> units.</p>\n'
      '<p>An image<img src="x.png" alt="A chart">and text. A<br>line.</p>\n'
      '<dl><dt>Term</dt><dd>Definition.</dd></dl>\n'
      '</body></html>\n')


def _read(text: str, name: str = "source/a.html"):
    return segment_article(parse_article(Path(name), text))


def _blocks(article) -> list[tuple[str, list[str]]]:
    return [(b.tag, [s.text for s in b.segments]) for b in article.blocks]


def _warnings(article) -> list[str]:
    return [str(r) for r in article.repairs]


def _build(tmp_path: Path, text: str, name: str = "a.html") -> str:
    """The <article> element of the built source-language page."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / name).write_text(text, encoding="utf-8")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    project = Project(tmp_path)
    catalog.extract(project)
    assert build_project(project, policy=Policy(allow_incomplete=True)).ok
    page = tmp_path / "dist" / name.split(".")[0] / "en" / "index.html"
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.read_bytes())
    article = re.search(r"<article>.*</article>", page.read_text(encoding="utf-8"), re.DOTALL).group(0)
    return re.sub(r'<p class="dateline">.*?</p>\n', "", article)


# -- 2. <sup> and <sub> ---------------------------------------------------------------------------
def test_sup_and_sub_are_kept_in_msgids_and_on_the_page(tmp_path):
    text = "<h1>H<sub>2</sub>O</h1>\n<p>Output grew to 10<sup>6</sup> units.</p>\n"
    article = _read(text)
    assert [s.text for b in article.all_blocks() for s in b.segments] == [
        "H<sub>2</sub>O", "Output grew to 10<sup>6</sup> units."]
    assert _warnings(article) == []
    body = _build(tmp_path, text)
    assert body == "<article>\n<h1>H<sub>2</sub>O</h1>\n<p>Output grew to 10<sup>6</sup> units.</p>\n</article>"


# -- 3. no false "left open"; warnings name a line that exists -----------------------------------
def test_a_paragraph_newsloc_made_is_not_reported_left_open():
    article = _read("<h1>H</h1>\nLoose text.\n<p>Next.</p>\nMore loose text.")
    assert _blocks(article) == [("p", ["Loose text."]), ("p", ["Next."]), ("p", ["More loose text."])]
    assert _warnings(article) == [
        "source/a.html:2: warning: text outside any block element was made a paragraph",
        "source/a.html:4: warning: text outside any block element was made a paragraph",
    ]


def test_a_source_paragraph_left_open_is_still_reported():
    article = _read("<h1>H</h1>\n<p>Open.\n<p>Next.</p>")
    assert _warnings(article) == ["source/a.html:3: warning: closed <p> left open before the next block"]


def test_warnings_at_the_end_of_the_file_name_a_line_of_it():
    text = "<html><body>\n<h1>H</h1>\n<p>Open\n<em>paragraph.\n</body>\n</html>\n"
    article = _read(text)
    assert _blocks(article) == [("p", ["Open <em>paragraph.</em>"])]
    assert _warnings(article) == [
        "source/a.html:3: warning: closed <p> left open at the end of the file",
        "source/a.html:4: warning: closed <em> left open, at the end of its paragraph",
    ]
    lines = len(text.splitlines())
    assert all(r.line <= lines for r in article.repairs)
