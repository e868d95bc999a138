"""Provider image-token rules as data: one row per model family.

Source: ``research/provider-token-rules.md`` (OpenAI §1, Anthropic §2, Gemini §3), newest doc
version unless a row says otherwise. ``models`` are normalised name prefixes (lower case,
``.``/``_``/``@`` written as ``-``); a name resolves to the row with the longest matching prefix.
Adding a model is adding a prefix to a row, or a row.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANTHROPIC_RULES",
    "GEMINI_RULES",
    "OPENAI_PATCH_RULES",
    "OPENAI_TILE_RULES",
    "ClaudeLegacyRule",
    "ClaudeRule",
    "GeminiRule",
    "PatchLimit",
    "PatchRule",
    "TileRule",
]


# --- OpenAI ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TileRule:
    """OpenAI tile method (§1.2): ``low`` = base; ``high``/``auto`` = base + per_tile x tiles."""

    family: str
    models: tuple[str, ...]
    base: int
    per_tile: int
    #: Shortest side after the 2048 fit (768; 512 for gpt-image-1 input).
    short_side: int = 768
    long_fit: int = 2048
    tile: int = 512
    note: str = ""


@dataclass(frozen=True, slots=True)
class PatchLimit:
    """One detail level of the patch method: fit inside ``max_side`` then an optional patch budget."""

    max_side: int
    budget: int | None
    #: Patches above which the provider rejects the image instead of resizing it.
    reject_above: int | None = None


@dataclass(frozen=True, slots=True)
class PatchRule:
    """OpenAI patch method (§1.3): 32-px patches, a per-level fit and budget, tokens = ceil(patches x m)."""

    family: str
    models: tuple[str, ...]
    #: Patches -> tokens multiplier, as a decimal string (exact arithmetic).
    multiplier: str
    #: (detail, limit) for every accepted level except ``auto``.
    levels: tuple[tuple[str, PatchLimit], ...]
    #: The level ``auto`` and an omitted detail stand for.
    auto: str
    patch: int = 32
    note: str = ""


_FIT_512 = PatchLimit(512, None)
_HIGH_2500 = PatchLimit(2048, 2500)
_ORIGINAL_10K = PatchLimit(6000, 10_000)
_ORIGINAL_UNCAPPED = PatchLimit(65_535, None, reject_above=30_000)
_ALL_6144 = PatchLimit(2048, 6144)
_ALL_1536 = PatchLimit(2048, 1536)


def _same_levels(limit: PatchLimit) -> tuple[tuple[str, PatchLimit], ...]:
    return (("low", limit), ("high", limit))


OPENAI_TILE_RULES: tuple[TileRule, ...] = (
    TileRule("gpt-4o", ("gpt-4o", "chatgpt-4o", "gpt-4-1", "gpt-4-5"), 85, 170),
    TileRule("gpt-4o-mini", ("gpt-4o-mini",), 2833, 5667),
    TileRule("o1-o3", ("o1", "o1-pro", "o3"), 75, 150),
    TileRule("computer-use-preview", ("computer-use-preview",), 65, 129),
    TileRule("gpt-5", ("gpt-5", "gpt-5-chat-latest", "gpt-5-1"), 70, 140),
    TileRule(
        "gpt-image-1",
        ("gpt-image-1",),
        65,
        129,
        short_side=512,
        note="input, low fidelity; the high-input-fidelity surcharge is not modelled",
    ),
)

OPENAI_PATCH_RULES: tuple[PatchRule, ...] = (
    PatchRule(
        "gpt-5.6",
        ("gpt-5-6",),
        "1.2",
        (("low", _FIT_512), ("high", _HIGH_2500), ("original", _ORIGINAL_UNCAPPED)),
        auto="original",
    ),
    PatchRule(
        "gpt-6-astra",
        ("gpt-6-astra",),
        "1.2",
        (("low", _FIT_512), ("high", _HIGH_2500), ("original", _ORIGINAL_UNCAPPED)),
        auto="original",
        note="secondary: third-party review of the doc as of 2026-09-24",
    ),
    PatchRule(
        "gpt-5.5",
        ("gpt-5-5",),
        "1.2",
        (("low", _FIT_512), ("high", _HIGH_2500), ("original", _ORIGINAL_10K)),
        auto="original",
    ),
    PatchRule(
        "gpt-5.4",
        ("gpt-5-4",),  # also gpt-5.4-mini and gpt-5.4-nano
        "1.2",
        (("low", _ALL_6144), ("high", _HIGH_2500), ("original", _ORIGINAL_10K)),
        auto="high",
    ),
    PatchRule("gpt-5.2", ("gpt-5-2",), "1.2", _same_levels(_ALL_6144), auto="high"),
    PatchRule("gpt-4.1-mini", ("gpt-4-1-mini",), "1.62", _same_levels(_ALL_6144), auto="high"),
    # The newest doc gives only multipliers for these; the budget is the older doc's 1,536.
    PatchRule("gpt-4.1-nano", ("gpt-4-1-nano",), "2.46", _same_levels(_ALL_1536), auto="high"),
    PatchRule("o4-mini", ("o4-mini",), "1.72", _same_levels(_ALL_1536), auto="high"),
    PatchRule("gpt-5-mini", ("gpt-5-mini",), "1.2", _same_levels(_ALL_1536), auto="high"),
    PatchRule("gpt-5-nano", ("gpt-5-nano",), "1.5", _same_levels(_ALL_1536), auto="high"),
    PatchRule(
        "gpt-5-codex-mini",
        ("gpt-5-codex-mini", "gpt-5-1-codex-mini"),
        "1.2",
        _same_levels(_ALL_1536),
        auto="high",
        note="assumed: gpt-5-mini's multiplier; the doc lists 'codex minis' in the 1,536 family only",
    ),
    PatchRule(
        "codex-mini",
        ("codex-mini",),
        "1.72",
        _same_levels(_ALL_1536),
        auto="high",
        note="assumed: o4-mini's multiplier (codex-mini-latest is an o4-mini derivative)",
    ),
)


# --- Anthropic ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaudeRule:
    """Claude 28-px patch rule (§2.2): resize to the tier's limits, tokens = ceil(w/28) x ceil(h/28)."""

    family: str
    models: tuple[str, ...]
    max_edge: int
    max_tokens: int
    patch: int = 28
    #: Sides above this are rejected (§2.2 limits).
    reject_side: int = 8000


