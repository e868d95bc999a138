"""Routers: a query classifier fused with image signals into one technique per image."""

from __future__ import annotations

from ._base import LocatedRegion, QueryClassifier, QueryPrediction, RegionLocator, Router
from .fused import FusedRouter
from .fusion import fuse
from .policy import DEFAULT_POLICY, POLICY_VERSION, RoutingPolicy
from .rules import RuleBasedRouter, RuleQueryClassifier

__all__ = [
    "DEFAULT_POLICY",
    "POLICY_VERSION",
    "FusedRouter",
    "LocatedRegion",
    "QueryClassifier",
    "QueryPrediction",
    "RegionLocator",
    "Router",
    "RoutingPolicy",
    "RuleBasedRouter",
    "RuleQueryClassifier",
    "fuse",
]
