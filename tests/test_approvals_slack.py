"""Approvals over signed HTTP into the bot, the emulator as Slack: an AA complaint's corrective action
reviewed by the R&D director and approved by the general manager, each asked by DM in their own
language with what they approve; a send back with its reason, re-worked and resubmitted; the 8D
approved by the quality manager before *Send 8D* posts it; the state on the thread parent and the
`/complaint` card; the QM's closure request showing the record in Chinese."""
from __future__ import annotations

import copy
import json

from sqlmodel import select

from bot import action_ids as ids
from models import Approval
from tests.test_flows import QUALITY, SALES, eph
from tests.test_thread_lifecycle import approve_in_dms, asked, dms, do, file_line_stop, notes

from tests.test_thread_lifecycle import GM, QE, QM, RD
FIX = "Replace the crimp die; wear check every shift"


def blocks_text(message) -> str:
    return json.dumps(message.blocks or [], ensure_ascii=False)


def to_root_caused(h, parent):
    do(h, QE, parent, "take_ownership")
    do(h, QE, parent, "record_containment", {"stock_checked": "1200", "stock_bad": "0", "customer_checked": "400",
                                             "customer_bad": "37", "sorting_method": "100% gauge check",
                                             "countermeasure": "Sorted stock shipped with a green dot", "customer_informed": ["yes"]})
    do(h, QE, parent, "record_root_cause", {"category": "machine", "occurrence": "Crimp die worn past its limit",
                                            "escape": "Pull test sampled 1 in 500"})


def test_an_aa_action_goes_through_the_chain_and_a_send_back_is_reworked(harness):
    h = harness
    parent = file_line_stop(h)
    to_root_caused(h, parent)
    do(h, QE, parent, "add_corrective_action", {"what": "Replace the crimp die", "owner": QE, "due": "2026-11-27"})

    # The R&D director (English) is asked to review it, and sees what: the action, root cause, containment, gaps.
    review = asked(h, RD, "Replace the crimp die")
    assert review.text == (f"<@{QE}> asks for your review of a corrective action of VOC-1 (AA, Geely Auto), round 1: "
                           "Replace the crimp die")
    shown = blocks_text(review)
    assert "Machine · occurred: Crimp die worn past its limit · escaped: Pull test sampled 1 in 500" in shown
    assert "37 bad of 1600 checked · sorting: 100% gauge check · Sorted stock shipped with a green dot" in shown
    assert f"corrective: Replace the crimp die — <@{QE}> — due 2026-11-27 — not done" in shown
    assert "1 action(s) not approved yet (approval chain)" in shown and "the customer's acceptance" in shown
    assert not dms(h, GM)  # the general manager's turn comes after the review

    # Not the GM's stage yet: refused, nothing recorded; the R&D director's approval asks the GM (Chinese).
    h.slack.click(GM, review, ids.step("approve_action"))
    eph(h, GM, "审核")
    h.slack.click(RD, review, ids.step("approve_action"))
    h.join()
    assert ids.step("approve_action") not in json.dumps(review.blocks)  # answered in place
    approval = asked(h, GM, "Replace the crimp die")
    assert approval.text.startswith(f"<@{QE}> 请您批准 VOC-1（AA，吉利汽车）的纠正措施（第 1 轮）")
    assert "发生原因：Crimp die worn past its limit" in blocks_text(approval)

    # Sent back with a reason: the thread says so and names the owner; the parent shows it.
    do(h, GM, approval, "reject_action", {"reason": "A wear check per shift, not a new die only"})
    assert notes(h, parent)[-1] == (f":leftwards_arrow_with_hook: <@{GM}> sent the action back: Replace the crimp die — "
                                    f"A wear check per shift, not a new die only. <@{QE}>, re-work it and resubmit it.")
    assert (f"Replace the crimp die: sent back by <@{GM}>: A wear check per shift, not a new die only"
            in json.dumps(parent.blocks))

    # Re-worked from the thread's menu: round 2 starts again at the review.
    do(h, QE, parent, "submit_action", {"action_id": "1", "what": FIX})
    assert asked(h, RD, FIX).text.endswith(f"round 2: {FIX}")
    assert f"{FIX}: waiting for the review of the R&amp;D director" in json.dumps(parent.blocks)
    approve_in_dms(h, FIX)
    assert f"{FIX}: approved by <@{GM}>" in json.dumps(parent.blocks)
    with h.rt.db.session() as s:
        trail = [(a.stage, a.decision, a.revision, a.by) for a in s.exec(select(Approval).order_by(Approval.id))]
    assert trail == [("review", "requested", 1, QE), ("review", "approved", 1, RD), ("approve", "rejected", 1, GM),
                     ("review", "requested", 2, QE), ("review", "approved", 2, RD), ("approve", "approved", 2, GM)]


