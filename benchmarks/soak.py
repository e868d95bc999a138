"""Soak: many mixed requests through one ImageCompressor; RSS must stay flat after warm-up.

Prints the machine, RSS at warm-up and at the end, and p50/p95 ms per technique. Not a test.
Usage: python benchmarks/soak.py [--requests 2000] [--warmup 100]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import sys
import time

from PIL import Image, ImageDraw

from headroom_core import ImageCompressor
from headroom_core.cli import build_request
from headroom_core.samples import demo_samples, draw_text_page


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def variants(n: int) -> list[tuple[bytes, str, str]]:
    """n distinct (image, mime, question) triples: demo samples with a varying stamp, so no cache hit."""
    base = demo_samples()
    extra = [(draw_text_page(700, 500, font_size=16, seed=s), "Transcribe this page.") for s in range(3)]
    out = []
    for i in range(n):
        if i % 4 == 3:
            img, q = extra[i % 3][0].copy(), extra[i % 3][1]
        else:
            s = base[i % len(base)]
            img, q = Image.open(io.BytesIO(s.image)).convert("RGB"), s.query
        ImageDraw.Draw(img).text((2, 2), f"{i}", fill=(128, 128, 128))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        out.append((buf.getvalue(), "image/png", q))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=100)
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    distinct = variants(64)
    comp = ImageCompressor("openai", "gpt-4o", cache=False)
    times: dict[str, list[float]] = {}
    errors = 0
    rss_warm = 0.0
    start = time.perf_counter()
    for i in range(args.requests):
        data, mime, q = distinct[i % len(distinct)]
        _, result = comp.compress_with_result(build_request("openai", data, mime, q))
        for r in result.images:
            key = r.technique.value if r.technique else "passthrough"
            times.setdefault(key, []).append(r.elapsed_ms)
            errors += r.error is not None
        if i + 1 == args.warmup:
            rss_warm = rss_mb()
    total = time.perf_counter() - start
    rss_end = rss_mb()
    print(f"requests: {args.requests} in {total:.0f} s; images failed open: {errors}")
    print(
        f"RSS after {args.warmup} warm-up requests: {rss_warm:.0f} MB; at the end: {rss_end:.0f} MB; "
        f"growth {rss_end - rss_warm:+.0f} MB (target <= 50 MB)"
    )
    print("\n| technique | n | p50 ms | p95 ms |\n|---|---:|---:|---:|")
    for key, values in sorted(times.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"| {key} | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
