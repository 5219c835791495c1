"""Roles and who holds them: citizen (everyone), group admin, officer, superadmin."""

from __future__ import annotations

import enum


class Role(enum.IntEnum):
    """Ordered: a higher role may do everything a lower one may (a group admin only in their group)."""

    CITIZEN = 0
    GROUP_ADMIN = 1
    OFFICER = 2
    SUPERADMIN = 3
