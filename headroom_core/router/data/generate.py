#!/usr/bin/env python3
"""Regenerate the router's labelled query data (deterministic).

    python headroom_core/router/data/generate.py

writes, next to this file,

* ``queries.jsonl``  - the TRAINING pool
* ``heldout.jsonl``  - the HELD-OUT set (separately written lists and templates)

Every line is ``{"query": ..., "technique": ..., "notes": ...}``. The labelling rules are in
``README.md`` in this folder. Everything here is hand-written for this project: no line is derived
from any evaluation set. Re-running the script gives byte-identical files (fixed seeds, no set
iteration, no hash-dependent ordering).

Layout of this file:

1. helpers (framing, augmentation, template expansion)
2. TRAINING material   (``TR_*`` names)
3. HELD-OUT material   (``HO_*`` names) - different frames, vocabulary and subjects
4. build + checks
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Sequence
from pathlib import Path

TRAIN_SEED = 20240611
HELDOUT_SEED = 77123
HERE = Path(__file__).resolve().parent
LABELS = ("transcode", "crop", "full_low", "preserve")
T, C, F, P = LABELS


# =====================================================================================
# 1. helpers
# =====================================================================================


def norm(text: str) -> str:
    """Lower-case, punctuation stripped, whitespace collapsed (used for dedup and overlap)."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def art(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def rows(**slots: list) -> list[dict]:
    """Cartesian product of independent slot lists, as a list of dicts (stable order)."""
    names = list(slots)
    return [dict(zip(names, vals, strict=True)) for vals in itertools.product(*(slots[n] for n in names))]


def expand(patterns: list[str], rowlist: list[dict], k: int, rng: random.Random) -> list[tuple[str, str]]:
    """Fill every pattern with every compatible row, shuffle per pattern, then take ``k`` lines
    round-robin across patterns so no single frame dominates. Pattern syntax: ``"I:..."``
    imperative, ``"Q:..."`` question, ``"S:..."`` statement (already a full sentence)."""
    per: list[list[tuple[str, str]]] = []
    for pat in patterns:
        kind, body = pat.split(":", 1)
        names = list(dict.fromkeys(re.findall(r"{(\w+)}", body)))
        cands = []
        for r in rowlist:
            if all(n in r for n in names):
                cands.append((body.format(**{n: r[n] for n in names}), kind))
        cands = list(dict.fromkeys(cands))
        rng.shuffle(cands)
        per.append(cands)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < k and any(i < len(c) for c in per):
        for c in per:
            if i < len(c) and len(out) < k and norm(c[i][0]) not in seen:
                seen.add(norm(c[i][0]))
                out.append(c[i])
        i += 1
    return out


def frame(text: str, kind: str, rng: random.Random, frames: dict) -> tuple[str, list[str]]:
    """Wrap a base phrase in a surface frame (plain, polite, regional, informal...)."""
    table = frames[kind]
    weights = [w for _, w, _ in table]
    fmt, _, note = rng.choices(table, weights=weights, k=1)[0]
    out = fmt.replace("{i}", text).replace("{I}", cap(text)).replace("{q}", text).replace("{Q}", cap(text))
    out = out.replace("{s}", text).replace("{S}", cap(text))
    return cap(out), ([note] if note else [])


# en-US <-> en-GB spellings that may be flipped by the augmenter
SPELLING_PAIRS = [
    ("color", "colour"),
    ("colors", "colours"),
    ("colored", "coloured"),
    ("summarize", "summarise"),
    ("summarized", "summarised"),
    ("center", "centre"),
    ("centered", "centred"),
    ("gray", "grey"),
    ("analyze", "analyse"),
    ("digitize", "digitise"),
    ("organize", "organise"),
    ("license plate", "licence plate"),
    ("favorite", "favourite"),
    ("catalog", "catalogue"),
    ("analog", "analogue"),
    ("behavior", "behaviour"),
    ("cozy", "cosy"),
    ("math", "maths"),
    ("flavor", "flavour"),
    ("aluminum", "aluminium"),
]

COMMON_TYPOS = {
    "receipt": "reciept",
    "the": "teh",
    "what": "waht",
    "please": "plese",
    "colour": "colur",
    "color": "colr",
    "address": "adress",
    "language": "langauge",
    "whiteboard": "whitebaord",
    "handwritten": "handwriten",
    "which": "wich",
    "picture": "pictrue",
    "there": "ther",
    "separate": "seperate",
    "invoice": "invioce",
    "describe": "discribe",
    "transcribe": "transcirbe",
    "summarise": "summerise",
    "summarize": "summerize",
    "corner": "conrer",
    "number": "nubmer",
    "people": "poeple",
    "translate": "tranlsate",
    "written": "writen",
    "weather": "wether",
}


def add_typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if re.sub(r"\W", "", w).lower() in COMMON_TYPOS]
    if idx and rng.random() < 0.6:
        i = rng.choice(idx)
        w = words[i]
        core = re.sub(r"\W", "", w)
        rep = COMMON_TYPOS[core.lower()]
        if core[:1].isupper():
            rep = cap(rep)
        words[i] = w.replace(core, rep)
        return " ".join(words)
    cands = [i for i, w in enumerate(words) if len(re.sub(r"\W", "", w)) >= 4 and w.isalpha()]
    if not cands:
        return text
    i = rng.choice(cands)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def flip_spelling(text: str, rng: random.Random) -> tuple[str, str | None]:
    low = text.lower()
    present = [
        (us, gb) for us, gb in SPELLING_PAIRS if re.search(rf"\b{us}\b", low) or re.search(rf"\b{gb}\b", low)
    ]
    if not present:
        return text, None
    to_gb = rng.random() < 0.5
    for us, gb in present:
        src, dst = (us, gb) if to_gb else (gb, us)

        def repl(m: re.Match, dst: str = dst) -> str:
            s = m.group(0)
            return cap(dst) if s[:1].isupper() else dst

        text = re.sub(rf"\b{src}\b", repl, text, flags=re.IGNORECASE)
    return text, ("en-GB spelling" if to_gb else "en-US spelling")


def augment(text: str, notes: list[str], rng: random.Random) -> tuple[str, list[str]]:
    """In-place surface noise: spelling variety, typos (~5%), ALL CAPS, no punctuation."""
    notes = list(notes)
    if rng.random() < 0.5:
        text, n = flip_spelling(text, rng)
        if n:
            notes.append(n)
    r = rng.random()
    if r < 0.05:
        text = add_typo(text, rng)
        notes.append("typo")
    r = rng.random()
    if r < 0.03:
        text = text.upper()
        notes.append("all-caps")
    elif r < 0.11:
        text = re.sub(r"[.?!,:;]+", "", text).lower()
        if rng.random() < 0.5:
            text = text.replace("'", "")
        notes.append("no punctuation, lower-case")
    return text, notes


# =====================================================================================
# 2. TRAINING material
# =====================================================================================

TR_FRAMES = {
    "I": [
        ("{I}.", 10, ""),
        ("{I}", 3, ""),
        ("Please {i}.", 4, "polite"),
        ("Could you {i}?", 4, "polite"),
        ("Can you {i}?", 4, "question form"),
        ("Can you please {i}?", 2, "polite"),
        ("Kindly {i}.", 2, "en-IN, polite"),
        ("{I} pls", 1, "informal"),
        ("I need you to {i}.", 1, ""),
        ("Hey, can you {i}?", 1, "informal"),
        ("{I}, thanks!", 2, "polite"),
        ("{I}, cheers.", 1, "en-GB/AU"),
        ("Just {i}.", 1, ""),
        ("Quick one: {i}.", 1, ""),
        ("Do the needful and {i}.", 1, "en-IN"),
        ("Reckon you could {i}?", 1, "en-AU"),
        ("{I}, mate.", 1, "en-AU"),
    ],
    "Q": [
        ("{Q}?", 14, ""),
        ("{Q}", 2, ""),
        ("Quick question: {q}?", 1, ""),
        ("Hey, {q}?", 1, "informal"),
        ("{Q}? Thanks.", 2, "polite"),
        ("Sorry, {q}?", 1, "polite"),
        ("{Q}, mate?", 1, "en-AU"),
        ("{Q}? Please answer briefly.", 1, "polite"),
        ("Can you tell me: {q}?", 1, "polite"),
    ],
    "S": [("{S}.", 8, ""), ("{S}", 2, ""), ("{S}, please.", 2, "polite"), ("{S}, thanks.", 1, "polite")],
}

TR_CONTEXTS = [
    "I'm in a bit of a rush.",
    "This is for work.",
    "Attached is the image I mentioned.",
    "Sorry if this is obvious.",
    "Following up on my earlier message.",
    "New image here.",
    "My colleague sent me this.",
    "Got this from a client.",
    "Here's the picture.",
    "Took this on my phone just now.",
    "Second image now.",
    "Hi!",
    "Hello there.",
    "Okay, next one.",
]

# ---------------------------------------------------------------- training: transcode
TR_T_DOCS = [
    "this invoice",
    "the receipt",
    "this page",
    "this scanned letter",
    "the contract page",
    "this newspaper article",
    "the magazine page",
    "this screenshot of an email",
    "the lecture slide",
    "this PDF page",
    "this book page",
    "the printed memo",
    "this flyer",
    "the poster",
    "this certificate",
    "the terms and conditions page",
    "this policy document",
    "the chat screenshot",
    "this tweet",
    "the payslip",
    "this utility bill",
    "the shipping manifest",
    "this journal abstract",
    "the cover letter",
    "this CV",
    "the meeting agenda",
    "this recipe page",
    "this webpage screenshot",
    "the error dialog",
    "this typed note",
    "the printed instructions",
    "this user manual page",
    "the parking ticket",
    "the court summons",
    "the restaurant menu",
    "this business card",
    "this form",
    "the printed handout",
    "this blog post screenshot",
    "the insurance letter",
    "this school report",
    "the event ticket",
    "this scanned document",
    "the legal disclaimer",
    "this FAQ page",
    "the safety notice",
    "the photocopied worksheet",
    "this typewritten page",
]
TR_T_READ = [
    "I:transcribe {d}",
    "I:read out {d}",
    "I:type out {d}",
    "I:extract all the text from {d}",
    "I:copy the text out of {d}",
    "I:OCR {d}",
    "I:give me the full text of {d}",
    "I:write out everything in {d}",
    "I:read {d} to me word for word",
    "I:convert {d} into plain text",
    "I:digitize {d}",
    "I:turn {d} into editable text",
    "I:retype {d}",
    "I:give me a verbatim copy of {d}",
    "Q:what does {d} say",
    "Q:what is written in {d}",
    "Q:what's the text of {d}",
    "Q:can you read {d} for me",
]
TR_T_SUMM_DOCS = [
    "this article",
    "the report page",
    "this memo",
    "the slide",
    "this letter",
    "the email screenshot",
    "this blog post",
    "the policy page",
    "this news story",
    "the research abstract",
    "this chapter page",
    "the product review screenshot",
    "the terms of service screenshot",
    "this contract clause",
    "the council letter",
    "this editorial",
    "the meeting minutes",
    "this forum thread screenshot",
    "the printed handout",
    "this opinion piece",
    "the lecture slide",
    "this essay page",
    "the FAQ screenshot",
    "this announcement",
]
TR_T_SUMM = [
    "I:summarise {s}",
    "I:summarize {s}",
    "I:give me a summary of {s}",
    "I:sum up {s} in a few bullet points",
    "Q:what are the key points of {s}",
    "I:give me the tl;dr of {s}",
    "I:boil {s} down to two sentences",
    "Q:what is {s} about",
    "Q:what's the main message of {s}",
    "I:outline the arguments in {s}",
    "Q:what does {s} conclude",
    "I:explain {s} in simple words",
]
TR_T_FOREIGN = [
    "this Japanese menu",
    "the German letter",
    "this French article",
    "the Spanish street sign",
    "this Chinese instruction sheet",
    "the Hindi notice",
    "this Arabic page",
    "the Korean screenshot",
    "this Italian recipe",
    "the Portuguese contract",
    "this Russian web page",
    "the Thai restaurant menu",
    "the Tamil notice",
    "the Welsh council letter",
    "this Bengali newspaper page",
    "the Indonesian instructions",
    "this Marathi circular",
    "the Urdu letter",
]
TR_T_LANGS = ["English", "plain English", "Spanish", "Hindi", "French", "German", "simple English"]
TR_T_TRANS = [
    "I:translate {f} into {l}",
    "I:translate {f} to {l}",
    "Q:what does {f} say in {l}",
    "I:give me the {l} version of {f}",
    "S:I need {f} in {l}",
    "I:render {f} in {l}",
    "I:put {f} into {l} for me",
]
TR_T_FIELDS = [
    ("the total", ["this invoice", "the receipt", "this bill"]),
    ("the due date", ["this bill", "the invoice", "this utility bill"]),
    ("the invoice number", ["this invoice", "the supplier invoice"]),
    ("the order number", ["this confirmation email", "the order screenshot"]),
    ("the tracking number", ["this shipping email", "the dispatch notice"]),
    ("the policy number", ["this insurance letter"]),
    ("the account number", ["this utility bill", "the payslip"]),
    ("the gross pay", ["this payslip"]),
    ("the VAT amount", ["this receipt", "the invoice"]),
    ("the GST amount", ["this tax invoice"]),
    ("the sender's name", ["this letter", "the email screenshot"]),
    ("the date", ["this letter", "the receipt", "the memo"]),
    ("the reference number", ["this court summons", "the parking ticket"]),
    ("the fine amount", ["the parking ticket"]),
    ("the booking reference", ["this hotel confirmation", "the flight confirmation screenshot"]),
    ("the merchant name", ["this receipt"]),
    ("the subject line", ["this email screenshot"]),
    ("the salary", ["this job offer letter"]),
    ("the version number", ["this about dialog screenshot"]),
    ("the headline", ["this newspaper page", "the news screenshot"]),
    ("the author's name", ["this article", "the journal abstract"]),
    ("the deadline", ["this assignment sheet", "the council letter"]),
    ("the expiry date", ["this membership certificate"]),
    ("the amount payable", ["this electricity bill", "the invoice"]),
    ("the PNR number", ["this train ticket printout"]),
]
TR_T_FIELD = [
    "Q:what's {f} on {d}",
    "Q:what is {f} on {d}",
    "I:tell me {f} on {d}",
    "I:find {f} on {d}",
    "S:I need {f} from {d}",
    "I:pull {f} off {d}",
    "Q:what does {d} give as {f}",
]
TR_T_TABLES = [
    "this table",
    "the spreadsheet screenshot",
    "this price list",
    "the timesheet",
    "this results table",
    "the printed schedule",
    "the comparison table",
    "this grade sheet",
    "the inventory list",
    "the transactions table",
    "the league table",
    "this nutrition facts table",
    "the exchange rate table",
    "the pricing table on this web page",
    "this invoice table",
    "the attendance register printout",
]
TR_T_FORMATS = [
    "CSV",
    "a markdown table",
    "JSON",
    "an Excel sheet",
    "tab-separated values",
    "a list of Python dicts",
    "an HTML table",
]
TR_T_TABLE = [
    "I:convert {t} to {fmt}",
    "I:turn {t} into {fmt}",
    "I:export {t} as {fmt}",
    "I:give me {t} as {fmt}",
    "I:put {t} into {fmt}",
    "I:recreate {t} as {fmt}",
]
TR_T_CODE_SNIPS = [
    "this Python screenshot",
    "the JavaScript snippet in this image",
    "this code screenshot",
    "the IDE screenshot",
    "the photo of the code on my screen",
    "this PHP snippet",
    "the HTML source screenshot",
    "this notebook cell screenshot",
    "the shell script image",
    "this CSS screenshot",
    "the C# class in this screenshot",
    "this TypeScript screenshot",
    "the Ruby snippet",
    "this Java method screenshot",
    "the React component screenshot",
]
TR_T_CODE_SNIP = [
    "I:copy the code from {c}",
    "I:type out the code in {c}",
    "I:transcribe {c}",
    "I:fix the bug in {c}",
    "Q:what does the code in {c} do",
    "I:convert {c} into code I can paste",
    "I:find the syntax error in {c}",
    "I:add comments to the code in {c}",
    "I:explain {c} line by line",
]
TR_T_CODE_ERRS = [
    "this terminal screenshot",
    "the Java stack trace screenshot",
    "this bash output",
    "the console log screenshot",
    "this C++ compiler error",
    "the error log screenshot",
    "the npm install output",
    "this pip error screenshot",
    "the traceback in this image",
    "the build failure screenshot",
    "the failed test output",
    "this crash report screenshot",
]
TR_T_CODE_ERR = [
    "Q:what does {e} say",
    "I:explain the error in {e}",
    "Q:what's causing the error in {e}",
    "I:type out {e}",
    "Q:which line is failing according to {e}",
    "I:summarise {e}",
    "I:read me the exception message from {e}",
]
TR_T_LISTS = [
    ("the menu items", ["this menu", "the café menu"]),
    ("the dishes and prices", ["the restaurant menu", "this takeaway menu"]),
    ("the line items", ["this receipt", "the invoice"]),
    ("the ingredients", ["this recipe page", "the recipe card"]),
    ("the bullet points", ["this slide", "the handout"]),
    ("the agenda items", ["this meeting agenda"]),
    ("the names", ["this attendee list", "the sign-up sheet printout"]),
    ("the steps", ["these printed instructions", "the assembly guide page"]),
    ("the headlines", ["this news homepage screenshot"]),
    ("the chapter titles", ["this table of contents"]),
    ("the products and prices", ["this price list", "the catalogue page"]),
    ("the references", ["this bibliography page"]),
    ("the deadlines", ["this course handout"]),
    ("the contact details", ["this flyer", "the business card"]),
    ("the email addresses", ["this screenshot", "the contact page screenshot"]),
]
TR_T_LIST = [
    "I:list {x} on {d}",
    "Q:what are {x} on {d}",
    "I:give me {x} from {d}",
    "I:pull out {x} from {d}",
    "I:write down {x} listed on {d}",
    "I:enumerate {x} in {d}",
]
TR_T_SIGNS = [
    "sign",
    "road sign",
    "shop sign",
    "street sign",
    "billboard",
    "banner",
    "warning sign",
    "neon sign",
    "parking sign",
    "station sign",
    "menu board",
    "placard",
    "protest sign",
    "welcome sign",
    "door sign",
    "hazard sign",
    "notice",
    "poster",
]
TR_T_SIGN = [
    "Q:what does the {sg} say",
    "I:read the {sg}",
    "Q:what's written on the {sg}",
    "I:tell me what the {sg} says",
    "Q:what does the {sg} in this photo say",
    "I:read out the {sg} for me",
]

