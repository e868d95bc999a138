"""Write the notebooks of this folder from the cell sources below, with outputs stripped.

Run ``python notebooks/_build.py`` after editing a cell here; commit the regenerated ``.ipynb`` files.
``tests/test_notebooks.py`` executes every notebook (offline: the LLMs are fakes that record what
they receive) and checks that the committed files match this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# Shared by the notebooks: how to show what a model received, and a result table.
SHOW_HELPERS = '''import base64
import io

from IPython.display import Markdown, display
from PIL import Image


def _image_of(block):
    """Decode the image a LangChain block carries (image_url data URL, Anthropic source, v1 base64)."""
    if block.get("type") == "image_url":
        payload = block["image_url"]["url"].split(",", 1)[1]
    elif isinstance(block.get("source"), dict):
        payload = block["source"]["data"]
    else:
        payload = block.get("base64") or block["data"]
    return Image.open(io.BytesIO(base64.b64decode(payload)))


def show(messages):
    """One line per content block of what the model received."""
    for message in messages:
        parts = message.content if isinstance(message.content, list) else [message.content]
        for part in parts:
            if isinstance(part, str):
                print(f"{message.type:>6} | text  | {part[:70]!r}")
            elif part.get("type") == "text":
                first = part["text"].splitlines()[0] if part["text"] else ""
                print(f"{message.type:>6} | text  | {len(part['text'])} chars, starts {first[:50]!r}")
            else:
                img = _image_of(part)
                detail = part.get("image_url", {}).get("detail") if part.get("type") == "image_url" else None
                print(f"{message.type:>6} | image | {part['type']} block, {img.width}x{img.height} px"
                      + (f", detail={detail}" if detail else ""))


def result_table(result):
    """The CompressionResult of one request as a table: one row per image, then the totals."""
    rows = ["| # | technique | tokens before | tokens after | why |", "|---|---|---:|---:|---|"]
    for n, image in enumerate(result.images, start=1):
        technique = image.technique.value if image.technique else "unchanged"
        why = image.reason.replace("|", "/")
        rows.append(f"| {n} | {technique} | {image.original_tokens} | {image.compressed_tokens} | {why} |")
    rows.append(f"| | **total** | **{result.original_tokens}** | **{result.compressed_tokens}** "
                f"| {result.savings_percent:.0f}% of the image tokens saved |")
    display(Markdown("\\n".join(rows)))
'''


def quickstart_langchain() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# headroom-image with LangChain: quickstart\n\n"
            "Images are the most expensive part of many chat requests. `headroom_langchain` compresses them "
            "just before they reach the model: per image, for the question asked about it, the core decides to "
            "**transcode** a text page to its OCR text, **crop** to the region the question is about, send a "
            "**low**-detail version for gist questions, or **preserve** it (tile-aligned).\n\n"
            "This notebook runs offline: the chat models are fakes that record exactly what they receive, "
            "so every cell shows what a real model would have been sent. The images are the bundled samples "
            "(`headroom_core.samples.demo_samples()`)."
        ),
        new_code_cell(SHOW_HELPERS),
        new_code_cell(
            "from headroom_core.samples import demo_samples\n\n"
            "SAMPLES = {sample.name: sample for sample in demo_samples()}\n\n\n"
            "def image_block(name):\n"
            '    """A LangChain (v1) image block holding one bundled sample."""\n'
            "    sample = SAMPLES[name]\n"
            '    return {"type": "image", "base64": base64.b64encode(sample.image).decode(), "mime_type": sample.mime_type}\n\n\n'
            "for sample in SAMPLES.values():\n"
            "    print(f\"{sample.name:<18} {Image.open(io.BytesIO(sample.image)).size}  asked: {sample.query!r}\")"
        ),
        new_markdown_cell(
            "## A fake chat model that records its requests\n\n"
            "`GenericFakeChatModel` (from `langchain_core`) answers from a list; this subclass also keeps every "
            "message list it receives and supports `bind_tools`, so it can drive an agent."
        ),
        new_code_cell(
            "from langchain_core.language_models.fake_chat_models import GenericFakeChatModel\n"
            "from langchain_core.messages import AIMessage\n"
            "from langchain_core.utils.function_calling import convert_to_openai_tool\n\n\n"
            "class RecordingChatModel(GenericFakeChatModel):\n"
            "    received: list = []\n"
            "    model_name: str | None = None\n\n"
            "    def _generate(self, messages, stop=None, run_manager=None, **kwargs):\n"
            "        self.received.append(messages)\n"
            "        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)\n\n"
            "    def bind_tools(self, tools, *, tool_choice=None, **kwargs):\n"
            "        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)"
        ),
        new_markdown_cell(
            "## 1. In a chain: `prompt | ImageCompressionRunnable() | model`\n\n"
            "The runnable takes what a chat model takes (a `PromptValue`, messages, a string) and returns the "
            "messages to send. Tell it the target provider and model: the token rules and the block shapes "
            "depend on them. Three user turns, each with its own image and question; each image is decided for its own question:"
        ),
        new_code_cell(
            "from langchain_core.messages import HumanMessage\n"
            "from langchain_core.prompts import ChatPromptTemplate\n\n"
            "from headroom_langchain import ImageCompressionRunnable\n\n"
            "llm = RecordingChatModel(messages=iter(['The total is 16.20 GBP.', 'A cup of coffee.', 'It shows 7.']))\n"
            "compress = ImageCompressionRunnable(provider=\"openai\", model=\"gpt-4o\")\n"
            "prompt = ChatPromptTemplate.from_messages([\n"
            '    ("system", "Answer in one sentence."),\n'
            '    ("placeholder", "{conversation}"),\n'
            "])\n"
            "chain = prompt | compress | llm\n\n"
            "conversation = [\n"
            "    HumanMessage(content=[{\"type\": \"text\", \"text\": SAMPLES['receipt.png'].query}, image_block('receipt.png')]),\n"
            "    AIMessage(content='(earlier answer)'),\n"
            "    HumanMessage(content=[{\"type\": \"text\", \"text\": SAMPLES['photo.jpg'].query}, image_block('photo.jpg')]),\n"
            "    AIMessage(content='(earlier answer)'),\n"
            "    HumanMessage(content=[{\"type\": \"text\", \"text\": SAMPLES['dashboard.png'].query}, image_block('dashboard.png')]),\n"
            "]\n"
            "answer = chain.invoke({\"conversation\": conversation})\n"
            "print(\"answer:\", answer.content)\n"
            "print()\n"
            "show(llm.received[-1])"
        ),
        new_markdown_cell(
            "Every image got its own decision, for its own question. The result of the last call is on "
            "`compress.last_result` (and in the run's callbacks, see section 4):"
        ),
        new_code_cell("result_table(compress.last_result)"),
        new_markdown_cell(
            "The caller's messages are never modified: the chain sent compressed copies."
        ),
        new_code_cell(
            "assert conversation[0].content[1] == image_block('receipt.png')\n"
            "print('input untouched:', conversation[0].content[1]['type'], 'block with', len(conversation[0].content[1]['base64']), 'base64 chars')"
        ),
        new_markdown_cell(
            "## 2. Wrap a chat model: `with_image_compression(model)`\n\n"
            "The wrapper infers the provider and model from the chat model (`ChatOpenAI`, `ChatAnthropic`, "
            "`ChatGoogleGenerativeAI`, `ChatVertexAI`, by class name and `model_name`) and writes the blocks that "
            "provider's LangChain integration accepts: native `image` blocks for Anthropic here. `bind_tools` and "
            "`with_structured_output` keep working. (The fake below is named `ChatAnthropic` to show the inference.)"
        ),
        new_code_cell(
            "from langchain_core.tools import tool\n\n"
            "from headroom_langchain import with_image_compression\n\n"
            "ChatAnthropic = type('ChatAnthropic', (RecordingChatModel,), {})\n"
            "claude = ChatAnthropic(messages=iter(['Monthly sales peaked in August.']), model_name='claude-sonnet-4-5')\n"
            "model = with_image_compression(claude)\n"
            "print('inferred:', model.provider, model.model_name)\n\n\n"
            "@tool\n"
            "def zoom(x: int, y: int) -> str:\n"
            '    """Zoom into the chart at (x, y)."""\n'
            "    return 'zoomed'\n\n\n"
            "with_tools = model.bind_tools([zoom])\n"
            "reply = with_tools.invoke([HumanMessage(content=[{\"type\": \"text\", \"text\": SAMPLES['bar_chart.png'].query}, image_block('bar_chart.png')])])\n"
            "print('answer:', reply.content)\n"
            "print('tools bound:', [t['function']['name'] for t in with_tools.kwargs['tools']])\n"
            "show(claude.received[-1])\n"
            "result_table(model.last_result)"
        ),
        new_markdown_cell(
            "## 3. Agents: `ImageCompressionMiddleware`\n\n"
            "In a LangChain v1 agent, tools often return screenshots. The middleware's `wrap_model_call` "
            "compresses every model request, so the screenshot a tool returned is compressed before the next "
            "model call, while the agent's state keeps the original. The fake model first calls the tool, "
            "then answers."
        ),
        new_code_cell(
            "from langchain.agents import create_agent\n\n"
            "from headroom_langchain import ImageCompressionMiddleware\n\n\n"
            "@tool\n"
            "def take_screenshot() -> list[dict]:\n"
            '    """Capture the screen."""\n'
            "    return [image_block('editor_1080p.png')]\n\n\n"
            "agent_model = RecordingChatModel(messages=iter([\n"
            "    AIMessage(content='', tool_calls=[{'name': 'take_screenshot', 'args': {}, 'id': 'call-1'}]),\n"
            "    AIMessage(content='The Save button is at the bottom right.'),\n"
            "]))\n"
            "middleware = ImageCompressionMiddleware(provider='anthropic', model='claude-sonnet-4-5')\n"
            "agent = create_agent(agent_model, tools=[take_screenshot], middleware=[middleware])\n"
            "state = agent.invoke({'messages': [HumanMessage(content=SAMPLES['editor_1080p.png'].query)]})\n"
            "print('answer:', state['messages'][-1].content)\n"
            "print('\\nthe second model call received:')\n"
            "show(agent_model.received[1])\n"
            "result_table(middleware.last_result)"
        ),
        new_markdown_cell(
            "## 4. The result in callbacks and traces\n\n"
            "Each compression dispatches the custom callback event `headroom_image_compression` with "
            "`CompressionResult.as_dict()`, so it shows up in `astream_events` and LangSmith-style traces."
        ),
        new_code_cell(
            "import asyncio\n\n"
            "from headroom_langchain import COMPRESSION_EVENT\n\n\n"
            "async def events():\n"
            "    return [e async for e in compress.astream_events([HumanMessage(content=[\n"
            "        {\"type\": \"text\", \"text\": SAMPLES['photo.jpg'].query}, image_block('photo.jpg')])], version='v2')]\n\n\n"
            "custom = [e for e in await events() if e['event'] == 'on_custom_event' and e['name'] == COMPRESSION_EVENT]\n"
            "data = custom[0]['data']\n"
            "print(COMPRESSION_EVENT, '->', data['original_tokens'], 'tokens before,', data['compressed_tokens'], 'after;',\n"
            "      [image['technique'] for image in data['images']])"
        ),
    ]
    return _notebook(cells)


def llamaindex_multimodal() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# headroom-image with LlamaIndex: multimodal retrieval\n\n"
            "A retriever returns image nodes (a receipt, a dashboard, a photo) next to text nodes. "
            "`ImageCompressionPostprocessor` compresses the image nodes for the query being answered, before "
            "the query engine hands them to the multimodal LLM: a text-heavy image becomes a `TextNode` holding "
            "its OCR text, a photo can be cropped or downscaled, and what cannot be reduced is kept.\n\n"
            "Offline: the retriever returns fixed nodes and the LLM is a fake that records what it receives."
        ),
        new_code_cell(
            "import base64\n"
            "import io\n"
            "import warnings\n\n"
            "from IPython.display import Markdown, display\n"
            "from PIL import Image\n\n"
            "from headroom_core.samples import demo_samples\n\n"
            "SAMPLES = {sample.name: sample for sample in demo_samples()}"
        ),
        new_code_cell(
            "from llama_index.core.base.llms.types import (\n"
            "    ChatMessage, ChatResponse, CompletionResponse, ImageBlock, LLMMetadata, MessageRole, TextBlock,\n"
            ")\n"
            "from llama_index.core.llms import CustomLLM\n"
            "from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback\n"
            "from llama_index.core.retrievers import BaseRetriever\n"
            "from llama_index.core.schema import ImageNode, NodeWithScore, TextNode\n\n\n"
            "class FixedRetriever(BaseRetriever):\n"
            '    """Returns the same nodes for every query (stands in for a multimodal vector index)."""\n\n'
            "    def __init__(self, nodes):\n"
            "        super().__init__()\n"
            "        self.nodes = nodes\n\n"
            "    def _retrieve(self, query_bundle):\n"
            "        return list(self.nodes)\n\n\n"
            "class RecordingLLM(CustomLLM):\n"
            '    """A fake multimodal LLM: answers `answer` and keeps every message list it receives."""\n\n'
            "    answer: str = 'recorded'\n"
            "    received: list = []\n\n"
            "    @property\n"
            "    def metadata(self):\n"
            "        return LLMMetadata(is_chat_model=True, model_name='fake-vision')\n\n"
            "    @llm_chat_callback()\n"
            "    def chat(self, messages, **kwargs):\n"
            "        self.received.append(list(messages))\n"
            "        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=self.answer))\n\n"
            "    @llm_chat_callback()\n"
            "    async def achat(self, messages, **kwargs):\n"
            "        return self.chat(messages, **kwargs)\n\n"
            "    @llm_completion_callback()\n"
            "    def complete(self, prompt, formatted=False, **kwargs):\n"
            "        return CompletionResponse(text=self.answer)\n\n"
            "    @llm_completion_callback()\n"
            "    def stream_complete(self, prompt, formatted=False, **kwargs):\n"
            "        yield CompletionResponse(text=self.answer, delta=self.answer)\n\n\n"
            "def image_node(name):\n"
            "    sample = SAMPLES[name]\n"
            "    return ImageNode(id_=name, image=base64.b64encode(sample.image).decode(), image_mimetype=sample.mime_type,\n"
            "                     metadata={'file_name': name})\n\n\n"
            "def describe(messages):\n"
            '    """One line per block the LLM received."""\n'
            "    for message in messages:\n"
            "        for block in message.blocks:\n"
            "            if isinstance(block, ImageBlock):\n"
            "                img = Image.open(block.resolve_image())\n"
            "                print(f'image | {img.width}x{img.height} px, {block.image_mimetype}')\n"
            "            elif isinstance(block, TextBlock):\n"
            "                print(f'text  | {len(block.text)} chars; OCR blocks inside: {block.text.count(\"<image_text\")}')\n\n\n"
            "def result_table(result):\n"
            "    rows = ['| # | technique | tokens before | tokens after | why |', '|---|---|---:|---:|---|']\n"
            "    for n, image in enumerate(result.images, start=1):\n"
            "        technique = image.technique.value if image.technique else 'unchanged'\n"
            "        rows.append(f'| {n} | {technique} | {image.original_tokens} | {image.compressed_tokens} | {image.reason.replace(\"|\", \"/\")} |')\n"
            "    rows.append(f'| | **total** | **{result.original_tokens}** | **{result.compressed_tokens}** | {result.savings_percent:.0f}% saved |')\n"
            "    display(Markdown('\\n'.join(rows)))"
        ),
        new_markdown_cell(
            "## A query engine with the postprocessor\n\n"
            "`ImageCompressionPostprocessor` plugs in through `node_postprocessors=[...]`. All image nodes of "
            "one query go to the core in one call, each asked about with the query. "
            "`SimpleMultiModalQueryEngine` is deprecated since llama-index-core 0.14.23 but still shipped; the "
            "same postprocessor works with `RetrieverQueryEngine.from_args(..., multimodal=True)` (below)."
        ),
        new_code_cell(
            "from llama_index.core.query_engine import SimpleMultiModalQueryEngine\n\n"
            "from headroom_llamaindex import ImageCompressionPostprocessor\n\n"
            "nodes = [\n"
            "    NodeWithScore(node=image_node('receipt.png'), score=0.91),\n"
            "    NodeWithScore(node=image_node('photo.jpg'), score=0.55),\n"
            "    NodeWithScore(node=TextNode(id_='policy-note', text='Expenses are reimbursed within 30 days.'), score=0.40),\n"
            "]\n"
            "llm = RecordingLLM(answer='The receipt totals 16.20 GBP.')\n"
            "postprocessor = ImageCompressionPostprocessor(provider='openai', model='gpt-4o')\n"
            "with warnings.catch_warnings():\n"
            "    warnings.simplefilter('ignore', DeprecationWarning)\n"
            "    engine = SimpleMultiModalQueryEngine(FixedRetriever(nodes), multi_modal_llm=llm,\n"
            "                                         node_postprocessors=[postprocessor])\n"
            "response = engine.query(SAMPLES['receipt.png'].query)\n"
            "print('answer:', response)\n"
            "print()\n"
            "describe(llm.received[-1])\n"
            "result_table(postprocessor.last_result)"
        ),
        new_markdown_cell(
            "What came out of the postprocessor: a transcoded image is a `TextNode` that keeps the original's "
            "id and metadata, plus a pointer to the image (hidden from the LLM):"
        ),
        new_code_cell(
            "for scored in response.source_nodes:\n"
            "    node = scored.node\n"
            "    pointer = {k: v for k, v in node.metadata.items() if k.startswith('headroom_') and v}\n"
            "    print(f'{type(node).__name__:<9} id={node.id_:<12} score={scored.score:.2f} {pointer}')\n"
            "print('\\nthe retrieved nodes themselves are unchanged:', [type(n.node).__name__ for n in nodes])"
        ),
        new_markdown_cell("The same postprocessor in the current multimodal query engine:"),
        new_code_cell(
            "from llama_index.core.query_engine import RetrieverQueryEngine\n\n"
            "llm2 = RecordingLLM(answer='A cup of coffee on a saucer.')\n"
            "nodes2 = [NodeWithScore(node=image_node('photo.jpg'), score=0.9)]\n"
            "engine2 = RetrieverQueryEngine.from_args(FixedRetriever(nodes2), llm=llm2, multimodal=True,\n"
            "                                         node_postprocessors=[postprocessor])\n"
            "print('answer:', engine2.query(SAMPLES['photo.jpg'].query))\n"
            "describe(llm2.received[-1])\n"
            "result_table(postprocessor.last_result)"
        ),
        new_markdown_cell(
            "## Chat messages: `compress_chat_messages` and `ImageCompressingLLM`\n\n"
            "For chat-level use, the `ImageBlock`s of `ChatMessage` lists are compressed the same way "
            "(bytes, local paths and `data:` URLs are read; remote URLs are left alone unless you opt in). "
            "`ImageCompressingLLM` wraps an LLM so `chat`/`achat`/`stream_chat`/`astream_chat` do it for you."
        ),
        new_code_cell(
            "from headroom_llamaindex import ImageCompressingLLM\n\n"
            "inner = RecordingLLM(answer='Seven open incidents.')\n"
            "vision = ImageCompressingLLM(inner, provider='anthropic', model='claude-sonnet-4-5')\n"
            "message = ChatMessage(role='user', blocks=[\n"
            "    ImageBlock(image=SAMPLES['dashboard.png'].image),\n"
            "    TextBlock(text=SAMPLES['dashboard.png'].query),\n"
            "])\n"
            "print('answer:', vision.chat([message]).message.content)\n"
            "describe(inner.received[-1])\n"
            "result_table(vision.last_result)"
        ),
    ]
    return _notebook(cells)


def savings_report() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Savings report\n\n"
            "Tokens before and after compression for every bundled sample "
            "(`headroom_core.samples.demo_samples()`), for one model of each provider, with the technique the "
            "router chose and its reason. No LLM is called: the token counts are the providers' published "
            "rules, computed by `headroom_core`."
        ),
        new_code_cell(
            "import base64\n"
            "import io\n\n"
            "import matplotlib\n\n"
            "matplotlib.use('Agg')\n"
            "import matplotlib.pyplot as plt\n"
            "from IPython.display import Image as ShowImage\n"
            "from IPython.display import Markdown, display\n\n"
            "from headroom_core import ImageCompressor\n"
            "from headroom_core.samples import demo_samples\n\n"
            "SAMPLES = demo_samples()\n"
            "TARGETS = [('openai', 'gpt-4o'), ('anthropic', 'claude-sonnet-4-5'), ('google', 'gemini-2.5-flash')]"
        ),
        new_markdown_cell(
            "Each sample is sent as its own request (the image and its question), to each target. One "
            "compressor per provider; it decides per image."
        ),
        new_code_cell(
            "rows = []\n"
            "for provider, model in TARGETS:\n"
            "    compressor = ImageCompressor(provider, model)\n"
            "    for sample in SAMPLES:\n"
            "        url = f'data:{sample.mime_type};base64,{base64.b64encode(sample.image).decode()}'\n"
            "        request = [{'role': 'user', 'content': [\n"
            "            {'type': 'image_url', 'image_url': {'url': url}},\n"
            "            {'type': 'text', 'text': sample.query},\n"
            "        ]}]\n"
            "        _, result = compressor.compress_with_result(request)\n"
            "        image = result.images[0]\n"
            "        rows.append({\n"
            "            'provider': provider, 'model': model, 'sample': sample.name, 'question': sample.query,\n"
            "            'technique': image.technique.value if image.technique else 'unchanged',\n"
            "            'before': image.original_tokens, 'after': image.compressed_tokens,\n"
            "            'reason': image.reason, 'ms': image.elapsed_ms,\n"
            "        })\n"
            "print(len(rows), 'image decisions')"
        ),
        new_markdown_cell("## Per image"),
        new_code_cell(
            "lines = ['| provider | sample | technique | tokens before | tokens after | saved | ms |',\n"
            "         '|---|---|---|---:|---:|---:|---:|']\n"
            "for r in rows:\n"
            "    saved = 100 * (r['before'] - r['after']) / r['before'] if r['before'] else 0.0\n"
            "    lines.append(f\"| {r['provider']} | {r['sample']} | {r['technique']} | {r['before']} | {r['after']} \"\n"
            "                 f\"| {saved:.0f}% | {r['ms']:.0f} |\")\n"
            "display(Markdown('\\n'.join(lines)))"
        ),
        new_markdown_cell("## By technique\n\nTokens before and after, summed over the images each technique was chosen for."),
        new_code_cell(
            "by_technique = {}\n"
            "for r in rows:\n"
            "    key = (r['provider'], r['technique'])\n"
            "    n, before, after = by_technique.get(key, (0, 0, 0))\n"
            "    by_technique[key] = (n + 1, before + r['before'], after + r['after'])\n"
            "lines = ['| provider | technique | images | tokens before | tokens after | saved |', '|---|---|---:|---:|---:|---:|']\n"
            "for (provider, technique), (n, before, after) in sorted(by_technique.items()):\n"
            "    saved = 100 * (before - after) / before if before else 0.0\n"
            "    lines.append(f'| {provider} | {technique} | {n} | {before} | {after} | {saved:.0f}% |')\n"
            "for provider, _ in TARGETS:\n"
            "    before = sum(r['before'] for r in rows if r['provider'] == provider)\n"
            "    after = sum(r['after'] for r in rows if r['provider'] == provider)\n"
            "    saved = 100 * (before - after) / before if before else 0.0\n"
            "    lines.append(f'| **{provider}** | **all** | {len(SAMPLES)} | **{before}** | **{after}** | **{saved:.0f}%** |')\n"
            "display(Markdown('\\n'.join(lines)))"
        ),
        new_code_cell(
            "from matplotlib.patches import Patch\n\n"
            "colors = {'transcode': '#2a9d8f', 'crop': '#e9c46a', 'full_low': '#f4a261', 'preserve': '#8d99ae',\n"
            "          'unchanged': '#adb5bd'}\n"
            "fig, axes = plt.subplots(1, len(TARGETS), figsize=(15, 5))\n"
            "for ax, (provider, model) in zip(axes, TARGETS):\n"
            "    mine = [r for r in rows if r['provider'] == provider]\n"
            "    x = range(len(mine))\n"
            "    ax.bar([i - 0.2 for i in x], [r['before'] for r in mine], width=0.4, color='#d9d9d9')\n"
            "    ax.bar([i + 0.2 for i in x], [r['after'] for r in mine], width=0.4,\n"
            "           color=[colors.get(r['technique'], '#555555') for r in mine])\n"
            "    for i, r in zip(x, mine):\n"
            "        saved = 100 * (r['before'] - r['after']) / r['before'] if r['before'] else 0\n"
            "        label = f'-{saved:.0f}%' if round(saved) else '0%'\n"
            "        ax.text(i + 0.2, r['after'], label, ha='center', va='bottom', fontsize=8)\n"
            "    ax.set_ylim(0, 1.15 * max(r['before'] for r in mine))\n"
            "    ax.set_xticks(list(x))\n"
            "    ax.set_xticklabels([r['sample'].rsplit('.', 1)[0] for r in mine], rotation=30, ha='right', fontsize=8)\n"
            "    ax.set_title(f'{provider} ({model})')\n"
            "    ax.set_ylabel('image tokens')\n"
            "used = [t for t in colors if any(r['technique'] == t for r in rows)]\n"
            "handles = [Patch(color='#d9d9d9', label='before')] + [Patch(color=colors[t], label=f'after: {t}') for t in used]\n"
            "fig.legend(handles=handles, loc='lower center', ncol=len(handles), frameon=False)\n"
            "fig.suptitle('Image tokens per request, before and after')\n"
            "fig.tight_layout(rect=(0, 0.07, 1, 1))\n"
            "buf = io.BytesIO()\n"
            "fig.savefig(buf, format='png', dpi=90)\n"
            "plt.close(fig)\n"
            "display(ShowImage(data=buf.getvalue()))"
        ),
        new_markdown_cell("## Why: the decision reasons"),
        new_code_cell(
            "for r in rows:\n"
            "    if r['provider'] == TARGETS[0][0]:\n"
            "        print(f\"{r['sample']:<18} {r['technique']:<10} asked {r['question']!r}\\n{'':<18} -> {r['reason']}\\n\")"
        ),
    ]
    return _notebook(cells)


def _notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids: regenerating does not churn the files
    return nb


NOTEBOOKS = {
    "quickstart_langchain.ipynb": quickstart_langchain,
    "llamaindex_multimodal.ipynb": llamaindex_multimodal,
    "savings_report.ipynb": savings_report,
}


def build() -> dict[str, str]:
    """Notebook file name -> its JSON text."""
    return {name: nbformat.writes(make()) + "\n" for name, make in NOTEBOOKS.items()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in build().items():
        path = HERE / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        sys.stderr.write(f"out of date (run python notebooks/_build.py): {', '.join(stale)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
