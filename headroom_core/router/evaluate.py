"""Evaluate the query classifier: ``python -m headroom_core.router.evaluate``.

Prints, for the held-out set (``data/heldout.jsonl``, which the head never saw):
accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix and calibration (ECE and
NLL before and after the head's temperature). Then routes the real questions of OCRBench
(``../shared/eval/questions/ocrbench.jsonl`` beside the repository, or ``--ocrbench PATH``) and prints,
per OCRBench type, the share of each technique and the share in the set of techniques that answer
that type without losing the answer (evaluation only: nothing here feeds back into training).

``--rules`` evaluates the rule-based classifier instead, for comparison.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..types import Technique
from ._base import QueryClassifier
from .policy import DEFAULT_POLICY
from .train import expected_calibration_error

__all__ = [
    "OCRBENCH_ACCEPTABLE",
    "QueryReport",
    "TypeRouting",
    "evaluate_queries",
    "format_query_report",
    "format_routing",
    "main",
    "route_questions",
]

logger = logging.getLogger(__name__)

CLASSES: tuple[str, ...] = ("transcode", "crop", "full_low", "preserve")
DATA_DIR = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OCRBENCH = REPO_ROOT.parent / "shared" / "eval" / "questions" / "ocrbench.jsonl"

_TEXT = frozenset({"transcode", "crop"})
_FINE = frozenset({"preserve", "crop"})
#: Techniques that answer each OCRBench type without losing the answer (its README).
OCRBENCH_ACCEPTABLE: Mapping[str, frozenset[str]] = {
    "Regular Text Recognition": _TEXT,
    "Irregular Text Recognition": _TEXT,
    "Artistic Text Recognition": _TEXT,
    "Non-Semantic Text Recognition": _TEXT,
    "Digit String Recognition": _TEXT,
    "Key Information Extraction": _TEXT,
    "Doc-oriented VQA": _TEXT,
    "Scene Text-centric VQA": _TEXT,
    "Handwriting Recognition": _FINE,
    "Handwritten Mathematical Expression Recognition": _FINE,
}


def _nll(probs: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> float:
    return float(-np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)).mean())


@dataclass(frozen=True)
class QueryReport:
    """Held-out metrics of a query classifier."""

    n: int
    accuracy: float
    macro_f1: float
    precision: Mapping[str, float]
    recall: Mapping[str, float]
    f1: Mapping[str, float]
    support: Mapping[str, int]
    confusion: tuple[tuple[int, ...], ...]  # rows = true class, columns = predicted, CLASSES order
    ece: float  # with the classifier's calibration (temperature)
    ece_raw: float  # before temperature (same as ``ece`` when there is none)
    nll: float
    nll_raw: float
    temperature: float | None
    below_floor: float  # share under the fusion's confidence floor (-> PRESERVE)
    errors: tuple[tuple[str, str, str, float], ...] = field(default=())  # query, true, predicted, conf


def _probabilities(
    classifier: QueryClassifier, queries: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float | None]:
    """(calibrated, raw) probabilities in CLASSES order, and the temperature if there is one."""
    from .trained import MiniLMQueryClassifier

    if isinstance(classifier, MiniLMQueryClassifier):
        order = [classifier.head.classes.index(c) for c in CLASSES]
        if not queries:
            empty = np.zeros((0, len(CLASSES)))
            return empty, empty, classifier.temperature
        logits = classifier.member_logits(list(queries))  # encoded once, calibrated two ways
        cal = classifier.combine(logits)[:, order]
        raw = classifier.combine(logits, calibrated=False)[:, order]
        return cal, raw, classifier.temperature
    probs = np.array(
        [[classifier.predict(q).probabilities.get(c, 0.0) for c in CLASSES] for q in queries],
        dtype=np.float64,
    )
    return probs, probs, None


def evaluate_queries(
    classifier: QueryClassifier, rows: Sequence[Mapping[str, Any]], *, floor: float | None = None
) -> QueryReport:
    """Score ``classifier`` on labelled rows (``query``, ``technique``)."""
    queries = [str(r["query"]) for r in rows]
    y = np.array([CLASSES.index(str(r["technique"])) for r in rows], dtype=np.int64)
    cal, raw, temperature = _probabilities(classifier, queries)
    pred = cal.argmax(axis=1)
    k = len(CLASSES)
    confusion = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y, pred, strict=True):
        confusion[t, p] += 1
    precision, recall, f1 = {}, {}, {}
    for i, c in enumerate(CLASSES):
        tp = float(confusion[i, i])
        pp, ap = float(confusion[:, i].sum()), float(confusion[i, :].sum())
        precision[c] = tp / pp if pp else 0.0
        recall[c] = tp / ap if ap else 0.0
        f1[c] = 2 * precision[c] * recall[c] / (precision[c] + recall[c]) if tp else 0.0
    fl = DEFAULT_POLICY.min_query_confidence if floor is None else floor
    errors = tuple(
        (queries[i], CLASSES[y[i]], CLASSES[pred[i]], round(float(cal[i].max()), 3))
        for i in np.flatnonzero(pred != y)
    )
    return QueryReport(
        n=len(rows),
        accuracy=float((pred == y).mean()) if len(rows) else 0.0,
        macro_f1=float(np.mean(list(f1.values()))),
        precision=precision,
        recall=recall,
        f1=f1,
        support={c: int((y == i).sum()) for i, c in enumerate(CLASSES)},
        confusion=tuple(tuple(int(v) for v in row) for row in confusion),
        ece=expected_calibration_error(cal, y),
        ece_raw=expected_calibration_error(raw, y),
        nll=_nll(cal, y),
        nll_raw=_nll(raw, y),
        temperature=temperature,
        below_floor=float((cal.max(axis=1) < fl).mean()) if len(rows) else 0.0,
        errors=errors,
    )


@dataclass(frozen=True)
class TypeRouting:
    """How one question type is routed by the query classifier alone."""

    type: str
    n: int
    counts: Mapping[str, int]  # technique -> questions (argmax)
    below_floor: int  # of which under the confidence floor (fusion turns them into PRESERVE)
    acceptable: frozenset[str]
    ok_argmax: float  # share whose argmax is acceptable
    ok_after_floor: float  # share acceptable after the floor rule (under the floor -> PRESERVE)


def route_questions(
    classifier: QueryClassifier,
    rows: Sequence[Mapping[str, Any]],
    *,
    floor: float | None = None,
    acceptable: Mapping[str, frozenset[str]] = OCRBENCH_ACCEPTABLE,
    by_source: bool = False,
) -> list[TypeRouting]:
    """Route every ``question`` of ``rows`` and group by ``type`` (``by_source``: by type and the
    data set it came from, ``"type / source"``; a type mixes sources whose answers need different
    techniques: OCRBench's document VQA holds chart questions read from the marks)."""
    fl = DEFAULT_POLICY.min_query_confidence if floor is None else floor
    queries = [str(r["question"]) for r in rows]
    probs, _, _ = _probabilities(classifier, queries)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        source = str(r.get("source", "?")) if by_source else ""
        groups.setdefault((str(r.get("type", "?")), source), []).append(i)
    out = []
    for (kind, source), idx in groups.items():
        name = f"{kind} / {source}" if by_source else kind
        ok_set = acceptable.get(kind, frozenset())
        counts: Counter[str] = Counter()
        below = ok_arg = ok_floor = 0
        for i in idx:
            technique = CLASSES[int(probs[i].argmax())]
            counts[technique] += 1
            under = float(probs[i].max()) < fl
            below += under
            ok_arg += technique in ok_set
            ok_floor += (Technique.PRESERVE.value if under else technique) in ok_set
        out.append(
            TypeRouting(
                type=name,
                n=len(idx),
                counts={c: counts.get(c, 0) for c in CLASSES},
                below_floor=below,
                acceptable=ok_set,
                ok_argmax=ok_arg / len(idx),
                ok_after_floor=ok_floor / len(idx),
            )
        )
    return out


def format_query_report(report: QueryReport, title: str = "held-out") -> str:
    """The report as Markdown."""
    lines = [
        f"**{title}**: {report.n} queries, accuracy **{report.accuracy:.2%}**, "
        f"macro-F1 **{report.macro_f1:.4f}**",
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in CLASSES:
        lines.append(
            f"| {c} | {report.precision[c]:.3f} | {report.recall[c]:.3f} | {report.f1[c]:.3f} "
            f"| {report.support[c]} |"
        )
    lines += ["", "Confusion (rows = true, columns = predicted):", ""]
    lines.append("| true \\ pred | " + " | ".join(CLASSES) + " |")
    lines.append("|---|" + "---:|" * len(CLASSES))
    for c, row in zip(CLASSES, report.confusion, strict=True):
        lines.append(f"| {c} | " + " | ".join(str(v) for v in row) + " |")
    t = f"{report.temperature:.3f}" if report.temperature is not None else "none"
    lines += [
        "",
        f"Calibration (15-bin ECE of the top class): before temperature {report.ece_raw:.4f}, "
        f"after (T = {t}) {report.ece:.4f}; NLL {report.nll_raw:.4f} -> {report.nll:.4f}. "
        f"Under the fusion's confidence floor ({DEFAULT_POLICY.min_query_confidence}): "
        f"{report.below_floor:.1%}.",
    ]
    return "\n".join(lines)


def format_routing(routing: Sequence[TypeRouting]) -> str:
    """Per-type routing as a Markdown table."""
    lines = [
        "| type | n | transcode | crop | full_low | preserve | under floor | acceptable "
        "| ok (argmax) | ok (after floor) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in routing:
        share = " | ".join(f"{r.counts[c] / r.n:.0%}" for c in CLASSES)
        ok = "/".join(sorted(r.acceptable)) or "?"
        lines.append(
            f"| {r.type} | {r.n} | {share} | {r.below_floor} | {ok} | {r.ok_argmax:.0%} "
            f"| {r.ok_after_floor:.0%} |"
        )
    return "\n".join(lines)


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _echo(text: str = "") -> None:
    """CLI output (stdout)."""
    sys.stdout.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m headroom_core.router.evaluate", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--heldout", type=Path, default=DATA_DIR / "heldout.jsonl")
    parser.add_argument("--ocrbench", type=Path, default=DEFAULT_OCRBENCH)
    parser.add_argument("--backend", default="auto", help="encoder backend: auto, onnx or torch")
    parser.add_argument("--model", default=None, help="encoder hub id or local path")
    parser.add_argument("--head", type=Path, default=None, help="head folder (default: shipped)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rules", action="store_true", help="evaluate the rule-based classifier instead")
    parser.add_argument("--errors", type=int, default=0, help="print up to N held-out errors")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    classifier: QueryClassifier
    if args.rules:
        from .rules import RuleQueryClassifier

        classifier = RuleQueryClassifier()
        _echo("classifier: rules")
    else:
        from .trained import MiniLMQueryClassifier

        start = time.perf_counter()
        # Built by the classifier, so the encoder loads the head's tuned tensors (if any).
        clf = MiniLMQueryClassifier(
            head=args.head, model_name_or_path=args.model, backend=args.backend, num_threads=args.threads
        )
        clf.warm_up()
        _echo(
            f"classifier: {clf.encoder.identity} + head trained for {clf.head.encoder} "
            f"(T = {clf.temperature:.3f}); loaded in {time.perf_counter() - start:.2f} s"
        )
        classifier = clf
    rows = _load(args.heldout)
    report = evaluate_queries(classifier, rows)
    _echo()
    _echo(format_query_report(report, f"held-out ({args.heldout.name})"))
    for query, true, pred, conf in report.errors[: args.errors]:
        _echo(f"  {true:>9} -> {pred:<9} {conf:.2f}  {query}")
    if args.ocrbench.is_file():
        _echo()
        _echo(f"**OCRBench questions by type** ({args.ocrbench}; query classifier alone):")
        _echo()
        _echo(format_routing(route_questions(classifier, _load(args.ocrbench))))
    else:
        _echo(f"\n(OCRBench questions not found at {args.ocrbench}; pass --ocrbench PATH)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
