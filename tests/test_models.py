"""Argos package management: listing, validated installs, the index, removal."""

from __future__ import annotations

import functools
import http.server
import json
import os
import stat
import threading
import warnings
import zipfile
from pathlib import Path

import pytest
from argos_package import build_argos_package

from newsloc import models
from newsloc.errors import ModelError

# -- helpers ---------------------------------------------------------------------------


def members(archive: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(archive) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def write(dest: Path, items: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    encrypted = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what one test wants
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in items:
                if getattr(info, "flag_bits", 0) & 0x1:
                    encrypted.append(info.filename)
                zf.writestr(info, data)
    for name in encrypted:
        _set_encrypted_flag(dest, name)
    return dest


def _set_encrypted_flag(archive: Path, name: str) -> None:
    """zipfile never writes the 'encrypted' bit: set it in the local and central headers."""
    data = bytearray(archive.read_bytes())
    encoded = name.encode()
    with zipfile.ZipFile(archive) as zf:
        offset = zf.getinfo(name).header_offset
    data[offset + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + length] == encoded:
            data[central + 8] |= 0x1
        central = data.find(b"PK\x01\x02", central + 4)
    archive.write_bytes(bytes(data))


def top_of(archive: Path) -> str:
    return members(archive)[0][0].filename.split("/")[0]


def assert_nothing_installed(argos_env: Path) -> None:
    """No package, no staging folder, nothing half-extracted anywhere under the Argos folder."""
    assert models.list_packages() == []
    if argos_env.exists():
        assert list(argos_env.iterdir()) == []
    leftovers = [p.name for p in argos_env.parent.iterdir() if p.name.startswith(".newsloc")] \
        if argos_env.parent.exists() else []
    assert leftovers == []


# -- where packages live -----------------------------------------------------------------


def test_packages_dir_follows_xdg(argos_env: Path):
    assert models.packages_dir() == argos_env


def test_packages_dir_follows_argos_packages_dir(argos_env, tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "elsewhere"))
    assert models.packages_dir() == tmp_path / "elsewhere"


def test_packages_dir_follows_argos_settings_json(argos_env, tmp_path):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "argos-translate"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "cfg")}))
    assert models.packages_dir() == tmp_path / "cfg"


