"""`voc shell --demo`: a scripted scenario of what the bot can do today, replayable.

Each step is narration plus what a person types; buttons are found by what they do,
so the script survives changes in numbering. Later issues extend the script.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Callable

from bot import action_ids as ids
from shell.session import ShellSession
from shell.texts import say

# Friday 20 November 2026, 09:30 in Shanghai: a fixed moment, so every replay is the same.
DEMO_START = datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)

Step = tuple[dict[str, str], list]  # narration, then lines or ("click", action_id, containing) / ("choose", step, containing)

SCRIPT: list[Step] = [
    ({"en": "Emma from sales just hung up with Geely: their line stopped. She logs it in one line.",
      "zh": "销售 Emma 刚和吉利通完电话：客户停线了。她用一行命令登记。"},
     ["/as sales-emma", "/feedback Geely Ningbo: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h"]),
    ({"en": "The bot classified it AA (line stopped), opened a thread in #voc-quality and pinged @quality. Next call: BYD, a late delivery.",
      "zh": "机器人判为 AA 级（客户停线），在 #voc-quality 开了讨论串并通知 @quality。下一个电话：比亚迪，交货延迟。"},
     ["/feedback BYD: shipment of 500 pcs P/N HX-2231 arrived 3 days late, no impact on their production"]),
    ({"en": "BYD's buyer escalated to their plant manager. Only a manager changes a level, with a reason: Wang, the "
            "quality manager, raises it to A with 'Change classification', and the thread says why.",
      "zh": "比亚迪采购已升级到工厂经理。只有经理能修改等级，并须写明原因：品质经理王军通过“修改分类”把等级提高到 A，讨论串中注明原因。"},
     ["/as quality-wang", ("click", ids.CHANGE, "VOC-2"), "", "", "2", "", "Buyer escalated to their plant manager"]),
    ({"en": "Emma logs a third call by mistake — it was already reported — and undoes it within ten minutes. Nothing is deleted.",
      "zh": "Emma 误登了一个已经登记过的问题，十分钟内点击撤回。记录不会被删除。"},
     ["/as sales-emma", "/feedback SAIC Volkswagen: wrong labels on 40 pcs of HX-2231", ("click", ids.UNDO, "VOC-3")]),
    ({"en": "The same in Chinese: Li Na logs a complaint, with traditional characters; the bot answers in Chinese.",
      "zh": "中文同样适用：李娜用繁体字登记投诉，机器人用中文回复。"},
     ["/as sales-li", "/feedback 吉利宁波：23-1109批端子壓接不良，客戶停線兩小時"]),
    ({"en": "She tells the bot about a delivery complaint in a direct message. It asks only what it needs to know "
            "(is their line stopped? how urgent is it for the customer?), she answers in her own words, and it files. "
            "The problem itself is a B, but the customer demands very urgent handling: the level is AA (seed 001 §4.2b).",
      "zh": "她通过私信告诉机器人一个交付投诉。机器人只问它需要知道的事（客户是否停线？客户要求有多紧急？），她用自己的话回答，"
            "机器人随即登记。问题本身是 B 级，但客户要求特别紧急：等级为 AA（001 程序 4.2b）。"},
     ["/dm 比亚迪：少发了200件，客户很不满意", "/dm 还没停，但库存只够两天", "/dm 客户要求特别紧急"]),
    ({"en": "A message with no customer: the bot asks instead of guessing, and the form completes it.",
      "zh": "没有写客户的消息：机器人不猜测，而是询问，通过表单补全。"},
     ["/feedback 外壳表面划伤，数量12件", ("click", ids.EDIT_DRAFT, None), "上汽大众", "", "", "", "", "", "", "", "", ""]),
    ({"en": "Quality picks it up in the thread. Then three hours pass (the clock is virtual): nobody owns VOC-4 yet, so its "
            "first contact is reminded to @quality, then escalated to the department manager by DM.",
      "zh": "品质部在讨论串中跟进。然后快进三小时（时钟是虚拟的）：VOC-4 还无人认领，首次回复先提醒 @quality，"
            "逾期后以私信升级给部门经理。"},
     ["/as quality-wang", "/thread 1 收到，正在安排库存隔离和全检", "/react 1 eyes", "/clock +3h", "/channels"]),
    # The line stop worked from its thread to verified closure.
    ({"en": "Zhou Min, the quality engineer, records the containment: what was checked where, what was bad, the sorting. Emma is told to tell Geely.",
      "zh": "品质工程师周敏记录围堵措施：各处检查数量、不良数量、挑选方法。机器人提醒 Emma 告知吉利。"},
     ["/as quality-zhou", ("click", ids.RECORD_CONTAINMENT, "VOC-1"), "1200", "0", "300", "0", "", "", "400", "37",
      "100% gauge check", "37 bad, quarantined", "Sorted stock shipped with a green dot", "y"]),
    ({"en": "Next day: the root cause, by 4M1E — why it occurred and why it escaped.",
      "zh": "第二天：按 4M1E 记录根本原因 — 为什么发生，为什么流出。"},
     ["/clock +1d", ("click", ids.step("record_root_cause"), "VOC-1"), "2", "Crimp die worn past its limit",
      "Pull test sampled 1 in 500", "Die wear measured 0.12 mm"]),
    ({"en": "Geely wants an engineer on their line. Emma asks for a field visit from the thread's menu: Zhou goes to the "
            "Ningbo plant, in the home province, so he must be on site within 1 working day (seed 004). He records his "
            "arrival, his return with what he found, and the report Geely's SQE signed; the report goes to the thread as a "
            "PDF, in Chinese for Geely. `/visit VOC-1` shows the visit, its two deadlines and the next step's button.",
      "zh": "吉利要求派工程师到产线。Emma 在讨论串菜单中申请现场服务：周敏去宁波工厂（本省内，须 1 个工作日内到达现场，004 程序）。"
            "他记录到达、返回及现场发现，以及吉利 SQE 签署的服务报告；报告以 PDF（吉利用中文）发到讨论串。`/visit VOC-1` 查看该次服务、两个期限及下一步按钮。"},
     ["/as sales-emma", ("choose", "request_visit", "VOC-1"), "@quality-zhou", "Geely Ningbo plant 2, line 4", "",
      "/as quality-zhou", "/clock +2h", "/visit VOC-1", ("click", ids.step("record_visit_arrival"), "Geely Ningbo plant 2"), "", "", "",
      "/clock +6h", "/visit VOC-1", ("click", ids.step("record_visit_return"), "Geely Ningbo plant 2"), "", "", "",
      "Crimp die worn; 1,200 pcs sorted on the line, 37 bad",
      "/visit VOC-1", ("click", ids.step("record_visit_signoff"), "Geely Ningbo plant 2"), "", "Mr. Wu, Geely SQE", "2026-11-21", "",
      "/visit VOC-1"]),
    ({"en": "A corrective action with its owner and due date. The line stop is AA, so the procedure wants it reviewed by the "
            "R&D director (Chen) and approved by the general manager (Huang): each is asked in a DM showing the root cause, "
            "the containment and the action. Then it is done, the same day.",
      "zh": "纠正措施：负责人和期限。客户停线为 AA 级，程序要求研发总监（陈涛）审核、总经理（黄伟）批准：两人各自在私信中"
            "看到根本原因、围堵措施和该措施后审批。随后当天完成。"},
     [("click", ids.step("add_corrective_action"), "VOC-1"), "Replace the crimp die; wear check every shift",
      "@quality-zhou", "2026-11-25",
      "/as engineering-chen", ("click", ids.step("approve_action"), "Replace the crimp die"),
      "/as gm-huang", ("click", ids.step("approve_action"), "Replace the crimp die"),
      "/as quality-zhou", ("click", ids.step("mark_action_done"), "VOC-1"), "1"]),
    ({"en": "A preventive action must name the documents it updated: here the PFMEA and the control plan. It goes through "
            "the same review and approval.",
      "zh": "预防措施必须写明更新了哪些文件：这里是 PFMEA 和控制计划。同样经过审核和批准。"},
     [("click", ids.step("add_preventive_action"), "VOC-1"), "Die life limit added to PFMEA and control plan",
      "@quality-zhou", "2026-11-30", "1,2",
      "/as engineering-chen", ("click", ids.step("approve_action"), "Die life limit"),
      "/as gm-huang", ("click", ids.step("approve_action"), "Die life limit"),
      "/as quality-zhou", ("click", ids.step("mark_action_done"), "VOC-1"), "1"]),
    ({"en": "Two days later, two clean lots after the fix are recorded: verified.",
      "zh": "两天后，记录纠正后的两批无不良批次：已验证。"},
     ["/clock +2d", ("click", ids.step("record_verification"), "VOC-1"), "0 defects in two lots, 100% checked", "23-1201, 23-1202"]),
    ({"en": "Zhou asks to close too early: the customer has not accepted yet. The bot refuses and says what is missing.",
      "zh": "周敏过早申请关闭：客户尚未认可。机器人拒绝并列出缺少的内容。"},
     [("click", ids.step("request_closure"), "VOC-1")]),
    ({"en": "Emma records Geely's acceptance (by mail); Zhou requests closure again. AA: the quality manager must approve.",
      "zh": "Emma 记录吉利的认可（邮件）；周敏再次申请关闭。AA 级：需品质经理批准。"},
     ["/as sales-emma", ("click", ids.step("record_customer_acceptance"), "VOC-1"), "Mr. Wu, Geely SQE", "2026-11-23", "1",
      "/as quality-zhou", ("click", ids.step("request_closure"), "VOC-1")]),
    ({"en": "Wang approves in his DM, which shows him the record in Chinese: closed, and Emma is told.",
      "zh": "王军在私信中（中文，附完整记录）批准：已关闭，并通知 Emma。"},
     ["/as quality-wang", ("click", ids.step("approve_closure"), "VOC-1")]),
    ({"en": "The 8D is approved before it is sent: Zhou submits it, Wang approves it in his DM, then the 8D goes to the "
            "thread as PDF and Excel, in Chinese for Geely.",
      "zh": "8D报告须先审批再发送：周敏提交，王军在私信中批准，随后8D报告以 PDF 和 Excel 发到讨论串（吉利用中文）。"},
     ["/as quality-zhou", ("choose", "submit_8d", "VOC-1"),
      "/as quality-wang", ("click", ids.step("approve_8d"), "VOC-1"),
      "/as quality-zhou", ("choose", "send_8d", "VOC-1")]),
    ({"en": "Geely sends back the 37 bad connectors and a bill for their stopped line. Emma records the return with "
            "/return and the claim with /claim (an exact amount and its currency); Zhou inspects the return and reviews the claim.",
      "zh": "吉利退回 37 件不良端子，并就停线开出账单。Emma 用 /return 登记退货、用 /claim 登记索赔（精确金额及币种）；"
            "周敏检验退货并审核索赔。"},
     ["/as sales-emma", "/return VOC-1", "37", "2026-11-23", "",
      "/claim VOC-1", "4", "25,000", "1", "", "",
      "/as quality-zhou", ("choose", "inspect_return", "VOC-1"), "1", "1",
      ("choose", "review_claim", "VOC-1"), "1"]),
    ({"en": "Wang, a manager, accepts the claim. CNY 25,000 is above the CNY 10,000 the policy lets a manager settle: the "
            "general manager is asked in a DM, approves, and only then may it be paid.",
      "zh": "经理王军接受索赔。25,000 元超过政策允许经理自行处理的 10,000 元：总经理在私信中收到审批请求并批准，之后才能支付。"},
     ["/as quality-wang", ("choose", "accept_claim", "VOC-1"), "1",
      "/as gm-huang", ("click", ids.step("approve_claim"), "#1"),
      "/as quality-wang", ("choose", "pay_claim", "VOC-1"), "1", "2026-11-23"]),
    ({"en": "A last call: Great Wall's production is struggling. The words name no stop, but the bot does not file a "
            "possible AA at a lower level in silence: it asks first. Emma answers that their line is about to stop: AA.",
      "zh": "最后一个电话：长城汽车生产吃紧。留言没说停线，但可能是 AA 的问题机器人不会悄悄按较低等级登记：先问。"
            "Emma 回答客户即将停线：AA 级。"},
     ["/as sales-emma",
      "/feedback Great Wall: their production is struggling, the connectors from lot 22 don't fit and they are short of parts",
      ("click", ids.answer_aa(0), None)]),
]


def play(session: ShellSession, lang: str, pause: Callable[[], None] = lambda: None, delay: float = 0.0) -> None:
    session.say(say("demo_title", lang))
    for number, (narration, lines) in enumerate(SCRIPT, 1):
        session.say("")
        session.say(f"▶ {number}. {narration[lang]}")
        pause()
        for line in lines:
            if isinstance(line, tuple):
                what, action_id, containing = line
                number = (session.click_by(ids.MORE, containing, option=action_id) if what == "choose"
                          else session.click_by(action_id, containing))
                line = f"/click {number}"
            session.say((session.prompt().rstrip() + " " if session.modal else "> ") + (line or "↵"))
            session.handle(line)
            if delay:
                time.sleep(delay)
    session.say("")
    session.say(say("demo_end", lang))
