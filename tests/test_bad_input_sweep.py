"""A bad-input sweep of every CLI command.

Each case damages one input of a small, already extracted project (an
article, a catalog, the glossary, the locales folder, an output path, a model
archive) and runs a command on it through click's CliRunner.  Whatever the
damage, the command must

* exit with a non-zero status,
* print ``Error: <file>[:<line>]: <message>`` naming the damaged file (and its
  line where there is one),
* print no Python traceback, and
* leave every file that was there before byte for byte as it was (no catalog
  half-written or clobbered), with no temporary file left behind.

The tests run as root in some environments, where ``chmod 000`` does not stop a
read or a write; those cases are simulated with ``os.open``/``open`` patched
to raise :class:`PermissionError` for the one path concerned.
"""

from __future__ import annotations

import builtins
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsloc.cli import cli

SLUG = "the-friend-of-my-enemy"
RU_PO = f"locales/ru/LC_MESSAGES/{SLUG}.po"
HY_PO = f"locales/hy/LC_MESSAGES/{SLUG}.po"
POT = f"locales/{SLUG}.pot"
EPOCH = {"SOURCE_DATE_EPOCH": "1764403200"}
TRANSLATION = "Друг моего врага — мой союзник"


# -- the project every case starts from -------------------------------------------
@pytest.fixture(scope="module")
def extracted_template(tmp_path_factory) -> Path:
    """The shipped article, extracted for ru and hy, with one translation in ru."""
    from conftest import SHIPPED_ARTICLE

    root = tmp_path_factory.mktemp("sweep-template")
    (root / "source").mkdir()
    shutil.copy(SHIPPED_ARTICLE, root / "source")
    for code in ("ru", "hy"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["--project", str(root), "extract"], env=EPOCH)
    assert result.exit_code == 0, result.output
    po = root / RU_PO
    text = po.read_text(encoding="utf-8")
    head, sep, rest = text.partition('msgid "The friend of my enemy is my ally"\nmsgstr ""')
    assert sep, "the headline entry was not found"
    po.write_text(f'{head}msgid "The friend of my enemy is my ally"\nmsgstr "{TRANSLATION}"{rest}',
                  encoding="utf-8")
    return root


