"""`voc teams person OBJECT_ID…`: the id a policy names a Teams person by (`TM…`, bot/teams/people.py),
from their Microsoft Entra object id (Entra admin center → Users → the person → Object ID)."""
from __future__ import annotations

import sys


def cmd_teams_person(args) -> int:
    from bot.teams.people import person_id

    bad = 0
    for object_id in args.object_ids:
        try:
            print(f"{object_id}\t{person_id(object_id)}")
        except ValueError:
            print(f"{object_id}: not a Microsoft Entra object id (a GUID)", file=sys.stderr)
            bad += 1
    return 2 if bad else 0


def add_parsers(sub) -> None:
    p = sub.add_parser("teams", help="Microsoft Teams helpers")
    tsub = p.add_subparsers(dest="teams_command", required=True)
    person = tsub.add_parser("person", help="the policy's id (TM…) of Teams people, from their Entra object ids")
    person.add_argument("object_ids", nargs="+", metavar="OBJECT_ID")
    person.set_defaults(func=cmd_teams_person)
