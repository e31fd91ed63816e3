"""Argos Translate model packages: list, install (validated), install from the index, remove.

newsloc uses the packages Argos Translate itself uses, in the folder Argos uses,
so models a user already installed with ``argospm`` are found and models
installed with ``newsloc models install`` work with ``argospm``/LibreTranslate.
The folder is resolved exactly as :mod:`argostranslate.settings` resolves it
(``ARGOS_PACKAGES_DIR`` from the environment or Argos's ``settings.json``,
else ``$XDG_DATA_HOME/argos-translate/packages``), but at call time rather
than once at import, so a changed environment is honoured.

Installing is stricter than ``argostranslate.package.install_from_path``,
which extracts any zip straight into the packages folder.  Here the archive is
validated *before* anything is extracted:

* a zip with exactly one top folder (otherwise Argos's
  ``get_installed_packages`` fails for *every* installed package);
* ``metadata.json`` with ``from_code``/``to_code``, a ``model/`` folder with
  ``model.bin``, and a tokenizer (``sentencepiece.model`` or ``bpe.model``);
* no absolute paths, no ``..``, no symbolic links or other special files, no
  duplicate or encrypted members, and a cap on the total uncompressed size
  (against zip bombs; ``NEWSLOC_MAX_PACKAGE_BYTES`` overrides it).

It is then extracted into a staging folder *beside* the packages folder (so
Argos never sees a half-extracted package), loaded once with Argos and
CTranslate2 to prove it works, and renamed into place.  A failed install
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

from .errors import ModelError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
# Real Argos packages are 30-400 MB unpacked; 4 GiB leaves room for big models
# and still stops a zip bomb.
DEFAULT_MAX_BYTES = 4 * 1024**3
MAX_MEMBERS = 10_000
MAX_METADATA_BYTES = 1024**2
NETWORK_TIMEOUT = 30  # seconds; urllib in argostranslate has no timeout of its own
_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
_TOKENIZERS = ("sentencepiece.model", "bpe.model")


# -- where packages live ----------------------------------------------------


def _home() -> Path:
    if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def argos_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(_home() / ".local" / "share")
    return Path(base) / "argos-translate"


def argos_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(_home() / ".config")
    return Path(base) / "argos-translate"


def argos_cache_dir() -> Path:
    # sic: argostranslate uses ~/.local/cache, not ~/.cache
    base = os.environ.get("XDG_CACHE_HOME") or str(_home() / ".local" / "cache")
    return Path(base) / "argos-translate"


def argos_settings_file() -> Path:
    return argos_config_dir() / "settings.json"


def _settings_json() -> dict:
    """Argos's settings.json ({} if there is none); ModelError if it is not a JSON object.

    argostranslate reads it at import, prints an error for each of the fourteen settings
    it looks up in a malformed one (and fails on one that is not an object), and goes on:
    newsloc reads it first and stops with one error naming the file and line.
    """
    path = argos_settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ModelError(f"Argos Translate's settings file is not UTF-8 ({exc.reason}); fix "
                         "or delete it", path) from None
    except OSError as exc:
        raise ModelError(f"cannot read Argos Translate's settings file: {exc.strerror or exc}",
                         path) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ModelError(f"Argos Translate's settings file is not valid JSON ({exc.msg}, column "
                         f"{exc.colno}); fix or delete it", path, exc.lineno) from None
    if not isinstance(data, dict):
        raise ModelError("Argos Translate's settings file must hold a JSON object "
                         '({"ARGOS_PACKAGES_DIR": "..."}); fix or delete it', path)
    return data


def _before_argos_import() -> None:
    """Check settings.json before argostranslate reads it (once, at its import)."""
    if "argostranslate.settings" not in sys.modules:
        _settings_json()


def argos_setting(key: str, default: Any = None) -> Any:
    """An Argos setting: the environment first, then Argos's settings.json."""
    if key in os.environ:
        return os.environ[key]
    data = _settings_json()
    if data.get(key) is not None:
        return data[key]
    return default


