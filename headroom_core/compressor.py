"""``ImageCompressor``: the one entry point that compresses every image of a request."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, TypeVar

from ._exceptions import ConfigurationError, HeadroomError, TechniqueRefusedError, UnsupportedImageError
from ._fetch import FetchPolicy, fetch_image
from ._imageio import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, decode_image
from .cache import CacheKey, LRUCache, SQLiteStore
from .codecs import ImageRef, Replacement, find_images, latest_user_turn, rewrite
from .costs import CostModel, get_cost_model
from .ocr._base import OcrEngine
from .router._base import RegionLocator, Router
from .router.policy import DEFAULT_POLICY, POLICY_VERSION, RoutingPolicy
from .techniques import TECHNIQUES, Applied, ApplyContext, TechniqueApplier, TranscodeApplier
from .types import Box, CompressionResult, ImageResult, RouteDecision, Technique

__all__ = ["ImageCompressor", "compress_images"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_PROVIDERS = ("openai", "anthropic", "google")
_ALIASES = {"gemini": "google", "vertex": "google", "vertexai": "google", "claude": "anthropic"}


def _normalise_provider(provider: str) -> str:
    p = provider.strip().lower()
    p = _ALIASES.get(p, p)
    if p not in _PROVIDERS:
        raise ConfigurationError(f"unknown provider {provider!r}; expected one of {', '.join(_PROVIDERS)}")
    return p


@dataclass(frozen=True)
class _Outcome:
    """What was decided for one image: the replacement to write (``None`` = unchanged) and its result."""

    replacement: Replacement | None
    result: ImageResult


class ImageCompressor:
    """Compresses the images of chat requests, per image, for the question asked about it.

    ``compress`` returns a new message structure (the input is never mutated). Every image gets an
    :class:`ImageResult` in :attr:`last_result` with exact before/after provider tokens; an image
    that cannot be handled is sent exactly as given, with the reason recorded. One instance is safe
    to share between threads and asyncio tasks.

    Args:
        provider: ``"openai"``, ``"anthropic"`` or ``"google"`` (``"gemini"`` accepted).
        model: model name for the token rules (dated snapshots resolve by prefix); ``None`` = the
            provider's default family.
        router: ``"auto"`` (the trained router when the ``ml`` extra and its head are installed,
            else the rule-based router), ``"trained"``, ``"rules"``, or a :class:`Router`.
        use_siglip: use a SigLIP checkpoint (``siglip_model``) for image signals in the trained router.
        alignment: tile alignment mode for PRESERVE: ``"bounded"`` (default), ``"lossless"``, ``"off"``.
        max_downscale: the most ``bounded`` alignment may shrink each side (fraction).
        techniques: techniques allowed (default all); others fall back to PRESERVE.
        ocr_engine: OCR engine for TRANSCODE: a name (``"auto"``, ``"tesseract"``, ``"easyocr"``) or an
            :class:`~headroom_core.ocr.OcrEngine`.
        cache: keep decisions and outputs by image content so history stays byte-identical
            (``True``: in memory, bounded LRU; a path: also persisted in that SQLite file; ``False``: off).
        time_budget_s: per-image budget; an image over it is sent unchanged with reason ``timeout``.
        max_pixels, max_bytes: images above these caps are sent unchanged, with the reason.
        fetch: a :class:`FetchPolicy` to opt in to fetching URL images (allow-listed hosts only);
            by default URL and file-id images are passed through untouched.
    """

    def __init__(
        self,
        provider: str = "openai",
        model: str | None = None,
        *,
        router: Router | str = "auto",
        use_siglip: bool = False,
        siglip_model: str | None = None,
        alignment: str = "bounded",
        max_downscale: float = 0.125,
        techniques: Iterable[Technique | str] | None = None,
        ocr_engine: str | OcrEngine = "auto",
        policy: RoutingPolicy = DEFAULT_POLICY,
        locator: RegionLocator | None = None,
        cache: bool | str | os.PathLike[str] = True,
        cache_size: int = 2048,
        time_budget_s: float | None = 30.0,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        fetch: FetchPolicy | None = None,
    ) -> None:
        self.provider = _normalise_provider(provider)
        self.model = model
        get_cost_model(self.provider, model)  # fail fast on a bad provider
        if alignment not in ("bounded", "lossless", "off"):
            raise ConfigurationError(f"alignment must be 'bounded', 'lossless' or 'off', not {alignment!r}")
        if not 0.0 <= max_downscale < 1.0:
            raise ConfigurationError("max_downscale must be in [0, 1)")
        self.alignment = alignment
        self.max_downscale = max_downscale
        self.allowed = (
            frozenset(Technique(t) for t in techniques) if techniques is not None else frozenset(Technique)
        )
        self.policy = policy
        self.use_siglip = use_siglip
        self.siglip_model = siglip_model
        self.time_budget_s = time_budget_s
        self.max_pixels = max_pixels
        self.max_bytes = max_bytes
        self.fetch = fetch
        self._router_spec = router
        self._router: Router | None = router if isinstance(router, Router) else None
        self._locator = locator
        self._ocr_engine = ocr_engine
        self._lock = threading.Lock()
        self._appliers: dict[Technique, TechniqueApplier] = {
            t: (TranscodeApplier(ocr_engine, policy) if t is Technique.TRANSCODE else cls())
            for t, cls in TECHNIQUES.items()
        }
        self._cache: LRUCache[_Outcome] | None = LRUCache(cache_size) if cache is not False else None
        self._store = SQLiteStore(cache) if isinstance(cache, str | os.PathLike) else None
        engine_name = ocr_engine if isinstance(ocr_engine, str) else ocr_engine.name
        locator_name = "query" if locator is None else locator.name
        techniques_on = sorted(t.value for t in self.allowed)
        self._settings = f"{alignment}:{max_downscale}:{techniques_on}:{engine_name}:{locator_name}"
        self.last_result: CompressionResult | None = None

    # -- public API -------------------------------------------------------------------------

    @property
    def router(self) -> Router:
        """The router, created on first use (see ``router`` in the constructor)."""
        if self._router is None:
            with self._lock:
                if self._router is None:
                    self._router = self._make_router()
        return self._router

    @property
    def last_savings(self) -> float:
        """Percent of image tokens saved by the last call (0.0 before any call)."""
        return self.last_result.savings_percent if self.last_result else 0.0

    def compress(self, messages: T, provider: str | None = None, model: str | None = None) -> T:
        """Return a copy of ``messages`` with every image compressed; see :attr:`last_result`."""
        return self.compress_with_result(messages, provider=provider, model=model)[0]

    async def acompress(self, messages: T, provider: str | None = None, model: str | None = None) -> T:
        """``compress`` off the event loop (the CPU work runs in a worker thread)."""
        out, _ = await asyncio.to_thread(self.compress_with_result, messages, provider, model)
        return out

    def compress_with_result(
        self, messages: T, provider: str | None = None, model: str | None = None
    ) -> tuple[T, CompressionResult]:
        """Like :meth:`compress`, also returning this call's result (safe under concurrency)."""
        prov = _normalise_provider(provider) if provider else self.provider
        mdl = (
            model
            if model is not None
            else (self.model if provider is None or prov == self.provider else None)
        )
        cost_model = get_cost_model(prov, mdl)
        refs = find_images(messages)
        latest = latest_user_turn(messages)
        replacements: dict[tuple[str | int, ...], Replacement] = {}
        results: list[ImageResult] = []
        for n, ref in enumerate(refs, start=1):
            outcome = self._process(ref, n, prov, mdl, cost_model, fresh=ref.message_index >= latest)
            results.append(outcome.result)
            if outcome.replacement is not None:
                replacements[ref.location] = outcome.replacement
        out = self._rewrite(messages, replacements, results)
        result = CompressionResult(images=tuple(results), provider=prov, model=mdl)
        self.last_result = result
        if results:
            logger.debug(
                "compressed %d image(s): %d -> %d tokens (%.1f%%)",
                len(results),
                result.original_tokens,
                result.compressed_tokens,
                result.savings_percent,
            )
        return out, result

    def compress_many(
        self,
        requests: Sequence[T],
        provider: str | None = None,
        model: str | None = None,
        *,
        max_workers: int | None = None,
        progress: bool | None = None,
    ) -> list[tuple[T, CompressionResult]]:
        """Compress many requests on a bounded thread pool, in order.

        ``progress``: show a tqdm bar (``None`` = only in a notebook, when tqdm is installed).
        """
        from concurrent.futures import ThreadPoolExecutor

        workers = max(1, max_workers or min(4, os.cpu_count() or 1))
        bar = _progress_bar(len(requests), progress)
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="headroom") as pool:
                futures = [pool.submit(self.compress_with_result, r, provider, model) for r in requests]
                results = []
                for future in futures:
                    results.append(future.result())
                    if bar is not None:
                        bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        return results

    @staticmethod
    def _rewrite(
        messages: T, replacements: dict[tuple[str | int, ...], Replacement], results: list[ImageResult]
    ) -> T:
        """Write all replacements; one that the block cannot take is dropped (fail open) with its reason."""
        if not replacements:
            return _copy(messages)
        try:
            return rewrite(messages, replacements)
        except HeadroomError:
            pass
        out = _copy(messages)
        for i, r in enumerate(results):
            rep = replacements.get(r.location)
            if rep is None:
                continue
            try:
                out = rewrite(out, {r.location: rep})
            except HeadroomError as exc:
                results[i] = replace(
                    r,
                    technique=None,
                    compressed_tokens=r.original_tokens,
                    compressed_bytes=r.original_bytes,
                    compressed_size=r.original_size,
                    text=None,
                    error=f"rewrite refused: {exc}",
                )
        return out

    def classify(
        self, image_data: bytes, query: str = "", *, provider: str | None = None, model: str | None = None
    ) -> RouteDecision:
        """The decision the router would make for these bytes and this question."""
        prov = _normalise_provider(provider) if provider else self.provider
        return self.router.classify(image_data, query, provider=prov, model=model or self.model)

    def warm_up(self) -> None:
        """Load the router's models and the OCR engine now (for servers)."""
        self.router.warm_up()
        applier = self._appliers[Technique.TRANSCODE]
        if isinstance(applier, TranscodeApplier) and Technique.TRANSCODE in self.allowed:
            applier.engine.warm_up()

    def close(self) -> None:
        """Drop cached outputs. Process-wide models stay loaded for other instances."""
        if self._cache is not None:
            self._cache.clear()

    def __enter__(self) -> ImageCompressor:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------

    def _make_router(self) -> Router:
        spec = self._router_spec
        if spec not in ("auto", "trained", "rules"):
            raise ConfigurationError(f"router must be 'auto', 'trained', 'rules' or a Router, not {spec!r}")
        analyzer = None
        if self.use_siglip:
            from .analyzers import get_analyzer

            analyzer = get_analyzer(
                "siglip", model_name_or_path=self.siglip_model, best_effort=spec == "auto"
            )
        if spec in ("auto", "trained"):
            try:
                from .router.trained import TrainedRouter

                return TrainedRouter(
                    analyzer=analyzer, locator=self._default_locator(analyzer), policy=self.policy
                )
            except (ImportError, HeadroomError) as exc:
                if spec == "trained":
                    raise
                logger.info("trained router unavailable (%s); using the rule-based router", exc)
        from .router.rules import RuleBasedRouter

        return RuleBasedRouter(analyzer=analyzer, locator=self._default_locator(analyzer), policy=self.policy)

    def _default_locator(self, analyzer: object = None) -> RegionLocator:
        if self._locator is None:
            from .locate import QueryRegionLocator, siglip_patch_scorer

            # With SigLIP weights configured (a SiglipImageAnalyzer), SigLIP patch similarity is the
            # locator's last resort, on the analyzer's already-loaded checkpoint; otherwise none.
            scorer = siglip_patch_scorer(analyzer)
            self._locator = QueryRegionLocator(ocr_engine=self._ocr_engine, patch_scorer=scorer)
        return self._locator

    def _cache_key(self, data: bytes, provider: str, model: str | None, ref: ImageRef) -> CacheKey:
        return CacheKey(
            content_sha256=hashlib.sha256(data).hexdigest(),
            provider=provider,
            model=model or "",
            detail=ref.detail,
            query_sha1=hashlib.sha1(ref.query.encode("utf-8")).hexdigest(),
            policy=f"{POLICY_VERSION}:{self._settings}:{self._router_name()}",
        )

    def _router_name(self) -> str:
        spec = self._router_spec
        return spec if isinstance(spec, str) else type(spec).__name__

    def _process(
        self, ref: ImageRef, n: int, provider: str, model: str | None, cost_model: CostModel, *, fresh: bool
    ) -> _Outcome:
        start = time.perf_counter()
        blank = ImageResult(ref.location, ref.format, None, 0, 0)
        data = ref.data
        if ref.source == "url" and ref.url and self.fetch is not None:
            try:
                data = fetch_image(ref.url, self.fetch)
            except UnsupportedImageError as exc:
                return _Outcome(None, replace(blank, error=str(exc)))
        elif ref.source != "base64":
            what = ref.url if ref.source == "url" else ref.file_id
            reason = f"{ref.source} image ({_short(what)}) is not fetched; sent as given"
            return _Outcome(None, replace(blank, skipped_reason=reason))
        if data is None or ref.error:
            return _Outcome(None, replace(blank, error=ref.error or "no image bytes"))
        key = self._cache_key(data, provider, model, ref) if self._cache is not None else None
        if key is not None and self._cache is not None and not fresh:
            hit = self._cache.get(key) or self._from_store(key)
            if hit is not None:
                elapsed = (time.perf_counter() - start) * 1000
                result = replace(hit.result, location=ref.location, elapsed_ms=elapsed, cached=True)
                return _Outcome(hit.replacement, result)
        outcome = self._decide_and_apply(ref, n, data, provider, model, cost_model, start)
        if key is not None and self._cache is not None and outcome.result.error is None:
            self._cache.put(key, outcome)
            if self._store is not None:
                self._store.put(key, _outcome_record(outcome))
        return outcome

    def _from_store(self, key: CacheKey) -> _Outcome | None:
        if self._store is None or self._cache is None:
            return None
        record = self._store.get(key)
        if record is None:
            return None
        outcome = _outcome_from_record(record)
        self._cache.put(key, outcome)
        return outcome

    def _decide_and_apply(
        self,
        ref: ImageRef,
        n: int,
        data: bytes,
        provider: str,
        model: str | None,
        cost_model: CostModel,
        start: float,
    ) -> _Outcome:
        blank = ImageResult(ref.location, ref.format, None, 0, 0, original_bytes=len(data))

        def passthrough(
            error: str,
            tokens: int = 0,
            size: tuple[int, int] | None = None,
            decision: RouteDecision | None = None,
        ) -> _Outcome:
            return _Outcome(
                None,
                replace(
                    blank,
                    original_tokens=tokens,
                    compressed_tokens=tokens,
                    decision=decision,
                    compressed_bytes=len(data),
                    original_size=size,
                    compressed_size=size,
                    elapsed_ms=(time.perf_counter() - start) * 1000,
                    error=error,
                ),
            )

        try:
            decoded = decode_image(data, max_pixels=self.max_pixels, max_bytes=self.max_bytes)
        except UnsupportedImageError as exc:
            return passthrough(str(exc))
        detail = ref.detail if ref.detail in cost_model.details else None
        try:
            original_tokens = cost_model.tokens(decoded.width, decoded.height, detail)
        except HeadroomError as exc:
            return passthrough(f"token cost unavailable: {exc}", size=decoded.size)
        size = decoded.size
        try:
            decision = self.router.decide(decoded.image, ref.query, cost_model, detail)
        except Exception as exc:  # the request must go through whatever the router does
            logger.warning(
                "router failed on image %d: %s", n, exc, exc_info=logger.isEnabledFor(logging.DEBUG)
            )
            return passthrough(f"router failed: {type(exc).__name__}: {exc}", original_tokens, size)
        if self._over_budget(start):
            return passthrough("timeout: time budget exceeded while routing", original_tokens, size, decision)
        if decision.technique not in self.allowed:
            decision = decision.with_technique(
                Technique.PRESERVE, f"{decision.technique.value} is disabled by configuration; image kept"
            )
        if decision.technique is Technique.TRANSCODE and not ref.accepts_text:
            decision = decision.with_technique(
                Technique.PRESERVE, f"TRANSCODE refused: a {ref.format} block at this place cannot hold text"
            )
        signals = decision.image_signals
        text_like = bool(signals and max(signals.has_text, signals.is_document) >= 0.5) or (
            signals is None and decoded.mime_type == "image/png"
        )

        def context(dec: RouteDecision) -> ApplyContext:
            return ApplyContext(
                decoded=decoded,
                original_data=data,
                cost_model=cost_model,
                detail=detail,
                original_tokens=original_tokens,
                query=ref.query,
                decision=dec,
                provider=provider,
                model=model,
                alignment=self.alignment,
                max_downscale=self.max_downscale,
                label=f"image {n}",
                text_like=text_like,
                region=dec.region,
                detail_settable=ref.format != "anthropic",
            )

        try:
            decision, applied = self._apply(decision, context)
        except Exception as exc:  # fail open: never fail a request
            logger.warning("technique %s failed on image %d: %s", decision.technique.value, n, exc)
            error = f"{decision.technique.value} failed: {type(exc).__name__}: {exc}"
            return passthrough(error, original_tokens, size, decision)
        if self._over_budget(start):
            return passthrough("timeout: time budget exceeded", original_tokens, size, decision)
        if applied.tokens > original_tokens:
            tech = applied.technique.value
            error = f"never costlier: {tech} would bill {applied.tokens} > {original_tokens} tokens"
            return passthrough(error, original_tokens, size, decision)
        return _Outcome(
            applied.replacement,
            replace(
                blank,
                technique=applied.technique,
                original_tokens=original_tokens,
                compressed_tokens=applied.tokens,
                decision=decision,
                compressed_bytes=applied.byte_size or len(data),
                original_size=size,
                compressed_size=applied.size,
                elapsed_ms=(time.perf_counter() - start) * 1000,
                text=applied.text,
                crop_box=_box_extra(applied),
            ),
        )

    def _apply(
        self, decision: RouteDecision, context: Callable[[RouteDecision], ApplyContext]
    ) -> tuple[RouteDecision, Applied]:
        try:
            return decision, self._appliers[decision.technique].apply(context(decision))
        except TechniqueRefusedError as exc:
            fallback = decision.with_technique(Technique.PRESERVE, str(exc))
            return fallback, self._appliers[Technique.PRESERVE].apply(context(fallback))

    def _over_budget(self, start: float) -> bool:
        return self.time_budget_s is not None and time.perf_counter() - start > self.time_budget_s


