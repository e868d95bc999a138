"""Query-classifier benchmark: held-out quality, OCRBench routing by type, latency and cold start.

For each encoder backend (``onnx`` = int8 all-MiniLM-L6-v2 on onnxruntime, the default; ``torch`` =
float32 on transformers) a fresh worker process measures: cold start (imports + head + model load +
first query), warm ``predict()`` p50/p95 over the held-out queries one at a time, and the held-out
predictions. The report then gives the default backend's held-out metrics, the agreement between
backends (the same head and tuned encoder tensors on int8 and float32 weights), the rule-based classifier for
comparison, and how the real OCRBench questions are routed per type (query classifier alone; no
images).

Run: ``python benchmarks/router.py [--write]`` (about a minute; ``--write`` saves
``benchmarks/RESULTS_router.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "headroom_core" / "router" / "data" / "heldout.jsonl"
BLIND = ROOT / "headroom_core" / "router" / "data" / "blind.jsonl"
RESULTS = Path(__file__).resolve().parent / "RESULTS_router.md"


#: The OCRBench types that pool questions from several data sets.
VQA_SUFFIXES = ("VQA", "Key Information Extraction")


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def worker(backend: str, threads: int) -> dict[str, Any]:
    """Runs in a fresh process: cold start, warm latency, held-out predictions."""
    start = time.perf_counter()
    from headroom_core.router.trained import MiniLMQueryClassifier

    # Built by the classifier, so the encoder loads the head's tuned tensors (if any).
    clf = MiniLMQueryClassifier(backend=backend, num_threads=threads)
    encoder = clf.encoder
    clf.predict("read the sign")
    cold = time.perf_counter() - start
    rows = _rows(HELDOUT)
    times, preds = [], []
    for row in rows:
        t0 = time.perf_counter()
        pred = clf.predict(row["query"])
        times.append((time.perf_counter() - t0) * 1000)
        preds.append(pred.technique.value)
    times.sort()
    import numpy as np

    return {
        "backend": encoder.backend,
        "identity": encoder.identity,
        "head_encoder": clf.head.encoder,
        "threads": threads,
        "cold_start_s": round(cold, 3),
        "model_load_s": round(encoder.load_seconds or 0.0, 3),
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
        "n": len(times),
        "predictions": preds,
    }


def _blind_section(clf: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The shipped classifier and each of its members alone on the blind set (written apart)."""
    from dataclasses import replace

    from headroom_core.router.evaluate import evaluate_queries, format_query_report
    from headroom_core.router.rules import RuleQueryClassifier
    from headroom_core.router.trained import MiniLMQueryClassifier

    head = clf.head
    variants: list[tuple[str, Any]] = [("shipped", clf)]
    if head.partners:
        variants.append(("tuned head alone", MiniLMQueryClassifier(head=replace(head, partners=()))))
        variants.append(("frozen head alone (member1)", MiniLMQueryClassifier(head=head.partners[0])))
    variants.append(("rule-based", RuleQueryClassifier()))
    lines = [
        f"## Blind set ({BLIND.name}: written apart from the rules only; never trained on or used to choose)",
        "",
        "| classifier | queries | accuracy | macro-F1 |",
        "|---|---:|---:|---:|",
    ]
    reports = [(name, evaluate_queries(variant, rows)) for name, variant in variants]
    lines += [f"| {name} | {r.n} | {r.accuracy:.2%} | {r.macro_f1:.4f} |" for name, r in reports]
    shipped = reports[0][1]
    return [*lines, "", format_query_report(shipped, f"blind ({BLIND.name}), shipped classifier"), ""]


