"""CROP benchmark: does the crop keep the answer, and what does it cost?

Every case is drawn here (Pillow, the bundled TrueType font): forms, receipts, invoices, dashboards,
charts and screenshots, each with a question about one named field or place and the answer string
known. Per case:

1. the embedded analyzer measures the image (its time is the router's, reported apart);
2. ``QueryRegionLocator.locate_detailed`` finds the region (OCR cache cleared first, so the OCR time
   is a real read), timed as OCR vs the rest;
3. ``ImageCompressor`` with a ``FusedRouter`` whose query classifier always says CROP (the embedded
   analyzer, the locator) compresses a one-image request for gpt-4o, claude-opus-4-7 and gpt-5.4;
4. the image actually sent (the crop, or the whole image when CROP was refused) is OCR'd with the
   default engine and the answer looked for (lower-cased, alphanumerics only, as a substring);
5. tokens sent are compared with the tile-aligned whole image (``tiling.align``, bounded mode).

Targets (issue 5): answer readable in >= 95 % of cases; median crop tokens <= 35 % of the aligned
whole image (gpt-4o); locator p50 <= 50 ms beyond OCR.

Run: ``python benchmarks/crop.py`` (about 2-4 minutes on 2 cores; writes benchmarks/RESULTS_crop.md).
"""

from __future__ import annotations

import base64
import io
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from headroom_core import ImageCompressor, Technique
from headroom_core.analyzers.embedded import EmbeddedImageAnalyzer
from headroom_core.codecs import find_images
from headroom_core.costs import get_cost_model
from headroom_core.locate import QueryRegionLocator
from headroom_core.ocr import get_ocr_engine
from headroom_core.router import FusedRouter, QueryClassifier, QueryPrediction
from headroom_core.tiling import align

MODELS: list[tuple[str, str]] = [
    ("openai", "gpt-4o"),
    ("anthropic", "claude-opus-4-7"),
    ("openai", "gpt-5.4"),
]
TARGET_READABLE = 0.95
TARGET_MEDIAN_RATIO = 0.35
TARGET_REST_P50_MS = 50.0
RESULTS = Path(__file__).with_name("RESULTS_crop.md")

# --------------------------------------------------------------------------- drawing helpers

_FONTS: dict[int, Any] = {}


def font(size: int) -> Any:
    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size=size)
    return _FONTS[size]


def put(
    d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill: Any = "black"
) -> tuple[int, ...]:
    d.text(xy, text, font=font(size), fill=fill)
    return tuple(int(v) for v in d.textbbox(xy, text, font=font(size)))


def put_right(
    d: ImageDraw.ImageDraw, x_right: float, y: float, text: str, size: int, fill: Any = "black"
) -> None:
    w = d.textlength(text, font=font(size))
    d.text((x_right - w, y), text, font=font(size), fill=fill)


@dataclass
class Case:
    name: str
    category: str
    image: Image.Image
    query: str
    answer: str


@dataclass
class Outcome:
    case: Case
    evidence: str
    path: str
    confidence: float | None
    ocr_ms: float
    rest_ms: float
    total_ms: float
    ocr_status: str
    analyzer_ms: float
    original_readable: bool = True
    per_model: dict[str, dict[str, Any]] = field(default_factory=dict)


FIRST = ["Jane", "Omar", "Lena", "Kenji", "Maria", "Tom", "Aisha", "Pavel", "Chloe", "Diego", "Ines", "Raj"]
LAST = ["Smith", "Haddad", "Novak", "Tanaka", "Rossi", "Berg", "Khan", "Ivanov", "Martin", "Lopez", "Costa"]
CITIES = ["Lisbon", "Denver", "Osaka", "Leeds", "Tallinn", "Austin", "Porto", "Quebec", "Bergen", "Perth"]
ITEMS = [
    "Latte",
    "Bagel",
    "Croissant",
    "Green Tea",
    "Muffin",
    "Espresso",
    "Sandwich",
    "Orange Juice",
    "Scone",
    "Soup",
]
PRODUCTS = [
    "Steel Bracket",
    "Hinge Set",
    "Cable Reel",
    "Wall Anchor",
    "Drill Bit",
    "Pipe Clamp",
    "Gasket",
    "Relay",
]
COMPANIES = ["Northwind Ltd", "Acme Tools", "Globex Supply", "Initech GmbH", "Umbrella Parts", "Vandelay Inc"]
STORES = [
    "BLUE DOOR CAFE",
    "CORNER BAKERY",
    "HARBOR DELI",
    "MAPLE & OAK",
    "SUNRISE COFFEE",
    "THE DAILY GRIND",
]


def money(rng: random.Random, lo: float, hi: float) -> str:
    return f"${rng.uniform(lo, hi):,.2f}"


# --------------------------------------------------------------------------- forms


