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


# What people write before a colon that is no customer's name.
NOT_CUSTOMERS = {"客户", "客户反馈", "客户投诉", "客户说", "客户来电", "反馈", "投诉", "问题", "紧急", "备注", "customer",
                 "the customer", "customer complaint", "customer feedback", "complaint", "feedback", "issue", "problem",
                 "urgent", "fyi", "note", "update", "re", "fw", "fwd"}


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
        if normalize(customer) in NOT_CUSTOMERS:  # "客户：…", "Customer complaint: …" name nobody
            return None, text.strip()
        if not customer or len(customer) > max_customer_chars or "\n" in customer or not _NAMEISH.search(customer) \
                or _NOT_A_NAME.fullmatch(customer):
            return None, text.strip()
        return customer, body
    return None, text.strip()


def summarize(text: str, limit: int = 140) -> str:
    """The first sentence (or line) of the text, cut to `limit` characters."""
    flat = _SPACES.sub(" ", text).strip()
    m = re.search(r"(?<=[.!?。！？])\s|\n", text.strip())
    first = _SPACES.sub(" ", text.strip()[: m.start()]).strip() if m else flat
    if not first:
        first = flat
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
