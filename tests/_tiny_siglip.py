"""A tiny random SigLIP (model + processor with an offline word-level tokenizer), built from a config and
saved with ``save_pretrained``, so tests and benchmarks can load it through the real loading code.

The one copy of the builder: ``tests/models/test_siglip.py``, ``tests/core/test_locator.py`` and
``benchmarks/analyzer.py`` (which puts ``tests/`` on ``sys.path``) import it from here. torch,
transformers and tokenizers are imported only when a function is called.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

__all__ = ["TINY_MAX_LENGTH", "VOCAB_WORDS", "build_tiny_siglip", "tiny_siglip_config"]

#: Text length of the tiny model (its ``max_position_embeddings``).
TINY_MAX_LENGTH = 16

#: The tokenizer's words (ids 3, 4, ... in this order; 0-2 are ``<pad>``, ``</s>``, ``<unk>``).
#: Append new words at the end: existing ids must not move.
VOCAB_WORDS = (
    "a an the of with on or and no any image photo picture text words letters readable sign writing "
    "screenshot scanned document page printed receipt source code scene people animals chart graph "
    "user interface buttons icons busy cluttered many objects crowded full details dense dashboard "
    "charts simple single object plain background minimal design few elements tiny detailed fine "
    "lines small print high-resolution large shape big bold blurry smooth without nature abstract pattern "
    "zoom in to where is what cat dog red blue square dot badge logo car"
).split()


def tiny_siglip_config(image_size: int = 32, patch_size: int = 8) -> Any:
    """A ``SiglipConfig`` with 2-layer, 32-wide text and vision towers (``(image_size / patch_size)^2``
    patches)."""
    from transformers import SiglipConfig

    return SiglipConfig(
        text_config={
            "vocab_size": 128,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": TINY_MAX_LENGTH,
            "pad_token_id": 0,
            "bos_token_id": 1,
            "eos_token_id": 1,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": image_size,
            "patch_size": patch_size,
        },
    )


def build_tiny_siglip(
    path: Path | str,
    *,
    logit_scale: float = 10.0,
    logit_bias: float = -5.0,
    seed: int = 0,
    image_size: int = 32,
    patch_size: int = 8,
    flat_positions: bool = False,
) -> Path:
    """Save a tiny random SigLIP (model + processor) to ``path`` and return it.

    ``logit_scale`` is the multiplier (the checkpoint stores its log). The same ``seed`` and sizes give
    the same weights. ``flat_positions`` zeroes the vision tower's position embeddings, so identical
    patches get identical tokens wherever they are: on a plain background, a patch that differs is
    the only one that stands out (a deterministic map for the patch-similarity tests).
    """
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, SiglipImageProcessor, SiglipModel, SiglipProcessor

    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2}
    for word in VOCAB_WORDS:
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=TINY_MAX_LENGTH,
    )
    torch.manual_seed(seed)
    model = SiglipModel(tiny_siglip_config(image_size, patch_size))
    with torch.no_grad():
        model.logit_scale.fill_(math.log(logit_scale))
        model.logit_bias.fill_(logit_bias)
        if flat_positions:
            model.vision_model.embeddings.position_embedding.weight.zero_()
    processor = SiglipProcessor(
        image_processor=SiglipImageProcessor(size={"height": image_size, "width": image_size}),
        tokenizer=fast,
    )
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out
