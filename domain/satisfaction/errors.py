"""Why a satisfaction request was refused; each code is a sentence in domain/messages_satisfaction.py."""
from __future__ import annotations

from domain.errors import DomainError


class SatisfactionRefused(DomainError):
    """A survey or entry that cannot be recorded as given; `code` says why."""

    def __init__(self, code: str, **params):
        self.code = code
        super().__init__(**params)


class UnknownCustomer(DomainError):
    """Scores are kept for known customers only: a typo must not start a customer's year afresh."""

    code = "satisfaction.error.unknown_customer"


class MayNotRecord(DomainError):
    code = "satisfaction.error.not_allowed"


class LocalizedRefusal(SatisfactionRefused):
    """A refusal whose parameters differ per language (a rule's label, a day): `per_lang` holds
    {lang: {param: text}}, merged over the common params when the sentence is made."""

    def __init__(self, code: str, per_lang: dict[str, dict[str, str]], **params):
        self.per_lang = per_lang
        super().__init__(code, **params)

    def message(self, lang: str) -> str:
        from domain.i18n import t

        return t(self.code, lang, **(self.params | self.per_lang.get(lang, self.per_lang.get("en", {}))))
