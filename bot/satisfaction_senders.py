"""Senders for the satisfaction DMs (bot/delivery.py lists them in SENDERS): the quality manager's
request to confirm a manual entry (with Confirm / Decline), the answer to the person who recorded
it, the improvement task for its sales owner and its reminders, and the reminder to run the survey
at a moment. Each is drawn from its outbox row alone, in the recipient's language."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.views.satisfaction import (entry_done_text, entry_request_blocks, survey_moment_text, task_opened_text,
                                    task_reminder_text)

if TYPE_CHECKING:
    from bot.delivery import Deliverer


def _lang(d: "Deliverer", row) -> str:
    return d.locale_of(row.user, row.locale)


def entry_request(d: "Deliverer", row, card, parent) -> str:
    text, blocks = entry_request_blocks(row.data, _lang(d, row))
    return d.post(row.channel, text=text, blocks=blocks, metadata=d.metadata(row, "voc_message"))


def entry_decided(d: "Deliverer", row, card, parent) -> str:
    text = entry_done_text(row.data, row.data["state"], row.data["decided_by"], _lang(d, row))
    return d.post(row.channel, text=text, metadata=d.metadata(row, "voc_message"))


def task_opened(d: "Deliverer", row, card, parent) -> str:
    return d.post(row.channel, text=task_opened_text(row.data, _lang(d, row)), metadata=d.metadata(row, "voc_message"))


def task_reminder(d: "Deliverer", row, card, parent) -> str:
    return d.post(row.channel, text=task_reminder_text(row.data, _lang(d, row)), metadata=d.metadata(row, "voc_message"))


def survey_moment(d: "Deliverer", row, card, parent) -> str:
    return d.post(row.channel, text=survey_moment_text(row.data, _lang(d, row)), metadata=d.metadata(row, "voc_message"))


SATISFACTION_SENDERS = {
    "satisfaction_entry": entry_request,
    "satisfaction_entry_decided": entry_decided,
    "satisfaction_task": task_opened,
    "satisfaction_task_reminder": task_reminder,
    "survey_moment": survey_moment,
}
