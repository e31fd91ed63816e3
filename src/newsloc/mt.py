"""Batched machine translation with CTranslate2 over an installed Argos package.

This is newsloc's hot path.  It uses the package's own pieces (its tokenizer
and its CTranslate2 ``model/`` folder, via :mod:`argostranslate.package`) but
never ``argostranslate.translate``: that API translates one string at a time,
runs Argos's own sentence splitter on it (which tries to download a MiniSBD
model on first use, and fails offline) and re-creates work per call.  newsloc
already has sentences (the catalog entries), so it:

* loads each model once (:func:`get_translator` caches loaded translators);
* tokenizes all texts in one SentencePiece call;
* sends everything through ``translate_batch`` in one asynchronous submission,
  bucketed by length so each bucket gets a tight, *explicit*
  ``max_decoding_length`` (CTranslate2's default of 256 silently truncates long
  sentences; a runaway model is still stopped early on short ones);
* splits an input too long for the model's position table at word boundaries
  (CTranslate2 would otherwise fail the whole batch, or cut the translation),
  and says so;
* on the CPU runs ``inter_threads`` = all cores with ``intra_threads`` = 1: a
  drafting run is a throughput job with many independent batches, and one
  thread per batch avoids the synchronisation cost that makes a small model
  ~17x slower with CTranslate2's default threading (see README).

Decoding uses the SentencePiece model directly rather than Argos's
``SentencePieceTokenizer.decode``, which turns every ``_`` in the output into a
space (breaking ``snake_case`` names and URLs that a model copies through).
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The characters the control-chars check flags in a translation: drafts lose them, so
# that the definition is the check's own, never a second copy that drifts from it.
from .textchars import has_forbidden
from .errors import ModelError
from .models import ModelPackage

DEVICES = ("cpu", "cuda")
UNBOUNDED_INPUT = 1024  # cap for models without a position table (CTranslate2's own default)
DECODING_RATIO = 3  # a translation rarely has more than 3x the pieces of its source...
DECODING_SLACK = 20  # ...plus a few, for very short sources
BATCH_EXAMPLES = 32  # examples per CTranslate2 batch on the CPU (more on a GPU)
_POSITION_ERROR = re.compile(r"No position encodings are defined for positions >= (\d+)")


@dataclass
class MTResult:
    """One translated text and what the engine noticed while translating it."""

    text: str
    source_pieces: int = 0
    output_pieces: int = 0
    chunks: int = 1  # > 1: the input was longer than the model accepts and was split
    hit_length_limit: bool = False  # decoding stopped at max_decoding_length, not at </s>
    warnings: list[str] = field(default_factory=list)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def plan_threads(threads: int | None, device: str) -> tuple[int, int]:
    """(inter_threads, intra_threads) for a bulk drafting run.

    CPU: one batch per thread (inter = threads, intra = 1) maximises throughput
    when there are many batches, which is the case for drafting.  GPU: one
    worker feeding the device.
    """
    if threads is not None and threads < 1:
        raise ModelError(f"--threads must be at least 1, not {threads}")
    if device == "cuda":
        return 1, threads or 1
    return (threads or cpu_count()), 1


def check_device(device: str) -> None:
    import ctranslate2

    if device not in DEVICES:
        raise ModelError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    if device == "cuda":
        try:
            count = ctranslate2.get_cuda_device_count()
        except Exception:  # a CPU-only build of CTranslate2 may raise instead of returning 0
            count = 0
        if count == 0:
            raise ModelError(
                "--device cuda: no CUDA device is available to CTranslate2 "
                "(ctranslate2.get_cuda_device_count() is 0: no NVIDIA GPU, driver or CUDA "
                "libraries); use --device cpu"
            )


def _read_string(handle) -> str:
    (length,) = struct.unpack("<H", handle.read(2))
    return handle.read(length).rstrip(b"\0").decode("utf-8")


def position_limit(model_dir: Path) -> int | None:
    """Rows of the model's fixed position tables, or None if CTranslate2 generates them.

    Read from the variable headers of ``model.bin`` (binary format 6, the one
    CTranslate2 4 writes) without loading the weights.  Older formats return
    None; the translator then learns the limit from CTranslate2's error.
    """
    names = ("encoder/position_encodings/encodings", "decoder/position_encodings/encodings")
    rows: dict[str, int] = {}
    try:
        with open(model_dir / "model.bin", "rb") as handle:
            (version,) = struct.unpack("<I", handle.read(4))
            if version != 6:
                return None
            _read_string(handle)  # spec name
            handle.read(4)  # spec revision
            (count,) = struct.unpack("<I", handle.read(4))
            for _ in range(count):
                name = _read_string(handle)
                (rank,) = struct.unpack("<B", handle.read(1))
                dims = struct.unpack(f"<{rank}I", handle.read(4 * rank))
                handle.read(1)  # dtype
                (size,) = struct.unpack("<I", handle.read(4))
                handle.seek(size, os.SEEK_CUR)
                if name in names and dims:
                    rows[name] = dims[0]
            (aliases,) = struct.unpack("<I", handle.read(4))
            for _ in range(aliases):
                alias, target = _read_string(handle), _read_string(handle)
                if alias in names and target in rows:
                    rows[alias] = rows[target]
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return min(rows.values()) if rows else None


def source_vocabulary(model_dir: Path) -> frozenset[str] | None:
    """The model's source vocabulary (to spot pieces it does not know), or None if unreadable."""
    for stem in ("source_vocabulary", "shared_vocabulary"):
        json_path, txt_path = model_dir / f"{stem}.json", model_dir / f"{stem}.txt"
        try:
            if json_path.exists():
                return frozenset(json.loads(json_path.read_text(encoding="utf-8")))
            if txt_path.exists():
                return frozenset(txt_path.read_text(encoding="utf-8").split("\n"))
        except (OSError, ValueError, TypeError):
            return None
    return None