def test_the_8d_waits_for_the_quality_managers_approval_before_it_is_sent(harness):
    h = harness
    parent = file_line_stop(h)
    to_root_caused(h, parent)

    do(h, QE, parent, "send_8d")
    eph(h, QE, "8D报告须在当前版本审批通过后才能发送")  # the QE reads Chinese
    assert not [m for m in h.ws.thread(QUALITY, parent.ts) if m.files]

    do(h, QE, parent, "submit_8d")
    request = asked(h, QM, "8D")
    assert request.text == f"<@{QE}> 请您审批 VOC-1 的8D报告（第 1 版；AA，吉利汽车），批准后才能发给客户。"
    assert "流出原因：Pull test sampled 1 in 500" in blocks_text(request)
    assert not dms(h, GM)  # "or above" may approve; the first approver is the one asked
    assert "8D (revision 1): waiting for the quality manager, the general manager" in json.dumps(parent.blocks)  # in the company language

    h.slack.click(QE, request, ids.step("approve_8d"))  # the engineer may not approve: refused
    eph(h, QE, "品质经理或以上人员")
    # Sent back with a reason (a form from the DM); re-worked and submitted again: revision 2.
    do(h, QM, request, "reject_8d", {"reason": "D4 lacks the die wear data"})
    assert ids.step("approve_8d") not in json.dumps(request.blocks)  # answered in place
    assert notes(h, parent)[-1] == (f":leftwards_arrow_with_hook: <@{QM}> sent the 8D report (revision 1) back: "
                                    "D4 lacks the die wear data. Re-work it and submit it again.")
    do(h, QE, parent, "submit_8d")
    request = asked(h, QM, "第 2 版")
    old = copy.deepcopy(request)
    h.slack.click(QM, request, ids.step("approve_8d"))
    h.join()
    assert ids.step("approve_8d") not in json.dumps(request.blocks)
    h.slack.click(QM, old, ids.step("approve_8d"))  # the old copy pressed again: said, not recorded twice
    eph(h, QM, "没有等待您审批的内容")
    assert notes(h, parent)[-1] == f":white_check_mark: <@{QM}> approved the 8D report (revision 2). It may be sent."

    do(h, QE, parent, "send_8d")
    upload = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if m.files])[0]
    assert sorted(f["name"] for f in upload.files) == ["VOC-1-8D.pdf", "VOC-1-8D.xlsx"]
    with h.rt.db.session() as s:
        assert [(a.revision, a.decision, a.by, a.reason) for a in s.exec(select(Approval).order_by(Approval.id))] == [
            (1, "requested", QE, None), (1, "rejected", QM, "D4 lacks the die wear data"), (2, "requested", QE, None),
            (2, "approved", QM, None)]
    h.slack.command(SALES, QUALITY, "VOC-1", command=ids.COMPLAINT_COMMAND)
    card = eph(h, SALES, "Approvals")
    assert f"8D (revision 2): approved by <@{QM}>" in json.dumps(card.blocks)


def test_an_approver_above_the_qm_approves_the_8d_from_the_thread_and_the_parent_stays(harness):
    h = harness
    parent = file_line_stop(h)
    to_root_caused(h, parent)
    do(h, QE, parent, "submit_8d")
    do(h, GM, parent, "approve_8d")  # "or above": from the thread's menu, not asked by DM
    assert notes(h, parent)[-1] == f":white_check_mark: <@{GM}> approved the 8D report (revision 1). It may be sent."
    assert parent.text == "AA complaint from Geely Auto" and ids.MORE in json.dumps(parent.blocks)  # not replaced
    assert f"8D (revision 1): approved by <@{GM}>" in json.dumps(parent.blocks)
