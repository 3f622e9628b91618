"""Every kind of stored request and what runs it in the worker, in one table.

A listener in the web process acks, stores the request under one of these kinds (`service.accept`)
and returns; `bot.handlers.process` looks the kind up here. `who` says whom to tell when it fails.
"""
from __future__ import annotations

from bot.commands import complaint, complaints, customer, digest, export, feedback, satisfaction, survey, visit
from bot.flows import (app_home, dm_conversation, dm_intake, feedback_form, item_actions, proposal, snooze, survey_form,
                       thread_replies, thread_work)
from bot import group_members
from bot.handlers import Handler
from bot.inbox_writer import THREAD_REPLY
from bot.teams import actions as teams_actions, conversation as teams_conversation, feedback_dialog as teams_dialog
from bot.teams import intake as teams_intake
from bot.teams.edge import MESSAGE_KIND as TEAMS_MESSAGE

HANDLERS: dict[str, Handler] = {
    # kind                  runs in the worker                 whom to tell
    "slash.feedback":       Handler(feedback.file_feedback,     feedback.who),
    "slash.complaint":      Handler(complaint.show,             feedback.who),
    "slash.complaints":     Handler(complaints.show,            feedback.who),
    "slash.digest":         Handler(digest.show,                feedback.who),
    "slash.export":         Handler(export.send,                feedback.who),
    "slash.satisfaction":   Handler(satisfaction.show,          feedback.who),
    "slash.customer":       Handler(customer.show,              feedback.who),
    "view.customer":        Handler(customer.save,              customer.who_view),
    "slash.survey_entry":   Handler(survey.add_entry,           feedback.who),
    "slash.visit":          Handler(visit.show,                 feedback.who),
    "action.satisfaction_entry": Handler(survey.decide_entry,   proposal.who),
    "view.survey":          Handler(survey_form.record,         survey_form.who),
    "event.home":           Handler(app_home.publish,           app_home.who),
    "action.home_mine":     Handler(app_home.my_items,          app_home.who),
    "action.home_digest":   Handler(app_home.digest,            app_home.who),
    "event.dm":             Handler(dm_intake.take_dm,          dm_intake.who),
    THREAD_REPLY:           Handler(thread_replies.keep_reply,  thread_replies.who),
    "event.reaction":       Handler(thread_work.react,          thread_work.who_reacted),
    "event.subteam":        Handler(group_members.forget_changed, thread_work.who_reacted),
    "view.feedback":        Handler(feedback_form.file_form,    feedback_form.who),
    "view.reclassify":      Handler(item_actions.save_change,   item_actions.who_view),
    "view.correct":         Handler(item_actions.save_correction, item_actions.who_view),
    "view.step":            Handler(thread_work.submit_step,    item_actions.who_view),
    "action.file_draft":    Handler(proposal.file_draft,        proposal.who),
    "action.cancel_draft":  Handler(proposal.cancel_draft,      proposal.who),
    "action.pick_customer": Handler(proposal.pick_customer,     proposal.who),
    "action.add_to_existing": Handler(proposal.add_to_existing, proposal.who),
    "action.answer_aa":     Handler(proposal.answer_aa,         proposal.who),
    "action.answer":        Handler(dm_conversation.answer_button, proposal.who),
    "action.undo":          Handler(item_actions.undo,          proposal.who),
    "action.step":          Handler(thread_work.take_step,      proposal.who),
    "action.list_page":     Handler(complaints.next_page,       proposal.who),
    "action.history_page":  Handler(complaint.history_page,     proposal.who),
    "action.snooze":        Handler(snooze.snooze,              proposal.who),
    teams_actions.STEP_KIND: Handler(teams_actions.take_step,  teams_actions.who),
    TEAMS_MESSAGE:          Handler(teams_conversation.take_message, teams_intake.who),
    teams_dialog.FORM_KIND: Handler(teams_dialog.file_form,     teams_intake.who),
}