def packages_dir() -> Path:
    """The folder Argos Translate installs packages into (and newsloc reads them from)."""
    return Path(argos_setting("ARGOS_PACKAGES_DIR", argos_data_dir() / "packages")).expanduser()


def _packages_dir_origin() -> str:
    if "ARGOS_PACKAGES_DIR" in os.environ:
        return "ARGOS_PACKAGES_DIR in the environment"
    if _settings_json().get("ARGOS_PACKAGES_DIR") is not None:
        return f"ARGOS_PACKAGES_DIR in {argos_settings_file()}"
    return "$XDG_DATA_HOME/argos-translate/packages; ARGOS_PACKAGES_DIR chooses another"


def usable_packages_dir() -> Path:
    """:func:`packages_dir`, or ModelError if it is a file or under one (it need not exist yet).

    Without this check a file there reads as "no packages installed" and an install
    fails with a bare "File exists".
    """
    root = packages_dir()
    for folder in (root, *root.parents):  # the deepest part that exists must be a folder
        try:
            mode = folder.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise ModelError(f"cannot read the Argos packages folder: {exc.strerror or exc}",
                             folder) from None
        if not stat.S_ISDIR(mode):
            if folder == root:
                why = "the Argos packages folder is a file, not a folder"
            else:
                why = f"a file, not a folder: the Argos packages folder {root} cannot be under it"
            raise ModelError(f"{why} (from {_packages_dir_origin()})", folder)
        break
    return root


def max_package_bytes() -> int:
    value = os.environ.get("NEWSLOC_MAX_PACKAGE_BYTES")
    if value:
        try:
            return int(value)
        except ValueError:
            raise ModelError(f"NEWSLOC_MAX_PACKAGE_BYTES must be a number of bytes, not {value!r}")
    return DEFAULT_MAX_BYTES


# -- installed packages -----------------------------------------------------


@dataclass(frozen=True)
class ModelPackage:
    """An installed Argos translation package."""

    name: str  # folder name under packages_dir(); what `remove` takes
    path: Path
    from_code: str
    to_code: str
    package_version: str
    argos_version: str
    from_name: str = ""
    to_name: str = ""
    argos: Any = field(default=None, compare=False, repr=False)  # argostranslate.package.Package

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    @property
    def argospm_name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"

    @property
    def label(self) -> str:
        """How drafts name the package in their provenance comment."""
        return f"{self.argospm_name} {self.package_version or '?'}"


def _version_key(version: str) -> tuple:
    """Sort key for package versions ("1.9" < "1.10"); Argos versions are dotted numbers."""
    return tuple(int(part) for part in re.findall(r"\d+", str(version))), str(version)


def _load(path: Path) -> ModelPackage:
    _before_argos_import()
    from argostranslate.package import Package

    pkg = Package(path)
    if getattr(pkg, "tokenizer", None) is None:
        raise ModelError("package has no sentencepiece.model or bpe.model", path)
    if not pkg.from_code or not pkg.to_code:
        raise ModelError("metadata.json lacks from_code/to_code", path / "metadata.json")
    return ModelPackage(
        name=path.name,
        path=path,
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        package_version=str(pkg.package_version or ""),
        argos_version=str(pkg.argos_version or ""),
        from_name=pkg.from_name or "",
        to_name=pkg.to_name or "",
        argos=pkg,
    )


def scan_packages() -> tuple[list[ModelPackage], list[str]]:
    """Installed packages, and one message per folder that is not a usable package.

    Unlike ``argostranslate.package.get_installed_packages``, one broken folder
    does not hide every other package.
    """
    root = usable_packages_dir()
    packages: list[ModelPackage] = []
    problems: list[str] = []
    if not root.is_dir():
        return packages, problems
    _before_argos_import()  # (a malformed settings.json is not a problem of one package)
    for path in sorted(root.iterdir()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            packages.append(_load(path))
        except ModelError as exc:
            problems.append(str(exc))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path}: not a usable Argos package ({exc})")
    packages.sort(key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version)))
    return packages, problems


