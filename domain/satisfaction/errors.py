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