TR_T_HAND = [
    # Bare whole-image reading requests (added after the OCRBench report showed none were covered;
    # written here under the labelling rules, none copied from any evaluation set).
    "what is written here?",
    "What's written on this?",
    "what is written in this picture",
    "What words are in this image?",
    "What text appears in the picture?",
    "What does the picture say?",
    "what word is this",
    "What is the word shown?",
    "Which word is shown here?",
    "What are the letters in this photo?",
    "whats the text in this pic",
    "Read the word in the picture.",
    "What number is shown?",
    "What digits are in this picture?",
    "Tell me what's written.",
    "What does the text here read?",
    "What is the text?",
    "Can you read what's written?",
    "What is printed here?",
    "what is printed on it",
    "Spell out the word you see.",
    "What's the word on this?",
    "Which characters are shown?",
    "what does the writing say",
    "What is written on it?",
    "Give me the text you see.",
    "what letters do you see",
    "What string of digits is shown?",
    "What's the number here?",
    "What does the lettering say?",
    "transcribe this",
    "OCR this",
    "What does it say?",
    "what does this say",
    "Read it to me.",
    "Type this up for me.",
    "Copy the text.",
    "text only please",
    "Just the text, no commentary.",
    "Summarise this article in three bullet points.",
    "Convert this table to CSV.",
    "What's the total on this invoice?",
    "List the menu items.",
    "List every dish on this menu along with its price.",
    "Translate this page into English.",
    "What does the error message say?",
    "Can you copy the code out of this screenshot so I can paste it into my editor?",
    "What's wrong with this Python code? It's a screenshot from my IDE.",
    "Explain what the function in this screenshot does.",
    "Here's a screenshot of my terminal. What's the actual error in the stack trace?",
    "Give me the slide text as plain bullet points.",
    "Turn this scanned letter into an editable Word document.",
    "Please extract the invoice number, date, and total from this invoice.",
    "Pull out all the email addresses from this screenshot.",
    "Extract the phone numbers listed on this flyer.",
    "Who is this letter from?",
    "Who is the email addressed to?",
    "What are the axis labels on this chart?",
    "What do the legend entries say?",
    "Read me the headline of this newspaper page.",
    "What's the headline?",
    "Copy the lyrics from this screenshot.",
    "Transcribe this tweet word for word.",
    "Can you put this recipe into text so I can save it?",
    "What are the opening hours on this shop notice?",
    "What does the warning on this printed leaflet say?",
    "Give me the citation details from the first page of this journal article.",
    "Translate the Japanese menu to English please.",
    "What does this German letter say? I don't speak German.",
    "Please translate this screenshot of a Spanish news article.",
    "Kindly convert this scanned document into text format.",
    "What is written in this document?",
    "What's written on this page?",
    "Read out the terms and conditions in this photo.",
    "Is there a cancellation clause in this contract? Quote it.",
    "Find the paragraph about refunds in this policy page and quote it.",
    "How much VAT was charged on this receipt?",
    "How much did I spend in total according to this receipt?",
    "Add up the line items on this receipt and check they match the printed total.",
    "Does the total on this invoice match the sum of the items?",
    "What's the Wi-Fi password on this printed card?",
    "Copy down the address on this business card.",
    "Extract name, phone and email from this business card into JSON.",
    "Turn this screenshot of a spreadsheet into a markdown table.",
    "Make this printed price list into a CSV with columns item and price.",
    "Give me the rows of this table as JSON objects.",
    "Transcribe this slide, headings and bullets.",
    "What's the main argument of this essay page?",
    "tl;dr this pls",
    "Summarise it.",
    "What is this article about?",
    "Read the text in this meme.",
    "What does the meme say?",
    "What's the caption on this meme?",
    "Print the exact error text from this dialog box screenshot.",
    "What does this log output say? Which line has the exception?",
    "Rewrite this code screenshot as actual code.",
    "Convert the Java snippet in this screenshot to TypeScript.",
    "What version number is shown in this about dialog?",
    "Give me the ingredients from this recipe card as a shopping list.",
    "What are the steps in these printed instructions?",
    "Summarise the key findings on this research poster.",
    "Read the abstract of this paper.",
    "Translate this Hindi notice to English.",
    "Can you transcribe this screenshot of a WhatsApp chat?",
    "Who said what in this chat screenshot? Write it out as a transcript.",
    "Type out this poem from the book page.",
    "What quote is on this poster?",
    "Extract all dates mentioned in this letter.",
    "Give me the text from this scanned PDF, no commentary.",
    "Plain text of this page please, keep the headings.",
    "I need this page as markdown.",
    "Convert this receipt into an expense line: merchant, date, amount.",
    "What's the merchant name and date on this receipt?",
    "Which items on this receipt cost more than $10?",
    "Please list out the agenda items from this meeting slide.",
    "What are the bullet points on this slide?",
    "Read the whole page aloud for me, I'm visually impaired.",
    "Explain the error in this compiler output.",
    "What is the dosage printed on this pharmacy leaflet?",
    ("What does the printed lab report say about my cholesterol?", "medical word but printed document"),
    "Read the ticket details: date, seat and venue.",
    "What's the name of the restaurant on this receipt?",
    "What does this product description screenshot say?",
    "Read out the headlines on this news homepage screenshot.",
    "Transcribe the quote in this Instagram post.",
    "Transcribe this typed memo.",
    "Please read the text of this certificate, including the names.",
    "What's my score on this printed exam results page?",
    "What are the dosage instructions on this printed prescription?",
    "Give me the text on this slide.",
    "ocr pls",
    "extract text",
    "What's it say?",
    "Read this out",
    "Read the sign.",
    "What does the sign say?",
    "Whats the total",
    "What's the grand total including tax?",
    "How much do I owe according to this bill?",
    "When is this bill due?",
    "Which company sent this invoice?",
    "Is this invoice addressed to me or my company?",
    "What's the difference between the subtotal and the total on this receipt?",
    "Check whether the tax on this invoice is calculated correctly.",
    "Explain this terms of service screenshot like I'm five.",
    "What is this email asking me to do?",
    "Does this letter say I need to do anything by a deadline?",
    "Turn this printed agenda into a calendar-friendly list.",
    "Make flashcards from the text on this slide.",
    "Write a reply to the email in this screenshot.",
    "Proofread the typed paragraph in this image.",
    "Is there a spelling mistake in this printed sign?",
    "Correct the grammar in this screenshot of my essay.",
    "What's the recipe? Just give me the ingredients and method.",
    "What are the specials on this menu?",
    "Which dishes on this menu are vegetarian?",
    "What's the cheapest item on this menu?",
    "Find the phone number on this flyer.",
    "What's the website address on this poster?",
    "What time does the event on this flyer start?",
    "What are the rules listed on this notice?",
    "Translate everything on this Korean cosmetics box into English.",
    "Give me the English meaning of this Arabic sign.",
    "Can you read this French receipt and translate the items?",
    "Extract the table from this PDF screenshot into Excel-friendly rows.",
    "What are the column headings in this table?",
    "Read the table.",
    "Copy this table.",
    "What's the chart titled?",
    "What does the subtitle of this chart say?",
    "What are the category names on the x-axis?",
    "Read out the source note printed under this figure.",
    "What are the bullet points? Just list them.",
    "What is the error code in this blue screen photo?",
    "What does the popup in this screenshot say?",
    "Read out the text message in this screenshot.",
    "What did she say in this text conversation screenshot?",
    "Copy the pseudocode from this lecture slide.",
    "What are the lyrics on this page?",
    "Give me the text of the sign, exactly as written.",
    "What's the slogan on this billboard?",
    "What does the cover of this book say?",
    "What's the title and author on this book cover?",
    "Read me the instructions on this medicine leaflet.",
    "What's the return policy on this receipt?",
    "Read the fortune cookie message.",
    "What does the certificate say my name is?",
]
TR_T_LONG = [
    "I'm filing my expenses. Can you read out every line on this receipt?",
    "I'm putting together my tax return and I've got a stack of photographed receipts. This is one of them. "
    "Could you write out the store name, the date, each line item with its price, and the total, in that "
    "order please?",
    "My grandmother's old recipe book was typed on a typewriter and the pages are fading. This is a photo of "
    "one page. Can you transcribe the whole thing exactly as written, including the quantities, so I can "
    "print a clean copy for the family?",
    "We received this letter from the council in Welsh and nobody in the office reads Welsh. Please translate "
    "the full letter into English and tell me if there's any deadline we need to act on.",
    "I took a screenshot of a stack trace from our CI logs because I can't access the machine anymore. Can "
    "you type out the full trace and tell me which file and line the exception originates from?",
    "This is a slide from my lecturer's deck. I missed the class, so please summarise what the slide says in "
    "plain English and list any terms I should look up afterwards.",
    "I lost the original file. Could you retype this printed page exactly, keeping the paragraph breaks?",
    "My landlord sent me this notice as a photo. What is it actually asking me to do?",
    "Hi, I run a small bakery and our supplier only sends invoices as photos. Can you pull out the invoice "
    "number, the date, every product with quantity and unit price, and the amount due, and format it as CSV "
    "so I can import it into my accounting software?",
    "I'm blind and my screen reader can't handle images. Please read everything in this screenshot of a "
    "message from my bank, word for word, including any numbers.",
    "So my manager forwarded a screenshot of a long email thread instead of the actual email, typical. Can "
    "you give me the gist of what everyone is asking for and who needs to reply to whom?",
    "This is a photo of a printed contract I was handed at the gym today. Before I sign anything, could you "
    "go through the text and tell me what the cancellation terms and notice period are?",
    "I'm learning Spanish and my teacher gave us this printed short story. Can you translate it paragraph "
    "by paragraph into English, keeping the original line next to each translation?",
    "Our wiki is down and all I have is a screenshot of the setup instructions. Please transcribe the steps "
    "as a numbered list, keeping every command exactly as shown so I can copy them.",
    "Kindly go through this scanned rental receipt and tell me the amount, the month it covers and the "
    "landlord's name, as I need it for my HRA claim.",
    "I'm a paralegal and we've been sent a photographed page of a typed witness statement because the scanner broke. Please transcribe the page exactly, including paragraph numbers and any typed words that are struck through, and then give me a two-line summary of what the witness is saying.",
    "Our restaurant got a supplier price list as a screenshot on WhatsApp. Could you convert the whole table into CSV with columns for product, pack size and price, and flag any row whose notes column says the price has gone up since last month?",
    "I'm studying for my certification exam and the practice questions are in a PDF I can only screenshot. Please read out the question and the four answer options on this page exactly as written, then tell me which option you think is correct and why.",
    "Hey! Quick context: my colleague in Chennai sent me this circular as a photo and it's in Tamil, which I don't read. Kindly translate the full circular into English and point out any dates or amounts that are mentioned, since I need to forward it to the team today.",
]

# ---------------------------------------------------------------- training: crop
TR_C_CORNERS = [
    "top-right corner",
    "bottom-left corner",
    "top-left corner",
    "bottom-right corner",
    "upper-right area",
    "lower-left corner",
    "far right side",
    "little box in the middle",
]
TR_C_PARTS = TR_C_CORNERS + [
    "footer",
    "header",
    "left margin",
    "right margin",
    "small box at the bottom",
    "caption under the photo",
    "watermark",
]
TR_C_IMGS = [
    "the photo",
    "this page",
    "the image",
    "this screenshot",
    "the poster",
    "the document",
    "this slide",
    "the ad",
    "this scan",
    "the flyer",
    "the frame",
]
TR_C_REGION_A = [
    "Q:what does the text in the {r} say",
    "I:tell me what's in the {r}",
    "Q:what's written in the {r}",
    "I:read what's in the {r}",
]
TR_C_REGION_C = ["Q:what's in the {r}", "Q:what's that thing in the {r}", "Q:what's that in the {r}"]
TR_C_REGION_B = [
    "Q:what's in the {r} of {img}",
    "Q:what is written in the {r} of {img}",
    "I:read the small text in the {r} of {img}",
    "I:describe just the {r} of {img}",
    "Q:what's going on in the {r} of {img}",
]
TR_C_DEVICES = {
    "laptop": ["serial number", "model number", "asset number"],
    "router": ["MAC address", "Wi-Fi password", "serial number", "default login"],
    "back of the TV": ["model number", "serial number"],
    "printer": ["model number", "serial number", "asset number"],
    "server rack": ["asset number", "serial number"],
    "microwave": ["model number", "voltage rating"],
    "power bank": ["capacity", "model number"],
    "camera body": ["serial number"],
    "boiler": ["model number", "serial number"],
    "monitor": ["model number", "serial number"],
    "modem": ["MAC address", "serial number"],
    "projector": ["model number", "asset number"],
    "dishwasher": ["model number", "serial number"],
    "car battery": ["voltage rating", "manufacture date"],
    "fridge": ["model number", "energy rating"],
}
TR_C_DEV_TAGS = [
    "sticker",
    "small label",
    "tiny label",
    "asset tag",
    "rating plate",
    "barcode label",
    "silver sticker",
    "warning label",
]
TR_C_PKGS = {
    "parcel": ["tracking number", "order number"],
    "bottle": ["batch code", "expiry date"],
    "jar lid": ["best-before date", "batch code"],
    "suitcase": ["name", "flight number"],
    "shoebox": ["shoe size", "product code"],
    "wine bottle": ["vintage year", "alcohol percentage"],
    "medicine box": ["batch number", "expiry date"],
    "milk carton": ["use-by date"],
    "cereal box": ["best-before date"],
    "paint tin": ["colour code", "batch number"],
}
TR_C_PKG_TAGS = ["label", "sticker", "stamp", "tag", "barcode sticker", "small printed label"]
TR_C_SUBOBJ = [
    "Q:what does the {s} on the {b} say",
    "Q:what's written on the {s} on the {b}",
    "I:read the {id} on the {s} on the {b}",
    "I:tell me the {id} from the {s} on the {b}",
    "I:find the {id} on the {s} stuck to the {b}",
    "Q:what's the {id} on the {s} on the {b}",
    "Q:can you make out the {id} printed on the {s} on the {b}",
]
TR_C_POS = [
    "third from the left",
    "second from the right",
    "on the far left",
    "at the end of the row",
    "in the middle of the top row",
    "nearest the camera",
    "furthest from the camera",
    "fourth from the left",
    "on the bottom shelf, far right",
    "on the top shelf, second from the left",
    "second from the left",
    "on the far right",
]
TR_C_NTH_COLOUR_OBJS = [
    "car",
    "house",
    "door",
    "balloon",
    "boat",
    "bus",
    "bike",
    "chair",
    "flag",
    "mug",
    "book",
    "jacket on the rack",
    "scarf",
]
TR_C_NTH_BRAND_OBJS = ["car", "bottle", "bike", "laptop", "phone", "can", "cereal box", "trainer"]
TR_C_NTH_TEXT_OBJS = [
    "book",
    "mug",
    "sign",
    "flag",
    "poster",
    "jar",
    "box",
    "door",
    "shop front",
    "banner",
    "T-shirt",
]
TR_C_NTH = [
    "Q:what colour is the {oc} {pos}",
    "Q:what color is the {oc} {pos}",
    "I:tell me the colour of the {oc} {pos}",
    "Q:what brand is the {ob} {pos}",
    "Q:which make is the {ob} {pos}",
    "Q:what's written on the {ot} {pos}",
    "Q:what does the {ot} {pos} say",
    "I:read the {ot} {pos}",
]
TR_C_PEOPLE = [
    "woman in the red coat",
    "man on the far left",
    "child at the front",
    "guy in the blue cap",
    "person standing by the door",
    "girl on the swing",
    "woman at the back of the queue",
    "man second from the right",
    "player wearing number 7",
    "chef on the left",
    "boy in the green hoodie",
    "lady sitting on the bench",
    "person in the back row",
    "waiter on the right",
]
TR_C_PEOPLE_T = [
    "Q:what is the {pp} holding",
    "Q:what is the {pp} wearing",
    "Q:what's the {pp} eating",
    "Q:what's in the hand of the {pp}",
    "Q:what's on the hat of the {pp}",
    "I:describe what the {pp} has on",
]
TR_C_UI_ELEMS = [
    "notification",
    "tooltip",
    "little badge",
    "status message",
    "pop-up",
    "banner",
    "small grey text",
    "tab title",
    "label",
    "timestamp",
    "version string",
    "username",
    "warning text",
]
TR_C_UI_LOCS = [
    "in the top-right",
    "in the bottom bar",
    "in the top-left corner",
    "in the status bar",
    "in the sidebar",
    "in the bottom-right corner",
    "in the toolbar",
    "in the header",
    "at the very top",
    "next to the search box",
    "under the profile picture",
    "beside the battery icon",
]
TR_C_UI = [
    "Q:what does the {u} {ul} say",
    "I:read the {u} {ul}",
    "Q:what's the text on the {u} {ul}",
    "I:tell me what the {u} {ul} reads",
]
TR_C_LABS = [
    "'Total'",
    "'Subtotal'",
    "'Tax'",
    "'Discount'",
    "'Balance'",
    "'Net'",
    "'Shipping'",
    "'Account No.'",
    "'Ref'",
    "'Amount due'",
    "Total",
]
TR_C_BOXES = [
    "Name",
    "Date of birth",
    "Address",
    "Phone",
    "Email",
    "Occupation",
    "Employer",
    "Amount",
    "Reference",
    "Nationality",
    "Blood group",
]
TR_C_FIELD_A = [
    "Q:what's the value next to {lab}",
    "Q:what number is beside {lab}",
    "Q:what's the amount to the right of {lab}",
    "Q:what's written in the {box} box",
    "Q:what's typed in the {box} field",
    "Q:what's in the {box} box on this form",
    "I:read just the {box} field",
]
TR_C_COLS = ["'Q3'", "'2022'", "'Price'", "'Qty'", "'Status'", "'Region'", "'Score'"]
TR_C_FIELD_B = [
    "Q:what's in row {n}, column {m}",
    "Q:what's the figure in the cell under {col} in row {n}",
    "I:read the cell at row {n}, column {m}",
    "Q:which value sits in row {n} under {col}",
]
TR_C_ZOOM_VERBS = [
    "zoom into",
    "zoom in on",
    "crop to",
    "focus on",
    "enlarge",
    "magnify",
    "blow up",
    "isolate",
]
TR_C_ZOOM_TARGETS = [
    "legend",
    "logo in the corner",
    "stamp",
    "small print at the bottom",
    "watermark",
    "caption",
    "footnote",
    "label on the jar",
    "sign in the background",
    "price sticker",
    "timestamp",
    "postmark",
    "badge on his jacket",
    "text on the mug",
    "poster behind the desk",
    "name tag",
    "fine print under the price",
]
TR_C_ZOOM = ["I:{zv} the {t}", "I:{zv} the {t} and tell me what it says", "I:{zv} the {t} and read it out"]
TR_C_VEHICLES = [
    "red car",
    "white van",
    "taxi on the left",
    "motorbike in the background",
    "black SUV",
    "car parked by the tree",
    "silver hatchback",
    "truck at the back",
    "car nearest the camera",
    "blue car behind the bus",
    "ute in the driveway",
]
TR_C_PLATE = [
    "Q:what's the license plate of the {v}",
    "Q:what's the number plate on the {v}",
    "I:read the registration of the {v}",
    "Q:what's the plate number of the {v}",
    "Q:what does the license plate on the {v} say",
]
TR_C_FAR = [
    "sign on the building across the street",
    "poster on the far wall",
    "banner behind the stage",
    "shop sign at the end of the road",
    "menu board behind the counter",
    "street name sign on the corner",
    "small sign in the far background",
    "sign on the bus stop in the distance",
    "writing on the side of the lorry in the background",
    "scoreboard in the corner of the frame",
    "notice taped to the lamp post on the right",
    "sticker on the back window of the bus",
]
TR_C_FAR_T = [
    "Q:what does the {far} say",
    "I:read the {far}",
    "Q:what's written on the {far}",
    "Q:can you read the {far}",
]

