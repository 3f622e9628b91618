"""Which count in a message is the defective one and which the checked one, read from the words
around each count (its role), for the many ways people write it beside "3 of 500":
"received 5000 pcs … rejected 150", "送了三千个，他们抽了三百个发现十五个", "抽驗48件有16件毛邊",
"拉力试验32件断了2件", "500 pcs 里挑出 4 pcs", "0 defects in 800", "Checked 10, all 10 out".

A count that is no fact of the complaint is left out: stock and goods on the way ("truck 上有 200 pcs",
"线边剩150件", "only 150 pcs left", "need 300 more"), a rate ("3 in every 100", "5%", "per bag"), a
vague amount ("几十根", "一千多根"). Numbers are read in Arabic digits, Chinese numerals (cn2an) and
English words ("Two hundred pcs"). Called by domain/extraction.py on text whose codes are masked.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from dataclasses import dataclass

ZH_DIGITS = "零〇一二两兩三四五六七八九十百千万萬"
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_EN_SCALE = {"hundred": 100, "thousand": 1000}
MULTIPLIER = {"k": 1000, "K": 1000, "千": 1000, "万": 10000, "萬": 10000}


def chinese_number(text: str) -> float:
    """A number written in Chinese numerals (cn2an's "smart" mode), e.g. 两万 → 20000. cn2an is imported
    at the first one, not with this module: the web process and most commands never read one."""
    import cn2an

    return cn2an.cn2an(text, "smart")


def number(digits: str, multiplier: str | None = None) -> int:
    """The value of a number as written: "1,200", "1.5" with "k", 两百, "two hundred"."""
    words = digits.lower().split()
    if words and words[0] in EN_NUMBERS:
        return EN_NUMBERS[words[0]] * (_EN_SCALE[words[1]] if len(words) > 1 else 1)
    if digits and digits[0] in ZH_DIGITS:
        return int(chinese_number(digits))
    if multiplier is None and digits[-1:] in MULTIPLIER:  # "2k" read as one
        digits, multiplier = digits[:-1], digits[-1]
    return int(round(float(digits.replace(",", "")) * MULTIPLIER.get(multiplier or "", 1)))


@lru_cache(maxsize=4096)  # the same few numerals come back in every message (一, 两, 三百); cn2an is slow
def count(digits: str, multiplier: str | None = None) -> int | None:
    """`number`, or None when the words are no number after all (cn2an refuses 百 alone, 两两)."""
    try:
        return number(digits, multiplier)
    except (ValueError, KeyError, TypeError):
        return None


_UNIT = (r"pcs\.?|pc|pieces|piece|units|sets|parts|ones|件|个|只|套|台|片|支|根|条|块|颗|粒|"
         r"[a-z]{3,}(?:ers|ors|ings|ges|ets|ps|ts|ds|ks|ls|ns|rs|es)\b")
# A count as people write it, with what tells a count from another number: a unit or a thing counted.
_NOT_AFTER_NUMBER = rf"(?![\d%\-]|[./:]\d|多|几|余|\s*%|[A-Za-z](?![A-Za-z])|(?i:st|nd|rd|th)\b)(?P<unit>\s*(?i:{_UNIT}))?"
_MENTION = re.compile(rf"(?<![\d.A-Za-z\-/:{ZH_DIGITS}几多数第])(?<!\d,)(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|[{ZH_DIGITS}]+)"
                      + _NOT_AFTER_NUMBER)
# "Two hundred pcs": looked for only where "hundred" or "thousand" is (words are costly at every position).
_MENTION_WORDS = re.compile(rf"\b(?P<num>(?i:{'|'.join(EN_NUMBERS)})\s+(?i:hundred|thousand))\b" + _NOT_AFTER_NUMBER)
_NOT_UNIT = re.compile(r"\s*(?:days|hours|weeks|months|years|minutes|times|shifts|lines|trucks|orders|lots|batches|cars|"
                       r"engineers|operators|people|samples|boxes|cartons|pallets|bags|vs|rev)\b|"
                       r"\s*(?:h|hrs?|mins?)\b|\s*(?:个|位|名)?(?:客户|人|员工|工程师)|\s*(?:万|千|k)?\s*(?:rmb|usd|eur|元|块|美元|dollars?)|\s*(?:次|天|小时|周|个月|个小时|年|月|号|日|点|分钟|条线|条产线|班|箱|托|盒)", re.I)
# What makes a count the checked one: an inspection before it (strong), or a whole it is part of (weak:
# "共 12 个" alone is the affected count, beside "不良35 pcs" it is the checked one).
def _word(word: str) -> str:
    """`word` whole, its boundaries checked after it: a pattern that starts with a literal is found by
    re's fast first-character scan, one that starts with \\b is tried at every position."""
    return rf"{word}(?<![a-z]{word})(?![a-z])"


_STRONG_CHECK = (r"checked|inspected|sampled|sorted|sorting|tested|screened|measured|counted|went\s+through|"
                 r"each\s+sample|抽检|抽验|抽查|抽了|抽样|(?<!漏)检了|检验了|检查了|全检了?|测了|试验|(?<!漏)挑了|挑选了|筛选了|"  # 漏挑了 2 pcs: missed
                 rf"抽(?=\s*[\d{ZH_DIGITS}])")  # "抽二十个": 抽 alone only right before its number
# The words before a count, found in one pass over the stretch before it in the lower-cased text
# (cheaper than a search ending at the count; without re.I, which makes an alternation of words slow),
# each kind of cue followed by so much before the count (its gap).
_FILLER = re.compile(rf"[^,，.。;；!！?？\d{ZH_DIGITS}]{{0,8}}?(?:about|around|~|约|大约)?\s*", re.I)
_SPACE = re.compile(r"\s*")
_CHECK_LEFT = re.compile(_STRONG_CHECK)
_WHOLE_LEFT = re.compile(
    r"received|delivered|shipped|supplied|box\s+of|carton\s+of|lot\s+of|batch\s+of|pallet\s+of|delivery\s+of|samples?\s+of|out\s+of|"
    r"defects?(?:\s+found)?\s+in(?:\s+the)?|rejects?\s+in|bad\s+in|failures?\s+in|pcs\s+in|pieces\s+in|found\s+in\s+the|"
    r"送了|发了|交了|来料|收到|一共|总共|共|整箱|整批|一箱|一托|一批|" + _word("total") + "|pallet|栈板|棧板")
_CHECK_RIGHT = re.compile(rf"^\s*(?:[a-z]{{1,3}}\s*|[\u4e00-\u9fff]{{1,3}})?(?:里|中|当中|里面|之中)|^\s*(?:checked|inspected|sampled|tested|sorted|measured)|"
                          rf"^\s*有\s*[\d{ZH_DIGITS}]", re.I)  # "500 pcs 里", "三个有一个"
# "发现端子变形27件": what was found may be named between 发现 and its count
_BAD_LEFT = re.compile(r"found|rejected|rejects|reject|scrapped|scrap|有|发现[\u4e00-\u9fff]{0,6}|拒收|判退|找出|挑出来|挑出|断了|坏了|不良|不合格|" + _word("ng"))
_BAD_RIGHT = re.compile(
    r"^\s*(?:[a-z]+\s+){0,2}?(?:bad|defective|defects?|failures?|ng|nok|rejects?|rejected|failed|cracked|broken|bent|damaged|"
    rf"leak\w*|wrong|scratched|scrap\w*|out\s+of\s+spec|had|were|show\w*|不良|不合格|坏|断|裂|有问题|错|漏|卡滞|毛)(?![a-z])(?!了?\s*[\d{ZH_DIGITS}])", re.I)  # "32件断了2件": the bad ones follow
_ALL = re.compile(_word("all") + "|全部|全数")
_ALL_RIGHT = re.compile(r"^[\s,，]*(?:全部|全数|都是?)\s*(?:ng|不良|坏|不合格|报废|退)|^\s*全退|^\s*(?:are\s+|were\s+)?all\s+(?:bad|ng|defective|rejected|out)", re.I)
# Goods on hand or on the way, an order, a pack size, a rate: counts, but not of the complaint.
_ASIDE_LEFT = re.compile(r"truck|车上|在路上|剩|每|instead\s+of|every|still\s+have|订单|最后|第|多供|加供|再送|追加|"
                         + "|".join(map(_word, ("left", "need", "needs", "more", "per", "order", "deliver", "ship", "send", "supply", "bring",
                                                 "rev", "dn", "po", "asn", "invoice"))))  # "rev 04", "DN 77120": no counts
_ASIDE_GAP = re.compile(r"[^,，.。;；]{0,6}")
_ASIDE_RIGHT = re.compile(r"^[^,，.。;；]{0,24}?(?:\bleft\b|\bmore\b|\bper\b|在路上|剩|\bon\s+(?:the\s+)?(?:truck|way)|\bin\s+every)|"
                          r"^[\d,]+\s*(?:pcs\s*|pieces\s*)?(?:ok|good|passed|fine)\b|^\S+?\s*(?<!不)(?:合格|良品)", re.I)  # "980 OK, 20 NG"


_RATE_OF = re.compile(r"%")
# One pass over the text for every kind of cue before a count (one alternation: six passes cost more).
_LEFT_CUES = {"check": _CHECK_LEFT, "part_of": _WHOLE_LEFT, "bad": _BAD_LEFT, "whole": _ALL, "aside": _ASIDE_LEFT, "rate": _RATE_OF}
_LEFT = re.compile("|".join(f"(?P<{kind}>{cue.pattern})" for kind, cue in _LEFT_CUES.items()))
_RATE_GAP = re.compile(r"\s*(?:of\s+(?:the\s+)?)?", re.I)
_RATE = re.compile(r"\d\s*%(?!\s*rh)|百分之|\bppm\b|率", re.I)  # "85%RH" is a test condition


@dataclass(frozen=True)
class Mention:
    value: int
    start: int
    end: int
    unit: bool
    checked: bool  # after an inspection ("抽了三百个", "sorting 2,500 pcs")
    part_of: bool  # a whole the bad ones are of ("送了三千个", "共2,000 pcs", "out of 3000")
    bad: bool
    said_bad: bool  # a defect word right after it ("7 broken"): bad even without a unit
    whole: bool  # "all 10", "两百件全部 NG": every piece of it is bad
    aside: bool
    rated: bool  # "5% of the 10,000": the whole a rate is of


# How far before a count its cue may start (the longest cue and its gap).
_REACH = 44
# A complaint says a few counts; past this many, the text is a table or a paste, and the rest are not read.
MAX_MENTIONS = 40


def mentions(folded: str) -> list[Mention]:
    """The counts in the text (the first MAX_MENTIONS) with the words around each read."""
    lower = folded.lower()
    numbers = list(islice(_MENTION.finditer(folded), MAX_MENTIONS))
    if "hundred" in lower or "thousand" in lower:
        numbers = sorted(numbers + list(islice(_MENTION_WORDS.finditer(folded), MAX_MENTIONS)), key=lambda m: m.start())
    if not numbers:
        return []
    found: list[Mention] = []
    for m in numbers:
        digits = m.group("num")
        if not m.group("unit") and digits[0] in ZH_DIGITS:
            continue  # 一直, 统一, 十分: a Chinese numeral is a count only with its measure word
        if (digits.isdigit() and len(digits) > 6) or _NOT_UNIT.match(folded, m.end("num")):
            continue  # an order, an invoice, a phone number; a duration, a line, a pack
        value = count(digits)
        if value is None:
            continue
        start, right = m.start(), lower[m.end():m.end() + 30]
        cues: dict[str, list[int]] = {kind: [] for kind in _LEFT_CUES}
        for cue in _LEFT.finditer(lower, max(0, start - _REACH), start + 1):  # only where a cue may be ("抽(?=二)" looks on)
            cues[cue.lastgroup].append(cue.end())
        check, part_of, bad, whole, aside, rate = cues.values()
        found.append(Mention(value, start, m.end(), bool(m.group("unit")), _after(check, _FILLER, lower, start),
                             _after(part_of, _FILLER, lower, start) or bool(_CHECK_RIGHT.search(right)),
                             _after(bad, _SPACE, lower, start) or bool(_BAD_RIGHT.search(right)), bool(_BAD_RIGHT.search(right)),
                             (_after(whole, _SPACE, lower, start) and not right.startswith(" of ")) or bool(_ALL_RIGHT.search(right)),
                             _after(aside, _ASIDE_GAP, lower, start) or bool(_ASIDE_RIGHT.search(lower[start:m.end() + 30])),
                             _after(rate, _RATE_GAP, lower, start)))
    return found


def _after(ends: list[int], gap: re.Pattern, lower: str, start: int) -> bool:
    """Whether a cue ending at one of `ends` comes just before `start`, with only `gap` between."""
    return any(end <= start and gap.fullmatch(lower, end, start) for end in ends)


def roles(found: list[Mention], folded: str) -> tuple[int | None, int | None, bool] | None:
    """(defective, checked, sure) read from the roles of the counts: a whole and what is bad of it, an
    inspected count alone (checked, no defective), every piece bad ("all 10"); or a bad count said
    alone (not sure: the caller's plain reading may be better). None when no count has a role."""
    said = [m for m in found if (not m.aside or m.checked) and (m.unit or m.checked or m.part_of or m.bad or m.whole)]
    rated = next((m for m in said if m.rated), None)
    if rated:  # "5% of the 10,000 delivered": a rate of a whole, no count of bad ones
        return None, rated.value, True
    inspected = next((m for m in said if m.checked and not m.bad), None)
    whole = next((m for m in said if m.whole), None)
    if whole and (inspected is None or inspected.value == whole.value):
        return whole.value, whole.value, True
    checked = inspected or next((m for m in said if m.part_of and not m.bad), None)
    if checked is not None and not inspected and _RATE.search(folded):  # "退针率5%, 共一万个": a rate of the whole
        return None, checked.value, True
    if checked is not None:
        bad = next((m for m in said if m is not checked and m.bad and (m.value < checked.value or m.value == checked.value and m.said_bad)), None) \
            or next((m for m in said if m is not checked and m.unit and not m.part_of and m.value < checked.value), None)
        if bad is not None:
            return bad.value, checked.value, True
        if inspected is not None:
            return None, inspected.value, True
    bad = next((m for m in said if m.bad and (m.unit or m.said_bad)), None)
    return (bad.value, None, False) if bad else None


def aside_only(found: list[Mention]) -> bool:
    """Whether every count with a unit is stock, goods on the way or an order."""
    counted = [m for m in found if m.unit]
    return bool(counted) and all(m.aside for m in counted)
