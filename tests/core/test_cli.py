"""The headroom-image command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from headroom_core.cli import main


def test_tokens_prints_the_documented_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tokens", "--provider", "openai", "--model", "gpt-4o", "--size", "1024x1024"]) == 0
    out = json.loads(capsys.readouterr().out)
    keys = {"provider", "model", "width", "height", "detail", "tokens", "billed_width", "billed_height"}
    assert keys <= set(out)
    assert (out["tokens"], out["billed_width"], out["billed_height"]) == (765, 768, 768)


def test_tokens_anthropic_high_res(capsys: pytest.CaptureFixture[str]) -> None:
    main(["tokens", "--provider", "anthropic", "--model", "claude-opus-4-7", "--size", "3840x2160"])
    out = json.loads(capsys.readouterr().out)
    assert out["tokens"] == 4784 and (out["billed_width"], out["billed_height"]) == (2576, 1449)


def test_bad_size_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["tokens", "--size", "12by7"])
    assert exc.value.code == 2


def test_compress_json_and_out(tmp_path: Path, draw_photo, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "photo.jpg"
    draw_photo(1600, 1200).save(src, format="JPEG")
    dest = tmp_path / "small"
    args = ["compress", str(src), "--query", "Describe the scene", "--router", "rules", "--json"]
    assert main([*args, "--out", str(dest)]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("technique", "original_tokens", "compressed_tokens", "savings_percent", "reason"):
        assert key in out
    assert out["compressed_tokens"] <= out["original_tokens"]
    assert out["output"] and Path(out["output"]).exists()


def test_compress_missing_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compress", str(tmp_path / "nope.png")]) == 2
    assert "error" in capsys.readouterr().err


def test_demo_prints_a_table() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "headroom_core.cli", "demo", "--router", "rules"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = proc.stdout.splitlines()
    assert any(line.startswith("image") and "technique" in line for line in lines)
    rows = [line for line in lines if line.split(" ")[0].endswith((".png", ".jpg"))]
    assert len(rows) == 6
    assert not [row for row in rows if "passthru" in row], rows  # every sample is routed, none fails
    total = next(line for line in lines if line.startswith("total"))
    before, after = (int(x) for x in total.split()[1:3])
    assert after < before