def list_packages() -> list[ModelPackage]:
    """The usable installed packages, sorted by language pair."""
    return scan_packages()[0]


def find_package(from_code: str, to_code: str) -> ModelPackage | None:
    """The installed package for a language pair (the newest version if several)."""
    matches = [p for p in list_packages() if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: _version_key(p.package_version)) if matches else None


def find_route(from_code: str, to_code: str, pivot: bool = False) -> list[ModelPackage] | None:
    """The packages that translate from_code to to_code: one, or two through a pivot language.

    Pivoting (e.g. hy→en→ru) loses quality twice, so it is only considered
    when asked for; the direct package always wins.
    """
    direct = find_package(from_code, to_code)
    if direct is not None:
        return [direct]
    if not pivot:
        return None
    packages = list_packages()
    firsts = {p.to_code: p for p in packages if p.from_code == from_code}
    # Prefer English as the pivot (Argos models are trained through English).
    for middle in sorted(firsts, key=lambda code: (code != "en", code)):
        second = find_package(middle, to_code)
        if second is not None:
            return [find_package(from_code, middle), second]
    return None


def install_hint(from_code: str, to_code: str) -> str:
    """How to get the package for a pair, for error messages."""
    name = f"translate-{from_code}_{to_code}"
    return (
        f"install the Argos package {name}: `newsloc models install --from {from_code} "
        f"--to {to_code}` (needs the network), or download {name}-*.argosmodel elsewhere and "
        f"run `newsloc models install PATH` (packages folder: {packages_dir()})"
    )


# -- archive validation -----------------------------------------------------


@dataclass(frozen=True)
class ArchiveInfo:
    """What validate_archive found in a package archive."""

    top: str
    metadata: dict
    members: list[zipfile.ZipInfo]
    total_bytes: int


def _member_parts(info: zipfile.ZipInfo, archive: Path) -> list[str]:
    name = info.filename

    def bad(why: str) -> ModelError:
        return ModelError(f"unsafe archive member {name!r}: {why}; nothing was installed", archive)

    if not name or "\x00" in name:
        raise bad("empty name")
    if "\\" in name:
        raise bad("backslash in path")
    if name.startswith("/") or PureWindowsPath(name).drive:
        raise bad("absolute path")
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise bad("'..' in path")
    if any(part in ("", ".") for part in parts):
        raise bad("empty or '.' path component")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise bad("symbolic link")
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise bad("special file (link, device or fifo)")
    if info.flag_bits & 0x1:
        raise bad("encrypted")
    return parts