@dataclass(frozen=True, slots=True)
class ClaudeLegacyRule:
    """Claude legacy rule (§2.1): tokens = ceil(w x h / 750) after a 1568-px / ~1,600-token resize."""

    family: str
    models: tuple[str, ...]
    max_edge: int = 1568
    max_tokens: int = 1600
    pixels_per_token: int = 750
    reject_side: int = 8000


#: Claude models at or after this version use the high-resolution tier ("Claude 4.7 and later").
CLAUDE_HIGHRES_SINCE: tuple[int, int] = (4, 7)

ANTHROPIC_STANDARD = ClaudeRule("anthropic-standard", ("claude",), max_edge=1568, max_tokens=1568)
ANTHROPIC_HIGHRES = ClaudeRule(
    "anthropic-highres",
    (
        "claude-opus-4-7",
        "claude-opus-4-8",
        "claude-sonnet-5",
        "claude-opus-5",
        "claude-haiku-5",
        "claude-fable-5",
        "claude-mythos-5",
        "claude-5",
    ),
    max_edge=2576,
    max_tokens=4784,
)
ANTHROPIC_LEGACY = ClaudeLegacyRule("anthropic-legacy", ())

ANTHROPIC_RULES: tuple[ClaudeRule | ClaudeLegacyRule, ...] = (
    ANTHROPIC_STANDARD,
    ANTHROPIC_HIGHRES,
    ANTHROPIC_LEGACY,
)


# --- Google ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeminiRule:
    """Gemini (§3): fixed tokens per ``media_resolution`` level; an omitted level is fixed or tiled.

    Tiled (``omitted is None``): both sides <= 384 px -> one tile; otherwise tiles of side
    clamp(min(w, h) / 1.5, 256, 768), each ``tile_tokens``.
    """

    family: str
    models: tuple[str, ...]
    #: (level, tokens) for every accepted ``media_resolution`` level.
    levels: tuple[tuple[str, int], ...] = ()
    #: Tokens when no level is given; ``None`` = the tile rule.
    omitted: int | None = None
    #: Level an omitted value stands for, when it is one of ``levels``.
    omitted_level: str | None = None
    tile_tokens: int = 258
    small_side: int = 384
    min_tile: int = 256
    max_tile: int = 768


GEMINI_RULES: tuple[GeminiRule, ...] = (
    GeminiRule("gemini-1.0", ("gemini-1-0", "gemini-pro-vision"), omitted=258),
    GeminiRule("gemini-1.5", ("gemini-1-5",)),
    GeminiRule("gemini-2.0", ("gemini-2-0",)),
    GeminiRule("gemini-2.5", ("gemini-2-5",), levels=(("low", 64), ("medium", 256), ("high", 256))),
    GeminiRule(
        "gemini-3",
        ("gemini-3",),
        levels=(("low", 280), ("medium", 560), ("high", 1120), ("ultra_high", 2240)),
        omitted=1120,
        omitted_level="high",
    ),
)
