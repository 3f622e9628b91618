"""Text normalisation shared by the classifier, extraction and customer matching.

People write simplified and traditional Chinese, full-width punctuation and
English in one message. Everything is folded to one form before matching:
NFKC (full-width -> half-width), traditional -> simplified (OpenCC), lower case.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")


# What no database stores and no person means: NUL and other C0 controls (tab and line breaks
# stay), DEL, and lone UTF-16 surrogates (a broken emoji from a client), which become U+FFFD.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text safe to store: unstorable characters dropped (controls) or replaced (surrogates)."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() < "\ud800" else "\ufffd", text)


def fold(text: str) -> str:
    """NFKC + simplified Chinese + straight quotes, case kept (for extraction)."""
    return _T2S.convert(unicodedata.normalize("NFKC", text).translate(_QUOTES))


def normalize(text: str) -> str:
    """The matching form: folded, lower case, runs of white space collapsed."""
    return _SPACES.sub(" ", fold(text)).strip().lower()


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """A customer name or alias as compared: normalized, inner punctuation and spaces dropped."""
    return re.sub(r"[\s\-_.,·'\"()（）]+", "", normalize(name))


def language_of(text: str) -> str | None:
    """'zh' when the text has Chinese characters, 'en' when it has Latin letters, else None."""
    if _CJK.search(text):
        return "zh"
    if re.search(r"[A-Za-z]", text):
        return "en"
    return None


# A Slack emoji code such as :fire: or :+1: — its colons are not the customer separator.
_EMOJI = re.compile(r":[a-z0-9_+\-']+:")
_SEPARATOR = re.compile(r"[:：]")
# Before the colon, these are not a customer's name: a mention (@here, @bob), a channel, an e-mail
# address, a link. Their own colons (mailto:) do not split either.
_NOT_A_NAME = re.compile(r"\s*(?:[@#]\S+|\S+@\S+\.\S+|\S+://\S+)\s*")
_NOT_A_NAME_START = re.compile(r"\b(?:mailto|tel|https?):")
_NAMEISH = re.compile(r"[A-Za-z0-9\u3400-\u9fff]")


def has_words(text: str | None) -> bool:
    """Whether the text says anything: a letter or a digit in any script (":" or "…" alone does not)."""
    return any(ch.isalnum() for ch in text or "")


# What people write before a colon that is no customer's name.
NOT_CUSTOMERS = {"客户", "客户反馈", "客户投诉", "客户说", "客户来电", "反馈", "投诉", "问题", "紧急", "备注", "customer",
                 "the customer", "customer complaint", "customer feedback", "complaint", "feedback", "issue", "problem",
                 "urgent", "fyi", "note", "update", "re", "fw", "fwd"}


# Words that say what the message is or where it came from, not whose it is: "转发客户邮件", "客户电话",
# "跟客户开完会的纪录", "Please record", "transport damage", "Customer complaint, no name given - '…'", nor a
# sentence (a comma, six words or more). A company's name has none of them (a known customer is found by name before this is asked).
_ABOUT_THE_MESSAGE = re.compile(r"客户|\bcustomers?\b|^(?:转|跟|请|please\b|pls\b|fwd?\b)|纪录|记录|\brecord\b|"
                                r"\b(?:damage|defects?|issues?|problems?|complaints?|notes?)\b|['\"「『]|[,，]|"
                                # a sentence, not a name: "Valeo buyer just emailed, pasting it here"
                                r"^(?:\S+\s+){5,}\S")


def split_customer(text: str, max_customer_chars: int = 80) -> tuple[str | None, str]:
    """Split '/feedback Customer: what they said' at the first real colon.

    Colons inside emoji codes, URLs (http://) and clock times (10:30) do not count.
    Returns (customer or None, body); both stripped.
    """
    masked = _EMOJI.sub(lambda m: "_" * len(m.group()), text)
    masked = _NOT_A_NAME_START.sub(lambda m: "_" * len(m.group()), masked)
    for m in _SEPARATOR.finditer(masked):
        i = m.start()
        before, after = masked[i - 1: i], masked[i + 1: i + 3]
        if after.startswith("//"):
            continue
        if before.isdigit() and after[:1].isdigit():
            continue
        customer = text[:i].strip()
        body = text[i + 1:].strip()
        if normalize(customer) in NOT_CUSTOMERS or _ABOUT_THE_MESSAGE.search(normalize(customer)):  # "客户电话：…" names nobody
            return None, text.strip()
        if not customer or len(customer) > max_customer_chars or "\n" in customer or not _NAMEISH.search(customer) \
                or _NOT_A_NAME.fullmatch(customer):
            return None, text.strip()
        return customer, body
    return None, text.strip()


# Words a period follows without ending a sentence ("Mr. Li called", "approx. 300 pcs", "No. 5 line").
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "no", "nr", "co", "ltd", "inc", "corp",
                            "dept", "approx", "ca", "etc", "vs", "e.g", "i.e", "fig", "ref", "pcs", "qty"})
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s|\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _first_sentence_end(text: str) -> int | None:
    for m in _SENTENCE_END.finditer(text):
        before = _WORD_BEFORE.search(text[: m.start()])
        word = before.group(1).casefold() if before and text[m.start()] != "\n" else None
        if word is not None and (word in _ABBREVIATIONS or len(word) == 1):  # an abbreviation or an initial
            continue
        return m.start()
    return None


def excerpt(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, cut at a word boundary with an ellipsis: never "Mr" of
    "Mr. Li" or "connec…". Chinese and Japanese have no spaces: there any character is a boundary;
    a single word longer than the limit is cut inside it."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not (_CJK.match(text[limit - 1]) or _CJK.match(cut[-1]) or text[limit - 1].isspace()):
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def summarize(text: str, limit: int = 140) -> str:
    """The first sentence (or line) of the text (a period after "Mr" or an initial ends none), cut to
    `limit` characters at a word boundary."""
    flat = _SPACES.sub(" ", text).strip()
    end = _first_sentence_end(text.strip())
    first = _SPACES.sub(" ", text.strip()[:end]).strip() if end is not None else flat
    if not first:
        first = flat
    return excerpt(first, limit)
