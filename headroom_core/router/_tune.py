"""BitFit tuning of the sentence encoder together with the query head (training only; needs torch).

The frozen MiniLM embedding is dominated by a question's subject ("the kayak", "the lease"), while
the label depends on a few intent words ("what shade is the one furthest out", "read"). Tuning only
the encoder's biases and LayerNorm parameters (BitFit, Ben Zaken et al. 2022: 0.1 % of the weights)
together with a linear head over ``[embedding, cues]`` lets the embedding weigh those words, and the
tuned tensors are small enough (about 120 KB) to ship inside the head file. Both serving backends
load them (see :mod:`.encoder`).

Everything here is deterministic for a given seed, torch version and thread count: one
``torch.Generator`` orders the batches, the head starts from seeded weights and no dropout is used
(the model runs in eval mode while it trains).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TuneConfig", "TuneResult", "is_tuned_parameter", "tune_bitfit"]

logger = logging.getLogger(__name__)


def is_tuned_parameter(name: str) -> bool:
    """BitFit's selection: every bias and the LayerNorm scales, outside the pooler.

    The pooler (``[CLS]`` dense + tanh) is not part of the sentence embedding (mean pooling), gets no
    gradient, and ONNX exports of the sentence model drop it.
    """
    return not name.startswith("pooler.") and (name.endswith(".bias") or "LayerNorm" in name)


@dataclass(frozen=True)
class TuneConfig:
    """Hyper-parameters of the tuning (recorded in the head's metadata)."""

    epochs: int = 8
    lr: float = 2e-3
    head_lr: float = 1e-3
    batch_size: int = 32
    warmup: float = 0.1
    #: the unit-length embedding is multiplied by this inside training, so the head's logits start
    #: in a useful range; the factor is folded into the head's weights when it is exported
    scale: float = 10.0
    max_length: int = 256
    #: cross-entropy label smoothing (0 = none)
    label_smoothing: float = 0.0
    #: each word of a training query is dropped with this probability, per epoch (0 = none), so the
    #: head cannot lean on one word of a phrasing it saw
    word_dropout: float = 0.0


@dataclass(frozen=True)
class TuneResult:
    """The tuned encoder tensors and the head over ``[embedding, cues]`` (weights folded)."""

    tensors: dict[str, npt.NDArray[np.float32]]
    weight: npt.NDArray[np.float64]  # (dim + cues, classes)
    bias: npt.NDArray[np.float64]
    logits: Callable[[Sequence[str], npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def tune_bitfit(
    model_path: str,
    queries: Sequence[str],
    labels: npt.NDArray[np.int64],
    cues: npt.NDArray[np.float64],
    n_classes: int,
    config: TuneConfig,
    *,
    seed: int,
    threads: int | None = None,
    local_files_only: bool = True,
    log: Callable[[str], None] | None = None,
) -> TuneResult:
    """Tune biases + LayerNorm of the encoder at ``model_path`` and a linear head, class-balanced.

    ``cues`` holds each query's cue vector (already scaled). Returns the tuned tensors (all of
    BitFit's parameters, by their transformers names), the head and a function computing the tuned
    model's logits for other queries (for validation).
    """
    import torch
    from transformers import AutoModel, AutoTokenizer

    say = log or (lambda _msg: None)
    if threads is not None:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    tok = AutoTokenizer.from_pretrained(model_path, local_files_only=local_files_only)
    net = AutoModel.from_pretrained(model_path, local_files_only=local_files_only)
    net.eval()  # no dropout: deterministic, and as served
    tuned = [p for n, p in net.named_parameters() if is_tuned_parameter(n)]
    for name, p in net.named_parameters():
        p.requires_grad_(is_tuned_parameter(name))
    dim = int(net.config.hidden_size)
    head = torch.nn.Linear(dim + cues.shape[1], n_classes)
    with torch.no_grad():
        head.weight.copy_(torch.randn(head.weight.shape, generator=gen) * 0.01)
        head.bias.zero_()
    optimiser = torch.optim.AdamW(
        [{"params": tuned, "lr": config.lr}, {"params": head.parameters(), "lr": config.head_lr}],
        weight_decay=0.0,
    )
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    weights = np.where(counts > 0, len(labels) / (n_classes * np.maximum(counts, 1)), 0.0)
    loss_fn = torch.nn.CrossEntropyLoss(
        weight=torch.tensor(weights, dtype=torch.float32), label_smoothing=config.label_smoothing
    )
    drop_rng = np.random.default_rng(seed)

    def dropped(text: str) -> str:
        if config.word_dropout <= 0.0:
            return text
        words = text.split()
        kept = [w for w in words if drop_rng.random() >= config.word_dropout]
        return " ".join(kept) if kept else text

    cue_t = torch.tensor(cues, dtype=torch.float32)
    steps_per_epoch = (len(queries) + config.batch_size - 1) // config.batch_size
    total = max(1, config.epochs * steps_per_epoch)
    warm = max(1, int(config.warmup * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / total)
    )

    def features(texts: Sequence[str], cue_rows: Any) -> Any:
        batch = tok(
            list(texts), padding=True, truncation=True, max_length=config.max_length, return_tensors="pt"
        )
        hidden = net(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, dim=-1) * config.scale
        return torch.cat([pooled, cue_rows], dim=1)

    for epoch in range(config.epochs):
        order = torch.randperm(len(queries), generator=gen).tolist()
        running = 0.0
        for start in range(0, len(order), config.batch_size):
            idx = order[start : start + config.batch_size]
            logits = head(features([dropped(queries[i]) for i in idx], cue_t[idx]))
            loss = loss_fn(logits, torch.tensor(labels[idx], dtype=torch.long))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            running += float(loss.detach()) * len(idx)
        say(f"  tune epoch {epoch + 1}/{config.epochs}: loss {running / len(queries):.4f}")

    def logits_of(texts: Sequence[str], cue_rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = []
        with torch.no_grad():
            for start in range(0, len(texts), 64):
                rows = torch.tensor(cue_rows[start : start + 64], dtype=torch.float32)
                out.append(head(features(texts[start : start + 64], rows)).double().numpy())
        return np.concatenate(out) if out else np.zeros((0, n_classes))

    tensors = {
        name: p.detach().float().numpy().copy()
        for name, p in net.named_parameters()
        if is_tuned_parameter(name)
    }
    w = head.weight.detach().double().numpy().T.copy()  # (in, out)
    w[:dim] *= config.scale  # serving feeds the unit-length embedding
    b = head.bias.detach().double().numpy().copy()
    return TuneResult(tensors=tensors, weight=w, bias=b, logits=logits_of)