@pytest.mark.parametrize("where", ["file", "under a file"])
def test_packages_folder_that_is_not_a_folder(argos_env, argos_archive, tmp_path, monkeypatch, where,
                                              project_dir):
    from click.testing import CliRunner

    from newsloc import catalog
    from newsloc.cli import cli
    from newsloc.project import Project

    catalog.extract(Project(project_dir))

    blocker = tmp_path / "f"
    blocker.write_text("")
    folder = blocker if where == "file" else blocker / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    for call in (models.list_packages, lambda: models.install_package(argos_archive),
                 lambda: models.remove_package("en_ru")):
        with pytest.raises(ModelError, match="not a folder") as info:
            call()
        assert info.value.path == blocker and "ARGOS_PACKAGES_DIR" in info.value.message
    for args in (["models", "list"], ["models", "install", str(argos_archive)],
                 ["models", "remove", "en_ru"], ["--project", str(project_dir), "translate"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        shown = result.stderr.removeprefix("Error: ").split(": ")[0]
        assert project_dir / shown == blocker  # (inside a project, shown from its root)
        assert "not a folder" in result.stderr
    assert blocker.read_text() == ""


def test_malformed_argos_settings_json_is_one_clear_error(argos_env, argos_archive, monkeypatch):
    import subprocess
    import sys

    models.install_package(argos_archive)
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "argos-translate"
    config.mkdir(parents=True, exist_ok=True)
    settings = config / "settings.json"
    settings.write_text('{\n  "ARGOS_DEBUG": 0,\n  bad\n}\n')
    with pytest.raises(ModelError, match="not valid JSON") as info:
        models.list_packages()
    assert (info.value.path, info.value.line) == (settings, 3)
    # In a fresh process argostranslate reads it at import and prints an error for each
    # setting it looks up: newsloc stops first, once, even with the folder set elsewhere.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_env))
    for content in ('{\n  "ARGOS_DEBUG": 0,\n  bad\n}\n', '["a list"]'):
        settings.write_text(content)
        result = subprocess.run([sys.executable, "-c", "from newsloc.cli import main; main()",
                                 "models", "list"], capture_output=True, text=True)
        assert result.returncode == 1, result
        assert "Error decoding" not in result.stdout + result.stderr
        assert result.stderr.count(str(settings)) == 1, result.stderr
        assert "Traceback" not in result.stderr


# -- install / list / remove -------------------------------------------------------------


def test_install_list_remove(argos_env, argos_archive):
    package = models.install_package(argos_archive)
    assert (package.from_code, package.to_code, package.package_version) == ("en", "ru", "1.0")
    assert package.path == argos_env / top_of(argos_archive)
    assert [p.name for p in models.list_packages()] == [package.name]
    assert models.find_package("en", "ru") == package
    assert models.find_package("en", "hy") is None
    # Argos itself sees the package newsloc installed.
    from argostranslate.package import get_installed_packages

    assert [p.to_code for p in get_installed_packages([argos_env])] == ["ru"]

    removed = models.remove_package("translate-en_ru")
    assert removed.name == package.name
    assert models.list_packages() == []
    assert_nothing_installed(argos_env)


def test_remove_by_folder_and_pair(argos_env, argos_archive):
    package = models.install_package(argos_archive)
    models.remove_package(package.name)
    models.install_package(argos_archive)
    models.remove_package("en_ru")
    assert models.list_packages() == []


def test_remove_unknown_names_installed(argos_env, argos_archive):
    models.install_package(argos_archive)
    with pytest.raises(ModelError, match="no installed package 'de_fr'.*translate-en_ru-1_0"):
        models.remove_package("de_fr")
    models.remove_package("en_ru")
    with pytest.raises(ModelError) as raised:
        models.remove_package("en_ru")
    assert raised.value.message == "no installed package 'en_ru' (none is installed)"


def test_package_installed_by_argos_is_found(argos_env, argos_archive, monkeypatch):
    """A model installed with argospm/argostranslate (same folder) is listed and usable."""
    from argostranslate import package as argos_package
    from argostranslate import settings

    monkeypatch.setattr(settings, "package_data_dir", argos_env)
    argos_env.mkdir(parents=True)
    argos_package.install_from_path(argos_archive)
    assert [p.pair for p in models.list_packages()] == ["en→ru"]


def test_installing_twice_needs_replace(argos_env, argos_archive, tmp_path):
    models.install_package(argos_archive)
    with pytest.raises(ModelError, match="already installed.*--replace"):
        models.install_package(argos_archive)
    newer = build_argos_package(tmp_path / "v11", package_version="1.1")
    upgraded = models.install_package(newer, replace=True)
    assert [(p.name, p.package_version) for p in models.list_packages()] == [
        (upgraded.name, "1.1")
    ]
    assert not any(p.name.startswith(".newsloc") for p in argos_env.parent.iterdir())


def test_broken_folder_does_not_hide_other_packages(argos_env, argos_archive):
    models.install_package(argos_archive)
    (argos_env / "half-copied").mkdir()
    packages, problems = models.scan_packages()
    assert [p.pair for p in packages] == ["en→ru"]
    assert len(problems) == 1 and "half-copied" in problems[0]


def test_pivot_route_only_on_request(argos_env, tmp_path):
    models.install_package(build_argos_package(tmp_path / "a", "hy", "en"))
    models.install_package(build_argos_package(tmp_path / "b", "en", "ru"))
    assert models.find_route("hy", "ru") is None
    route = models.find_route("hy", "ru", pivot=True)
    assert [p.pair for p in route] == ["hy→en", "en→ru"]
    assert [p.pair for p in models.find_route("en", "ru", pivot=True)] == ["en→ru"]


def test_install_hint_names_the_package():
    hint = models.install_hint("en", "hy")
    assert "translate-en_hy" in hint and "newsloc models install --from en --to hy" in hint


# -- hostile and broken archives: one test per validation rule ------------------------------


def _rewrite(archive: Path, dest: Path, change) -> Path:
    return write(dest, change(members(archive), top_of(archive)))


def _drop(suffix):
    return lambda items, top: [(i, d) for i, d in items if not i.filename.endswith(suffix)]


def _add(name, data=b"x", mode=None, flag_bits=0):
    def change(items, top):
        info = zipfile.ZipInfo(name.format(top=top))
        if mode is not None:
            info.external_attr = mode << 16
        info.flag_bits |= flag_bits
        return items + [(info, data)]
    return change


def _replace(suffix, data):
    return lambda items, top: [(i, data if i.filename.endswith(suffix) else d) for i, d in items]


HOSTILE = {
    "two top folders": (_add("other/readme.txt"), "exactly one top folder"),
    "file at the top": (_add("metadata.json", b"{}"), "exactly one top folder"),
    "absolute path": (_add("/tmp/newsloc-evil.txt"), "absolute path"),
    "dot-dot": (_add("{top}/../../newsloc-evil.txt"), r"'\.\.' in path"),
    "backslash": (_add("{top}\\..\\evil.txt"), "backslash"),
    "symlink": (_add("{top}/link", b"/etc/passwd", mode=stat.S_IFLNK | 0o777), "symbolic link"),
    "fifo": (_add("{top}/fifo", b"", mode=stat.S_IFIFO | 0o644), "special file"),
    "encrypted": (_add("{top}/secret", b"x", flag_bits=0x1), "encrypted"),
    "duplicate": (_add("{top}/metadata.json", b"{}"), "duplicate"),
    "no metadata": (_drop("/metadata.json"), "metadata.json"),
    "bad metadata json": (_replace("/metadata.json", b"{not json"), "not valid JSON"),
    "metadata without codes": (
        _replace("/metadata.json", json.dumps({"from_code": "en"}).encode()), "to_code"),
    "not a translation package": (
        _replace("/metadata.json",
                 json.dumps({"from_code": "en", "to_code": "ru", "type": "sbd"}).encode()),
        "not a translation package"),
    "no model": (_drop("/model.bin"), r"model/ folder with model\.bin"),
    "no tokenizer": (_drop("/sentencepiece.model"), "no tokenizer"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_rejected_before_extraction(case, argos_env, argos_archive, tmp_path):
    change, message = HOSTILE[case]
    bad = _rewrite(argos_archive, tmp_path / "bad.argosmodel", change)
    with pytest.raises(ModelError, match=message) as info:
        models.install_package(bad)
    assert str(bad) in str(info.value)
    assert_nothing_installed(argos_env)
    assert not Path("/tmp/newsloc-evil.txt").exists()
    assert not (tmp_path.parent / "newsloc-evil.txt").exists()


def test_not_a_zip(argos_env, tmp_path):
    bad = tmp_path / "model.argosmodel"
    bad.write_bytes(b"this is not a zip archive")
    with pytest.raises(ModelError, match="not a valid zip"):
        models.install_package(bad)
    assert_nothing_installed(argos_env)


def test_size_cap(argos_env, argos_archive, monkeypatch):
    monkeypatch.setenv("NEWSLOC_MAX_PACKAGE_BYTES", "1000")
    with pytest.raises(ModelError, match="more than the 1,000-byte cap"):
        models.install_package(argos_archive)
    assert_nothing_installed(argos_env)


def test_corrupted_member_data_leaves_nothing(argos_env, argos_archive, tmp_path):
    """A member whose bytes fail the CRC check (a damaged download) is caught while extracting."""
    data = bytearray(argos_archive.read_bytes())
    with zipfile.ZipFile(argos_archive) as zf:
        info = zf.getinfo(top_of(argos_archive) + "/model/model.bin")
    # Flip bytes inside the compressed data of model.bin (after its local header).
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    for offset in range(start, start + 16):
        data[offset] ^= 0xFF
    bad = tmp_path / "damaged.argosmodel"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"archive is damaged \(.*model\.bin: .*download it again"):
        models.install_package(bad)
    assert_nothing_installed(argos_env)


def test_corrupted_model_bin_is_rejected(argos_env, argos_archive, tmp_path):
    """A well-formed zip whose model.bin is not a CTranslate2 model: loaded once, refused."""
    bad = _rewrite(argos_archive, tmp_path / "bad.argosmodel",
                   _replace("/model/model.bin", b"\x06\x00\x00\x00garbage" * 100))
    with pytest.raises(ModelError, match="cannot be loaded by CTranslate2") as info:
        models.install_package(bad)
    assert info.value.path == bad  # the archive given, not the (deleted) staging folder
    assert f"{top_of(bad)}/model/model.bin" in info.value.message
    assert ".newsloc-install" not in str(info.value)
    assert_nothing_installed(argos_env)


@pytest.mark.parametrize("data", [b"not a sentencepiece model" * 10, b""])
def test_damaged_tokenizer_is_rejected_naming_the_archive(argos_env, argos_archive, tmp_path, data):
    bad = _rewrite(argos_archive, tmp_path / "bad-spm.argosmodel", _replace("/sentencepiece.model", data))
    with pytest.raises(ModelError, match="cannot be loaded") as info:
        models.install_package(bad)
    assert info.value.path == bad
    assert f"{top_of(bad)}/sentencepiece.model" in info.value.message
    assert ".newsloc-install" not in str(info.value)
    assert_nothing_installed(argos_env)


# -- the package index -------------------------------------------------------------------


def test_install_from_index_offline_fails_clearly(argos_env):
    with pytest.raises(ModelError, match=r"cannot download the Argos package index.*offline"):
        models.install_from_index("en", "ru")
    assert_nothing_installed(argos_env)


@pytest.fixture
def index_server(tmp_path, argos_archive):
    """A local Argos package index (index.json + the .argosmodel) over HTTP."""
    root = tmp_path / "index"
    root.mkdir()
    (root / "en_ru.argosmodel").write_bytes(argos_archive.read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (root / "index.json").write_text(json.dumps([{
        "package_version": "1.0", "argos_version": "1.9.0", "from_code": "en",
        "from_name": "English", "to_code": "ru", "to_name": "Russian", "type": "translate",
        "links": [url + "en_ru.argosmodel"],
    }]))
    yield url
    server.shutdown()


def test_install_from_index_online(argos_env, index_server, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    package = models.install_from_index("en", "ru")
    assert package.pair == "en→ru"
    assert [p.name for p in models.list_packages()] == [package.name]
    # The download does not stay in Argos's cache.
    downloads = Path(os.environ["XDG_CACHE_HOME"]) / "argos-translate" / "downloads"
    assert list(downloads.iterdir()) == []


def test_install_from_index_unknown_pair(argos_env, index_server, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    with pytest.raises(ModelError, match="no en→hy package.*en→ru"):
        models.install_from_index("en", "hy")
