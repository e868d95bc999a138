"""Device and thread settings for the optional torch models, in one place.

``torch`` is imported lazily inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from ._exceptions import ConfigurationError, MissingDependencyError

__all__ = ["resolve_device", "set_torch_threads"]

logger = logging.getLogger(__name__)

_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
_threads_lock = threading.Lock()


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "this feature needs torch; install the ML extra: pip install 'headroom-image[ml]'"
        ) from exc
    return torch


def resolve_device(device: str | None = "auto") -> str:
    """Turn a device request into a concrete torch device string.

    ``"auto"`` (or ``None``) picks ``cuda`` when a CUDA device is usable, then ``mps``, else ``cpu``.
    ``"cpu"``, ``"mps"``, ``"cuda"`` and ``"cuda:N"`` are checked: asking for a device that is not
    there raises :class:`ConfigurationError` instead of failing later inside the model.
    """
    spec = "auto" if device is None else str(device).strip().lower()
    if not _DEVICE_RE.match(spec):
        raise ConfigurationError(f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', not {device!r}")
    if spec == "cpu":
        return "cpu"
    torch = _import_torch()
    if spec == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    if spec.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ConfigurationError(
                f"device {device!r} requested but CUDA is not available; use 'cpu' or 'auto'"
            )
        index = int(spec.split(":", 1)[1]) if ":" in spec else 0
        count = torch.cuda.device_count()
        if index >= count:
            raise ConfigurationError(f"device {device!r} requested but only {count} CUDA device(s) exist")
        return spec
    # mps
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_available():
        raise ConfigurationError(f"device {device!r} requested but MPS is not available; use 'cpu' or 'auto'")
    return "mps"


def set_torch_threads(threads: int | None) -> int | None:
    """Set torch's intra-op CPU thread count for the whole process; return the previous value.

    ``None`` leaves torch as it is and returns ``None``. This is process-wide (torch has no
    per-model setting). On small VMs one thread is often far faster than torch's default
    (see DESIGN "Install facts"), so the model-backed components expose it.
    """
    if threads is None:
        return None
    if threads < 1:
        raise ConfigurationError(f"threads must be >= 1 or None, not {threads!r}")
    torch = _import_torch()
    with _threads_lock:
        previous = int(torch.get_num_threads())
        if previous != threads:
            torch.set_num_threads(int(threads))
            logger.debug("torch intra-op threads: %d -> %d", previous, threads)
    return previous
