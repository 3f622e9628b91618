"""Approvals in Slack, pure views: the approver's DM (closing an AA complaint, the 8D before it is
sent, an action at a stage of the chain) showing WHAT is approved — root cause, containment, the
actions, the evidence, the gaps the closure gate still sees — in the approver's language, with
Approve / Send back…; the approval state on the card and the thread parent; the thread's note.
The domain checks the role and the state again when a button is pressed."""
from __future__ import annotations

from dataclasses import dataclass

from bot import action_ids as ids
from bot.views.common import Markup, button, clip, context, escape, md, mention, section, sections
from domain.cards import ItemCard
from domain.i18n import fmt_when, ref, t
from domain.lifecycle.approval_brief import ApprovalBrief
from domain.lifecycle.approvals import EIGHT_D, NONE, PENDING, ApprovalLine
from domain.money import shown
from domain.policy import APPROVER_ROLES, Policy

CLOSURE = "closure"
# subject -> (approve, send back): the table's actions the buttons name
BUTTONS = {CLOSURE: ("approve_closure", "send_back"), EIGHT_D: ("approve_8d", "reject_8d"),
           "action": ("approve_action", "reject_action"), "claim": ("approve_claim", "send_back_claim")}
TEXT_LIMIT = 600  # a person's text in the DM: enough to judge, the thread has the rest


@dataclass(frozen=True)
class ApprovalRequest:
    """What an approval DM asks (its outbox row's data)."""
    subject: str  # closure | 8d | action:<id>
    requested_by: str
    stage: str | None = None
    revision: int = 1

    @property
    def action_id(self) -> int | None:
        return int(self.subject.partition(":")[2]) if self.subject.startswith("action:") else None

    @property
    def claim_id(self) -> int | None:
        return int(self.subject.partition(":")[2]) if self.subject.startswith("claim:") else None


def request_of(data: dict) -> ApprovalRequest:
    return ApprovalRequest(data.get("subject") or CLOSURE, data.get("requested_by", ""), data.get("stage"),
                           int(data.get("revision") or 1))


def approvers_text(approvers: tuple[str, ...], lang: str) -> Markup:
    """Role names by their title, user ids as mentions."""
    names = [escape(t(f"approvals.role.{w}", lang)) if w in APPROVER_ROLES else mention(w) for w in approvers]
    return Markup((", " if lang == "en" else "、").join(names))


def approval_text(card: ItemCard, lang: str, request: ApprovalRequest, brief: ApprovalBrief | None = None) -> str:
    item = card.item
    common = dict(actor=mention(request.requested_by), ref=ref(item.number), severity=item.severity,
                  customer=card.customer_in(lang) or "?")
    if request.subject == EIGHT_D:
        return md("approvals.request.8d", lang, revision=request.revision, **common)
    if request.claim_id is not None:
        return md("approvals.request.claim", lang, what=claim_text(card, request.claim_id, lang), **common)
    if request.action_id is not None:
        action = next((a for a in (brief.actions if brief else ()) if a.id == request.action_id), None)
        return md("approvals.request.action", lang, stage=t(f"approvals.stage.{request.stage}", lang), revision=request.revision,
                  type=t(f"approvals.type.{action.type if action else 'corrective'}", lang),
                  what=clip(action.what, TEXT_LIMIT) if action else "?", **common)
    return md("approval.request", lang, **common)


def brief_lines(brief: ApprovalBrief, policy: Policy, lang: str) -> list[str]:
    """The record the approver judges: a heading per part, then its lines (sections() packs them)."""
    nothing = "_" + t("approvals.nothing", lang) + "_"
    root, c = brief.root_cause, brief.containment
    out = [f"*{t('approvals.section.root_cause', lang)}*"]
    out.append(md("approvals.root_cause", lang, category=t(f"rootcause.{root.category}", lang),
                  occurrence=clip(root.occurrence, TEXT_LIMIT), escape=clip(root.escape, TEXT_LIMIT)) if root else nothing)
    out.append(f"*{t('approvals.section.containment', lang)}*")
    if c is not None:
        places = ("stock", "wip", "transit", "customer")
        out.append(md("approvals.containment", lang, bad=sum(getattr(c, f"{p}_bad") or 0 for p in places),
                      checked=sum(getattr(c, f"{p}_checked") or 0 for p in places), method=clip(c.sorting_method, TEXT_LIMIT),
                      countermeasure=clip(c.countermeasure, TEXT_LIMIT), informed=t("yes" if c.customer_informed else "no", lang)))
    else:
        out.append(nothing)
    out.append(f"*{t('approvals.section.actions', lang)}*")
    out += [("• " + md("approvals.action", lang, type=t(f"approvals.type.{a.type}", lang), what=clip(a.what, TEXT_LIMIT),
                       owner=mention(a.owner), due=a.due.date().isoformat(),
                       done=md("approvals.done_on", lang, date=a.done_at.date().isoformat()) if a.done_at
                       else t("approvals.not_done", lang))) for a in brief.actions] or [nothing]
    out.append(f"*{t('approvals.section.evidence', lang)}*")
    out += ["• " + md("approvals.evidence", lang, evidence=clip(e, TEXT_LIMIT), lots=", ".join(lots) or "—")
            for e, lots in brief.verifications] or [nothing]
    out.append(f"*{t('approvals.section.gaps', lang)}*")
    out += [f"• {t(code, lang, **params)}" for code, params in brief.gaps] or [t("approvals.no_gaps", lang)]
    state = state_lines(brief.approvals, policy, lang)
    if state:
        out += [f"*{t('approvals.title', lang)}*", *state]
    return out


