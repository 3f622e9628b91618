"""Senders for the scheduled reports, the ledger and the audit pack sent by DM and the QM's improvement
action (bot/delivery.py lists them in SENDERS). People in the ledger and the audit pack are named as
the 8D names them: their full names as Slack knows them (`SlackNames`, users.info through the
locales' cache), looked up only for the ids a file names; the ledger's labels are in the reader's
language.

A report is one outbox row that makes two posts: the message (blocks, carrying the row's key in its
metadata) and its files — the charts, and with the monthly report the month's ledger (XLSX) — by
files upload v2, into the same conversation, right after. Each send first reads the conversation's
recent history for both — the message by its key, the files by their names, which carry the row's
id — and makes only what is missing: a sender that died between the two posts is completed, never
repeated. (Delivery's own lookup assumes one post per row and looks only after a doubtful send; a
row whose files failed after its message went out needs the look every time.) A report is rendered
when sent, from the figures as at its period's end.
"""
from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.sla_senders import Dropped
from bot.views.satisfaction import improvement_text
from bot.views.report import report_blocks, report_text, title
from domain.clock import as_utc
from domain.errors import DomainError
from domain.i18n import t
from domain.reports.periods import parse

if TYPE_CHECKING:
    from bot.delivery import Deliverer

log = logging.getLogger("voc.reports")
HISTORY_PAGE_SIZE = 200  # as bot/delivery.py reads history (it imports this module)


class SlackNames(Mapping):
    """user id → the person's full name (the profile's real name: a file is read outside Slack, where
    a handle means nothing), asked of Slack (`full_name_of`: users.info, cached) for each id the domain
    looks up; an id Slack cannot name is missing, and the domain shows the id."""

    def __init__(self, full_name_of: Callable[[str], str | None]):
        self._full_name_of = full_name_of

    def __getitem__(self, user: str) -> str:
        name = self._full_name_of(user) if user else None
        if not name:
            raise KeyError(user)
        return name

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:  # not "empty": callers write `names or {}`
        return True


def _language(d: "Deliverer", row) -> str:
    """The policy's language for this recipient, else the person's own, else the reports' default."""
    return row.data.get("language") or (d.locale_of(row.user, row.locale) if row.user else row.locale)


def _already_there(d: "Deliverer", row, conversation: str, first_file: str | None) -> tuple[str | None, bool]:
    """(ts of the report's message, whether its files are there) from the conversation's history. File
    names carry the row's id, so another report of the same period (a `/digest … post`) is not taken
    for this one's."""
    ts, files = None, first_file is None

    def page(cursor):
        return d.rt.client.conversations_history(channel=conversation, include_all_metadata=True,
                                                 limit=HISTORY_PAGE_SIZE, cursor=cursor)

    for message in d.recent(page, row):
        if d.key_of(message) == row.key:
            ts = message["ts"]
        if first_file and any(f.get("name") == first_file for f in message.get("files") or []):
            files = True
    return ts, files


def thread_links(client, overdue) -> dict[int, str]:
    """Each overdue item's thread link; an item whose thread Slack cannot give (a channel the bot left,
    a deleted parent) is listed without one rather than losing the whole report."""
    links = {}
    for o in overdue:
        if o.channel_id and o.thread_ts:
            try:
                links[o.item_id] = client.chat_getPermalink(channel=o.channel_id, message_ts=o.thread_ts)["permalink"]
            except SlackApiError as exc:
                log.warning("no link to VOC-%s's thread: %s", o.number, exc.response.get("error"))
    return links


