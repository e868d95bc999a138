"""What the node postprocessor and the LLM wrapper share: their target fields and their compressor."""

from __future__ import annotations

from typing import Any

from llama_index.core.bridge.pydantic import BaseModel, Field, PrivateAttr

from headroom_core import CompressionResult, ConfigurationError, ImageCompressor

from ._images import require_fetch_policy

__all__ = ["CompressingComponent", "make_compressor"]


def make_compressor(
    compressor: ImageCompressor | None, provider: str, model: str | None, options: dict[str, Any]
) -> ImageCompressor:
    """``compressor`` as given, or one built from ``options`` (which apply only then)."""
    if compressor is not None and options:
        raise ConfigurationError(f"options {sorted(options)} apply only when no compressor is given")
    return compressor if compressor is not None else ImageCompressor(provider, model, **options)


class CompressingComponent(BaseModel):
    """Mixin (put it before the LlamaIndex base): the target ``provider``/``model``, ``allow_remote``,
    the compressor and the last result. Subclasses call :meth:`_attach` after ``super().__init__``."""

    provider: str = Field(default="openai", description="Target provider: openai, anthropic or google.")
    model: str | None = Field(default=None, description="Target model name for the token rules.")
    allow_remote: bool = Field(
        default=False,
        description="Offer http(s) image URLs to the core (fetched only under its fetch policy).",
    )

    _compressor: ImageCompressor = PrivateAttr()
    _last_result: CompressionResult | None = PrivateAttr(default=None)

    def _attach(self, compressor: ImageCompressor) -> None:
        self._compressor = compressor
        require_fetch_policy(compressor, self.allow_remote)

    @property
    def compressor(self) -> ImageCompressor:
        return self._compressor

    @property
    def last_result(self) -> CompressionResult | None:
        """The result of the most recent call (with concurrent calls, whichever finished last)."""
        return self._last_result
