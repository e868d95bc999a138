"""``ImageCompressionPostprocessor``: compress retrieved ``ImageNode``s before they reach the LLM."""

from __future__ import annotations

import base64
import dataclasses
import logging
from typing import Any

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import ImageNode, NodeWithScore, QueryBundle, TextNode

from headroom_core import (
    CompressionResult,
    ImageCompressor,
    ImageResult,
    get_cost_model,
)

from ._compressing import CompressingComponent, make_compressor
from ._images import (
    Rewritten,
    data_url,
    image_url_block,
    is_remote,
    local_file_url,
    read_rewritten,
)

__all__ = ["SOURCE_IMAGE_KEYS", "ImageCompressionPostprocessor"]

logger = logging.getLogger(__name__)

SOURCE_IMAGE_KEYS = (
    "headroom_source_node_id",
    "headroom_source_image_path",
    "headroom_source_image_url",
    "headroom_source_image_mimetype",
    "headroom_technique",
)
"""Metadata a rewritten node carries about the image it came from (hidden from the LLM and the
embedding text)."""


def _node_url(node: ImageNode, *, allow_remote: bool, max_bytes: int) -> str | None:
    if node.image:
        try:
            raw = base64.b64decode(node.image, validate=True)
        except ValueError:
            logger.info("image node %s: image is not base64; left as it is", node.node_id)
            return None
        return data_url(raw, node.image_mimetype)
    if node.image_path:
        return local_file_url(node.image_path, node.image_mimetype, max_bytes)
    if node.image_url:
        url = node.image_url
        if url[:5].lower() == "data:":
            return url
        if is_remote(url) and allow_remote:
            return url
    return None


def _pointer(node: ImageNode, technique: str) -> dict[str, Any]:
    return {
        "headroom_source_node_id": node.node_id,
        "headroom_source_image_path": node.image_path,
        "headroom_source_image_url": node.image_url if node.image_url and is_remote(node.image_url) else None,
        "headroom_source_image_mimetype": node.image_mimetype,
        "headroom_technique": technique,
    }


def _hidden(keys: list[str]) -> list[str]:
    return [*keys, *(key for key in SOURCE_IMAGE_KEYS if key not in keys)]


class ImageCompressionPostprocessor(CompressingComponent, BaseNodePostprocessor):
    """Compresses the ``ImageNode``s a retriever returned, for the query being answered.

    Plugs into any query or chat engine through ``node_postprocessors=[...]`` (for example
    ``SimpleMultiModalQueryEngine`` or ``RetrieverQueryEngine.from_args(..., multimodal=True)``).
    All image nodes of one query go to the core in one call, each asked about with the
    ``QueryBundle``'s ``query_str``; the core decides per image:

    - TRANSCODE: the node becomes a ``TextNode`` holding the fenced OCR text, with the original's
      id, metadata and relationships, plus a pointer to the image (:data:`SOURCE_IMAGE_KEYS`);
    - CROP / FULL_LOW / a tile-aligned PRESERVE: a copy of the node holding the new image;
    - PRESERVE unchanged: the node as it was.

    Nodes are never mutated. Images are read from ``image`` (base64), from a local ``image_path``,
    or from a ``data:`` ``image_url``; remote URLs only with ``allow_remote`` (the core then fetches
    them only under its ``fetch`` policy). An ``ImageNode`` cannot carry a per-image ``detail``:
    a FULL_LOW that only lowers the detail leaves the node as it was, and :attr:`last_result` says
    so (see ``ImageResult.error``).
    """

    def __init__(
        self,
        provider: str | None = None,
        model: str | None = None,
        *,
        allow_remote: bool = False,
        compressor: ImageCompressor | None = None,
        **options: Any,
    ) -> None:
        compressor = make_compressor(compressor, provider or "openai", model, options)
        target = provider or compressor.provider
        target_model = model if model is not None or target != compressor.provider else compressor.model
        fields: dict[str, Any] = {"provider": target, "model": target_model, "allow_remote": allow_remote}
        super().__init__(**fields)
        self._attach(compressor)

    @classmethod
    def class_name(cls) -> str:
        return "HeadroomImageCompressionPostprocessor"

    def _postprocess_nodes(
        self,
        nodes: list[NodeWithScore],
        query_bundle: QueryBundle | None = None,
    ) -> list[NodeWithScore]:
        slots: list[int] = []
        content: list[dict[str, Any]] = []
        for index, scored in enumerate(nodes):
            node = scored.node
            if not isinstance(node, ImageNode):
                continue
            url = _node_url(node, allow_remote=self.allow_remote, max_bytes=self._compressor.max_bytes)
            if url is None:
                continue
            slots.append(index)
            content.append(image_url_block(url))
        if not content:
            return list(nodes)
        query = query_bundle.query_str if query_bundle is not None else ""
        request: list[dict[str, Any]] = [
            {"role": "user", "content": [*content, {"type": "text", "text": query}]}
        ]
        try:
            compressed, result = self._compressor.compress_with_result(
                request, provider=self.provider, model=self.model
            )
        except Exception as exc:  # fail open: the nodes go on as they were
            logger.warning("image compression failed, nodes left unchanged: %s: %s", type(exc).__name__, exc)
            self._last_result = CompressionResult(images=(), provider=self.provider, model=self.model)
            return list(nodes)
        out = list(nodes)
        images = list(result.images)
        for position, index in enumerate(slots):
            after = compressed[0]["content"][position]
            if after == content[position]:
                continue
            scored = nodes[index]
            node = scored.node
            if not isinstance(node, ImageNode):  # pragma: no cover - slots hold image nodes only
                continue
            before = read_rewritten(content[position])
            new_node, fixed = _rewrite_node(node, before, read_rewritten(after), images[position], result)
            images[position] = fixed
            if new_node is not None:
                out[index] = NodeWithScore(node=new_node, score=scored.score)
        self._last_result = dataclasses.replace(result, images=tuple(images))
        return out