def validate_archive(path: Path | str, max_bytes: int | None = None) -> ArchiveInfo:
    """Check a .argosmodel archive without extracting anything; ModelError on any problem."""
    path = Path(path)
    limit = max_package_bytes() if max_bytes is None else max_bytes
    if not path.is_file():
        raise ModelError("no such package file", path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"not an Argos package (not a valid zip archive: {exc})", path) from None
    with zf:
        infos = zf.infolist()
        if not infos:
            raise ModelError("empty archive", path)
        if len(infos) > MAX_MEMBERS:
            raise ModelError(f"archive has {len(infos)} members (limit {MAX_MEMBERS})", path)
        tops: set[str] = set()
        seen: set[str] = set()
        files: dict[str, zipfile.ZipInfo] = {}
        dirs: set[str] = set()
        total = 0
        for info in infos:
            parts = _member_parts(info, path)
            key = "/".join(parts)
            if key in seen:
                raise ModelError(f"duplicate archive member {info.filename!r}", path)
            seen.add(key)
            tops.add(parts[0])
            if info.is_dir():
                dirs.add(key)
            else:
                if len(parts) == 1:
                    raise ModelError(
                        f"file {info.filename!r} at the top of the archive: an Argos package "
                        "holds exactly one top folder",
                        path,
                    )
                files[key] = info
                total += info.file_size
                dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if len(tops) != 1:
            raise ModelError(
                f"archive has {len(tops)} top-level entries ({', '.join(sorted(tops)[:5])}); "
                "an Argos package holds exactly one top folder",
                path,
            )
        top = tops.pop()
        if top.startswith("."):
            raise ModelError(f"top folder {top!r} is hidden", path)
        if total > limit:
            raise ModelError(
                f"archive unpacks to {total:,} bytes, more than the {limit:,}-byte cap "
                "(set NEWSLOC_MAX_PACKAGE_BYTES to raise it)",
                path,
            )
        if f"{top}/metadata.json" not in files:
            raise ModelError(f"no {top}/metadata.json in the archive", path)
        if f"{top}/model" not in dirs or f"{top}/model/model.bin" not in files:
            raise ModelError(f"no {top}/model/ folder with model.bin (CTranslate2 model)", path)
        if not any(f"{top}/{name}" in files for name in _TOKENIZERS):
            raise ModelError(
                f"no tokenizer ({' or '.join(_TOKENIZERS)}) in {top}/", path
            )
        meta_info = files[f"{top}/metadata.json"]
        if meta_info.file_size > MAX_METADATA_BYTES:
            raise ModelError("metadata.json is implausibly large", path)
        try:
            metadata = json.loads(zf.read(meta_info).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
            raise ModelError(f"{top}/metadata.json is not valid JSON: {exc}", path) from None
        if not isinstance(metadata, dict):
            raise ModelError(f"{top}/metadata.json is not a JSON object", path)
        for key in ("from_code", "to_code"):
            code = metadata.get(key)
            if not isinstance(code, str) or not _CODE.match(code):
                raise ModelError(
                    f"{top}/metadata.json: {key} must be a language code like 'en', got {code!r}",
                    path,
                )
        if metadata.get("type", "translate") != "translate":
            raise ModelError(
                f"{top}/metadata.json: package type {metadata.get('type')!r} is not a "
                "translation package",
                path,
            )
        return ArchiveInfo(top, metadata, infos, total)


# -- install / remove -------------------------------------------------------


def _staging_dir(root: Path, prefix: str) -> Path:
    # Beside the packages folder, on the same file system (so rename is atomic),
    # and never inside it, where Argos would try to load a half-made package.
    root.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root.parent))


def _extract(archive: Path, info: ArchiveInfo, staging: Path, limit: int) -> None:
    written = 0
    base = staging.resolve()
    with zipfile.ZipFile(archive) as zf:
        for member in info.members:
            target = staging.joinpath(*_member_parts(member, archive))
            if base not in target.resolve().parents:  # defence in depth, validated already
                raise ModelError(f"unsafe archive member {member.filename!r}", archive)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(member) as src, open(target, "xb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > limit:
                            raise ModelError(
                                "archive unpacks to more than its declared size", archive
                            )
                        dst.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise ModelError(
                    f"archive is damaged ({member.filename}: {exc}); download it again", archive
                ) from None
            os.chmod(target, 0o644)


def _check_loadable(folder: Path, archive: Path) -> ModelPackage:
    """Load the package with Argos, its tokenizer and CTranslate2 once, to prove it works.

    ``folder`` is the extracted copy in the staging folder, deleted when the install
    fails: errors name ``archive`` (the file the user gave) and the member inside it.
    """
    import ctranslate2

    top = folder.name

    def member_names(text: str) -> str:  # the staging copy's paths, as archive members
        return text.replace(f"{folder}{os.sep}", f"{top}/").replace(str(folder), top)

    try:
        package = _load(folder)
    except ModelError as exc:
        raise ModelError(f"{top}: {member_names(exc.message)}", archive) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{top} is not a usable Argos package ({member_names(str(exc))})",
                         archive) from None
    tokenizer = package.argos.tokenizer
    tokenizer_file = next((f"{top}/{name}" for name in _TOKENIZERS if (folder / name).is_file()),
                          f"{top}/tokenizer")
    try:
        tokenizer.encode("Test.")
    except Exception as exc:  # sentencepiece raises bare RuntimeError/OSError
        raise ModelError(f"{tokenizer_file}: the tokenizer cannot be loaded "
                         f"({member_names(str(exc))}); the package is damaged", archive) from None
    try:
        translator = ctranslate2.Translator(str(folder / "model"), device="cpu", intra_threads=1)
        del translator
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"{top}/model/model.bin cannot be loaded by CTranslate2 ({member_names(str(exc))}); "
            "the package is damaged or not a CTranslate2 model",
            archive,
        ) from None
    return package


