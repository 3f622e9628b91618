"""Domain errors carry a message code; the bot turns each into a sentence in the user's language."""
from __future__ import annotations


class DomainError(Exception):
    code = "error.generic"
    hand_back = False  # True: nothing of the request was stored, the answer gives the person's text back

    def __init__(self, **params):
        self.params = params
        super().__init__(f"{self.code} {params}")

    def message(self, lang: str) -> str:
        """The sentence for the person, in their language (plain text: the bot escapes it)."""
        from domain.i18n import t

        return t(self.code, lang, **self.params)


class ValueRefused(DomainError):
    """The database refused a value of the request (a number past its column): every try would be
    refused the same way, so the person is told at once rather than after three retries."""
    code = "error.value_refused"
    hand_back = True


class ItemNotFound(DomainError):
    code = "error.not_found"


class NotAllowed(DomainError):
    code = "error.not_allowed"


class InvalidValue(DomainError):
    code = "error.invalid_value"


class ItemFinished(DomainError):
    """A closed or withdrawn item takes no corrections: reopen it first (closed), or file it again."""
    code = "error.item_finished"

    def message(self, lang: str) -> str:
        from domain.i18n import ref, t

        return t(self.code, lang, ref=ref(self.params.get("ref")), status=t(f"status.{self.params.get('status')}", lang))


class MembershipUnknown(DomainError):
    """Whether the person is in a Slack user group cannot be known now (Slack refused or is away):
    a role that comes only from that group is refused rather than guessed from an old answer."""
    code = "error.membership_unknown"


class GuestRefused(DomainError):
    """Slack guests (single- and multi-channel) see nothing of VOC Desk and can do nothing in it."""
    code = "error.guest"


class NotVisible(DomainError):
    """The item's customer is restricted and this person is not among those who may see it."""
    code = "error.not_visible"


class ClassificationAfterWork(DomainError):
    """Kind and category of an item somebody already works are a manager's to change."""
    code = "error.classification_after_work"


class UnknownReference(DomainError):
    """A command names a VOC-n no complaint has (`ref`: "VOC-77")."""
    code = "complaint.unknown_ref"


class UnknownReturnCustomer(DomainError):
    """`/return <customer>` names no known customer (`customer`: what was typed) or an RMA-n no standalone return has."""
    code = "return.unknown"
