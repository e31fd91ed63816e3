"""Every input tokenizes: a stray '<![' is a bogus comment (as in HTML), never a crash."""

from __future__ import annotations

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc import bundle, check
from newsloc.errors import UnsafeMarkupError
from newsloc.glossary import plain_text
from newsloc.htmlparse import HTMLParser
from newsloc.project import Project

ODD = ["<![A: x", "<![ x> y", "<![", "<![1>", "<![CDATA[x]]>", "<![if x", "<![-->"]


class Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_data(self, data):
        self.events.append(("data", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def unknown_decl(self, data):
        self.events.append(("decl", data))


def events(text: str) -> list:
    parser = Events()
    parser.feed(text)
    parser.close()
    return parser.events


def test_unknown_marked_section_is_a_bogus_comment():
    assert events("a <![A: b> c") == [("data", "a "), ("comment", "[A: b"), ("data", " c")]
    assert "".join(d for _, d in events("a <![ b")) == "a <![ b"  # unterminated: text, as before
    assert events("<![CDATA[x]]>") == [("decl", "CDATA[x")]  # known sections as the library reads them


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("<![!-A:>/ a=\"'?&#;b") + ["<![", "<!--", "-->", "CDATA["]), max_size=16))
def test_any_text_tokenizes(pieces):
    events("".join(pieces))


@pytest.mark.parametrize("odd", ODD)
def test_checks_sanitiser_and_glossary_survive_odd_markup(odd):
    entry = polib.POEntry(msgid="Hello <b>world</b>.", msgstr=f"Привет {odd} <b>мир</b>.")
    assert any(f.check == "markup" for f in check.check_entry(entry, "ru"))
    check.check_entry(polib.POEntry(msgid=f"Hello {odd} world.", msgstr="Привет мир."), "ru")
    bundle.text_of(f"a {odd}")
    plain_text(f"a {odd}")
    with pytest.raises(UnsafeMarkupError):
        bundle.sanitize_segment("Hello <b>world</b>.", f"Hi {odd} <b>x</b>.")


def test_article_with_a_bogus_marked_section_warns_and_drops_it(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.html").write_text(
        "<h1>Headline</h1>\n<p>First <![ aside > here. Second.</p>\n", "utf-8")
    article = Project(tmp_path).read_article(tmp_path / "source" / "a.html")
    assert [s.text for s in article.segments()] == ["Headline", "First here.", "Second."]
    assert [(r.line, r.message) for r in article.repairs] == [
        (2, "dropped '<![ aside >': not HTML, read as a comment (as browsers do)")]
