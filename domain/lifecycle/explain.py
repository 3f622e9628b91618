"""A refusal as a sentence in the person's language (names of actions, states and roles translated)."""
from __future__ import annotations

from domain.i18n import MESSAGES, t
from domain.lifecycle.permissions import Refusal


def explain(refusal: Refusal, lang: str) -> str:
    p = dict(refusal.params)
    if "action" in p:
        name = t(f"action.{p['action']}", lang)
        p["action"] = name[:1].lower() + name[1:] if lang == "en" and not name[:1].isdigit() else name
    if "status" in p:
        p["status"] = t(f"status.{p['status']}", lang)
    if "kind" in p:
        p["kind"] = t(f"kind.{p['kind']}", lang)
    if "who" in p:
        p["who"] = (" / " if lang == "en" else "、").join(dict.fromkeys(t(f"who.{w}", lang) for w in p["who"]))
    if "field" in p and f"step.field.{p['field']}" in MESSAGES:
        p["field"] = t(f"step.field.{p['field']}", lang)
    if "state" in p and refusal.code == "refusal.visit_state":
        p["state"] = t(f"visit.state.{p['state']}", lang)
    if "record" in p:
        p["record"] = t(f"record.{p['record']}", lang)
    if "stage" in p:
        p["stage"] = t(f"approvals.stage.{p['stage']}", lang)
    if "missing" in p:
        p["missing"] = ("; " if lang == "en" else "；").join(t(code, lang, **params) for code, params in p["missing"])
    return t(refusal.code, lang, **p)
