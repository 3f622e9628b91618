"""`/export ledger [2026-01-01 2026-12-31] [csv]`: the complaint ledger, as a file sent to the asker by
DM (this year so far by default; XLSX unless csv). `/export audit-pack [2026-01-01 2026-12-31]`: the
audit pack, a ZIP, the same way. Only the roles the policy names may export (domain/reports/work.py:
`reports.export_roles`, `reports.audit_pack_roles`); anyone else is told so. The ack says "looking…";
a worker does the rest."""
from __future__ import annotations

from datetime import date

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import request_key
from bot.service import BotService
from domain.i18n import t
from domain.reports.periods import YEARS
from domain.reports.work import BadReportRequest

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}
LEDGER_WORDS = {"ledger", "台帐", "台帳", "台账"}
AUDIT_PACK_WORDS = {"audit-pack", "auditpack", "审核资料包", "审核包"}


def read_request(text: str, today: date) -> tuple[str, date, date, str]:
    """(what: ledger | audit_pack, first, last, format)."""
    words = text.split()
    head = words[0].casefold() if words else ""
    if head not in LEDGER_WORDS | AUDIT_PACK_WORDS:
        raise BadReportRequest(detail=words[0] if words else "")
    what = "audit_pack" if head in AUDIT_PACK_WORDS else "ledger"
    fmt = "csv" if any(w.casefold() == "csv" for w in words) else "xlsx"
    dates = [w for w in words[1:] if w.casefold() not in ("csv", "xlsx")]
    try:
        parsed = [date.fromisoformat(w) for w in dates]
    except ValueError as exc:
        raise BadReportRequest(detail=" ".join(dates)) from exc
    if len(parsed) not in (0, 2):
        raise BadReportRequest(detail=" ".join(dates))
    first, last = parsed if parsed else (today.replace(month=1, day=1), today)
    # dates before YEARS or after next year are typing mistakes (and 9999-12-31 + 1 day overflows)
    if not (first.year in YEARS and last.year <= today.year + 1 and first <= last):
        raise BadReportRequest(detail=" ".join(dates))
    return what, first, last, fmt


def send(service: BotService, body: dict) -> None:
    user, rt = body["user_id"], service.rt
    lang = service.locales.resolve(user, body.get("text"))
    what, first, last, fmt = read_request(body.get("text") or "", rt.clock.now().astimezone(rt.policy.tz).date())
    if what == "audit_pack":
        rt.desk.send_audit_pack(user, first, last, lang, request_key(body))
        coming = t("export.pack_coming", lang, first=first, last=last)
    else:
        rt.desk.send_ledger(user, first, last, fmt, lang, request_key(body))
        coming = t("export.coming", lang, first=first, last=last)
    service.notify(f"{request_key(body)}:answer", user, lang, coming,
                   channel=body.get("channel_id"), response_url=body.get("response_url"))


def register(app: App, service: BotService) -> None:
    app.command(ids.EXPORT_COMMAND)(reading_command(service, "slash.export", "export.help", HELP_WORDS))
