"""`/survey record <customer> <year>` opens the yearly satisfaction survey form (answers per item, very
satisfied … very dissatisfied); `/survey visit <customer> [2026-09-15]` and `/survey award <customer>
[date]` record a proactive visit or a customer award (points in score B, once the quality manager
confirms it from the DM it gets: Confirm / Decline). Sales, the quality manager and admins may
record (domain/satisfaction/work.py)."""
from __future__ import annotations

import re
from datetime import date

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.feedback import request_key, who
from bot.service import BotService, friendly
from bot.flows.proposal import action_key
from bot.views.common import section
from bot.views.satisfaction import entry_done_text, entry_pending_text, score_blocks, score_text, survey_modal
from domain.counts import read_id
from domain.i18n import t
from domain.satisfaction.errors import SatisfactionRefused

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}
RECORD_WORDS = {"record", "记录", "記錄", "录入"}
ENTRY_WORDS = {"visit": "proactive_visit", "走访": "proactive_visit", "拜访": "proactive_visit",
               "award": "customer_award", "嘉奖": "customer_award", "表彰": "customer_award"}
_YEAR = re.compile(r"^\d{4}$")
CUSTOMER_CHARS = 200  # the form's customer field holds a name, not a paragraph


MOMENT_WORDS = {"mid": "mid_year", "mid-year": "mid_year", "mid_year": "mid_year", "h1": "mid_year", "年中": "mid_year",
                "year-end": "year_end", "year_end": "year_end", "h2": "year_end", "年底": "year_end", "年终": "year_end"}


def moment_of(words: list[str]) -> tuple[list[str], str | None]:
    """`Geely 2026 mid` → (["Geely", "2026"], "mid_year"): a survey moment named last, if any."""
    if words and words[-1].casefold() in MOMENT_WORDS:
        return words[:-1], MOMENT_WORDS[words[-1].casefold()]
    return words, None


def customer_and_tail(words: list[str]) -> tuple[str, str | None]:
    """`Geely Auto 2026` → ("Geely Auto", "2026"): the last word when it is a year or a date."""
    if words and (_YEAR.match(words[-1]) or re.match(r"^\d{4}-\d{2}-\d{2}$", words[-1])):
        return " ".join(words[:-1]), words[-1]
    return " ".join(words), None


def add_entry(service: BotService, body: dict) -> None:
    user, rt = body["user_id"], service.rt
    lang = service.locales.resolve(user, body.get("text"))
    words = (body.get("text") or "").split()
    customer, when = customer_and_tail(words[1:])
    try:
        on = date.fromisoformat(when) if when else rt.clock.now().astimezone(rt.policy.tz).date()
    except ValueError as exc:
        raise SatisfactionRefused("satisfaction.error.bad_day", day=when) from exc
    rule = ENTRY_WORDS[words[0].casefold()]
    outcome = rt.desk.add_entry(customer, rule, on, "", user, request_key(body))
    text, blocks = score_text(outcome.score, rt.policy, lang), score_blocks(outcome.score, rt.policy, lang)
    if outcome.state == "pending":  # not in the score yet: say so first
        text = entry_pending_text(outcome.score, rt.policy, rule, on, lang)
        blocks = [section(text), *blocks]
    service.notify(f"{request_key(body)}:answer", user, lang, text, blocks=blocks, channel=body.get("channel_id"),
                   response_url=body.get("response_url"))


def decide_entry(service: BotService, body: dict) -> None:
    """Confirm / Decline in the quality manager's DM: the entry decided, the DM's buttons replaced by
    what was decided (a second click is told it was decided already)."""
    user, rt = body["user"]["id"], service.rt
    lang = service.locales.resolve(user)
    action = body["actions"][0]
    entry_id = read_id(str(action.get("value", ""))) or 0
    outcome = rt.desk.decide_entry(entry_id, action["action_id"] == ids.SATISFACTION_ENTRY_CONFIRM, user, action_key(body))
    data = rt.desk.entry_data(outcome.entry_id)
    service.notify(f"{action_key(body)}:answer", user, lang, entry_done_text(data, outcome.state, user, lang),
                   channel=(body.get("channel") or {}).get("id"), response_url=body.get("response_url"))


def register(app: App, service: BotService) -> None:
    def ack_survey(ack, body):
        text = (body.get("text") or "").strip()
        lang = service.locales.guess(body.get("user_id", ""), text)
        words = text.split()
        first = words[0].casefold() if words else ""
        if first in RECORD_WORDS:
            ack()
            service.executor.submit(open_form, body=body)  # the trigger is valid for 3 s: open it now
        elif first in ENTRY_WORDS and len(words) > 1:
            ack(text=t("ack.looking", lang))
            service.accept("slash.survey_entry", request_key(body), body)
        else:
            ack(text=t("survey.help", lang))

    @friendly(service, who)
    def open_form(body):
        rt = service.rt
        rt.desk.require_may_record(body["user_id"])  # pure: the policy's roles and the cached user groups
        lang = service.locales.resolve(body["user_id"])
        words, moment = moment_of((body.get("text") or "").split()[1:])
        customer, year = customer_and_tail(words)
        if not customer.strip():
            raise SatisfactionRefused("satisfaction.error.no_customer")
        customer = rt.desk.known_customer(customer[:CUSTOMER_CHARS])  # customer first: before any count is typed
        rt.desk.check_moment(moment or "year_end", customer)  # a mid-year survey of a once-a-year customer: said before the form
        this_year = rt.clock.now().astimezone(rt.policy.tz).year
        year = int(year) if year and _YEAR.match(year) and 2000 <= int(year) <= this_year else this_year - 1
        view = survey_modal(rt.policy, lang, customer, year, {"channel": body.get("channel_id"), "moment": moment or "year_end"},
                            last_year=this_year)
        rt.client.views_open(trigger_id=body["trigger_id"], view=view)

    app.command(ids.SURVEY_COMMAND)(ack_survey)
    for action_id in (ids.SATISFACTION_ENTRY_CONFIRM, ids.SATISFACTION_ENTRY_DECLINE):
        app.action(action_id)(service.store_after_ack("action.satisfaction_entry", action_key))
