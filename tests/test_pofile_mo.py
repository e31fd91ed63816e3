"""newsloc.pofile.mo_bytes writes exactly the bytes of polib's POFile.to_binary, and gettext reads them."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import polib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsloc import pofile
from newsloc.pofile import mo_bytes

DATA = Path(__file__).parent / "data" / "build"


class _Selected(polib.POFile):
    """A catalog whose translated entries (what to_binary compiles) are exactly ``entries``."""

    def __init__(self, metadata: dict, entries: list[polib.POEntry]) -> None:
        super().__init__()
        self.metadata = metadata
        self.selected = entries

    def translated_entries(self) -> list[polib.POEntry]:
        return list(self.selected)


def polib_mo(metadata: dict, entries: list[tuple]) -> bytes:
    selected = [polib.POEntry(msgctxt=c, msgid=i, msgstr=s) for c, i, s in entries]
    return _Selected(dict(metadata), selected).to_binary()


# Any text gettext can hold (no surrogates: they have no UTF-8 form, polib fails on them too),
# and text from a few characters so that keys collide and sort in every way.
_ANY = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_FEW = st.text(st.sampled_from("aAb\x04 é€\U0001f600\n"), max_size=3)
_TEXT = st.one_of(_FEW, _ANY)
_ENTRY = st.tuples(st.one_of(st.none(), st.just(""), _TEXT), _TEXT, _TEXT)
_FIELDS = list(pofile._MO_HEADER_ORDER)  # (the differential test checks this order against polib)
# Other header fields go in natural-sort order (numbers by value, case ignored); polib fails on
# a field whose name is a digit other than 0-9 (int("²")), so names are ASCII.
_NAME = st.one_of(
    st.sampled_from(_FIELDS + ["X-Generator", "x-generator", "X-2", "X-10", "X-Source-Language"]),
    st.text(st.sampled_from("Xx-09aZ"), min_size=1, max_size=5),
)
_METADATA = st.dictionaries(_NAME, _TEXT, max_size=14)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_METADATA, st.lists(_ENTRY, max_size=25))
@example({}, [])
@example({"Content-Type": "text/plain; charset=UTF-8"}, [])
@example({}, [("", "", "header-like"), (None, "", "")])  # an entry with the header's key
@example({}, [("a", "b", "1"), (None, "a\x04b", "2"), ("a", "b", "3")])  # one key three times
@example({"X-b": "1", "X-B": "2", "x-a": "3"}, [(None, "é", "é"), (None, "e", "")])
def test_same_bytes_as_polib(metadata: dict, entries: list[tuple]) -> None:
    assert mo_bytes(metadata, entries) == polib_mo(metadata, entries)


def test_takes_any_iterable() -> None:
    entries = [(None, "b", "B"), ("ctx", "a", "A")]
    assert mo_bytes({}, iter(entries)) == mo_bytes({}, entries) == polib_mo({}, entries)


def test_project_catalogs_same_bytes_as_polib() -> None:
    """Real catalogs (Arabic plural forms, hostile markup): their translated entries, as bundle selects them."""
    for path in sorted(DATA.glob("*.po")):
        po = polib.pofile(str(path))
        entries = [(e.msgctxt, e.msgid, e.msgstr) for e in po if not e.obsolete and e.msgstr]
        assert entries, path
        assert mo_bytes(po.metadata, entries) == polib_mo(po.metadata, entries), path


def _catalog(rng: random.Random) -> tuple[dict, dict]:
    """A random catalog with distinct keys: non-ASCII, contexts, empty msgstrs, line breaks."""
    words = ["news", "Новости", "خبر", "Լուրեր", "言葉", "é", "\U0001f600", "a\tb", "line\nbreak", '"q"', "\\"]
    metadata = {
        "Project-Id-Version": f"a{rng.randrange(100)}",
        "Language": rng.choice(["ru", "ar", "hy"]),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Source-Language": "en",
    }
    entries: dict = {}
    for _ in range(rng.randrange(0, 30)):
        context = rng.choice([None, "", "menu", "Заголовок"])
        msgid = " ".join(rng.choices(words, k=rng.randrange(1, 5)))
        entries[(context or None, msgid)] = " ".join(rng.choices(words, k=rng.randrange(0, 4)))
    return metadata, entries


def test_gettext_reads_it_back(tmp_path: Path) -> None:
    rng = random.Random(20261129)
    for number in range(25):
        metadata, entries = _catalog(rng)
        mo = tmp_path / f"{number}.mo"
        mo.write_bytes(mo_bytes(metadata, [(c, i, s) for (c, i), s in entries.items()]))
        text = subprocess.run(
            ["msgunfmt", str(mo)], check=True, capture_output=True, env={"LC_ALL": "C.UTF-8"}
        ).stdout.decode("utf-8")
        back = polib.pofile(text)
        assert back.metadata == metadata
        assert {(e.msgctxt, e.msgid): e.msgstr for e in back} == entries
        assert len(back) == len(entries)
