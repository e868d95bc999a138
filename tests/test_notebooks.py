"""The notebooks run top to bottom offline (fakes stand in for the LLMs) and are committed clean."""

from __future__ import annotations

import importlib.util
import runpy
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["quickstart_langchain.ipynb", "llamaindex_multimodal.ipynb", "savings_report.ipynb"]
NEEDS = {
    "quickstart_langchain.ipynb": ("langchain_core", "langchain"),
    "llamaindex_multimodal.ipynb": ("llama_index.core",),
    "savings_report.ipynb": ("matplotlib",),
}


def _missing(modules: tuple[str, ...]) -> list[str]:
    missing = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(name)
    return missing


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_with_outputs_stripped(name: str) -> None:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, name
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs not stripped"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_notebooks_match_their_generator() -> None:
    pytest.importorskip("nbformat")
    build: Any = runpy.run_path(str(NOTEBOOKS / "_build.py"))["build"]
    generated = build()
    assert sorted(generated) == sorted(NAMES)
    for name, text in generated.items():
        assert (NOTEBOOKS / name).read_text(encoding="utf-8") == text, (
            f"{name}: run python notebooks/_build.py"
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes_without_error(name: str, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    missing = _missing(NEEDS[name])
    if missing:
        pytest.skip(f"{name} needs {', '.join(missing)}")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    assert all(cell.execution_count for cell in nb.cells if cell.cell_type == "code")
    text = "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/markdown", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert "tokens" in text  # every notebook reports token counts
