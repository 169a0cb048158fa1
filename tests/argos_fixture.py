"""A tiny but real Argos Translate package for tests.

``build_tiny_package`` trains a SentencePiece model on a few lines of mixed
Chinese, Vietnamese and English, builds a CTranslate2 Transformer with small
random weights whose vocabulary is exactly the SentencePiece vocabulary, and
zips both with a ``metadata.json`` as an ``.argosmodel`` file with exactly one
top-level directory, like the packages on the Argos index. Building one takes
well under a second.

The "translations" it produces are random English-ish pieces, but they come
from real beam search over a real model, so the whole load/tokenize/translate/
decode path runs. Random weights rarely emit ``</s>``, which makes it a good
test of the decoding length cap.

Fixtures (import them in ``conftest.py``):

* ``tiny_argos_package``: session-scoped path of a zh -> en ``.argosmodel`` file.
* ``argos_models_dir``: an isolated packages directory (``WORKBENCH_MODELS_DIR``
  points at it) with the tiny zh -> en package installed.
* ``argos_home``: alias of ``argos_models_dir``.
"""

from __future__ import annotations

import http.server
import io
import json
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

#: Training text: enough distinct characters for a ~200-piece vocabulary.
CORPUS = [
    "联合国与区域组织的合作。",
    "大会第七十届会议通过了这项决议。",
    "秘书长的报告载有关于可持续发展目标的建议。",
    "安全理事会决定继续处理此案。",
    "聯合國與區域組織的合作。",
    "秘書長的報告載有關於可持續發展目標的建議。",
    "Hợp tác giữa Liên Hợp Quốc và các tổ chức khu vực.",
    "Đại hội đồng đã thông qua nghị quyết này tại kỳ họp thứ bảy mươi.",
    "Báo cáo của Tổng thư ký có các khuyến nghị về mục tiêu phát triển bền vững.",
    "Cooperation between the United Nations and regional organizations.",
    "The General Assembly adopted this resolution at its seventieth session.",
    "The report of the Secretary-General contains recommendations on the sustainable development goals.",
    "The Security Council decided to remain seized of the matter.",
    "0123456789 , . ; : ( ) - % / A B C D E F G H I J K L M N O P Q R S T U V W X Y Z",
]

#: Model size: small enough that 500 sentences decode in about a second.
D_MODEL = 32
FFN_DIM = 64
NUM_HEADS = 2
NUM_LAYERS = (1, 1)
VOCAB_SIZE = 200


