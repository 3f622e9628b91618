"""`/digest week|month|year [department] [2026-W47|2026-11|2026] [post]`: a report now — the same one
the scheduler sends — for the asker (ephemeral), or posted with its charts into the channel with
`post`. The period defaults to the current one (so far). Anyone may read; the ack says "looking…"."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import request_key
from bot.report_senders import thread_links
from bot.service import BotService
from bot.views.report import report_blocks, report_text
from domain.reports.work import BadReportRequest, period_for

KIND_WORDS = {"week": "week", "weekly": "week", "周": "week", "周报": "week", "週": "week",
              "month": "month", "monthly": "month", "月": "month", "月报": "month",
              "year": "year", "annual": "year", "yearly": "year", "年": "year", "年报": "year"}
POST_WORDS = {"post", "share", "发布", "發布", "发到频道"}
HELP_WORDS = {"help", "?", "帮助", "幫助"}
_PERIOD = re.compile(r"^\d{4}(-W?\d{2})?$", re.I)


def read_request(text: str, policy) -> tuple[str, str | None, str | None, bool]:
    """(kind, period text, department key, post) from what was typed, in either language."""
    kind, period, department, post = "week", None, None, False
    names = {key: key for key in policy.departments}
    for key, dept in policy.departments.items():
        names[dept.name.en.casefold()] = names[dept.name.zh.casefold()] = key
    for word in text.split():
        low = word.casefold()
        if low in KIND_WORDS:
            kind = KIND_WORDS[low]
        elif low in POST_WORDS:
            post = True
        elif _PERIOD.match(word):
            period = word.upper()
        elif low in names:
            department = names[low]
        else:
            raise BadReportRequest(detail=word)
    return kind, period, department, post


def show(service: BotService, body: dict) -> None:
    answer(service, body["user_id"], body.get("text") or "", request_key(body), body.get("channel_id"),
           body.get("response_url"))


def answer(service: BotService, user: str, text: str, key: str, channel: str | None, response_url: str | None) -> None:
    """The report asked for, to the asker (ephemeral where they are, else by DM), or posted in `channel`."""
    rt = service.rt
    lang = service.locales.resolve(user, text)
    kind, period_text, department, post = read_request(text, rt.policy)
    now = rt.clock.now()
    period = period_for(kind, period_text, now.astimezone(rt.policy.tz).date())
    if post and channel:
        rt.desk.post_report(user, period, channel, department, lang, key)
        service.flush(None)
        return
    report = rt.desk.report_for(user, rt.desk.report(period, lang, department, now))  # restricted customers
    people = {o.owner: service.locales.name_of(o.owner) or o.owner for o in report.overdue if o.owner}
    links = thread_links(rt.client, report.overdue)
    service.notify(f"{key}:answer", user, lang, report_text(report, rt.policy, lang),
                   blocks=report_blocks(report, rt.policy, lang, people, links, now), channel=channel,
                   response_url=response_url)


def register(app: App, service: BotService) -> None:
    app.command(ids.DIGEST_COMMAND)(reading_command(service, "slash.digest", "digest.help", HELP_WORDS))
