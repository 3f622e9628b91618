"""Talking to the bot in a DM: what the message left out is asked for, one question at a time,
answered in free text (either language) or by buttons; then the item is filed.

The questions, in order, each only when needed:
- customer: none named, or the name is close to known customers but not surely one of them;
- parts: a quality complaint with neither part nor lot numbers;
- quantity: a quality complaint with no quantity;
- line_stopped: a quality or delivery complaint below AA that does not mention the line at all;
- urgency: a complaint not already AA (nor a stated line stop) whose words say nothing of the
  customer's hurry; asked last, and only in a conversation the other questions started (a report
  with nothing missing is filed at once: the department can set the urgency later).
A delivery complaint needs only the line's state (it decides AA); a service or commercial one
needs nothing more than the customer.

"cancel" / "取消" drops the conversation (the draft is kept); a conversation left unanswered is
reminded of once (the drafts' sweep, `intake.draft_reminder_minutes`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.counts import allowed_count, count_problem, read_count
from domain.extraction import chinese_number, extract, line_state
from domain.text import normalize, split_customer
from models import FeedbackItem

QUESTIONS = ("customer", "parts", "quantity", "line_stopped", "urgency")
URGENCIES = ("normal", "urgent", "very_urgent")
CANCEL = {"cancel", "stop", "abort", "quit", "取消", "算了", "不用了"}
SKIP = {"skip", "unknown", "not known", "don't know", "dont know", "no idea", "n/a", "na", "none", "-",
        "跳过", "不知道", "不清楚", "未知", "没有", "无"}
YES = {"yes", "y", "yeah", "yep", "stopped", "it stopped", "line stopped", "是", "是的", "对", "停了", "停线了", "已停线", "停线"}
NO = {"no", "n", "nope", "not stopped", "running", "否", "不是", "没有", "没停", "没有停", "没停线", "没有停线", "未停线", "不停"}
# A complaint's subject where a stopped line is the first thing a department needs to know.
ASK_LINE_FOR = {"quality", "delivery"}
_MENTIONS_LINE = re.compile(r"\bline|production|停线|停产|产线|线体|生产线|停机|线.{0,3}停")
_SENTENCE = re.compile(r"[。！？!?；;\n]|[,，]\s*\S+\s+\S+\s+\S+")
_CODE = re.compile(r"[A-Za-z]*\d[\w\-/.]*")
# A sentence rather than yes or no ("还没停，库存只够两天", "no, still running"): a denial first.
_NOT_STOPPED = re.compile(r"没停|没有停|未停|不停|还在生产|没影响|not stopped|not yet|no stop|still running|(?<![a-z])no(?![a-z])")
# A denial that still counts the stop down within a shift (LABELING.md): "还没停，但库存只够今晚", "no, but
# only a shift of stock left". Stock for days is stock at risk, not a stop about to happen.
_COUNTDOWN_WORDS = re.compile(r"小时|小時|个班|hours? left|shift|tonight|今晚|今天就|马上|快停")
_STOPPED = re.compile(r"停了|已停|已经停|停线|停产|stopped|line down|is down|(?<![a-z])yes(?![a-z])")


# "不清楚，客戶還沒發照片過來", "not sure yet, waiting for photos": not known, whatever follows.
_DONT_KNOW = re.compile(r"(?:不清楚|不知道|还不知道|不确定|暂时不知道|还没确认|未知|don'?t know|do not know|not sure|no idea|unknown|not known)"
                        r"(?:\s*yet)?(?:[\s,，。.;；!！]|$)")


# What people put before a name when they answer "which customer?": "it's Gelly", "客户是吉利".
_LEAD_IN = re.compile(r"^\s*(?:it'?s|it is|that'?s|that is|the customer is|customer is|customer|they are|客户是|客戶是|是|就是)\s*[:：]?\s*", re.I)


def strip_lead_in(answer: str) -> str:
    """The name in an answer to "which customer?", without "it's" or "客户是" and final punctuation."""
    return _LEAD_IN.sub("", answer).strip(" .!。！") or answer.strip()


def questions_for(item: FeedbackItem) -> list[str]:
    """What to ask about this draft, in order (empty: nothing is missing)."""
    wanted = []
    if item.customer_id is None:
        wanted.append("customer")
    if item.kind == "complaint":
        if item.category == "quality" and not item.part_numbers and not item.lot_numbers:
            wanted.append("parts")
        if item.category == "quality" and item.quantity is None:
            wanted.append("quantity")
        if item.category in ASK_LINE_FOR and item.severity != "AA" and not _MENTIONS_LINE.search(normalize(item.text)):
            wanted.append("line_stopped")
        if item.severity != "AA" and item.line_state not in ("stopped", "about_to_stop") and item.urgency_source is None:
            wanted.append("urgency")
    return wanted


def worth_asking(questions: list[str]) -> bool:
    """Whether to start a conversation: something besides the urgency is missing."""
    return any(q != "urgency" for q in questions)


# A DM this short that is no answer gets "didn't understand"; a longer one is new feedback.
SHORT = 40


def answers(question: str, text: str) -> bool:
    """Whether a DM sent while `question` waits is its answer, rather than new feedback: "BYD: …"
    names a customer and says something, and a long message that is no answer is a new report."""
    customer, said = split_customer(text)
    if customer and said:
        return False
    return is_cancel(text) or read_answer(question, text) is not None or len(text.strip()) <= SHORT


def is_cancel(text: str) -> bool:
    return normalize(text).strip(" .!。！") in CANCEL


@dataclass(frozen=True)
class Answer:
    facts: dict[str, Any]  # what to record on the item ({} for "not known")


def read_answer(question: str, text: str) -> Answer | None:
    """The answer to `question` in free text, or None when it is not one (the question is asked again)."""
    said = normalize(text).strip(" .!。！")
    if not said:
        return None
    # "没有" is "none" to "which parts?" but "no" to "is their line stopped?": a yes or no is read as one.
    yes_or_no = question == "line_stopped" and said in YES | NO
    if question != "customer" and not yes_or_no and (said in SKIP or _DONT_KNOW.match(said)):
        return Answer({})
    if question == "customer":  # a name, not a sentence
        name = text.strip()
        return Answer({"customer": name}) if len(name) <= 60 and not _SENTENCE.search(name) else None
    if question == "parts":
        found = extract(text)
        parts, lots = list(found.part_numbers), list(found.lot_numbers)
        if not parts:  # an answer to "which part?" may be the bare numbers, beside a labelled lot
            taken = {x.upper() for x in lots}
            parts = [c for c in _CODE.findall(text) if len(c) >= 3 and c.upper() not in taken
                     and not any(c.upper() in x for x in taken)]
        return Answer({"part_numbers": parts, "lot_numbers": lots}) if parts or lots else None
    if question == "quantity":
        return _quantity(text, said)
    if question == "urgency":
        return _urgency(said)
    if question == "line_stopped":
        # "还没停，但库存只够两天", "not yet but they will stop tonight": not stopped, about to.
        state = line_state(text)
        if state is None and (said in NO or _NOT_STOPPED.search(said)):
            state = "running"
        if state is None and (said in YES or _STOPPED.search(said)):
            state = "stopped"
        if state == "running" and _COUNTDOWN_WORDS.search(said):
            state = "about_to_stop"
        return Answer({"line_state": state}) if state else None
    raise ValueError(question)


# Answers to "How urgent is it for the customer?" (the very urgent ones first: 特别紧急 contains 紧急).
_VERY_URGENT = re.compile(r"very|extremely|super|特别|特急|非常|十万火急|万分|明天|tomorrow|today|今天|24")
_NOT_URGENT = re.compile(r"not urgent|no rush|no hurry|normal|不急|不紧急|不着急|一般|(?<![a-z])no(?![a-z])|不是")
_URGENT = re.compile(r"urgent|asap|rush|hurry|soon|急|尽快|(?<![a-z])yes(?![a-z])|是")


def _urgency(said: str) -> Answer | None:
    for pattern, urgency in ((_NOT_URGENT, "normal"), (_VERY_URGENT, "very_urgent"), (_URGENT, "urgent")):
        if pattern.search(said):
            return Answer({"urgency": urgency})
    return None


def _quantity(text: str, said: str) -> Answer | None:
    digits = said.replace(" ", "")
    if digits and count_problem(digits) != "error.not_a_count":  # digits: a count, or none at all when past the limit
        return Answer({"quantity": quantity}) if (quantity := read_count(digits)) else None
    found = extract(text)
    if found.quantity:
        return Answer({"quantity": found.quantity})
    try:
        number = chinese_number(said.rstrip("个件只pcs "))
    except (ValueError, KeyError, TypeError):
        return None
    whole = int(number) if number and float(number).is_integer() else None
    return Answer({"quantity": whole}) if allowed_count(whole) else None
