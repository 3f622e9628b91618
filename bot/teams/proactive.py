"""The outbox's Teams senders for the messages the bot starts itself (proactive messages, Bot Framework
terms): the SLA's reminders and escalations in an item's thread and its digests to people, notes and
approvals, the scheduled reports, the exports, the satisfaction messages and the admins' notices of a
parked row — drawn from the same views as Slack's (bot/sla_senders.py, bot/report_senders.py,
bot/satisfaction_senders.py), as Teams messages.

Where a message goes: a thread reply answers the item's parent activity; a message to a person goes to
their personal chat with the bot, which Teams makes on the first Create Conversation and which is
remembered (`teams_chats`) so later messages do not ask again; a channel (a report's recipient) gets a
new post. A chart is an inline image (a base64 attachment: in every scope, no Graph permission); a
document is a download button to `voc web` (bot/teams/files.py says why).

Pacing: every post takes a token of its conversation's bucket, and (in bot/delivery.py, for every Teams
row) of the whole bot's: Teams throttles both ("Rate limiting for bots"); a 429 is retried after its
Retry-After by the outbox.

Nothing twice: the outbox claims a row before sending and records the activity id Teams answers with;
the activity carries the row's key in its channelData. Teams offers a bot no way to list a
conversation's activities (that is Microsoft Graph, with permissions this bot does not ask for), so a
sender that died after Teams took a message and before the outbox recorded it cannot look: the row is
sent again when its claim expires. That window is one HTTP answer long; docs/teams.md says so.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Callable

from bot import item_documents, sla_senders
from bot.messaging.boundary import TEAMS, Conversation, File, Message, Thread
from bot.report_senders import SlackNames, thread_links
from bot.sla_senders import Dropped
from bot.teams import people
from bot.teams.chats import remember_chat
from bot.teams.cards import Card, adaptive_card
from bot.teams.files import share
from bot.teams.links import thread_link
from bot.teams.senders import tags_of
from bot.views.approval import approval_blocks, approval_text, request_of
from bot.views.common import md, mention
from bot.views.report import report_blocks, report_text, title
from bot.views.satisfaction import (entry_done_text, entry_request_blocks, improvement_text, survey_moment_text,
                                    task_opened_text, task_reminder_text)
from bot.views.sla import clock_blocks, clock_text, digest_text
from domain.addresses import TEAMS_PERSON
from domain.clock import as_utc
from domain.errors import DomainError
from domain.i18n import ref, t
from domain.reports.periods import parse
from models import TeamsChat

if TYPE_CHECKING:
    from bot.delivery import Deliverer

# ---- where, and at what pace -------------------------------------------------------------------
def conversation_of(d: "Deliverer", address: str) -> str:
    """A Teams person → their personal chat with the bot (remembered); a conversation id as it is."""
    if not TEAMS_PERSON.fullmatch(address or ""):
        return address
    with d.rt.db.session() as s:
        known = s.get(TeamsChat, address)
        if known is not None:
            return known.conversation
    chat = d.platforms[TEAMS].personal_chat(address)
    remember_chat(d.rt, address, chat)
    return chat


def pace(d: "Deliverer", conversation: str) -> None:
    """The conversation's turn (the whole bot's was taken before the sender ran: bot/delivery.py)."""
    d.pace(conversation)


def say(d: "Deliverer", row, where: str, mrkdwn: str, blocks: list[dict] | None = None, *, thread: str | None = None,
        images: list[tuple[str, bytes]] = (), downloads: list[tuple[str, str]] = ()) -> str:
    """One message: the text (Slack mrkdwn → Teams markdown and mentions), the view as an Adaptive Card
    with `downloads` (name, address) as its buttons, and `images` (name, PNG) inline after it."""
    policy = d.rt.policy
    words = Card(tag_of=tags_of(policy))
    text = words.message_text(mrkdwn)
    body = adaptive_card(blocks, tag_of=tags_of(policy)) if blocks or downloads else None
    if downloads:
        body["actions"] = [*body.get("actions", []),
                           *({"type": "Action.OpenUrl", "title": name, "url": url} for name, url in downloads)]
    pace(d, where)
    d.leases.confirm(row)  # rendering may have taken seconds: send only if no other worker took the row
    message = Message(text, body, key=row.key, item_id=row.item_id, mentions=tuple(words.mentioned),
                      images=tuple(File(name, content) for name, content in images))
    messaging = d.platforms[TEAMS]
    if thread:
        return messaging.reply(Thread(Conversation(TEAMS, where), thread), message)
    return messaging.send(Conversation(TEAMS, where), message)


def in_thread(d: "Deliverer", row, card, parent, mrkdwn: str, blocks: list[dict] | None = None, **files) -> str:
    item = card.item
    if item.channel_id != row.channel or not item.thread_ts:
        d._wait_for_parent(parent)
    return say(d, row, item.channel_id, mrkdwn, blocks, thread=item.thread_ts, **files)


def to_person(d: "Deliverer", row, mrkdwn: str, blocks: list[dict] | None = None, **files) -> str:
    return say(d, row, conversation_of(d, row.channel or row.user), mrkdwn, blocks, **files)


def _lang(d: "Deliverer", row) -> str:
    """The reader's language: a Teams person's is not Slack's to tell (the row's: the company's)."""
    if people.is_teams_person(row.user):
        return row.locale
    return d.locale_of(row.user, row.locale)