def form_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(850, 1100), (1000, 1300), (900, 1200)])
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    put(
        d,
        (60, 50),
        rng.choice(["Customer Registration", "Claim Form", "Service Request", "Account Update"]),
        30,
    )
    put(d, (60, 95), f"Form ID REG-{rng.randint(1000, 9999)}  |  Please print clearly", 14, "gray")
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    fields = [
        ("Full Name", name),
        ("Order ID", f"A-{rng.randint(10000, 99999)}"),
        ("Date of Birth", f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
        ("Phone Number", f"+1 {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"),
        ("City", rng.choice(CITIES)),
        ("Postal Code", f"{rng.randint(10000, 99999)}"),
        ("Email", f"{name.split()[0].lower()}{rng.randint(1, 99)}@example.com"),
        ("Account Type", rng.choice(["Premium", "Standard", "Business"])),
        ("Policy Number", f"PN-{rng.randint(100000, 999999)}"),
        ("Amount Claimed", money(rng, 100, 9000)),
    ]
    rng.shuffle(fields)
    inline = i % 2 == 1
    y = 160
    size = rng.choice([16, 18, 20])
    two_col = i % 3 == 2
    positions: list[tuple[str, str]] = []
    for k, (label, value) in enumerate(fields):
        col = (k % 2) if two_col else 0
        row = k // 2 if two_col else k
        x = 60 + col * (w // 2)
        yy = y + row * int(size * 3.2)
        if inline:
            put(d, (x, yy), f"{label}: {value}", size)
        else:
            put(d, (x, yy), label, size, (60, 60, 60))
            vx = x + (200 if two_col else 280)
            d.rectangle((vx - 6, yy - 6, vx + 230, yy + size + 8), outline=(180, 180, 180))
            put(d, (vx, yy), value, size)
        positions.append((label, value))
    yb = y + (len(fields) // (2 if two_col else 1) + 1) * int(size * 3.2)
    for line in range(4):
        put(
            d,
            (60, yb + line * 26),
            "I confirm that the information above is correct and complete to the best"[: 40 + 8 * line],
            14,
            "gray",
        )
    put(d, (60, h - 60), f"Page 1 of 2   ·   Rev. {rng.randint(1, 9)}.{rng.randint(0, 9)}", 13, "gray")
    cases = []
    picks = rng.sample(positions, 2)
    templates = ["What is the {l}?", "What is written in the {l} field?", "What's the value next to '{l}'?"]
    for j, (label, value) in enumerate(picks):
        q = templates[(i + j) % len(templates)].format(l=label)
        cases.append(Case(f"form{i}-{j}", "form", img, q, value))
    if i in (0, 3):
        cases.append(Case(f"form{i}-2", "form", img, "What is written in the bottom-left corner?", "Page 1"))
    return cases


# --------------------------------------------------------------------------- receipts


def receipt_case(rng: random.Random, i: int) -> list[Case]:
    w = rng.choice([480, 576, 640])
    n = rng.randint(6, 12)
    h = 420 + n * 34 + 260
    img = Image.new("RGB", (w, h), (252, 252, 248))
    d = ImageDraw.Draw(img)
    store = rng.choice(STORES)
    tw = d.textlength(store, font=font(26))
    put(d, ((w - tw) / 2, 30), store, 26)
    addr = f"{rng.randint(1, 999)} Main St, {rng.choice(CITIES)}"
    aw = d.textlength(addr, font=font(15))
    put(d, ((w - aw) / 2, 70), addr, 15, (70, 70, 70))
    put(d, (30, 120), f"Receipt #{rng.randint(10000, 99999)}", 16)
    put_right(d, w - 30, 120, f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2025", 16)
    d.line((30, 150, w - 30, 150), fill=(120, 120, 120))
    y = 170
    prices: dict[str, str] = {}
    items = rng.sample(ITEMS, min(n, len(ITEMS)))
    total = 0.0
    for it in items:
        qty = rng.randint(1, 3)
        p = rng.uniform(1.5, 14)
        total += p * qty
        put(d, (30, y), f"{qty} x {it}", 17)
        price = f"${p * qty:.2f}"
        put_right(d, w - 30, y, price, 17)
        prices[it] = price
        y += 34
    d.line((30, y + 4, w - 30, y + 4), fill=(120, 120, 120))
    tax = total * 0.08
    rows = [("Subtotal", f"${total:.2f}"), ("Tax 8%", f"${tax:.2f}"), ("TOTAL", f"${total + tax:.2f}")]
    y += 20
    for label, value in rows:
        size = 21 if label == "TOTAL" else 17
        put(d, (30, y), label, size)
        put_right(d, w - 30, y, value, size)
        y += 36
    put(d, (30, y + 20), f"VISA **** {rng.randint(1000, 9999)}", 15, (70, 70, 70))
    foot = rng.choice(["Thank you for visiting!", "Have a great day", "See you again soon"])
    fw = d.textlength(foot, font=font(16))
    put(d, ((w - fw) / 2, h - 60), foot, 16)
    item = rng.choice(items)
    options = [
        ("What is the total?", rows[2][1]),
        ("How much was the tax?", rows[1][1]),
        (f"What is the price of the {item}?", prices[item]),
        ("What does the footer say?", foot.split()[0] + " " + foot.split()[1]),
        ("What is the store name at the top?", store.split()[0]),
        ("What is the Subtotal?", rows[0][1]),
    ]
    a, b = rng.sample(options, 2)
    return [
        Case(f"receipt{i}-0", "receipt", img, a[0], a[1]),
        Case(f"receipt{i}-1", "receipt", img, b[0], b[1]),
    ]


# --------------------------------------------------------------------------- invoices


def invoice_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(1000, 1300), (1100, 1400)])
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    company = rng.choice(COMPANIES)
    put(d, (60, 50), company, 28)
    put(d, (60, 92), f"{rng.randint(1, 300)} Harbour Road, {rng.choice(CITIES)}", 15, (90, 90, 90))
    inv = f"INV-{rng.randint(2024000, 2025999)}"
    put_right(d, w - 60, 50, "INVOICE", 30, (30, 60, 120))
    put_right(d, w - 60, 100, f"Invoice No: {inv}", 16)
    due = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    put_right(d, w - 60, 126, f"Due Date: {due}", 16)
    put(d, (60, 180), "Bill To:", 16, (90, 90, 90))
    cust = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    put(d, (60, 206), cust, 18)
    cols = [60, int(w * 0.55), int(w * 0.70), w - 60]
    y = 280
    d.rectangle((50, y - 10, w - 50, y + 30), fill=(235, 240, 248))
    put(d, (cols[0], y), "Description", 16)
    put_right(d, cols[1] + 40, y, "Qty", 16)
    put_right(d, cols[2] + 80, y, "Unit Price", 16)
    put_right(d, cols[3], y, "Amount", 16)
    y += 50
    amounts: dict[str, str] = {}
    products = rng.sample(PRODUCTS, rng.randint(4, 7))
    total = 0.0
    for p in products:
        q = rng.randint(1, 40)
        u = rng.uniform(2, 90)
        total += q * u
        put(d, (cols[0], y), p, 16)
        put_right(d, cols[1] + 40, y, str(q), 16)
        put_right(d, cols[2] + 80, y, f"{u:.2f}", 16)
        amounts[p] = f"{q * u:,.2f}"
        put_right(d, cols[3], y, amounts[p], 16)
        y += 38
    d.line((50, y, w - 50, y), fill=(150, 150, 150))
    y += 30
    total_due = f"${total * 1.2:,.2f}"
    for label, value in [
        ("Subtotal", f"${total:,.2f}"),
        ("VAT 20%", f"${total * 0.2:,.2f}"),
        ("Total Due", total_due),
    ]:
        put(d, (cols[2] - 40, y), label, 18 if label == "Total Due" else 16)
        put_right(d, cols[3], y, value, 18 if label == "Total Due" else 16)
        y += 34
    iban = f"GB{rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    foot = f"Payment terms: {rng.choice([14, 30, 45])} days. Bank transfer to IBAN {iban}"
    put(d, (60, h - 70), foot, 14, (90, 90, 90))
    p = rng.choice(products)
    options = [
        ("What is the Invoice No?", inv),
        ("What's in the top-left corner?", company.split()[0]),
        (f"What is the Amount for {p}?", amounts[p]),
        ("What is the Total Due?", total_due),
        ("What does the footer say about payment terms?", "Payment terms"),
        ("When is the Due Date?", due),
        ("Who is the invoice billed to (Bill To)?", cust),
    ]
    a, b = rng.sample(options, 2)
    cases = [
        Case(f"invoice{i}-0", "invoice", img, a[0], a[1]),
        Case(f"invoice{i}-1", "invoice", img, b[0], b[1]),
    ]
    if i < 3:  # an ordinal row: row 1 is the header row, so the third row is the second product
        cases.append(
            Case(f"invoice{i}-2", "invoice", img, "What is in the third row of the table?", products[1])
        )
    return cases


# --------------------------------------------------------------------------- dashboards

PALETTE = [(52, 120, 246), (240, 130, 40), (46, 170, 90), (220, 60, 70), (150, 90, 210)]


def dashboard_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(1280, 800), (1440, 900)])
    dark_side = i % 2 == 0
    img = Image.new("RGB", (w, h), (246, 247, 250))
    d = ImageDraw.Draw(img)
    side_w = 220
    d.rectangle((0, 0, side_w, h), fill=(32, 38, 52) if dark_side else (255, 255, 255))
    nav = rng.sample(
        ["Overview", "Orders", "Customers", "Inventory", "Reports", "Billing", "Settings", "Team"], 6
    )
    put(
        d, (28, 28), rng.choice(["acme", "nimbus", "orbit"]) + " admin", 20, "white" if dark_side else "black"
    )
    for k, item in enumerate(nav):
        put(d, (28, 100 + k * 44), item, 16, (220, 225, 235) if dark_side else (60, 60, 60))
    title = rng.choice(["Sales Overview", "Weekly Metrics", "Store Performance", "Growth Dashboard"])
    put(d, (side_w + 40, 28), title, 28)
    user = f"{rng.choice(FIRST).lower()}@acme.io"
    put_right(d, w - 40, 36, user, 15, (80, 80, 80))
    kpis = [
        ("Revenue", f"${rng.randint(100, 999)},{rng.randint(100, 999)}"),
        ("Active Users", f"{rng.randint(10, 99)},{rng.randint(100, 999)}"),
        ("Churn Rate", f"{rng.uniform(0.5, 9):.1f}%"),
        ("Avg Order", f"${rng.uniform(20, 200):.2f}"),
    ]
    cw = (w - side_w - 40 * 5) // 4
    for k, (label, value) in enumerate(kpis):
        x = side_w + 40 + k * (cw + 40)
        d.rounded_rectangle((x, 90, x + cw, 200), 10, fill="white", outline=(225, 228, 235))
        put(d, (x + 20, 108), label, 15, (100, 100, 110))
        put(d, (x + 20, 140), value, 30)
    # Chart with a legend.
    cx0, cy0, cx1, cy1 = side_w + 40, 240, side_w + 40 + int((w - side_w - 80) * 0.6), h - 60
    d.rounded_rectangle((cx0, cy0, cx1, cy1), 10, fill="white", outline=(225, 228, 235))
    put(d, (cx0 + 20, cy0 + 16), "Monthly revenue by channel", 17)
    series = rng.sample(["Online", "Retail", "Wholesale", "Partners", "Direct"], 3)
    for k, s in enumerate(series):
        lx = cx1 - 150
        ly = cy0 + 60 + k * 28
        d.rectangle((lx, ly + 3, lx + 14, ly + 17), fill=PALETTE[k])
        put(d, (lx + 22, ly), s, 15)
    base = cy1 - 40
    for m in range(6):
        for k in range(3):
            bx = cx0 + 40 + m * 60 + k * 14
            bh = rng.randint(30, base - cy0 - 80)
            d.rectangle((bx, base - bh, bx + 12, base), fill=PALETTE[k])
        put(d, (cx0 + 40 + m * 60, base + 8), ["Jan", "Feb", "Mar", "Apr", "May", "Jun"][m], 13, (90, 90, 90))
    # Table of recent orders.
    tx0 = cx1 + 30
    d.rounded_rectangle((tx0, cy0, w - 40, cy1), 10, fill="white", outline=(225, 228, 235))
    put(d, (tx0 + 20, cy0 + 16), "Recent orders", 17)
    orders = []
    for r in range(7):
        oid = f"#{rng.randint(1000, 9999)}"
        amt = f"${rng.randint(20, 900)}"
        put(d, (tx0 + 20, cy0 + 60 + r * 34), oid, 15)
        put_right(d, w - 60, cy0 + 60 + r * 34, amt, 15)
        orders.append((oid, amt))
    k = rng.randrange(4)
    options = [
        (f"What is the {kpis[k][0]}?", kpis[k][1]),
        ("What does the legend say?", series[0]),
        ("What's in the top-right corner?", user.split("@")[0]),
        ("What is the title of the dashboard?", title.split()[0]),
        ("Which items are in the sidebar?", nav[2]),
        (f"What is the amount of order {orders[3][0]}?", orders[3][1]),
    ]
    a, b = rng.sample(options, 2)
    return [
        Case(f"dash{i}-0", "dashboard", img, a[0], a[1]),
        Case(f"dash{i}-1", "dashboard", img, b[0], b[1]),
    ]


