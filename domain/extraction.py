"""Pull structured facts out of free text: part numbers, lot numbers, quantities.

Precision first: a fact shown on a card must be one the person wrote. A code must contain a digit
("a lot of" has no lot number), a labelled list is read to its end ("P/N 12-345, 12-346 and
12-350"), and a quantity needs a count word or a unit ("20 connectors", "兩萬個", "1.5k pcs"),
never a date, a time, a duration or a rate. Measured on tests/data/extraction.jsonl.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from domain.counts import allowed_count
from domain.text import fold

_CODE = r"[A-Za-z0-9][A-Za-z0-9\-_.]*[A-Za-z0-9]|[A-Za-z0-9]"
_SEP = r"\s*(?:,|，|、|/|;|；|&|\band\b|和|及)\s*"
_LIST = rf"((?:{_CODE})(?:{_SEP}(?:{_CODE}))*)"
_PART_LABEL = re.compile(
    r"(?:\bp/?n\b|\bparts?\s*(?:no\.?|nos\.?|numbers?|num|#)|\bpart\b|料号|零件号|物料号|物料编码|零件编号|图号|品番|型号)"
    r"\s*[:#：.]?\s*" + _LIST, re.I)
_LOT_LABEL = re.compile(
    r"(?:\blots?\s*(?:no\.?|nos\.?|numbers?|#)?|\bbatch(?:es)?\s*(?:no\.?|number|#)?|批号|批次号|批次|生产批号)"
    r"\s*[:#：.]?\s*" + _LIST, re.I)
# "23-1107批" — a lot written before the character for batch.
_LOT_BEFORE = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z0-9][A-Za-z0-9\-]*\d[A-Za-z0-9\-]*)\s*(?:批次|批)")
# A bare token that looks like a part number: letters and digits, 5+ characters, e.g. CN-4410-B, HX2231.
_BARE_PART = re.compile(r"(?<![A-Za-z0-9\-])(?=[A-Za-z0-9\-]*\d)(?=[A-Za-z0-9\-]*[A-Za-z])[A-Za-z]{1,5}-?\d[A-Za-z0-9\-]{2,}(?![A-Za-z0-9\-])")
_NOT_PARTS = {"8d", "ppap", "iatf", "iso9001", "16949", "cs1", "cs2", "pfmea", "dfmea"}

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kK千万萬])?"
_UNITS = r"pcs\.?|pc|pieces|piece|units|unit|sets|set|parts|boxes|box|cartons|pallets|reels|rolls|meters|件|个|個|只|套|台|片|支|箱|卷|米|根|条|條|块|塊"
_QTY = re.compile(rf"(?<![\d.,A-Za-z\-/:]){_NUMBER}\s*({_UNITS})(?![A-Za-z])", re.I)
_QTY_LABEL = re.compile(rf"(?:\bqty|\bquantity|数量)\s*[:：]?\s*{_NUMBER}", re.I)
_ZH_QTY = re.compile(r"([零〇一二两兩三四五六七八九十百千万萬]+)\s*(件|个|個|只|套|台|片|支|箱|卷|根|条|條|块|塊)")
# "20 connectors": a count of a thing. Not a count: durations, rates, sizes, money, people.
_COUNTED = re.compile(r"(?<![\d.,A-Za-z\-/:])(\d{1,3}(?:,\d{3})+|\d+)\s+([a-z]{2,}[^su\W]s)\b", re.I)
_NOT_COUNTED = {"days", "hours", "weeks", "months", "years", "minutes", "seconds", "mins", "hrs", "times", "percent",
                "ppms", "mms", "cms", "inches", "degrees", "people", "persons", "engineers", "operators", "shifts",
                "lines", "dollars", "yuan", "euros", "usd", "rmb", "trucks", "orders", "emails", "calls", "visits",
                "kgs", "tons", "lots", "batches", "samples", "cycles", "volts", "amps",
                "this", "does", "goes", "uses", "means", "makes", "takes", "needs"}  # words, not things counted
_MULTIPLIER = {"k": 1000, "K": 1000, "千": 1000, "万": 10000, "萬": 10000}


@dataclass(frozen=True)
class Extracted:
    part_numbers: tuple[str, ...] = ()
    lot_numbers: tuple[str, ...] = ()
    quantity: int | None = None
    quantity_unit: str | None = None
    line_stopped: bool = False

    def as_dict(self) -> dict:
        return {
            "part_numbers": list(self.part_numbers),
            "lot_numbers": list(self.lot_numbers),
            "quantity": self.quantity,
            "quantity_unit": self.quantity_unit,
            "line_stopped": self.line_stopped,
        }


def _unique(items) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip(".-/")
        if item and item.upper() not in (s.upper() for s in seen):
            seen[item] = None
    return tuple(seen)


def _codes(match: re.Match) -> list[str]:
    """The codes of a labelled list; a code has a digit ("lot of" or "lot was" is no lot)."""
    return [c for c in re.split(_SEP, match.group(1)) if any(ch.isdigit() for ch in c)]


# Never part or lot numbers: links, e-mail addresses, @people and #channels (their ids and URL
# fragments look like codes). Masked with spaces so positions stay as they were.
_NOT_FACTS = re.compile(r"\S+://\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w@#])[@#][\w.-]+")


def _number(digits: str, multiplier: str | None) -> int:
    value = float(digits.replace(",", "")) * _MULTIPLIER.get(multiplier or "", 1)
    return int(round(value))


def _quantity(text: str) -> tuple[int | None, str | None]:
    m = _QTY.search(text)
    if m:
        return _number(m.group(1), m.group(2)), m.group(3).lower().rstrip(".")
    m = _ZH_QTY.search(text)
    if m:
        try:
            return int(cn2an.cn2an(m.group(1), "smart")), m.group(2)
        except ValueError:
            pass
    m = _QTY_LABEL.search(text)
    if m:
        return _number(m.group(1), m.group(2)), None
    for m in _COUNTED.finditer(text):
        if m.group(2).lower() not in _NOT_COUNTED:
            return _number(m.group(1), None), m.group(2).lower()
    return None, None


def extract(text: str, *, line_stopped: bool = False) -> Extracted:
    folded = _NOT_FACTS.sub(lambda m: " " * len(m.group()), fold(text))
    lot_matches = list(_LOT_LABEL.finditer(folded))
    lots = _unique([c for m in lot_matches for c in _codes(m)] + [m.group(1) for m in _LOT_BEFORE.finditer(folded)])
    lot_spans = [m.span(1) for m in lot_matches] + [m.span(1) for m in _LOT_BEFORE.finditer(folded)]
    labelled = [c for m in _PART_LABEL.finditer(folded) for c in _codes(m)]
    bare = [m.group() for m in _BARE_PART.finditer(folded)
            if not any(s <= m.start() < e for s, e in lot_spans) and m.group().lower() not in _NOT_PARTS]
    parts = _unique([p for p in labelled + bare if p not in lots and p.lower() not in _NOT_PARTS])
    # A code is not a count: what was read as a lot or part number is out of the quantity's reach.
    codes = lot_matches + list(_PART_LABEL.finditer(folded))
    for start, end in [m.span(1) for m in codes]:
        folded = folded[:start] + " " * (end - start) + folded[end:]
    quantity, unit = _quantity(folded)
    if allowed_count(quantity) is None:  # past any count (domain/counts.py): a figure, not a fact to store
        quantity, unit = None, None
    return Extracted(parts, lots, quantity, unit, line_stopped)


# ---- the customer's urgency and 8D request, from the policy's words (policy `urgency`) ----------
def _phrase(keyword: str) -> str:
    """A phrase as a pattern: English words whole ("rush" is not in "brush"), Chinese as written."""
    kw = re.escape(keyword.strip().lower())
    if keyword.isascii():
        return r"(?<![a-z0-9])" + kw + r"(?![a-z0-9])"
    return kw


class _Phrases:
    """Phrases grouped by what they say; where phrases overlap, the longest one speaks ("not
    urgent" over "urgent", 特别紧急 over 紧急, "no 8D needed" over "8D")."""

    def __init__(self, groups: dict[str, tuple[str, ...]]):
        self._groups = [(name, re.compile("|".join(_phrase(k) for k in sorted(words, key=len, reverse=True))))
                        for name, words in groups.items() if words]

    def said(self, text: str) -> set[str]:
        norm = _NOT_FACTS.sub(lambda m: " " * len(m.group()), fold(text)).lower()
        found = [(m.start(), m.end(), name) for name, regex in self._groups for m in regex.finditer(norm)]
        return {name for start, end, name in found
                if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, other in found if other != name)}


class FactWords:
    """Reads what the customer demands from the text: urgency (very_urgent | urgent | normal, None
    when the text says nothing) and whether they want an 8D (True, False, None when not said).
    Compiled once from the policy's `urgency` section."""

    def __init__(self, urgency_words, eight_d_words):
        self._urgency = _Phrases({"very_urgent": urgency_words.very_urgent, "urgent": urgency_words.urgent,
                                  "normal": urgency_words.normal})
        self._eight_d = _Phrases({"no": eight_d_words.not_wanted, "yes": eight_d_words.wanted})

    def urgency(self, text: str) -> str | None:
        said = self._urgency.said(text)
        return next((u for u in ("very_urgent", "urgent", "normal") if u in said), None)

    def wants_8d(self, text: str) -> bool | None:
        said = self._eight_d.said(text)
        return False if "no" in said else True if "yes" in said else None
