"""``ImageCompressor``: the one entry point that compresses every image of a request."""

from __future__ import annotations

import asyncio
import base64
import contextvars
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._exceptions import (
    CompressionTimeoutError,
    ConfigurationError,
    HeadroomError,
    TechniqueRefusedError,
    UnsupportedImageError,
)
from ._fetch import FetchPolicy, fetch_image
from ._imageio import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, decode_image
from .cache import CacheKey, LRUCache, SQLiteStore
from .codecs import ImageRef, Replacement, find_images, latest_user_turn, rewrite
from .costs import CostModel, get_cost_model
from .ocr._base import OcrEngine
from .router._base import RegionLocator, Router
from .router.policy import DEFAULT_POLICY, POLICY_VERSION, RoutingPolicy
from .techniques import TECHNIQUES, Applied, ApplyContext, PreserveApplier, TechniqueApplier, TranscodeApplier
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


class _BackgroundJob(Generic[T]):
    """One call run on its own daemon thread, so its caller can stop waiting for it.

    Python cannot kill a thread: a job whose caller gave up (abandoned) runs to its end, and its
    result or exception is then discarded; ``abandon`` registers what to do at that moment.
    """

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._context = contextvars.copy_context()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        self._on_abandoned_done: Callable[[BaseException | None], None] | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="headroom-budget", daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._context.run(self._fn)
        except BaseException as exc:  # carried to the waiting caller (or discarded once abandoned)
            self._error = exc
        finally:
            with self._lock:
                self._done.set()
                callback = self._on_abandoned_done
            if callback is not None:
                callback(self._error)

    def wait(self, timeout: float) -> bool:
        return self._done.wait(max(0.0, timeout))

    def abandon(self, on_done: Callable[[BaseException | None], None]) -> bool:
        """Stop waiting: ``on_done`` runs when the job ends. False when it has already ended."""
        with self._lock:
            if self._done.is_set():
                return False
            self._on_abandoned_done = on_done
            return True

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


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
        time_budget_s: per-image budget in seconds (``None`` = none). Routing and the technique
            (OCR included) run on a background thread that the request waits for only until the
            budget is spent; an image over it is sent unchanged with a reason starting ``timeout``.
            The overrunning work cannot be killed: it finishes in the background and its result is
            discarded. While :attr:`max_abandoned_jobs` such jobs are still running, new images are
            not started and are sent unchanged (reason ``timeout``), so a stream of slow images
            cannot pile up threads: background threads stay within that limit plus one per request
            being compressed at that moment.
        max_pixels, max_bytes: images above these caps are sent unchanged, with the reason.
        fetch: a :class:`FetchPolicy` to opt in to fetching URL images (allow-listed hosts only);
            by default URL and file-id images are passed through untouched.
    """

    #: Most jobs that overran the time budget and still run in the background (per compressor).
    max_abandoned_jobs: int = 4

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
        self._jobs_lock = threading.Lock()
        self._abandoned = 0
        with_policy: dict[Technique, TechniqueApplier] = {
            Technique.TRANSCODE: TranscodeApplier(ocr_engine, policy),
            Technique.PRESERVE: PreserveApplier(policy),
        }
        self._appliers: dict[Technique, TechniqueApplier] = {
            t: with_policy.get(t) or cls() for t, cls in TECHNIQUES.items()
        }
        self._cache: LRUCache[_Outcome] | None = LRUCache(cache_size) if cache is not False else None
        self._store = SQLiteStore(cache) if isinstance(cache, str | os.PathLike) else None
        engine_name = ocr_engine if isinstance(ocr_engine, str) else ocr_engine.name
        locator_name = "query" if locator is None else locator.name
        techniques_on = sorted(t.value for t in self.allowed)
        analyzer_name = f"siglip={siglip_model or 'default'}" if use_siglip else "embedded"
        self._settings = (
            f"{alignment}:{max_downscale}:{techniques_on}:{engine_name}:{locator_name}:{analyzer_name}"
        )
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
    def abandoned_jobs(self) -> int:
        """Jobs that overran the time budget and are still running in the background."""
        with self._jobs_lock:
            return self._abandoned

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
        # A timed-out image was sent unchanged: remembered too, so later turns resend it unchanged.
        error = outcome.result.error
        if key is not None and self._cache is not None and (error is None or error.startswith("timeout")):
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
        # Routing and the technique (the stages that may run OCR) run within what is left of the
        # budget; ``stage`` names the one running, for the timeout reason.
        stage = ["routing"]

        def route_and_apply() -> _Outcome:
            try:
                decision = self.router.decide(decoded.image, ref.query, cost_model, detail)
            except Exception as exc:  # the request must go through whatever the router does
                logger.warning(
                    "router failed on image %d: %s", n, exc, exc_info=logger.isEnabledFor(logging.DEBUG)
                )
                return passthrough(f"router failed: {type(exc).__name__}: {exc}", original_tokens, size)
            if self._over_budget(start):
                why = "timeout: time budget exceeded while routing"
                return passthrough(why, original_tokens, size, decision)
            if decision.technique not in self.allowed:
                decision = decision.with_technique(
                    Technique.PRESERVE, f"{decision.technique.value} is disabled by configuration; image kept"
                )
            if decision.technique is Technique.TRANSCODE and not ref.accepts_text:
                decision = decision.with_technique(
                    Technique.PRESERVE,
                    f"TRANSCODE refused: a {ref.format} block at this place cannot hold text",
                )
            stage[0] = decision.technique.value
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
            except CompressionTimeoutError as exc:  # an engine's own time limit (e.g. tesseract's)
                return passthrough(f"timeout: {exc}", original_tokens, size, decision)
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

        try:
            outcome = self._within_budget(route_and_apply, start, stage)
        except CompressionTimeoutError as exc:
            return passthrough(f"timeout: {exc}", original_tokens, size)
        return outcome

    def _apply(
        self, decision: RouteDecision, context: Callable[[RouteDecision], ApplyContext]
    ) -> tuple[RouteDecision, Applied]:
        try:
            return decision, self._appliers[decision.technique].apply(context(decision))
        except TechniqueRefusedError as exc:
            refused = str(exc)
        second = decision.fallback
        if second is not Technique.PRESERVE and second in self.allowed:
            # the router's own second choice for a refusal (fusion rules 2f and 4c)
            chosen = decision.with_technique(
                second,
                f"{refused}; sent as {second.value}, the router's fallback",
                # CROP: the crop's region; FULL_LOW: the title kept beside the low view (rule 3c)
                region=decision.region if second in (Technique.CROP, Technique.FULL_LOW) else None,
            )
            try:
                return chosen, self._appliers[second].apply(context(chosen))
            except TechniqueRefusedError as exc:
                refused = f"{refused}; {second.value} refused too: {exc}"
        kept = decision.with_technique(Technique.PRESERVE, refused)
        return kept, self._appliers[Technique.PRESERVE].apply(context(kept))

    def _over_budget(self, start: float) -> bool:
        return self.time_budget_s is not None and time.perf_counter() - start > self.time_budget_s

    def _within_budget(self, fn: Callable[[], T], start: float, stage: list[str]) -> T:
        """``fn()``, waited for only until the time budget that started at ``start`` is spent.

        ``fn`` runs on a daemon thread (no budget: inline). When the budget runs out first, the
        job is abandoned: it cannot be killed, so it runs to its end in the background (stopping at
        its next stage boundary, where it checks the budget itself) and its result is discarded.
        Raises :class:`CompressionTimeoutError` on a timeout, and at once while
        :attr:`max_abandoned_jobs` abandoned jobs are still running.
        """
        budget = self.time_budget_s
        if budget is None:
            return fn()
        with self._jobs_lock:
            running = self._abandoned
        if running >= self.max_abandoned_jobs:
            raise CompressionTimeoutError(
                f"not started: {running} earlier image(s) that overran the {budget:g} s budget are still "
                f"being processed in the background (max_abandoned_jobs={self.max_abandoned_jobs})"
            )
        job = _BackgroundJob(fn)
        job.start()
        if job.wait(budget - (time.perf_counter() - start)):
            return job.result()
        running_stage = stage[0]
        with self._jobs_lock:
            abandoned = job.abandon(self._abandoned_job_done)
            if abandoned:
                self._abandoned += 1
        if not abandoned:  # it ended just now
            return job.result()
        logger.info("image over its %g s time budget in %s; sent unchanged", budget, running_stage)
        raise CompressionTimeoutError(
            f"{running_stage} did not finish within the {budget:g} s time budget (it finishes in the "
            "background and its result is discarded)"
        )

    def _abandoned_job_done(self, error: BaseException | None) -> None:
        with self._jobs_lock:
            self._abandoned -= 1
        logger.debug("an abandoned job ended (%s); its result was discarded", error or "ok")


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
            "error": r.error,
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
            fallback=Technique(d.get("fallback", "preserve")),
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
        error=r.get("error"),
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
