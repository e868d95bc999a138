"""The ``headroom-image`` command line: ``tokens``, ``compress`` and ``demo``."""

from __future__ import annotations

import argparse
import base64
import json
import logging
import mimetypes
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from ._exceptions import HeadroomError
from .codecs import find_images
from .compressor import ImageCompressor
from .costs import get_cost_model
from .types import ImageResult

__all__ = ["main"]


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        width, height = int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if width <= 0 or height <= 0:
        raise argparse.ArgumentTypeError("width and height must be positive")
    return width, height


def build_request(
    provider: str, data: bytes, mime: str, query: str, detail: str | None = None
) -> list[dict[str, Any]]:
    """A one-turn request in ``provider``'s native shape holding one image and the question."""
    b64 = base64.b64encode(data).decode("ascii")
    if provider == "anthropic":
        blocks: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": mime, "data": b64}}
        ]
        if query:
            blocks.append({"type": "text", "text": query})
        return [{"role": "user", "content": blocks}]
    if provider == "google":
        part: dict[str, Any] = {"inline_data": {"mime_type": mime, "data": b64}}
        if detail:
            part["media_resolution"] = {"level": f"media_resolution_{detail}"}
        parts: list[dict[str, Any]] = [part]
        if query:
            parts.append({"text": query})
        return [{"role": "user", "parts": parts}]
    image_url: dict[str, Any] = {"url": f"data:{mime};base64,{b64}"}
    if detail:
        image_url["detail"] = detail
    content: list[dict[str, Any]] = [{"type": "image_url", "image_url": image_url}]
    if query:
        content.append({"type": "text", "text": query})
    return [{"role": "user", "content": content}]


def _cmd_tokens(args: argparse.Namespace) -> int:
    model = get_cost_model(args.provider, args.model)
    width, height = args.size
    cost = model.cost(width, height, args.detail)
    json.dump(
        {
            "provider": model.provider,
            "model": args.model or model.family,
            "family": model.family,
            "width": width,
            "height": height,
            "detail": args.detail,
            "tokens": cost.tokens,
            "billed_width": cost.billed_width,
            "billed_height": cost.billed_height,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


def _cmd_compress(args: argparse.Namespace) -> int:
    path = Path(args.image)
    data = path.read_bytes()
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    compressor = ImageCompressor(args.provider, args.model, router=args.router)
    request = build_request(compressor.provider, data, mime, args.query, args.detail)
    out, result = compressor.compress_with_result(request)
    image = result.images[0]
    written = _write_output(out, image, Path(args.out)) if args.out else None
    if args.json:
        payload = image.as_dict()
        payload["savings_percent"] = round(result.savings_percent, 2)
        payload["output"] = str(written) if written else None
        json.dump(payload, sys.stdout)
        sys.stdout.write("\n")
        return 0
    technique = image.technique.value.upper() if image.technique else "PASSTHROUGH"
    print(f"technique : {technique}")
    saved = f"({result.savings_percent:.1f}% saved)"
    print(f"tokens    : {image.original_tokens} -> {image.compressed_tokens} {saved}")
    print(f"reason    : {image.reason}")
    if image.decision:
        print(f"router    : {image.decision.router} (confidence {image.decision.confidence:.2f})")
    print(f"output    : {written if written else 'not written (use --out FILE)'}")
    if image.text and not written:
        print(image.text)
    return 0


def _write_output(out: list[dict[str, Any]], image: ImageResult, dest: Path) -> Path:
    if image.text is not None:
        dest = dest if dest.suffix == ".txt" else dest.with_suffix(".txt")
        dest.write_text(image.text, encoding="utf-8")
        return dest
    refs = find_images(out)
    if refs and refs[0].data is not None:
        ext = mimetypes.guess_extension(refs[0].mime_type or "image/png") or ".png"
        dest = dest if dest.suffix else dest.with_suffix(ext)
        dest.write_bytes(refs[0].data)
    return dest


def _cmd_demo(args: argparse.Namespace) -> int:
    from .samples import demo_samples

    compressor = ImageCompressor(args.provider, args.model, router=args.router)
    rows = []
    for sample in demo_samples():
        request = build_request(compressor.provider, sample.image, sample.mime_type, sample.query)
        _, result = compressor.compress_with_result(request)
        r = result.images[0]
        rows.append((sample.name, sample.query, r))
    header = (
        f"{'image':<18} {'question':<52} {'technique':<10} {'before':>7} {'after':>7} {'saving':>7}  reason"
    )
    print(
        f"headroom-image {__version__} demo: provider={compressor.provider} "
        f"model={compressor.model or 'default'} router={compressor.router.name}"
    )
    print(header)
    print("-" * len(header))
    total_before = total_after = 0
    for name, query, r in rows:
        total_before += r.original_tokens
        total_after += r.compressed_tokens
        tech = r.technique.value if r.technique else "passthru"
        saving = 100.0 * r.saved_tokens / r.original_tokens if r.original_tokens else 0.0
        q = query if len(query) <= 52 else query[:49] + "..."
        print(
            f"{name:<18} {q:<52} {tech:<10} {r.original_tokens:>7} {r.compressed_tokens:>7} {saving:>6.1f}%  "
            f"{r.reason}"
        )
    print("-" * len(header))
    saving = 100.0 * (total_before - total_after) / total_before if total_before else 0.0
    print(f"{'total':<18} {'':<52} {'':<10} {total_before:>7} {total_after:>7} {saving:>6.1f}%")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="headroom-image", description="Cut the tokens images cost in LLM requests."
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log decisions to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tokens", help="billed tokens of an image size")
    t.add_argument("--provider", default="openai")
    t.add_argument("--model")
    t.add_argument("--size", type=_size, required=True, metavar="WxH")
    t.add_argument("--detail")
    t.set_defaults(func=_cmd_tokens)

    c = sub.add_parser("compress", help="compress one image for a question")
    c.add_argument("image")
    c.add_argument("--query", default="")
    c.add_argument("--provider", default="openai")
    c.add_argument("--model")
    c.add_argument("--detail")
    c.add_argument("--router", default="auto", choices=["auto", "trained", "rules"])
    c.add_argument("--out", help="write the compressed image (or the text, .txt) here")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=_cmd_compress)

    d = sub.add_parser("demo", help="run the bundled samples and print a table")
    d.add_argument("--provider", default="openai")
    d.add_argument("--model")
    d.add_argument("--router", default="auto", choices=["auto", "trained", "rules"])
    d.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s"
    )
    try:
        return int(args.func(args))
    except (HeadroomError, OSError) as exc:
        print(f"headroom-image: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