TR_C_HAND = [
    "What's in the top-right corner?",
    "Read the serial number on the small label on the back.",
    "What does the sticker on the laptop say?",
    "What colour is the third car from the left?",
    "What is the value next to Total?",
    "Zoom into the legend.",
    "What's written in the footer?",
    "What's the license plate of the red car?",
    "What number is on the shirt of the player in the foreground?",
    "What does the price tag on the blue jacket say?",
    "Read the small print under the logo.",
    "What's the name on the name badge of the woman on the left?",
    "What does the tiny text in the bottom-left corner say?",
    "What's the title on the book spine at the far right of the top shelf?",
    "Zoom in on the brand name on his watch.",
    "What's the model number on the sticker under the router?",
    "What does the street name sign in the background say?",
    "What's the expiry date stamped on the lid?",
    "What is the MAC address on the label on the bottom of the device?",
    "What's written on the mug on the desk?",
    "What flavour is the can on the far left?",
    "What does the caption under the second photo say?",
    "Focus on the header of the invoice. What's the company name up there?",
    "What's the page number in the footer?",
    "What's the value in the cell under 'Q3' in the second row?",
    "What does the tooltip say?",
    "What does the notification in the top-right say?",
    "Read the small text on the button in the bottom toolbar.",
    "What's the tab title in the browser?",
    "What does the URL bar show?",
    "What's the timestamp in the corner of this security camera frame?",
    "What's the bus number on the front of the bus on the right?",
    "What does the T-shirt of the guy in the middle say?",
    "Which flag is flying on the boat in the distance?",
    "What's the gate number on the screen behind the desk?",
    "Read the warning sticker on the side of the machine.",
    "Enlarge the stamp on the envelope and tell me which country it's from.",
    "What's the postmark date?",
    "what's the thing in the bottom left",
    "What's the small icon next to the battery indicator?",
    "What is the woman in the green coat holding?",
    "What's on the plate closest to the camera?",
    "What brand is the bottle on the far left of the shelf?",
    "Read the room number on the door at the end of the corridor.",
    "What's the price of the item circled in red?",
    "What does the highlighted row say?",
    "What's in the red box?",
    "What's inside the area I circled?",
    "Read the words in the speech bubble in the last panel.",
    "What does the second panel of the comic say?",
    "What's the caption on the image in the top-left of the slide?",
    "What's the footnote on this slide?",
    "What's the fine print in the bottom corner of the ad?",
    "Just the bit in the top half please, what does it say?",
    "Look only at the sidebar. What links are listed there?",
    "What's the Wi-Fi name on the sticker on the back of the router?",
    "What is the date on the calendar on the wall behind him?",
    "What does the name tag on the dog's collar say?",
    "Which team's logo is on the cap of the man in the back row?",
    "top right corner?",
    "bottom left pls",
    "zoom on the label",
    "What's that small logo in the corner?",
    "Crop to the receipt in the man's hand and read it.",
    "What's the price on the tag hanging off the jacket sleeve?",
    "What's written on the whiteboard marker box on the desk?",
    "What's the jersey number of the goalkeeper?",
    "What does the small text under the product name on the box say?",
    "What's the frequency printed on the little dial label?",
    "Read the text on the USB stick.",
    "What's the name of the shop on the receipt she's holding?",
    "What does the sign on the door at the back say?",
    "What's the name on the boat's hull in the foreground?",
    "What's the batch number printed near the bottom of the pill box?",
    "What's the title of the slide thumbnail in the bottom-left?",
    "In the group photo, what colour is the shirt of the person fourth from the left?",
    "What's on the screen of the laptop on the left side of the desk?",
    "What does the little yellow sticky label on the monitor frame say?",
    "What's the number on the house with the green door?",
    "What does the caption on the top-left image say?",
    "What does the label on the leftmost jar say?",
    "Read the seat number on the ticket stub he's holding.",
    "What's the amount next to 'Service charge'?",
    "What's written on the box in the bottom corner of the form?",
    "What app icon is in the bottom-right of the dock?",
]
TR_C_LONG = [
    "I bought a second-hand laptop and the seller said the warranty is still valid. The photo shows the "
    "underside of the machine. Could you zoom in on the small white sticker near the hinge and read me the "
    "serial number so I can check it on the manufacturer's site?",
    "This is a photo of our office car park from the security camera last night. Never mind the rest of the "
    "picture, I only need the licence plate of the silver car parked closest to the barrier on the right.",
    "I photographed the whole shelf at the supermarket because I liked one of the sauces. It's the jar on the "
    "bottom shelf, third from the left, with the red lid. What does its label say?",
    "Here's a screenshot of our dashboard. Please ignore the charts. In the top-right corner there's a small "
    "grey badge next to the user menu: what text is in that badge?",
    "We're trying to identify a fuse box. The photo shows the whole wall of the utility room, but I only care "
    "about the little label stuck on the lid of the grey box on the left. What does it say?",
    "This scan of a form has lots of fields but I only need one thing. What's written in the Reference box "
    "at the bottom of the first page?",
    "My friend posted this festival photo and there's a banner way at the back behind the stage. I can't read "
    "it on my phone. Can you crop to that banner and tell me what's written on it?",
    "There are a bunch of people in this team photo. The guy standing second from the right in the back row "
    "is wearing a lanyard badge. Could you read the name on his badge for me?",
    "This is a photo of the back of our office printer, which has about six different stickers on it. The helpdesk only wants the serial number, which should be on the small white label just above the power socket. Could you zoom in there and read it?",
    "I took a picture of the whole noticeboard at the community centre, but the only thing I care about is the yellow card pinned in the bottom-right corner with the yoga class details. What does that card say, word for word, including the time?",
    "Here's a screenshot of my banking app's home page. Don't worry about the graph or the balance; there's a tiny notification in the top-right next to the bell icon and I'd like to know what it says before I tap on it.",
    "In this photo from the car show there are loads of vehicles lined up. The one I want is the green convertible fourth from the left, right in front of the blue banner. Can you read its number plate and the small badge on the boot?",
]

# ---------------------------------------------------------------- training: full_low
TR_F_PHOTOS = [
    "this photo",
    "the picture",
    "this image",
    "the snapshot",
    "this holiday pic",
    "the landscape shot",
    "this painting",
    "the artwork",
    "this street scene",
    "the product shot",
    "this selfie",
    "the group photo",
    "this pic",
    "the screenshot",
    "this drawing",
    "the illustration",
    "this render",
    "the thumbnail",
    "this frame from the video",
    "the cover image",
    "this photo from my trip",
    "the shot",
]
TR_F_DESC = [
    "I:describe {p}",
    "I:give me a quick description of {p}",
    "I:sum up {p} in one sentence",
    "I:write alt text for {p}",
    "I:caption {p}",
    "I:describe {p} briefly",
    "I:tell me what's in {p}",
    "I:give me the gist of {p}",
    "I:describe the overall scene in {p}",
    "I:write a short caption for {p}",
    "Q:what's in {p}",
    "Q:what's going on in {p}",
    "Q:what is {p} of",
    "Q:what's happening in {p}",
    "Q:what does {p} show",
]
TR_F_SCENE_PHOTOS = [
    "this photo",
    "the picture",
    "this image",
    "the snapshot",
    "this holiday pic",
    "this street scene",
    "the group photo",
    "this pic",
    "this photo from my trip",
    "the shot",
]
TR_F_SCENE = [
    "Q:what kind of place is shown in {p}",
    "Q:is {p} indoors or outdoors",
    "Q:was {p} taken inside or outside",
    "Q:where does {p} look like it was taken",
    "Q:what kind of room is in {p}",
    "Q:is {p} in a city or the countryside",
    "Q:what kind of setting is {p}",
    "Q:what sort of venue is in {p}",
]
TR_F_PAIRS = [
    ("cat", "dog"),
    ("horse", "donkey"),
    ("church", "mosque"),
    ("hotel", "house"),
    ("car", "van"),
    ("forest", "park"),
    ("restaurant", "café"),
    ("office", "classroom"),
    ("rose", "tulip"),
    ("pizza", "pie"),
    ("lake", "sea"),
    ("cake", "loaf of bread"),
    ("duck", "swan"),
    ("fox", "dog"),
    ("painting", "photo"),
    ("toy", "real animal"),
    ("chart", "table"),
    ("screenshot", "photo"),
    ("cartoon", "photograph"),
    ("wolf", "husky"),
]
TR_F_CATS = [
    "food",
    "vehicle",
    "building",
    "plant",
    "bird",
    "dog",
    "room",
    "event",
    "dish",
    "tree",
    "flower",
    "landscape",
    "boat",
    "animal",
    "bag",
    "shoe",
]
TR_F_CAT_A = ["Q:is this {aa} or {bb}", "Q:is it {aa} or {bb}", "Q:{aa} or {bb}"]
TR_F_CAT_B = [
    "Q:what type of {c} is this",
    "Q:what kind of {c} is shown here",
    "I:identify the {c} in {p}",
    "Q:what {c} is in {p}",
]
TR_F_MOOD = [
    "Q:what's the mood of {p}",
    "Q:what's the vibe of {p}",
    "Q:does {p} feel happy or sad",
    "Q:what emotion does {p} convey",
    "Q:is {p} cheerful or gloomy",
    "Q:what atmosphere does {p} have",
    "Q:what's the overall feel of {p}",
    "Q:what style is {p}",
    "Q:is {p} more vintage or modern",
]
TR_F_SINGLES = [
    "car",
    "dress",
    "sky",
    "sofa",
    "walls",
    "cat",
    "house",
    "bike",
    "jacket",
    "bag",
    "flowers",
    "bird",
    "shoes",
    "kitchen",
    "logo",
    "background",
    "sweater",
    "curtains",
    "bus",
    "cake",
    "van",
    "bedspread",
]
TR_F_COLOUR_A = [
    "Q:what colour is the {sc}",
    "Q:what color is the {sc}",
    "Q:what's the main colour of the {sc}",
    "Q:what colour would you call the {sc}",
    "I:tell me the colour of the {sc}",
]
TR_F_COLOUR_B = [
    "Q:what are the dominant colours in {p}",
    "Q:what's the colour palette of {p}",
    "Q:is {p} mostly warm or cool colours",
    "Q:is {p} black and white or colour",
    "I:name the main colours in {p}",
]
TR_F_WEATHER = [
    "Q:what's the weather like in {p}",
    "Q:is it sunny in {p}",
    "Q:does it look cold in {p}",
    "Q:is it day or night in {p}",
    "Q:what time of day does {p} look like",
    "Q:what season is it in {p}",
    "Q:is it raining in {p}",
    "Q:was {p} taken at sunset",
]
TR_F_DESIGN_T = [
    "this slide",
    "the website",
    "this poster",
    "the app screen",
    "this flyer",
    "the landing page",
    "this logo",
    "the menu design",
    "this dashboard",
    "the book cover",
    "the packaging",
    "this presentation",
    "the invitation",
    "this infographic",
]
TR_F_DESIGN = [
    "I:describe the design of {t}",
    "Q:what's the overall style of {t}",
    "Q:is {t} minimalist or busy",
    "Q:what's the colour scheme of {t}",
    "Q:does {t} look professional",
    "I:give me your first impression of {t}",
    "Q:what's the look and feel of {t}",
    "Q:is {t} modern or old-fashioned",
]
# Added on 2026-11-26 (README "Addendum 7"): what a chart is about is its gist (rule 4); its values
# and trends, read from the marks, stay `preserve` (rule 1), its printed text `transcode` (rule 3).
TR_F_CHARTS = [
    "this chart",
    "the chart",
    "this graph",
    "the graph",
    "this plot",
    "the plot",
    "this line chart",
    "the bar chart",
    "the pie chart",
    "this figure",
    "the chart on this slide",
    "this dashboard chart",
    "the 3D surface plot",
    "the graph in the report",
]
TR_F_CHARTGIST = [
    "Q:what does {ch} show",
    "Q:what is {ch} about",
    "I:describe {ch}",
    "I:describe {ch} in a sentence",
    "Q:what is {ch} of",
    "I:give me the gist of {ch}",
    "I:write alt text for {ch}",
    "I:caption {ch}",
    "Q:what's {ch} showing",
    "Q:what is {ch} depicting",
    "I:tell me what {ch} is about",
    "Q:what's the subject of {ch}",
    "I:sum up {ch} in one line",
    "Q:what is being plotted in {ch}",
]
TR_F_PRESENCE_X = [
    "dog",
    "person",
    "car",
    "tree",
    "building",
    "animal",
    "boat",
    "mountain",
    "child",
    "river",
    "bridge",
]
TR_F_PRESENCE = ["Q:is there {ax} in {p}", "Q:does {p} have {ax} in it", "Q:can you see {ax} in {p}"]

TR_F_HAND = [
    "Describe the photo.",
    "What kind of place is this?",
    "Is this a cat or a dog?",
    "What colour is the car?",
    "What's the weather like in this photo?",
    "Indoors or outdoors?",
    "What animal is this?",
    "What's the mood of this picture?",
    "What are the dominant colours?",
    "What is this?",
    "whats this",
    "Describe the slide's design.",
    "Caption this photo for Instagram.",
    "Give me alt text for this image, one short sentence.",
    "Is this photo taken at night?",
    "What season does this look like?",
    "What's happening here?",
    "What sport is being played?",
    "What type of food is this?",
    "Is this a beach or a lake?",
    "Does this look like a professional photo?",
    "What style of architecture is this building?",
    "What kind of room is this?",
    "Is the vibe cosy or clinical?",
    "What's the overall colour scheme of this website?",
    "Does this UI look modern?",
    "What kind of document is this?",
    "Is this a screenshot or a photo?",
    "What app is this screenshot from?",
    "Is this image safe for work?",
    "Is there a person in this photo?",
    "Is the dog happy?",
    "What is the man doing?",
    "What's the painting of?",
    "What art style is this?",
    "What country does this look like?",
    "Is this a city or countryside?",
    "Describe this meme's vibe.",
    "What emotion is the person showing?",
    "Is the sky clear?",
    "What's the main subject?",
    "Give me a one-line description.",
    "Describe it in 5 words.",
    "What's the setting?",
    "Is it raining?",
    "Is this a kitchen?",
    "What colour is the sofa?",
    "What colour are the walls?",
    "What's the dominant colour of the logo?",
    "Is the car red or blue?",
    "Is this a wedding?",
    "What event is this?",
    "What vehicle is this?",
    "What flower is this?",
    "What breed is this dog?",
    "Which landmark is this?",
    "Does this picture look sad or happy?",
    "Is this product photo on a white background?",
    "What's the product in this photo?",
    "What is the overall theme of this slide deck design?",
    "Is this a bar chart or a line chart?",
    "What kind of chart is this?",
    "Roughly what time of day is it?",
    "Is the beach crowded or quiet?",
    "describe pls",
    "what am i looking at",
    "Quick summary of the image?",
    "Whats going on here lol",
    "Is this a photo of a sunset or a sunrise?",
    "Is this a real place or a painting?",
    "What kind of party is this?",
    "What is the woman doing in this photo?",
    "Is the baby asleep?",
    "Does this room look cosy?",
    "What's the colour of the dog?",
    "What colour is her dress?",
    "What type of bird is this, roughly?",
    "Is this a forest or a jungle?",
    "What's the cat doing?",
    "Is this meal healthy-looking?",
    "What cuisine does this dish look like?",
    "What fruit is this?",
    "Is this a modern or old building?",
    "Give me three hashtags for this photo.",
    "Suggest a title for this photo.",
    "Write a one-sentence caption.",
    "Is the lighting warm or cold?",
    "Is this photo overexposed overall?",
    "What's the overall tone of this image?",
    "Would this work as a LinkedIn profile picture?",
    "Does this look like a stock photo?",
    "What's the aesthetic here?",
    "Is this outdoors?",
    "Is this a mountain or a hill?",
    "Is this a desert?",
    "What type of vehicle is parked here?",
    "What's the general theme of this poster?",
    "What kind of shop is this?",
    "What is this a picture of?",
    "Is there any water in the scene?",
    "Is it snowing?",
    "Is this a family photo?",
    "What hobby is shown here?",
    "What is the general vibe of this living room?",
    "Does the outfit look formal or casual?",
    "What colour is the house?",
    "What colour is the front of the shop?",
    "Is this illustration cartoonish or realistic?",
    "What's this screenshot of, roughly?",
    "What kind of website is this?",
    "Is this a game or an app?",
    "What kind of document is this? A letter or a form?",
    "Is this a receipt or an invoice?",
    "Does this slide look cluttered?",
    "Is this a selfie?",
    "Is this taken from a plane?",
    "What kind of weather is it?",
    "What's the landscape like?",
]
TR_F_LONG = [
    "I'm building an accessibility feature for our photo gallery. For this image, just give me a short, "
    "natural alt-text description of the overall scene, nothing detailed, one sentence is enough.",
    "My mum sent me this from her holiday and asked me to guess where she is. I don't need exact details, "
    "just tell me what kind of place it looks like: beach, mountains, city, countryside?",
    "We're choosing a cover image for our company blog and I want a quick read on the vibe. Is this photo "
    "calm and professional, or does it feel too busy and chaotic? A couple of sentences is fine.",
    "I'm sorting thousands of old family photos into folders like pets, holidays, birthdays and so on. "
    "Which folder would this one go in? Just a category is fine.",
    "Could you look at this slide and tell me about its design only, not the content: is it clean and "
    "modern, what colours dominate, and does it feel corporate or playful?",
    "My daughter drew this at school and she wants to know what I think it shows. What do you see in it "
    "overall, and what kind of mood does it have?",
    "I'm selling my car online. Looking at this photo overall, does it look like a decent listing picture, "
    "and what colour would a buyer say the car is?",
    "This is a frame from a video my friend sent. Is it indoors or outside, and roughly what time of day "
    "does it seem to be?",
    "I run a small Etsy shop and I'm testing thumbnails. Without getting into details, what's your overall impression of this product photo: does the background feel clean, is the lighting warm or cold, and does the whole thing look inviting?",
    "My grandad was a keen painter and we found this canvas in the loft. I'm not after a detailed analysis, just tell me broadly what it depicts, what style it seems to be in and what kind of mood it gives off.",
    "We're writing alt text for the images on our charity website. For this one, please give me one or two plain sentences describing the scene in general terms, the way a screen-reader user would want it, without listing every single object.",
    "Just got back from a hike and took this from the top of the ridge. Overall, is this more of a forest view or open farmland, and would you say the weather looks like it was about to turn or was it a clear day?",
]