# ---- the item's thread -------------------------------------------------------------------------
def clock_message(d: "Deliverer", row, card, parent) -> str:
    """A reminder or an escalation in the item's thread (snooze buttons come with Teams' actions)."""
    sla_senders.still_running(d, row.data["deadline_id"], row.data.get("stage", 0))
    policy, lang, now = d.rt.policy, row.locale, d.rt.clock.now()
    return in_thread(d, row, card, parent, clock_text(card, policy, lang, row.data, now),
                     clock_blocks(card, policy, lang, row.data, now))


def eightd_files(d: "Deliverer", row, card, parent) -> None:
    """The 8D as PDF and XLSX, in the customer's report language, linked in the item's thread."""
    if not card.item.thread_ts:
        d._wait_for_parent(parent)
    lang, files = item_documents.eightd_files(d, card, _full_name_of(d))
    in_thread(d, row, card, parent, t("eightd.files_comment", lang, ref=ref(card.item.number)),
              downloads=_shared(d, row, files))
    return None


def visit_report_file(d: "Deliverer", row, card, parent) -> None:
    if not card.item.thread_ts:
        d._wait_for_parent(parent)
    found = item_documents.visit_file(d, card, int(row.data["visit_id"]), _full_name_of(d))
    if found is None:
        raise Dropped("no such visit")
    lang, n, document = found
    in_thread(d, row, card, parent, t("visit.files_comment", lang, ref=ref(card.item.number), n=n),
              downloads=_shared(d, row, [document]))
    return None


def _full_name_of(d: "Deliverer"):
    """A person's full name for a file: Slack's profile, else the name a Teams activity brought."""
    return lambda user: d.full_name_of(user) or people.name_of(user)


# ---- to people ---------------------------------------------------------------------------------
def digest(d: "Deliverer", row, card, parent) -> str:
    policy, lang, now = d.rt.policy, _lang(d, row), d.rt.clock.now()
    return to_person(d, row, digest_text(sla_senders.still_due(d, row), policy, lang, now))


def parked(d: "Deliverer", row, card, parent) -> str:
    lang = _lang(d, row)
    return to_person(d, row, ":warning: " + md("outbox.parked_notice", lang, id=row.data.get("row_id"),
                                               intent=row.data.get("intent", ""), error=row.data.get("error", ""),
                                               who=mention(row.user)))


def approval(d: "Deliverer", row, card, parent) -> str:
    from domain.lifecycle.approval_brief import approval_brief

    if (row.data or {}).get("subject", "closure") == "closure" and not card.closure_requested:
        raise Dropped("no closure awaits approval")
    lang, request = _lang(d, row), request_of(row.data)
    with d.rt.db.session() as s:
        brief = approval_brief(s, card.item.id, d.rt.policy)
    return to_person(d, row, approval_text(card, lang, request, brief),
                     approval_blocks(card, d.rt.policy, lang, request, brief, d.thread_url(card.item)))


def improvement(d: "Deliverer", row, card, parent) -> str:
    return to_person(d, row, improvement_text(row.data, _lang(d, row)))


def entry_request(d: "Deliverer", row, card, parent) -> str:
    text, blocks = entry_request_blocks(row.data, _lang(d, row))
    return to_person(d, row, text, blocks)


def entry_decided(d: "Deliverer", row, card, parent) -> str:
    return to_person(d, row, entry_done_text(row.data, row.data["state"], row.data["decided_by"], _lang(d, row)))


def task_opened(d: "Deliverer", row, card, parent) -> str:
    return to_person(d, row, task_opened_text(row.data, _lang(d, row)))


def task_reminder(d: "Deliverer", row, card, parent) -> str:
    return to_person(d, row, task_reminder_text(row.data, _lang(d, row)))


def survey_moment(d: "Deliverer", row, card, parent) -> str:
    return to_person(d, row, survey_moment_text(row.data, _lang(d, row)))


