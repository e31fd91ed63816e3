"""newsloc.powrap must print PO files byte for byte as GNU msgcat does.

Every test formats a polib catalog with :func:`format_po`, runs the real
``msgcat`` on the result and demands identical bytes (msgcat is a fixed point
of our output).  A second property: msgcat applied to polib's *own* output of
the same catalog gives exactly our output, i.e. we agree with gettext on the
content, not only on the layout.

Sample texts: paragraphs of the project article (source/the-friend-of-my-enemy.txt)
and short Russian/Armenian sentences from the pySBD, razdel and sentencex test
suites (all MIT licensed).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloc import powrap
from newsloc.powrap import format_entry, format_po, wrap_field

MSGCAT = shutil.which("msgcat") or "/usr/bin/msgcat"

ARTICLE = [
    "The friend of my enemy is my ally",
    "At least two countries of the Moscow-led military alliance, that Armenia is a part of, have ”participated "
    "in the war preparation” against Armenia in 2020, according to the country’s Prime Minister Nikol Pashinyan.",
    "He did not clarify which countries he meant, but the statement came a day after the Belarusian leader "
    "Alexander Lukashenka announced in Azerbaijan that before the start of the 2020 Armenian-Azerbaijani war "
    'over Nagorno-Karabakh, he discussed potential military actions with Azerbaijani president Aliyev, concluding '
    '"that victory could be achieved in war." The second country that Pashinyan referred to is most likely Russia.',
    "Russia has not commented on the statement but, with relations between the two nations deteriorating, "
    "summoned its ambassador to Armenia for ”periodical” consultations.",
    "In recent years, Armenia has attempted to <a "
    'href="https://www.europeancorrespondent.com/r/french-radars-to-protect-armenian-skies" '
    'style="text-decoration: underline !important;">diversify its security partners.</a>',
    "Russia is the largest arms supplier to Azerbaijan after Israel, accounting for about 7.1% of its arms "
    "imports between 2011 and 2020.",
]
RUSSIAN = [
    "Маленькая девочка бежала и кричала: «Не видали маму?».",
    "«Я приду поздно»,  — сказал Андрей.",
    "(Прилепин — очень хороший писатель, лучше, чем Лимонов. Но враг)",
    "Армяно-азербайджанской войны за Нагорный Карабах он обсуждал возможные военные действия с президентом "
    "Азербайджана Алиевым",
    "Объем составляет 5 куб.м.",
]
ARMENIAN = [
    "Ի՞նչ ես մտածում: Ոչինչ:",
    "Ապրիլի 24-ին սկսեց անձրևել...Այդպես էի գիտեի:",
    "Այսպիսով` մոտենում ենք ավարտին: Տրամաբանությյունը հետևյալն է. պարզություն և աշխատանք:",
    "Սա այն փուլն է, երբ տեղի է ունենում Համակարգի մշակումը: Համաձայն Փուլ 2-ի, Մատակարարը մշակում և/կամ "
    "հարմարեցնում է համապատասխան ծրագիրը",
]
LINK = (
    '<a href="https://www.europeancorrespondent.com/r/armenia-pivots-to-the-west" '
    'style="text-decoration: underline !important;">'
)
LONG_URL = "https://www.europeancorrespondent.com/r/" + "armenia" * 15
SAMPLES = ARTICLE + RUSSIAN + ARMENIAN + [LINK + "Armenia pivots to the west</a>", LONG_URL]


def new_po() -> polib.POFile:
    po = polib.POFile()
    po.header = "Translation of the-friend-of-my-enemy\n\nnewsloc"
    po.metadata = {
        "Project-Id-Version": "newsloc",
        "Language": "ru",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def msgcat(text: str, tmp_path: Path) -> str:
    # --force-po: without it msgcat writes nothing at all for a header-only catalog.
    path = tmp_path / "in.po"
    path.write_bytes(text.encode("utf-8"))
    done = subprocess.run([MSGCAT, "--force-po", str(path)], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def polib_text(po: polib.POFile) -> str:
    """polib's own serialisation, without its comment wrapping.

    polib splits long ``#.`` comments into several comment lines (a content
    change, not a layout one), so compare content with wrapping disabled.
    """
    po.wrapwidth = 10**6
    try:
        return str(po)
    finally:
        po.wrapwidth = 78


def assert_fixed_point(po: polib.POFile, tmp_path: Path) -> str:
    ours = format_po(po)
    assert msgcat(ours, tmp_path) == ours
    return ours


def test_backend_is_libunistring_where_msgcat_is():
    # msgcat links libunistring dynamically, so where msgcat runs we can use the same library.
    assert powrap.BACKEND == "libunistring"


def test_article_sentences_and_paragraphs(tmp_path):
    po = new_po()
    for n, text in enumerate(SAMPLES):
        po.append(
            polib.POEntry(
                msgid=text,
                msgstr=RUSSIAN[n % len(RUSSIAN)] * (1 + n % 3),
                occurrences=[("source/the-friend-of-my-enemy.txt", str(n + 1))],
                comment="Glossary: CSTO → ОДКБ (organisation)",
            )
        )
    out = assert_fixed_point(po, tmp_path)
    assert '"a part of, have' in out  # wrapped like gettext, not like textwrap


def test_polib_wraps_differently_but_msgcat_agrees_with_us(tmp_path):
    po = new_po()
    for text in SAMPLES:
        po.append(polib.POEntry(msgid=text, msgstr=""))
    assert str(po) != format_po(po)
    assert msgcat(str(po), tmp_path) == format_po(po)


@pytest.mark.parametrize(
    "entry",
    [
        polib.POEntry(msgid="Line one\nline two " + LINK + "x</a>", msgstr="a\nb\n"),
        polib.POEntry(msgid="ends with newline " * 5 + "\n", msgstr="x" * 70 + "\n"),
        polib.POEntry(msgid="\n", msgstr="\n\n"),
        polib.POEntry(msgid='tab\there "quoted" back\\slash ' * 4, msgstr="\\" * 100),
        polib.POEntry(msgid="bell\a vt\v ff\f bs\b cr\r end", msgstr=""),
        polib.POEntry(msgid=LONG_URL, msgstr=LONG_URL + " " + LONG_URL),
        polib.POEntry(msgid="x" * 71, msgstr="y" * 72),  # exact column boundaries
        polib.POEntry(msgid="x" * 70 + " abc", msgstr="y" * 71 + " abc"),
        polib.POEntry(msgctxt="headline\nof " + ARTICLE[1], msgid=ARTICLE[0], msgstr=""),
        polib.POEntry(msgctxt="", msgid="empty context", msgstr=""),
        polib.POEntry(
            msgid=ARTICLE[2],
            msgstr=RUSSIAN[3],
            flags=["fuzzy"],
            previous_msgctxt="old context " * 8,
            previous_msgid=ARTICLE[3],
            tcomment="newsloc-mt: argos translate-en_ru 1.9 2024-05-01\nnewsloc-mt: sha256 abcdef",
        ),
        polib.POEntry(msgid="flags", msgstr="", flags=["no-c-format", "python-format", "fuzzy", "unknown-flag"]),
        polib.POEntry(msgid="no wrap " * 20, msgstr="kein Umbruch " * 12, flags=["no-wrap"], previous_msgid="p " * 60),
        polib.POEntry(msgid="%(count)d of %s items, 7.1% of " * 4, msgstr="%% " * 40, flags=["python-format"]),
        polib.POEntry(
            msgid="many references",
            msgstr="",
            occurrences=[("source/the-friend-of-my-enemy.txt", str(i)) for i in range(1, 40)]
            + [("./source/other.txt", ""), ("source/the-friend-of-my-enemy.txt", "3"), ("x" * 90 + ".txt", "1")],
        ),
        polib.POEntry(msgid="long extracted comment", msgstr="", comment=("word " * 40 + "\n") * 2 + "\nend"),
        polib.POEntry(msgid="translator comment", msgstr="", tcomment="  indented\n\n# hash"),
        polib.POEntry(msgid="apple", msgid_plural="apples " * 15, msgstr_plural={0: "яблоко", 1: "яблока " * 12, 2: ""}),
        polib.POEntry(msgid=ARTICLE[3], msgstr=RUSSIAN[3], obsolete=True, previous_msgid=ARTICLE[2], tcomment="old"),
        polib.POEntry(msgid=ARTICLE[4], msgstr=RUSSIAN[0], obsolete=True, flags=["fuzzy"], msgctxt="obs ctx " * 12),
        polib.POEntry(msgid="obsolete and untranslated", msgstr="", obsolete=True),
    ],
    ids=lambda e: e.msgid[:20],
)
def test_explicit_cases(entry, tmp_path):
    po = new_po()
    po.append(polib.POEntry(msgid="before", msgstr="до"))
    po.append(entry)
    po.append(polib.POEntry(msgid="after", msgstr="после"))
    assert_fixed_point(po, tmp_path)
    assert msgcat(polib_text(po), tmp_path) == format_po(po)


def test_obsolete_entries_go_last_and_untranslated_ones_are_dropped(tmp_path):
    po = new_po()
    po.append(polib.POEntry(msgid="gone", msgstr="ушёл", obsolete=True))
    po.append(polib.POEntry(msgid="gone, untranslated", msgstr="", obsolete=True))
    po.append(polib.POEntry(msgid="live", msgstr=""))
    out = assert_fixed_point(po, tmp_path)
    assert out.endswith('msgid "live"\nmsgstr ""\n\n#~ msgid "gone"\n#~ msgstr "ушёл"\n')


def test_header_only_and_fuzzy_header(tmp_path):
    po = new_po()
    po.metadata_is_fuzzy = ["fuzzy"]
    out = format_po(po)
    assert out.startswith("# Translation of the-friend-of-my-enemy\n#\n# newsloc\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n")
    assert_fixed_point(po, tmp_path)


def test_wrap_field_first_line_rules():
    assert wrap_field("msgid", "short") == ['msgid "short"']
    assert wrap_field("msgid", "") == ['msgid ""']
    assert wrap_field("msgid", "one\n") == ['msgid "one\\n"']
    assert wrap_field("msgid", "one\ntwo") == ['msgid ""', '"one\\n"', '"two"']
    assert wrap_field("msgid", "a " * 40, prefix="#~ ")[0] == '#~ msgid ""'
    for line in wrap_field("msgstr", ARTICLE[2]):
        assert len(line) <= 79


def test_format_entry_comment_order():
    entry = polib.POEntry(
        msgid="m",
        msgstr="s",
        tcomment="t",
        comment="e",
        occurrences=[("f.txt", "1")],
        flags=["fuzzy"],
        previous_msgid="p",
        msgctxt="c",
    )
    assert format_entry(entry) == '# t\n#. e\n#: f.txt:1\n#, fuzzy\n#| msgid "p"\nmsgctxt "c"\nmsgid "m"\nmsgstr "s"\n'


def test_python_fallback_matches_msgcat_on_plain_words(tmp_path, monkeypatch):
    # The fallback only knows break-after-space; on plain words that is exactly UAX #14.
    monkeypatch.setattr(powrap, "_u8_width_linebreaks", None)
    po = new_po()
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho".split()
    for n in range(60):
        text = " ".join(words[(n * k) % len(words)] for k in range(n % 37 + 1)) + "  end" * (n % 3)
        po.append(polib.POEntry(msgid=f"{n} {text}", msgstr=text.upper(), obsolete=n % 5 == 0))
    assert_fixed_point(po, tmp_path)


# ---------------------------------------------------------------- properties

ALPHABET = st.sampled_from(
    list("abcdefghij klmnop  XYZ0123456789.,;:!?-/()'%")
    + list('"\\\t\n')
    + list("абвгдежзийклмнопрстуфхцчшщыэюяАБВ—«»")
    + list("աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ։՞")
    + ["\u00a0", "’", "”", "…", "中", "文", "é"]
)
TEXT = st.one_of(
    st.text(ALPHABET, max_size=200),
    st.sampled_from(SAMPLES),
    st.builds(
        lambda a, b, sep: a + sep + b,
        st.sampled_from(SAMPLES),
        st.sampled_from(SAMPLES + [LINK, LONG_URL, "a\\b", '"q"', "\n"]),
        st.sampled_from([" ", "\n", "\t", "", " " + LINK, "\\n", "-"]),
    ),
    st.builds(lambda s, k: "x" * k + " " + s, st.sampled_from(SAMPLES), st.integers(0, 80)),
)
FLAGS = st.lists(st.sampled_from(["fuzzy", "python-format", "no-wrap", "wrap", "no-c-format", "range: 0..9", "range: 5..1"]), max_size=3, unique=True)


@st.composite
def entries(draw, n: int):
    msgid = draw(TEXT)
    kwargs = dict(
        msgid=f"{n} {msgid}",  # unique msgids: msgcat would merge duplicates
        msgstr=draw(TEXT),
        flags=draw(FLAGS),
        occurrences=[
            ("source/the-friend-of-my-enemy.txt", str(i))
            for i in range(1, draw(st.integers(0, 30)) + 1)
        ],
        comment=draw(st.sampled_from(["", "Headline of the article", "Glossary: CSTO → ОДКБ (organisation)"]))
        + draw(st.sampled_from(["", "\n" + "long extracted comment " * 6])),
        tcomment=draw(st.sampled_from(["", "newsloc-mt: argos 1.9\nnewsloc-mt: sha256 0123", "translator\n\nnote"])),
        obsolete=draw(st.booleans()) and n % 3 == 0,
    )
    if draw(st.booleans()):
        kwargs["msgctxt"] = draw(TEXT)
    if draw(st.booleans()):
        kwargs["previous_msgid"] = draw(TEXT)
        if draw(st.booleans()):
            kwargs["previous_msgctxt"] = draw(TEXT)
    return polib.POEntry(**kwargs)


@st.composite
def catalogs(draw):
    po = new_po()
    for n in range(draw(st.integers(1, 8))):
        po.append(draw(entries(n)))
    return po


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(po=catalogs())
def test_msgcat_is_a_fixed_point_of_format_po(po, tmp_path):
    assert_fixed_point(po, tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(po=catalogs())
def test_msgcat_of_polib_output_equals_format_po(po, tmp_path):
    for entry in po.obsolete_entries():
        # polib does not write #. and #: of obsolete entries (msgcat and format_po keep them).
        entry.comment, entry.occurrences = "", []
    assert msgcat(polib_text(po), tmp_path) == format_po(po)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.text(ALPHABET, max_size=160), percent=st.text("%(sd) .5x", max_size=12))
def test_python_format_directives_are_not_split(value, percent, tmp_path):
    po = new_po()
    text = value[:80] + percent + value[80:]
    po.append(polib.POEntry(msgid=text, msgstr=text, flags=["python-format"]))
    assert_fixed_point(po, tmp_path)