# ---------------------------------------------------------------- training: preserve
TR_P_COUNT_OBJS = [
    "people",
    "windows",
    "cars",
    "birds",
    "chairs",
    "apples",
    "bottles",
    "trees",
    "coins",
    "pills",
    "steps",
    "screws",
    "cows",
    "boats",
    "bikes",
    "books on the shelf",
    "eggs",
    "doors",
    "lights",
    "cups",
    "buttons on the panel",
    "players on the pitch",
    "tables",
    "cookies",
    "horses",
    "pigeons",
    "houses",
    "cans",
    "nails",
    "keys on the ring",
]
TR_P_COUNT = [
    "Q:how many {o} are there",
    "I:count the {o}",
    "Q:how many {o} can you see",
    "I:give me an exact count of the {o}",
    "Q:how many {o} are visible",
    "Q:what's the number of {o} in the picture",
    "I:tally the {o}",
    "Q:exactly how many {o} are in this image",
]
TR_P_HANDS = [
    "this handwritten note",
    "my handwritten notes",
    "the handwritten letter",
    "this whiteboard",
    "the whiteboard notes",
    "the doctor's handwriting",
    "my scribbled shopping list",
    "this handwritten recipe",
    "this handwritten form",
    "the handwritten notes in the margin",
    "this diary page",
    "my lecture notes written in pen",
    "this handwritten to-do list",
    "my kid's handwritten homework",
    "the handwritten labels on these jars",
    "this handwritten letter from my grandad",
    "the handwritten prescription",
    "the handwritten address on the envelope",
    "my journal entry written by hand",
    "the writing on this whiteboard",
]
TR_P_HAND = [
    "I:read {h}",
    "I:transcribe {h}",
    "I:type up {h}",
    "Q:what does {h} say",
    "I:convert {h} to text",
    "I:digitise {h}",
    "I:proofread {h}",
    "I:check the spelling in {h}",
    "I:summarise {h}",
    "Q:can you read {h}",
]
TR_P_MATHS = [
    "this equation",
    "the formula",
    "the integral",
    "this math problem",
    "the equations on the whiteboard",
    "this physics formula",
    "the chemical equation",
    "the limit expression",
    "this differential equation",
    "the algebra on my worksheet",
    "this trigonometry problem",
    "the formula in this textbook photo",
    "this set of simultaneous equations",
    "the quadratic on the slide",
    "the probability formula",
    "the equation in this lecture screenshot",
]
TR_P_MATH = [
    "I:convert {m} to LaTeX",
    "I:solve {m}",
    "I:transcribe {m}",
    "Q:what does {m} say",
    "I:check {m}",
    "I:simplify {m}",
    "I:explain {m}",
    "I:type {m} in LaTeX",
    "Q:is {m} correct",
]
TR_P_BARS = [
    "this bar chart",
    "the column chart",
    "the sales bar graph",
    "the stacked bar chart",
    "the bar chart on this slide",
    "this dashboard bar chart",
]
TR_P_LINES = [
    "this line graph",
    "the line chart",
    "the stock chart",
    "the temperature graph",
    "the line chart on this dashboard",
    "the growth curve",
]
TR_P_PIES = ["this pie chart", "the donut chart", "the pie chart on the slide", "the market share pie"]
TR_P_MONTHS = ["January", "March", "June", "September", "Q2", "2021", "April"]
TR_P_CHART = [
    "Q:what is the value of the tallest bar in {bar}",
    "Q:which month had the highest sales in {bar}",
    "Q:how tall is the {mo} bar in {bar}",
    "Q:which bar is the shortest in {bar}",
    "I:compare the {mo} bar with the others in {bar}",
    "I:read the height of each bar in {bar}",
    "Q:what is the value of the line in {mo} in {ln}",
    "Q:when does the line peak in {ln}",
    "Q:what's the trend in {ln}",
    "Q:where do the two lines cross in {ln}",
    "I:estimate the lowest point of {ln}",
    "Q:which slice is largest in {pie}",
    "Q:roughly what share is the smallest slice in {pie}",
    "Q:are the two biggest slices equal in {pie}",
    "I:convert {bar} into a data table",
    "I:read the values off {ln}",
]
TR_P_UI_BTNS = [
    "Save",
    "Submit",
    "Cancel",
    "Share",
    "Download",
    "Log in",
    "Checkout",
    "Undo",
    "Export",
    "Delete",
]
TR_P_UI_ICONS = ["settings", "search", "profile", "trash", "bell", "help", "filter"]
TR_P_UI_EL = [
    "sidebar",
    "header",
    "logo",
    "search bar",
    "nav menu",
    "footer",
    "card grid",
    "submit button",
    "title text",
    "avatar",
    "login form",
    "hero image",
]
TR_P_UI_SCR = [
    "this screenshot",
    "the app screen",
    "this web page",
    "the mockup",
    "the settings page",
    "the checkout page",
    "this Figma frame",
]
TR_P_UI = [
    "Q:where is the {btn} button",
    "Q:where's the {btn} button on {scr}",
    "Q:where is the {icon} icon in {scr}",
    "Q:is the {el} aligned with the {el2}",
    "Q:is the {el} centred",
    "Q:is the {el} overlapping the {el2}",
    "Q:what are the pixel coordinates of the {el}",
    "Q:how much padding is around the {el}",
    "Q:are the {el} and the {el2} the same width",
    "I:check the spacing between the {el} and the {el2}",
]
TR_P_DIAGRAMS = [
    "this circuit diagram",
    "the flowchart",
    "this architecture diagram",
    "the network diagram",
    "this sequence diagram",
    "the mind map",
    "this block diagram",
    "the process diagram on this slide",
    "the system diagram",
    "this ER diagram",
    "this pipeline diagram",
    "the family tree",
]
TR_P_DIAG = [
    "I:explain {d}",
    "I:walk me through {d}",
    "I:trace the path in {d}",
    "Q:what connects to node B in {d}",
    "I:describe how the parts connect in {d}",
    "I:turn {d} into a list of steps",
    "Q:what happens after the 'No' branch in {d}",
    "Q:which component feeds into the database in {d}",
]
TR_P_DIFFS = [
    "these two images",
    "the two photos",
    "the left and right pictures",
    "these two screenshots",
    "version A and version B",
    "the two logos",
    "the two product photos",
    "these two scans",
    "the original and the edited photo",
    "the two designs",
]
TR_P_DIFF = [
    "I:spot the differences between {x}",
    "Q:what's different between {x}",
    "I:compare {x} and list every change",
    "Q:are {x} identical",
    "I:find what changed between {x}",
]
# (defect kinds, objects they can plausibly appear on)
TR_P_DEFECT_GROUPS = [
    (
        ["crack", "scratch", "chip", "stain", "blemish"],
        [
            "the phone screen",
            "this ceramic mug",
            "this tile",
            "the windscreen",
            "the lens",
            "the wooden table",
        ],
    ),
    (["scratch", "scuff", "blemish", "chip"], ["the car bumper", "the paintwork"]),
    (
        ["crack", "gap", "bubble", "burn mark"],
        ["this weld", "the circuit board", "the casting", "this 3D print", "the solder joints"],
    ),
    (
        ["loose thread", "stain", "burn mark", "pulled stitch"],
        ["the shirt seam", "the sofa cover", "this scarf"],
    ),
]
TR_P_TEXTURES = [
    "this fabric",
    "the wood grain",
    "the stone wall",
    "this leather",
    "the brushwork",
    "the carpet",
    "this knit",
    "the concrete surface",
    "the marble",
    "the bread crust",
]
TR_P_DEFECT = [
    "Q:is there a {df} on {dobj}",
    "I:check {dobj} for any {df}",
    "I:inspect {dobj} for defects",
    "I:find any {df} on {dobj}",
    "I:describe the texture of {tx}",
    "Q:what's the surface of {tx} like up close",
    "Q:is {tx} smooth or rough",
]
TR_P_MEDS = [
    "this X-ray",
    "the chest X-ray",
    "this MRI",
    "the MRI scan slice",
    "this ECG",
    "the photo of my mole",
    "this microscope slide",
    "the blood smear",
    "this mammogram",
    "the knee X-ray",
    "this brain scan",
    "the histology image",
    "the rash photo",
    "the dental X-ray",
    "this skin lesion photo",
]
TR_P_MED = [
    "Q:what does {s} show",
    "Q:is there anything abnormal in {s}",
    "I:analyse {s}",
    "I:describe {s}",
    "I:interpret {s}",
    "Q:what's visible in {s}",
    "Q:should I be worried about {s}",
]
TR_P_CLOCKS = [
    "the clock",
    "the wall clock",
    "the clock tower",
    "this analogue clock",
    "the alarm clock",
    "the station clock",
    "the kitchen clock",
]
TR_P_GAUGES = [
    "the pressure gauge",
    "the thermometer",
    "the multimeter",
    "the tyre pressure gauge",
    "the water meter",
    "the electricity meter",
    "the bathroom scale",
    "the tachometer",
    "the voltmeter",
    "the compass",
    "the rain gauge",
]
TR_P_GAUGE = [
    "Q:what time does {clk} show",
    "Q:what time is it on {clk}",
    "I:read {g}",
    "Q:what's the reading on {g}",
    "Q:what does {g} read",
    "Q:what's the needle pointing at on {g}",
]
TR_P_PLACES = [
    "the station",
    "the museum",
    "the hotel",
    "the car park",
    "the hospital",
    "the beach",
    "the old town",
    "the airport",
    "the stadium",
    "the campsite",
    "the library",
    "the bridge",
]
TR_P_MAPS = [
    "this map",
    "the city map",
    "the tourist map",
    "this campus map",
    "the transit map",
    "the screenshot of Google Maps",
    "the park map",
    "this hand-drawn map",
    "the road atlas page",
]
TR_P_MAP = [
    "Q:how do I get from {a} to {b} on {mp}",
    "Q:what's the shortest route from {a} to {b} on {mp}",
    "Q:where is {b} on {mp}",
    "Q:how far is {a} from {b} on {mp}",
    "Q:what's near {a} on {mp}",
    "Q:which direction is {b} from {a} on {mp}",
]
TR_P_POS_X = [
    "the dog",
    "the ball",
    "the red car",
    "the cat",
    "the bird",
    "the person in the hoodie",
    "the coffee cup",
    "the bike",
    "the child",
    "the lamp",
]
TR_P_POS_SINGLE = TR_P_POS_X + ["the cursor", "the logo", "the crack", "the watermark", "the mouse pointer"]
TR_P_POS = [
    "Q:where exactly is {x} in the image",
    "I:give me the bounding box of {x}",
    "Q:what are the coordinates of {x}",
    "Q:is {x} on the left or right of {y}",
    "Q:how far is {x} from {y} in pixels",
    "Q:is {x} in front of or behind {y}",
]

TR_P_HAND_LINES = [
    "Count the people.",
    "How many windows are on the building?",
    "Read this handwritten note.",
    "Transcribe my handwritten lecture notes.",
    "What does the doctor's handwriting on this prescription say?",
    "Transcribe the whiteboard.",
    "What's written on the whiteboard?",
    "Convert this equation to LaTeX.",
    "Solve the integral in the image.",
    "What is the value of the tallest bar?",
    "Which month had the highest sales in this bar chart?",
    "Where is the Save button?",
    "Is the sidebar aligned with the main content?",
    "Spot the differences between the two images.",
    "Is there a crack in the phone screen?",
    "What's the texture of this fabric?",
    "What does this X-ray show?",
    "What time does the clock show?",
    "How do I get from the station to the museum on this map?",
    "Give me the pixel coordinates of the red button.",
    "What's the exact hex colour of the header?",
    "Is the logo exactly centred?",
    "Explain this circuit diagram.",
    "Walk me through this flowchart.",
    "What's the reading on the pressure gauge?",
    "What's the trend in this line chart?",
    "Estimate the value of the blue line in June.",
    "Which slice of the pie chart is largest?",
    "Compare the heights of the two bars for 2021.",
    "Are there any spelling mistakes in this handwritten letter?",
    "Check my handwritten maths homework.",
    "Is this mole irregular?",
    "Is there a fracture in this wrist X-ray?",
    "What does the ECG strip show?",
    "Describe the cells under this microscope.",
    "Find the defects on this circuit board.",
    "Are the solder joints clean?",
    "Is the weld seam uniform?",
    "Is the photo in focus?",
    "Is the text blurry or sharp?",
    "How many pills are in the tray?",
    "How many stairs are there?",
    "Count the coins and tell me the total value.",
    "Which player is offside?",
    "Where exactly is the ball relative to the line?",
    "Is the picture frame hanging straight?",
    "Is the horizon level?",
    "Which of these two photos is sharper?",
    "What's different between version A and version B of this UI?",
    "Are the icons in the toolbar evenly spaced?",
    "Is the padding consistent across these cards?",
    "Does the button overlap the text on mobile?",
    "Where is the settings icon?",
    "What's the distance between the two towns on this map using the scale bar?",
    "Which route on this map avoids the motorway?",
    "How many bars are in this chart?",
    "Read the numbers off the y-axis for each bar.",
    "Which line is above the other in March?",
    "Transcribe the sheet music.",
    "What chess move should white play here?",
    "What square is the black knight on?",
    "Describe the brushstroke texture up close.",
    "Does the paint have bubbles?",
    "count them",
    "how many",
    "How many people are in the photo?",
    "How many cars are in the car park?",
    "Count the birds on the wire.",
    "How many slices of pizza are left?",
    "How many eggs are in the carton?",
    "How many fingers is he holding up?",
    "Is her left eye closed?",
    "Is the ring on her left hand or her right hand?",
    "What exact shade of blue is the button, as a hex code?",
    "Are the two signatures the same?",
    "Does this signature match the one on file?",
    "Read my handwriting please.",
    "What did I write here?",
    "Can you decode my messy handwriting in this photo?",
    "What's the formula on the board?",
    "Solve for x.",
    "Is my working correct in this photo of my exam answer?",
    "What is the derivative shown here?",
    "Is there a tiny gap between these two tiles?",
    "Is the screen cracked anywhere?",
    "Is this phone screen scratched?",
    "Is there mould in the corner of this wall?",
    "Which wire goes to which terminal in this photo?",
    "Is the cable plugged into port 3 or port 4?",
    "Which LED is lit on the switch?",
    "Are all the LEDs on the router green?",
    "What is the peak value on this graph?",
    "By how much did revenue grow between the first and last bar?",
    "Which country has the longest bar?",
    "What's the y-value where the curve flattens out?",
    "Is the red line ever below the blue one?",
    "Which quarter had the lowest profit according to the graph?",
    "Where is the exit on this floor map?",
    "Which platform is closest to the entrance on this station map?",
    "Plot a walking route from the hotel to the beach on this map.",
    "Which direction is north on this map?",
    "Where is the cursor?",
    "Where is the cat hiding in this photo?",
    "Is the car parked inside the lines?",
    "Is the text on this slide aligned to the left edge consistently?",
    "Are the columns of this layout equal width?",
    "Is the button 8 pixels from the edge?",
    "Does this crop cut off the top of his head?",
    "What's the blood pressure reading on the analogue gauge?",
    "What's the angle of the ramp?",
    "How long is the table using the ruler in the photo?",
    "Measure the gap using the ruler next to it.",
    "Is there a tumour in this scan?",
    "Does this chest X-ray look normal?",
    "Is the baby's head down in this scan?",
    "Is this rash spreading compared with yesterday's photo?",
    "Compare these two moles.",
    "Identify the bacteria shape in this micrograph.",
    "Is the cell count high in this blood smear?",
    "Has anything moved between these two CCTV frames?",
    "Is this banknote's hologram intact?",
    "Is the seam on this jacket straight?",
    "Is the stitching even on this bag?",
]
TR_P_LONG = [
    "I'm an inspector at a small electronics factory. This photo shows one of today's boards under a "
    "magnifier. Please go over it carefully and point out any bridged solder joints, missing components or "
    "lifted pads, with their approximate positions on the board.",
    "My son did his maths homework by hand and I want to check it before he hands it in. Could you go "
    "through each equation on the page, say whether the working is right, and point out any step where "
    "he went wrong?",
    "This is a bar chart from our quarterly review deck. The exact numbers aren't printed on it, so please "
    "estimate the value of each bar from the axis and tell me which region grew the most between Q1 and Q4.",
    "We're QA-testing a redesign. The screenshot shows the new checkout page. Are the form fields aligned "
    "with each other, is the spacing between the buttons consistent, and is anything overlapping or cut off "
    "at the right edge?",
    "My dad wrote this letter in joined-up handwriting decades ago and none of us can read it "
    "properly. Could you carefully transcribe it, marking any word you're unsure of?",
    "Here's a photo of a crowd at our charity run's start line. For the insurance form we need an accurate "
    "number, so please count the people in the picture as precisely as you can.",
    "I've attached a chest X-ray from my recent check-up. I know you're not a doctor, but can you describe "
    "what's visible in the lungs and whether anything looks unusual compared with a typical scan?",
    "Two versions of our logo are side by side in this image. The designer says nothing changed, but "
    "something feels off. Can you compare them closely and list every difference you can find?",
    "Using the scale bar at the bottom of this hiking map, roughly how far is it from the car park to the "
    "summit along the marked path, and which way does the path turn at the river?",
    "I'm a radiography student and this is a lateral knee X-ray from a practice set. Could you go through it carefully, describe the alignment of the joint, and point out any subtle lines or shadows that might suggest a fracture, with their positions?",
    "This screenshot shows two versions of the same mobile login screen, old on the left and new on the right. Our client insists they're identical. Please compare them pixel by pixel, including spacing, font weight and icon positions, and list every difference you find.",
    "Attached is a photo of the shelves in our stock room. For the audit I need the exact number of cardboard boxes on the middle shelf, and how many of those have visible water damage or crushed corners, so please count carefully.",
    "Here's my handwritten solution to a physics problem, with a couple of sketches and equations. Please read through my working line by line, transcribe the equations into LaTeX, and tell me where the units stop being consistent.",
]

