"""`glossary suggest`: candidate named entities that the glossary lacks."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsloc.glossary import Glossary, load_glossary
from newsloc.model import Term
from newsloc.project import Project
from newsloc.suggest import find_candidates, suggest

REPO = Path(__file__).resolve().parent.parent


def texts(candidates):
    return [c.text for c in candidates]


def test_empty_glossary_on_the_shipped_article_finds_the_key_entities(project_dir):
    candidates = suggest(Project(project_dir), Glossary([]))
    found = {c.text: c for c in candidates}
    for name in ("CSTO", "Lukashenka", "Pashinyan", "Aliyev", "Nagorno-Karabakh"):
        assert name in found, name
    assert found["CSTO"].kind == "acronym" and found["CSTO"].count == 5
    assert found["Nikol Pashinyan"].kind == "person"  # after "Prime Minister"
    assert found["Aliyev"].kind == "person"  # after "president"
    for name in ("Collective Security Treaty Organisation", "Soviet Union", "Yerevan", "Israel", "Moscow"):
        assert name in found, name
    # ranked by frequency
    counts = [c.count for c in candidates]
    assert counts == sorted(counts, reverse=True)
    assert candidates[0].text == "Armenia" and candidates[0].count == 9
    # no sentence openers, titles or lower-case words
    for noise in ("However", "Recent", "During", "Both", "Prime Minister", "The", "He", "In"):
        assert noise not in found
    # a context snippet and a location for each
    csto = found["CSTO"]
    assert "(CSTO)" in csto.snippet and csto.location == "source/the-friend-of-my-enemy.txt:3"


def test_shipped_glossary_covers_every_candidate_of_the_article(glossary_project_dir):
    project = Project(glossary_project_dir)
    assert suggest(project, project.load_glossary()) == []


def test_partially_covered_names_are_still_suggested():
    glossary = Glossary([Term("armenia", "place", ("Armenia",))])
    sentences = [("a.txt:1", "Armenia and Central Armenia met Armenia’s neighbours."),
                 ("a.txt:2", "The NATO summit in Central Armenia was held.")]
    candidates = find_candidates(sentences, glossary)
    assert [(c.text, c.count, c.kind) for c in candidates] == [("Central Armenia", 2, "name"), ("NATO", 1, "acronym")]
    assert candidates[0].locations == ["a.txt:1", "a.txt:2"]


def test_titles_joiners_and_sentence_openers():
    sentences = [
        ("x:1", "Foreign Minister Ararat Mirzoyan met the Bank of England governor."),
        ("x:2", "Mirzoyan left; However, Tbilisi stayed calm."),
        ("x:3", "Tbilisi, the capital, welcomed him."),
        ("x:4", "Officials said so."),
    ]
    found = {c.text: c for c in find_candidates(sentences)}
    assert found["Ararat Mirzoyan"].kind == "person"
    assert "Bank of England" in found
    assert found["Tbilisi"].count == 2  # also mid-sentence, so the sentence-initial one counts
    assert "Officials" not in found and "However" not in found and "Foreign Minister" not in found


def test_glossary_suggest_uses_the_project_articles(tmp_path):
    (tmp_path / "source").mkdir()
    shutil.copy(REPO / "source" / "the-friend-of-my-enemy.txt", tmp_path / "source")
    (tmp_path / "source" / "second.txt").write_text(
        "Second story\nThe OSCE Minsk Group met in Vienna with Prime Minister Pashinyan.\n", encoding="utf-8")
    glossary = load_glossary(REPO / "glossary.yaml")
    candidates = suggest(Project(tmp_path), glossary)
    assert texts(candidates) == ["OSCE Minsk Group", "Vienna"]
    assert candidates[0].location == "source/second.txt:2"


def test_first_location_and_locations_are_in_text_order():
    # "Lukashenka" opens the second sentence (a sentence-initial capital is weighed last)
    sentences = [("a.txt:3", "The talks with Aliyev went on."),
                 ("a.txt:4", "Lukashenka brought tractors for Aliyev."),
                 ("a.txt:5", "Aliyev thanked Lukashenka.")]
    by_text = {c.text: c for c in find_candidates(sentences)}
    lukashenka = by_text["Lukashenka"]
    assert (lukashenka.location, lukashenka.locations) == ("a.txt:4", ["a.txt:4", "a.txt:5"])
    assert lukashenka.snippet.startswith("Lukashenka brought")
    assert by_text["Aliyev"].locations == ["a.txt:3", "a.txt:4", "a.txt:5"]