def report(d: "Deliverer", row, card, parent) -> str:
    from documents.ledger_export import ledger_file as ledger_bytes
    from documents.report_charts import report_charts  # matplotlib: imported by the first report, not at start-up

    data, policy, now = row.data, d.rt.policy, d.rt.clock.now()
    lang = _language(d, row)
    period = parse(data["kind"], data["period"])
    try:
        found = d.rt.desk.report(period, lang, data.get("department"), now)
    except DomainError as gone:  # the department left the policy since it was queued
        raise Dropped(str(gone)) from gone
    audience = data.get("department") or (row.user or row.channel)
    stem = f"voc-{period.key}-{audience}-r{row.id}".lower()
    pictures = report_charts(found, policy, lang)
    files = [(f"{stem}-{n}-{name}.png", png) for n, (name, png) in enumerate(pictures, 1)]
    if period.kind == "month" and data.get("department") is None:  # the month's ledger travels with its report
        last = period.after - timedelta(days=1)
        ledger = ledger_bytes(policy, d.rt.desk.ledger_of(period.first, last, SlackNames(d.full_name_of), lang), "xlsx")
        files.append((f"{stem}-ledger.xlsx", ledger))
    names = [name for name, _ in files]
    conversation = d.conversation_of(row.channel)
    ts, files_there = _already_there(d, row, conversation, names[0] if names else None)
    if ts is None:
        links = thread_links(d.rt.client, found.overdue)
        people = {o.owner: d.name_of(o.owner) or o.owner for o in found.overdue if o.owner}
        late_due = as_utc(datetime.fromisoformat(data["due_at"])) if data.get("late") else None
        ts = d.post(conversation, text=report_text(found, policy, lang),
                    blocks=report_blocks(found, policy, lang, people, links, now, late_due),
                    metadata=d.metadata(row, "voc_report"))
    if files and not files_there:
        d.pace(conversation)
        d.leases.confirm(row)  # rendered in seconds: only if no other worker took the row meanwhile
        d.rt.client.files_upload_v2(
            channel=conversation, initial_comment=t("report.charts_comment", lang, title=title(found, policy, lang)),
            file_uploads=[{"content": content, "filename": name, "title": name} for name, content in files])
    return ts


def ledger_to_asker(d: "Deliverer", row, card, parent) -> str | None:
    """`/export ledger`: the file, to the person who asked, by DM (their right to it checked again)."""
    from documents.ledger_export import ledger_file as ledger_bytes  # openpyxl: at the first export, not at start-up

    data, policy = row.data, d.rt.policy
    first, last, fmt = date.fromisoformat(data["first"]), date.fromisoformat(data["last"]), data.get("format", "xlsx")
    name = f"ledger-{first}-{last}-r{row.id}.{fmt}"
    conversation = d.conversation_of(row.user)
    if _already_there(d, row, conversation, name)[1]:
        return None
    lang = d.locale_of(row.user, row.locale)
    try:
        rows = d.rt.desk.ledger_rows(row.user, first, last, SlackNames(d.full_name_of), lang)
    except DomainError as refused:  # no longer allowed since asking: nothing is sent
        raise Dropped(str(refused)) from refused
    d.pace(conversation)
    d.leases.confirm(row)
    d.rt.client.files_upload_v2(
        channel=conversation, initial_comment=t("export.comment", lang, first=first, last=last, count=len(rows)),
        file_uploads=[{"content": ledger_bytes(policy, rows, fmt), "filename": name, "title": name}])
    return None


def audit_pack_to_asker(d: "Deliverer", row, card, parent) -> str | None:
    """`/export audit-pack`: the ZIP, written to a temporary file entry by entry, to the asker by DM (their
    right to it checked again when it is made)."""
    from documents.audit_pack import write_audit_pack  # fpdf2 and openpyxl: at the first pack, not at start-up

    data, policy = row.data, d.rt.policy
    first, last = date.fromisoformat(data["first"]), date.fromisoformat(data["last"])
    name = f"audit-pack-{first}-{last}-r{row.id}.zip"
    conversation = d.conversation_of(row.user)
    if _already_there(d, row, conversation, name)[1]:
        return None
    lang = d.locale_of(row.user, row.locale)
    with tempfile.TemporaryDirectory(prefix="voc-audit-pack-") as folder:
        path = Path(folder) / name
        try:
            with d.rt.desk.audit_pack_of(row.user, first, last, SlackNames(d.full_name_of)) as pack, open(path, "wb") as out:
                write_audit_pack(out, pack, policy, SlackNames(d.full_name_of))
        except DomainError as refused:  # no longer allowed since asking: nothing is sent
            raise Dropped(str(refused)) from refused
        comment = t("export.pack_comment", lang, first=first, last=last, count=len(pack.records),
                    eightds=len(pack.eightd_ids), open=len(pack.nonconformities))
        d.pace(conversation)
        d.leases.confirm(row)  # rendered in seconds: only if no other worker took the row meanwhile
        d.rt.client.files_upload_v2(channel=conversation, initial_comment=comment,
                                    file_uploads=[{"file": str(path), "filename": name, "title": name}])
    return None


def improvement(d: "Deliverer", row, card, parent) -> str:
    """The quality manager is told, once per set of figures, that a customer's satisfaction is under the
    threshold and an improvement action is due (domain/satisfaction/improvement.py decides)."""
    lang = d.locale_of(row.user, row.locale)
    return d.post(row.channel, text=improvement_text(row.data, lang), metadata=d.metadata(row, "voc_message"))