def _split_pieces(pieces: list[str], limit: int) -> list[list[str]]:
    """Cut a piece sequence into chunks of at most ``limit``, at word starts where possible."""
    chunks: list[list[str]] = []
    start = 0
    while len(pieces) - start > limit:
        end = start + limit
        cut = next((i for i in range(end, start, -1) if pieces[i].startswith("▁")), end)
        chunks.append(pieces[start:cut])
        start = cut
    chunks.append(pieces[start:])
    return chunks


class Translator:
    """One loaded model: ``Translator(package).translate(texts)`` translates a list, batched.

    ``package`` is a :class:`~newsloc.models.ModelPackage` (or an
    ``argostranslate.package.Package``).  ``threads`` is the number of CPU
    threads to use (default: all available cores).
    """

    def __init__(
        self,
        package: ModelPackage | Any,
        device: str = "cpu",
        threads: int | None = None,
        beam_size: int = 2,
        compute_type: str = "default",
    ):
        import ctranslate2

        check_device(device)
        self.package = package
        self.argos = package.argos if isinstance(package, ModelPackage) else package
        self.device = device
        self.beam_size = beam_size
        self.inter_threads, self.intra_threads = plan_threads(threads, device)
        path = Path(self.argos.package_path)
        self.model_dir = path / "model"
        if getattr(self.argos, "tokenizer", None) is None:
            raise ModelError("package has no tokenizer (sentencepiece.model or bpe.model)", path)
        try:
            self._ct2 = ctranslate2.Translator(
                str(self.model_dir),
                device=device,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
                compute_type=compute_type,
                # Unbounded queue: the one submission returns at once, so decoding
                # and drafting (Python) overlap with the model instead of waiting
                # for queue slots and then running after it.
                max_queued_batches=-1,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(
                f"cannot load the CTranslate2 model ({exc}); the package is damaged: reinstall it "
                "with `newsloc models install --replace PATH`",
                self.model_dir,
            ) from None
        config = self._config()
        self._source_extra = int(bool(config.get("add_source_eos"))) + int(
            bool(config.get("add_source_bos"))
        )
        self.max_positions = position_limit(self.model_dir)
        self._vocab = source_vocabulary(self.model_dir)
        self._prefix = getattr(self.argos, "target_prefix", "") or ""
        self._sp = None
        tokenizer = self.argos.tokenizer
        if hasattr(tokenizer, "lazy_processor"):  # argostranslate's SentencePieceTokenizer
            try:
                self._sp = tokenizer.lazy_processor()
            except (OSError, RuntimeError) as exc:
                raise ModelError(f"cannot load the tokenizer: {exc}", path) from None

    def _config(self) -> dict:
        try:
            return json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @property
    def max_input_pieces(self) -> int:
        """The longest piece sequence one call accepts (position table minus added tokens)."""
        if self.max_positions is None:
            return UNBOUNDED_INPUT
        return self.max_positions - self._source_extra

    @property
    def chunk_pieces(self) -> int:
        """Inputs longer than this are split: the translation, often longer than its
        source, must fit in the decoder's position table too (2/3 of it for the source)."""
        if self.max_positions is None:
            return self.max_input_pieces
        return min(self.max_input_pieces, max(1, (2 * self.max_positions) // 3))

    def _decoding_cap(self, longest: int) -> int:
        cap = DECODING_RATIO * longest + DECODING_SLACK
        if self.max_positions is not None:
            cap = min(cap, self.max_positions)
        return max(cap, 1)

    # -- tokenisation ------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        if self._sp is not None:
            return self._sp.encode(list(texts), out_type=str)
        return [self.argos.tokenizer.encode(text) for text in texts]

    def decode(self, pieces: list[str]) -> str:
        if self._prefix and pieces and pieces[0] == self._prefix:
            pieces = pieces[1:]
        if self._sp is not None:
            text = self._sp.decode_pieces(pieces)
        else:
            text = self.argos.tokenizer.decode(pieces)
        return text[1:] if text.startswith(" ") else text

    # -- translation -------------------------------------------------------
    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate every text; same order, same length."""
        return [r.text for r in self.translate_full(texts)]

    def translate_full(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
        weights: Sequence[int] | None = None,
        on_result: Callable[[int, MTResult], None] | None = None,
    ) -> list[MTResult]:
        """Translate every text, with per-text diagnostics.

        ``progress(n)`` is called as texts complete (in completion order, not
        input order); ``n`` is the number of texts done, or the sum of their
        ``weights`` (e.g. how many catalog entries share the text).
        ``on_result(index, result)`` is called as each text completes, while the
        model works on the others (so the caller's own work overlaps with it);
        it may be called again for the same index if the run is redone.
        """
        texts = list(texts)
        results = [MTResult("") for _ in texts]
        encoded = self.encode(texts)
        weight = list(weights) if weights is not None else [1] * len(texts)
        while True:
            try:
                self._run(texts, encoded, results, progress, weight, on_result)
                return results
            except RuntimeError as exc:
                match = _POSITION_ERROR.search(str(exc))
                if not match or (self.max_positions is not None
                                 and int(match.group(1)) >= self.max_positions):
                    raise ModelError(f"CTranslate2 failed: {exc}", self.model_dir) from None
                # An older model.bin we could not read: learn the limit and redo.
                self.max_positions = int(match.group(1))

    def _run(self, texts, encoded, results, progress, weight, on_result=None) -> None:
        limit = self.chunk_pieces
        jobs: list[tuple[int, int, list[str]]] = []  # (text index, chunk number, pieces)
        skipped = 0
        for index, pieces in enumerate(encoded):
            results[index] = MTResult("", source_pieces=len(pieces))
            if not texts[index].strip():
                results[index].text = texts[index]
                skipped += weight[index]
                continue
            chunks = _split_pieces(pieces, limit) if len(pieces) > limit else [pieces]
            results[index].chunks = len(chunks)
            if len(chunks) > 1:
                window = self.max_positions or self.max_input_pieces
                results[index].warnings.append(
                    f"source has {len(pieces)} pieces, too long for the model's "
                    f"{window}-piece window; translated in {len(chunks)} parts"
                )
            jobs.extend((index, number, chunk) for number, chunk in enumerate(chunks))
        if progress is not None and skipped:
            progress(skipped)
        if not jobs:
            return
        # Sorted by length (little padding), bucketed by powers of two so that
        # each bucket gets a decoding cap that fits its sources.
        jobs.sort(key=lambda job: len(job[2]))
        # replace_unknowns (copy a source piece the model does not know into the
        # output, as Argos does) makes CTranslate2 keep attention vectors, which
        # halves the throughput of a small model: only ask for it where needed.
        vocab = self._vocab
        buckets: dict[tuple[bool, int], list[tuple[int, int, list[str]]]] = {}
        for job in jobs:
            unknown = vocab is None or not vocab.issuperset(job[2])
            key = (unknown, max(0, len(job[2]) - 1).bit_length())
            buckets.setdefault(key, []).append(job)
        per_batch = BATCH_EXAMPLES if self.device == "cpu" else 4 * BATCH_EXAMPLES
        # Enough batches to keep every worker busy, even for a handful of texts.
        per_batch = max(1, min(per_batch, math.ceil(len(jobs) / self.inter_threads)))
        pending = []
        for (unknown, _size), bucket in buckets.items():
            cap = self._decoding_cap(len(bucket[-1][2]))
            futures = self._ct2.translate_batch(
                [job[2] for job in bucket],
                target_prefix=[[self._prefix] for _ in bucket] if self._prefix else None,
                asynchronous=True,
                max_batch_size=per_batch,
                batch_type="examples",
                beam_size=self.beam_size,
                max_input_length=0,  # over-long inputs were split above
                max_decoding_length=cap,
                replace_unknowns=unknown,
            )
            pending.extend((job, future, cap) for job, future in zip(bucket, futures))
        parts: dict[int, dict[int, str]] = {}
        for (index, number, _pieces), future, cap in pending:
            hypothesis = future.result().hypotheses[0]
            result = results[index]
            result.output_pieces += len(hypothesis)
            if len(hypothesis) >= cap:
                result.hit_length_limit = True
            done = parts.setdefault(index, {})
            done[number] = self.decode(hypothesis)
            if len(done) == result.chunks:
                result.text = " ".join(done[n] for n in range(result.chunks))
                result.warnings.extend(diagnose(texts[index], result))
                if on_result is not None:
                    on_result(index, result)
                if progress is not None:
                    progress(weight[index])


def diagnose(source: str, result: MTResult) -> list[str]:
    """Signs that a draft is unreliable (a broken or wrong model, a decoding loop)."""
    problems = []
    if result.hit_length_limit:
        problems.append(
            f"the model did not end the sentence (stopped after {result.output_pieces} pieces): "
            "a loop or a broken model"
        )
    if "\ufffd" in result.text and "\ufffd" not in source:
        problems.append("the output has invalid characters (U+FFFD)")
    if has_forbidden(result.text) and not has_forbidden(source):
        problems.append("the output has control characters")
    if not result.hit_length_limit and result.source_pieces >= 8:
        ratio = result.output_pieces / result.source_pieces
        if ratio > DECODING_RATIO or ratio < 1 / DECODING_RATIO:
            problems.append(f"the output is {ratio:.1f}x the length of the source")
    return problems


_CACHE: dict[tuple, Translator] = {}
_CACHE_LOCK = threading.Lock()


def get_translator(package: ModelPackage, device: str = "cpu", threads: int | None = None,
                   beam_size: int = 2) -> Translator:
    """A loaded Translator for the package, loading the model only once per process."""
    key = (str(package.path), package.package_version, device, threads, beam_size)
    with _CACHE_LOCK:
        translator = _CACHE.get(key)
        if translator is None:
            translator = _CACHE[key] = Translator(package, device, threads, beam_size)
        return translator


def clear_cache() -> None:
    """Forget loaded models (after a package was removed or replaced)."""
    with _CACHE_LOCK:
        _CACHE.clear()
