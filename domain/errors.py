"""Domain errors carry a message code; the bot turns each into a sentence in the user's language."""
from __future__ import annotations


class DomainError(Exception):
    code = "error.generic"

    def __init__(self, **params):
        self.params = params
        super().__init__(f"{self.code} {params}")

    def message(self, lang: str) -> str:
        """The sentence for the person, in their language (plain text: the bot escapes it)."""
        from domain.i18n import t

        return t(self.code, lang, **self.params)


class ItemNotFound(DomainError):
    code = "error.not_found"


class NotAllowed(DomainError):
    code = "error.not_allowed"


class TooLateToUndo(DomainError):
    code = "error.too_late_to_undo"


class InvalidValue(DomainError):
    code = "error.invalid_value"


class AlreadyWithdrawn(DomainError):
    code = "error.already_withdrawn"
