"""Parse a question about an image into the text it names and the place it names.

Pure functions, no I/O. :func:`parse_query` returns

- **terms**: words of the question to look for in the image's text, strongest first: quoted strings,
  "starts with X" phrases, runs holding capitalised or ALL-CAPS tokens (``Order ID``, ``ERROR``),
  then the other content-word runs (``customer name``). Spatial words, question words and generic
  words (``image``, ``value``, ``field``...) never become terms.
- **spatial cues**: ``top-left corner``, ``upper half``, ``the header``, ``the legend``, ``the x-axis
  label``, ``the third row``... each with the page region it means (fractions of width and height),
  used as a fallback region and to filter text matches.
- **intent**: what neighbourhood of a matched text answers the question: ``value`` (the key's value:
  same row to the right, or the line below), ``line`` (the whole text line), ``paragraph``,
  ``column`` (the key and the lines under it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .._quotes import QUOTED

__all__ = [
    "GENERIC_TOKENS",
    "ParsedQuery",
    "SpatialCue",
    "Term",
    "normalise_tokens",
    "parse_query",
    "title_cue",
]

#: Weight of a term by its kind (multiplies the match quality into the confidence).
KIND_WEIGHTS: dict[str, float] = {
    "quoted": 1.0,
    "starts_with": 1.0,
    "capitalised": 0.97,
    "phrase": 0.9,
    "generic": 0.75,
}

_STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be been before being below beside besides
    between both but by can could did do does doing done each else every for from get gets give given has
    have having he her here hers him his how i if in inside into is it its itself just let lets me mine
    more most my near nearby next no nor not now of off on once only onto or other our ours out over
    own per please right same say says said see seen shall she should show shows shown so some such
    tell than that the their theirs them then there these they this those through to too under until
    up upon us very via was we were what whats when where which while who whom whose why will with
    within would you your yours find look looking locate zoom crop focus displayed display appears
    appear written listed mentioned printed stated indicated read reads reading much many
    transcribe transcription summarize summarise summary translate extract copy type explain describe
    answer question
    image picture photo photograph screenshot screen shot page document chart graph plot figure diagram
    dashboard form receipt report table window app application website site slide view
    value values field fields label labels labelled labeled entry entries line lines row rows column
    columns cell cells text word words box thing part area region side spot log logs output console terminal
    left right top bottom upper lower middle center centre central corner corners half header footer
    heading headline title caption sidebar legend margin edge panel bar banner navbar toolbar
    setting settings option options parameter parameters
    first second third fourth fifth sixth seventh eighth ninth tenth last final
    one two three four five six seven eight nine ten
    starts start starting begins begin beginning ends ending contains containing contain
    called named titled say shown
    """.split()
)
"""Words that never become search terms (question words, spatial words, generic words)."""

#: Content words that are real labels often ("Date:", "Name:", "Total") but say little alone.
GENERIC_TOKENS = frozenset("number name date time amount price total status type id code no".split())

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
    "final": -1,
    "bottom": -1,
    "top": 1,
}

_STARTS = re.compile(
    r"\b(?:starts?|starting|begins?|beginning|prefixed)\s+with\s+(?:the\s+(?:word|text|string)\s+)?"
    r"([^?,;!]+?)(?=\s+(?:and|in|on|at|of|from|near|that|which)\b|[?,;!]|\.(?:\s|$)|$)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\s\"“”‘’?!,;:()\[\]{}<>]+")

