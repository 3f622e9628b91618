"""Reminders and escalations: a message in the item's thread (mentioning its owner, or the
department while nobody owns it) with snooze buttons, and the one DM a person gets per tick listing
every deadline that needs them."""
from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_timedelta
from babel.lists import format_list

from bot import action_ids as ids
from bot.views.common import Markup, button, md, mention, section
from bot.views.thread import department_mention
from domain.cards import ItemCard
from domain.i18n import BABEL_LOCALE, fmt_when, ref, t
from domain.policy import Policy
from domain.reports.labels import milestone_label


def _who(policy: Policy, target: str | None) -> Markup:
    if not target:
        return Markup("")
    if target.startswith("department:"):
        return department_mention(policy, target.split(":", 1)[1])
    return mention(target)


def _milestone(policy: Policy, name: str, lang: str) -> str:
    return milestone_label(name, policy, lang)


def _span(delta, lang: str) -> str:
    """"3 hours", never "0 seconds" (a tick at the due minute says "1 minute")."""
    return format_timedelta(max(abs(delta), timedelta(minutes=1)), threshold=1.5, granularity="minute",
                            locale=BABEL_LOCALE.get(lang, "en_GB"))


def clock_text(card: ItemCard, policy: Policy, lang: str, data: dict, now: datetime) -> str:
    due = datetime.fromisoformat(data["due_at"])
    params = dict(mention=_who(policy, data.get("mention")), milestone=_milestone(policy, data["milestone"], lang),
                  ref=ref(card.item.number), when=fmt_when(due, policy.tz, lang))
    if data.get("stage", 0) == 0:
        return ":alarm_clock: " + md("sla.reminder", lang, left=md("parent.left", lang, delta=_span(due - now, lang)), **params)
    text = ":rotating_light: " + md("sla.overdue", lang, late=md("parent.overdue", lang, delta=_span(now - due, lang)), **params)
    reached = data.get("reached") or {person: [] for person in data.get("notified", [])}
    if reached:
        people = [md("sla.reached_as", lang, person=mention(person), roles=roles_text(roles, lang)) if roles else mention(person)
                  for person, roles in reached.items()]
        text += " " + md("sla.escalated_to", lang, people=Markup(", ".join(people)))
    return text


def roles_text(roles: list[str], lang: str) -> str:
    """"department manager and quality manager": every role an escalation reaches a person as."""
    return format_list([t(f"sla.role.{role}", lang) for role in roles], locale=BABEL_LOCALE.get(lang, "en_GB"))


def clock_blocks(card: ItemCard, policy: Policy, lang: str, data: dict, now: datetime) -> list[dict]:
    blocks = [section(clock_text(card, policy, lang, data, now))]
    if card.item.severity != "AA" or data.get("stage", 0) == 0:  # an overdue AA is not snoozed
        blocks.append({"type": "actions", "block_id": f"snooze_{data['deadline_id']}", "elements": [
            button(t(f"snooze.{choice}", lang), ids.SNOOZE + choice, f"{data['deadline_id']}:{choice}")
            for choice in policy.escalation.snooze]})
    return blocks


def digest_text(cards: list[tuple[ItemCard, dict]], policy: Policy, lang: str, now: datetime) -> str:
    lines = [md("sla.digest_title", lang, count=len(cards))]
    for card, entry in cards:
        due = datetime.fromisoformat(entry["due_at"])
        lines.append("• " + md("sla.digest_line", lang, ref=ref(card.item.number), severity=card.item.severity,
                                customer=card.customer_in(lang) or "?",
                                milestone=_milestone(policy, entry["milestone"], lang), when=fmt_when(due, policy.tz, lang),
                                late=t("sla.digest_late", lang) if due <= now else "")
                     + (md("sla.digest_as", lang, roles=roles_text(entry["roles"], lang)) if entry.get("roles") else ""))
    return "\n".join(lines)
