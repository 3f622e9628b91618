"""Who somebody is, from the policy: Slack user groups (members passed in by the caller) and
explicit user lists. Pure: the bot fetches `usergroups.users.list` and hands the members here.

A group whose members cannot be known now (the bot's lookup raises MembershipUnknown: Slack refused
and its last answer is too old) gives no role; it is named in `Roles.unknown`, and `decide` refuses
an action the person could only hold through it instead of guessing (docs/lifecycle.md, Roles).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from domain.errors import MembershipUnknown
from domain.policy import APPROVER_ROLES, Members, Policy

GroupMembers = Mapping[str, "frozenset[str] | set[str] | tuple[str, ...] | list[str]"]


@dataclass(frozen=True)
class Roles:
    user: str
    sales: bool = False
    departments: frozenset[str] = frozenset()  # member of
    manages: frozenset[str] = frozenset()  # manager of
    quality_manager: bool = False
    general_manager: bool = False
    admin: bool = False
    rd_director: bool = False
    unknown: frozenset[str] = frozenset()  # user groups whose members could not be known

    @property
    def has_any(self) -> bool:
        return bool(self.sales or self.departments or self.manages or self.quality_manager
                    or self.general_manager or self.admin or self.rd_director)


class _Lookup:
    """Group membership for one person, noting the groups that could not be known."""

    def __init__(self, user: str, groups: GroupMembers):
        self.user, self.groups, self.unknown = user, groups, set()

    def in_group(self, group: str | None) -> bool:
        if not group:
            return False
        try:
            return self.user in self.groups.get(group, ())
        except MembershipUnknown:
            self.unknown.add(group)
            return False

    def in_role(self, members: Members | None) -> bool:
        if members is None:
            return False
        return self.user in members.users or self.in_group(members.usergroup)


def roles_of(policy: Policy, user: str, groups: GroupMembers | None = None) -> Roles:
    look = _Lookup(user, groups if groups is not None else {})
    cfg = policy.roles
    departments, manages = set(), set()
    for key, dept in policy.departments.items():
        extra = cfg.departments.get(key)
        if dept.manager == user or (extra is not None and user in extra.managers):
            manages.add(key)
        if (extra is not None and user in extra.users) or look.in_group(dept.usergroup):
            departments.add(key)
    return Roles(
        user=user,
        sales=look.in_role(cfg.sales),
        departments=frozenset(departments | manages),
        manages=frozenset(manages),
        quality_manager=look.in_role(cfg.quality_manager),
        general_manager=look.in_role(cfg.general_manager),
        admin=look.in_role(cfg.admins),
        unknown=frozenset(look.unknown),
        rd_director=look.in_role(cfg.rd_director),
    )


def is_member(user: str, members: Members | None, groups: GroupMembers | None = None) -> bool:
    """Whether `user` is one of `members` (its users or its user group's members)."""
    return _Lookup(user, groups if groups is not None else {}).in_role(members)


def is_manager_of(roles: Roles, department: str) -> bool:
    """"Manager" on an item: the manager of its owning department, the QM, the GM or an admin —
    never the manager of another department."""
    return department in roles.manages or roles.quality_manager or roles.general_manager or roles.admin


def members_of(members: Members | None, groups: GroupMembers | None = None) -> list[str]:
    """A role's people: its explicit users, then its user group's members, once each, in order."""
    if members is None:
        return []
    group = []
    if groups and members.usergroup:
        # whom to tell, not who may act: the last members known serve while Slack is away
        last_known = getattr(groups, "last_known", None)
        group = sorted(last_known(members.usergroup) if last_known else groups.get(members.usergroup, ()))
    return list(dict.fromkeys([*members.users, *group]))


def quality_managers(policy: Policy, groups: GroupMembers | None = None) -> list[str]:
    """Who approves AA closures."""
    return members_of(policy.roles.quality_manager, groups)


def admins(policy: Policy, groups: GroupMembers | None = None) -> list[str]:
    """Who hears about the machinery (a message parked after failing again and again)."""
    return members_of(policy.roles.admins, groups)


def approvers_of(policy: Policy, approvers: tuple[str, ...], groups: GroupMembers | None = None) -> list[str]:
    """The people behind a policy list of approvers (role names or user ids), once each, in order."""
    people: list[str] = []
    for who in approvers:
        people += members_of(getattr(policy.roles, who), groups) if who in APPROVER_ROLES else [who]
    return list(dict.fromkeys(people))


def is_approver(roles: Roles, approvers: tuple[str, ...]) -> bool:
    """Whether this person is one of a policy list of approvers (role names or user ids)."""
    return any(getattr(roles, who) if who in APPROVER_ROLES else roles.user == who for who in approvers)
