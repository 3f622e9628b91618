"""Who somebody is, from the policy: Slack user groups (members passed in by the caller) and
explicit user lists. Pure: the bot fetches `usergroups.users.list` and hands the members here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

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

    @property
    def has_any(self) -> bool:
        return bool(self.sales or self.departments or self.manages or self.quality_manager
                    or self.general_manager or self.admin or self.rd_director)


def _in(members: Members | None, user: str, groups: GroupMembers) -> bool:
    if members is None:
        return False
    if user in members.users:
        return True
    return bool(members.usergroup) and user in groups.get(members.usergroup, ())


def roles_of(policy: Policy, user: str, groups: GroupMembers | None = None) -> Roles:
    groups = groups or {}
    cfg = policy.roles
    departments, manages = set(), set()
    for key, dept in policy.departments.items():
        extra = cfg.departments.get(key)
        if dept.manager == user or (extra is not None and user in extra.managers):
            manages.add(key)
        if (dept.usergroup and user in groups.get(dept.usergroup, ())) or (extra is not None and user in extra.users):
            departments.add(key)
    return Roles(
        user=user,
        sales=_in(cfg.sales, user, groups),
        departments=frozenset(departments | manages),
        manages=frozenset(manages),
        quality_manager=_in(cfg.quality_manager, user, groups),
        general_manager=_in(cfg.general_manager, user, groups),
        admin=_in(cfg.admins, user, groups),
        rd_director=_in(cfg.rd_director, user, groups),
    )


def members_of(members: Members | None, groups: GroupMembers | None = None) -> list[str]:
    """A role's people: its explicit users, then its user group's members, once each, in order."""
    if members is None:
        return []
    group = sorted(groups.get(members.usergroup, ())) if groups and members.usergroup else []
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
