"""The LangChain and LlamaIndex usage snippets run as written (offline, against fake models).

Snippets are the ``python`` blocks of ``README.md`` that use an adapter package.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "README.md"]
_FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_ADAPTERS = {"headroom_langchain": ("langchain_core",), "headroom_llamaindex": ("llama_index.core",)}


def _snippets() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for source in SOURCES:
        if not source.exists():
            continue
        for number, match in enumerate(_FENCE.finditer(source.read_text(encoding="utf-8")), start=1):
            code = match.group(1)
            if any(f"from {package} import" in code for package in _ADAPTERS):
                found.append((f"{source.name}#{number}", code))
    return found


SNIPPETS = _snippets()


def test_both_adapters_have_a_snippet() -> None:
    code = "\n".join(snippet for _, snippet in SNIPPETS)
    assert "from headroom_langchain import" in code
    assert "from headroom_llamaindex import" in code


@pytest.mark.parametrize(("where", "code"), SNIPPETS, ids=[where for where, _ in SNIPPETS])
def test_snippet_runs(where: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    for package, needs in _ADAPTERS.items():
        if f"from {package} import" in code:
            for module in needs:
                try:
                    present = importlib.util.find_spec(module) is not None
                except ModuleNotFoundError:
                    present = False
                if not present:
                    pytest.skip(f"{where} needs {module}")
    exec(compile(code, where, "exec"), {"__name__": "__snippet__"})
    printed = capsys.readouterr().out
    assert "image tokens" in printed, f"{where} printed {printed!r}"
    assert re.search(r"\d+ -> \d+ image tokens", printed)
