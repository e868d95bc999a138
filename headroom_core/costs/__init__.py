"""Provider image-token cost models, with the rules held as data (one row per model family).

>>> from headroom_core.costs import get_cost_model
>>> get_cost_model("openai", "gpt-4o").tokens(1024, 1024)
765
"""

from __future__ import annotations

from ._base import CostModel, TokenCost
from ._registry import ModelInfo, get_cost_model, list_cost_models

__all__ = ["CostModel", "ModelInfo", "TokenCost", "get_cost_model", "list_cost_models"]
