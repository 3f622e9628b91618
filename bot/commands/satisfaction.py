"""`/satisfaction <customer> [year] [mid]`: the customer's satisfaction score for the year (this year by
default; at the mid-year survey when named) with its breakdown — each survey item's rate, score A,
score B with every event that cost or earned points, what is on record but not counted, the
composite and the year's improvement actions. Anyone may read; the ack says "looking…".
`/satisfaction answer <n> <countermeasure>` records the person's department's answer to improvement
action #n; `/satisfaction close <n>` closes it (its owner, once every department answered)."""
from __future__ import annotations

from slack_bolt import App

from bot import action_ids as ids
from bot.commands.complaint import reading_command
from bot.commands.feedback import request_key
from bot.commands.survey import customer_and_tail, moment_of
from bot.service import BotService
from bot.views.satisfaction import score_blocks, score_text, task_text
from domain.counts import read_id
from domain.satisfaction.errors import SatisfactionRefused

HELP_WORDS = {"", "help", "?", "帮助", "幫助"}
ANSWER_WORDS, CLOSE_WORDS = {"answer", "答复", "答覆"}, {"close", "关闭", "關閉"}


def show(service: BotService, body: dict) -> None:
    user, rt = body["user_id"], service.rt
    lang = service.locales.resolve(user, body.get("text"))
    words = (body.get("text") or "").split()
    if words and words[0].casefold() in ANSWER_WORDS | CLOSE_WORDS:
        return work_on_task(service, body, words, lang)
    words, moment = moment_of(words)
    customer, year = customer_and_tail(words)
    score = rt.desk.satisfaction(customer, read_id(year), moment)
    service.notify(f"{request_key(body)}:answer", user, lang, score_text(score, rt.policy, lang),
                   blocks=score_blocks(score, rt.policy, lang), channel=body.get("channel_id"),
                   response_url=body.get("response_url"))


def work_on_task(service: BotService, body: dict, words: list[str], lang: str) -> None:
    """`answer <n> <text>` or `close <n>`: the task as it stands afterwards, to the person."""
    user, rt = body["user_id"], service.rt
    number = words[1].lstrip("#") if len(words) > 1 else ""
    if (task_id := read_id(number)) is None:
        raise SatisfactionRefused("satisfaction.error.no_task", task=number or "?")
    if words[0].casefold() in ANSWER_WORDS:
        task = rt.desk.answer_task(task_id, " ".join(words[2:]), user, request_key(body))
    else:
        task = rt.desk.close_task(task_id, user, request_key(body))
    service.notify(f"{request_key(body)}:answer", user, lang, task_text(task, rt.policy, lang),
                   channel=body.get("channel_id"), response_url=body.get("response_url"))


def register(app: App, service: BotService) -> None:
    app.command(ids.SATISFACTION_COMMAND)(reading_command(service, "slash.satisfaction", "satisfaction.help", HELP_WORDS))
