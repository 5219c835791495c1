"""Button payloads, named once: the button that sends one and the registration that receives it use these.

A button press comes back as "<prefix>:<session id>[:<answer>]". The router finds the session (it must belong
to the presser and be in a state the registration accepts; otherwise the press is stale and refused politely)
and hands the answer to the handler. A link into a private chat with the bot carries "<prefix>_<session id>";
each adapter turns it into its own form (a t.me start link, a numbered choice). Whoever holds a link may open it,
so it opens only a session made to be shared (`SessionStore.create(shared=True)`), in a state its registration
accepts: never a session behind someone's buttons or dialog.
"""

from __future__ import annotations

import enum


class Callback(enum.StrEnum):
    """Prefixes of button payloads."""

    FEEDBACK = "fb"  # "right" / "wrong" under a verdict
    REPORT_THIS = "rq"  # "report this" under a verdict
    CONSENT = "rc"  # submit the text for review (told the outcome or not), or keep nothing
    FORGET = "fg"  # /forgetme: yes or no
    REVIEW = "rv"  # an officer's decision on a review item (/review)
    SIGNATURE = "sg"  # save or cancel a previewed signature (/sig_add, /sig_edit)

    def payload(self, session_id: str, answer: str = "") -> str:
        return f"{self.value}:{session_id}:{answer}" if answer else f"{self.value}:{session_id}"


class Link(enum.StrEnum):
    """Prefixes of links that open a private chat with the bot."""

    DETAILS = "d"  # a group warning's full verdict

    def payload(self, session_id: str) -> str:
        return f"{self.value}_{session_id}"


def parse_callback(data: str) -> tuple[str, str, str]:
    """(prefix, session id, answer) of a button payload; missing parts are empty."""
    prefix, _, rest = data.partition(":")
    session_id, _, answer = rest.partition(":")
    return prefix, session_id, answer


def parse_link(payload: str) -> tuple[str, str]:
    """(prefix, session id) of a link payload."""
    prefix, _, session_id = payload.partition("_")
    return prefix, session_id