def install_package(path: Path | str, replace: bool = False,
                    max_bytes: int | None = None) -> ModelPackage:
    """Validate and install a .argosmodel file; return the installed package.

    ``replace`` swaps out an installed package for the same language pair
    (an upgrade); otherwise installing over one is an error.
    """
    path = Path(path)
    limit = max_package_bytes() if max_bytes is None else max_bytes
    info = validate_archive(path, limit)
    root = usable_packages_dir()
    from_code, to_code = info.metadata["from_code"], info.metadata["to_code"]
    existing = [p for p in list_packages()
                if p.name == info.top or (p.from_code, p.to_code) == (from_code, to_code)]
    if existing and not replace:
        old = existing[0]
        raise ModelError(
            f"a package for {old.pair} is already installed ({old.name}, version "
            f"{old.package_version or '?'}); use --replace to upgrade, or remove it first",
            path,
        )
    root.mkdir(parents=True, exist_ok=True)
    staging = _staging_dir(root, ".newsloc-install-")
    trash = None
    try:
        _extract(path, info, staging, limit)
        _check_loadable(staging / info.top, path)
        if existing:
            trash = _staging_dir(root, ".newsloc-remove-")
            for old in existing:
                os.rename(old.path, trash / old.name)
        target = root / info.top
        try:
            os.rename(staging / info.top, target)
        except OSError as exc:
            raise ModelError(f"cannot install into {target}: {exc}", path) from None
    except BaseException:
        if trash is not None:  # put the old version back
            for moved in trash.iterdir():
                with contextlib.suppress(OSError):
                    os.rename(moved, root / moved.name)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)
    _clear_argos_cache()
    return _load(target)


def _resolve_name(name: str) -> ModelPackage:
    packages = list_packages()
    by_folder = [p for p in packages if p.name == name]
    if by_folder:
        return by_folder[0]
    matches = [p for p in packages
               if name in (p.argospm_name, f"{p.from_code}_{p.to_code}",
                           f"{p.from_code}-{p.to_code}", p.pair)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ModelError(
            f"{name!r} matches several packages ({', '.join(p.name for p in matches)}); "
            "give the folder name"
        )
    known = ", ".join(p.name for p in packages)
    raise ModelError(f"no installed package {name!r} ({'installed: ' + known if known else 'none is installed'})")


def remove_package(name: str) -> ModelPackage:
    """Remove an installed package, named by folder, argospm name (translate-en_ru) or en_ru."""
    package = _resolve_name(name)
    root = packages_dir().resolve()
    folder = package.path
    if folder.is_symlink() or folder.resolve().parent != root:
        raise ModelError("refusing to remove a package outside the packages folder", folder)
    trash = _staging_dir(root, ".newsloc-remove-")
    try:
        os.rename(folder, trash / folder.name)  # disappears atomically for Argos
    except OSError as exc:
        shutil.rmtree(trash, ignore_errors=True)
        raise ModelError(f"cannot remove: {exc}", folder) from None
    shutil.rmtree(trash, ignore_errors=True)
    _clear_argos_cache()
    return package


def _clear_argos_cache() -> None:
    # argostranslate caches its language list; keep it right for callers in this process.
    import sys

    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        with contextlib.suppress(Exception):
            translate.get_installed_languages.cache_clear()


# -- the package index ------------------------------------------------------


def index_url() -> str:
    base = str(argos_setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX))
    return base if base.endswith("/") else base + "/"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _last_error(messages: list[str]) -> str:
    if not messages:
        return ""
    text = messages[-1]  # argostranslate logs str() of its argument tuple: "(error,)"
    if text.startswith("(") and text.endswith(",)"):
        text = text[1:-2]
    return f": {text}"