@pytest.fixture
def project(extracted_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(extracted_template, root, symlinks=True)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (links are not followed: some cases make loops)."""
    files = {}
    for folder, dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file():
                continue
            try:
                files[str(path.relative_to(root))] = path.read_bytes()
            except PermissionError:  # a case made it unreadable on purpose (not as root)
                files[str(path.relative_to(root))] = b"<unreadable>"
    return files


# -- simulated permission problems (root ignores chmod) ------------------------------------
def deny(monkeypatch, target: Path, write: bool = False) -> None:
    """Make opening ``target`` (or anything under it) raise PermissionError.

    ``write``: only opening for writing (and creating files, folders, renames
    into it) is refused; reading still works.
    """
    target = os.path.abspath(target)

    def hit(path) -> bool:
        if isinstance(path, int):
            return False
        path = os.path.abspath(os.fsdecode(path))
        return path == target or path.startswith(target + os.sep)

    def refuse(path):
        raise PermissionError(13, "Permission denied", os.fsdecode(path))

    real_os_open, real_open = os.open, builtins.open

    def os_open(path, flags, *args, **kwargs):
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if hit(path) and (writing or not write):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def open_(file, mode="r", *args, **kwargs):
        if hit(file) and (not write or any(c in mode for c in "wax+")):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
    if write:
        for name in ("mkdir", "rename", "replace"):
            real = getattr(os, name)

            def guarded(*args, _real=real, **kwargs):
                for arg in args[:2]:
                    if hit(arg):
                        refuse(arg)
                return _real(*args, **kwargs)

            monkeypatch.setattr(os, name, guarded)


# -- the cases ------------------------------------------------------------------------------
@dataclass
class Case:
    setup: Callable[[Path], None]
    args: list[str]
    expect: list[str] = field(default_factory=list)  # substrings of the message (file, line...)
    deny: str | None = None  # a path (relative to the project) to make unreadable
    deny_write: str | None = None  # a path to make unwritable
    model: bool = False  # needs the en→ru test model installed
    root: str | None = None  # --project is this (inside the copy) instead of the copy itself
    may_change: tuple[str, ...] = ()  # files in writable folders that the command may update first


def write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return setup


def edit(relative: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))
    return setup


def replace(old: bytes, new: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, count)
    return change


def chain(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        for step in setups:
            step(root)
    return setup


def nothing(root: Path) -> None:
    pass


def make_dir(relative: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / relative
        if path.is_file():
            path.unlink()
        path.mkdir(parents=True)
    return setup


def symlink(relative: str, to: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / relative).symlink_to(to)
    return setup


GOOD_LINE = "A paragraph about the Moscow-led alliance.\n"

# Damaged articles, each run through every command that reads articles.
ARTICLES = {
    "latin1-headline": (write("source/bad.txt", "Caf\xe9 headline\nBody.\n".encode("latin-1")),
                        ["source/bad.txt:1:", "UTF-8"]),
    "latin1-line-3": (write("source/bad.txt", ("Headline\n\n" + "Body caf\xe9.\n").encode("latin-1")),
                      ["source/bad.txt:3:", "UTF-8"]),
    "latin1-last-byte": (write("source/bad.txt", b"Headline\nBody.\n\xff"), ["source/bad.txt:3:", "UTF-8"]),
    "nul-early": (write("source/bad.txt", b"Headline\x00\nBody.\n"), ["source/bad.txt", "NUL"]),
    "nul-late": (write("source/bad.txt", b"Headline\n" + GOOD_LINE.encode() * 400 + b"Late\x00NUL.\n"),
                 ["source/bad.txt:402:", "NUL"]),
    "empty": (write("source/bad.txt", b""), ["source/bad.txt", "empty"]),
    "whitespace": (write("source/bad.txt", b" \n\t\n"), ["source/bad.txt", "empty"]),
    "bom-only": (write("source/bad.txt", b"\xef\xbb\xbf"), ["source/bad.txt", "empty"]),
    "only-markup-txt": (write("source/bad.txt", b"<b></b>\n<i></i>\n"), ["source/bad.txt"]),
    "only-markup-html": (write("source/bad.html", b"<html><body><div></div></body></html>"),
                         ["source/bad.html", "<h1>"]),
    "unknown-extension": (write("source/notes.md", "# Notes\n"), ["source/notes.md", "unknown article type"]),
    "no-extension": (write("source/README", "Notes\n"), ["source/README", "unknown article type"]),
    "unclosed-script-html": (write("source/bad.html", "<script>\n<h1>Title</h1>\n<p>Text</p>\n"),
                             ["source/bad.html", "<h1>"]),
    "symlink-loop": (symlink("source/loop.txt", "loop.txt"), ["source/loop.txt"]),
}
ARTICLE_COMMANDS = {
    "extract": ["extract"],
    "suggest": ["glossary", "suggest"],
    "build": ["build"],
    "run": ["run"],
}

# Damaged catalogs, each run through every command that reads catalogs.
CATALOGS = {
    "latin1-header": (edit(RU_PO, replace(b"Language-Team: ", b"Language-Team: \xe9quipe ")),
                      [RU_PO + ":", "UTF-8"]),
    "latin1-body": (edit(RU_PO, replace(TRANSLATION.encode(), "Ami de l'ennemi \xe9".encode("latin-1"))),
                    [RU_PO + ":", "UTF-8"]),
    "truncated-mid-string": (edit(RU_PO, lambda data: data[: data.index(TRANSLATION.encode()) + 5]),
                             [RU_PO + ":"]),
    "duplicate-header": (edit(RU_PO, lambda data: data + b'\nmsgid ""\nmsgstr "Language: ru\\n"\n'),
                         [RU_PO + ":", "duplicate"]),
    "duplicate-entry": (edit(RU_PO, lambda data: data + b'\nmsgid "The friend of my enemy is my ally"\n'
                                                        b'msgstr "x"\n'), [RU_PO + ":", "duplicate"]),
    "directory-po": (make_dir(RU_PO), [RU_PO]),
    # An editor saving in place (truncate, then write): not read as a new, empty catalog.
    "empty-po": (write(RU_PO, b""), [RU_PO, "the catalog is empty"]),
    "directory-pot": (make_dir(POT), [POT]),
    "symlink-loop-po": (chain(lambda root: (root / RU_PO).unlink(), symlink(RU_PO, f"{SLUG}.po")), [RU_PO]),
}
CATALOG_COMMANDS = {
    "extract": ["extract"],
    "status": ["status"],
    "check": ["check"],
    # (without the publication policy, every untranslated entry would block the build anyway)
    "build": ["build", "--allow-incomplete", "--allow-drafts"],
    "run": ["run"],
    "translate": ["translate", "--locale", "ru"],
}
# A header that only a compiled catalog uses: the build refuses to put it into a .mo.
PLURAL_FORMS = {
    "garbage": b"Plural-Forms: nplurals=x;",
    "no-nplurals": b"Plural-Forms: n=3;",
    "out-of-range": b"Plural-Forms: nplurals=1; plural=n != 1; x=3;",
    "not-c": b"Plural-Forms: nplurals=3; plural=(n;",
}
# Only some commands read the template.
POT_COMMANDS = ("extract", "run")

GLOSSARIES = {
    "not-yaml": "terms: [unclosed\n",
    "list-top": "- a\n- b\n",
    "scalar-top": "just text\n",
    "empty": "",
    "terms-not-list": "version: 1\nterms: {a: b}\n",
    "term-not-mapping": "version: 1\nterms:\n  - csto\n",
    "missing-id": "version: 1\nterms:\n  - sources: [CSTO]\n",
    "duplicate-id": ("version: 1\nterms:\n  - id: a\n    sources: [A]\n  - id: a\n    sources: [B]\n"),
    "duplicate-key": "version: 1\nterms:\n  - id: a\n    id: b\n    sources: [A]\n",
    "bad-version": "version: 99\nterms: []\n",
    "unknown-locale": "version: 1\nterms:\n  - id: a\n    sources: [A]\n    targets:\n      de: A\n",
    "bad-regex": ("version: 1\nterms:\n  - id: a\n    sources: [A]\n    targets:\n"
                  "      ru: {agreed: А, pattern: '(['}\n"),
    "target-number": "version: 1\nterms:\n  - id: a\n    sources: [A]\n    targets:\n      ru: 5\n",
    "tab-indent": "version: 1\nterms:\n\t- id: a\n",
    "python-tag": "version: 1\nterms: !!python/object:os.system {}\n",
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
}
GLOSSARY_BYTES = {
    "latin1": "version: 1\nterms:\n  - id: caf\xe9\n".encode("latin-1"),
    "nul": b"version: 1\x00\n",
}
GLOSSARY_COMMANDS = {
    "glossary-check": ["glossary", "check"],
    "glossary-export": ["glossary", "export"],
    "suggest": ["glossary", "suggest"],
    "extract": ["extract"],
    "check": ["check"],
    "translate": ["translate", "--locale", "ru"],
    "run": ["run"],
}


def _cases() -> list:
    params = []
    for name, (setup, expect) in ARTICLES.items():
        for command, args in ARTICLE_COMMANDS.items():
            params.append(pytest.param(Case(setup, args, expect), id=f"article-{name}-{command}"))
    for command, args in ARTICLE_COMMANDS.items():
        params.append(pytest.param(
            Case(write("source/locked.txt", "Headline\nBody.\n"), args, ["source/locked.txt", "ermission"],
                 deny="source/locked.txt"), id=f"article-unreadable-{command}"))
    for name, (setup, expect) in CATALOGS.items():
        for command, args in CATALOG_COMMANDS.items():
            if name == "directory-pot" and command not in POT_COMMANDS:
                continue
            params.append(pytest.param(Case(setup, args, expect, model=command == "translate"),
                                       id=f"catalog-{name}-{command}"))
    for command, args in CATALOG_COMMANDS.items():
        params.append(pytest.param(Case(nothing, args, [RU_PO, "ermission"], deny=RU_PO,
                                        model=command == "translate"), id=f"catalog-unreadable-{command}"))
    for name, header in PLURAL_FORMS.items():
        params.append(pytest.param(
            Case(edit(RU_PO, replace(b"Plural-Forms: nplurals=3;", header)), CATALOG_COMMANDS["build"],
                 [RU_PO + ":12:", "Plural-Forms"]), id=f"catalog-plural-forms-{name}-build"))
    for command in ("extract", "translate", "run"):
        args = CATALOG_COMMANDS[command]
        # A new paragraph: every command has something to write into the catalog.
        params.append(pytest.param(
            Case(edit(f"source/{SLUG}.txt", lambda data: data + b"\nA new paragraph.\n"), args,
                 [f"Error: {RU_PO}: cannot write: Permission denied"], deny_write="locales/ru/LC_MESSAGES",
                 model=command == "translate", may_change=(POT, HY_PO)),
            id=f"catalog-folder-readonly-{command}"))
    texts = {name: text.encode("utf-8") for name, text in GLOSSARIES.items()} | GLOSSARY_BYTES
    for name, data in texts.items():
        for command, args in GLOSSARY_COMMANDS.items():
            params.append(pytest.param(Case(write("glossary.yaml", data), args, ["glossary.yaml"],
                                            model=command == "translate"), id=f"glossary-{name}-{command}"))
    for command, args in GLOSSARY_COMMANDS.items():
        params.append(pytest.param(Case(make_dir("glossary.yaml"), args, ["glossary.yaml"],
                                        model=command == "translate"), id=f"glossary-directory-{command}"))
    # The locales folder.
    for name, folder in (("upper-case", "EN"), ("dash", "pt-BR"), ("unknown", "zz"), ("dotted", "ru.bak"),
                         ("non-canonical", "en_us")):
        for command in ("extract", "status", "check", "build", "run", "glossary-check"):
            args = {"glossary-check": ["glossary", "check"]}.get(command, [command])
            setup = make_dir(f"locales/{folder}/LC_MESSAGES")
            if command == "glossary-check":
                setup = chain(setup, write("glossary.yaml", "version: 1\nterms: []\n"))
            params.append(pytest.param(Case(setup, args, [f"locales/{folder}", "locale"]),
                                       id=f"locales-{name}-{command}"))
    for command in ("extract", "translate"):
        params.append(pytest.param(
            Case(chain(lambda root: shutil.rmtree(root / "locales/ru/LC_MESSAGES"),
                       write("locales/ru/LC_MESSAGES", "a file\n")),
                 CATALOG_COMMANDS[command], ["locales/ru/LC_MESSAGES"], model=command == "translate"),
            id=f"locales-lc-messages-is-a-file-{command}"))
    params.append(pytest.param(
        Case(lambda root: (shutil.rmtree(root / "locales"), (root / "locales").write_text("x\n")),
             ["extract"], ["locales"]), id="locales-is-a-file-extract"))
    params.append(pytest.param(Case(nothing, ["extract", "--locale", "EN"], ["EN"]), id="locale-option-bad"))
    params.append(pytest.param(Case(nothing, ["add-locale", "pt-BR"], ["pt-BR"]), id="add-locale-bad"))
    params.append(pytest.param(Case(write("locales/de", "a file\n"), ["add-locale", "de"], ["locales/de"]),
                               id="add-locale-file-in-the-way"))
    # Output folders.
    for command in ("build", "run"):
        params.append(pytest.param(Case(write("dist", "a file\n"), [command, "--out", "dist/site"], ["dist"]),
                                   id=f"out-under-a-file-{command}"))
        params.append(pytest.param(Case(nothing, [command, "--out", "out"], ["out", "ermission"],
                                        deny_write="out"), id=f"out-unwritable-{command}"))
    params.append(pytest.param(Case(write("dist", "a file\n"), ["build", "--out", "dist"], ["dist"]),
                               id="out-is-a-file-build"))
    params.append(pytest.param(Case(write("g", "a file\n"), ["glossary", "export", "-o", "g/x.tbx"], ["g"]),
                               id="glossary-export-under-a-file"))
    params.append(pytest.param(Case(write("glossary.yaml", "version: 1\nterms: []\n"),
                                    ["glossary", "export", "-o", "out/g.tbx"], ["out", "ermission"],
                                    deny_write="out"), id="glossary-export-unwritable"))
    tbx = write("terms.tbx", '<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" '
                'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>\n')
    params.append(pytest.param(Case(chain(tbx, write("g", "a file\n")),
                                    ["glossary", "import", "terms.tbx", "-o", "g/glossary.yaml"], ["g"]),
                               id="glossary-import-under-a-file"))
    params.append(pytest.param(Case(tbx, ["glossary", "import", "terms.tbx", "-o", "out/glossary.yaml"],
                                    ["out", "ermission"], deny_write="out"), id="glossary-import-unwritable"))
    params.append(pytest.param(Case(nothing, ["add-locale", "de"], ["locales", "ermission"], deny_write="locales"),
                               id="add-locale-unwritable"))
    params.append(pytest.param(Case(make_dir("source/folder.txt"), ["extract", "--article", "folder"],
                                    ["no article 'folder'"]), id="article-directory-named-like-one"))
    # A project folder that is not there.
    for args in (["extract"], ["status"], ["add-locale", "de"], ["glossary", "check"], ["check"], ["build"],
                 ["run"], ["translate"]):
        params.append(pytest.param(Case(nothing, args, ["no such project folder"], root="missing"),
                                   id=f"no-project-{args[0]}"))
    # Model packages.
    for name, setup in (("text-file", write("model.argosmodel", "not an archive\n")),
                        ("empty-file", write("model.argosmodel", b"")),
                        ("zip-of-junk", write("model.argosmodel", b"PK\x03\x04" + b"\x00" * 60)),
                        ("gzip-of-text", write("model.argosmodel", _gzip(b"hello"))),
                        ("truncated-zip", lambda root: _truncated_zip(root / "model.argosmodel")),
                        ("missing", nothing)):
        params.append(pytest.param(Case(setup, ["models", "install", "model.argosmodel"], ["model.argosmodel"]),
                                   id=f"models-install-{name}"))
    params.append(pytest.param(Case(make_dir("model.argosmodel"), ["models", "install", "model.argosmodel"],
                                    ["model.argosmodel"]), id="models-install-directory"))
    params.append(pytest.param(Case(nothing, ["models", "remove", "translate-xx_yy"], ["translate-xx_yy"]),
                               id="models-remove-unknown"))
    # TBX import.
    for name, setup in (("not-xml", write("terms.tbx", "not xml\n")), ("empty", write("terms.tbx", b"")),
                        ("latin1", write("terms.tbx", '<?xml version="1.0" encoding="UTF-8"?><tbx>\xe9</tbx>'
                                         .encode("latin-1"))),
                        ("directory", make_dir("terms.tbx")), ("missing", nothing)):
        params.append(pytest.param(Case(setup, ["glossary", "import", "terms.tbx", "-o", "imported.yaml"],
                                        ["terms.tbx"]), id=f"glossary-import-{name}"))
    return params


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def _truncated_zip(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("translate-en_ru/metadata.json", "{}" * 1000)
        archive.writestr("translate-en_ru/model/model.bin", b"x" * 5000)
    path.write_bytes(path.read_bytes()[:3000])


def _run_case(case: Case, project: Path, monkeypatch, request):
    case.setup(project)
    if case.model:
        request.getfixturevalue("en_ru")
    before = snapshot(project)
    if case.deny:
        deny(monkeypatch, project / case.deny)
    if case.deny_write:
        deny(monkeypatch, project / case.deny_write, write=True)
    args = case.args
    with monkeypatch.context() as patch:
        patch.chdir(project)
        root = project / case.root if case.root else project
        result = CliRunner().invoke(cli, ["--project", str(root), *args], env=EPOCH)
    monkeypatch.undo()
    return before, result


def assert_clean_error(result, expect: list[str]) -> None:
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{result.exception!r}\n{output}")
    assert result.exit_code != 0, output
    error = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert error, output
    for wanted in expect:
        assert wanted in output, f"{wanted!r} not in:\n{output}"


def assert_untouched(project: Path, before: dict[str, bytes]) -> None:
    after = snapshot(project)
    for name, data in before.items():
        assert after.get(name) == data, f"{name} changed or vanished"
    leftovers = [name for name in after if name.endswith(".tmp")]
    assert not leftovers, leftovers


@pytest.mark.parametrize("case", _cases())
def test_bad_input(case: Case, project: Path, argos_env, monkeypatch, request):
    before, result = _run_case(case, project, monkeypatch, request)
    assert_clean_error(result, case.expect)
    if case.root is None:  # files are named as the project shows them
        assert str(project) not in result.output, result.output
    for name in case.may_change:
        before.pop(name)
    assert_untouched(project, before)


@pytest.mark.parametrize("name, text, warning", [
    ("bad.txt", 'Headline\nText <a href="x\n', "source/bad.txt:2: warning: unterminated markup '<a href=\"x'"),
    ("bad.html", "<h1>Title</h1>\n<p>Text <!-- never closed\n",
     "source/bad.html:2: warning: unterminated markup '<!-- never closed'"),
])
def test_unterminated_markup_is_kept_as_text_with_a_warning(project, name, text, warning):
    (project / "source" / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "extract"], env=EPOCH)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"{warning} kept as text" in result.stderr


# -- odd but usable input: accepted, nothing lost -------------------------------------
def _strip_header(root: Path) -> None:
    po = root / RU_PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text[text.index("\n\n") + 2:], encoding="utf-8")  # the header is the first entry


def _huge_line(root: Path) -> None:
    words = ["Armenia", "and", "Belarus", "signed", "an", "agreement", "on", "the", "deal"]
    line = " ".join(words[i % len(words)] + ("." if i % 97 == 96 else "") for i in range(60_000))
    (root / "source" / "huge.txt").write_text(f"A long story\n{line}\n", encoding="utf-8")


@pytest.mark.parametrize("setup, args", [
    pytest.param(_strip_header, ["extract"], id="po-without-header"),
    pytest.param(_huge_line, ["extract"], id="huge-single-line-extract"),
    pytest.param(_huge_line, ["run", "--allow-incomplete"], id="huge-single-line-run"),
    pytest.param(make_dir("source/folder.txt"), ["extract"], id="folder-named-like-an-article"),
    pytest.param(write("locales/de", "a file\n"), ["extract"], id="file-named-like-a-locale"),
])
def test_odd_but_usable_input(project: Path, setup, args):
    setup(project)
    result = CliRunner().invoke(cli, ["--project", str(project), *args], env=EPOCH)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    ru = (project / RU_PO).read_text(encoding="utf-8")
    assert f'msgstr "{TRANSLATION}"' in ru  # the translator's work is still there
    assert '"Language: ru\\n"' in ru
    assert (project / HY_PO).stat().st_size > 0