def train_sentencepiece(model_path: Path, vocab_size: int = VOCAB_SIZE) -> list[str]:
    """Train a SentencePiece model at ``model_path``; return its pieces in id order."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # fewer pieces than asked is fine
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,
        minloglevel=2,
    )
    model_path.write_bytes(model.getvalue())
    sp = spm.SentencePieceProcessor(model_file=str(model_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_ctranslate2_model(
    model_dir: Path,
    vocabulary: list[str],
    seed: int = 1234,
    *,
    layers: int | tuple[int, int] = NUM_LAYERS,
    heads: int = NUM_HEADS,
    d_model: int = D_MODEL,
    ffn: int = FFN_DIM,
    init_std: float | None = 0.5,
    edit: Callable[[Any], None] | None = None,
) -> None:
    """Save a Transformer with random weights and the given shared vocabulary to ``model_dir`` (int8).

    ``vocabulary`` must contain ``<unk>``, ``<s>`` and ``</s>`` (SentencePiece's
    defaults), the tokens CTranslate2 uses as unknown, decoder start and end.
    ``init_std=None`` scales weights by 1/sqrt(fan-in) with zero biases (the
    benchmark's realistic model); the tests' tiny model uses a fixed 0.5.
    ``edit(spec)``, if given, runs on the filled spec before it is saved (the benchmark's
    length mechanism).
    """
    import ctranslate2
    import numpy as np

    spec = ctranslate2.specs.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)
    d, ff, v = d_model, ffn, len(vocabulary)

    def shape_of(name: str) -> tuple[int, ...]:
        parts = name.split("/")
        leaf, layer, module = parts[-1], parts[-2], parts[-3] if len(parts) > 2 else ""
        if leaf in ("gamma", "beta"):
            return (d,)
        if layer.startswith("embeddings") or layer == "projection":
            return (v, d)
        if module == "ffn":
            return (ff, d) if layer == "linear_0" else (d, ff)
        if module == "self_attention":  # fused QKV, then output
            return (3 * d, d) if layer == "linear_0" else (d, d)
        if module == "attention":  # cross attention: Q, fused KV, output
            return (2 * d, d) if layer == "linear_1" else (d, d)
        raise AssertionError(f"unexpected variable {name}")

    for name, value in spec.variables(ordered=True):
        if value is not None:
            continue
        shape = shape_of(name)
        if name.endswith("gamma"):
            array = np.ones(shape, dtype=np.float32)
        elif name.endswith("beta") or (init_std is None and name.endswith("bias")):
            array = np.zeros(shape, dtype=np.float32)
        else:
            std = init_std if init_std is not None else 1.0 / np.sqrt(shape[-1])
            array = rng.normal(0.0, std, size=shape).astype(np.float32)
        owner = spec
        for part in name.split("/")[:-1]:
            if hasattr(owner, part):
                owner = getattr(owner, part)
            else:
                attr, index = part.rsplit("_", 1)
                owner = getattr(owner, attr)[int(index)]
        setattr(owner, name.split("/")[-1], array)

    if edit is not None:
        edit(spec)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def metadata(from_code: str, to_code: str, version: str) -> dict[str, object]:
    """An Argos-style metadata.json for a translate package."""
    names = {"zh": "Chinese", "zt": "Chinese (traditional)", "vi": "Vietnamese", "en": "English"}
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": names.get(from_code, from_code),
        "to_code": to_code,
        "to_name": names.get(to_code, to_code),
        "type": "translate",
    }


def zip_package(src_dir: Path, dest: Path, top: str) -> Path:
    """Zip the contents of ``src_dir`` under the single top-level directory ``top``."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(src_dir.rglob("*")):
            arcname = f"{top}/{path.relative_to(src_dir).as_posix()}"
            if path.is_dir():
                zf.writestr(arcname + "/", b"")
            else:
                zf.write(path, arcname)
    return dest


def build_package_dir(dest_dir: Path, from_code: str = "zh", to_code: str = "en", version: str = "1.0") -> Path:
    """Build the unzipped package directory ``dest_dir`` (metadata.json, sentencepiece.model, model/)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    vocabulary = train_sentencepiece(dest_dir / "sentencepiece.model")
    build_ctranslate2_model(dest_dir / "model", vocabulary)
    (dest_dir / "metadata.json").write_text(json.dumps(metadata(from_code, to_code, version), indent=2), encoding="utf-8")
    return dest_dir


def build_tiny_package(dest_dir: Path, from_code: str = "zh", to_code: str = "en", version: str = "1.0") -> Path:
    """Build a tiny but real ``.argosmodel`` file in ``dest_dir`` and return its path."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        pkg_dir = build_package_dir(Path(tmp) / top, from_code, to_code, version)
        return zip_package(pkg_dir, dest_dir / f"{top}.argosmodel", top)


def rezip_with_metadata(src: Path, dest: Path, *, top: str | None = None, **changes: object) -> Path:
    """Copy the package ``src`` to ``dest`` with ``metadata.json`` fields changed (e.g. ``package_version``).

    ``top`` renames the top-level directory.
    """
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            old_top, _, rest = info.filename.partition("/")
            if rest == "metadata.json":
                meta = json.loads(data)
                meta.update(changes)
                data = json.dumps(meta).encode("utf-8")
            zout.writestr(f"{top or old_top}/{rest}", data)
    return dest


@pytest.fixture(scope="session")
def tiny_argos_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a tiny zh -> en ``.argosmodel`` file, built once per test session."""
    return build_tiny_package(tmp_path_factory.mktemp("argos-package"))


@pytest.fixture
def argos_models_dir(tiny_argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated packages directory with the tiny zh -> en package installed.

    ``WORKBENCH_MODELS_DIR`` points at it, so ``workbench.models.packages_dir()``
    and the ``argos`` engine find it and nothing outside the test is touched.
    """
    from workbench.models import install_file

    directory = tmp_path / "argos-packages"
    directory.mkdir()
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(directory))
    install_file(tiny_argos_package, directory)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def argos_home(argos_models_dir: Path) -> Path:
    """Alias of ``argos_models_dir``."""
    return argos_models_dir


# --------------------------------------------------------------------------- a local package index


class Server:
    """A local HTTP server serving files from a directory; records the paths it served."""

    def __init__(self, root: Path) -> None:
        served = self.served = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self):  # noqa: N802
                served.append(self.path)
                super().do_GET()

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    srv = Server(root)
    try:
        yield srv, root
    finally:
        srv.close()


def write_index(root: Path, entries: list[dict[str, object]]) -> None:
    (root / "index.json").write_text(json.dumps(entries), encoding="utf-8")


def index_entry(from_code: str, link: str | list[str], version: str = "1.0") -> dict[str, object]:
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "links": link if isinstance(link, list) else [link],
    }