def _rewrite_node(
    node: ImageNode, before: Rewritten, new: Rewritten, image: ImageResult, result: CompressionResult
) -> tuple[TextNode | ImageNode | None, ImageResult]:
    """The node to send in place of ``node``, and ``image`` corrected for what the node can carry."""
    technique = image.technique.value if image.technique else "unknown"
    if new.text is not None:
        text_node = TextNode(
            id_=node.id_,
            text=new.text,
            metadata={**node.metadata, **_pointer(node, technique)},
            excluded_llm_metadata_keys=_hidden(list(node.excluded_llm_metadata_keys)),
            excluded_embed_metadata_keys=_hidden(list(node.excluded_embed_metadata_keys)),
            relationships=dict(node.relationships),
            metadata_template=node.metadata_template,
            metadata_separator=node.metadata_separator,
            text_template=node.text_template,
        )
        return text_node, image
    same_pixels = (
        new.data is None
        or new.data == before.data
        or (image.compressed_size is not None and image.compressed_size == image.original_size)
    )
    if new.detail is not None and same_pixels:
        # Only the detail changed, and an ImageNode has no field for it: the image goes as it was.
        reason = (
            f"{technique} only sets detail={new.detail!r}, which an ImageNode cannot carry; sent as given"
        )
        logger.warning("image node %s: %s", node.node_id, reason)
        return None, dataclasses.replace(
            image,
            technique=None,
            compressed_tokens=image.original_tokens,
            compressed_size=image.original_size,
            compressed_bytes=image.original_bytes,
            error=reason,
        )
    if new.data is None:  # pragma: no cover - the core writes bytes with every image replacement
        return None, image
    if new.detail is not None and image.compressed_size is not None:
        # New pixels and a detail: the pixels go, billed at the detail the node implies (none).
        tokens = get_cost_model(result.provider, result.model).tokens(*image.compressed_size, None)
        logger.warning(
            "image node %s: detail %r dropped (an ImageNode cannot carry it)", node.node_id, new.detail
        )
        image = dataclasses.replace(image, compressed_tokens=tokens)
    new_node = node.model_copy(
        update={
            "image": base64.b64encode(new.data).decode("ascii"),
            "image_mimetype": new.mime_type,
            "image_path": None,
            "image_url": None,
            "metadata": {**node.metadata, **_pointer(node, technique)},
            "excluded_llm_metadata_keys": _hidden(list(node.excluded_llm_metadata_keys)),
            "excluded_embed_metadata_keys": _hidden(list(node.excluded_embed_metadata_keys)),
        }
    )
    return new_node, image