# ---------------------------------------------------------------- training: added for issue #4
# Written for the issue-4 targets (held-out accuracy, OCRBench routing) without reading any evaluation
# question: bare whole-image reading prompts, document fields asked by meaning, document questions
# answered from the text (doc-VQA style), text on the main subject of a scene photo, and the matching
# contrasts (one located part -> crop, category/gist -> full_low, handwriting/formulas -> preserve).

# bare whole-image reading requests (rule 3: the answer is the image's text)
TR_T_BARE_IMGS = [
    "the image",
    "this image",
    "the picture",
    "this picture",
    "the photo",
    "this photo",
    "this pic",
    "the pic",
    "the scan",
    "this crop",
    "this cropped image",
    "the snippet",
    "this word image",
    "the clip",
    "this",
]
TR_T_BARE = [
    "Q:what is written in {im}",
    "Q:what's written in {im}",
    "Q:what text is in {im}",
    "Q:what text does {im} contain",
    "Q:what does {im} say",
    "Q:what word is in {im}",
    "Q:what word does {im} show",
    "Q:what are the words in {im}",
    "Q:which letters are in {im}",
    "Q:what characters are in {im}",
    "Q:what number is written in {im}",
    "Q:what digits does {im} show",
    "Q:what is the text in {im}",
    "Q:what's printed in {im}",
    "Q:what does the text in {im} read",
    "Q:what string of characters appears in {im}",
    "I:read the text in {im}",
    "I:read {im} out loud",
    "I:recognise the text in {im}",
    "I:recognize the word in {im}",
    "I:transcribe the word in {im}",
    "I:tell me what {im} says",
    "I:write down the text you see in {im}",
    "I:spell out the word in {im}",
    "I:OCR the text in {im}",
    "I:give me the characters in {im} exactly",
]
TR_T_BARE_HAND = [
    "what's written",
    "What does that say?",
    "read it",
    "What word is that?",
    "whats the word",
    "What does the text say?",
    "Recognise the text.",
    "What letters are those?",
    "What is this word?",
    "What's that number?",
    "What does it read?",
    "Which word is this?",
    "what's the text",
    "What's written there?",
    "Read the word.",
    "Read the number.",
    "What's the code shown?",
    "What characters do you see?",
    "Tell me the word.",
    "What's the printed text?",
    "What is printed in the image?",
    "What does the lettering in the picture spell?",
    "Which number is written in the photo?",
    "OCR the image.",
    "Extract the text from the picture.",
    "Text in the image?",
    "What word can you see in the picture?",
    "What's written in the image, exactly?",
    "Please recognize the characters in this image.",
    "What text is shown in the picture? Just the text.",
    "What do the letters in the image spell?",
    "Read the digits.",
    "What's the sequence of numbers in the image?",
    "What's the serial shown in the image?",
    "What does this word say?",
]

# document fields asked for by meaning, with or without naming the document (rule 3)
TR_T_KIE_FIELDS = [
    (
        [
            "total amount",
            "subtotal",
            "tax amount",
            "amount paid",
            "change given",
            "payment method",
            "date of purchase",
            "store name",
            "store address",
            "cashier's name",
            "receipt number",
            "company name",
            "shop's phone number",
        ],
        ["", " on this receipt", " on the receipt", " on the till slip", " in this image"],
    ),
    (
        [
            "invoice date",
            "invoice total",
            "customer name",
            "billing address",
            "supplier's name",
            "payment terms",
            "company name",
            "amount due",
            "tax rate",
        ],
        ["", " on this invoice", " in the invoice", " on the bill", " in this document"],
    ),
    (
        [
            "applicant's name",
            "date of birth",
            "registration number",
            "issue date",
            "policy holder's name",
            "signature date",
            "postcode",
        ],
        ["", " on this form", " in the form", " on the application", " in this document"],
    ),
    (
        [
            "serving size",
            "net weight",
            "number of calories per serving",
            "sugar content",
            "price per kilo",
            "product name",
            "manufacturer's name",
            "country of origin",
        ],
        ["", " on this packet", " on the nutrition panel", " on the packaging", " on the box"],
    ),
    (
        ["event date", "venue", "start time", "seat number", "ticket price", "organiser's name"],
        ["", " on this ticket", " on the flyer", " on the poster"],
    ),
]
TR_T_KIE = [
    "Q:what is the {f}{d}",
    "Q:what's the {f}{d}",
    "Q:which {f} is given{d}",
    "I:give me the {f}{d}",
    "I:find the {f}{d}",
    "I:extract the {f}{d}",
    "Q:what {f} is shown{d}",
    "S:{f}{d}",
]

# questions answered from a document's text (doc-VQA style; rule 3)
TR_T_DOCQ_DOCS = [
    "this letter",
    "the memo",
    "this report",
    "the document",
    "this page",
    "the article",
    "this notice",
    "this fax",
    "the minutes",
    "this agenda",
    "the annual report",
    "this research paper",
]
TR_T_DOCQ = [
    "Q:what is the title of {dq}",
    "Q:what date is mentioned in {dq}",
    "Q:who is {dq} addressed to",
    "Q:to whom is {dq} addressed",
    "Q:who signed {dq}",
    "Q:who is the author of {dq}",
    "Q:which organisation issued {dq}",
    "Q:what company is mentioned in {dq}",
    "Q:what is the subject of {dq}",
    "Q:according to {dq}, when is the meeting",
    "Q:according to {dq}, what is the deadline",
    "Q:according to {dq}, where will the event take place",
    "Q:what is the name of the person mentioned in {dq}",
    "Q:what is the heading of section 2 in {dq}",
    "Q:what's the title of the third section of {dq}",
    "Q:what phone number is given in {dq}",
    "Q:what's the page number of {dq}",
    "Q:what does {dq} say about the budget",
    "Q:in which year was {dq} written",
    "Q:what is the name of the university in {dq}",
]
TR_T_DOCQ_TABLES = [
    "the table",
    "this table",
    "the sales table",
    "the results table",
    "the data table in this report",
    "the printed figures",
    "this statistics table",
    "the budget table",
]
TR_T_DOCQ_METRICS = [
    "sales",
    "revenue",
    "profit",
    "expenses",
    "enrolment",
    "rainfall",
    "attendance",
    "exports",
]
TR_T_DOCQ_T = [
    "Q:according to {tq}, which year had the highest {mt}",
    "Q:according to {tq}, which year had the lowest {mt}",
    "Q:what were the total {mt} in 2019 according to {tq}",
    "Q:what is the {mt} figure for 2021 in {tq}",
    "Q:by how much did {mt} change between 2018 and 2020 according to {tq}",
    "Q:which region had the most {mt} according to {tq}",
    "Q:what percentage of {mt} came from exports according to {tq}",
    "Q:what is the average {mt} given in {tq}",
]

# text on the main subject of a scene photo, asked by meaning (rule 3; one singled-out part is crop)
TR_T_SCENE_PRODUCTS = [
    "bottle",
    "can",
    "jar",
    "box",
    "bag of crisps",
    "carton",
    "tube",
    "packet",
    "beer",
    "soda",
]
TR_T_SCENE_DEVICES = ["laptop", "phone", "camera", "watch", "TV", "keyboard", "guitar", "car", "motorbike"]
TR_T_SCENE_SHOPS = ["store", "shop", "restaurant", "café", "hotel", "bar", "bakery", "pharmacy", "cinema"]
TR_T_SCENE_VEH = ["bus", "train", "taxi", "plane", "van", "lorry", "police car"]
TR_T_SCENE = [
    "Q:what brand is the {pr}",
    "Q:what brand of {pr} is this",
    "Q:which brand made this {dv}",
    "Q:what make is the {dv}",
    "Q:what's the brand name on the {pr}",
    "Q:what's the name of the {sh}",
    "Q:what is the {sh} called",
    "Q:what does the sign over the {sh} say",
    "Q:what's the name of the {sh} in this photo",
    "Q:what number is on the {vh}",
    "Q:what's written on the side of the {vh}",
    "Q:which company operates the {vh}",
    "Q:where is the {vh} going according to its display",
]
TR_T_SCENE_OBJS = [
    "the T-shirt",
    "the mug",
    "the banner",
    "the cake",
    "the storefront",
    "the billboard",
    "the book cover",
    "the wall",
    "the bag",
    "the sign",
    "the trophy",
    "the cap",
]
TR_T_SCENE_B = [
    "Q:what word is on {so}",
    "Q:what does {so} say",
    "Q:what's written on {so}",
    "Q:what is the text on {so}",
    "I:read {so} for me",
]
TR_T_SCENE_HAND = [
    "What's the speed limit on this sign?",
    "What street is this, according to the street sign?",
    "What's the name of the street?",
    "Which station is this? Read the station sign.",
    "What's the title of this book?",
    "Who wrote this book, going by the cover?",
    "What's the name of the band on the poster?",
    "What's the price of the apples on the sign?",
    "How much are the bananas according to the sign?",
    "What does the graffiti say?",
    "What's the name on the shop front?",
    "Which team's name is on the shirt?",
    "What's the title of the film on this poster?",
    "What's the name of the beer?",
    "What flavour is it, according to the packaging?",
    "What year is printed on the coin?",
    "What's the opening time on the door sign?",
    "What's the departure time on the board?",
    "Which gate does the departures board list?",
    "What's the score on the scoreboard?",
    "What number is on the house?",
    "What's the address on the building?",
    "What does the neon sign spell?",
    "What's the slogan on the van?",
    "What's the name of the boat, written on it?",
    "What does it say on the cake?",
    "What's the brand of this phone, going by the logo text?",
    "What's the product called?",
    "What's the store called?",
    "What is the name of this restaurant?",
    "Which airline is written on the plane?",
    "What's the number of the bus?",
    "What route number is the bus?",
    "What word is written on the wall?",
    "What is the name of the company on the truck?",
]
# contrasts: one located part of a scene object (rule 2 -> crop)
TR_C_PARTS_OF = {
    "bus": ["destination display", "rear window", "side panel"],
    "plane": ["tail", "engine"],
    "lorry": ["door", "tailgate"],
    "boat": ["stern", "hull"],
    "guitar": ["headstock"],
    "bottle": ["neck", "cap"],
    "building": ["door", "top floor window", "side wall"],
    "shirt": ["pocket", "sleeve"],
    "helmet": ["visor"],
    "train": ["front", "third carriage"],
}
TR_C_PART = [
    "Q:what's written on the {pt} of the {po}",
    "Q:what does the text on the {pt} of the {po} say",
    "I:read the writing on the {pt} of the {po}",
    "Q:what number is on the {pt} of the {po}",
]
TR_C_SMALLS = ["little sign", "badge", "tag", "note", "number", "tiny print", "sticker", "small poster"]
TR_C_SMALL_LOCS = [
    "on the lamp post",
    "by the door",
    "on the fridge",
    "behind the counter",
    "at the bottom of the poster",
    "on the man's jacket",
    "in the left window",
    "on the second door",
    "on the back wall",
    "on the box at the bottom",
    "above the entrance",
    "on the bench on the right",
]
TR_C_SMALL = [
    "Q:what does the {sm} {sl} say",
    "Q:what's written on the {sm} {sl}",
    "I:read the {sm} {sl}",
    "Q:what's the text of the {sm} {sl}",
]

# contrasts: category / gist of a text-bearing subject (rule 4 -> full_low)
TR_F_TEXTSUBJ = [
    "shop",
    "restaurant",
    "vehicle",
    "drink",
    "product",
    "building",
    "sign",
    "bottle",
    "book",
    "poster",
    "packaging",
    "street",
]
TR_F_TEXTSUBJ_T = [
    "Q:what kind of {ts} is this",
    "Q:what type of {ts} is shown",
    "Q:is this {ts} modern or old-fashioned",
    "Q:what colour is the {ts}",
    "I:describe the {ts} in a sentence",
    "Q:what's the general look of the {ts}",
]

# handwriting / formulas asked like bare reading requests (rule 1 -> preserve)
TR_P_HANDREAD_IMGS = ["the image", "this picture", "the photo", "this scan", "this"]
TR_P_HANDREAD = [
    "Q:what is the handwritten word in {im}",
    "Q:what does the handwriting in {im} say",
    "I:recognise the handwritten text in {im}",
    "I:transcribe the handwritten line in {im}",
    "Q:what did they write by hand in {im}",
    "I:write the formula in {im} in LaTeX",
    "I:write out the mathematical expression in {im} in LaTeX format",
    "Q:what is the handwritten equation in {im}",
    "I:convert the handwritten maths in {im} to LaTeX",
    "Q:what expression is written in {im}",
    "I:give me the LaTeX for the formula in {im}",
]

