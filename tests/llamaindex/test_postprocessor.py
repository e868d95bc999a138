"""``ImageCompressionPostprocessor`` on its own and inside query engines, asserting what the LLM received."""

from __future__ import annotations

import asyncio
import base64
import http.server
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("llama_index.core")

from llama_index.core.llms import ImageBlock, TextBlock
from llama_index.core.query_engine import RetrieverQueryEngine, SimpleMultiModalQueryEngine
from llama_index.core.schema import ImageNode, MetadataMode, NodeWithScore, QueryBundle, TextNode
from PIL import Image

from headroom_core import Box, ConfigurationError, ImageCompressor, Technique
from headroom_llamaindex import SOURCE_IMAGE_KEYS, ImageCompressionPostprocessor

REGION = Box(100, 100, 500, 400)
QUESTION = "What is the total on the invoice?"


def image_node(png: bytes, node_id: str = "img-1", **kwargs: Any) -> ImageNode:
    return ImageNode(
        id_=node_id,
        image=base64.b64encode(png).decode(),
        image_mimetype="image/png",
        metadata={"file_name": "invoice.png", "page": 3},
        **kwargs,
    )


def postprocessor(compressor: ImageCompressor, **kwargs: Any) -> ImageCompressionPostprocessor:
    return ImageCompressionPostprocessor(compressor.provider, compressor=compressor, **kwargs)


