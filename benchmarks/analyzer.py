"""Image-signal benchmark: latency of the embedded analyzer per image kind at 1080p and 4K, cold start,
the signals it gives per kind, and SigLIP inference with 1 vs 2 torch threads.

Images are drawn by the calibration generators (``headroom_core.analyzers._calibration``, fixed seeds,
a different seed range from the fit) and fitted to 1920x1080 / 3840x2160; photos are the
scikit-image photos. Times are wall-clock (``perf_counter``) and CPU (``process_time``) per image;
on a shared machine the CPU time is the steadier number, so both are printed with the load average.

SigLIP: no SigLIP weights ship on PyPI, so its speed is measured on a randomly initialised model
with the ``google/siglip-base-patch16-224`` architecture (same compute as the real one), built from
a config in memory; the full analyzer path (load + prompts + analyze) uses a tiny saved checkpoint.

Run: ``python benchmarks/analyzer.py [--repeat 15] [--siglip base|tiny|none]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from headroom_core.analyzers import EmbeddedImageAnalyzer
from headroom_core.analyzers import _calibration as cal

# The tiny SigLIP builder lives with the tests (one copy): tests/_tiny_siglip.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}
SEEDS = (901, 902, 903)


def machine_info() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 0
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    import PIL

    parts = [
        f"{platform.system()} {platform.machine()}, {cpu}, {cores} cores usable, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
        f"Python {platform.python_version()}, numpy {np.__version__}, Pillow {PIL.__version__}",
    ]
    try:
        import torch
        import transformers

        parts.append(
            f"torch {torch.__version__} (default threads {torch.get_num_threads()}), "
            f"transformers {transformers.__version__}"
        )
    except ImportError:
        parts.append("torch / transformers not installed")
    return "\n".join(parts)


def _photo(name: str) -> Image.Image:
    from skimage import data

    arr = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
    return Image.fromarray(np.asarray(arr)).convert("RGB")


def _sign(seed: int) -> Image.Image:
    photo = _photo(("coffee", "chelsea", "rocket")[seed % 3])
    img, *_ = cal.gen_photo_sign(photo, (0.0, 0.0), np.random.default_rng(seed))
    return img


KINDS: dict[str, Callable[[int], Image.Image]] = {
    "document": lambda s: cal.gen_document(np.random.default_rng(s))[0],
    "ui screenshot": lambda s: cal.gen_ui(np.random.default_rng(s))[0],
    "code editor": lambda s: cal.gen_code(np.random.default_rng(s))[0],
    "dashboard": lambda s: cal.gen_dashboard(np.random.default_rng(s))[0],
    "bar chart": lambda s: cal.gen_bar_chart(np.random.default_rng(s))[0],
    "photo": lambda s: _photo(("astronaut", "coffee", "motorcycle")[s % 3]),
    "photo + sign": _sign,
}


def _fit(img: Image.Image, size: tuple[int, int], kind: str) -> Image.Image:
    if kind == "document":  # pages keep their aspect: pad to the frame instead of cropping
        return ImageOps.pad(img, size, Image.Resampling.LANCZOS, color=(255, 255, 255))
    return ImageOps.fit(img, size, Image.Resampling.LANCZOS)


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def bench_embedded(repeat: int) -> None:
    analyzer = EmbeddedImageAnalyzer()
    print("\n## Embedded analyzer, per image (ms)\n")
    print(
        "| size | kind | wall p50 | wall p95 | CPU p50 | CPU p95 | lines | has_text | is_document "
        "| is_complex | has_small_details | median text px |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    overall: dict[str, list[float]] = {k: [] for k in SIZES}
    overall_cpu: dict[str, list[float]] = {k: [] for k in SIZES}
    for size_name, size in SIZES.items():
        for kind, make in KINDS.items():
            wall: list[float] = []
            cpu: list[float] = []
            sigs = []
            for seed in SEEDS:
                img = _fit(make(seed), size, kind)
                analyzer.analyze(img)  # warm
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    s = analyzer.analyze(img)
                    wall.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                sigs.append(s)
            overall[size_name] += wall
            overall_cpu[size_name] += cpu
            mean = {
                n: statistics.mean(getattr(x, n) for x in sigs)
                for n in ("has_text", "is_document", "is_complex", "has_small_details")
            }
            heights = [
                x.evidence["median_text_height_px"] for x in sigs if x.evidence["median_text_height_px"]
            ]
            lines = statistics.mean(x.evidence["text_line_count"] for x in sigs)
            print(
                f"| {size_name} | {kind} | {_pct(wall, 50):.0f} | {_pct(wall, 95):.0f} | {_pct(cpu, 50):.0f} "
                f"| {_pct(cpu, 95):.0f} | {lines:.0f} | {mean['has_text']:.2f} | {mean['is_document']:.2f} "
                f"| {mean['is_complex']:.2f} | {mean['has_small_details']:.2f} "
                f"| {statistics.median(heights) if heights else '-'} |"
            )
    for size_name in SIZES:
        w, c = overall[size_name], overall_cpu[size_name]
        print(
            f"| {size_name} | **all kinds** | **{_pct(w, 50):.0f}** | {_pct(w, 95):.0f} "
            f"| **{_pct(c, 50):.0f}** | {_pct(c, 95):.0f} | | | | | | |"
        )
    print("\n(signals: mean over the 3 images of each kind; 'median text px' in original pixels)")


def bench_cold_start() -> None:
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from PIL import Image, ImageDraw\n"
        "import headroom_core.analyzers as a\n"
        "t1 = time.perf_counter()\n"
        "img = Image.new('RGB', (1920, 1080), 'white')\n"
        "ImageDraw.Draw(img).text((40, 40), 'cold start probe', fill='black')\n"
        "an = a.get_analyzer('embedded'); an.analyze(img)\n"
        "t2 = time.perf_counter(); an.analyze(img); t3 = time.perf_counter()\n"
        "print(f'{(t1 - t0) * 1000:.0f} {(t2 - t1) * 1000:.0f} {(t3 - t2) * 1000:.0f}')\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(3)
    ]
    imp, first, warm = (statistics.median(float(r[i]) for r in runs) for i in range(3))
    print("\n## Cold start (fresh process, median of 3)\n")
    print(f"- import headroom_core.analyzers (with numpy, Pillow): {imp:.0f} ms")
    print(f"- first analyze (1080p, incl. model coefficients): {first:.0f} ms; second analyze: {warm:.0f} ms")


def _siglip_config(kind: str) -> Any:
    from transformers import SiglipConfig

    if kind == "tiny":
        from _tiny_siglip import tiny_siglip_config  # the tests' tiny SigLIP (tests/ is on sys.path)

        return tiny_siglip_config()
    # google/siglip-base-patch16-224
    return SiglipConfig(
        text_config={
            "vocab_size": 32000,
            "hidden_size": 768,
            "intermediate_size": 3072,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "max_position_embeddings": 64,
            "pad_token_id": 1,
            "bos_token_id": 49406 % 32000,
            "eos_token_id": 1,
        },
        vision_config={
            "hidden_size": 768,
            "intermediate_size": 3072,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "image_size": 224,
            "patch_size": 16,
        },
    )


def bench_siglip(kind: str, repeat: int) -> None:
    try:
        import torch
        from transformers import SiglipModel
    except ImportError:
        print("\n## SigLIP: torch / transformers not installed, skipped")
        return
    print(f"\n## SigLIP ({kind} architecture, random weights): image embedding per image (ms)\n")
    torch.manual_seed(0)
    t0 = time.perf_counter()
    model = SiglipModel(_siglip_config(kind)).eval()
    build_ms = (time.perf_counter() - t0) * 1000
    n_params = sum(p.numel() for p in model.parameters())
    size = model.config.vision_config.image_size
    pixels = torch.randn(1, 3, size, size)
    ids = torch.randint(0, 100, (14, model.config.text_config.max_position_embeddings))
    before = torch.get_num_threads()
    print(f"{n_params / 1e6:.0f} M parameters, built in {build_ms:.0f} ms; default torch threads: {before}\n")
    print("| threads | image p50 | image p95 | 14 prompts (once per analyzer) |")
    print("|---:|---:|---:|---:|")
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            times = []
            with torch.inference_mode():
                model.get_image_features(pixel_values=pixels)
                for _ in range(repeat):
                    t = time.perf_counter()
                    model.get_image_features(pixel_values=pixels)
                    times.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                model.get_text_features(input_ids=ids)
                text_ms = (time.perf_counter() - t) * 1000
            print(f"| {threads} | {_pct(times, 50):.0f} | {_pct(times, 95):.0f} | {text_ms:.0f} |")
        bench_patch_grid(model, pixels, repeat)
    finally:
        torch.set_num_threads(before)
    bench_siglip_path()


def bench_patch_grid(model: Any, pixels: Any, repeat: int) -> None:
    """The region locator's SigLIP patch path per image: vision tower, every patch token through the
    pooling head's value path, cosine with a (cached) question embedding."""
    import torch

    from headroom_core.locate._patches import _project

    text = torch.nn.functional.normalize(torch.randn(model.config.text_config.hidden_size), dim=0)
    torch.set_num_threads(1)
    times = []
    with torch.inference_mode():
        for i in range(repeat + 1):
            t = time.perf_counter()
            hidden = model.vision_model(pixel_values=pixels).last_hidden_state[0]
            tokens = torch.nn.functional.normalize(_project(model.vision_model, hidden), dim=-1)
            grid = tokens @ text
            if i:  # the first run warms up
                times.append((time.perf_counter() - t) * 1000)
    side = int(len(grid) ** 0.5)
    print(
        f"\nPatch-similarity grid for the region locator ({side} x {side} patches; vision tower + per-patch "
        f"head projection + cosine; question embedding cached), 1 thread: p50 {_pct(times, 50):.0f} ms, "
        f"p95 {_pct(times, 95):.0f} ms (only when the text and spatial paths found no region)."
    )


