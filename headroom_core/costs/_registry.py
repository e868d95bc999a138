"""Model-name resolution: provider + model name (+ rule) -> a cached :class:`CostModel`."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .._exceptions import ConfigurationError, UnknownModelError
from ._anthropic import ClaudeLegacyModel, ClaudePatchModel
from ._base import CostModel
from ._google import GeminiModel
from ._openai import OpenAIPatchModel, OpenAITileModel
from ._rules import (
    ANTHROPIC_HIGHRES,
    ANTHROPIC_LEGACY,
    ANTHROPIC_RULES,
    ANTHROPIC_STANDARD,
    CLAUDE_HIGHRES_SINCE,
    GEMINI_RULES,
    OPENAI_PATCH_RULES,
    OPENAI_TILE_RULES,
    ClaudeLegacyRule,
    ClaudeRule,
    GeminiRule,
    PatchRule,
    TileRule,
)

__all__ = ["ModelInfo", "get_cost_model", "list_cost_models", "normalize_model_name"]

logger = logging.getLogger(__name__)

Rule = TileRule | PatchRule | ClaudeRule | ClaudeLegacyRule | GeminiRule

_PROVIDER_ALIASES = {"openai": "openai", "anthropic": "anthropic", "google": "google", "gemini": "google"}
_RULES: dict[str, tuple[Rule, ...]] = {
    "openai": (*OPENAI_TILE_RULES, *OPENAI_PATCH_RULES),
    "anthropic": ANTHROPIC_RULES,
    "google": GEMINI_RULES,
}
_DEFAULT_FAMILY = {"openai": "gpt-4o", "anthropic": "anthropic-standard", "google": "gemini-2.5"}
_RULE_NAMES = ("current", "legacy")
_LEGACY_SUFFIX = "-legacy"
_BEDROCK_PREFIX = re.compile(r"^(?:[a-z]{2,4}\.)?anthropic\.")
_CLAUDE_VERSION = re.compile(r"^claude-(?:[a-z]+-)?(\d{1,2})(?:-(\d{1,2}))?(?=-|$)")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One known model-name prefix and the rule family it resolves to."""

    provider: str
    model: str
    family: str


def normalize_model_name(model: str) -> str:
    """Lower case; path (``models/``, ``openai/``) and Bedrock (``us.anthropic.``) prefixes dropped;
    ``.``, ``_``, ``@``, ``:`` and spaces written as ``-``."""
    name = model.strip().lower()
    name = name.rsplit("/", 1)[-1]
    name = _BEDROCK_PREFIX.sub("", name)
    name = re.sub(r"[._@:\s]+", "-", name)
    return name.strip("-")


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or (name.startswith(prefix) and name[len(prefix)] == "-")


def _longest_prefix(provider: str, name: str) -> Rule | None:
    best: Rule | None = None
    best_len = -1
    for rule in _RULES[provider]:
        for prefix in rule.models:
            if len(prefix) > best_len and _matches(name, prefix):
                best, best_len = rule, len(prefix)
    return best


def _claude_version(name: str) -> tuple[int, int] | None:
    match = _CLAUDE_VERSION.match(name)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def _family_rule(provider: str, family: str) -> Rule:
    for rule in _RULES[provider]:
        if rule.family == family:
            return rule
    raise UnknownModelError(f"no cost rule family {family!r} for provider {provider!r}")  # pragma: no cover


def _resolve(provider: str, name: str | None, rule: str) -> Rule:
    if provider == "anthropic" and rule == "legacy":
        return ANTHROPIC_LEGACY
    if name is None or not name:
        return _family_rule(provider, _DEFAULT_FAMILY[provider])
    found = _longest_prefix(provider, name)
    if found is None:
        default = _DEFAULT_FAMILY[provider]
        logger.debug("no %s cost rule for model %r; using the default %r", provider, name, default)
        return _family_rule(provider, default)
    if found is ANTHROPIC_STANDARD:
        version = _claude_version(name)
        if version is not None and version >= CLAUDE_HIGHRES_SINCE:
            return ANTHROPIC_HIGHRES
    return found


@cache
def _model_for(rule: Rule) -> CostModel:
    if isinstance(rule, TileRule):
        return OpenAITileModel(rule)
    if isinstance(rule, PatchRule):
        return OpenAIPatchModel(rule)
    if isinstance(rule, ClaudeRule):
        return ClaudePatchModel(rule)
    if isinstance(rule, ClaudeLegacyRule):
        return ClaudeLegacyModel(rule)
    return GeminiModel(rule)


@lru_cache(maxsize=512)
def _cached(provider: str, name: str | None, rule: str) -> CostModel:
    return _model_for(_resolve(provider, name, rule))


def get_cost_model(provider: str, model: str | None = None, rule: str | None = None) -> CostModel:
    """The token-cost model for ``provider`` (``openai``, ``anthropic``, ``google``/``gemini``) and ``model``.

    Model names resolve by the longest matching prefix after normalisation, so dated snapshots
    (``gpt-4o-2024-08-06``, ``claude-sonnet-4-5-20250929``), ``models/gemini-2.5-flash`` and
    ``claude-opus-4.7`` work; a prefix matches only at a ``-`` boundary, and the longest wins
    (``gpt-4o-mini`` is not ``gpt-4o``). Claude names at version 4.7 or later use the
    high-resolution tier. An unknown model falls back to the provider default (gpt-4o; the
    standard Claude tier; Gemini 2.5) with a debug log. ``rule="legacy"`` (or a model name ending
    in ``-legacy``) selects Claude's legacy ``w*h/750`` rule; ``rule`` ``None``/``"current"`` is the
    current documentation.

    Raises :class:`UnknownModelError` for an unknown provider and :class:`ConfigurationError`
    for an unknown ``rule``.
    """
    key = str(provider).strip().lower()
    canonical = _PROVIDER_ALIASES.get(key)
    if canonical is None:
        raise UnknownModelError(
            f"no token-cost rules for provider {provider!r}; known: openai, anthropic, google (gemini)"
        )
    rule_name = "current" if rule is None else str(rule).strip().lower()
    if rule_name not in _RULE_NAMES:
        raise ConfigurationError(f"unknown cost rule {rule!r}; expected one of {', '.join(_RULE_NAMES)}")
    name = normalize_model_name(model) if model else None
    if name is not None and name.endswith(_LEGACY_SUFFIX):
        name = name.removesuffix(_LEGACY_SUFFIX)
        rule_name = "legacy"
    if rule_name == "legacy" and canonical != "anthropic":
        raise ConfigurationError(f"rule='legacy' exists only for anthropic, not {canonical!r}")
    return _cached(canonical, name, rule_name)


def list_cost_models(provider: str | None = None) -> tuple[ModelInfo, ...]:
    """Every known model-name prefix with its rule family, optionally for one provider."""
    providers: tuple[str, ...]
    if provider is None:
        providers = tuple(_RULES)
    else:
        canonical = _PROVIDER_ALIASES.get(str(provider).strip().lower())
        if canonical is None:
            raise UnknownModelError(f"no token-cost rules for provider {provider!r}")
        providers = (canonical,)
    infos: list[ModelInfo] = []
    for name in providers:
        for rule in _RULES[name]:
            infos.extend(ModelInfo(name, prefix, rule.family) for prefix in rule.models)
            if not rule.models:
                infos.append(ModelInfo(name, rule.family, rule.family))
    return tuple(infos)
