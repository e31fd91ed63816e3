"""Segmentation of marked-up paragraphs into sentence segments."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloc.articles import decode_article, parse_article
from newsloc.segment import segment_article

SHIPPED_ARTICLE = Path(__file__).resolve().parent.parent / "source" / "the-friend-of-my-enemy.txt"

A1 = ('<a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" '
      'style="text-decoration: underline !important;">')
A2 = ('<a href="https://www.europeancorrespondent.com/r/french-radars-to-protect-armenian-skies" '
      'style="text-decoration: underline !important;">')

# The shipped article, cut as a careful editor would: one entry per sentence,
# quotations kept with the sentence they end, links split at sentence ends.
SHIPPED_SEGMENTS = [
    (1, "The friend of my enemy is my ally"),
    (2, "At least two countries of the Moscow-led military alliance, that Armenia is a part of, have "
        "”participated in the war preparation” against Armenia in 2020, according to the country’s "
        "Prime Minister Nikol Pashinyan."),
    (2, "He did not clarify which countries he meant, but the statement came a day after the Belarusian "
        "leader Alexander Lukashenka announced in Azerbaijan that before the start of the 2020 "
        "Armenian-Azerbaijani war over Nagorno-Karabakh, he discussed potential military actions with "
        "Azerbaijani president Aliyev, concluding ”that victory could be achieved in war.”"),
    (2, "The second country that Pashinyan referred to is most likely Russia."),
    (2, "Russia has not commented on the statement but, with relations between the two nations "
        "deteriorating, summoned its ambassador to Armenia for ”periodical” consultations."),
    (3, "Armenia, along with Belarus, Russia and three Central Asian states, is a member of the Collective "
        "Security Treaty Organisation (CSTO), which it joined following the collapse of the Soviet Union."),
    (3, "However, over time, Armenia has often found itself isolated and betrayed by the predominantly "
        "authoritarian alliance."),
    (4, "Recent warm-hearted photos of the Belarusian and Azerbaijani leaders in Nagorno-Karabakh have "
        "reopened fresh wounds in Armenia, provoking further discussion about Armenia’s troubled membership "
        "in CSTO."),
    (4, "Lukashenka brought tractors as gifts for cities that Azerbaijan took control of following the 2020 "
        "Nagorno-Karabakh war and Aliyev gave him a tour of the region, which was mostly emptied after the "
        "2023 mass exodus of ethnic Armenians."),
    (4, "Both strongmen have cracked down on dissent and freedom within their countries while strengthening "
        "their international support within the authoritarian club."),
    (5, "Belarus was the second-largest arms supplier to Azerbaijan after Israel, accounting for about 7.1% "
        "of its arms imports between 2011 and 2020."),
    (5, "During his recent visit, Lukashenka expressed his readiness to support Azerbaijan with equipment, "
        "agro-town construction, job creation, and certain technologies to rebuild the Karabakh region."),
    (6, "Yerevan, which has little to nothing in common with its military alliance partners, has long been "
        "dependent on the CSTO during its conflict with neighbouring Azerbaijan."),
    (6, "However, since the allies failed to issue even political condemnation following Azerbaijan’s "
        "invasion of its sovereign territory, relations with the CSTO have deteriorated."),
    (6, f"Armenia has {A1}continuously boycotted several high-level meetings, military exercises, and other "
        "CSTO activities and recently stopped making financial contributions to the organisation.</a>"),
    (6, f"{A1}In recent years, Armenia has attempted to </a>{A2}diversify its security partners.</a>"),
    (6, f"{A2}However, with potential for a new escalation growing in the region, it has to play its cards "
        "carefully.</a>"),
]


# the two links of paragraph 6, as warnings name them (by the end of their target)
WEST = '<a href="…ondent.com/r/armenia-pivots-to-the-west">'
RADARS = '<a href="…french-radars-to-protect-armenian-skies">'


def read(path: Path, text: str | None = None):
    text = text if text is not None else decode_article(path, path.read_bytes())
    return segment_article(parse_article(path, text))


def test_shipped_article_is_cut_sentence_by_sentence():
    article = read(SHIPPED_ARTICLE)
    got = [(seg.line, seg.text) for seg in article.segments()]
    assert got == SHIPPED_SEGMENTS


def test_shipped_article_repairs_are_reported():
    article = read(SHIPPED_ARTICLE)
    assert [str(r).split(": ", 1)[1] for r in article.repairs] == [
        f"warning: re-quoted attribute values of {WEST} written in typographic quotes",
        f"warning: re-quoted attribute values of {RADARS} written in typographic quotes",
        f"warning: closed {WEST} where another <a> opened inside it",
        f"warning: closed {RADARS} left open, at the end of its paragraph",
        f"warning: split {WEST} at a sentence boundary into one element per sentence",
        f"warning: split {RADARS} at a sentence boundary into one element per sentence",
    ]
    assert all(str(r).startswith(str(SHIPPED_ARTICLE) + ":6: ") for r in article.repairs)


def test_stray_closing_tags_are_dropped_and_reported(tmp_path):
    path = tmp_path / "a.txt"
    article = read(path, "Headline\nOne </em>sentence <b>here.</b></i> Two.\n")
    assert [s.text for s in article.segments()] == ["Headline", "One sentence <b>here.</b>", "Two."]
    assert [r.message for r in article.repairs] == [
        "dropped stray closing tag </em>",
        "dropped stray closing tag </i>",
    ]



@pytest.mark.parametrize(("line", "segments"), [
    ("Talks ended <!-- note --> today. Both agreed.", ["Talks ended today.", "Both agreed."]),
    ("Talks ended<!-- note --> today.", ["Talks ended today."]),
    ("Talks ended <!-- a --> <!-- b --> today.", ["Talks ended today."]),
    ("Talks ended <script>alert(1)</script> today.", ["Talks ended today."]),
    ("Talks <b>ended <!-- note --> today</b>.", ["Talks <b>ended today</b>."]),
    ("Talks <blink>ended</blink> today.", ["Talks ended today."]),
    ("Talks </em> ended.", ["Talks ended."]),
    ("Talks <?php x ?> ended <![CDATA[x]]> today.", ["Talks ended today."]),
    # the author's own spacing is kept: only the seam left by dropped markup closes
    ("Talks  ended <!-- note --> today.", ["Talks  ended today."]),
    ("Talks ended<br> <!-- note --> today.", ["Talks ended<br> today."]),
])
def test_dropped_markup_in_a_txt_line_leaves_one_space(tmp_path, line, segments):
    article = read(tmp_path / "a.txt", f"Headline\n{line}\n")
    assert [s.text for s in article.blocks[0].segments] == segments

def test_element_spanning_sentences_is_split_with_same_attributes(tmp_path):
    article = read(tmp_path / "a.txt", 'H\nWe <em class="x">agree. They</em> do not.\n')
    block = article.blocks[0]
    assert [s.text for s in block.segments] == ['We <em class="x">agree.</em>', '<em class="x">They</em> do not.']
    assert block.separators == [" "]


def test_br_is_kept_in_the_separator_or_segment(tmp_path):
    article = read(tmp_path / "a.txt", "H\nThe talks ended.<br>Both sides agreed.\n")
    block = article.blocks[0]
    assert block.join() == "The talks ended.<br>Both sides agreed."


def test_html_article_blocks(tmp_path):
    text = (
        '<!DOCTYPE html><html lang="en"><head><title>ignored</title></head><body>\n'
        "<h1>Big <em>news</em></h1>\n"
        "<p>First paragraph. Second sentence.</p>\n"
        "<h2>Sub heading</h2>\n"
        "<ul><li>Item one.</li><li>Item two.</li></ul>\n"
        "<blockquote>Quoted words.</blockquote>\n"
        "<script>alert(1)</script>\n"
        "</body></html>\n"
    )
    article = read(tmp_path / "story.html", text)
    assert article.headline.segments[0].text == "Big <em>news</em>"
    assert [(b.tag, b.line, [s.text for s in b.segments]) for b in article.blocks] == [
        ("p", 3, ["First paragraph.", "Second sentence."]),
        ("h2", 4, ["Sub heading"]),
        ("li", 5, ["Item one."]),
        ("li", 5, ["Item two."]),
        ("blockquote", 6, ["Quoted words."]),
    ]
    assert [r.message for r in article.repairs] == ["dropped <script> and its content"]


def test_source_language_from_file_name_and_html_lang(tmp_path):
    assert read(tmp_path / "story.ru.txt", "Заголовок\nПервое. Второе.\n").source_lang == "ru"
    assert read(tmp_path / "story.txt", "Headline\nText.\n").source_lang == "en"
    page = '<html lang="hy"><body><h1>Վերնագիր</h1><p>Տեքստ։</p></body></html>'
    assert read(tmp_path / "story.html", page).source_lang == "hy"


# -- properties ---------------------------------------------------------------
WORDS = st.sampled_from(
    ["Armenia", "said", "the", "CSTO", "Mr.", "U.S.", "7.1%", "2020", "”quoted”", "(a)", "e.g.", "Jan.", "5",
     "war", "Pashinyan", "x&y", "a<b", "…", "—"]
)
ENDS = st.sampled_from([".", "?", "!", ".”", "", "..."])
TAGS = st.sampled_from([("em", ""), ("strong", ""), ("a", ' href="https://example.com/x?a=1&amp;b=2"'), ("span", ' class="k"')])


@st.composite
def marked_up_paragraph(draw):
    """A paragraph of sentences with random (well-formed) inline markup; returns (html, plain)."""
    sentences = draw(st.lists(st.lists(WORDS, min_size=1, max_size=8), min_size=1, max_size=5))
    tokens = []
    for words in sentences:
        sentence = " ".join(words) + draw(ENDS)
        tokens.extend(sentence.split(" "))
    html_parts, plain_parts = [], []
    i = 0
    while i < len(tokens):
        span = draw(st.integers(min_value=1, max_value=4))
        chunk = " ".join(tokens[i:i + span])
        escaped = html.escape(chunk, quote=False)
        if draw(st.booleans()):
            tag, attrs = draw(TAGS)
            html_parts.append(f"<{tag}{attrs}>{escaped}</{tag}>")
        else:
            html_parts.append(escaped)
        plain_parts.append(chunk)
        i += span
    return " ".join(html_parts), " ".join(plain_parts)


def strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@settings(max_examples=150, deadline=None)
@given(marked_up_paragraph())
def test_segmentation_is_lossless_and_markup_never_splits(tmp_path_factory, case):
    markup, plain = case
    path = Path("prop.txt")
    article = read(path, "Headline\n" + markup + "\n")
    plain_article = read(path, "Headline\n" + html.escape(plain, quote=False) + "\n")
    block = article.blocks[0]
    # Joining segments with their separators gives the paragraph back (as text).
    assert strip_tags(block.join()) == plain.strip()
    # Inline markup never causes a split: the cut is the one of the bare text.
    assert [strip_tags(s.text) for s in block.segments] == [s.text and strip_tags(s.text) for s in plain_article.blocks[0].segments]
    # Every segment is well-formed on its own: its tags balance.
    for seg in block.segments:
        opened = re.findall(r"<([a-z]+)[ >]", seg.text)
        closed = re.findall(r"</([a-z]+)>", seg.text)
        assert sorted(opened) == sorted(closed)


def test_a_line_ends_at_lf_crlf_or_cr_only(tmp_path):
    # not at a form feed or U+2028, which splitlines() takes for line ends: in a .txt article
    # they made a paragraph of their own, in an .html one they moved later sentences down
    txt = read(tmp_path / "a.txt", "H\nOne\u2028two.\fThree.\r\nFour.\rFive.\n")
    assert [(s.line, s.text) for b in txt.blocks for s in b.segments] == [
        (2, "One\u2028two."), (2, "Three."), (3, "Four."), (4, "Five.")]
    html = read(tmp_path / "a.html", "<h1>H</h1>\n<p>One\u2028two.\nThree\x0c four.</p>\n<p>Five.</p>\n")
    assert [(s.line, s.text) for b in html.blocks for s in b.segments] == [
        (2, "One\u2028two."), (3, "Three four."), (4, "Five.")]
