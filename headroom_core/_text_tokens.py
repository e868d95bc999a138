"""Token counts of text that replaces an image (TRANSCODE), per provider.

OpenAI: the real tokenizer (tiktoken ``o200k_base`` for gpt-4o and later, ``cl100k_base`` for older
models) when tiktoken is installed and its encoding file is on disk (``TIKTOKEN_CACHE_DIR``,
tiktoken's own cache, or the copy that ships inside ``llama-index-core``); nothing is downloaded.
Otherwise, and for Anthropic and Gemini, whose tokenizers are not public, a documented estimate:
``ceil(chars / 3.2)``, deliberately on the high side of the ~4 chars/token of English prose so that
the never-costlier check errs towards keeping the image.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["CHARS_PER_TOKEN_ESTIMATE", "count_text_tokens", "tokenizer_name"]

logger = logging.getLogger(__name__)

CHARS_PER_TOKEN_ESTIMATE = 3.2

_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""  # noqa: E501
_ENCODINGS: dict[str, tuple[str, str]] = {
    # name -> (sha1 of the official blob URL = tiktoken's cache file name, pattern)
    "o200k_base": ("fb374d419588a4632f3f557e76b4b70aebbca790", _O200K_PAT),
    "cl100k_base": ("9b5ad71b2ce5302211f9c61530b329a4922fc6a4", _CL100K_PAT),
}
_OLD_OPENAI_PREFIXES = ("gpt-4-", "gpt-4-turbo", "gpt-3.5")
_lock = threading.Lock()


def _encoding_name(model: str | None) -> str:
    m = (model or "").lower()
    return "cl100k_base" if m.startswith(_OLD_OPENAI_PREFIXES) or m == "gpt-4" else "o200k_base"


def _candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if env:
        dirs.append(Path(env))
    import tempfile

    dirs.append(Path(tempfile.gettempdir()) / "data-gym-cache")
    spec = importlib.util.find_spec("llama_index.core")
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            dirs.append(Path(loc) / "_static" / "tiktoken_cache")
    return dirs


@functools.cache
def _load_encoding(name: str) -> Any | None:
    if importlib.util.find_spec("tiktoken") is None:
        return None
    import tiktoken

    cache_name, pattern = _ENCODINGS[name]
    for directory in _candidate_dirs():
        path = directory / cache_name
        if not path.is_file():
            continue
        try:
            ranks: dict[bytes, int] = {}
            for line in path.read_bytes().splitlines():
                if line:
                    token, rank = line.split()
                    ranks[base64.b64decode(token)] = int(rank)
            return tiktoken.Encoding(name=name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
        except (OSError, ValueError) as exc:
            logger.debug("tiktoken file %s unreadable: %s", path, exc)
    logger.info("tiktoken encoding %s not on disk; text tokens are estimated", name)
    return None


def tokenizer_name(provider: str, model: str | None = None) -> str:
    """Which counter :func:`count_text_tokens` uses for this provider/model."""
    if provider == "openai":
        name = _encoding_name(model)
        with _lock:
            enc = _load_encoding(name)
        if enc is not None:
            return f"tiktoken:{name}"
    return f"estimate:chars/{CHARS_PER_TOKEN_ESTIMATE}"


def count_text_tokens(text: str, provider: str, model: str | None = None) -> int:
    """Input tokens that ``text`` costs for ``provider``/``model`` (see the module docstring)."""
    if not text:
        return 0
    if provider == "openai":
        with _lock:
            enc = _load_encoding(_encoding_name(model))
        if enc is not None:
            return len(enc.encode_ordinary(text))
    return math.ceil(len(text) / CHARS_PER_TOKEN_ESTIMATE)
