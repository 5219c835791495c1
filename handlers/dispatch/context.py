"""What a handler receives: the message, its arguments, and who is asking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.dispatch.roles import Role
from handlers.messages import Incoming, Reply
from handlers.ports import ChatRecord, UserRecord
from handlers.ports.sharing import Session

if TYPE_CHECKING:  # for annotations only: handlers.deps is built from what the handlers use
    from handlers.deps import Deps


@dataclass(frozen=True, slots=True)
class Context:
    """One message or button press, resolved: user and chat records, role, language, command arguments."""

    msg: Incoming
    deps: Deps
    user: UserRecord
    chat: ChatRecord
    role: Role
    lang: str
    args: str = ""

    def t(self, key: str, **params: object) -> str:
        return self.deps.catalogue.text(key, self.lang, **params)


Handler = Callable[[Context], Awaitable[list[Reply]]]
# A step of a dialog or a button press: the router has found the session and checked its owner and state.
SessionHandler = Callable[[Context, Session], Awaitable[list[Reply]]]