# ---------------------------------------------------------------- training: hard pairs
# (text_a, label_a, text_b, label_b, why) - both lines go into the training pool
TR_HARD_PAIRS = [
    (
        "What does this chart show?",
        F,
        "What does this chart show for March?",
        P,
        "chart gist vs a value read from the marks",
    ),
    ("Describe this graph.", F, "Describe the trend in this graph.", P, "chart gist vs its trend"),
    ("What is this plot about?", F, "What is the title of this plot?", T, "chart gist vs chart text"),
    ("Caption this chart.", F, "Read the chart's caption.", T, "write a caption vs read the printed one"),
    (
        "Give me the gist of the bar chart.",
        F,
        "Give me the height of every bar in the bar chart.",
        P,
        "chart gist vs values read from the marks",
    ),
    ("Read the sign.", T, "Read the serial number on the tiny label.", C, "whole sign vs one small label"),
    (
        "What colour is the car?",
        F,
        "What colour is the third car from the left?",
        C,
        "single subject vs one among many",
    ),
    ("Read this note.", T, "Read this handwritten note.", P, "typed vs handwritten"),
    (
        "What is the title of the chart?",
        T,
        "What is the value of the tallest bar?",
        P,
        "chart text vs value from marks",
    ),
    ("Summarize the slide.", T, "Describe the slide's design.", F, "slide text vs slide look"),
    (
        "What's the total on this invoice?",
        T,
        "What's the amount next to 'Subtotal' in the bottom box?",
        C,
        "field by meaning vs located field",
    ),
    ("Transcribe this page.", T, "Transcribe this equation.", P, "prose vs formula"),
    (
        "What does the poster say?",
        T,
        "What does the small print at the bottom of the poster say?",
        C,
        "whole poster vs located small print",
    ),
    ("Is this a cat or a dog?", F, "How many cats are in this photo?", P, "category vs counting"),
    (
        "What's on the printed handout?",
        T,
        "What's on the whiteboard in this photo?",
        P,
        "printed vs handwritten",
    ),
    (
        "What are the labels on the x-axis of this chart?",
        T,
        "What are the values of the line at each month on this chart?",
        P,
        "chart labels vs values from marks",
    ),
    (
        "Where is the Save button?",
        P,
        "What does the button in the top-left say?",
        C,
        "position asked vs located text",
    ),
    ("Describe this screenshot.", F, "Transcribe this screenshot.", T, "gist vs text"),
    (
        "Is it day or night in this photo?",
        F,
        "What time does the clock in this photo show?",
        P,
        "time of day vs clock reading",
    ),
    (
        "What's written on the shop sign?",
        T,
        "What's written on the small sign in the shop window on the left?",
        C,
        "main sign vs located small sign",
    ),
    (
        "What colour is the button?",
        F,
        "What's the exact hex colour of the button?",
        P,
        "gist colour vs exact shade",
    ),
    (
        "Convert this table to CSV.",
        T,
        "Convert this bar chart to CSV.",
        P,
        "printed numbers vs values from marks",
    ),
    ("What do the legend entries say?", T, "Zoom into the legend.", C, "chart text vs explicit zoom"),
    (
        "Translate this menu.",
        T,
        "Translate the tiny text on the wine label in the corner.",
        C,
        "whole doc vs located small text",
    ),
    (
        "What's the main colour of this website?",
        F,
        "Is the sidebar aligned with the header on this website?",
        P,
        "gist vs layout",
    ),
    (
        "Read the code in this screenshot.",
        T,
        "Read the handwritten code on this whiteboard.",
        P,
        "code screenshot vs handwriting",
    ),
    (
        "Read the error message.",
        T,
        "Read the error in the little popup in the bottom-right corner.",
        C,
        "main message vs located popup",
    ),
    (
        "What's the weather like here?",
        F,
        "What temperature does the thermometer show?",
        P,
        "scene gist vs gauge reading",
    ),
    (
        "What is the man holding?",
        F,
        "What is the man on the far right holding?",
        C,
        "single subject vs one among many",
    ),
    ("Describe the people in this photo.", F, "Count the people in this photo.", P, "describe vs count"),
    (
        "What does the receipt say?",
        T,
        "What does the handwritten note on the receipt say?",
        P,
        "printed vs handwritten",
    ),
    (
        "Summarise this article.",
        T,
        "Summarise the caption under the second photo in this article.",
        C,
        "whole doc vs one located caption",
    ),
    (
        "Is this a bar chart or a line chart?",
        F,
        "Which bar is taller, 2019 or 2020?",
        P,
        "chart type vs mark comparison",
    ),
    (
        "What are the bullet points on this slide?",
        T,
        "Are the bullet points on this slide aligned?",
        P,
        "text vs layout",
    ),
    ("What's in this picture?", F, "What's in the top-right corner of this picture?", C, "gist vs region"),
    (
        "What's the revenue figure printed on this dashboard?",
        T,
        "What's the revenue in March according to the line on this dashboard?",
        P,
        "printed KPI vs value from marks",
    ),
    ("Translate this typed letter.", T, "Translate this handwritten letter.", P, "typed vs handwritten"),
    ("List the rows of this table.", T, "How many rows does this table have?", P, "text vs counting"),
    (
        "What's the date on this letter?",
        T,
        "What's the date stamped in the top corner of this letter?",
        C,
        "field by meaning vs located stamp",
    ),
    ("Is the room tidy?", F, "Is there a stain on the carpet?", P, "gist vs defect"),
    (
        "What colour is the sky?",
        F,
        "What colour is the second kite from the left?",
        C,
        "single subject vs one among many",
    ),
    ("Describe the diagram.", P, "Describe the photo.", F, "diagram vs photo gist"),
    ("Read the formula on the slide.", P, "Read the title on the slide.", T, "formula vs text"),
    ("What's the mood of this meme?", F, "What does the meme's caption say?", T, "mood vs text"),
    (
        "Extract all the fields from this form.",
        T,
        "Extract the value in the 'Date of birth' box of this form.",
        C,
        "whole form vs one located box",
    ),
    (
        "What's the price of the burger on this menu?",
        T,
        "What's the price on the tag hanging off the jacket sleeve in this photo?",
        C,
        "document value vs small tag",
    ),
    ("Is the dog happy?", F, "Is the dog's left ear torn?", P, "gist vs fine detail"),
    (
        "What does the code in this screenshot do?",
        T,
        "What does this flowchart do?",
        P,
        "code text vs diagram",
    ),
    (
        "Type out this printed recipe.",
        T,
        "Type out my grandma's handwritten recipe.",
        P,
        "printed vs handwritten",
    ),
    ("What kind of document is this?", F, "What does this document say?", T, "category vs text"),
    (
        "What's the gist of this image?",
        F,
        "What's the gist of this letter?",
        T,
        "scene gist vs document text",
    ),
    (
        "What's the speed limit on the road sign?",
        T,
        "What's the speed limit on the small sign behind the truck?",
        C,
        "main sign vs located far sign",
    ),
    (
        "What colour is the dress?",
        F,
        "What colour is the dress of the woman second from the right?",
        C,
        "single subject vs one among many",
    ),
    (
        "What is the trend in this line chart?",
        P,
        "What is the caption of this line chart?",
        T,
        "marks vs chart text",
    ),
    (
        "Read the clock.",
        P,
        "Read the clock-in times on this printed timesheet.",
        T,
        "clock face vs printed times",
    ),
    (
        "Give me the text on this slide.",
        T,
        "Give me the positions of every element on this slide.",
        P,
        "text vs layout",
    ),
    (
        "Is this a receipt or an invoice?",
        F,
        "Is this receipt's total correct given the line items?",
        T,
        "category vs printed values",
    ),
    (
        "What does the street sign say?",
        T,
        "What does the street sign in the far background say?",
        C,
        "main sign vs far region",
    ),
    ("Describe this X-ray.", P, "Describe this beach photo.", F, "medical vs scene"),
    ("What is the cat doing?", F, "Where is the cat in the picture, exactly?", P, "gist vs position"),
    ("Is this a logo or a photo?", F, "Are the two logos identical?", P, "category vs comparison"),
    ("Is the beach crowded?", F, "How many people are on the beach?", P, "gist vs count"),
    (
        "What time does the watch show?",
        P,
        "What brand is written on the watch face of the man on the left?",
        C,
        "clock reading vs located text",
    ),
    ("What does the screenshot show?", F, "What does the screenshot say?", T, "one-word: show vs say"),
]

# =====================================================================================
# 3. HELD-OUT material (separate frames, vocabulary and subjects; see README)
# =====================================================================================

HO_FRAMES = {
    "I": [
        ("{I}.", 8, ""),
        ("Would you be able to {i}?", 3, "polite"),
        ("I'd like you to {i}.", 3, "polite"),
        ("Do me a favour and {i}.", 2, "en-GB"),
        ("Go ahead and {i}.", 2, ""),
        ("{I} for me, would you?", 2, "polite"),
        ("Need you to {i} real quick.", 1, "informal, en-US"),
        ("Be a legend and {i}.", 1, "en-AU"),
        ("{I}, ta.", 1, "en-GB"),
        ("Can you {i}, please? Urgent basis.", 1, "en-IN"),
        ("{I}", 1, ""),
    ],
    "Q": [
        ("{Q}?", 12, ""),
        ("Out of curiosity, {q}?", 2, ""),
        ("{Q}? Short answer is fine.", 2, ""),
        ("Right, {q}?", 1, "en-GB"),
        ("Okay so {q}?", 1, "informal"),
        ("{Q}?? ", 1, ""),
        ("One thing: {q}?", 1, ""),
    ],
    "S": [("{S}.", 6, ""), ("{S}, if you can.", 2, "polite"), ("{S} - cheers.", 1, "en-GB/AU")],
}
HO_CONTEXTS = [
    "Long day, bear with me.",
    "One more for you.",
    "Here's a fresh upload.",
    "Sent from my tablet.",
    "My sister forwarded this.",
    "Context: it's for a school project.",
    "Morning!",
    "Right, another image.",
    "Uploading again since the last one failed.",
]

# ---------------------------------------------------------------- held-out: transcode
HO_T_DOCS = [
    "this boarding pass",
    "the lease agreement",
    "this warranty card",
    "the bank statement",
    "the train timetable",
    "this press release",
    "the syllabus",
    "this brochure",
    "the pamphlet",
    "this delivery note",
    "the customs declaration",
    "this parking permit",
    "the job posting",
    "this hospital discharge summary",
    "the church bulletin",
    "the exam timetable",
    "this insurance schedule",
    "the packing list",
    "this newsletter",
    "the visa letter",
    "the product datasheet",
    "this permission slip",
    "the concert ticket",
]
HO_T_READ = [
    "S:I need the wording of {d} as plain text",
    "I:pull every line of text off {d}",
    "I:render {d} as editable text",
    "I:spell out everything {d} says",
    "I:reproduce {d} verbatim",
    "I:put the contents of {d} into a doc I can edit",
    "I:condense {d} into a couple of lines",
    "Q:what's the upshot of {d}",
    "I:give me the short version of {d}",
    "I:brief me on {d}",
]
HO_T_LANGS = ["Dutch", "Polish", "Turkish", "Vietnamese", "Greek", "Swahili", "Czech", "Hebrew", "Finnish"]
HO_T_FDOCS = ["leaflet", "rental contract", "ferry notice", "shop flyer", "museum placard", "school circular"]
HO_T_TRANS = [
    "Q:I can't read {L} - what does this {fd} say",
    "I:put this {L} {fd} into English",
    "Q:how would this {L} {fd} read in English",
]
HO_T_FIELDS = [
    ("gate", "this boarding pass"),
    ("arrival time for the last service", "the train timetable"),
    ("deposit amount", "the lease agreement"),
    ("closing balance", "the bank statement"),
    ("customer reference", "this delivery note"),
    ("embargo date", "this press release"),
    ("discharge date", "this hospital discharge summary"),
    ("salary range", "the job posting"),
    ("warranty period", "this warranty card"),
    ("course code", "the syllabus"),
    ("seat row", "the concert ticket"),
    ("permit expiry", "this parking permit"),
]
HO_T_FIELD = ["Q:what {f} does {d} list", "Q:according to {d}, what's the {f}", "Q:from {d}, what is the {f}"]
HO_T_CODE = [
    "this Rust snippet",
    "the Go function",
    "this SQL query",
    "the YAML config",
    "this Kotlin class",
    "the Swift file",
    "this Dockerfile",
    "the regex",
    "this git diff",
    "the Terraform block",
]
HO_T_CODE_T = [
    "Q:what's {c} in the screenshot doing",
    "I:paste back {c} from the image as text",
    "I:debug {c} shown in the picture",
    "Q:is there a bug in {c} from this capture",
]
HO_T_TABLES = [
    "timetable grid",
    "mileage log",
    "fixture list",
    "stock count sheet",
    "staff rota",
    "league standings screenshot",
]
HO_T_FMTS = ["YAML", "an SQL insert statement", "a Google Sheet", "pipe-delimited text"]
HO_T_TABLE = ["I:reproduce this {tb} as {fm}", "S:this {tb} needs to become {fm}"]

HO_T_HAND = [
    "What's printed here? All of it.",
    "Read everything on this boarding pass.",
    "Wording please.",
    "Words only.",
    "Which platform does the timetable give for the Leeds train?",
    "What does this Vietnamese shop flyer say?",
    "Spell out the whole notice, word for word.",
    "I can't open the attachment, but here's a photo of the printout: what's in it?",
    "Pull the key terms out of this lease agreement.",
    "Does the syllabus mention a final exam date?",
    "Paste the text of this brochure back to me.",
    "What are the closing times on the museum placard?",
    "Which dishes does the printed lunch special sheet list?",
    "Tell me what the press release announces.",
    "Give the ferry notice to me in English.",
    "What's the account holder name on the bank statement?",
    "Recite the packing list.",
    "What's the headline and first paragraph of this newsletter?",
    "Does this typed permission slip need a parent signature and by when?",
    "Read off the dose schedule printed on this discharge summary.",
    "What does the Go compiler error say?",
    "Port this SQL query in the image to a pandas snippet.",
    "What does the job posting want in terms of experience?",
    "Which bills are listed on the statement as direct debits?",
    "Spell out the small printed insurance schedule, all sections.",
    "plz read out the pamphlet",
    "WHAT DOES THE BROCHURE SAY",
    "timetable to text",
    "Which stops does this bus timetable show?",
    "What modules appear on the syllabus?",
    "What's the net weight according to the product datasheet?",
    "Turn the printed visa letter into text I can quote in my application.",
    "What's the heading of the histogram?",
    "Which axis titles does the scatter plot have?",
    "Dictate the church bulletin to me.",
    "Convert the rota screenshot into plain text.",
    "Give me every word on this exam timetable in reading order.",
    "Which documents does the visa letter say I must bring?",
    "Key dates from the syllabus, please.",
    "Is a refund mentioned anywhere in the warranty card's wording?",
    "Itemise what the delivery note says was shipped.",
    "The job posting: what hours does it state?",
    "Copy the product datasheet's specs into bullet points.",
    "Tell me in English what this Polish pamphlet is about.",
    "Does the press release quote the CEO? What does she say?",
    "What does the permission slip ask parents to provide?",
    "Render the customs declaration fields as key: value pairs.",
    "Everything on the packing list into a checklist, please.",
    "What's the hotline number in the brochure?",
    "I need to cite this press release - what are its date and title?",
    ("Which medicines are named on the discharge summary?", "medical word but printed document"),
]
HO_T_LONG = [
    "My flight got moved and the airline only emailed me a picture of the new boarding pass. I'm on the bus "
    "and can't zoom properly, so could you just read out the whole thing: flight, seat, gate, boarding time, "
    "everything printed on it?",
    "We're renting a flat in Rotterdam and the agent sent the lease agreement in Dutch as photos. Please put "
    "the whole of this page into English and flag any clause about the notice period or deposit.",
    "I'm a teaching assistant and the professor handed out a printed syllabus. I've snapped a photo of page "
    "one. Can you extract the course name, the reading list and every assessment deadline as a tidy list?",
    "Our accountant needs the figures from this bank statement typed up. Every transaction line please, with "
    "date, description, amount and running balance, in the same order as printed.",
    "The landlord slipped a typed notice under the door and also sent this photo of the lease agreement page he says I breached. Please write out the exact wording of that page and explain in two sentences which clause he might be referring to.",
]

# ---------------------------------------------------------------- held-out: crop
HO_C_REGIONS = [
    "lower-right quadrant",
    "strip along the top",
    "far left column",
    "narrow band at the bottom",
    "upper-left quadrant",
    "thin border on the right",
]
HO_C_REGION = [
    "Q:zero in on the {r} - what's there",
    "Q:only care about the {r}: what does it read",
    "Q:anything written in the {r}",
    "I:tell me the text sitting in the {r}",
]
HO_C_SMALL = [
    ("engraving", "bicycle frame", "frame number"),
    ("decal", "drone", "registration mark"),
    ("etched marking", "guitar headstock", "serial code"),
    ("nameplate", "tractor", "VIN"),
    ("embossed code", "kettle base", "lot number"),
    ("decal", "e-scooter", "ID number"),
    ("wristband", "patient on the left", "name"),
    ("baggage ticket", "blue holdall", "flight code"),
    ("inspection tag", "fire extinguisher", "inspection date"),
    ("engraving", "lawnmower deck", "model code"),
    ("nameplate", "washing machine door", "model code"),
]
HO_C_SMALL_T = [
    "Q:the {s} on the {b} - what {i} does it show",
    "S:I want the {i} off the {s} on the {b}",
    "Q:which {i} is on the {s} of the {b}",
]
HO_C_NTH_OBJS = ["tram", "locker", "beach hut", "deckchair", "lantern", "kite", "tent"]
HO_C_NTH_POS = [
    "second in from the right",
    "right at the back",
    "in the centre of the row",
    "at the very end",
]
HO_C_NTH_WATER = ["kayak", "surfboard", "canoe"]
HO_C_NTH_WPOS = ["closest to the shore", "furthest out", "second in from the right"]
HO_C_NTH = [
    "Q:of all the {o}s, what shade is the one {ps}",
    "Q:the {o} {ps} - what's written on it",
    "I:look at the {o} {ps} and tell me what's painted on it",
]
HO_C_PEOPLE = [
    "the cyclist in the yellow vest",
    "the waiter behind the counter",
    "the toddler in the pram",
    "the drummer at the back",
    "the nurse by the window",
    "the runner with bib 212",
]
HO_C_PEOPLE_T = ["Q:what has {pp} got in their hands", "Q:what logo is on the cap worn by {pp}"]
HO_C_UI = [
    "the toast message at the bottom",
    "the breadcrumb trail under the header",
    "the badge on the bell icon",
    "the hover card near the cursor",
    "the greyed-out caption under the avatar",
    "the chip in the filter bar",
]
HO_C_UI_T = ["Q:what's the wording of {u}", "I:read me {u} only"]
HO_C_FIELDS = [
    "the cell where 'March' meets 'Returns'",
    "the field labelled Postcode",
    "the spot just beneath the heading 'Notes'",
    "the line marked 'Balance due'",
    "the box titled 'Emergency contact'",
]
HO_C_FIELD_T = ["Q:what's entered in {fl}", "I:read off whatever sits in {fl}"]
HO_C_ZOOM_T = [
    "crest on the flag",
    "sponsor logo on the sleeve",
    "small print on the ticket stub",
    "inscription on the bench",
    "plaque at the base of the statue",
]
HO_C_ZOOM = ["I:punch in on the {zt}", "I:get in close on the {zt} and say what it reads"]
HO_C_HAND = [
    "What registration is on the tow truck?",
    "What's on the camper van's number plate?",
    "Which rego is on the ute parked on the kerb?",
    "Just the lower-right quadrant: any text?",
    "Forget the rest, the thin strip at the top reads what?",
    "The fourth locker in the top row - what's written on it?",
    "Which word is on the little flag at the top of the mast?",
    "What is the small print at the foot of the ticket?",
    "Read the embossed number on the credit card in her hand.",
    "What's the figure in the 'Returns' column for March?",
    "There's a tiny tag on the teddy bear's ear. What does it say?",
    "What's on the patch sewn onto the left sleeve?",
    "Which word is stencilled on the crate at the bottom of the stack?",
    "What does the printed price card next to the cheese say?",
    "What model is the phone the guy at the back is holding?",
    "What does the little grey caption below the chart say?",
    "Only the area inside the green outline, please: what's in it?",
    "What's written inside the speech balloon of the dog?",
    "Look at the second bus stop sign in the distance: which route numbers?",
    "The smallest label on the vial rack, what's on it?",
    "On the keyboard, which key has a sticker and what does it say?",
    "What's on the name card in front of the third panellist?",
    "What's engraved on the back of the pocket watch?",
    "What does the shop awning on the far right read?",
    "Read the badge on the lanyard of the woman by the lift.",
    "What's the date printed on the newspaper the man is reading?",
    "Which flavour is the ice lolly the kid on the left has?",
    "In the photo of the fridge door, what does the magnet in the top corner say?",
    "what is the rego of the white ute",
    "ZOOM ON THE LITTLE BADGE",
    "What does the tiny print under the QR code say?",
    "Which band name is on the guitar case sticker by the amp?",
    "Read the text on the buoy nearest the pier.",
    "What's stitched on the collar tag of the jacket on the left hanger?",
    "Only the rear bumper sticker of the camper van: what's it say?",
    "The price on the smallest pumpkin at the front - what is it?",
    "Which station name is on the tiny sign at the far end of the platform?",
    "The second monitor from the left has an error up - what does the error read?",
    "What's the jockey's number on the horse at the back?",
    "In the bottom margin there's a printed note. What is it?",
    "What's the batch number on the lid of the third jar along?",
    "Read only the subtitle line at the bottom of this film frame.",
    "What's on the scoreboard in the upper corner of the broadcast?",
    "What's on the luggage label of the red suitcase?",
    "The small grey footnote under the pricing card - what does it say?",
    "Which word is on the balloon the girl at the front holds?",
    "What's the flight number on the departure screen behind the check-in desk?",
]
HO_C_LONG = [
    "This is a wide shot of the marina from the clubhouse. There are dozens of boats, but I only want the "
    "name painted on the stern of the white yacht moored second from the left. Can you make it out?",
    "Got a photo of the whole back panel of the washing machine. Somewhere near the bottom there's a little "
    "silver nameplate: could you read me the model code from it so I can order the right part?",
    "The festival wristband of the person in the foreground has a printed code on it. Ignore everything "
    "else in the photo; I just need that code.",
    "In this spreadsheet capture I only need one figure: the cell where the 'March' row meets the 'Returns' "
    "column. Don't summarise anything else.",
    "This is a wide shot of the sports hall during the exam. I only need the number written on the small printed card taped to the desk in the third row, second seat from the window; everything else in the photo is irrelevant, so please don't describe it.",
]