def approval_blocks(card: ItemCard, policy: Policy, lang: str, request: ApprovalRequest, brief: ApprovalBrief,
                    link: str | None) -> list[dict]:
    item = card.item
    # item:version:action:revision — the click approves the revision (or round) this DM showed, no other
    if request.claim_id is not None:  # the claim alone is decided: no closure brief
        value = f"{item.id}:{item.version}:claim{request.claim_id}:r{request.revision}"
        approve, send_back = BUTTONS["claim"]
        blocks = [section(":ballot_box_with_check: " + approval_text(card, lang, request, brief))]
    else:
        value = f"{item.id}:{item.version}:{request.action_id if request.action_id is not None else ''}:r{request.revision}"
        approve, send_back = BUTTONS["action" if request.action_id is not None else request.subject]
        blocks = [section(":ballot_box_with_check: " + approval_text(card, lang, request, brief))]
        blocks += sections(brief_lines(brief, policy, lang))
    if link:
        blocks.append(context(f"<{link}|{t('approval.thread', lang)}>"))
    blocks.append({"type": "actions", "block_id": f"approval_{item.id}", "elements": [
        button(t("approvals.button.approve", lang), ids.step(approve), value, style="primary"),
        button(t("approvals.button.send_back", lang), ids.step(send_back), value)]})
    return blocks


def state_lines(lines: tuple[ApprovalLine, ...] | list[ApprovalLine], policy: Policy, lang: str) -> list[str]:
    """Where each approval stands: waiting for X, approved by Y, sent back: reason."""
    out = []
    for line in lines:
        st = line.standing
        params = dict(revision=st.revision, by=mention(st.by) if st.by else "?", reason=clip(st.reason or "", TEXT_LIMIT),
                      who=approvers_text(line.waiting_for, lang),
                      when=fmt_when(st.at, policy.tz, lang) if st.at else "",
                      stage=t(f"approvals.stage.{st.stage}", lang) if st.stage else "",
                      what=clip(line.what or "", 80))
        kind = "8d" if line.subject == EIGHT_D else "action"
        if kind == "8d" and st.state == NONE:
            continue
        emoji = {PENDING: ":hourglass_flowing_sand:", "approved": ":white_check_mark:", "rejected": ":leftwards_arrow_with_hook:",
                 "outdated": ":warning:"}
        out.append(f"{emoji.get(st.state, ':grey_question:')} " + md(f"approvals.line.{kind}.{st.state}", lang, **params))
    return out


def claim_text(card: ItemCard, claim_id: int, lang: str) -> str:
    """'#3 (Sorting cost, CNY 12,000.00 of CNY 15,000.00)': what the approver decides."""
    claim = next((c for c in card.claims if c.id == claim_id), None)
    if claim is None:
        return f"#{claim_id}"
    owed = shown(claim.accepted_amount, claim.currency)
    of = "" if claim.accepted_amount in (None, claim.amount) else (" / " + shown(claim.amount, claim.currency))
    return f"#{claim.id} ({t(f'claim_type.{claim.type}', lang)}, {owed}{of})"


def approval_note(card: ItemCard, policy: Policy, lang: str, data: dict) -> str:
    """The thread's note when an approval moves: submitted (waiting for whom), approved, sent back."""
    subject = str(data.get("subject") or "")
    kind = "8d" if subject == EIGHT_D else "claim" if subject.startswith("claim:") else "action"
    stage = data.get("stage")
    if kind == "8d":
        waiting = policy.approvals.eight_d.approvers
    elif kind == "claim":
        waiting = policy.approvals.claims.approvers
    else:
        waiting = next((s.approvers for s in policy.approvals.actions.chain if s.stage == stage), ())
    params = dict(actor=mention(data.get("actor") or card.item.reporter_id), revision=data.get("revision") or 1,
                  reason=clip(data.get("reason") or "", TEXT_LIMIT), what=clip(data.get("what") or "", TEXT_LIMIT),
                  owner=mention(data["owner"]) if data.get("owner") else "", who=approvers_text(waiting, lang),
                  stage=t(f"approvals.stage.{stage}", lang) if stage else "")
    if kind == "claim":  # named in the reader's language, as it stands now
        params["what"] = claim_text(card, int(subject.partition(":")[2]), lang)
    emoji = {PENDING: ":hourglass_flowing_sand:", "approved": ":white_check_mark:"}.get(data.get("state"), ":leftwards_arrow_with_hook:")
    return f"{emoji} " + md(f"approvals.note.{kind}.{data.get('state')}", lang, **params)