@contextlib.contextmanager
def _argos_settings() -> Iterator[tuple[Any, list[str]]]:
    """Point argostranslate.settings at the folders resolved now.

    argostranslate reads its environment once, at import; newsloc resolves it
    at call time, and hands argostranslate's index functions the same paths.
    """
    _before_argos_import()
    from argostranslate import settings

    saved = {k: getattr(settings, k) for k in (
        "package_index", "remote_package_index", "local_package_index",
        "downloads_dir", "package_data_dir", "package_dirs")}
    downloads = argos_cache_dir() / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    argos_data_dir().mkdir(parents=True, exist_ok=True)
    settings.package_index = index_url()
    settings.remote_package_index = index_url() + "index.json"
    settings.local_package_index = argos_data_dir() / "index.json"
    settings.downloads_dir = downloads
    settings.package_data_dir = packages_dir()
    settings.package_dirs = [packages_dir()]
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(NETWORK_TIMEOUT)
    # argostranslate logs network errors instead of raising them: collect them
    # for our own message rather than letting them spill onto stderr.
    logger = logging.getLogger("argostranslate.utils")
    collector = _Collector()
    old_propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield settings, collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = old_propagate
        socket.setdefaulttimeout(old_timeout)
        for key, value in saved.items():
            setattr(settings, key, value)


def install_from_index(from_code: str, to_code: str, replace: bool = False) -> ModelPackage:
    """Download the package for a pair from the Argos package index and install it.

    The download is validated and installed like a local file.  Offline, this
    fails with a message saying so instead of argostranslate's retries and
    recursion.
    """
    _before_argos_import()
    from argostranslate import package as argos_package

    with _argos_settings() as (settings, errors):
        index = Path(settings.local_package_index)
        before = index.stat().st_mtime_ns if index.exists() else None
        argos_package.update_package_index()  # logs and returns on network errors
        after = index.stat().st_mtime_ns if index.exists() else None
        if after is None or after == before:
            raise ModelError(
                f"cannot download the Argos package index from {settings.remote_package_index}"
                f"{_last_error(errors)} (offline?); download the .argosmodel file on a "
                "connected machine and run `newsloc models install PATH`"
            )
        try:
            available = argos_package.get_available_packages()
        except (ValueError, OSError) as exc:
            raise ModelError(f"the downloaded package index is not valid: {exc}", index) from None
        matches = [p for p in available
                   if p.from_code == from_code and p.to_code == to_code and p.type == "translate"]
        if not matches:
            pairs = sorted(f"{p.from_code}→{p.to_code}" for p in available
                           if p.from_code == from_code)
            raise ModelError(
                f"the Argos package index has no {from_code}→{to_code} package"
                + (f" (from {from_code}: {', '.join(pairs)})" if pairs else "")
            )
        best = max(matches, key=lambda p: _version_key(str(p.package_version)))
        try:
            download = best.download()
        except Exception as exc:  # argostranslate raises bare Exception on failure
            raise ModelError(
                f"cannot download {argos_package.argospm_name(best)} from "
                f"{', '.join(best.links) or 'the index'} ({exc}{_last_error(errors)}); offline?"
            ) from None
    try:
        return install_package(download, replace=replace)
    finally:
        with contextlib.suppress(OSError):
            Path(download).unlink()