# ---- reports and exports ------------------------------------------------------------------------
def report(d: "Deliverer", row, card, parent) -> str:
    """A scheduled or asked-for report in a channel or a person's chat: one message, its charts inline
    images in it and (the monthly report) the month's ledger a download — so it is sent whole or not."""
    from documents.ledger_export import ledger_file as ledger_bytes
    from documents.report_charts import report_charts  # matplotlib: at the first report

    data, policy, now = row.data, d.rt.policy, d.rt.clock.now()
    lang = data.get("language") or (_lang(d, row) if row.user else row.locale)
    period = parse(data["kind"], data["period"])
    try:
        found = d.rt.desk.report(period, lang, data.get("department"), now)
    except DomainError as gone:
        raise Dropped(str(gone)) from gone
    stem = f"voc-{period.key}-{data.get('department') or row.user or 'channel'}-r{row.id}".lower()
    charts = [(f"{stem}-{n}-{name}.png", png) for n, (name, png) in enumerate(report_charts(found, policy, lang), 1)]
    documents = []
    if period.kind == "month" and data.get("department") is None:
        last = period.after - timedelta(days=1)
        documents.append((f"{stem}-ledger.xlsx", ledger_bytes(
            policy, d.rt.desk.ledger_of(period.first, last, SlackNames(d.full_name_of), lang), "xlsx")))
    links = {o.item_id: thread_link(o.channel_id, o.thread_ts, d.rt.settings.teams_tenant_id)
             for o in found.overdue if o.channel_id and o.thread_ts and o.channel_id.startswith("19:")}
    links.update(thread_links(d.rt.client, [o for o in found.overdue if o.item_id not in links]))
    names = {o.owner: d.name_of(o.owner) or people.name_of(o.owner) or o.owner for o in found.overdue if o.owner}
    late_due = as_utc(datetime.fromisoformat(data["due_at"])) if data.get("late") else None
    blocks = report_blocks(found, policy, lang, names, links, now, late_due)
    return to_person(d, row, report_text(found, policy, lang) + "\n\n" + t("report.charts_comment", lang, title=title(found, policy, lang)),
                     blocks, images=charts, downloads=_shared(d, row, documents))


def ledger_to_asker(d: "Deliverer", row, card, parent) -> None:
    """`/export ledger` asked in Teams: the file linked in the asker's chat (their right checked again)."""
    from documents.ledger_export import ledger_file as ledger_bytes

    data, policy, lang = row.data, d.rt.policy, _lang(d, row)
    first, last, fmt = date.fromisoformat(data["first"]), date.fromisoformat(data["last"]), data.get("format", "xlsx")
    try:
        rows = d.rt.desk.ledger_rows(row.user, first, last, SlackNames(d.full_name_of), lang)
    except DomainError as refused:
        raise Dropped(str(refused)) from refused
    name = f"ledger-{first}-{last}-r{row.id}.{fmt}"
    to_person(d, row, t("export.comment", lang, first=first, last=last, count=len(rows)),
              downloads=_shared(d, row, [(name, ledger_bytes(policy, rows, fmt))]))
    return None


def audit_pack_to_asker(d: "Deliverer", row, card, parent) -> None:
    import io

    from documents.audit_pack import write_audit_pack

    data, policy, lang = row.data, d.rt.policy, _lang(d, row)
    first, last = date.fromisoformat(data["first"]), date.fromisoformat(data["last"])
    out = io.BytesIO()
    try:
        with d.rt.desk.audit_pack_of(row.user, first, last, SlackNames(d.full_name_of)) as pack:
            write_audit_pack(out, pack, policy, SlackNames(d.full_name_of))
    except DomainError as refused:
        raise Dropped(str(refused)) from refused
    comment = t("export.pack_comment", lang, first=first, last=last, count=len(pack.records),
                eightds=len(pack.eightd_ids), open=len(pack.nonconformities))
    to_person(d, row, comment, downloads=_shared(d, row, [(f"audit-pack-{first}-{last}-r{row.id}.zip", out.getvalue())]))
    return None


def _shared(d: "Deliverer", row, files: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    now = d.rt.clock.now()
    return [(name, share(d.rt, row.key, name, content, now)) for name, content in files]


PROACTIVE_SENDERS: dict[str, Callable] = {
    "reminder": clock_message,
    "escalation": clock_message,
    "eightd_files": eightd_files,
    "visit_report_file": visit_report_file,
    "sla_digest": digest,
    "parked": parked,
    "approval": approval,
    "improvement_action": improvement,
    "satisfaction_entry": entry_request,
    "satisfaction_entry_decided": entry_decided,
    "satisfaction_task": task_opened,
    "satisfaction_task_reminder": task_reminder,
    "survey_moment": survey_moment,
    "report": report,
    "ledger_file": ledger_to_asker,
    "audit_pack_file": audit_pack_to_asker,
}
