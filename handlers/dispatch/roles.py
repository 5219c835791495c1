"""Roles and who holds them: citizen (everyone), group admin, officer, superadmin."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from handlers.ports import UserRecord

if TYPE_CHECKING:
    from handlers.dispatch.context import Context
    from handlers.messages import Incoming


class Role(enum.IntEnum):
    """Ordered: a higher role may do everything a lower one may (a group admin only in their group)."""

    CITIZEN = 0
    GROUP_ADMIN = 1
    OFFICER = 2
    SUPERADMIN = 3


def role_of(msg: Incoming, user: UserRecord, superadmins: frozenset[str]) -> Role:
    """The role a user holds everywhere: from the config (superadmins) and storage (officers)."""
    if msg.actor in superadmins:
        return Role.SUPERADMIN
    return Role.OFFICER if user.is_officer else Role.CITIZEN


async def effective_role(ctx: Context) -> Role:
    """The role, counting group-admin status read from the platform (asked only when it matters)."""
    if ctx.role >= Role.OFFICER or ctx.msg.is_private:
        return ctx.role
    if ctx.msg.chat_admin is not None:
        return Role.GROUP_ADMIN if ctx.msg.chat_admin else ctx.role
    gateway = ctx.deps.gateways.get(ctx.msg.platform.value)
    if gateway is not None and await gateway.is_chat_admin(ctx.msg.chat_id, ctx.msg.user_id):
        return Role.GROUP_ADMIN
    return ctx.role