# ---------------------------------------------------------------- held-out: full_low
HO_F_PHOTOS = [
    "this postcard",
    "the drone shot",
    "this film still",
    "the wedding photo",
    "this Polaroid",
    "the stock photo",
    "the mural",
    "this watercolour",
    "the album cover",
    "this travel snap",
    "the farmhouse photo",
    "this sunrise shot",
]
HO_F_GIST = [
    "Q:in a sentence, what's {p} of",
    "I:tag {p} with three keywords",
    "Q:would you call {p} calm or chaotic",
    "Q:which season does {p} suggest",
    "Q:what's the overall palette of {p}",
    "Q:how would you sum up the feel of {p}",
    "Q:is {p} urban or rural",
    "Q:is {p} an interior shot",
    "Q:does {p} look chilly",
    "Q:golden hour or midday in {p}",
    "Q:is it overcast in {p}",
]
HO_F_SUBJECTS = [
    "tram",
    "coat",
    "kettle",
    "kayak",
    "front door",
    "umbrella",
    "tractor",
    "parrot",
    "lantern",
    "armchair",
]
HO_F_COLOUR = ["Q:is the {sj} mostly one colour, and which", "Q:what shade would you call the {sj}"]
HO_F_PAIRS = [
    ("hamster", "guinea pig"),
    ("tram", "bus"),
    ("lighthouse", "windmill"),
    ("owl", "parrot"),
    ("castle", "cathedral"),
    ("sheep", "goat"),
    ("ferry", "cruise ship"),
    ("marsh", "meadow"),
]
HO_F_PAIR_T = ["Q:is that {aa} or {bb}", "Q:would you say {aa} or {bb}"]
HO_F_DESIGN = [
    "the album cover",
    "this book jacket",
    "the invitation card",
    "the restaurant website",
    "this mobile game screen",
    "the wedding stationery",
]
HO_F_DESIGN_T = ["Q:what visual style is {dz} going for", "I:give me a two-word verdict on how {dz} looks"]
HO_F_CHARTS = [
    "this visualisation",
    "the figure in the paper",
    "this time-series plot",
    "the polar plot",
    "this heatmap",
    "the scatter plot",
    "this histogram",
    "the stacked area chart",
]
HO_F_CHARTGIST = [
    "Q:in a few words, what is {ch} illustrating",
    "I:give {ch} a one-line alt text",
    "Q:what's the topic of {ch}",
    "Q:what subject does {ch} cover",
    "Q:roughly what is {ch} a picture of",
]
HO_F_HAND = [
    "Which creature is this?",
    "Give me the gist.",
    "Caption it.",
    "Vibe check?",
    "Would you say this was shot in the tropics?",
    "City break or countryside escape, judging by this photo?",
    "What's the general scene in this drone footage still?",
    "Is the parrot the main subject here?",
    "Name the animal, nothing else.",
    "Roughly, what's the setting of this film still?",
    "What genre of scene is this: sport, nature, street?",
    "Comment on the brochure's visual style.",
    "Does this mural feel joyful or sombre?",
    "Is the tram mostly yellow?",
    "Is that a meadow or a marsh?",
    "Is this a hospital corridor or a hotel hallway?",
    "What sort of celebration does this Polaroid show?",
    "Does the album cover feel retro?",
    "Is the farmhouse kitchen rustic-looking?",
    "Is this a sheep farm?",
    "What is going on in this wedding photo, broadly?",
    "Festive or everyday?",
    "Does it look chilly out?",
    "Is this a harbour town or an inland village?",
    "Pick one adjective for this landscape.",
    "What is the kayak's colour?",
    "What kind of shop front is this, bakery or butcher?",
    "Is this scene from a film or real life?",
    "what colour is the tractor",
    "WAS THIS TAKEN AFTER DARK",
    "Is the overall look of this dashboard light or dark themed?",
    "Give this watercolour a title.",
    "Would this work as a phone wallpaper?",
    "Would you describe this as a lively market or a quiet one?",
    "Broadly, what's pictured?",
    "Is the owl the only animal here?",
    "Just the general impression: cluttered or tidy?",
    "Is it high summer in this travel snap?",
    "Coastal or mountainous setting?",
    "Is the lighthouse red and white?",
    "Does the mural look more like street art or a classic fresco?",
    "One word for the mood of this sunrise shot?",
    "Is this a zoo enclosure or the wild?",
    "Is the parrot mostly green or mostly blue?",
    "Pick a genre for this film still: horror, comedy or drama?",
    "Is this farmhouse kitchen warm-toned?",
    "What is the girl in this Polaroid up to, broadly?",
    "Does the restaurant website's look feel upmarket?",
]
HO_F_LONG = [
    "We're picking a hero image for the travel blog and I just want your gut reaction: does this postcard-"
    "style shot say relaxing seaside getaway, or does it feel more like a busy tourist trap? Keep it short.",
    "My nan found this Polaroid in a shoebox and wants to know roughly what's going on in it. No need for "
    "details, just the kind of occasion and the general mood.",
    "For a mood board, tell me the overall palette and feel of this watercolour in a few words; I don't need "
    "you to describe every object in it.",
    "This is a still from a short film I shot. Broadly speaking, does the scene read as indoors or outdoors, "
    "and what time of day does it feel like?",
    "I'm making a slideshow for my parents' anniversary and need to group the photos by feel. Without going into detail about people or objects, would you say this one belongs in the 'cosy and intimate' group or the 'big lively party' group?",
]

# ---------------------------------------------------------------- held-out: preserve
HO_P_COUNT_OBJS = [
    "sheep",
    "balconies",
    "candles",
    "ducks",
    "tiles",
    "bolts",
    "seeds",
    "crates",
    "wheels",
    "chimneys",
    "sailboats",
    "lanterns",
]
HO_P_COUNT = [
    "Q:what's the exact number of {o}",
    "I:tally up the {o}",
    "S:number of {o} visible - exact please",
]
HO_P_HANDS = [
    "the cursive letter",
    "the chalkboard",
    "my pencil notes",
    "the scrawl on this napkin",
    "the birthday card",
    "the postcard my gran wrote",
    "this field notebook page",
    "the lab notebook entry",
]
HO_P_HAND = ["I:decipher {h}", "I:make out the words in {h}", "I:put {h} into typed text"]
HO_P_MATHS = [
    "this derivation",
    "the matrix",
    "this proof",
    "the summation",
    "the chemical structure",
    "the Fourier transform",
    "the vector calculus step",
]
HO_P_MATH = ["I:typeset {m} properly", "I:work through {m}", "Q:is there a mistake in {m}"]
HO_P_CHARTS = [
    "histogram",
    "scatter plot",
    "area chart",
    "candlestick chart",
    "radar chart",
    "heatmap",
    "box plot",
    "funnel chart",
]
HO_P_CHART = [
    "Q:which part of the {ch} peaks highest",
    "Q:roughly what y-value does the top point in the {ch} have",
    "I:read off the {ch} values for each quarter",
]
HO_P_UI_EL = ["hamburger menu", "modal", "toggle switch", "cookie banner", "floating action button"]
HO_P_UI = [
    "Q:is the {el} flush with the edge",
    "Q:is the {el} centred in the viewport",
    "Q:how many pixels separate the {el} from the top",
]
HO_P_DIAGS = ["wiring schematic", "UML class diagram", "org chart", "Venn diagram", "floor plan"]
HO_P_DIAG = ["I:follow the connections in the {dg} and explain them", "Q:what links to what in the {dg}"]
HO_P_DEFECTS = [
    ("dent", "the car door"),
    ("rust spots", "the bike chain"),
    ("hairline fracture", "the pipe"),
    ("stitching flaws", "the denim"),
    ("peeling paint", "the hull"),
    ("corrosion", "the battery terminal"),
]
HO_P_DEFECT = ["Q:can you spot any {df} on {ob}", "I:assess {ob} for {df}"]
HO_P_MEDS = [
    "the ultrasound",
    "the CT scan",
    "this dental radiograph",
    "the petri dish",
    "this spectrogram",
    "the retina scan",
    "the gel electrophoresis image",
    "the pathology slide",
]
HO_P_MED = ["Q:anything concerning on {s}", "Q:what do you make of {s}"]
HO_P_GAUGES = [
    "the speedometer",
    "the fuel gauge",
    "the barometer",
    "the wristwatch face",
    "the oven dial",
    "the kitchen scale dial",
]
HO_P_GAUGE = ["Q:where's the needle on {g}", "Q:what is {g} indicating"]
HO_P_HAND_LINES = [
    "Headcount, please.",
    "Decipher my scrawl.",
    "What did Gran write in the birthday card?",
    "Read this cursive, it's from 1952.",
    "Typeset this summation in LaTeX.",
    "Which histogram bin is tallest?",
    "Where's the logout link?",
    "Is the modal centred?",
    "Which regions overlap in this Venn diagram?",
    "Who reports to the CFO in this org chart?",
    "Any hairline fracture in this ultrasound?",
    "What hour is the wristwatch showing?",
    "What's the speed on the speedometer?",
    "Which ski run on this ski map is the easiest way down from the top lift?",
    "Are these before-and-after photos of the wall identical?",
    "Which of the two prints is sharper?",
    "Point out every discrepancy between the two label proofs.",
    "Is the weave of this denim uneven anywhere?",
    "How many chimneys does the terrace have?",
    "Tally the sheep in the field.",
    "Is the kitchen tile grout cracked anywhere?",
    "Is the lobby clock showing quarter past?",
    "Where do the metro lines intersect?",
    "Does the floor plan show a door between the kitchen and garage?",
    "What's the colony count in this petri dish?",
    "Which frequency is loudest in the spectrogram?",
    "Is there bleeding visible in the CT scan?",
    "Check the derivation on the chalkboard line by line.",
    "Is the cookie banner covering the footer links?",
    "What's the barometer pressure reading?",
    "how many ducks",
    "COUNT THE CANDLES ON THE CAKE",
    "What does my chemistry teacher's red-pen comment say?",
    "Estimate the median from this box plot.",
    "Which day is hottest on the heatmap?",
    "Where is the nearest first-aid tent on the festival site map?",
    "On this trail map, which path loops back to the car park fastest?",
    "Which metro line links the two stations circled on the metro map?",
    "Where on the zoo map are the penguins relative to the main gate?",
    "Using the ski map, which lift serves the red run on the far side?",
    "Is the needle on the fuel gauge below a quarter?",
    "How many balconies have flower boxes?",
    "How many of the crates are damaged?",
    "Which of these two X-rays shows the wider joint gap?",
    "Is the toggle switch in the on position?",
    "Where does the floor plan put the fire exits?",
    "Does the hull show any hairline cracks near the waterline?",
    "Compare the two retina scans: any new spots?",
    "What's the exact RGB value of the modal's background?",
    "Check each step of the proof in this photo of the board for errors.",
    "Is the festival site map's stage closer to gate A or gate B?",
]
HO_P_LONG = [
    "I'm doing a stock take at the builder's yard and this photo shows one pallet from above. I need the "
    "exact number of bolts in the tray; please count carefully and tell me if any are hidden by the others.",
    "Attached is my late grandfather's field notebook page, written in pencil and quite faded. Could you make "
    "out as many words as possible and mark the ones you're guessing?",
    "Our new landing page has a floating action button and a cookie banner. On this capture, is the button "
    "flush with the right edge, and does the banner overlap it at all?",
    "This is a scatter plot from a lab report without any data labels. Could you estimate the coordinates of "
    "the outlier in the upper right and say roughly what slope the main cluster follows?",
    "Our quality team snapped this close-up of a weld on a steel bracket. Please inspect it carefully for porosity, undercut or hairline cracks, and if you find anything, describe where on the seam it is relative to the bolt hole on the left.",
]

# ---------------------------------------------------------------- held-out: hard pairs
HO_HARD_PAIRS = [
    (
        "What is this scatter plot illustrating?",
        F,
        "Which point in this scatter plot is the outlier?",
        P,
        "chart gist vs one mark",
    ),
    (
        "Summarise what the figure depicts in a phrase.",
        F,
        "Roughly where does the curve in the figure level off?",
        P,
        "chart gist vs reading the curve",
    ),
    (
        "Read the boarding pass.",
        T,
        "Read the seat number on the tiny sticker on the seat back.",
        C,
        "whole doc vs small sticker",
    ),
    (
        "What shade is the tram?",
        F,
        "What shade is the last tram carriage on the right?",
        C,
        "single subject vs one of many",
    ),
    (
        "Read out this typed postcard.",
        T,
        "Read out this postcard someone wrote by hand.",
        P,
        "typed vs handwritten",
    ),
    (
        "What's the heading on the radar chart?",
        T,
        "Which axis of the radar chart reaches furthest out?",
        P,
        "chart text vs marks",
    ),
    (
        "Condense the brochure into two lines.",
        T,
        "Comment on the brochure's colour palette.",
        F,
        "text vs look",
    ),
    (
        "What's the balance due on the bank statement?",
        T,
        "What figure sits beside 'Balance due' in the lower box?",
        C,
        "field by meaning vs located field",
    ),
    ("Write out this paragraph.", T, "Write out this derivation in LaTeX.", P, "prose vs maths"),
    ("Which sort of vehicle is pictured?", F, "Wheels: how many in total?", P, "category vs count"),
    (
        "What does the timetable say for platform 4?",
        T,
        "What hour is the platform clock pointing to?",
        P,
        "printed vs clock",
    ),
    (
        "How would you describe this dashboard's palette overall?",
        F,
        "How far apart are the two KPI cards in pixels?",
        P,
        "gist vs layout",
    ),
    (
        "Give me the wording on the plaque.",
        T,
        "Give me the wording on the little plaque at the foot of the statue in the background.",
        C,
        "main text vs far small plaque",
    ),
    ("Is the kitchen modern or rustic?", F, "Is the kitchen worktop chipped anywhere?", P, "gist vs defect"),
    (
        "Turn this price sheet into a spreadsheet.",
        T,
        "Turn this scatter plot into a spreadsheet of points.",
        P,
        "printed numbers vs marks",
    ),
    ("What's the vibe of this gig poster?", F, "What's the text of this gig poster?", T, "mood vs text"),
    (
        "Where's the logout link in this capture?",
        P,
        "What does the link at the very bottom of the menu read?",
        C,
        "position vs located text",
    ),
    ("Explain this Rust snippet.", T, "Explain this UML class diagram.", P, "code vs diagram"),
    ("Is this a hotel lobby?", F, "Is the hotel lobby clock at ten past?", P, "scene vs clock"),
    (
        "What's the sender's address on this typed letter?",
        T,
        "What's the address scribbled on the envelope?",
        P,
        "printed vs handwritten",
    ),
    (
        "In broad terms, what does the drone shot capture?",
        F,
        "How many rooftops in the drone shot are solar-panelled?",
        P,
        "gist vs count",
    ),
    (
        "What is the cyclist doing?",
        F,
        "What is the cyclist second from the front drinking?",
        C,
        "single vs one of many",
    ),
    ("Read the packing list.", T, "Read the packing list written in biro.", P, "printed vs handwritten"),
    (
        "Which gate does the boarding pass show?",
        T,
        "Which gate number is on the departure board in the far corner?",
        C,
        "doc field vs far region",
    ),
]


# =====================================================================================
# 4. build
# =====================================================================================

# Terms used ONLY in the held-out material; the build fails if any appears in a training line.
HELDOUT_ONLY_TERMS = [
    "boarding pass",
    "lease",
    "warranty card",
    "bank statement",
    "timetable",
    "press release",
    "syllabus",
    "brochure",
    "pamphlet",
    "delivery note",
    "customs declaration",
    "parking permit",
    "job posting",
    "discharge summary",
    "church bulletin",
    "insurance schedule",
    "packing list",
    "newsletter",
    "visa letter",
    "datasheet",
    "permission slip",
    "concert ticket",
    "dutch",
    "polish",
    "turkish",
    "vietnamese",
    "greek",
    "swahili",
    "czech",
    "hebrew",
    "finnish",
    "rust",
    "kotlin",
    "yaml",
    "dockerfile",
    "terraform",
    "swift",
    "quadrant",
    "engraving",
    "engraved",
    "decal",
    "nameplate",
    "wristband",
    "imei",
    "vin",
    "kayak",
    "tram",
    "locker",
    "beach hut",
    "surfboard",
    "deckchair",
    "canoe",
    "toast message",
    "breadcrumb",
    "postcode",
    "postcard",
    "drone",
    "film still",
    "polaroid",
    "mural",
    "watercolour",
    "album cover",
    "sheep",
    "balconies",
    "candles",
    "ducks",
    "crates",
    "cursive",
    "chalkboard",
    "scrawl",
    "birthday card",
    "derivation",
    "matrix",
    "histogram",
    "scatter",
    "candlestick",
    "heatmap",
    "box plot",
    "hamburger menu",
    "modal",
    "uml",
    "org chart",
    "venn",
    "floor plan",
    "before and after",
    "dent",
    "hairline",
    "corrosion",
    "ultrasound",
    "ct scan",
    "radiograph",
    "petri",
    "spectrogram",
    "retina",
    "speedometer",
    "fuel gauge",
    "barometer",
    "wristwatch",
    "sundial",
    "trail map",
    "metro map",
    "ski map",
    "rego",
    "gig poster",
    "radar chart",
    "plaque",
]


