"""The token-cost model stage: one typed method, rules held as data."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from .._exceptions import ConfigurationError

__all__ = ["CostModel", "TokenCost"]


@dataclass(frozen=True, slots=True)
class TokenCost:
    """What a provider bills for one image, and the size it actually looks at.

    ``billed_width``/``billed_height`` is the image size after the provider's own resize
    (before any content-free padding).
    ``detail`` is the level the rule applied, with ``auto``/omitted resolved (``"high"`` for
    OpenAI tile models, ``"original"`` for gpt-5.5 ``auto``...); ``None`` when the model has
    no level or bills an omitted level by size (Anthropic, Gemini 1.x/2.x without
    ``media_resolution``).
    ``rejected`` is True when the provider documents that it rejects such an image (HTTP 400)
    instead of resizing it (gpt-5.6 ``original`` above 30,000 patches, Claude above
    8000 px a side); ``tokens`` is then what it would bill if it accepted it.
    """

    tokens: int
    billed_width: int
    billed_height: int
    detail: str | None
    rejected: bool = False

    @property
    def billed_size(self) -> tuple[int, int]:
        return (self.billed_width, self.billed_height)


class CostModel(ABC):
    """Token cost of one image for one provider/model family.

    ``detail`` is the provider's per-image resolution knob: OpenAI ``detail``
    (``low``/``high``/``original``/``auto``), Gemini ``media_resolution`` level
    (``low``/``medium``/``high``/``ultra_high``), ``None`` for Anthropic.
    ``None`` always means "what the provider does when the field is omitted".
    Values outside :attr:`details` raise :class:`~headroom_core.ConfigurationError`.
    """

    provider: str
    family: str
    #: The detail values this model accepts (empty when it has no such knob).
    details: tuple[str, ...] = ()
    #: Pixel grid the provider bills on (512 for OpenAI tiles, 32/28 for patches, 0 when size-independent).
    grid: int = 0
    #: Normalised model-name prefixes this rule covers (see :func:`~headroom_core.costs.get_cost_model`).
    models: tuple[str, ...] = ()

    @abstractmethod
    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        """Billed tokens for an image of ``width`` x ``height`` sent with ``detail``."""

    def tokens(self, width: int, height: int, detail: str | None = None) -> int:
        return self.cost(width, height, detail).tokens

    def grid_for(self, width: int, height: int, detail: str | None = None) -> int:
        """Pixel grid the token count steps on at this size and detail (0: it does not step).

        Used by tile alignment; differs from :attr:`grid` where a level is size-independent
        (OpenAI tile ``low``, Gemini levels) or the grid depends on the size (Gemini 2.x tiles).
        """
        return self.grid

    def cheapest_detail(self, width: int, height: int) -> tuple[str | None, int]:
        """The detail value billing the fewest tokens for this size, and those tokens.

        ``None`` (omit the field) when the model has no detail knob, or when omitting it is
        strictly cheaper than every explicit level (never, with today's rules). Ties go to the
        level keeping the larger billed size, then to the first in :attr:`details`.
        """
        best: tuple[str | None, int] = (None, 0)
        best_key: tuple[int, int] | None = None
        for detail in (*self.details, None):
            if detail == "auto":
                continue  # auto is what omitting the field does
            cost = self.cost(width, height, detail)
            key = (cost.tokens, -cost.billed_width * cost.billed_height)
            if best_key is None or key < best_key:
                best, best_key = (detail, cost.tokens), key
        return best

    def lossless_detail(self, width: int, height: int, detail: str | None = None) -> str | None:
        """A detail level billed fewer tokens than ``detail`` at which the provider still sees every
        pixel of a ``width`` x ``height`` image, where the provider's documentation leaves no doubt;
        ``None`` otherwise (the default)."""
        return None

    def normalize_detail(self, detail: str | None) -> str | None:
        """``detail`` lower-cased and checked against :attr:`details` (``None`` kept)."""
        if detail is None:
            return None
        value = str(detail).strip().lower()
        if value not in self.details:
            accepted = ", ".join(self.details) if self.details else "none (omit it)"
            raise ConfigurationError(
                f"detail {detail!r} is not valid for {self.provider} family {self.family!r}; "
                f"accepted: {accepted}"
            )
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(provider={self.provider!r}, family={self.family!r})"


def check_size(width: int, height: int) -> tuple[int, int]:
    """``(width, height)`` as ints, or :class:`ConfigurationError` if either is below 1."""
    w, h = int(width), int(height)
    if w < 1 or h < 1:
        raise ConfigurationError(f"image size must be at least 1x1 px, got {width}x{height}")
    return w, h


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def fit_within(width: int, height: int, max_side: int) -> tuple[int, int]:
    """Aspect-preserving downscale so both sides are at most ``max_side`` (floor, never enlarge)."""
    if width <= max_side and height <= max_side:
        return width, height
    if width >= height:
        return max_side, max(1, height * max_side // width)
    return max(1, width * max_side // height), max_side