def bench_siglip_path() -> None:
    """The real analyzer path on a tiny saved checkpoint: cold load, prompt embeddings, analyze."""
    from _tiny_siglip import build_tiny_siglip  # the tests' tiny SigLIP (tests/ is on sys.path)

    from headroom_core.analyzers import SiglipImageAnalyzer

    with tempfile.TemporaryDirectory() as tmp:
        build_tiny_siglip(Path(tmp))
        img = _fit(KINDS["document"](SEEDS[0]), SIZES["1080p"], "document")
        analyzer = SiglipImageAnalyzer(tmp, device="cpu", threads=1)
        t0 = time.perf_counter()
        analyzer.warm_up()
        load_ms = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(5):
            t = time.perf_counter()
            s = analyzer.analyze(img)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"\nTiny saved checkpoint through SiglipImageAnalyzer: load + prompt embeddings {load_ms:.0f} ms "
            f"(torch/transformers already imported); analyze 1080p p50 {_pct(times, 50):.0f} ms "
            f"(of which SigLIP {s.evidence['siglip_ms']:.0f} ms)."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per image")
    parser.add_argument("--siglip", choices=("base", "tiny", "none"), default="base")
    args = parser.parse_args(argv)
    print("# benchmarks/analyzer.py\n")
    print(machine_info())
    bench_cold_start()
    bench_embedded(args.repeat)
    if args.siglip != "none":
        bench_siglip(args.siglip, max(5, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
