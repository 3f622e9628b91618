"""`voc shell` driven through its input and output, no terminal: the real bot behind a local Slack."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import action_ids as ids
from shell.demo import DEMO_START, SCRIPT, play
from shell.session import ShellSession
from shell.world import World


@pytest.fixture
def world(request, sqlite_url):
    # On a copy of the run's migrated SQLite file: `voc shell` migrates its own (tests below run it),
    # here each test would otherwise walk all the migrations again (~1 s).
    w = World(start=DEMO_START, lang=getattr(request, "param", None), db_url=sqlite_url)
    yield w
    w.close()


VOC = str(Path(sys.executable).parent / "voc")


def shell_env() -> dict:
    """`voc shell` as the README runs it: nothing configured but what the shell brings."""
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "VOC_BROKER")}


def text(session: ShellSession, since: int = 0) -> str:
    return "\n".join(session.lines[since:])


def test_a_line_stop_from_the_terminal_reaches_quality_and_the_reporter(world):
    s = ShellSession(world)
    s.handle("/feedback Geely Ningbo: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h")
    out = text(s)
    assert "── #voc-quality · VOC Desk" in out and "🔴 AA complaint from Geely Auto" in out
    assert "@quality new AA complaint for Quality, reported by @sales-emma" in out
    assert "[1] Take ownership   [2] Record first contact   [3] Change classification   [4] Correct details…" in out  # for the department
    assert "More… [5] Record customer reply   [6] Not ours   [7] Waiting on customer   [8] Withdraw" in out  # the menu
    assert "[12] Set the customer's urgency   [13] Does the customer want an 8D?   [14] Request a field visit   " \
           "[15] Record a return   [16] Record a claim   [17] History" in out
    assert "Filed VOC-1" in out and "[18] Change classification   [19] Correct details…   [20] Undo" in out
    assert "First contact with the customer: 20 Nov 2026, 11:30" in out  # 09:30 Shanghai + 2 h


def test_buttons_are_numbered_choices_and_forms_are_asked_field_by_field(world):
    s = ShellSession(world)
    s.handle("/feedback BYD: the shipment of 500 pcs arrived 3 days late, no impact on their production")
    s.handle("/as quality-wang")  # a manager changes a level, with a reason (issue 16)
    mark = len(s.lines)
    s.handle(str(s.click_by(ids.CHANGE, "VOC-1")))  # a bare number presses the button
    assert s.modal is not None and "Form: 修改分类" in text(s, mark)  # Wang reads Chinese
    for answer in ("", "", "2", "", "Buyer escalated"):  # keep kind and category, severity -> A, keep department, why
        s.handle(answer)
    out = text(s, mark)
    assert s.modal is None
    assert "changed the classification: Severity: B — general → A — important" in out and "Buyer escalated" in out
    assert "(updated)" in out and "🟠 A complaint from BYD" in out


def test_the_form_reports_what_is_missing_and_asks_again(world):
    s = ShellSession(world)
    s.handle("/feedback")
    assert s.modal is not None
    for _ in range(len(s.modal.inputs)):
        s.handle("")  # submit it empty
    assert "The form was not accepted:" in text(s) and "Please fill this in." in text(s)
    assert s.modal is not None and s.modal.index == 0
    s.handle("/cancel")
    assert s.modal is None


def test_undo_shows_the_thread_withdrawn(world):
    s = ShellSession(world)
    s.handle("/feedback SAIC Volkswagen: wrong labels on 40 pcs")
    s.handle(f"/click {s.click_by(ids.UNDO)}")
    out = text(s)
    assert "[withdrawn]" in out and "withdrew this item" in out and "VOC-1 is withdrawn" in out


def test_switching_people_dms_threads_and_the_clock(world):
    s = ShellSession(world)
    s.handle("/as sales-li")
    s.handle("/dm 比亚迪：交货延迟三天，客户很不满意")
    assert "客户是否已停线？" in text(s)  # the one thing the bot needs to know, asked in the DM
    s.handle("/dm 没有")
    assert "客户要求有多紧急？" in text(s)  # nothing was said of the customer's urgency
    s.handle("/dm 不急")
    assert "已登记 VOC-1" in text(s) and "@sales-li ↔ VOC Desk" in text(s)
    s.handle("/as production-zhao")
    s.handle("/thread 1 已安排加急发货")
    assert "@production-zhao" in text(s) and "↳ 已安排加急发货" in text(s)
    s.handle("/clock +25h")
    assert "Virtual clock: 21 Nov 2026, 10:30 (Asia/Shanghai)." in text(s)
    assert world.rt.clock.now() == world.clock.now()  # the bot reads the same clock
    s.handle("/clock 2026-12-01 09:00")
    assert "1 Dec 2026, 09:00" in text(s)
    s.handle("/clock next tuesday-ish")
    assert "Use /clock +25h" in text(s)


def test_help_channels_open_and_unknown_commands(world):
    s = ShellSession(world)
    s.handle("/help")
    s.handle("/channels")
    s.handle("/open voc-quality")
    s.handle("/open nowhere")
    s.handle("/as nobody")
    s.handle("/frobnicate")
    out = text(s)
    for expected in ("/feedback Customer: what they said", "#voc-quality", "You are in #voc-quality.",
                     "No such channel: nowhere", "No such person: nobody", "Unknown command /frobnicate"):
        assert expected in out


@pytest.mark.parametrize("world", [None, "zh"], indirect=True, ids=["en", "zh"])
def test_the_demo_plays_to_the_end(world, sqlite_template, tmp_path):
    lang = world.lang
    s = ShellSession(world, lang=lang)
    play(s, lang)
    out = text(s)
    assert out.strip().endswith("演示结束。运行 `voc shell` 亲自试试。" if lang == "zh" else
                                "End of the demo. Run `voc shell` to try it yourself.")
    assert out.count("▶ ") == len(SCRIPT)
    for expected in (("已登记 VOC-1", "已登记 VOC-5") if lang == "zh" else ("Filed VOC-1", "已登记 VOC-5")):
        assert expected in out
    assert ("[已撤回]" if lang == "zh" else "[withdrawn]") in out and "A — " in out
    assert "等级 AA（问题 B，客户特别紧急）" in out  # the customer's urgency lifted a B problem (the DM scene)
    if lang == "zh":  # Chinese mode speaks Chinese: the shell's own words, people's titles, customers' names
        assert "[withdrawn]" not in out and "Emma Stone (Sales)" not in out and "Emma Stone（销售）" in out
        assert "吉利汽车" in out and "Geely Auto" not in out
    with world.rt.db.session() as session:
        from sqlmodel import select

        from models import FeedbackItem

        statuses = [i.status for i in session.exec(select(FeedbackItem).order_by(FeedbackItem.id))]
    # the line stop was worked to verified closure (with the QM's approval); the others wait
    assert statuses == ["closed", "received", "withdrawn", "received", "received", "received", "received"]
    # the last call is asked whether it could be AA before anything is filed, and the answer makes it AA
    assert out.count("登记前确认：这是否属于特别重要（AA）？" if lang == "zh" else "Before I file it: could this be critical (AA)?") == 1
    assert ("已登记 VOC-7" if lang == "zh" else "Filed VOC-7") in out
    refused = "暂不能关闭"  # said to Zhou, who reads Chinese, whatever the demo's language
    assert out.count(refused) == 1 and "VOC-1-8D.pdf, VOC-1-8D.xlsx" in out
    with world.rt.db.session() as session:
        from models import Approval

        decided = [(a.subject, a.stage, a.by) for a in session.exec(select(Approval).order_by(Approval.id)) if a.decision == "approved"]
    # the AA actions reviewed by the R&D director and approved by the GM; the 8D approved by the QM before it was sent
    assert decided == [("action:1", "review", "U0ENGCHEN"), ("action:1", "approve", "U0GMHUANG"),
                       ("action:2", "review", "U0ENGCHEN"), ("action:2", "approve", "U0GMHUANG"), ("8d", "approve", "U0QMWANG"),
                       ("claim:1", "approve", "U0GMHUANG")]  # the line-stop claim above the amount, by the GM
    with world.rt.db.session() as session:
        from models import Claim, ReturnedGoods

        assert [(r.quantity, r.state, r.inspection) for r in session.exec(select(ReturnedGoods))] == [(37, "inspected", "confirmed")]
        assert [(c.type, str(c.amount), c.currency, c.state) for c in session.exec(select(Claim))] == [
            ("line_stop", "25000.00", "CNY", "paid")]
    if lang == "en":  # the demo replays identically: played again in a new world, line for line
        assert _demo_replayed(sqlite_template, tmp_path) == _in_any_folder(s.lines, world) and len(s.lines) > 150


def _in_any_folder(lines: list[str], world: World) -> list[str]:
    return [line.replace(world.tmp, "<session folder>") for line in lines]  # a new temporary folder each run


def _demo_replayed(sqlite_template: Path, folder: Path) -> list[str]:
    """The English demo once more, in a world of its own (a fresh copy of the migrated SQLite file).
    One test plays it twice rather than a test of its own playing it twice more: a play is seconds."""
    import shutil

    shutil.copyfile(sqlite_template, folder / "replay.db")
    w = World(start=DEMO_START, db_url=f"sqlite:///{folder}/replay.db")
    try:
        s = ShellSession(w)
        play(s, "en")
        return _in_any_folder(s.lines, w)
    finally:
        w.close()


def test_voc_shell_runs_from_a_pipe_with_nothing_but_sqlite(tmp_path):
    """The README's run command path: no Slack, no PostgreSQL, no Redis configured."""
    env = shell_env()
    env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there: the shell must not need it
    proc = subprocess.run([VOC, "shell", "--plain"], input="/feedback Geely: line stopped, connectors cracked\n/quit\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Filed VOC-1" in proc.stdout and "#voc-quality" in proc.stdout


def test_voc_shell_removes_its_temporary_folder_when_it_exits(tmp_path):
    """The session's SQLite database and saved files live in a temporary folder: gone after /quit."""
    env = {**shell_env(), "TMPDIR": str(tmp_path)}
    proc = subprocess.run([VOC, "shell", "--plain"], input="/feedback Geely: line stopped, connectors cracked\n/quit\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0 and "Filed VOC-1" in proc.stdout, proc.stderr
    assert list(tmp_path.glob("voc-shell-*")) == []


def test_a_stale_button_or_a_missing_one_is_answered_and_the_session_goes_on(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")
    undo = s.click_by(ids.UNDO)
    s.handle(str(undo))
    assert "withdrawn" in text(s)
    since = len(s.lines)
    s.handle(str(undo))  # the same button again: its message was replaced
    assert f"Button [{undo}] is gone" in text(s, since)
    s.handle("99")
    assert "There is no button [99]" in text(s, since)
    assert not world.ws.channel_messages("C0SALESFLOOR")  # a number is never posted as chat
    s.handle("/feedback BYD: the shipment arrived 3 days late")
    assert "VOC-2" in text(s, since) and not s.done


def test_lang_without_an_argument_says_which_and_how(world):
    s = ShellSession(world)
    s.handle("/lang")
    assert "The shell speaks English (en). /lang zh switches to Chinese." in text(s)
    s.handle("/lang fr")
    assert "No language fr" in text(s)
    s.handle("/lang zh")
    assert "终端当前语言：中文（zh）" in text(s)


def test_history_shows_when_each_message_was_posted_and_the_clock_only_goes_forward(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")  # posted at 09:30
    s.handle("/clock +3h")
    since = len(s.lines)
    s.handle("/open voc-quality")
    assert "VOC Desk · 09:30" in text(s, since) and "VOC Desk · 12:30" not in text(s, since)
    s.handle("/clock 2026-11-20 08:00")
    assert "The clock only moves forward" in text(s, since)
    assert "12:30" in fmt_now(world)


def fmt_now(world) -> str:
    from domain.i18n import fmt_when

    return fmt_when(world.clock.now(), world.policy.tz, "en")


def test_a_form_offers_the_line_state_as_choices_not_yes_or_no(world):
    s = ShellSession(world, lang="zh")
    s.handle("/feedback")
    for answer in ("BYD", "外壳开裂", "", "", ""):  # customer, text, parts, lots, quantity
        s.handle(answer)
    assert "1) Stopped  2) About to stop  3) Running (not stopped)" in text(s)  # a threatened stop is not a stop
    assert "(是/否)" not in text(s) and "[n]" not in text(s)


def test_complaint_history_from_the_shell(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")
    since = len(s.lines)
    s.handle("/complaint VOC-1 history")
    assert "History of VOC-1" in text(s, since) and "filed" in text(s, since)


def test_voc_shell_at_starts_the_clock_at_a_chosen_moment(tmp_path):
    env = shell_env()
    proc = subprocess.run([VOC, "shell", "--plain", "--at", "2026-09-30T15:00+08:00"], input="/clock\n/quit\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Virtual clock: 30 Sept 2026, 15:00 (Asia/Shanghai)" in proc.stdout  # Babel en_GB spells it Sept


def test_a_month_on_the_clock_over_a_generated_year_brings_each_report_once():
    """A year of generated complaints; the clock walked from Friday 20 Nov to 20 Dec: the managers'
    channel gets the digests of W47–W50 (each Monday 09:00), November's report on 1 Dec with its charts
    and the month's ledger, each once; the files are saved where the shell says."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    w = World(start=DEMO_START, history_months=12, per_month=40)
    try:
        s = ShellSession(w)
        s.handle("/clock 2026-12-20 09:30")
        s.handle("/clock +1h")  # the next sweep: nothing again
        managers = [m for m in w.ws.channel_messages("C0MANAGERS")]
        titles = [m.blocks[0]["text"]["text"] for m in managers if m.blocks]
        assert titles == ["Weekly digest · 2026-W47 (16 Nov – 22 Nov)", "Weekly digest · 2026-W48 (23 Nov – 29 Nov)",
                          "Monthly service report · 2026-11", "Weekly digest · 2026-W49 (30 Nov – 6 Dec)",
                          "Weekly digest · 2026-W50 (7 Dec – 13 Dec)"]
        shanghai = ZoneInfo("Asia/Shanghai")
        posted = [datetime.fromtimestamp(float(m.ts), shanghai).strftime("%a %d %H:%M") for m in managers if m.blocks]
        assert posted == ["Mon 23 09:00", "Mon 30 09:00", "Tue 01 09:00", "Mon 07 09:00", "Mon 14 09:00"]  # not late
        files = [re.sub(r"-r\d+-", "-", f["name"]) for m in managers for f in m.files]  # without the row id
        assert files.count("voc-2026-11-c0managers-ledger.xlsx") == 1
        # the generated year ends with October: November itself is quiet, its trend and deadlines are not
        assert [f for f in files if f.startswith("voc-2026-11-")] == [
            "voc-2026-11-c0managers-1-trend.png", "voc-2026-11-c0managers-2-on_time.png", "voc-2026-11-c0managers-ledger.xlsx"]
        folder = Path(w.tmp) / "files"
        [ledger] = folder.glob("voc-2026-11-c0managers-r*-ledger.xlsx")
        assert ledger.read_bytes()[:2] == b"PK"  # an XLSX (a zip)
        assert f"(saved in {folder} until the shell exits)" in text(s)
    finally:
        w.close()


def test_managers_commands_and_app_home_from_the_shell(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")
    s.handle("/as quality-wang")
    mark = len(s.lines)
    s.handle("/digest week")
    assert "周报 · 2026-W47" in text(s, mark) and "新增： 1" in text(s, mark)  # the QM reads Chinese
    mark = len(s.lines)
    s.handle("/home")
    out = text(s, mark)
    assert "── App Home · @quality-wang" in out and "品质部 待办： 1 项未结 · 0 项逾期" in out  # the shell speaks English
    mark = len(s.lines)
    s.handle(str(s.click_by(ids.HOME_DIGEST)))  # a quick action: this week's digest, by DM
    assert "周报 · 2026-W47" in text(s, mark) and "新增： 1" in text(s, mark)


@pytest.mark.parametrize("at, lang, said", [
    ("not-a-date", None, "voc shell: error: argument --at: 'not-a-date' is not a moment; write it as 2026-09-30T15:00"),
    ("2026-02-30T10:00", None, "voc shell: error: argument --at: '2026-02-30T10:00' is not a moment"),  # no 30 February
    ("2026-02-30T10:00", "zh", "voc shell：错误：参数 --at：'2026-02-30T10:00' 不是有效的时间"),
])
def test_voc_shell_at_a_moment_that_is_not_one_says_so_in_one_line(tmp_path, at, lang, said):
    env = shell_env()
    proc = subprocess.run([VOC, "shell", "--plain", "--at", at, *(["--lang", lang] if lang else [])], input="/quit\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 2  # as argparse refuses an argument
    assert proc.stderr.strip().startswith(said) and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""  # refused before anything starts


def test_a_thread_reply_with_no_text_is_refused_and_nothing_is_posted(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")
    before = len(world.ws.messages)
    since = len(s.lines)
    s.handle("/thread 1")
    s.handle("/thread 1    ")
    assert text(s, since).count("Nothing to reply: write the reply after the number, /thread 1 containment done.") == 2
    assert len(world.ws.messages) == before  # no empty reply in VOC-1's thread


def test_voc_shell_plain_prints_each_question_of_a_form(tmp_path):
    """Through a pipe nobody draws a prompt: each field's label, hint and choices are lines of output,
    so a person (or a script) reads what is asked before answering."""
    env = shell_env()
    answers = "/feedback\nBYD\n\n\n\n\n\n/cancel\n/quit\n"  # customer, then Enter through to the kind
    proc = subprocess.run([VOC, "shell", "--plain"], input=answers, capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    form = lines.index("Form: Customer feedback  (Enter keeps [the value shown]; - clears it; /cancel closes the form)")
    assert lines[form + 1:form + 12] == [
        "    (e.g. Geely Ningbo)", "  Customer * []:",
        "    (What did the customer say? Part, lot, quantity, impact…)", "  What happened * []:",
        "  Part number(s) []:", "  Lot number(s) []:", "  Quantity []:",
        "    1) Stopped  2) About to stop  3) Running (not stopped)", "  Customer's line []:",
        "    1) Complaint  2) Suggestion  3) Inquiry  4) Praise", "  Kind []:"]


def test_a_message_from_another_day_shows_its_date(world):
    s = ShellSession(world)
    s.handle("/feedback Geely: connectors cracked, their line stopped")  # Friday 20 Nov, 09:30
    assert "── #voc-quality · VOC Desk · 09:30" in text(s)  # today's: the time is enough
    s.handle("/clock 2026-11-23 08:00")  # Monday: what came over the weekend is dated
    since = len(s.lines)
    s.handle("/open voc-quality")
    shown = text(s, since)
    assert "── #voc-quality · VOC Desk · 20 Nov 2026, 11:00 (in thread)" in shown  # Friday's reminder
    assert not re.search(r"VOC Desk · \d\d:\d\d", shown)  # none of these is Monday's: each has its date


def test_a_snooze_says_when_the_next_reminder_comes_and_it_comes_then(world):
    """Snoozed 1 h at 12:30 after the 11:30 escalation: the ladder's next stage (the second escalation,
    due + 4 h) is not due before 15:30, so 13:30 would be a promise the tick does not keep."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    s = ShellSession(world)
    s.handle("/feedback BYD: the shipment of 500 pcs arrived 3 days late, no impact on their production")  # B: first contact due 11:30
    s.handle("/as quality-wang")  # reads Chinese
    s.handle("/clock 2026-11-20 12:30")  # reminded at 11:00, escalated at 11:30
    since = len(s.lines)
    s.handle(str(s.click_by(ids.SNOOZE + "1h")))
    said = re.search(r"已推迟：VOC-1 的下次提醒在 (.+?)。", text(s, since)).group(1)
    assert said == "2026年11月20日 15:30"

    def thread_posts_after(moment: str) -> list[str]:
        shanghai = ZoneInfo("Asia/Shanghai")
        after = datetime.fromisoformat(moment).replace(tzinfo=shanghai).timestamp()
        return [datetime.fromtimestamp(float(m.ts), shanghai).strftime("%H:%M") for m in world.ws.messages
                if m.thread_ts and float(m.ts) > after]

    s.handle("/clock 2026-11-20 15:29")
    assert thread_posts_after("2026-11-20T12:30") == []  # nothing before the moment said
    s.handle("/clock +1m")
    assert thread_posts_after("2026-11-20T12:30") == ["15:30"]  # and something at it


def test_the_clock_refuses_a_jump_of_more_than_a_year_at_once(world):
    s = ShellSession(world)
    before = world.clock.now()
    s.handle("/clock +99999d")
    s.handle("/clock 2300-01-01 09:00")
    assert text(s).count("The clock moves at most 366 days at a time: move it in steps") == 2
    assert world.clock.now() == before
    s.handle("/clock +366d")  # a year is fine
    assert "Virtual clock: 21 Nov 2027, 09:30 (Asia/Shanghai)." in text(s)


def test_ctrl_c_stops_a_long_clock_walk_and_the_session_goes_on(tmp_path):
    """Ctrl-C (SIGINT) during `/clock +300d`: the walk stops at the next tick, what came is shown,
    the session takes the next command; no traceback, nothing lost."""
    import signal

    env = shell_env()
    proc = subprocess.Popen([VOC, "shell", "--plain", "--at", "2026-11-20T09:30"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    try:
        proc.stdin.write("/feedback Geely: connectors cracked, their line stopped\n/clock +300d\n")
        proc.stdin.flush()
        seen = []
        for line in proc.stdout:  # the walk shows what comes as it comes: the first reminder, at 10:30
            seen.append(line)
            if "⏰" in line:
                break
        assert seen and "⏰" in seen[-1], "".join(seen)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate("/feedback BYD: the shipment arrived 3 days late\n/clock\n/quit\n", timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Stopped (Ctrl-C): the clock stands where the last tick left it" in out
    assert "Filed VOC-2" in out  # the session went on, with everything done in it
    clock = re.search(r"Virtual clock: (\d+ \w+ \d{4})", out).group(1)
    assert clock != "16 Sept 2027"  # stopped well short of the 300 days asked


def test_the_survey_form_checks_the_customer_first_and_each_count_as_typed(world):
    s = ShellSession(world)
    s.handle("/survey record Nobody Inc 2025")  # refused before a single count is typed
    assert s.modal is None and "Nobody Inc is not a known customer" in text(s)
    s.handle("/survey record")
    assert s.modal is None and "Name the customer first: /survey record Geely 2025" in text(s)
    s.handle("/survey record BYD 2025")
    assert s.modal is not None and "    Customer: BYD" in text(s)
    before, since = world.clock.now(), len(s.lines)
    s.handle("/clock +1h")  # a command is not an answer: the form says how to leave it
    assert "A form is open: /clock is not an answer. Answer the question below, or type /cancel to close the form." \
        in text(s, since)
    assert world.clock.now() == before and s.modal.index == 0
    s.handle("-")  # the year cleared
    since = len(s.lines)
    s.handle("three")  # refused in the field, as Slack's client does, before the form is sent
    assert "A whole number from 0 to 100000, please." in text(s, since) and s.modal.index == 1
    for answer in ["3", "4", "", "1", ""] + [""] * 15:  # staff service: 3 very satisfied, 4 satisfied, 1 dissatisfied
        s.handle(answer)
    out = text(s, since)
    assert "Year: Give the survey's year, from 2000 to 2026." in out and "not a survey year" not in out
    assert s.modal is not None and s.modal.index == 0  # asked again, the counts kept
    s.handle("2025")
    assert "  Staff service — Very satisfied [3]:" in s.lines[-1]
    for _ in range(20):
        s.handle("")
    assert s.modal is None and "Staff service: 87.5% (7 of 8 satisfied)" in text(s, since)


def test_the_bot_is_not_idle_while_a_task_after_an_ack_is_running(world):
    """The shell reads its next line once the bot is idle: a form still being opened (its task
    started, Slack not yet called) must count, or the next line is posted as chat instead of
    answering the form."""
    import threading

    from workers.idle import busy

    release = threading.Event()
    started = threading.Event()
    running = world.service.executor.submit(lambda: (started.set(), release.wait(30)))
    started.wait(30)  # running, no longer queued
    try:
        assert busy(world.service, world.broker) >= 1
    finally:
        release.set()
    running.result(30)
    world.settle()
    assert busy(world.service, world.broker) == 0
