"""What README.md and docs/*.md tell an administrator to type exists, and what they link to is in
the repository: every `voc …` command and flag (argparse in cli/main.py), every `/slash` command (the
Slack manifest's, or the local shell's), every relative link."""
import argparse
import re
from pathlib import Path

import yaml

from cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Slack's own commands a doc may tell people to type (they are not the app's).
SLACK_BUILT_INS = {"/invite"}

CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
VOC = re.compile(r"(?:^|[\s(|;&$])(?<!-u )voc[ \t]+([^\n]*)")  # not `sudo -u voc …` (the user), not across lines


def _voc_mentions() -> list[tuple[str, str]]:
    """(document, what follows `voc `) for each command in code: inline spans, fenced and indented blocks."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        blocks = [m.group(0) for m in FENCE.finditer(text)]
        blocks += [line for line in text.splitlines() if line.startswith("    ") and "voc " in line]
        for block in blocks:  # shell: a pipe, redirection or comment ends the command
            found += [(doc.name, re.split(r"\s(?:\||>|&&|;|#)\s?", m.group(1))[0]) for m in VOC.finditer(block)]
        for span in CODE_SPAN.finditer(FENCE.sub("", text)):
            found += [(doc.name, m.group(1)) for m in VOC.finditer(span.group(1))]
    return found


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})


def _problems(parser: argparse.ArgumentParser, words: list[str], said: str) -> list[str]:
    """Walk the words along the parser tree: each subcommand named must exist, and each --flag on the
    command reached. `a|b` and `a/b` name alternatives (`voc report week|month|year`)."""
    subs = _subcommands(parser)
    if subs and words and re.fullmatch(r"[a-z][a-z/|\\-]*", words[0]):
        problems = []
        for name in filter(None, re.split(r"\\?\||/", words[0])):
            if name in subs:
                problems += _problems(subs[name], words[1:], said)
            else:
                problems.append(f"`voc {said}`: no command {name!r} under `{parser.prog}`")
        return problems
    flags = {o for a in parser._actions for o in a.option_strings}
    return [f"`voc {said}`: `{parser.prog}` has no flag {flag}"
            for flag in re.findall(r"(?<![\w-])--?[a-z][\w-]*", " ".join(words)) if flag not in flags]


def test_every_voc_command_and_flag_the_docs_mention_exists():
    parser = build_parser()
    mentions = _voc_mentions()
    assert len(mentions) > 40  # the scan reads the docs (README lists every command)
    problems = [f"{doc}: {p}" for doc, said in mentions
                for p in _problems(parser, said.replace("\\|", "|").split(), said)]
    assert problems == []


def test_the_command_check_catches_a_command_or_flag_that_does_not_exist():
    parser = build_parser()
    assert _problems(parser, ["policy", "reference"], "") == []
    assert _problems(parser, ["report", "week|month|year", "--at", "2026"], "") == []
    assert _problems(parser, ["polcy", "check"], "x") == ["`voc x`: no command 'polcy' under `voc`"]
    assert _problems(parser, ["shell", "--histroy", "12"], "x") == ["`voc x`: `voc shell` has no flag --histroy"]


def _slash_commands_known() -> set[str]:
    manifest = yaml.safe_load((ROOT / "manifests" / "http.yaml").read_text(encoding="utf-8"))
    app = {c["command"] for c in manifest["features"]["slash_commands"]}
    shell = set(re.findall(r'"(/[a-z]+)"', (ROOT / "shell" / "session.py").read_text(encoding="utf-8")))
    return app | shell | SLACK_BUILT_INS | WEB_PATHS


# The paths `voc web` serves (bot/app.py, bot/health.py): written like a slash command, and no such thing.
WEB_PATHS = {"/slack/events", "/healthz"}


def test_every_slash_command_the_docs_mention_exists():
    known = _slash_commands_known()
    assert {"/feedback", "/complaint", "/clock"} <= known
    unknown = [(doc.name, m.group(1)) for doc in DOCS for span in CODE_SPAN.finditer(doc.read_text(encoding="utf-8"))
               for m in [re.match(r"(/[a-z][a-z_-]*)(?:\s|$)", span.group(1))] if m and m.group(1) not in known]
    assert unknown == []


LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH_SPAN = re.compile(r"`((?:\.\./|/work/|/home/)[^`\s]*)`")


def test_every_relative_link_and_path_in_the_docs_is_inside_the_repository():
    outside = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        targets = [t for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t)] + PATH_SPAN.findall(text)
        for target in targets:
            path = (doc.parent / target.split("#")[0]).resolve()
            if not (path.is_relative_to(ROOT) and path.exists()):
                outside.append((doc.name, target))
    assert outside == []
