"""`voc shell`: the terminal loop around ShellSession (prompt_toolkit for history, rich for colour)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def run(args) -> int:
    from shell.demo import DEMO_START, play
    from shell.session import ShellSession
    from shell.world import World

    start = DEMO_START if args.demo else None
    if getattr(args, "at", None):  # refused before anything starts, as argparse refuses an argument
        from cli.main import _policy_or_exit, moment_or_exit

        start = moment_or_exit(args.at, _policy_or_exit(warn=False).tz, "voc shell", args.lang)
    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.plain
    out = _printer(interactive)
    out("Starting VOC Desk (SQLite, in-process worker, local Slack)…" if args.lang != "zh"
        else "正在启动 VOC Desk（SQLite、进程内任务队列、本地 Slack）…")
    world = World(lang=args.lang, start=start, history_months=getattr(args, "history", 0) or 0)
    session = ShellSession(world, lang=args.lang or world.lang, out=out, prompt_drawn=interactive,
                           platform=getattr(args, "platform", "slack"))
    try:
        if args.demo:
            play(session, session.lang, delay=0.6 if interactive else 0.0)
            return 0
        session.welcome()
        _loop(session, interactive)
        return 0
    finally:
        world.close()


def _printer(interactive: bool):
    if not interactive:
        return lambda line: print(line, flush=True)
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)

    def out(line: str) -> None:
        if line.startswith("── "):
            console.print(f"[bold cyan]{escape(line)}[/]")
        elif line.startswith("▶"):
            console.print(f"[bold yellow]{escape(line)}[/]")
        elif line.startswith("> "):
            console.print(f"[green]{escape(line)}[/]")
        else:
            console.print(escape(line))
    return out


def _loop(session, interactive: bool) -> None:
    if interactive:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        history = Path(os.environ.get("VOC_SHELL_HISTORY", Path.home() / ".voc_shell_history"))
        prompt = PromptSession(history=FileHistory(str(history)))
        read = lambda: prompt.prompt(session.prompt())  # noqa: E731
    else:
        def read() -> str:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line

    while not session.done:
        try:
            line = read()
        except EOFError:
            break
        except KeyboardInterrupt:  # at the prompt nothing runs to cancel: the session goes on
            session.say(session.t("ctrl_c_idle"))
            continue
        session.handle(line)
