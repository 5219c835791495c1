"""The sqlmodel repositories, bundled over one engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.sql.alerts import SqlAlertRepo
from bot.storage.sql.audit import SqlAuditRepo
from bot.storage.sql.chats import SqlChatRepo
from bot.storage.sql.checks import SqlCheckRepo
from bot.storage.sql.choices import SqlChoiceStore
from bot.storage.sql.deliveries import SqlDeliveryRepo
from bot.storage.sql.feedback import SqlFeedbackRepo
from bot.storage.sql.flood import SqlCheckLimiter
from bot.storage.sql.indicators import SqlIndicatorRepo
from bot.storage.sql.leases import SqlLeaseRepo
from bot.storage.sql.reports import SqlReportRepo
from bot.storage.sql.retention import SqlRetentionRepo
from bot.storage.sql.sessions import SqlSessionStore
from bot.storage.sql.signatures import SqlSignatureRepo
from bot.storage.sql.subscriptions import SqlSubscriptionRepo
from bot.storage.sql.updates import SqlSeenUpdates
from bot.storage.sql.users import SqlUserRepo
from handlers.ports import Repositories


def sql_repositories(engine: AsyncEngine) -> Repositories:
    """Every repository over `engine`, each method in its own short transaction."""
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    dialect = engine.dialect.name
    return Repositories(
        users=SqlUserRepo(sessions, dialect),
        chats=SqlChatRepo(sessions, dialect),
        signatures=SqlSignatureRepo(sessions, dialect),
        indicators=SqlIndicatorRepo(sessions, dialect),
        checks=SqlCheckRepo(sessions, dialect),
        reports=SqlReportRepo(sessions, dialect),
        feedback=SqlFeedbackRepo(sessions, dialect),
        subscriptions=SqlSubscriptionRepo(sessions, dialect),
        alerts=SqlAlertRepo(sessions, dialect),
        deliveries=SqlDeliveryRepo(sessions, dialect),
        audit=SqlAuditRepo(sessions, dialect),
        leases=SqlLeaseRepo(sessions, dialect),
        retention=SqlRetentionRepo(sessions, dialect),
    )


def sql_shared_state(
    engine: AsyncEngine, clock: Callable[[], dt.datetime], checks_per_minute: int
) -> tuple[SqlSessionStore, SqlCheckLimiter, SqlSeenUpdates, SqlChoiceStore]:
    """Sessions, the check limit, the updates taken and the choices offered, over `engine` (`[sharing] backend =
    "database"`)."""
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    dialect = engine.dialect.name
    return (
        SqlSessionStore(sessions, dialect, clock),
        SqlCheckLimiter(sessions, dialect, checks_per_minute, clock),
        SqlSeenUpdates(sessions, dialect, clock),
        SqlChoiceStore(sessions, dialect, clock),
    )
