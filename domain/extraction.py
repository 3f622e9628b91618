"""Pull structured facts out of free text: part numbers, lot numbers, quantities."""
from __future__ import annotations

import re
from dataclasses import dataclass

from domain.text import fold

_CODE = r"([A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|[A-Za-z0-9])"
_PART_LABEL = re.compile(
    r"(?:\bp/?n\b|\bpart\s*(?:no\.?|number|num|#)|\bpart\b|料号|零件号|物料号|物料编码|零件编号|图号|品番|型号)\s*[:#：.]?\s*" + _CODE,
    re.I,
)
_LOT_LABEL = re.compile(
    r"(?:\blot\s*(?:no\.?|number|#)?|\bbatch\s*(?:no\.?|number|#)?|批号|批次号|批次|生产批号)\s*[:#：.]?\s*" + _CODE,
    re.I,
)
# "23-1107批" — a lot written before the character for batch.
_LOT_BEFORE = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z0-9][A-Za-z0-9\-]*\d[A-Za-z0-9\-]*)\s*(?:批次|批)")
# A bare token that looks like a part number: letters and digits, 5+ characters, e.g. CN-4410-B, HX2231.
_BARE_PART = re.compile(r"(?<![A-Za-z0-9\-])(?=[A-Za-z0-9\-]*\d)(?=[A-Za-z0-9\-]*[A-Za-z])[A-Za-z]{1,5}-?\d[A-Za-z0-9\-]{2,}(?![A-Za-z0-9\-])")
_QTY = re.compile(
    r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)\s*(pcs|pc|pieces|piece|units|unit|sets|set|parts|boxes|件|个|只|套|台|片|支|箱|pcs\.)(?![A-Za-z])",
    re.I,
)
_QTY_LABEL = re.compile(r"(?:\bqty|\bquantity|数量)\s*[:：]?\s*(\d{1,3}(?:,\d{3})+|\d+)", re.I)
_NOT_PARTS = {"8d", "ppap", "iatf", "iso9001", "16949"}


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


# Never part or lot numbers: links, e-mail addresses, @people and #channels (their ids and URL
# fragments look like codes). Masked with spaces so positions stay as they were.
_NOT_FACTS = re.compile(r"\S+://\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w@#])[@#][\w.-]+")


def extract(text: str, *, line_stopped: bool = False) -> Extracted:
    folded = _NOT_FACTS.sub(lambda m: " " * len(m.group()), fold(text))
    lot_matches = list(_LOT_LABEL.finditer(folded)) + list(_LOT_BEFORE.finditer(folded))
    lots = _unique(m.group(1) for m in lot_matches)
    lot_spans = [m.span(1) for m in lot_matches]
    labelled = [m.group(1) for m in _PART_LABEL.finditer(folded) if any(c.isdigit() for c in m.group(1))]
    bare = [
        m.group()
        for m in _BARE_PART.finditer(folded)
        if not any(s <= m.start() < e for s, e in lot_spans) and m.group().lower() not in _NOT_PARTS
    ]
    parts = _unique([p for p in labelled + bare if p not in lots])
    quantity = unit = None
    m = _QTY.search(folded)
    if m:
        quantity, unit = int(m.group(1).replace(",", "")), m.group(2).lower().rstrip(".")
    else:
        m = _QTY_LABEL.search(folded)
        if m:
            quantity = int(m.group(1).replace(",", ""))
    return Extracted(parts, lots, quantity, unit, line_stopped)
