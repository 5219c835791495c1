"""The dispatch machinery: the router and its registration vocabulary, the handler's context, sessions, flood
control, roles and button payloads. Command groups (handlers/*.py) use it; handlers/setup.py registers them."""

from handlers.dispatch.callbacks import Callback, Link
from handlers.dispatch.context import Context, Handler, SessionHandler
from handlers.dispatch.flood import FloodLimiter
from handlers.dispatch.roles import Role
from handlers.dispatch.router import Command, Router
from handlers.dispatch.sessions import InMemorySessionStore, Session

__all__ = [
    "Callback",
    "Command",
    "Context",
    "FloodLimiter",
    "Handler",
    "InMemorySessionStore",
    "Link",
    "Role",
    "Router",
    "Session",
    "SessionHandler",
]