def build(
    lines: list[tuple[str, str, list[str]]],
    rng: random.Random,
    context_pool: list[str],
    frames: dict,
    templated: list[tuple[str, str, list[tuple[str, str]]]],
    own_streams: Sequence[tuple[str, str, list[tuple[str, str]], random.Random]] = (),
) -> list[dict]:
    """lines: fixed (already-worded) lines. templated: (label, template_id, [(base, kind)]).
    own_streams: families added later, framed and augmented with their own random stream, after the
    others, so that adding one leaves every other line byte-identical."""
    items: list[tuple[str, str, list[str], bool, random.Random]] = []
    for text, label, notes in lines:
        items.append((text, label, notes, "hard pair" not in " ".join(notes), rng))
    families = [(label, tid, bases, rng) for label, tid, bases in templated] + list(own_streams)
    for label, tid, bases, frng in families:
        for base, kind in bases:
            text, fnotes = frame(base, kind, frng, frames)
            notes = [f"template {tid}"] + fnotes
            if frng.random() < 0.07:
                text = frng.choice(context_pool) + " " + text
                notes.append("multi-sentence")
            items.append((text, label, notes, True, frng))
    out: list[dict] = []
    seen: set[str] = set()
    for text, label, notes, do_aug, arng in items:
        if do_aug:
            text, notes = augment(text, notes, arng)
        text = re.sub(r"\s+", " ", text).strip()
        key = norm(text)
        if key in seen or len(text.split()) < 2:
            continue
        seen.add(key)
        out.append(
            {"query": text, "technique": label, "notes": "; ".join(dict.fromkeys(n for n in notes if n))}
        )
    rng.shuffle(out)
    return out


def fixed_lines(hand: dict, long: dict, pairs: list) -> list[tuple[str, str, list[str]]]:
    res: list[tuple[str, str, list[str]]] = []
    for a, la, b, lb, why in pairs:
        res.append((a, la, [f'hard pair: vs "{b}" ({why})']))
        res.append((b, lb, [f'hard pair: vs "{a}" ({why})']))
    for label, entries in hand.items():
        for e in entries:
            text, note = e if isinstance(e, tuple) else (e, "")
            notes = ["hand-written"] + ([note] if note else [])
            if len(text.split()) <= 3:
                notes.append("short")
            res.append((text, label, notes))
    for label, entries in long.items():
        for text in entries:
            n = len(text.split())
            res.append((text, label, ["hand-written", "multi-sentence", f"{n} words"]))
    return res


def training_templated(rng: random.Random) -> list[tuple[str, str, list[tuple[str, str]]]]:
    tl = []

    def add(label: str, tid: str, pats: list[str], rws: list[dict], k: int) -> None:
        tl.append((label, tid, expand(pats, rws, k, rng)))

    # transcode
    add(T, "T_READ", TR_T_READ, rows(d=TR_T_DOCS), 150)
    add(T, "T_SUMM", TR_T_SUMM, rows(s=TR_T_SUMM_DOCS), 85)
    add(
        T,
        "T_TRANS",
        TR_T_TRANS,
        [r for r in rows(f=TR_T_FOREIGN, l=TR_T_LANGS) if r["l"].split()[-1] not in r["f"]],
        70,
    )
    add(T, "T_FIELD", TR_T_FIELD, [{"f": f, "d": d} for f, ds in TR_T_FIELDS for d in ds], 80)
    add(T, "T_TABLE", TR_T_TABLE, rows(t=TR_T_TABLES, fmt=TR_T_FORMATS), 55)
    add(T, "T_CODE_SNIP", TR_T_CODE_SNIP, rows(c=TR_T_CODE_SNIPS), 40)
    add(T, "T_CODE_ERR", TR_T_CODE_ERR, rows(e=TR_T_CODE_ERRS), 38)
    add(T, "T_LIST", TR_T_LIST, [{"x": x, "d": d} for x, ds in TR_T_LISTS for d in ds], 50)
    add(T, "T_SIGN", TR_T_SIGN, rows(sg=TR_T_SIGNS), 40)
    # crop
    add(C, "C_REGION_A", TR_C_REGION_A, rows(r=TR_C_PARTS), 35)
    add(C, "C_REGION_C", TR_C_REGION_C, rows(r=TR_C_CORNERS), 15)
    add(C, "C_REGION_B", TR_C_REGION_B, rows(r=TR_C_CORNERS, img=TR_C_IMGS), 60)
    sub = [{"s": s, "b": b, "id": i} for b, ids in TR_C_DEVICES.items() for i in ids for s in TR_C_DEV_TAGS]
    sub += [{"s": s, "b": b, "id": i} for b, ids in TR_C_PKGS.items() for i in ids for s in TR_C_PKG_TAGS]
    add(C, "C_SUBOBJ", TR_C_SUBOBJ, sub, 120)
    nth = (
        rows(oc=TR_C_NTH_COLOUR_OBJS, pos=TR_C_POS)
        + rows(ob=TR_C_NTH_BRAND_OBJS, pos=TR_C_POS)
        + rows(ot=TR_C_NTH_TEXT_OBJS, pos=TR_C_POS)
    )
    add(C, "C_NTH", TR_C_NTH, nth, 75)
    add(C, "C_PEOPLE", TR_C_PEOPLE_T, rows(pp=TR_C_PEOPLE), 40)
    add(C, "C_UI", TR_C_UI, rows(u=TR_C_UI_ELEMS, ul=TR_C_UI_LOCS), 55)
    add(C, "C_FIELD_A", TR_C_FIELD_A, rows(lab=TR_C_LABS) + rows(box=TR_C_BOXES), 50)
    add(C, "C_FIELD_B", TR_C_FIELD_B, rows(n=["2", "3", "4", "5", "7"], m=["2", "3", "4"], col=TR_C_COLS), 30)
    add(C, "C_ZOOM", TR_C_ZOOM, rows(zv=TR_C_ZOOM_VERBS, t=TR_C_ZOOM_TARGETS), 60)
    add(C, "C_PLATE", TR_C_PLATE, rows(v=TR_C_VEHICLES), 30)
    add(C, "C_FAR", TR_C_FAR_T, rows(far=TR_C_FAR), 40)
    # full_low
    add(F, "F_DESC", TR_F_DESC, rows(p=TR_F_PHOTOS), 110)
    add(F, "F_SCENE", TR_F_SCENE, rows(p=TR_F_SCENE_PHOTOS), 70)
    add(F, "F_CAT_A", TR_F_CAT_A, [{"aa": art(a), "bb": art(b)} for a, b in TR_F_PAIRS], 40)
    add(F, "F_CAT_B", TR_F_CAT_B, rows(c=TR_F_CATS, p=TR_F_SCENE_PHOTOS), 45)
    add(F, "F_MOOD", TR_F_MOOD, rows(p=TR_F_PHOTOS), 65)
    add(F, "F_COLOUR_A", TR_F_COLOUR_A, rows(sc=TR_F_SINGLES), 45)
    add(F, "F_COLOUR_B", TR_F_COLOUR_B, rows(p=TR_F_PHOTOS), 40)
    add(F, "F_WEATHER", TR_F_WEATHER, rows(p=TR_F_SCENE_PHOTOS), 55)
    add(F, "F_DESIGN", TR_F_DESIGN, rows(t=TR_F_DESIGN_T), 65)
    add(F, "F_PRESENCE", TR_F_PRESENCE, rows(ax=[art(x) for x in TR_F_PRESENCE_X], p=TR_F_SCENE_PHOTOS), 40)
    # preserve
    add(P, "P_COUNT", TR_P_COUNT, rows(o=TR_P_COUNT_OBJS), 85)
    add(P, "P_HAND", TR_P_HAND, rows(h=TR_P_HANDS), 75)
    add(P, "P_MATH", TR_P_MATH, rows(m=TR_P_MATHS), 50)
    add(
        P,
        "P_CHART",
        TR_P_CHART,
        rows(bar=TR_P_BARS, mo=TR_P_MONTHS) + rows(ln=TR_P_LINES, mo=TR_P_MONTHS) + rows(pie=TR_P_PIES),
        75,
    )
    ui = (
        rows(btn=TR_P_UI_BTNS, scr=TR_P_UI_SCR)
        + rows(icon=TR_P_UI_ICONS, scr=TR_P_UI_SCR)
        + [{"el": a, "el2": b} for a, b in itertools.permutations(TR_P_UI_EL, 2)]
    )
    add(P, "P_UI", TR_P_UI, ui, 60)
    add(P, "P_DIAG", TR_P_DIAG, rows(d=TR_P_DIAGRAMS), 40)
    add(P, "P_DIFF", TR_P_DIFF, rows(x=TR_P_DIFFS), 30)
    add(
        P,
        "P_DEFECT",
        TR_P_DEFECT,
        [r for dfs, objs in TR_P_DEFECT_GROUPS for r in rows(df=dfs, dobj=objs)] + rows(tx=TR_P_TEXTURES),
        50,
    )
    add(P, "P_MED", TR_P_MED, rows(s=TR_P_MEDS), 50)
    add(P, "P_GAUGE", TR_P_GAUGE, rows(clk=TR_P_CLOCKS) + rows(g=TR_P_GAUGES), 35)
    add(
        P,
        "P_MAP",
        TR_P_MAP,
        [r for r in rows(a=TR_P_PLACES, b=TR_P_PLACES, mp=TR_P_MAPS) if r["a"] != r["b"]],
        40,
    )
    add(
        P,
        "P_POS",
        TR_P_POS,
        [{"x": a, "y": b} for a, b in itertools.permutations(TR_P_POS_X, 2)] + rows(x=TR_P_POS_SINGLE),
        30,
    )
    # added for the issue-4 targets (see "Addendum" in README.md)
    add(T, "T_BARE", TR_T_BARE, rows(im=TR_T_BARE_IMGS), 100)
    add(T, "T_KIE", TR_T_KIE, [{"f": f, "d": d} for fs, ds in TR_T_KIE_FIELDS for f in fs for d in ds], 80)
    add(T, "T_DOCQ", TR_T_DOCQ, rows(dq=TR_T_DOCQ_DOCS), 70)
    add(T, "T_DOCQ_TABLE", TR_T_DOCQ_T, rows(tq=TR_T_DOCQ_TABLES, mt=TR_T_DOCQ_METRICS), 25)
    scene = rows(pr=TR_T_SCENE_PRODUCTS) + rows(dv=TR_T_SCENE_DEVICES) + rows(sh=TR_T_SCENE_SHOPS)
    add(T, "T_SCENE", TR_T_SCENE, scene + rows(vh=TR_T_SCENE_VEH), 70)
    add(T, "T_SCENE_B", TR_T_SCENE_B, rows(so=TR_T_SCENE_OBJS), 25)
    add(C, "C_PART", TR_C_PART, [{"pt": p, "po": o} for o, ps in TR_C_PARTS_OF.items() for p in ps], 50)
    add(C, "C_SMALL", TR_C_SMALL, rows(sm=TR_C_SMALLS, sl=TR_C_SMALL_LOCS), 70)
    add(F, "F_TEXTSUBJ", TR_F_TEXTSUBJ_T, rows(ts=TR_F_TEXTSUBJ), 60)
    add(P, "P_HANDREAD", TR_P_HANDREAD, rows(im=TR_P_HANDREAD_IMGS), 55)
    return tl


def heldout_templated(rng: random.Random) -> list[tuple[str, str, list[tuple[str, str]]]]:
    tl = []

    def add(label: str, tid: str, pats: list[str], rws: list[dict], k: int) -> None:
        tl.append((label, tid, expand(pats, rws, k, rng)))

    add(T, "HO_T_READ", HO_T_READ, rows(d=HO_T_DOCS), 30)
    add(T, "HO_T_TRANS", HO_T_TRANS, rows(L=HO_T_LANGS, fd=HO_T_FDOCS), 15)
    add(T, "HO_T_FIELD", HO_T_FIELD, [{"f": f, "d": d} for f, d in HO_T_FIELDS], 16)
    add(T, "HO_T_CODE", HO_T_CODE_T, rows(c=HO_T_CODE), 14)
    add(T, "HO_T_TABLE", HO_T_TABLE, rows(tb=HO_T_TABLES, fm=HO_T_FMTS), 8)
    add(C, "HO_C_REGION", HO_C_REGION, rows(r=HO_C_REGIONS), 16)
    add(C, "HO_C_SMALL", HO_C_SMALL_T, [{"s": s, "b": b, "i": i} for s, b, i in HO_C_SMALL], 20)
    add(
        C,
        "HO_C_NTH",
        HO_C_NTH,
        rows(o=HO_C_NTH_OBJS, ps=HO_C_NTH_POS) + rows(o=HO_C_NTH_WATER, ps=HO_C_NTH_WPOS),
        24,
    )
    add(C, "HO_C_PEOPLE", HO_C_PEOPLE_T, rows(pp=HO_C_PEOPLE), 10)
    add(C, "HO_C_UI", HO_C_UI_T, rows(u=HO_C_UI), 10)
    add(C, "HO_C_FIELD", HO_C_FIELD_T, rows(fl=HO_C_FIELDS), 8)
    add(C, "HO_C_ZOOM", HO_C_ZOOM, rows(zt=HO_C_ZOOM_T), 8)
    add(F, "HO_F_GIST", HO_F_GIST, rows(p=HO_F_PHOTOS), 38)
    add(F, "HO_F_COLOUR", HO_F_COLOUR, rows(sj=HO_F_SUBJECTS), 14)
    add(F, "HO_F_PAIR", HO_F_PAIR_T, [{"aa": art(a), "bb": art(b)} for a, b in HO_F_PAIRS], 12)
    add(F, "HO_F_DESIGN", HO_F_DESIGN_T, rows(dz=HO_F_DESIGN), 10)
    add(P, "HO_P_COUNT", HO_P_COUNT, rows(o=HO_P_COUNT_OBJS), 14)
    add(P, "HO_P_HAND", HO_P_HAND, rows(h=HO_P_HANDS), 12)
    add(P, "HO_P_MATH", HO_P_MATH, rows(m=HO_P_MATHS), 9)
    add(P, "HO_P_CHART", HO_P_CHART, rows(ch=HO_P_CHARTS), 12)
    add(P, "HO_P_UI", HO_P_UI, rows(el=HO_P_UI_EL), 8)
    add(P, "HO_P_DIAG", HO_P_DIAG, rows(dg=HO_P_DIAGS), 7)
    add(P, "HO_P_DEFECT", HO_P_DEFECT, [{"df": d, "ob": o} for d, o in HO_P_DEFECTS], 8)
    add(P, "HO_P_MED", HO_P_MED, rows(s=HO_P_MEDS), 10)
    add(P, "HO_P_GAUGE", HO_P_GAUGE, rows(g=HO_P_GAUGES), 8)
    return tl


def own_stream(
    label: str, tid: str, pats: list[str], rws: list[dict], k: int, seed: int
) -> tuple[str, str, list[tuple[str, str]], random.Random]:
    """A family added after the files were first written, drawn, framed and augmented with a random
    stream of its own (see ``build``), so that adding it leaves every other line unchanged."""
    rng = random.Random(seed)
    return label, tid, expand(pats, rws, k, rng), rng


def write_jsonl(path: Path, recs: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    rng = random.Random(TRAIN_SEED)
    train = build(
        fixed_lines(
            {T: TR_T_HAND + TR_T_BARE_HAND + TR_T_SCENE_HAND, C: TR_C_HAND, F: TR_F_HAND, P: TR_P_HAND_LINES},
            {T: TR_T_LONG, C: TR_C_LONG, F: TR_F_LONG, P: TR_P_LONG},
            TR_HARD_PAIRS,
        ),
        rng,
        TR_CONTEXTS,
        TR_FRAMES,
        training_templated(rng),
        # README "Addendum 7"
        [own_stream(F, "F_CHARTGIST", TR_F_CHARTGIST, rows(ch=TR_F_CHARTS), 60, TRAIN_SEED + 7)],
    )

    hrng = random.Random(HELDOUT_SEED)
    held = build(
        fixed_lines(
            {T: HO_T_HAND, C: HO_C_HAND, F: HO_F_HAND, P: HO_P_HAND_LINES},
            {T: HO_T_LONG, C: HO_C_LONG, F: HO_F_LONG, P: HO_P_LONG},
            HO_HARD_PAIRS,
        ),
        hrng,
        HO_CONTEXTS,
        HO_FRAMES,
        heldout_templated(hrng),
        [own_stream(F, "HO_F_CHARTGIST", HO_F_CHARTGIST, rows(ch=HO_F_CHARTS), 14, HELDOUT_SEED + 7)],
    )

    # --- checks -----------------------------------------------------------------------
    train_keys = {norm(r["query"]) for r in train}
    clash = [r["query"] for r in held if norm(r["query"]) in train_keys]
    assert not clash, f"held-out lines also in training: {clash[:5]}"
    leaks = []
    for r in train:
        k = " " + norm(r["query"]) + " "
        for term in HELDOUT_ONLY_TERMS:
            if " " + norm(term) + " " in k:
                leaks.append((term, r["query"]))
    assert not leaks, f"held-out-only vocabulary used in training: {leaks[:10]}"
    for name, recs, lo_total, lo_class in (("train", train, 2600, 550), ("heldout", held, 500, 110)):
        counts = {lab: sum(r["technique"] == lab for r in recs) for lab in LABELS}
        assert len(recs) >= lo_total and min(counts.values()) >= lo_class, (name, len(recs), counts)

    write_jsonl(HERE / "queries.jsonl", train)
    write_jsonl(HERE / "heldout.jsonl", held)
    for name, recs in (("queries.jsonl", train), ("heldout.jsonl", held)):
        counts = {lab: sum(r["technique"] == lab for r in recs) for lab in LABELS}
        print(f"{name}: {len(recs)} lines {counts}")


if __name__ == "__main__":
    main()
