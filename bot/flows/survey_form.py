"""The satisfaction survey form, submitted: the answers recorded for the customer and year (replacing
an earlier recording), the score shown to the person, and an improvement action to the quality
manager when an item or the composite is under the threshold (domain/satisfaction/)."""
from __future__ import annotations

from slack_bolt import App

from bot.commands.feedback import metadata
from bot.handlers import Who
from bot.service import BotService
from bot.views.satisfaction import SURVEY_MODAL, read_survey, score_blocks, score_text, survey_errors


def who(body: dict) -> Who:
    view = body.get("view") or {}
    return Who(f"view:{view.get('id')}", body["user"]["id"], None, metadata(view).get("channel"), None)


def record(service: BotService, body: dict) -> None:
    rt, view, user = service.rt, body["view"], body["user"]["id"]
    lang = service.locales.resolve(user)
    customer, year, answers = read_survey(rt.policy, view)
    moment = metadata(view).get("moment") or "year_end"  # set by `/survey record … mid` (bot/commands/survey.py)
    score = rt.desk.record_survey(customer, year, answers, user, f"view:{view['id']}", moment)
    service.notify(f"view:{view['id']}:answer", user, lang, score_text(score, rt.policy, lang),
                   blocks=score_blocks(score, rt.policy, lang), channel=metadata(view).get("channel"))


def register(app: App, service: BotService) -> None:
    def ack_form(ack, body, view):
        # Each field checked here, without I/O (the customer was checked before the form opened):
        # what is wrong is said under its field and Slack keeps every count typed.
        rt = service.rt
        lang = service.locales.guess(body["user"]["id"], "")
        errors = survey_errors(rt.policy, view, rt.clock.now().astimezone(rt.policy.tz).year, lang)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()  # the domain checks again (who may record, the moment) and says what is wrong
        service.accept("view.survey", f"view:{view['id']}", body)

    app.view(SURVEY_MODAL)(ack_form)