def _box_extra(applied: Applied) -> Box | None:
    box = applied.extras.get("box")
    return box if isinstance(box, Box) else None


def _outcome_record(outcome: _Outcome) -> dict[str, Any]:
    """JSON-able form of an outcome for the persistent store."""
    rep, r = outcome.replacement, outcome.result
    return {
        "replacement": None
        if rep is None
        else {
            "kind": rep.kind,
            "data": base64.b64encode(rep.data).decode("ascii") if rep.data is not None else None,
            "mime_type": rep.mime_type,
            "detail": rep.detail,
            "text": rep.text,
        },
        "result": {
            "location": list(r.location),
            "format": r.format,
            "technique": r.technique.value if r.technique else None,
            "original_tokens": r.original_tokens,
            "compressed_tokens": r.compressed_tokens,
            "original_bytes": r.original_bytes,
            "compressed_bytes": r.compressed_bytes,
            "original_size": list(r.original_size) if r.original_size else None,
            "compressed_size": list(r.compressed_size) if r.compressed_size else None,
            "skipped_reason": r.skipped_reason,
            "text": r.text,
            "crop_box": list(r.crop_box.as_tuple()) if r.crop_box else None,
            "decision": r.decision.as_dict() if r.decision else None,
        },
    }


def _outcome_from_record(record: dict[str, Any]) -> _Outcome:
    rep = record["replacement"]
    replacement = (
        None
        if rep is None
        else Replacement(
            kind=rep["kind"],
            data=base64.b64decode(rep["data"]) if rep["data"] is not None else None,
            mime_type=rep["mime_type"],
            detail=rep["detail"],
            text=rep["text"],
        )
    )
    r = record["result"]
    d = r["decision"]
    decision = (
        None
        if d is None
        else RouteDecision(
            technique=Technique(d["technique"]),
            confidence=d["confidence"],
            reason=d["reason"],
            router=d["router"],
            query_prediction=Technique(d["query_prediction"]) if d["query_prediction"] else None,
            query_confidence=d["query_confidence"],
        )
    )
    result = ImageResult(
        location=tuple(r["location"]),
        format=r["format"],
        technique=Technique(r["technique"]) if r["technique"] else None,
        original_tokens=r["original_tokens"],
        compressed_tokens=r["compressed_tokens"],
        decision=decision,
        original_bytes=r["original_bytes"],
        compressed_bytes=r["compressed_bytes"],
        original_size=tuple(r["original_size"]) if r["original_size"] else None,
        compressed_size=tuple(r["compressed_size"]) if r["compressed_size"] else None,
        skipped_reason=r["skipped_reason"],
        text=r["text"],
        crop_box=Box(*r["crop_box"]) if r.get("crop_box") else None,
    )
    return _Outcome(replacement, result)


def _progress_bar(total: int, progress: bool | None) -> Any:
    if progress is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    if progress is None:
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:
            return None
        if shell is None or "ZMQ" not in type(shell).__name__:
            return None
    return tqdm(total=total, desc="headroom-image", unit="request")


def _short(value: str | None, limit: int = 60) -> str:
    if not value:
        return "?"
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _copy(messages: T) -> T:
    import copy

    return copy.deepcopy(messages)


def compress_images(messages: T, provider: str = "openai", model: str | None = None, **options: Any) -> T:
    """One-shot helper: ``ImageCompressor(provider, model, **options).compress(messages)``."""
    with ImageCompressor(provider, model, **options) as compressor:
        return compressor.compress(messages)