# --------------------------------------------------------------------------- charts


def chart_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(1000, 700), (1200, 800), (900, 650)])
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    title = rng.choice(
        ["Quarterly Shipments", "Energy Use by Source", "Visitors per Region", "Crop Yields 2024"]
    )
    tw = d.textlength(title, font=font(30))
    put(d, ((w - tw) / 2, 24), title, 30)
    series = rng.sample(["Solar", "Wind", "Hydro", "North", "South", "East", "Wheat", "Maize", "Barley"], 4)
    legend_right = i % 2 == 0
    px0, py0, px1, py1 = 90, 100, (w - 230) if legend_right else (w - 60), h - 80
    d.line((px0, py1, px1, py1), fill="black", width=2)
    d.line((px0, py0, px0, py1), fill="black", width=2)
    for t in range(5):
        yy = py1 - t * (py1 - py0) // 5
        put_right(d, px0 - 8, yy - 8, str(t * 25), 13, (60, 60, 60))
    groups = 4
    gw = (px1 - px0 - 40) // groups
    for g in range(groups):
        for k in range(4):
            bx = px0 + 30 + g * gw + k * (gw // 5)
            bh = rng.randint(20, py1 - py0 - 20)
            d.rectangle((bx, py1 - bh, bx + gw // 6, py1 - 1), fill=PALETTE[k])
        put(d, (px0 + 30 + g * gw + gw // 4, py1 + 10), f"Q{g + 1}", 15)
    if legend_right:
        for k, s in enumerate(series):
            ly = py0 + 20 + k * 30
            d.rectangle((w - 200, ly + 3, w - 184, ly + 19), fill=PALETTE[k])
            put(d, (w - 176, ly), s, 16)
    else:
        x = px0 + 20
        for k, s in enumerate(series):
            d.rectangle((x, 78, x + 16, 94), fill=PALETTE[k])
            put(d, (x + 22, 75), s, 16)
            x += 40 + int(d.textlength(s, font=font(16)))
    k = rng.randrange(4)
    options = [
        ("What does the legend say?", series[k]),
        ("What is the title of the chart?", title.split()[0]),
    ]
    return [Case(f"chart{i}-{j}", "chart", img, q, a) for j, (q, a) in enumerate(options)]


# --------------------------------------------------------------------------- screenshots


def log_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(1280, 800), (1200, 760)])
    img = Image.new("RGB", (w, h), (250, 250, 250))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 40), fill=(225, 225, 230))
    put(d, (16, 11), f"worker-{rng.randint(1, 9)}.log - Terminal", 15)
    msgs = [
        "connected to queue orders.v2",
        "processed batch of 128 messages",
        "cache hit ratio 0.93",
        "heartbeat ok",
        "flushed 42 rows to warehouse",
        "scheduled job nightly-export",
        "request GET /api/items 200 in 31ms",
        "rotated log file",
    ]
    err = rng.choice(
        [
            "disk quota exceeded on /var/data",
            "timeout talking to payments-svc",
            "null customer_id in row 5512",
        ]
    )
    warn = rng.choice(
        ["retrying upload attempt 3", "slow query took 2412ms", "certificate expires in 9 days"]
    )
    lines = [(rng.choice(["INFO", "DEBUG"]), rng.choice(msgs)) for _ in range(18)]
    e_at, w_at = rng.sample(range(3, 17), 2)
    lines[e_at] = ("ERROR", err)
    lines[w_at] = ("WARN", warn)
    y = 60
    for k, (lvl, msg) in enumerate(lines):
        ts = f"2025-06-{rng.randint(1, 28):02d} 12:{k:02d}:{rng.randint(0, 59):02d}"
        colour = {"ERROR": (200, 30, 30), "WARN": (170, 110, 0)}.get(lvl, (40, 40, 40))
        put(d, (16, y), f"{lvl:<5} {ts} {msg}", 16, colour)
        y += 28
    put(d, (16, h - 30), "-- INSERT --   utf-8   LF", 14, (100, 100, 100))
    cases = [
        Case(
            f"log{i}-0",
            "screenshot",
            img,
            "Which line starts with ERROR?",
            err.split()[0] + " " + err.split()[1],
        ),
        Case(
            f"log{i}-1",
            "screenshot",
            img,
            "What does the WARN line say?",
            warn.split()[0] + " " + warn.split()[1],
        ),
    ]
    if i in (0, 2):
        cases.append(Case(f"log{i}-2", "screenshot", img, "What does the last line say?", "INSERT"))
    return cases


def settings_case(rng: random.Random, i: int) -> list[Case]:
    w, h = rng.choice([(1280, 800), (1024, 768), (1440, 900)])
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 56), fill=(30, 90, 160))
    app = rng.choice(["CloudDesk", "Ledgerly", "ShipFast", "Notewise"])
    put(d, (24, 16), f"{app} Settings", 20, "white")
    ver = f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    put_right(d, w - 24, 20, ver, 15, "white")
    d.rectangle((0, 56, 240, h - 32), fill=(240, 242, 245))
    for k, s in enumerate(["General", "Account", "Security", "Notifications", "Integrations", "Billing"]):
        put(d, (24, 80 + k * 40), s, 16, (50, 50, 60))
    fields = [
        ("Workspace", f"{rng.choice(CITIES).lower()}-team"),
        ("Time zone", rng.choice(["UTC+01:00", "UTC-05:00", "UTC+09:00"])),
        ("Language", rng.choice(["English", "Deutsch", "Français"])),
        ("API Key", f"sk-{rng.randint(100000, 999999)}"),
        ("Seats", str(rng.randint(3, 250))),
        ("Plan", rng.choice(["Team", "Enterprise", "Starter"])),
    ]
    for k, (label, value) in enumerate(fields):
        y = 90 + k * 60
        put(d, (290, y), label, 17, (70, 70, 70))
        d.rectangle((520, y - 8, 820, y + 26), outline=(190, 190, 200))
        put(d, (532, y), value, 17)
    d.rectangle((0, h - 32, w, h), fill=(235, 235, 235))
    status = rng.choice(["All changes saved", "Sync complete", "Connected to server"])
    put(d, (16, h - 25), status, 14, (60, 60, 60))
    label, value = rng.choice(fields)
    options = [
        (f"What is the {label} setting?", value),
        ("What does the status bar say?", status.split()[0] + " " + status.split()[1]),
        ("What version is shown in the top right?", ver.lstrip("v")),
    ]
    a, b = rng.sample(options, 2)
    return [
        Case(f"settings{i}-0", "screenshot", img, a[0], a[1]),
        Case(f"settings{i}-1", "screenshot", img, b[0], b[1]),
    ]


