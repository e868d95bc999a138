"""Quoted strings in a question: the image's own words, which the question names its target by.

The region locator looks for them in the image; the query classifier sees them masked, so the
meaning of the quoted words ("the line beginning with 'Calling gnuplot'": a plot?) does not stand
in for the question's intent (read one line).
"""

from __future__ import annotations

import re

__all__ = ["QUOTED", "QUOTE_PLACEHOLDER", "mask_quoted"]

#: A quoted string: straight or curly double quotes, curly single quotes, or straight single quotes
#: that open after a space (not an apostrophe: "what's", "the users' list") and close before a
#: space or punctuation. The quoted text is the first group that is not ``None``.
QUOTED = re.compile(
    r"\"([^\"]{1,80})\"|“([^”]{1,80})”|‘([^’]{1,80})’|(?:(?<=\s)|^)'([^']{1,80})'(?=[\s?.,!:;)]|$)"
)
#: What a masked quoted string reads as.
QUOTE_PLACEHOLDER = "'…'"


def mask_quoted(text: str) -> str:
    """``text`` with every quoted string replaced by :data:`QUOTE_PLACEHOLDER`."""
    return QUOTED.sub(QUOTE_PLACEHOLDER, text)