def test_transcode_turns_the_node_into_a_text_node(
    photo_png: bytes, ocr_lines: list[str], fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    node = image_node(photo_png)
    original_image = node.image
    pp = postprocessor(fixed_compressor(Technique.TRANSCODE, "openai"))
    out = pp.postprocess_nodes([NodeWithScore(node=node, score=0.8)], query_str=QUESTION)
    (scored,) = out
    text_node = scored.node
    assert type(text_node) is TextNode and scored.score == 0.8
    assert text_node.id_ == "img-1"
    assert "\n".join(ocr_lines) in text_node.text and text_node.text.startswith("<image_text")
    assert text_node.metadata["file_name"] == "invoice.png" and text_node.metadata["page"] == 3
    assert text_node.metadata["headroom_source_node_id"] == "img-1"
    assert text_node.metadata["headroom_technique"] == "transcode"
    llm_view = text_node.get_content(metadata_mode=MetadataMode.LLM)
    assert "invoice.png" in llm_view and not any(key in llm_view for key in SOURCE_IMAGE_KEYS)
    assert node.image == original_image and isinstance(node, ImageNode)  # the input is untouched
    assert pp.last_result is not None and pp.last_result.images[0].technique is Technique.TRANSCODE


def test_crop_replaces_the_image_in_a_copy(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    node = image_node(photo_png)
    compressor = fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    pp = postprocessor(compressor)
    (scored,) = pp.postprocess_nodes([NodeWithScore(node=node, score=0.5)], QueryBundle(QUESTION))
    new = scored.node
    assert isinstance(new, ImageNode) and new is not node and new.id_ == "img-1"
    result = pp.last_result
    assert result is not None and result.images[0].technique is Technique.CROP
    assert helpers.size_of(new.image) == result.images[0].compressed_size
    assert helpers.size_of(node.image) == (1600, 1200)  # the caller's node keeps its image
    assert new.metadata["headroom_technique"] == "crop" and new.metadata["page"] == 3
    assert compressor.router.calls[0][0] == QUESTION


def test_preserve_keeps_the_node(
    draw_photo: Callable[..., Image.Image],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    scored = NodeWithScore(node=image_node(helpers.png_bytes(draw_photo(500, 400))), score=1.0)
    text = NodeWithScore(node=TextNode(text="context"), score=0.3)
    out = postprocessor(fixed_compressor(Technique.PRESERVE, "openai")).postprocess_nodes(
        [text, scored], query_str="q"
    )
    assert out[0] is text and out[1] is scored


def test_detail_only_full_low_is_reported_not_faked(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    node = image_node(photo_png)
    pp = postprocessor(fixed_compressor(Technique.FULL_LOW, "openai"))
    (scored,) = pp.postprocess_nodes([NodeWithScore(node=node)], query_str="Describe the scene.")
    assert scored.node is node  # an ImageNode cannot carry detail="low"
    image = pp.last_result.images[0]  # type: ignore[union-attr]
    assert image.technique is None and "cannot carry" in (image.error or "")
    assert image.compressed_tokens == image.original_tokens
    assert image.decision is not None and image.decision.technique is Technique.FULL_LOW


def test_full_low_for_anthropic_downscales(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    pp = postprocessor(fixed_compressor(Technique.FULL_LOW, "anthropic"))
    (scored,) = pp.postprocess_nodes([NodeWithScore(node=image_node(photo_png))], query_str="Describe it.")
    image = pp.last_result.images[0]  # type: ignore[union-attr]
    assert image.technique is Technique.FULL_LOW and image.compressed_tokens < image.original_tokens
    assert helpers.size_of(scored.node.image) == image.compressed_size  # type: ignore[union-attr]
    assert max(image.compressed_size or (0, 0)) < 1600


def test_local_image_path_is_read(
    tmp_path: Path,
    photo_png: bytes,
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(photo_png)
    node = ImageNode(id_="p", image_path=str(path))
    pp = postprocessor(fixed_compressor(Technique.CROP, "openai", region=REGION))
    (scored,) = pp.postprocess_nodes([NodeWithScore(node=node)], query_str="q")
    new = scored.node
    assert isinstance(new, ImageNode) and new.image_path is None and new.image is not None
    assert new.metadata["headroom_source_image_path"] == str(path)
    assert helpers.size_of(new.image) == pp.last_result.images[0].compressed_size  # type: ignore[union-attr]
    missing = ImageNode(id_="m", image_path=str(tmp_path / "missing.png"))
    out = pp.postprocess_nodes([NodeWithScore(node=missing)], query_str="q")
    assert out[0].node is missing


@pytest.fixture
def image_server(photo_png: bytes) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(photo_png)))
            self.end_headers()
            self.wfile.write(photo_png)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/remote.png"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_remote_urls_are_fetched_only_on_opt_in(
    image_server: str, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    from headroom_core._fetch import FetchPolicy  # the core does not export it yet

    node = ImageNode(id_="u", image_url=image_server)
    default = postprocessor(fixed_compressor(Technique.CROP, "openai", region=REGION))
    assert default.postprocess_nodes([NodeWithScore(node=node)], query_str="q")[0].node is node
    assert default.compressor.router.calls == []  # not even offered to the core
    with pytest.raises(ConfigurationError, match="fetch policy"):
        postprocessor(fixed_compressor(Technique.CROP, "openai", region=REGION), allow_remote=True)
    policy = FetchPolicy(allowed_hosts=("127.0.0.1",), allow_private=True)
    opted = postprocessor(
        fixed_compressor(Technique.CROP, "openai", region=REGION, fetch=policy), allow_remote=True
    )
    (scored,) = opted.postprocess_nodes([NodeWithScore(node=node)], query_str="q")
    new = scored.node
    assert isinstance(new, ImageNode) and new.image_url is None and new.image is not None
    assert new.metadata["headroom_source_image_url"] == image_server
    assert helpers.size_of(new.image) == opted.last_result.images[0].compressed_size  # type: ignore[union-attr]


def test_data_url_images_and_async(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    url = "data:image/png;base64," + base64.b64encode(photo_png).decode()
    node = ImageNode(id_="d", image_url=url)
    pp = postprocessor(fixed_compressor(Technique.CROP, "google", region=REGION))
    (scored,) = asyncio.run(pp.apostprocess_nodes([NodeWithScore(node=node)], query_str="q"))
    assert isinstance(scored.node, ImageNode) and scored.node.image_url is None
    assert helpers.size_of(scored.node.image) == pp.last_result.images[0].compressed_size  # type: ignore[union-attr]


def test_one_core_call_for_all_image_nodes_of_a_query(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    nodes = [
        NodeWithScore(node=image_node(photo_png, "a"), score=0.9),
        NodeWithScore(node=TextNode(id_="t", text="some text"), score=0.7),
        NodeWithScore(node=image_node(photo_png, "b"), score=0.5),
    ]
    pp = postprocessor(fixed_compressor(Technique.TRANSCODE, "openai"))
    out = pp.postprocess_nodes(nodes, query_str=QUESTION)
    assert [n.node.id_ for n in out] == ["a", "t", "b"] and [n.score for n in out] == [0.9, 0.7, 0.5]
    assert out[1] is nodes[1]
    assert len(pp.last_result.images) == 2  # type: ignore[union-attr]
    assert [call[0] for call in pp.compressor.router.calls] == [QUESTION, QUESTION]


def test_class_name_and_fields() -> None:
    pp = ImageCompressionPostprocessor("anthropic", "claude-sonnet-4-5", router="rules")
    assert ImageCompressionPostprocessor.class_name() == "HeadroomImageCompressionPostprocessor"
    assert (pp.provider, pp.model, pp.allow_remote) == ("anthropic", "claude-sonnet-4-5", False)
    assert (pp.compressor.provider, pp.compressor.model) == ("anthropic", "claude-sonnet-4-5")
    dumped = pp.to_dict()
    assert dumped["class_name"] == "HeadroomImageCompressionPostprocessor" and "compressor" not in dumped


def nodes_for_engine(photo_png: bytes, page_png: bytes) -> list[NodeWithScore]:
    return [
        NodeWithScore(node=image_node(photo_png, "photo"), score=0.9),
        NodeWithScore(node=image_node(page_png, "invoice"), score=0.8),
        NodeWithScore(node=TextNode(id_="note", text="Invoices are due in 30 days."), score=0.5),
    ]


def test_simple_multimodal_query_engine_sends_compressed_nodes(
    photo_png: bytes,
    draw_page: Callable[..., Image.Image],
    ocr_lines: list[str],
    recording_llm: Callable[..., Any],
    fixed_retriever: Callable[..., Any],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    page_png = helpers.png_bytes(draw_page(900, 1200))
    llm = recording_llm("The total is 1,284.00 EUR.")
    retriever = fixed_retriever(nodes_for_engine(photo_png, page_png))
    pp = postprocessor(fixed_compressor(Technique.TRANSCODE, "openai"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated in 0.14.23, still shipped
        engine = SimpleMultiModalQueryEngine(retriever, multi_modal_llm=llm, node_postprocessors=[pp])
    response = engine.query(QUESTION)
    assert str(response) == "The total is 1,284.00 EUR."
    (message,) = llm.received[0]
    # Both images were transcoded: no image block reaches the LLM, the OCR text is in the prompt.
    assert all(isinstance(block, TextBlock) for block in message.blocks)
    prompt = message.blocks[-1].text
    assert prompt.count("<image_text") == 2 and ocr_lines[1] in prompt
    assert "Invoices are due in 30 days." in prompt and QUESTION in prompt
    asyncio.run(engine.aquery(QUESTION))
    assert llm.calls == ["chat", "achat"] and retriever.queries == [QUESTION, QUESTION]


def test_simple_multimodal_query_engine_sends_cropped_images(
    photo_png: bytes,
    recording_llm: Callable[..., Any],
    fixed_retriever: Callable[..., Any],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    llm = recording_llm()
    retriever = fixed_retriever([NodeWithScore(node=image_node(photo_png, "photo"), score=0.9)])
    pp = postprocessor(fixed_compressor(Technique.CROP, "openai", region=REGION))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        engine = SimpleMultiModalQueryEngine(retriever, multi_modal_llm=llm, node_postprocessors=[pp])
    engine.query("What is in the top-left corner?")
    (message,) = llm.received[0]
    images = [b for b in message.blocks if isinstance(b, ImageBlock)]
    assert len(images) == 1
    assert helpers.block_size(images[0]) == pp.last_result.images[0].compressed_size  # type: ignore[union-attr]
    assert helpers.block_size(images[0]) != (1600, 1200)


def test_retriever_query_engine_multimodal(
    photo_png: bytes,
    recording_llm: Callable[..., Any],
    fixed_retriever: Callable[..., Any],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    llm = recording_llm()
    retriever = fixed_retriever([NodeWithScore(node=image_node(photo_png, "photo"), score=0.9)])
    pp = postprocessor(fixed_compressor(Technique.CROP, "openai", region=REGION))
    engine = RetrieverQueryEngine.from_args(retriever, llm=llm, node_postprocessors=[pp], multimodal=True)
    engine.query("What is in the top-left corner?")
    sent = [b for m in llm.received[0] for b in m.blocks if isinstance(b, ImageBlock)]
    assert len(sent) == 1
    assert helpers.block_size(sent[0]) == pp.last_result.images[0].compressed_size  # type: ignore[union-attr]


def test_target_defaults_to_the_given_compressors() -> None:
    pp = ImageCompressionPostprocessor(compressor=ImageCompressor("anthropic", "claude-opus-4-7"))
    assert (pp.provider, pp.model) == ("anthropic", "claude-opus-4-7")
    assert ImageCompressionPostprocessor().provider == "openai"