GENERATORS: list[tuple[Callable[[random.Random, int], list[Case]], int]] = [
    (form_case, 6),
    (receipt_case, 6),
    (invoice_case, 6),
    (dashboard_case, 6),
    (chart_case, 4),
    (log_case, 4),
    (settings_case, 4),
]


def build_cases(seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for gen, count in GENERATORS:
        for i in range(count):
            cases.extend(gen(rng, i))
    return cases


# --------------------------------------------------------------------------- running


class AlwaysCrop(QueryClassifier):
    """A query classifier that always says CROP (the benchmark measures the locator and the applier)."""

    name = "always-crop"

    def predict(self, query: str) -> QueryPrediction:
        return QueryPrediction(Technique.CROP, 0.95, {"crop": 0.95}, self.name)


def norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def request(data: bytes, query: str) -> list[dict[str, Any]]:
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    return [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": url}}, {"type": "text", "text": query}],
        }
    ]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(len(s) - 1, int(k) + 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Reader:
    """The readability check: the default OCR engine (automatic layout), then, when that does not find
    the answer, tesseract in sparse-text mode (psm 11). Readable = either pass finds it."""

    def __init__(self) -> None:
        self.primary = get_ocr_engine("auto")
        self.primary.warm_up()
        self.sparse: Any = None
        if self.primary.name == "tesseract":
            from headroom_core.ocr import TesseractEngine

            self.sparse = TesseractEngine(psm=11)

    def finds(self, image: Image.Image, answer: str) -> bool:
        want = norm(answer)
        if want in norm(" ".join(ln.text for ln in self.primary.read(image).lines)):
            return True
        if self.sparse is None:
            return False
        return want in norm(" ".join(ln.text for ln in self.sparse.read(image).lines))


def run(cases: list[Case]) -> list[Outcome]:
    analyzer = EmbeddedImageAnalyzer()
    reader = Reader()
    locator = QueryRegionLocator(ocr_engine=reader.primary)
    router = FusedRouter(AlwaysCrop(), analyzer=analyzer, locator=locator)
    compressors = {m: ImageCompressor(p, m, router=router, cache=False) for p, m in MODELS}
    outcomes: list[Outcome] = []
    for n, case in enumerate(cases, 1):
        img = case.image
        t0 = time.perf_counter()
        signals = analyzer.analyze(img)
        analyzer_ms = (time.perf_counter() - t0) * 1000
        locator.clear_cache()
        report = locator.locate_detailed(img, case.query, signals)
        reg = report.region
        out = Outcome(
            case,
            reg.evidence if reg else "no region",
            report.path,
            reg.confidence if reg else None,
            report.timing.ocr_ms,
            report.timing.rest_ms,
            report.timing.total_ms,
            report.timing.ocr,
            analyzer_ms,
        )
        data = png(img)
        out.original_readable = reader.finds(img, case.answer)
        for provider, model in MODELS:
            sent_msgs, result = compressors[model].compress_with_result(request(data, case.query))
            r = result.images[0]
            refs = find_images(sent_msgs)
            if refs:
                sent = Image.open(io.BytesIO(refs[0].data or b"")).convert("RGB")
                readable, shape = reader.finds(sent, case.answer), f"{sent.width}x{sent.height}"
            else:  # fusion rule 4c sent the page's text instead of the region's crop
                readable, shape = norm(case.answer) in norm(r.text or ""), "as text"
            whole = align(img.width, img.height, get_cost_model(provider, model)).tokens_after
            out.per_model[model] = {
                "technique": r.technique.value if r.technique else "error",
                "tokens": r.compressed_tokens,
                "whole": whole,
                "ratio": r.compressed_tokens / whole if whole else 1.0,
                "readable": readable,
                "size": shape,
                "reason": r.reason,
            }
        g = out.per_model["gpt-4o"]
        print(
            f"[{n:3d}/{len(cases)}] {case.name:<13} {'OK ' if g['readable'] else 'MISS'} "
            f"{g['technique']:<8} {g['ratio']:6.1%} ocr {out.ocr_ms:6.0f} ms rest {out.rest_ms:5.1f} ms  "
            f"{case.query!r} -> {out.evidence[:90]}",
            flush=True,
        )
        outcomes.append(out)
    return outcomes


# --------------------------------------------------------------------------- report


def summarise(outcomes: list[Outcome]) -> tuple[str, dict[str, Any]]:
    lines: list[str] = []
    numbers: dict[str, Any] = {}
    engine = get_ocr_engine("auto")
    add = lines.append
    add("# CROP: locator + applier benchmark")
    add("")
    add(
        f"- machine: {platform.platform()} ({platform.machine()}), {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )
    add(f"- OCR engine (locator and readability check): {engine.name} ({getattr(engine, 'backend', '?')})")
    add(
        f"- cases: {len(outcomes)} drawn by `benchmarks/crop.py` (seed 7); "
        "the query classifier is forced to CROP"
    )
    add(
        "- tokens: what the compressor sends vs the tile-aligned whole image (`tiling.align`, bounded 12.5 %)"
    )
    base = [o for o in outcomes if o.original_readable]
    add(
        f"- the answer is OCR-readable in the original whole image in {len(base)}/{len(outcomes)} cases "
        "(the check's own ceiling)"
    )
    add("")
    add("## Targets")
    add("")
    add(
        "| model | cropped | readable in what is sent | readable, of cases readable in the original "
        "| median tokens / aligned whole | mean | p90 |"
    )
    add("|---|---:|---:|---:|---:|---:|---:|")
    for _, model in MODELS:
        rows = [o.per_model[model] for o in outcomes]
        cropped = sum(r["technique"] == "crop" for r in rows)
        readable = sum(r["readable"] for r in rows)
        rb = sum(o.per_model[model]["readable"] for o in base)
        ratios = [r["ratio"] for r in rows]
        numbers[model] = {
            "readable": readable / len(rows),
            "readable_of_base": rb / max(1, len(base)),
            "median_ratio": statistics.median(ratios),
            "cropped": cropped / len(rows),
        }
        add(
            f"| {model} | {cropped}/{len(rows)} | {readable}/{len(rows)} ({readable / len(rows):.1%}) | "
            f"{rb}/{len(base)} ({rb / max(1, len(base)):.1%}) | {statistics.median(ratios):.1%} | "
            f"{statistics.fmean(ratios):.1%} | {pct(ratios, 0.9):.1%} |"
        )
    ocr_ms = [o.ocr_ms for o in outcomes]
    rest_ms = [o.rest_ms for o in outcomes]
    total_ms = [o.total_ms for o in outcomes]
    ran = [o.ocr_ms for o in outcomes if o.ocr_status == "ran"]
    an_ms = [o.analyzer_ms for o in outcomes]
    numbers["rest_p50"] = pct(rest_ms, 0.5)
    add("")
    add("| locator time (ms) | p50 | p95 | max |")
    add("|---|---:|---:|---:|")
    add(
        f"| rest (parse, match, layout, combine) | {pct(rest_ms, 0.5):.1f} | {pct(rest_ms, 0.95):.1f} "
        f"| {max(rest_ms):.1f} |"
    )
    add(
        f"| OCR, all cases (0 when not needed) | {pct(ocr_ms, 0.5):.0f} | {pct(ocr_ms, 0.95):.0f} "
        f"| {max(ocr_ms):.0f} |"
    )
    if ran:
        add(
            f"| OCR, when it ran ({len(ran)} of {len(outcomes)} cases) | {pct(ran, 0.5):.0f} "
            f"| {pct(ran, 0.95):.0f} | {max(ran):.0f} |"
        )
    add(f"| total | {pct(total_ms, 0.5):.0f} | {pct(total_ms, 0.95):.0f} | {max(total_ms):.0f} |")
    add(
        f"| (embedded analyzer: the router's, not the locator's) | {pct(an_ms, 0.5):.0f} "
        f"| {pct(an_ms, 0.95):.0f} | {max(an_ms):.0f} |"
    )
    met = [
        (
            "answer readable in what is sent >= 95 % (gpt-4o, all cases)",
            numbers["gpt-4o"]["readable"] >= TARGET_READABLE,
        ),
        (
            "median tokens <= 35 % of the aligned whole image (gpt-4o)",
            numbers["gpt-4o"]["median_ratio"] <= TARGET_MEDIAN_RATIO,
        ),
        ("locator p50 beyond OCR <= 50 ms", numbers["rest_p50"] <= TARGET_REST_P50_MS),
    ]
    add("")
    for label, ok in met:
        add(f"- {'met' if ok else 'MISSED'}: {label}")
    add("")
    add("## By category (gpt-4o)")
    add("")
    add("| category | cases | cropped | readable | median ratio | paths |")
    add("|---|---:|---:|---:|---:|---|")
    for cat in sorted({o.case.category for o in outcomes}):
        sub = [o for o in outcomes if o.case.category == cat]
        rows = [o.per_model["gpt-4o"] for o in sub]
        paths: dict[str, int] = {}
        for o in sub:
            paths[o.path] = paths.get(o.path, 0) + 1
        add(
            f"| {cat} | {len(sub)} | {sum(r['technique'] == 'crop' for r in rows)} | "
            f"{sum(r['readable'] for r in rows)} | {statistics.median(r['ratio'] for r in rows):.1%} | "
            + ", ".join(f"{k} {v}" for k, v in sorted(paths.items()))
            + " |"
        )
    add("")
    add("## Misses (answer not found by OCR in what was sent)")
    add("")
    misses = [(o, model) for o in outcomes for _, model in MODELS if not o.per_model[model]["readable"]]
    if not misses:
        add("None.")
    for o, model in misses:
        r = o.per_model[model]
        others = [m for _, m in MODELS if m != model and o.per_model[m]["readable"]]
        add(
            f"- {o.case.name} / {model}: {o.case.query!r}, answer `{o.case.answer}`; sent {r['technique']} "
            f"{r['size']}; located: {o.evidence}"
            + (f"; readable in the {', '.join(others)} crop" if others else "")
            + ("" if o.original_readable else "; not OCR-readable in the original either")
        )
    add("")
    add("## Every case")
    add("")
    add(
        "| case | question | answer | in original | path | conf | gpt-4o sent | tokens (ratio) | readable "
        "| opus-4.7 | gpt-5.4 | evidence |"
    )
    add("|---|---|---|---|---|---:|---|---:|---|---:|---:|---|")
    for o in outcomes:
        g = o.per_model["gpt-4o"]
        c = o.per_model["claude-opus-4-7"]
        f5 = o.per_model["gpt-5.4"]
        conf = "" if o.confidence is None else f"{o.confidence:.2f}"
        add(
            f"| {o.case.name} | {o.case.query} | `{o.case.answer}` "
            f"| {'yes' if o.original_readable else 'no'} "
            f"| {o.path} | {conf} | {g['technique']} {g['size']} | {g['tokens']} "
            f"({g['ratio']:.0%}) | {'yes' if g['readable'] else 'NO'} | "
            f"{c['ratio']:.0%}{'' if c['readable'] else ' NO'} "
            f"| {f5['ratio']:.0%}{'' if f5['readable'] else ' NO'} "
            f"| {o.evidence.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n", numbers


NOTES = """
## Reading the numbers

- **The gpt-4o floor.** gpt-4o bills 512-px tiles (85 + 170 per tile, after its own resize) at
  detail high, and 85 tokens at detail low for "a 512x512 version" of the image. A crop that fits
  in 512x512 is all there in that version, so it goes at detail low (crop step 7): 85 tokens, 11.1 %
  of a 2x2-tile page (765), 7.7 % of a 3x2 screenshot (1105). The snapped crop fills the 512x512
  box with the surrounding page (free context). Rule 4b's low view of the whole image costs the
  same 85 tokens, so a located region now goes as its crop (the "cropped" column counts crops;
  "readable" is checked on what was sent, at the detail it was sent with).
- **Wider crops cost tiles on gpt-4o**: a receipt row runs the full width of the receipt (item
  left, price right); a 576-640 px row needs two tiles at native resolution (the bounded alignment,
  at most 12.5 % downscale, cannot bring 640 px to 512) unless it is one line of text, which is
  folded at a word gap into one tile (crop step 6).
- **Patch models** (claude-opus-4-7 28-px patches, gpt-5.4 32-px patches) bill by area: the same
  crops cost about 1-7 % of the page; a whole sidebar panel (a full-height strip) costs 17-18 %.
- **Caveat.** The cases are drawn by this script and the locator was developed against it; they
  cover the named-field / named-place questions CROP is for, not open questions ("what is odd in this
  chart"), which the router should not send to CROP. Region quality also depends on the embedded
  analyzer's text boxes (layout), which were changing while this was measured.
- **Misses.** Where a crop is readable for the patch models (tight crops) but not for gpt-4o, the
  answer is in the 512x512 crop (same located box) and tesseract fails on the mostly blank tile with
  the text at its edge or on a coloured bar; a model reads it. Single-character OCR slips (`raj86`
  read as `raji86`) count as misses too: the check is strict.

- "readable" is checked on what is actually sent: the crop, or the whole image when CROP was refused
  (no region, low confidence, or not cheaper). A refused CROP costs 100 % of the aligned image, so it
  shows in the token ratio, not as a miss. The check OCRs with the default engine and, when that does
  not find the answer, once more with tesseract's sparse-text mode (psm 11); the answer must appear
  as a substring after lower-casing and dropping everything but letters and digits.
- OCR is the locator's main cost and runs only when the question names text (quoted strings,
  capitalised labels, content words) and the image has text; purely spatial questions ("the
  legend", "top-right corner", "the footer") skip it. A follow-up question about the same image
  reuses the cached OCR (keyed by the pixels).
- "rest" is the locator's own work: query parsing, fuzzy matching, content blocks from the pixels,
  the spatial resolution and combining. The embedded analyzer's time belongs to the router (it runs
  whatever the technique) and is shown for scale only.
"""


def main() -> None:
    print(f"machine: {platform.platform()} | {os.cpu_count()} CPUs | Python {sys.version.split()[0]}")
    cases = build_cases()
    print(f"{len(cases)} cases")
    start = time.perf_counter()
    outcomes = run(cases)
    text, _ = summarise(outcomes)
    text += NOTES
    text += f"\nBenchmark wall time: {time.perf_counter() - start:.0f} s.\n"
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
