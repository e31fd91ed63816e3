"""`newsloc translate`: machine drafts through the real Argos/CTranslate2 path.

Expected drafts are derived, not hard-coded: the test model maps dictionary
words and copies every other piece (tests/argos_package.py), so the expected
draft of an entry is pinning.protect -> that mapping -> pinning.restore.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import ctranslate2
import polib
import pytest
from argos_package import DEFAULT_DICTIONARY, build_argos_package, model_output
from click.testing import CliRunner

from newsloc import catalog, draft, models, pofile, textchars
from newsloc.cli import cli
from newsloc.errors import ModelError
from newsloc.pinning import protect, restore
from newsloc.project import Project

SLUG = "the-friend-of-my-enemy"


# -- helpers ------------------------------------------------------------------------------


def extracted(root: Path) -> Project:
    project = Project(root)
    catalog.extract(project)
    return project


def po(project: Project, lang: str = "ru", slug: str = SLUG) -> polib.POFile:
    return pofile.load_po(project.po_path(slug, lang)).po


def active(catalog_: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalog_ if not e.obsolete and e.msgid]


def expected_draft(project: Project, msgid: str, lang: str, chain: list[tuple[Path, dict]]):
    """(msgstr, problems) the drafting stage must produce for msgid through these models."""
    pinned = protect(msgid, lang, project.load_glossary())
    text = pinned.text
    for package_dir, dictionary in chain:
        text = model_output(package_dir, text, dictionary)
    restored = restore(text, pinned)
    return restored.text, restored.problems


def snapshot(project: Project) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(project.locales_dir.rglob("*")) if p.is_file()}


def msgfmt_ok(path: Path) -> None:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def provenance_lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.splitlines()


# -- drafting -----------------------------------------------------------------------------


def test_drafts_every_untranslated_entry(glossary_project_dir, en_ru):
    project = extracted(glossary_project_dir)
    report = draft.draft_project(project, locales=["ru"])
    entries = active(po(project))
    assert report.drafted == len(entries) > 10
    assert report.human == 0 and report.pins_lost == 0 and report.unreliable == 0
    assert report.written == [project.po_path(SLUG, "ru")]
    for entry in entries:
        msgstr, problems = expected_draft(project, entry.msgid, "ru",
                                          [(en_ru.path, DEFAULT_DICTIONARY)])
        assert entry.msgstr == msgstr
        assert problems == []
        assert "fuzzy" in entry.flags
        lines = provenance_lines(entry)
        assert lines[0] == ("newsloc-mt: engine=argos package=translate-en_ru version=1.0 "
                            "date=2025-11-29")
        assert lines[1] == f"newsloc-mt: sha256={draft.draft_hash(msgstr)}"
        assert draft.classify(entry) == "draft"
    # Glossary terms come out in the agreed Russian form, markup intact.
    text = "\n".join(e.msgstr for e in entries)
    assert "Никол Пашинян" in text and "ОДКБ" in text and '<a href="' in text
    msgfmt_ok(project.po_path(SLUG, "ru"))
    # hy was not selected: untouched.
    assert all(not e.msgstr for e in active(po(project, "hy")))


def test_rerun_with_nothing_to_do_writes_nothing(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    path = project.po_path(SLUG, "ru")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    report = draft.draft_project(project, locales=["ru"])
    assert report.drafted == 0 and report.kept_drafts == len(active(po(project)))
    assert report.written == [] and report.segments == 0
    assert report.unchanged == [path]  # (the hy catalog was not selected)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    # --redraft with the same model gives the same drafts: still nothing written, and
    # drafts that came out the same are kept ones, not redrafted ones.
    report = draft.draft_project(project, locales=["ru"], redraft=True)
    assert report.written == [] and report.unchanged == [path]
    assert report.redrafted == 0 and report.kept_drafts == len(active(po(project)))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_redraft_that_changes_nothing_counts_what_it_found(project_dir, argos_env, garbage_archive):
    models.install_package(garbage_archive)
    project = extracted(project_dir)
    first = draft.draft_project(project, locales=["hy"])
    assert first.unreliable == first.drafted > 0 and first.pins_lost > 0
    path = project.po_path(SLUG, "hy")
    before = path.read_bytes()
    again = draft.draft_project(project, locales=["hy"], redraft=True)
    assert path.read_bytes() == before
    assert (again.drafted, again.redrafted, again.kept_drafts) == (0, 0, first.drafted)
    # the same drafts with the same warnings: counted as the first run counted them
    assert (again.unreliable, again.pins_lost) == (first.unreliable, first.pins_lost)
    assert sorted(again.warnings) == sorted(first.warnings)
    assert again.written == [] and again.unchanged == [path]
    result = CliRunner().invoke(cli, ["--project", str(project.root), "translate", "--locale", "hy",
                                      "--redraft"])
    assert result.exit_code == 0, result.output
    assert (f"drafted 0, redrafted 0, skipped as human work 0, kept existing drafts {first.drafted}, "
            f"pins lost {first.pins_lost}, unreliable {first.unreliable}") in result.stdout
    assert "0 catalog(s) written, 1 unchanged" in result.stdout


def test_human_work_is_never_changed(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    path = project.po_path(SLUG, "ru")
    loaded = pofile.load_po(path)
    entries = active(loaded.po)
    human = entries[:5]
    human[0].msgstr, human[0].flags, human[0].tcomment = "Перевод человека.", [], ""
    human[1].msgstr = human[1].msgstr + " (правка)"  # edited draft, still fuzzy
    human[2].flags.remove("fuzzy")  # a reviewer accepted the draft as is
    human[3].msgstr, human[3].flags, human[3].tcomment = "", [], "Ask the desk about this one."
    human[4].tcomment += "\nChecked the name with the author."
    pofile.save_po(loaded.po, path, loaded.stamp)
    wanted = {e.msgid: (e.msgstr, e.tcomment, list(e.flags)) for e in human}

    report = draft.draft_project(project, locales=["ru"], redraft=True)
    assert report.human == 5
    now = {e.msgid: (e.msgstr, e.tcomment, list(e.flags)) for e in active(po(project))}
    for msgid, before in wanted.items():
        assert now[msgid] == before
    assert [draft.classify(e) for e in active(po(project))[:5]] == ["human"] * 5


def test_redraft_after_model_upgrade_replaces_only_unedited_drafts(project_dir, en_ru, tmp_path):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    path = project.po_path(SLUG, "ru")
    loaded = pofile.load_po(path)
    edited = active(loaded.po)[0]
    edited.msgstr += " (правка)"
    pofile.save_po(loaded.po, path, loaded.stamp)

    upgrade = {**DEFAULT_DICTIONARY, "city": "городок", "of": "из"}
    newer = build_argos_package(tmp_path / "v2", package_version="1.1", dictionary=upgrade)
    package = models.install_package(newer, replace=True)
    # Without --redraft the existing drafts stay.
    assert draft.draft_project(project, locales=["ru"]).written == []

    report = draft.draft_project(project, locales=["ru"], redraft=True)
    entries = active(po(project))
    assert report.redrafted == len(entries) - 1 and report.human == 1
    for entry in entries[1:]:
        msgstr, _ = expected_draft(project, entry.msgid, "ru", [(package.path, upgrade)])
        assert entry.msgstr == msgstr
        assert "version=1.1" in entry.tcomment
    assert entries[0].msgstr == edited.msgstr and "version=1.0" in entries[0].tcomment


def test_draft_of_a_changed_sentence_is_redrafted(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    article = project_dir / "source" / f"{SLUG}.txt"
    text = article.read_text(encoding="utf-8")
    old = active(po(project))[0].msgid
    assert old in text
    new = old.replace("enemy", "enemy and the world")
    article.write_text(text.replace(old, new, 1), encoding="utf-8")
    catalog.extract(project)
    stale = next(e for e in active(po(project)) if e.msgid == new)
    assert stale.previous_msgid == old and draft.classify(stale) == "stale-draft"

    report = draft.draft_project(project, locales=["ru"])
    assert report.redrafted == 1 and report.drafted == 0
    entry = next(e for e in active(po(project)) if e.msgid == new)
    assert entry.msgstr == expected_draft(project, new, "ru", [(en_ru.path, DEFAULT_DICTIONARY)])[0]
    assert "мир" in entry.msgstr and entry.previous_msgid is None


def test_a_draft_a_reviewer_accepted_is_kept_when_its_sentence_changes(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    loaded = pofile.load_po(project.po_path(SLUG, "ru"))
    accepted = active(loaded.po)[0]
    accepted.flags.remove("fuzzy")  # a reviewer accepts the draft as it is (Poedit: "Needs work" off)
    reviewed = accepted.msgstr
    pofile.save_po(loaded.po, project.po_path(SLUG, "ru"), loaded.stamp)
    article = project_dir / "source" / f"{SLUG}.txt"
    old = accepted.msgid
    new = old.replace("enemy", "enemy and the world")
    article.write_text(article.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    catalog.extract(project)
    entry = next(e for e in active(po(project)) if e.msgid == new)
    assert "fuzzy" in entry.flags and entry.previous_msgid == old and draft.classify(entry) == "human"

    report = draft.draft_project(project, locales=["ru"])
    assert (report.redrafted, report.drafted) == (0, 0) and report.human >= 1
    entry = next(e for e in active(po(project)) if e.msgid == new)
    assert entry.msgstr == reviewed and entry.previous_msgid == old  # for the translator to update
    assert all(line.startswith(draft.PROVENANCE) for line in provenance_lines(entry))


def test_a_draft_a_translator_cleared_is_drafted_again(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    loaded = pofile.load_po(project.po_path(SLUG, "ru"))
    cleared = active(loaded.po)[1]
    cleared.msgstr = ""  # Poedit (and msgcat) then drop the fuzzy flag; the comment stays
    cleared.flags.remove("fuzzy")
    pofile.save_po(loaded.po, project.po_path(SLUG, "ru"), loaded.stamp)
    assert draft.classify(next(e for e in active(po(project)) if e.msgid == cleared.msgid)) == "untranslated"
    report = draft.draft_project(project, locales=["ru"])
    assert report.drafted == 1
    entry = next(e for e in active(po(project)) if e.msgid == cleared.msgid)
    assert entry.msgstr and "fuzzy" in entry.flags and draft.is_machine_draft(entry)
    # an empty entry with a translator's own comment stays theirs
    loaded = pofile.load_po(project.po_path(SLUG, "ru"))
    mine = active(loaded.po)[2]
    mine.msgstr, mine.flags, mine.tcomment = "", [], "Ask the desk about this one"
    pofile.save_po(loaded.po, project.po_path(SLUG, "ru"), loaded.stamp)
    assert draft.classify(next(e for e in active(po(project)) if e.msgid == mine.msgid)) == "human"


def test_lost_pin_is_reported_in_the_comment(glossary_project_dir, argos_env, tmp_path):
    # A model that translates the placeholder letters into a word: ZQ1 comes out "gone1".
    lossy = {**DEFAULT_DICTIONARY, "ZQ": "gone"}
    package = models.install_package(build_argos_package(tmp_path / "lossy", dictionary=lossy))
    project = extracted(glossary_project_dir)
    report = draft.draft_project(project, locales=["ru"])
    lost = 0
    for entry in active(po(project)):
        msgstr, problems = expected_draft(project, entry.msgid, "ru", [(package.path, lossy)])
        assert entry.msgstr == msgstr
        warnings = [line.removeprefix("newsloc-mt: warning: ")
                    for line in provenance_lines(entry) if "warning:" in line]
        assert warnings == problems
        lost += bool(problems)
    assert lost == report.pins_lost > 0
    assert any("dropped" in w for w in report.warnings)


def test_garbage_model_drafts_are_flagged(project_dir, argos_env, garbage_archive):
    models.install_package(garbage_archive)
    project = extracted(project_dir)
    report = draft.draft_project(project, locales=["hy"])
    drafted = [e for e in active(po(project, "hy")) if e.msgstr]
    assert report.drafted == len(drafted) and report.drafted + report.failed == len(
        active(po(project, "hy")))
    assert report.unreliable == report.drafted > 0
    for entry in drafted:
        assert "fuzzy" in entry.flags
        assert any(line.startswith("newsloc-mt: warning:") for line in provenance_lines(entry))
    msgfmt_ok(project.po_path(SLUG, "hy"))
    # This model writes C1 controls (U+009A) into one draft: removed, with the warning line.
    flagged = [e for e in drafted if "control characters" in e.tcomment]
    assert flagged
    checked = CliRunner().invoke(cli, ["--project", str(project.root), "check", "--locale", "hy"])
    assert "control-chars" not in checked.stdout


def test_drafts_never_keep_a_character_html_forbids(project_dir, en_ru, monkeypatch):
    from newsloc import mt

    # Whatever the model writes (here: its output with C1 controls, a noncharacter and a
    # reference to a control around it), every draft goes through the same removal.
    def noisy(self, pieces):
        return "\x9a" + original(self, pieces) + "\ufdd0\x85&#x9F;"

    original = mt.Translator.decode
    monkeypatch.setattr(mt.Translator, "decode", noisy)
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    for entry in active(po(project)):
        msgstr, _ = expected_draft(project, entry.msgid, "ru", [(en_ru.path, DEFAULT_DICTIONARY)])
        assert entry.msgstr == msgstr and not textchars.FORBIDDEN.search(entry.msgstr)
        assert "newsloc-mt: warning: the output has control characters" in entry.tcomment


def test_entry_longer_than_the_model_limit(project_dir, en_ru):
    words = " ".join(["the army of the city met the minister"] * 90)
    (project_dir / "source" / "long.txt").write_text(f"Long one\n{words} today.\n",
                                                   encoding="utf-8")
    project = extracted(project_dir)
    draft.draft_project(project, articles=["long"], locales=["ru"])
    entry = next(e for e in active(po(project, "ru", "long")) if e.msgid.startswith("the army"))
    msgstr, _ = expected_draft(project, entry.msgid, "ru", [(en_ru.path, DEFAULT_DICTIONARY)])
    assert entry.msgstr == msgstr and msgstr.endswith("today.")
    assert any("too long for the model's 512-piece window" in line
               for line in provenance_lines(entry))


def test_pivot_only_on_request(argos_env, project_dir, tmp_path):
    ru_hy = {"Привет": "Բարև", "мир": "աշխարհ", "армия": "բանակ"}
    en_ru = models.install_package(build_argos_package(tmp_path / "a"))
    hop = models.install_package(build_argos_package(tmp_path / "b", "ru", "hy", dictionary=ru_hy))
    (project_dir / "source" / "hello.txt").write_text("Hello world\nThe army said hello.\n")
    project = extracted(project_dir)
    before = snapshot(project)
    with pytest.raises(ModelError, match=r"en→hy.*translate-en_hy.*--pivot"):
        draft.draft_project(project, articles=["hello"], locales=["hy"])
    assert snapshot(project) == before

    report = draft.draft_project(project, articles=["hello"], locales=["hy"], pivot=True)
    assert report.routes == [
        "en→hy: translate-en_ru 1.0 + translate-ru_hy 1.0 (pivot through ru)"]
    entries = active(po(project, "hy", "hello"))
    chain = [(en_ru.path, DEFAULT_DICTIONARY), (hop.path, ru_hy)]
    for entry in entries:
        assert entry.msgstr == expected_draft(project, entry.msgid, "hy", chain)[0]
        assert "package=translate-en_ru+translate-ru_hy version=1.0+1.0" in entry.tcomment
        assert "pivot=ru" in entry.tcomment
    # "Բարև" comes out as "Բարեւ": the model's NFKC normalisation turns և into եւ.
    assert entries[0].msgstr == "Բարեւ աշխարհ"


# -- failures leave every catalog as it was -------------------------------------------------


def test_missing_model_names_the_package_and_writes_nothing(project_dir, en_ru):
    project = extracted(project_dir)
    before = snapshot(project)
    with pytest.raises(ModelError) as info:
        draft.draft_project(project)
    message = str(info.value)
    assert "en→hy" in message and "translate-en_hy" in message
    assert "newsloc models install --from en --to hy" in message
    assert snapshot(project) == before


def test_corrupted_model_bin_writes_nothing(project_dir, en_ru):
    project = extracted(project_dir)
    before = snapshot(project)
    (en_ru.path / "model" / "model.bin").write_bytes(b"\x06\x00\x00\x00broken")
    with pytest.raises(ModelError, match="cannot load the CTranslate2 model"):
        draft.draft_project(project, locales=["ru"])
    assert snapshot(project) == before


def test_interruption_leaves_catalogs_as_they_were(project_dir, en_ru):
    project = extracted(project_dir)
    before = snapshot(project)

    def interrupt(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        draft.draft_project(project, locales=["ru"], progress=interrupt)
    assert snapshot(project) == before


def test_catalog_saved_meanwhile_is_not_overwritten(project_dir, en_ru):
    project = extracted(project_dir)
    path = project.po_path(SLUG, "ru")

    def translator_saves(done, total):
        if done == 0:  # the catalogs are loaded; a translator saves in Poedit now
            edited = polib.pofile(str(path))
            active(edited)[0].msgstr = "Перевод из Poedit."
            edited.save()

    report = draft.draft_project(project, locales=["ru"], progress=translator_saves)
    assert len(report.conflicts) == 1 and report.written == []
    assert active(po(project))[0].msgstr == "Перевод из Poedit."
    assert all(not e.msgstr for e in active(po(project))[1:])


def test_cuda_without_gpu(project_dir, en_ru):
    project = extracted(project_dir)
    if ctranslate2.get_cuda_device_count() == 0:
        with pytest.raises(ModelError, match="no CUDA device"):
            draft.draft_project(project, locales=["ru"], device="cuda")
    else:
        assert draft.draft_project(project, locales=["ru"], device="cuda").drafted > 0


def test_argos_codes():
    assert draft.argos_codes("ru") == ["ru"]
    assert draft.argos_codes("pt_BR") == ["pt_BR", "pb", "pt"]
    assert draft.argos_codes("zh_Hant") == ["zh_Hant", "zt", "zh"]


# -- the command line -----------------------------------------------------------------------


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def test_cli_translate(project_dir, en_ru):
    extracted(project_dir)
    result = run(project_dir, "translate", "--locale", "ru")
    assert result.exit_code == 0, result.output
    assert "model en→ru: translate-en_ru 1.0" in result.output
    assert f"wrote locales/ru/LC_MESSAGES/{SLUG}.po" in result.output
    assert "drafted " in result.output and "skipped as human work 0" in result.output
    again = run(project_dir, "translate", "--locale", "ru")
    assert again.exit_code == 0 and "0 catalog(s) written" in again.output


def test_cli_translate_missing_model(project_dir, en_ru):
    extracted(project_dir)
    result = run(project_dir, "translate")
    assert result.exit_code == 1
    assert "translate-en_hy" in result.output and "Traceback" not in result.output


def test_a_variant_of_the_source_language_has_no_model_to_install(project_dir, argos_env):
    (project_dir / "locales" / "en_GB" / "LC_MESSAGES").mkdir(parents=True)
    extracted(project_dir)
    result = run(project_dir, "translate", "--locale", "en_GB")
    assert (result.exit_code, result.output) == (1, (
        "Error: no machine translation en→en_GB: en_GB is a variant of the source language; its "
        "translators write it (or copy the source with msgen and edit)\n"))


def test_cli_translate_cuda(project_dir, en_ru):
    extracted(project_dir)
    result = run(project_dir, "translate", "--locale", "ru", "--device", "cuda")
    if ctranslate2.get_cuda_device_count() == 0:
        assert result.exit_code == 1 and "no CUDA device" in result.output
    else:
        assert result.exit_code == 0


def test_cli_models_install_list_remove(argos_env, argos_archive, tmp_path):
    result = run(tmp_path, "models", "install", str(argos_archive))
    assert result.exit_code == 0 and "installed translate-en_ru-1_0 (en→ru" in result.output
    listed = run(tmp_path, "models", "list")
    assert "translate-en_ru-1_0  en→ru  version 1.0" in listed.output
    assert str(argos_env) in listed.output
    again = run(tmp_path, "models", "install", str(argos_archive))
    assert again.exit_code == 1 and "--replace" in again.output
    removed = run(tmp_path, "models", "remove", "translate-en_ru")
    assert removed.exit_code == 0 and "removed translate-en_ru-1_0" in removed.output
    assert "no translation packages installed" in run(tmp_path, "models", "list").output


def test_cli_models_install_errors(argos_env, tmp_path):
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"nope")
    result = run(tmp_path, "models", "install", str(bad))
    assert result.exit_code == 1 and "not a valid zip" in result.output
    offline = run(tmp_path, "models", "install", "--from", "en", "--to", "ru")
    assert offline.exit_code == 1 and "offline" in offline.output
    assert run(tmp_path, "models", "install").exit_code == 2
    assert run(tmp_path, "models", "remove", "nothing").exit_code == 1


def test_status_tells_machine_drafts_from_human_work(project_dir, en_ru):
    project = extracted(project_dir)
    draft.draft_project(project, locales=["ru"])
    rows = {row.locale: row for row in catalog.status(project)}
    assert (rows["ru"].fuzzy, rows["ru"].drafts, rows["ru"].translated) == (17, 17, 0)
    # A reviewer edits one draft but leaves it fuzzy: it is human work now.
    loaded = pofile.load_po(project.po_path(SLUG, "ru"))
    loaded.po[1].msgstr += " (правка)"
    pofile.save_po(loaded.po, project.po_path(SLUG, "ru"), loaded.stamp)
    rows = {row.locale: row for row in catalog.status(project)}
    assert (rows["ru"].fuzzy, rows["ru"].drafts) == (17, 16)
    table = run(project_dir, "status", "--locale", "ru").stdout.splitlines()
    assert table[1].split()[5:7] == ["17", "16"]
