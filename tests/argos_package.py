"""Build a tiny, valid, *deterministic* Argos Translate package for the tests.

No Argos model can be downloaded on the test machines, so the suite makes its
own ``.argosmodel`` and drives it through the real code paths (argostranslate's
package loader, the package's SentencePiece tokenizer, CTranslate2).

The package is an ordinary Argos package: a zip holding exactly one top folder
with ``metadata.json``, ``sentencepiece.model`` and a CTranslate2 ``model/``.
What is special is the model: a one-layer Transformer whose weights are set by
hand so that greedy decoding maps each SentencePiece piece through a small
dictionary and copies every other piece.  Tests can therefore assert exact
drafts ("Hello world." -> "Привет world.") and check that placeholders survive
tokenisation, decoding and Argos's detokeniser.

How the hand-set model works (d = 2m + 4f dimensions, one head):

* every vector is laid out as ``[code, -code, pos, -pos]``; the mirrored halves
  keep each vector zero-mean with a constant norm, so every LayerNorm is a plain
  constant rescaling and the arithmetic below stays linear;
* ``pos`` holds sinusoids of ``f`` frequencies (periods 4, 8, ... 2^(f+1)); the
  dot product of two position codes peaks sharply where the positions match;
* the source embedding of piece *i* holds the *code of its translation* (a
  unit vector of ``m`` seeded Gaussian numbers); unmapped pieces translate to
  themselves, ``</s>`` (appended to the source by CTranslate2 because the
  config sets ``add_source_eos``) translates to ``</s>``;
* self-attention and feed-forward outputs are zero, so layers pass through;
  target embeddings are zero, so the decoder state at step *t* is its position
  code alone;
* cross-attention queries and keys read only the position codes, scaled so
  that the softmax is effectively one-hot: output step *t* reads source
  position *t*; its values read only the token codes;
* the output projection holds the token codes, so the logits are code
  similarities and the argmax is the token whose code was read.

Step *t* thus emits the translation of source piece *t* and, after the last
piece, ``</s>``.  Position tables have 512 rows, like real Argos models, so an
input of more than 511 pieces (plus ``</s>``) does not fit.

``garbage=True`` builds the same architecture with seeded random weights: a
model that produces rubbish, for the tests that must survive one.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

DEFAULT_DICTIONARY: dict[str, str] = {
    "Hello": "Привет",
    "world": "мир",
    "news": "новости",
    "president": "президент",
    "minister": "министр",
    "army": "армия",
    "peace": "мир",
    "war": "война",
    "city": "город",
    "the": "это",
}

POSITIONS = 512  # rows of the position tables, as in real Argos models
CODE_DIM = 64  # m: dimensions of a token code
FREQUENCIES = 10  # f: periods 4 .. 2048 cover every offset below 512 unambiguously
ATTENTION_SHARPNESS = 40.0  # score gap between the right source position and its neighbours
OUTPUT_GAIN = 10.0

# A small English text for the SentencePiece model; every other character is
# still encodable through byte fallback, so any input round-trips.
_TRAINING_TEXT = """\
The news of the day came from the city and from the front.
The president met the minister of defence, and the army said the war was over.
A long peace is what the people of the city want, said the minister.
Officials in the capital declined to comment on the report on Tuesday.
The agreement was signed by both sides after months of talks.
"We will not accept this," a spokesman told reporters.
Prices rose by 3.5% in March, according to official figures (see below).
The organisation's members meet twice a year; the next summit is in May.
Hello world, hello again, and welcome to the news.
"""


def _spm_train(sentences: list[str], model_path: Path, vocab_size: int,
               normalization: str) -> None:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="bpe",
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name=normalization,
        num_threads=1,
        minloglevel=2,
        # Argos decodes with its own detokeniser; keep the default pieces
        # (<unk>, <s>, </s>) at ids 0, 1, 2 as real Argos models have them.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
    )
    model_path.write_bytes(model.getvalue())


def _train_tokenizer(model_path: Path, dictionary: Mapping[str, str],
                     extra_text: Iterable[str], normalization: str,
                     vocab_size: int | None = None) -> list[str]:
    """Train the SentencePiece model; every dictionary word must become one piece."""
    import sentencepiece as spm

    words = sorted({w for pair in dictionary.items() for w in pair})
    # Repeating each dictionary word makes BPE merge it into a whole-word piece.
    sentences = _TRAINING_TEXT.splitlines() + list(extra_text)
    sentences += [" ".join(words)] * 40
    chars = {c for s in sentences for c in s if not c.isspace()}
    if vocab_size is None:
        vocab_size = 256 + 3 + len(chars) + 160 + 8 * len(words)
    _spm_train(sentences, model_path, vocab_size, normalization)
    sp = spm.SentencePieceProcessor(model_file=str(model_path))
    for word in words:
        _single_piece(sp, word)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _single_piece(sp, word: str) -> str:
    """The one piece a dictionary word encodes to (after the model's normalisation: և -> եւ)."""
    pieces = sp.encode(word, out_type=str)
    if len(pieces) != 1 or not pieces[0].startswith("▁"):
        raise ValueError(f"dictionary word {word!r} is not a single piece: {pieces}")
    return pieces[0]


def piece_mapping(sp, dictionary: Mapping[str, str]) -> dict[str, str]:
    """Source piece -> target piece, as the hand-set model maps them."""
    return {_single_piece(sp, s): _single_piece(sp, t) for s, t in dictionary.items()}


def _codes(vocab_size: int, rng: np.random.Generator) -> np.ndarray:
    codes = rng.standard_normal((vocab_size, CODE_DIM))
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    coherence = np.abs(codes @ codes.T - np.eye(vocab_size)).max()
    # Greedy decoding is exact as long as no other code is close to the right one.
    assert coherence < 0.8, coherence
    return codes.astype(np.float32)


def _position_table(d: int) -> np.ndarray:
    m, f = CODE_DIM, FREQUENCIES
    t = np.arange(POSITIONS)[:, None]
    omega = 2 * np.pi / (4.0 * 2 ** np.arange(f))[None, :]
    p = np.concatenate([np.cos(omega * t), np.sin(omega * t)], axis=1)  # (P, 2f)
    table = np.zeros((POSITIONS, d), dtype=np.float32)
    table[:, 2 * m:2 * m + 2 * f] = p
    table[:, 2 * m + 2 * f:2 * m + 4 * f] = -p
    return table


def _set_layer_norm(ln, d: int) -> None:
    ln.gamma = np.ones(d, dtype=np.float32)
    ln.beta = np.zeros(d, dtype=np.float32)


def _set_linear(lin, out_dim: int, in_dim: int, weight: np.ndarray | None = None) -> None:
    lin.weight = weight if weight is not None else np.zeros((out_dim, in_dim), np.float32)
    lin.bias = np.zeros(out_dim, dtype=np.float32)


SIZES = {
    # name: (model width, layers per stack, feed-forward width)
    "tiny": (2 * CODE_DIM + 4 * FREQUENCIES, 1, 4),
    # The shape of a real Argos model (Transformer base): same behaviour, real
    # compute cost (the extra dimensions and layers hold zeros, still multiplied).
    "base": (512, 6, 2048),
}


def _build_spec(vocab: list[str], mapping: Mapping[int, int], garbage: bool, seed: int,
                size: str = "tiny"):
    import ctranslate2

    m, f = CODE_DIM, FREQUENCIES
    d, layers, ffn = SIZES[size]
    V = len(vocab)
    rng = np.random.default_rng(seed)
    spec = ctranslate2.specs.TransformerSpec.from_config(num_layers=(layers, layers),
                                                        num_heads=1)
    spec.config.add_source_eos = True  # the </s> position tells the decoder to stop
    enc, dec = spec.encoder, spec.decoder
    enc.scale_embeddings = False
    dec.scale_embeddings = False

    if garbage:
        def rand(*shape, scale=1.0):
            return (rng.standard_normal(shape) * scale / np.sqrt(shape[-1])).astype(np.float32)

        def fill(layer):
            # Every weight random, every layer norm plain.
            for name in ("self_attention", "attention", "ffn"):
                sub = getattr(layer, name, None)
                if sub is None:
                    continue
                _set_layer_norm(sub.layer_norm, d)
                if name == "ffn":
                    _set_linear(sub.linear_0, ffn, d, rand(ffn, d))
                    _set_linear(sub.linear_1, d, ffn, rand(d, ffn))
                elif name == "self_attention":
                    _set_linear(sub.linear[0], 3 * d, d, rand(3 * d, d))
                    _set_linear(sub.linear[1], d, d, rand(d, d))
                else:
                    _set_linear(sub.linear[0], d, d, rand(d, d))
                    _set_linear(sub.linear[1], 2 * d, d, rand(2 * d, d))
                    _set_linear(sub.linear[2], d, d, rand(d, d))

        enc.embeddings[0].weight = rand(V, d, scale=np.sqrt(d))
        dec.embeddings.weight = rand(V, d, scale=np.sqrt(d))
        enc.position_encodings.encodings = _position_table(d)
        dec.position_encodings.encodings = _position_table(d)
        _set_layer_norm(enc.layer_norm, d)
        _set_layer_norm(dec.layer_norm, d)
        for layer in (*enc.layer, *dec.layer):
            fill(layer)
        _set_linear(dec.projection, V, d, rand(V, d, scale=4.0))
    else:
        codes = _codes(V, rng)
        # Source embedding of piece i = code of its translation, mirrored.
        src = np.zeros((V, d), np.float32)
        for i in range(V):
            c = codes[mapping.get(i, i)]
            src[i, :m] = c
            src[i, m:2 * m] = -c
        enc.embeddings[0].weight = src
        dec.embeddings.weight = np.zeros((V, d), np.float32)
        enc.position_encodings.encodings = _position_table(d)
        dec.position_encodings.encodings = _position_table(d)

        # Pass-through layers: every sub-layer output is zero.
        for layer in (*enc.layer, *dec.layer):
            _set_layer_norm(layer.self_attention.layer_norm, d)
            _set_linear(layer.self_attention.linear[0], 3 * d, d)
            _set_linear(layer.self_attention.linear[1], d, d)
            _set_layer_norm(layer.ffn.layer_norm, d)
            _set_linear(layer.ffn.linear_0, ffn, d)
            _set_linear(layer.ffn.linear_1, d, ffn)
        _set_layer_norm(enc.layer_norm, d)
        _set_layer_norm(dec.layer_norm, d)

        # Norms of the (zero-mean) vectors, so the LayerNorm rescaling can be undone.
        std_enc = np.sqrt((2.0 + 2 * f) / d)  # code + position
        std_dec = np.sqrt((2.0 * f) / d)  # position only (target embeddings are zero)
        pos = slice(2 * m, 2 * m + 2 * f)
        code = slice(0, 2 * m)

        cross = dec.layer[0].attention
        _set_layer_norm(cross.layer_norm, d)
        wq = np.zeros((d, d), np.float32)
        # CTranslate2 divides the scores by sqrt(d): multiply it back in.
        wq[pos, pos] = np.eye(2 * f) * ATTENTION_SHARPNESS * np.sqrt(d) * std_dec
        wkv = np.zeros((2 * d, d), np.float32)
        wkv[pos, pos] = np.eye(2 * f) * std_enc  # keys: position codes
        wkv[d + code.start:d + code.stop, code] = np.eye(2 * m) * std_enc  # values: token codes
        _set_linear(cross.linear[0], d, d, wq)
        _set_linear(cross.linear[1], 2 * d, d, wkv)
        _set_linear(cross.linear[2], d, d, np.eye(d, dtype=np.float32))
        for later in dec.layer[1:]:  # further decoder layers pass through too
            _set_layer_norm(later.attention.layer_norm, d)
            _set_linear(later.attention.linear[0], d, d)
            _set_linear(later.attention.linear[1], 2 * d, d)
            _set_linear(later.attention.linear[2], d, d)

        proj = np.zeros((V, d), np.float32)
        proj[:, :m] = codes * OUTPUT_GAIN
        _set_linear(dec.projection, V, d, proj)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def build_argos_package(
    dest_dir: Path | str,
    from_code: str = "en",
    to_code: str = "ru",
    dictionary: Mapping[str, str] | None = None,
    garbage: bool = False,
    package_version: str = "1.0",
    argos_version: str = "1.9.0",
    extra_text: Iterable[str] = (),
    normalization: str = "nmt_nfkc",
    seed: int = 1234,
    vocab_size: int | None = None,
    size: str = "tiny",
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into *dest_dir* and return its path.

    ``dictionary`` maps whole source words to target words (each becomes a
    single SentencePiece piece); everything else is copied.  ``garbage`` gives a
    model with random weights.  ``extra_text`` (lines) and ``vocab_size`` shape
    the SentencePiece model (more whole-word pieces: shorter sequences).
    ``size="base"`` gives the dimensions of a real Argos model (for benchmarks).
    The tiny build takes well under a second.
    """
    import ctranslate2  # noqa: F401  (fail early if missing)

    dictionary = dict(DEFAULT_DICTIONARY if dictionary is None else dictionary)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        root = Path(tmp) / top
        root.mkdir()
        vocab = _train_tokenizer(root / "sentencepiece.model", dictionary, extra_text,
                                 normalization, vocab_size)
        import sentencepiece as spm

        sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        index = {piece: i for i, piece in enumerate(vocab)}
        mapping = {index[s]: index[t] for s, t in piece_mapping(sp, dictionary).items()}
        spec = _build_spec(vocab, mapping, garbage, seed, size)
        spec.validate()
        spec.optimize()  # aliases the two identical position tables
        (root / "model").mkdir()
        spec.save(str(root / "model"))
        metadata = {
            "package_version": package_version,
            "argos_version": argos_version,
            "from_code": from_code,
            "from_name": from_code.upper() + " (test)",
            "to_code": to_code,
            "to_name": to_code.upper() + " (test)",
            "type": "translate",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text(
            "Test package built by newsloc's tests/argos_package.py "
            + ("(random weights)." if garbage else "(dictionary + copy model).") + "\n",
            encoding="utf-8",
        )
        out = dest_dir / f"{top}{'-garbage' if garbage else ''}.argosmodel"
        write_zip(out, root, top)
    return out


def write_zip(out: Path, root: Path, top: str) -> None:
    """Zip *root* as a single top folder *top*, with fixed timestamps (reproducible bytes)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(top + "/", (2024, 1, 1, 0, 0, 0)), b"")
        for path in sorted(root.rglob("*")):
            arc = top + "/" + path.relative_to(root).as_posix()
            if path.is_dir():
                zf.writestr(zipfile.ZipInfo(arc + "/", (2024, 1, 1, 0, 0, 0)), b"")
            else:
                info = zipfile.ZipInfo(arc, (2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())


def extract_package(archive: Path, dest: Path) -> Path:
    """Unzip a (trusted, self-built) package and return its top folder."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
        top = zf.namelist()[0].split("/")[0]
    return dest / top


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def model_output(package_dir: Path, text: str, dictionary: Mapping[str, str] | None = None) -> str:
    """What the dictionary model of a package built here answers for ``text``.

    Computed from the package's own tokenizer and the dictionary alone (no
    model involved): each piece through the dictionary, the rest copied.
    """
    import sentencepiece as spm

    dictionary = DEFAULT_DICTIONARY if dictionary is None else dictionary
    sp = spm.SentencePieceProcessor(model_file=str(Path(package_dir) / "sentencepiece.model"))
    mapping = piece_mapping(sp, dictionary)
    return sp.decode_pieces([mapping.get(p, p) for p in sp.encode(text, out_type=str)])