#: The words before a quoted string that make it the start of a line ("beginning with 'X'").
_STARTS_BEFORE = re.compile(
    r"\b(?:starts?|starting|begins?|beginning|prefixed)\s+with\s+(?:the\s+(?:word|text|string)\s+)?$",
    re.IGNORECASE,
)
_INTENT_LINE = re.compile(
    r"\b(line|row|entry|message|record|log)\b[^?]*\b(starts?|starting|begins?|beginning|contains?|containing|"
    r"with|mentions?|mentioning|says?)\b|\b(whole|full|entire|complete) (line|row|message|entry)\b|"
    r"\b(error|warning|log) (message|line)\b",
    re.IGNORECASE,
)
_INTENT_PARAGRAPH = re.compile(
    r"\b(paragraph|passage|bullet|clause|sentence|note|description|blurb)\b", re.IGNORECASE
)
_INTENT_COLUMN = re.compile(r"\b(column|col\.)\b", re.IGNORECASE)
#: Words that ask for more than one line, or about the text rather than for it.
_NOT_ONE_LINE = re.compile(
    r"\b(all|every|each|lines|rows|entries|records|mean|means|meaning|explain\w*|why|summar\w+|describe|"
    r"translate|fix|interpret\w*)\b",
    re.IGNORECASE,
)
#: A line named as such: it keeps the line intent over a paragraph word ("the line of the description").
_LINE_WORD = re.compile(r"\b(line|row|entry|record)\b", re.IGNORECASE)
#: A value asked for by its label ("the option labelled 'X'", "the field 'Total'", "the value of 'Y'").
_NAMES_A_LABEL = re.compile(
    r"\b(labell?ed|label|field|option|setting|entry|key|value (?:of|for)|set (?:for|to))\b", re.IGNORECASE
)