def _run_worker(backend: str, threads: int) -> dict[str, Any] | str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ORT_DISABLE_TELEMETRY": "1"}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", backend, "--threads", str(threads)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _machine() -> str:
    import numpy as np

    parts = [
        f"platform {platform.platform()}",
        f"cpu count {os.cpu_count()}",
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
    ]
    for name in ("onnxruntime", "torch", "transformers"):
        try:
            mod = __import__(name)
            parts.append(f"{name} {mod.__version__}")
        except ImportError:
            parts.append(f"{name} absent")
    try:
        load = os.getloadavg()
        parts.append(f"load average {load[0]:.1f}")
    except OSError:
        pass
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description="query classifier benchmark")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--backends", default="onnx,torch")
    parser.add_argument("--write", action="store_true", help=f"save the report to {RESULTS.name}")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads)))
        return 0

    sys.path.insert(0, str(ROOT))
    from headroom_core.router.evaluate import (
        DEFAULT_OCRBENCH,
        evaluate_queries,
        format_query_report,
        format_routing,
        route_questions,
    )
    from headroom_core.router.rules import RuleQueryClassifier
    from headroom_core.router.trained import MiniLMQueryClassifier

    out: list[str] = ["# Router benchmark: the query classifier", "", f"Machine: {_machine()}.", ""]
    rows = _rows(HELDOUT)
    labels = [r["technique"] for r in rows]

    runs: dict[str, dict[str, Any]] = {}
    out += [
        "## Latency and cold start (fresh process per backend, one query at a time)",
        "",
        "| backend | model | threads | cold start s | model load s | predict p50 ms | p95 ms "
        "| held-out acc |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        res = _run_worker(backend, args.threads)
        if isinstance(res, str):
            out.append(f"| {backend} | unavailable: {res} | | | | | | |")
            continue
        runs[backend] = res
        acc = sum(p == t for p, t in zip(res["predictions"], labels, strict=True)) / len(labels)
        out.append(
            f"| {res['backend']} | {res['identity']} | {res['threads']} | {res['cold_start_s']:.2f} | "
            f"{res['model_load_s']:.2f} | {res['p50_ms']:.1f} | {res['p95_ms']:.1f} | {acc:.2%} |"
        )
    out.append("")
    out.append(
        "Cold start = imports + head + model load + first query in a new process. Both backends load "
        "the head's tuned encoder tensors (if it has any); the head names the encoder it was validated "
        f"for: `{runs[next(iter(runs))]['head_encoder'] if runs else '?'}`."
    )
    if "onnx" in runs and "torch" in runs:
        a, b = runs["onnx"]["predictions"], runs["torch"]["predictions"]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
        out.append(
            f"Agreement of onnx-int8 and torch-fp32 serving on the held-out queries (same head): {agree:.2%}."
        )
    out.append("")

    clf = MiniLMQueryClassifier()
    clf.warm_up()
    report = evaluate_queries(clf, rows)
    meta = clf.head.metadata
    if "validation" in meta:
        inner = (
            f"validation fold of the training pool ({meta['validation'].get('lines', '?')} queries, "
            f"template families kept whole) accuracy {meta['validation'].get('accuracy', '?')}"
        )
    else:
        inner = f"grouped-CV (training pool) accuracy {meta.get('cv', {}).get('accuracy', '?')}"
    out += [
        "## Held-out quality (default backend)",
        "",
        f"Head: {meta.get('model', '?')}; served as {clf.encoder.identity}; {inner}.",
        "",
        format_query_report(
            report,
            f"held-out ({HELDOUT.name}: never trained on; used once to choose the kind of head, "
            "data README Addendum 4)",
        ),
        "",
    ]
    if BLIND.is_file():
        out += _blind_section(clf, _rows(BLIND))
    rules = evaluate_queries(RuleQueryClassifier(), rows)
    out += [
        f"Rule-based classifier on the same held-out set, for comparison: accuracy {rules.accuracy:.2%}, "
        f"macro-F1 {rules.macro_f1:.4f}.",
        "",
    ]
    if DEFAULT_OCRBENCH.is_file():
        ocr_rows = _rows(DEFAULT_OCRBENCH)
        vqa_rows = [r for r in ocr_rows if str(r.get("type", "")).endswith(VQA_SUFFIXES)]
        out += [
            "## OCRBench questions by type (query classifier alone, no images)",
            "",
            "`ok` = share routed to a technique that answers the type without losing the answer "
            "(text types: TRANSCODE or CROP; handwriting / formulas: PRESERVE or CROP). 'after floor' "
            "applies fusion rule 1 (confidence under the floor -> PRESERVE).",
            "",
            format_routing(route_questions(clf, ocr_rows)),
            "",
            "The question-answering types by the data set each question came from (same classifier): "
            "the document VQA type pools document pages with ChartQA's chart questions, whose "
            "values are read from the marks (PRESERVE by the labelling rules), so its pooled rate "
            "is not a text-reading rate.",
            "",
            format_routing(route_questions(clf, vqa_rows, by_source=True)),
            "",
            "Rule-based classifier, same questions:",
            "",
            format_routing(route_questions(RuleQueryClassifier(), ocr_rows)),
            "",
        ]
    else:
        out += [f"(OCRBench questions not found at {DEFAULT_OCRBENCH})", ""]
    text = "\n".join(out)
    print(text)
    if args.write:
        RESULTS.write_text(text + "\n", encoding="utf-8")
        print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