#: A question asking for the image's title alone: "what does the main heading say?", "what is the
#: title of this chart?", "read the headline" (then ``_TITLE_REST`` must hold for what follows).
_TITLE_ONLY = re.compile(
    r"""^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?
    (?:what(?:['’]s|\s+is|\s+does|\s+did|\s+was)|read(?:\s+me)?|tell\s+me|give\s+me|which\s+is)\s+
    (?:the\s+|this\s+\w+(?:['’]s|s['’])\s+|its\s+)?
    (?:(?:main|top|big|biggest|largest|page|chart|graph|plot|document|window|dialog|slide|first)\s+)?
    (?:title|heading|headline)\b
    (?P<rest>[^.?!]*)[.?!]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
#: ... followed by no more than where it is and "say": "of this page", "at the top of the page say".
_TITLE_REST = re.compile(
    r"""^\s*(?:(?:of|on|at|in|for|above)\s+[\w\s'-]{0,40}?)?(?:\s*(?:say|says|read|reads))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
#: ... and asks for nothing else, nor about the title's look, nor for a section's heading.
_NOT_TITLE_ALONE = re.compile(
    r"\b(and|under|below|beneath|section|chapter|paragraph|explain\w*|mean\w*|summar\w*|font|colou?r|"
    r"size|style|translat\w*)\b",
    re.IGNORECASE,
)

#: "What is this page about?": the topic of a page of text, and nothing more (not a summary, not what
#: one part of it says).
_PAGE = r"(?:page|document|doc|screen|screenshot|article|web\s*page|site|pdf|slide)"
_TOPIC_ONLY = re.compile(
    rf"""^\s*(?:please\s+|so\s+|ok(?:ay)?,?\s+)?
    (?:(?:tell\s+me|can\s+you\s+tell\s+me)\s+what\s+(?:this|the)\s+{_PAGE}\s+is\s+(?:all\s+)?about
     |what(?:['’]s|\s+is|\s+are)\s+(?:this|the|these)\s+(?:{_PAGE}|pages|manual\s+page)s?\s+(?:all\s+)?about
     |what(?:['’]s|\s+is)\s+the\s+(?:topic|subject)\s+of\s+(?:this|the)\s+{_PAGE}
     |what\s+(?:topic|subject)\s+(?:is|does)\s+(?:this|the)\s+(?:page|document|article|screen)\s+(?:on|about|cover)
    )\s*[.?!]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Term:
    """A phrase to look for in the image's text: normalised tokens, the kind, the weight."""

    tokens: tuple[str, ...]
    kind: str
    weight: float
    original: str

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class SpatialCue:
    """A place named by the question.

    ``kind``: ``corner``, ``half``, ``header``, ``footer``, ``title``, ``legend``, ``axis`` (a chart
    axis's label: ``side`` ``x`` or ``y``), ``column``, ``row``, ``center``. ``side``: ``top-left``,
    ``left``, ``top``... (empty where meaningless).
    ``region``: the page region it means, as fractions ``(x0, y0, x1, y1)`` of width and height.
    ``ordinal``: for ``row`` cues, 1-based (``-1`` = last); a ``row`` cue whose ``side`` is ``item``
    ("the first item", "the last entry") counts the items of a list and needs a ``column`` cue.
    """

    kind: str
    side: str
    region: tuple[float, float, float, float]
    phrase: str
    ordinal: int | None = None


def title_cue(phrase: str) -> SpatialCue:
    """The cue of an image's title: the top 40 % of it (the locator also asks for it whatever the
    question, for fusion rule 3)."""
    return SpatialCue("title", "top", (0.0, 0.0, 1.0, 0.4), phrase)


@dataclass(frozen=True)
class ParsedQuery:
    """What :func:`parse_query` found in a question."""

    query: str
    terms: tuple[Term, ...]
    spatial: tuple[SpatialCue, ...]
    intent: str
    #: The question with its quoted strings blanked out (what the question's own words say).
    unquoted: str = ""

    @property
    def strong_terms(self) -> tuple[Term, ...]:
        """Terms worth an OCR pass on their own (quoted, starts-with, capitalised)."""
        return tuple(t for t in self.terms if t.kind in ("quoted", "starts_with", "capitalised"))

    @property
    def names_text_target(self) -> bool:
        """Whether the question names its target by the target's own text and asks for that line or
        that label's value: "what does the line beginning with 'warning (' say?", "what is set for
        the option labelled 'Check style'?". Not a paragraph, a column, several lines ("every line
        beginning with 'ERROR'") or a question about the text rather than for it ("what does
        'ENOENT' mean?", "summarise ...")."""
        own_text = any(t.kind in ("quoted", "starts_with") for t in self.terms)
        words = self.unquoted or self.query
        if not own_text or _NOT_ONE_LINE.search(words):
            return False
        if self.intent == "line":
            return True
        return self.intent == "value" and bool(_NAMES_A_LABEL.search(words))

    @property
    def asks_title(self) -> bool:
        """Whether the question asks for the image's title or main heading and nothing else: "what
        does the main heading say?", "what is the title of this chart?". Not a section's heading,
        the title's look ("what font is the title in?") or more ("the title and the first line")."""
        m = _TITLE_ONLY.match(self.query)
        if m is None:
            return False
        rest = m.group("rest")
        return _NOT_TITLE_ALONE.search(rest) is None and _TITLE_REST.match(rest) is not None

    @property
    def asks_topic(self) -> bool:
        """Whether the question asks what a page is about and nothing else: "What is this page
        about?", "what's the topic of this document?". Not "summarise", not what a part of it says."""
        return _TOPIC_ONLY.match(self.query) is not None


def normalise_tokens(text: str) -> tuple[str, ...]:
    """Lower-cased alphanumeric tokens of ``text`` (``"Order-ID: A-48213"`` -> ``order id a48213``).

    Punctuation inside a token is dropped (``A-48213`` -> ``a48213``, ``$45.00`` -> ``4500``); a
    possessive ``'s`` is dropped.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    out: list[str] = []
    for raw in re.split(r"[\s:;,|/\\()\[\]{}<>\"=]+", text):
        raw = re.sub(r"'s$", "", raw)
        tok = re.sub(r"[^0-9a-z]", "", raw)
        if tok:
            out.append(tok)
    return tuple(out)


# --------------------------------------------------------------------------- spatial language

_SIDE_REGIONS: dict[str, tuple[float, float, float, float]] = {
    "top-left": (0.0, 0.0, 0.5, 0.5),
    "top-right": (0.5, 0.0, 1.0, 0.5),
    "bottom-left": (0.0, 0.5, 0.5, 1.0),
    "bottom-right": (0.5, 0.5, 1.0, 1.0),
    "top": (0.0, 0.0, 1.0, 0.5),
    "bottom": (0.0, 0.5, 1.0, 1.0),
    "left": (0.0, 0.0, 0.5, 1.0),
    "right": (0.5, 0.0, 1.0, 1.0),
    "center": (0.25, 0.25, 0.75, 0.75),
}

_V = r"(top|upper|bottom|lower)"
_H = r"(left|right)"
_WHOLE = r"(?:page|image|screen|picture|photo|chart|screenshot)"
_SPATIAL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(rf"\b{_V}[\s-]*{_H}(?:[\s-]*hand)?\b(?:\s+(?:corner|side|part|area|quadrant))?", re.I),
        "corner",
    ),
    (re.compile(rf"\b{_H}[\s-]*{_V}\b(?:\s+(?:corner|side|part|area|quadrant))?", re.I), "corner_hv"),
    (
        re.compile(
            r"\b(?:(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|\d+(?:st|nd|rd|th))"
            r"\s+(?:\w+\s+)?(row|line|item|entry|link)|(row|line)\s+(?:number\s+|no\.?\s*|#\s*)?(\d+))\b",
            re.I,
        ),
        "row",
    ),
    (
        re.compile(
            r"\b(?:(?:label|title|name|caption)\s+(?:of|on|for|along|under|beside)\s+the\s+)?"
            r"(?:(x|y)[\s-]?axis|(horizontal|vertical)\s+axis)(?:'s)?"
            r"(?:\s+(?:label|title|name|caption))?\b",
            re.I,
        ),
        "axis",
    ),
    (re.compile(r"\b(legend|key to the (?:chart|graph|plot|colou?rs))\b", re.I), "legend"),
    (re.compile(r"\b(title|heading|headline)\b", re.I), "title"),
    (
        re.compile(
            r"\b(header|masthead|banner|top bar|navbar|nav bar|navigation bar|menu bar|toolbar)\b", re.I
        ),
        "header",
    ),
    (re.compile(r"\b(footer|bottom bar|status bar|fine print|footnote)\b", re.I), "footer"),
    (
        re.compile(rf"\b{_H}[\s-]*(?:hand\s+)?(column|sidebar|side bar|panel|pane|rail|margin)\b", re.I),
        "column",
    ),
    (re.compile(r"\b(middle|center|centre|central)\s+(column|panel|pane)\b", re.I), "column_mid"),
    (re.compile(r"\b(sidebar|side bar|side panel|navigation pane|nav pane)\b", re.I), "sidebar"),
    (re.compile(rf"\b{_V}\s+(half|part|portion|section|area|third)\b", re.I), "half_v"),
    (re.compile(rf"\b{_H}\s+(half|part|portion|side|section|area|third|edge)\b", re.I), "half_h"),
    (
        re.compile(
            r"\b(?:at|on|along|near|in)\s+the\s+(top|bottom)(?:\s+(?:edge|of the " + _WHOLE + r"))?\b",
            re.I,
        ),
        "edge_v",
    ),
    (
        re.compile(
            r"\b(?:on|at|along|near|to)\s+the\s+(left|right)(?:\s+(?:edge|of the " + _WHOLE + r"))?\b",
            re.I,
        ),
        "edge_h",
    ),
    (
        re.compile(
            r"\bin\s+the\s+(middle|center|centre)\b|\b(middle|center|centre) of the " + _WHOLE + r"\b",
            re.I,
        ),
        "center",
    ),
)


def _norm_v(word: str) -> str:
    return "top" if word.lower() in ("top", "upper") else "bottom"


def _ordinal(word: str) -> int | None:
    w = word.lower()
    if w in _ORDINALS:
        return _ORDINALS[w]
    m = re.match(r"(\d+)", w)
    return int(m.group(1)) if m else None


def _spatial(query: str) -> tuple[list[SpatialCue], list[tuple[int, int]]]:
    cues: list[SpatialCue] = []
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern, kind in _SPATIAL_PATTERNS:
        for m in pattern.finditer(query):
            if not free(m.start(), m.end()):
                continue
            phrase = m.group(0)
            cue: SpatialCue | None = None
            if kind in ("corner", "corner_hv"):
                v, h = (m.group(1), m.group(2)) if kind == "corner" else (m.group(2), m.group(1))
                side = f"{_norm_v(v)}-{h.lower()}"
                cue = SpatialCue("corner", side, _SIDE_REGIONS[side], phrase)
            elif kind == "row":
                n = _ordinal(m.group(1) or m.group(4) or "")
                # "the first item of the sidebar": an item of a list, counted within a column only
                item = (m.group(2) or "").lower() in ("item", "entry", "link")
                if n is not None and n != 0:
                    cue = SpatialCue("row", "item" if item else "", (0.0, 0.0, 1.0, 1.0), phrase, n)
            elif kind == "axis":
                word = (m.group(1) or m.group(2)).lower()
                side = "x" if word in ("x", "horizontal") else "y"
                cue = SpatialCue(
                    "axis", side, (0.0, 0.6, 1.0, 1.0) if side == "x" else (0.0, 0.0, 0.4, 1.0), phrase
                )
            elif kind == "legend":
                cue = SpatialCue("legend", "", (0.5, 0.0, 1.0, 1.0), phrase)
            elif kind == "title":
                cue = title_cue(phrase)
            elif kind == "header":
                cue = SpatialCue("header", "top", (0.0, 0.0, 1.0, 0.3), phrase)
            elif kind == "footer":
                cue = SpatialCue("footer", "bottom", (0.0, 0.7, 1.0, 1.0), phrase)
            elif kind == "column":
                side = m.group(1).lower()
                cue = SpatialCue(
                    "column", side, (0.0, 0.0, 0.5, 1.0) if side == "left" else (0.5, 0.0, 1.0, 1.0), phrase
                )
            elif kind == "column_mid":
                cue = SpatialCue("column", "center", (0.25, 0.0, 0.75, 1.0), phrase)
            elif kind == "sidebar":
                cue = SpatialCue("column", "left", (0.0, 0.0, 0.5, 1.0), phrase)
            elif kind == "half_v":
                side = _norm_v(m.group(1))
                third = m.group(2).lower() == "third"
                y0, y1 = (
                    ((0.0, 1 / 3) if side == "top" else (2 / 3, 1.0))
                    if third
                    else ((0.0, 0.5) if side == "top" else (0.5, 1.0))
                )
                cue = SpatialCue("half", side, (0.0, y0, 1.0, y1), phrase)
            elif kind == "half_h":
                side = m.group(1).lower()
                third = m.group(2).lower() == "third"
                x0, x1 = (
                    ((0.0, 1 / 3) if side == "left" else (2 / 3, 1.0))
                    if third
                    else ((0.0, 0.5) if side == "left" else (0.5, 1.0))
                )
                cue = SpatialCue("half", side, (x0, 0.0, x1, 1.0), phrase)
            elif kind == "edge_v":  # "at the top", "at the bottom of the page": the top / bottom band
                side = m.group(1).lower()
                cue = (
                    SpatialCue("header", "top", (0.0, 0.0, 1.0, 1 / 3), phrase)
                    if side == "top"
                    else SpatialCue("footer", "bottom", (0.0, 2 / 3, 1.0, 1.0), phrase)
                )
            elif kind == "edge_h":
                side = m.group(1).lower()
                cue = SpatialCue(
                    "half", side, (0.0, 0.0, 1 / 3, 1.0) if side == "left" else (2 / 3, 0.0, 1.0, 1.0), phrase
                )
            elif kind == "center":
                cue = SpatialCue("center", "center", _SIDE_REGIONS["center"], phrase)
            if cue is not None:
                cues.append(cue)
                taken.append((m.start(), m.end()))
                spans.append((m.start(), m.end()))
    return cues, spans


# --------------------------------------------------------------------------- text terms


def _is_capitalised(token: str, sentence_start: bool) -> bool:
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return any(c.isdigit() for c in token) and not sentence_start and len(token) >= 3
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # ALL-CAPS (ERROR, SKU, ID)
    return letters[0].isupper() and not sentence_start


def _make_term(words: list[tuple[str, bool]], kind: str | None = None) -> Term | None:
    original = " ".join(w for w, _ in words)
    tokens = normalise_tokens(original)
    if not tokens:
        return None
    if kind is None:
        if any(cap for _, cap in words):
            kind = "capitalised"
        elif all(t in GENERIC_TOKENS for t in tokens):
            kind = "generic"
        else:
            kind = "phrase"
    return Term(tokens, kind, KIND_WEIGHTS[kind], original)


@lru_cache(maxsize=256)
def parse_query(query: str) -> ParsedQuery:
    """Terms, spatial cues and intent of ``query`` (see the module docstring).

    Cached (pure; the result is frozen): one routing decision asks the locator whether the question
    names a line's text, whether it asks for the title, and where it points, each from this parse.
    """
    q = unicodedata.normalize("NFKC", query or "").strip()
    terms: list[Term] = []
    blank = list(q)

    def blank_out(a: int, b: int) -> None:
        for i in range(a, b):
            blank[i] = " " if blank[i] not in "?.!," else blank[i]

    for m in QUOTED.finditer(q):
        text = next(g for g in m.groups() if g is not None)
        # "the line beginning with 'edit history'": a quoted start, matched at a line's start only
        kind = "starts_with" if _STARTS_BEFORE.search(q[: m.start()]) else "quoted"
        term = _make_term([(text, True)], kind)
        if term is not None:
            terms.append(term)
        blank_out(m.start(), m.end())
        blank[m.start()] = ","  # a quoted string ends a run
    unquoted = "".join(blank)
    for m in _STARTS.finditer(unquoted):
        words = [(w, True) for w in _TOKEN.findall(m.group(1))]
        while words and words[-1][0].lower().strip(".") in _STOPWORDS:
            words.pop()
        term = _make_term(words, "starts_with") if words else None
        if term is not None:
            terms.append(term)
        blank_out(m.start(1), m.end(1))
    cues, spans = _spatial("".join(blank))
    for a, b in spans:
        blank_out(a, b)
        blank[a] = ","
    # Runs of content words, split at stopwords and punctuation.
    text = "".join(blank)
    run: list[tuple[str, bool]] = []
    sentence_start = True
    runs: list[list[tuple[str, bool]]] = []
    for m in re.finditer(r"[^\s]+", text):
        raw = m.group(0)
        ends_clause = bool(re.search(r"[?!.,;:]$", raw)) and not re.search(r"\d[.,:]\d*$", raw)
        starts_clause = raw[0] in ",;:"
        word = raw.strip("?!.,;:()[]{}<>\"'`“”‘’*")
        if starts_clause and run:
            runs.append(run)
            run = []
        low = re.sub(r"'s$", "", word.lower().replace("’", "'"))
        cap = bool(word) and _is_capitalised(word, sentence_start)
        continues_label = cap and bool(run) and run[-1][1] and len(word) > 1  # "Invoice No", "Bill To"
        if not word or (not continues_label and (low in _STOPWORDS or low.replace("'", "") in _STOPWORDS)):
            if run:
                runs.append(run)
            run = []
        else:
            run.append((word, cap))
        sentence_start = bool(re.search(r"[?!.]$", raw)) and not re.search(r"\d\.\d*$", raw)
        if ends_clause and run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    seen = {t.tokens for t in terms}
    for words in runs:
        term = _make_term(words)
        if term is not None and term.tokens not in seen:
            seen.add(term.tokens)
            terms.append(term)
    terms.sort(key=lambda t: -t.weight)
    intent = "value"  # the question's own words decide, not the quoted text
    if _INTENT_PARAGRAPH.search(unquoted) and not _LINE_WORD.search(unquoted):
        intent = "paragraph"  # "the paragraph starting with 'However'"
    elif any(t.kind == "starts_with" for t in terms) or _INTENT_LINE.search(unquoted):
        intent = "line"
    elif _INTENT_PARAGRAPH.search(unquoted):
        intent = "paragraph"
    elif _INTENT_COLUMN.search(unquoted) and not any(c.kind == "column" for c in cues):
        intent = "column"
    return ParsedQuery(q, tuple(terms), tuple(cues), intent, unquoted)
